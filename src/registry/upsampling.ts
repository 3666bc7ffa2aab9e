/**
 * Upsampling and shuffles: `F.interpolate` (PyTorch's signature;
 * `nn.Upsample`, `nn.UpsamplingNearest2d` and `nn.UpsamplingBilinear2d` are
 * written by hand around it in src/nn/upsample.ts), and `F.pixelShuffle`,
 * `F.pixelUnshuffle` and `F.channelShuffle` with their modules. The
 * computations are src/functional/interpolate.ts and src/functional/shuffle.ts.
 */
import * as T from '../signature/types.js';
import { defineFunction, param, type Docs } from './define.js';
import { input } from './params.js';
import {
  checkInterpolate,
  interpolateImpl,
  type InterpolateArgs,
} from '../functional/interpolate.js';
import {
  channelShuffleImpl,
  pixelShuffleImpl,
  pixelUnshuffleImpl,
  type ChannelShuffleArgs,
} from '../functional/shuffle.js';

export const interpolate = defineFunction({
  name: 'interpolate',
  torch: 'torch.nn.functional.interpolate',
  category: 'upsampling',
  params: [
    input('The input `(N, C, L)`, `(N, C, H, W)` or `(N, C, D, H, W)` (float32 or float64).'),
    param('size', T.optional(T.intOrList(1)), {
      default: null,
      doc: 'The output size: one integer for every spatial dimension, or one each.',
    }),
    param('scaleFactor', T.optional(T.positiveOrList()), {
      default: null,
      doc: 'The factor each spatial size is multiplied by (the output size is ⌊size·factor⌋), instead of `size`.',
    }),
    param(
      'mode',
      T.oneOf('nearest', 'linear', 'bilinear', 'bicubic', 'trilinear', 'area', 'nearest-exact'),
      {
        default: 'nearest',
        doc: "`'nearest'`, `'nearest-exact'`, `'linear'` (3-D input), `'bilinear'` (4-D), `'trilinear'` (5-D) or `'area'` (adaptive average pooling); `'bicubic'` is refused.",
      },
    ),
    param('alignCorners', T.optional(T.bool), {
      default: null,
      doc: 'For the linear modes: map the corner elements onto each other (the sizes minus one scale), instead of the corners of the elements (the sizes scale; default).',
    }),
    param('recomputeScaleFactor', T.optional(T.bool), {
      default: null,
      doc: 'With `scaleFactor`: interpolate as if the computed output size had been given (the scale becomes in/out), instead of with the factor itself.',
    }),
    param('antialias', T.bool, {
      default: false,
      doc: 'PyTorch’s anti-aliased downsampling; only `false` is supported.',
    }),
  ],
  check: (a) => checkInterpolate(a as InterpolateArgs),
  impl: (a) => interpolateImpl(a as InterpolateArgs),
});

export const interpolateDocs: Docs = {
  summary:
    'Resizes the spatial dimensions of a batch: nearest neighbour, (bi/tri)linear interpolation, or area averaging.',
  formula:
    'nearest: y[o] = x[min(⌊o·s⌋, n − 1)]; linear: y[o] = (1 − λ)·x[⌊p⌋] + λ·x[⌊p⌋ + 1], p = s·(o + ½) − ½ (≥ 0), or s·o with alignCorners; s = n/o (or 1/scaleFactor), (n − 1)/(o − 1) with alignCorners',
  details:
    'Give either `size` or `scaleFactor` (output size ⌊n·factor⌋; the factor itself sets the source positions unless `recomputeScaleFactor`). The nearest modes use PyTorch’s float32 index arithmetic and select its elements exactly; the linear modes interpolate one dimension at a time, the last first, with its source positions and weights, and agree with its outputs to 1–2 units in the last place; `area` is `F.adaptiveAvgPool1d/2d`. The gradient of each input element sums those of the outputs that read it, weighted. `nn.Upsample`, `nn.UpsamplingNearest2d` and `nn.UpsamplingBilinear2d` wrap it.',
  differences:
    "`mode: 'bicubic'`, `antialias: true` and `'area'` on a 5-D input throw; PyTorch computes them.",
  example: `const x = tensor([[[1, 2, 4]]]);
console.log(F.interpolate(x, { scaleFactor: 2 }).toString()); // tensor([[[1., 1., 2., 2., 4., 4.]]])
console.log(F.interpolate(x, 5, null, 'linear', true).toString()); // tensor([[[1.0000, 1.5000, 2.0000, 3.0000, 4.0000]]])`,
  samples: [
    { inputs: { input: 'randn(2, 3, 5)' }, args: { scaleFactor: 2 } },
    { inputs: { input: 'randn(2, 3, 5)' }, args: { size: 7 }, positional: 1 },
    { inputs: { input: 'randn(1, 2, 4, 5)' }, args: { size: [7, 3] } },
    { inputs: { input: 'randn(1, 2, 4, 5)' }, args: { scaleFactor: [1.5, 0.7] } },
    { inputs: { input: 'randn(1, 2, 5, 4)' }, args: { scaleFactor: 1.7, mode: 'nearest-exact' } },
    { inputs: { input: 'randn(1, 2, 2, 3, 3)' }, args: { scaleFactor: 2 } },
    { inputs: { input: 'randn(2, 3, 6)' }, args: { size: 9, mode: 'linear' } },
    { inputs: { input: 'randn(2, 3, 6)' }, args: { size: 4, mode: 'linear', alignCorners: true } },
    { inputs: { input: 'randn(1, 2, 4, 5)' }, args: { scaleFactor: 2, mode: 'bilinear' } },
    {
      inputs: { input: 'randn(2, 3, 5, 4)' },
      args: { size: [8, 7], mode: 'bilinear', alignCorners: true },
      positional: 4,
    },
    {
      inputs: { input: 'randn(1, 2, 6, 7)' },
      args: { scaleFactor: 0.6, mode: 'bilinear', recomputeScaleFactor: true },
    },
    { inputs: { input: 'randn(1, 2, 3, 3, 4)' }, args: { scaleFactor: 1.5, mode: 'trilinear' } },
    { inputs: { input: 'randn(1, 2, 6, 9)' }, args: { size: [4, 4], mode: 'area' } },
    { inputs: { input: 'randn(1, 2, 7)' }, args: { scaleFactor: 0.5, mode: 'area' } },
  ],
};

const factor = (name: 'upscaleFactor' | 'downscaleFactor', doc: string) =>
  param(name, T.int({ min: 1 }), { doc });

export const pixelShuffle = defineFunction({
  name: 'pixelShuffle',
  torch: 'torch.nn.functional.pixel_shuffle',
  category: 'upsampling',
  params: [
    input('The input `(*, C·r², H, W)` (any dtype).'),
    factor('upscaleFactor', 'The factor r by which height and width grow.'),
  ],
  impl: pixelShuffleImpl,
  module: { name: 'PixelShuffle', repr: ['upscaleFactor'] },
});

export const pixelShuffleDocs: Docs = {
  summary: 'Moves channels into space: `(*, C·r², H, W)` becomes `(*, C, H·r, W·r)`.',
  formula: 'y[…, c, h·r + i, w·r + j] = x[…, c·r² + i·r + j, h, w]',
  details:
    'The sub-pixel convolution’s upsampling (ESPCN): a convolution makes r² channels per output channel, and this interleaves them into an image r times larger. A copy, not a view; the gradient is the inverse rearrangement. `nn.PixelShuffle` wraps it; `F.pixelUnshuffle` inverts it.',
  example: `const x = tensor([0, 1, 2, 3, 4, 5, 6, 7]).reshape(1, 4, 1, 2);
console.log(F.pixelShuffle(x, 2).toString());
// tensor([[[[0., 2., 1., 3.],
//           [4., 6., 5., 7.]]]])`,
  samples: [
    { inputs: { input: 'randn(2, 8, 3, 2)' }, args: { upscaleFactor: 2 }, positional: 1 },
    { inputs: { input: 'randn(9, 2, 3)' }, args: { upscaleFactor: 3 } },
    { inputs: { input: 'randn(2, 1, 4, 2, 2)' }, args: { upscaleFactor: 2 } },
  ],
};

export const pixelUnshuffle = defineFunction({
  name: 'pixelUnshuffle',
  torch: 'torch.nn.functional.pixel_unshuffle',
  category: 'upsampling',
  params: [
    input('The input `(*, C, H·r, W·r)` (any dtype).'),
    factor('downscaleFactor', 'The factor r by which height and width shrink.'),
  ],
  impl: pixelUnshuffleImpl,
  module: { name: 'PixelUnshuffle', repr: ['downscaleFactor'] },
});

export const pixelUnshuffleDocs: Docs = {
  summary: 'Moves space into channels: `(*, C, H·r, W·r)` becomes `(*, C·r², H, W)`.',
  formula: 'y[…, c·r² + i·r + j, h, w] = x[…, c, h·r + i, w·r + j]',
  details:
    'The inverse of `F.pixelShuffle`: each r × r block of pixels becomes r² channels. A copy, not a view. `nn.PixelUnshuffle` wraps it.',
  example: `const x = tensor([0, 1, 2, 3, 4, 5, 6, 7]).reshape(1, 1, 2, 4);
console.log(F.pixelUnshuffle(x, 2).flatten().toString()); // tensor([0., 2., 1., 3., 4., 6., 5., 7.])`,
  samples: [
    { inputs: { input: 'randn(2, 2, 6, 4)' }, args: { downscaleFactor: 2 }, positional: 1 },
    { inputs: { input: 'randn(1, 6, 3)' }, args: { downscaleFactor: 3 } },
  ],
};

export const channelShuffle = defineFunction({
  name: 'channelShuffle',
  torch: 'torch.nn.functional.channel_shuffle',
  category: 'upsampling',
  params: [
    input('The input `(N, C, *)` with at least one dimension after `C` (any dtype).'),
    param('groups', T.int({ min: 1 }), { doc: 'The groups g to interleave; must divide `C`.' }),
  ],
  impl: (a) => channelShuffleImpl(a as ChannelShuffleArgs),
  module: { name: 'ChannelShuffle', repr: ['groups'] },
});

export const channelShuffleDocs: Docs = {
  summary:
    'Interleaves the channels of g groups: channel `i·(C/g) + j` moves to `j·g + i` (ShuffleNet).',
  formula: 'y[n, j·g + i, …] = x[n, i·(C/g) + j, …],  i < g,  j < C/g',
  details:
    'Mixes information between the groups of consecutive grouped convolutions. A copy of the input’s shape, never a view. `nn.ChannelShuffle` wraps it.',
  differences:
    'The gradient is computed (PyTorch 1.13 has none: its backward throws `derivative for channel_shuffle is not implemented`).',
  example: `const x = tensor([0, 1, 2, 3, 4, 5]).reshape(1, 6, 1);
console.log(F.channelShuffle(x, 2).flatten().toString()); // tensor([0., 3., 1., 4., 2., 5.])`,
  samples: [
    { inputs: { input: 'randn(2, 6, 3)' }, args: { groups: 3 }, positional: 1 },
    { inputs: { input: 'randn(1, 4, 2, 3)' }, args: { groups: 2 } },
    { inputs: { input: 'randn(2, 3, 2, 1, 2)' }, args: { groups: 1 } },
    { inputs: { input: 'randn(0, 4, 2)' }, args: { groups: 4 } },
  ],
};
