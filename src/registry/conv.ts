/**
 * Convolutions: `F.conv1d`, `F.conv2d` and `F.conv3d`, the transposed
 * `F.convTranspose1d/2d/3d`, and their im2col and col2im,
 * `F.unfold` and `F.fold`, with PyTorch's signatures. The computation is
 * src/functional/conv.ts and src/functional/windows.ts; the convolution
 * modules, `nn.Conv1d/2d/3d` and `nn.ConvTranspose1d/2d/3d`,
 * are written by hand (src/nn/conv.ts) with PyTorch's
 * initialisation, padding modes and `outputSize`.
 */
import * as T from '../signature/types.js';
import { defineFunction, param, type Docs } from './define.js';
import { input } from './params.js';
import {
  convNd,
  convTransposeNd,
  type ConvArgs,
  type ConvTransposeArgs,
} from '../functional/conv.js';
import {
  fold as foldImpl,
  unfold as unfoldImpl,
  type FoldArgs,
  type UnfoldArgs,
} from '../functional/windows.js';

const perDim = <N extends string>(name: N, min: number, def: number, doc: string) =>
  param(name, T.intOrList(min), { default: def, doc });

const convParams = (shape: string, weightShape: string) => [
  input(`The input \`${shape}\` or one sample without N (float32 or float64).`),
  param('weight', T.tensor, { doc: `The filters, \`${weightShape}\`.` }),
  param('bias', T.optional(T.tensor), {
    default: null,
    doc: 'Added to each output channel, `(outChannels)` (none: nothing added).',
  }),
  perDim('stride', 1, 1, 'Step between window starts, per spatial dimension.'),
  param('padding', T.either(T.intOrList(0), T.oneOf('same', 'valid')), {
    default: 0,
    doc: "Zeros added on both sides of each spatial dimension, or `'same'` (the output as large as the input; stride 1) or `'valid'` (none).",
  }),
  perDim('dilation', 1, 1, 'Spacing between kernel elements, per spatial dimension.'),
  param('groups', T.int({ min: 1 }), {
    default: 1,
    doc: 'Channel groups convolved separately; must divide the input and output channels.',
  }),
];

export const conv1d = defineFunction({
  name: 'conv1d',
  torch: 'torch.nn.functional.conv1d',
  category: 'convolution',
  params: convParams('(N, C, L)', '(outChannels, C/groups, kernel)'),
  impl: (a: ConvArgs) => convNd('conv1d', 1, a),
});

export const conv1dDocs: Docs = {
  summary:
    'Slides filters along one dimension: a 1-D convolution (cross-correlation) over channels.',
  formula: 'y[n, o, i] = b[o] + Σ_c Σ_t w[o, c, t] · x[n, c, i·stride + t·dilation − padding]',
  details:
    'Input `(N, C, L)` or `(C, L)`, weight `(outChannels, C/groups, kernel)`, output `(N, outChannels, L_out)` with `L_out = ⌊(L + 2·padding − dilation·(kernel − 1) − 1)/stride⌋ + 1`. Computed as im2col (the columns of `F.unfold`, padding included, cut in one pass) and a GEMM per sample and group, then the bias added; the gradients are those ops’ (col2im, `F.fold`, for the input). `nn.Conv1d` learns the weight and bias.',
  differences: 'Inputs, weight and bias of different dtypes throw.',
  example: `const x = tensor([[[1, 2, 3, 4]]]);
const w = tensor([[[1, 0, -1]]]);
console.log(F.conv1d(x, w).toString()); // tensor([[[-2., -2.]]])`,
  samples: [
    { inputs: { input: 'randn(2, 3, 7)', weight: 'randn(4, 3, 3)', bias: 'randn(4)' }, args: {} },
    {
      inputs: { input: 'randn(2, 4, 9)', weight: 'randn(6, 2, 2)' },
      args: { stride: 2, padding: 1, dilation: 2, groups: 2 },
    },
    {
      inputs: { input: 'randn(3, 8)', weight: 'randn(2, 3, 4)', bias: 'randn(2)' },
      args: { padding: 'same' },
    },
  ],
};

export const conv2d = defineFunction({
  name: 'conv2d',
  torch: 'torch.nn.functional.conv2d',
  category: 'convolution',
  params: convParams('(N, C, H, W)', '(outChannels, C/groups, kH, kW)'),
  impl: (a: ConvArgs) => convNd('conv2d', 2, a),
});

export const conv2dDocs: Docs = {
  summary:
    'Slides filters over two dimensions: a 2-D convolution (cross-correlation) over channels.',
  formula:
    'y[n, o, i, j] = b[o] + Σ_c Σ_s Σ_t w[o, c, s, t] · x[n, c, i·sH + s·dH − pH, j·sW + t·dW − pW]',
  details:
    "Input `(N, C, H, W)` or `(C, H, W)`, weight `(outChannels, C/groups, kH, kW)`; each output size is `⌊(size + 2·padding − dilation·(kernel − 1) − 1)/stride⌋ + 1`. `padding` `'same'` pads `dilation·(kernel − 1)` per dimension, the odd element after, as PyTorch does. Computed as im2col and one GEMM per group (see `F.conv1d`). `nn.Conv2d` learns the weight and bias.",
  differences: 'Inputs, weight and bias of different dtypes throw.',
  example: `const x = tensor([[[[1, 2], [3, 4]]]]);
const w = tensor([[[[1, 1], [1, 1]]]]);
console.log(F.conv2d(x, w, null, 1, 1).shape); // [ 1, 1, 3, 3 ]`,
  samples: [
    {
      inputs: { input: 'randn(2, 3, 5, 6)', weight: 'randn(4, 3, 3, 2)', bias: 'randn(4)' },
      args: {},
    },
    {
      inputs: { input: 'randn(1, 4, 7, 7)', weight: 'randn(2, 2, 3, 3)', bias: 'randn(2)' },
      args: { stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 2 },
    },
    {
      inputs: { input: 'randn(2, 5, 4)', weight: 'randn(3, 2, 2, 3)' },
      args: { padding: 'same', dilation: 2 },
    },
  ],
};

export const conv3d = defineFunction({
  name: 'conv3d',
  torch: 'torch.nn.functional.conv3d',
  category: 'convolution',
  params: convParams('(N, C, D, H, W)', '(outChannels, C/groups, kD, kH, kW)'),
  impl: (a: ConvArgs) => convNd('conv3d', 3, a),
});

export const conv3dDocs: Docs = {
  summary:
    'Slides filters over three dimensions (volumes, video): a 3-D convolution (cross-correlation) over channels.',
  formula:
    'y[n, o, i, j, l] = b[o] + Σ_c Σ_r Σ_s Σ_t w[o, c, r, s, t] · x[n, c, i·sD + r·dD − pD, j·sH + s·dH − pH, l·sW + t·dW − pW]',
  details:
    "Input `(N, C, D, H, W)` or `(C, D, H, W)`, weight `(outChannels, C/groups, kD, kH, kW)`; each output size as in `F.conv2d`, and `'same'` padding likewise. Computed as vol2col — the (H, W) windows of every depth slice in one im2col pass, the depth taps gathered by an index selection — and one GEMM per group; the gradients are those ops’. `nn.Conv3d` learns the weight and bias.",
  differences: 'Inputs, weight and bias of different dtypes throw.',
  example: `const x = ones([1, 1, 2, 2, 2]);
const w = ones([1, 1, 2, 2, 2]);
console.log(F.conv3d(x, w, null, 1, 1).shape); // [ 1, 1, 3, 3, 3 ]
console.log(F.conv3d(x, w).flatten().toString()); // tensor([8.])`,
  samples: [
    {
      inputs: { input: 'randn(2, 3, 4, 5, 3)', weight: 'randn(4, 3, 2, 3, 2)', bias: 'randn(4)' },
      args: {},
    },
    {
      inputs: { input: 'randn(1, 4, 6, 5, 5)', weight: 'randn(2, 2, 3, 2, 3)', bias: 'randn(2)' },
      args: { stride: [2, 1, 2], padding: [1, 0, 2], dilation: [2, 1, 1], groups: 2 },
      positional: 4,
    },
    {
      inputs: { input: 'randn(2, 4, 3, 5)', weight: 'randn(3, 2, 2, 3, 2)' },
      args: { padding: 'same', dilation: [1, 2, 1] },
    },
    {
      inputs: { input: 'randn(0, 2, 3, 3, 3)', weight: 'randn(2, 2, 2, 2, 2)' },
      args: { stride: 2 },
    },
  ],
};

const convTransposeParams = (shape: string, weightShape: string) => [
  input(`The input \`${shape}\` or one sample without N (float32 or float64).`),
  param('weight', T.tensor, { doc: `The filters, \`${weightShape}\`.` }),
  param('bias', T.optional(T.tensor), {
    default: null,
    doc: 'Added to each output channel, `(outChannels)` (none: nothing added).',
  }),
  perDim(
    'stride',
    1,
    1,
    'Step between the input positions’ places in the output, per spatial dimension.',
  ),
  perDim(
    'padding',
    0,
    0,
    'Removed from both sides of each spatial dimension of the output (the convolution’s `dilation·(kernel − 1) − padding` zeros around the input).',
  ),
  perDim(
    'outputPadding',
    0,
    0,
    'Added to one side (the end) of each spatial dimension of the output; smaller than the stride or the dilation.',
  ),
  param('groups', T.int({ min: 1 }), {
    default: 1,
    doc: 'Channel groups convolved separately; must divide the input channels.',
  }),
  perDim('dilation', 1, 1, 'Spacing between kernel elements, per spatial dimension.'),
];

const convTransposeDifferences =
  'Inputs, weight and bias of different dtypes throw, and so do integer inputs (PyTorch computes int64 ones). An empty batch whose output would have a size of 0 throws, as any other input does (PyTorch returns an empty output there).';

export const convTranspose1d = defineFunction({
  name: 'convTranspose1d',
  torch: 'torch.nn.functional.conv_transpose1d',
  category: 'convolution',
  params: convTransposeParams('(N, C, L)', '(C, outChannels/groups, kernel)'),
  impl: (a: ConvTransposeArgs) => convTransposeNd('convTranspose1d', 1, a),
});

export const convTranspose1dDocs: Docs = {
  summary:
    'Spreads each input position over a window of the output: a 1-D transposed convolution, the gradient of `F.conv1d` with respect to its input.',
  formula:
    'y[n, o, i·stride + t·dilation − padding] += w[c, o, t] · x[n, c, i]   (summed over c in o’s group, i, t), then + b[o]',
  details:
    'Input `(N, C, L)` or `(C, L)`, weight `(C, outChannels/groups, kernel)`, output `(N, outChannels, L_out)` with `L_out = (L − 1)·stride − 2·padding + dilation·(kernel − 1) + outputPadding + 1`. With the same arguments it maps `F.conv1d`’s output shape back to its input shape; `outputPadding` (smaller than the stride or the dilation) picks among the input sizes a strided convolution maps to one size. Computed as PyTorch’s CPU kernel does: one GEMM per group, `Wᵀ·x`, gives each input position’s contribution to every output channel and tap, and col2im (`F.fold`) sums them into place, dropping the taps in the padding; then the bias. The gradients are those ops’ (im2col, `F.unfold`, for the input). An empty batch gives an empty output. `nn.ConvTranspose1d` learns the weight and bias.',
  differences: convTransposeDifferences,
  example: `const x = tensor([[[1, 2, 3]]]);
const w = tensor([[[1, 10]]]);
console.log(F.convTranspose1d(x, w).toString()); // tensor([[[ 1., 12., 23., 30.]]])
console.log(F.convTranspose1d(x, w, null, 2).toString()); // tensor([[[ 1., 10.,  2., 20.,  3., 30.]]])`,
  samples: [
    { inputs: { input: 'randn(2, 3, 5)', weight: 'randn(3, 4, 3)', bias: 'randn(4)' }, args: {} },
    {
      inputs: { input: 'randn(2, 4, 6)', weight: 'randn(4, 3, 3)', bias: 'randn(6)' },
      args: { stride: 3, padding: 2, outputPadding: 2, groups: 2, dilation: 2 },
      positional: 5,
    },
    {
      inputs: { input: 'randn(3, 7)', weight: 'randn(3, 2, 4)' },
      args: { stride: 2, padding: 1, outputPadding: 1 },
    },
    {
      label: 'outputPadding ≥ stride, below the dilation',
      inputs: { input: 'randn(1, 2, 4)', weight: 'randn(2, 2, 2)', bias: 'randn(2)' },
      args: { stride: 1, outputPadding: 2, dilation: 3 },
    },
  ],
};

export const convTranspose2d = defineFunction({
  name: 'convTranspose2d',
  torch: 'torch.nn.functional.conv_transpose2d',
  category: 'convolution',
  params: convTransposeParams('(N, C, H, W)', '(C, outChannels/groups, kH, kW)'),
  impl: (a: ConvTransposeArgs) => convTransposeNd('convTranspose2d', 2, a),
});

export const convTranspose2dDocs: Docs = {
  summary:
    'Spreads each input position over a window of the output planes: a 2-D transposed convolution, the gradient of `F.conv2d` with respect to its input.',
  formula:
    'y[n, o, i·sH + s·dH − pH, j·sW + t·dW − pW] += w[c, o, s, t] · x[n, c, i, j]   (summed over c in o’s group, i, j, s, t), then + b[o]',
  details:
    'Input `(N, C, H, W)` or `(C, H, W)`, weight `(C, outChannels/groups, kH, kW)`; each output size is `(size − 1)·stride − 2·padding + dilation·(kernel − 1) + outputPadding + 1`, with `outputPadding` smaller than the stride or the dilation in each dimension. Computed as a GEMM per group and col2im (see `F.convTranspose1d`); the gradients are those ops’. `nn.ConvTranspose2d` learns the weight and bias and can pick `outputPadding` from a requested output size.',
  differences: convTransposeDifferences,
  example: `const x = tensor([[[[1, 2], [3, 4]]]]);
const w = ones([1, 1, 2, 2]);
console.log(F.convTranspose2d(x, w, null, 2).toString());
// tensor([[[[1., 1., 2., 2.],
//           [1., 1., 2., 2.],
//           [3., 3., 4., 4.],
//           [3., 3., 4., 4.]]]])
console.log(F.convTranspose2d(x, w, { stride: 2, padding: 1, outputPadding: 1 }).shape); // [ 1, 1, 3, 3 ]`,
  samples: [
    {
      inputs: { input: 'randn(2, 3, 4, 5)', weight: 'randn(3, 2, 3, 2)', bias: 'randn(2)' },
      args: {},
    },
    {
      inputs: { input: 'randn(1, 4, 3, 4)', weight: 'randn(4, 3, 3, 3)', bias: 'randn(6)' },
      args: { stride: [2, 1], padding: [1, 2], outputPadding: [1, 0], groups: 2, dilation: [1, 2] },
      positional: 4,
    },
    {
      inputs: { input: 'randn(2, 3, 3)', weight: 'randn(2, 3, 2, 3)' },
      args: { stride: 2, padding: 1, outputPadding: [1, 2], dilation: [2, 3] },
    },
    {
      label: 'an empty batch',
      inputs: { input: 'randn(0, 2, 3, 3)', weight: 'randn(2, 2, 2, 2)', bias: 'randn(2)' },
      args: { stride: 2 },
    },
  ],
};

export const convTranspose3d = defineFunction({
  name: 'convTranspose3d',
  torch: 'torch.nn.functional.conv_transpose3d',
  category: 'convolution',
  params: convTransposeParams('(N, C, D, H, W)', '(C, outChannels/groups, kD, kH, kW)'),
  impl: (a: ConvTransposeArgs) => convTransposeNd('convTranspose3d', 3, a),
});

export const convTranspose3dDocs: Docs = {
  summary:
    'Spreads each input position over a window of the output volumes: a 3-D transposed convolution, the gradient of `F.conv3d` with respect to its input.',
  formula:
    'y[n, o, i·sD + r·dD − pD, j·sH + s·dH − pH, l·sW + t·dW − pW] += w[c, o, r, s, t] · x[n, c, i, j, l]   (summed over c in o’s group, i, j, l, r, s, t), then + b[o]',
  details:
    'Input `(N, C, D, H, W)` or `(C, D, H, W)`, weight `(C, outChannels/groups, kD, kH, kW)`; each output size as in `F.convTranspose2d`. Computed as a GEMM per group, then each (depth tap, input depth) slice of the columns summed into an (H, W) plane by col2im and the planes added at their depths; the gradients are those ops’. `nn.ConvTranspose3d` learns the weight and bias and can pick `outputPadding` from a requested output size.',
  differences: convTransposeDifferences,
  example: `const x = ones([1, 1, 1, 1, 2]);
const w = ones([1, 1, 2, 1, 1]);
console.log(F.convTranspose3d(x, w).shape); // [ 1, 1, 2, 1, 2 ]
console.log(F.convTranspose3d(x, w, null, [1, 1, 2]).flatten().toString()); // tensor([1., 0., 1., 1., 0., 1.])`,
  samples: [
    {
      inputs: { input: 'randn(2, 3, 3, 4, 2)', weight: 'randn(3, 2, 2, 3, 2)', bias: 'randn(2)' },
      args: {},
    },
    {
      inputs: { input: 'randn(1, 4, 3, 2, 3)', weight: 'randn(4, 3, 3, 2, 3)', bias: 'randn(6)' },
      args: {
        stride: [2, 1, 2],
        padding: [1, 0, 2],
        outputPadding: [1, 0, 1],
        groups: 2,
        dilation: [1, 2, 1],
      },
      positional: 4,
    },
    {
      inputs: { input: 'randn(2, 2, 3, 3)', weight: 'randn(2, 3, 2, 2, 3)' },
      args: { stride: 2, padding: 1, outputPadding: [1, 0, 1], dilation: [2, 1, 3] },
    },
    {
      label: 'an empty batch',
      inputs: { input: 'randn(0, 2, 2, 3, 3)', weight: 'randn(2, 2, 2, 2, 2)', bias: 'randn(2)' },
      args: { stride: 2 },
    },
  ],
};

const windowParams = [
  param('kernelSize', T.intOrList(1), { doc: 'The window’s size, (kH, kW) or one for both.' }),
  perDim('dilation', 1, 1, 'Spacing between window elements.'),
  param('padding', T.intOrList(0), {
    default: 0,
    doc: 'Zeros added on both sides of each spatial dimension.',
  }),
  perDim('stride', 1, 1, 'Step between window starts.'),
];

export const unfold = defineFunction({
  name: 'unfold',
  torch: 'torch.nn.functional.unfold',
  category: 'convolution',
  params: [
    input('The input `(N, C, H, W)` or one sample `(C, H, W)` (float32 or float64).'),
    ...windowParams,
  ],
  impl: (a: UnfoldArgs) => unfoldImpl(a),
  module: { name: 'Unfold', repr: ['kernelSize', 'dilation', 'padding', 'stride'] },
});

export const unfoldDocs: Docs = {
  summary:
    'Cuts the sliding windows of a batch of images into columns (im2col): one column per window.',
  formula: 'out[n, c·kH·kW + s·kW + t, i·L_W + j] = x[n, c, i·sH + s·dH − pH, j·sW + t·dW − pW]',
  details:
    'Output `(N, C·kH·kW, L)` with `L = L_H·L_W` windows, each count `⌊(size + 2·padding − dilation·(kernel − 1) − 1)/stride⌋ + 1`; taps in the padding read 0. A convolution is `weight.reshape([O, -1]).matmul(F.unfold(x, k))`. The gradient sums each column back (`F.fold`). `nn.Unfold` wraps it. This is `torch.nn.functional.unfold`, not `Tensor.unfold` (one dimension, a view).',
  example: `const x = tensor([[[[1, 2, 3], [4, 5, 6]]]]);
console.log(F.unfold(x, [2, 2]).toString());
// tensor([[[1., 2.],
//          [2., 3.],
//          [4., 5.],
//          [5., 6.]]])`,
  samples: [
    { inputs: { input: 'randn(2, 3, 5, 6)' }, args: { kernelSize: [2, 3] } },
    {
      inputs: { input: 'randn(2, 4, 5)' },
      args: { kernelSize: 3, dilation: [1, 2], padding: [2, 1], stride: [2, 1] },
    },
  ],
};

export const fold = defineFunction({
  name: 'fold',
  torch: 'torch.nn.functional.fold',
  category: 'convolution',
  params: [
    input(
      'Columns `(N, C·kH·kW, L)` or `(C·kH·kW, L)`, one per window, as `F.unfold` makes them (float32 or float64).',
    ),
    param('outputSize', T.intOrList(1), {
      doc: 'The planes’ size (H, W), or one for both.',
    }),
    ...windowParams,
  ],
  impl: (a: FoldArgs) => foldImpl(a),
  module: { name: 'Fold', repr: ['outputSize', 'kernelSize', 'dilation', 'padding', 'stride'] },
});

export const foldDocs: Docs = {
  summary:
    'Sums columns of sliding windows back into a batch of images (col2im), the adjoint of `F.unfold`.',
  formula:
    'y[n, c, h, w] = Σ over the taps (s, t) of windows (i, j) at (h, w) of x[n, c·kH·kW + s·kW + t, i·L_W + j]',
  details:
    'Input `(N, C·kH·kW, L)` with `L` the number of windows `F.unfold` would cut from planes of `outputSize` with the same arguments; output `(N, C, H, W)`. Where windows overlap their taps add up; taps in the padding are dropped. `F.fold(F.unfold(x, k), size, k)` multiplies each element by the number of windows that cover it. `nn.Fold` wraps it.',
  example: `const cols = ones([1, 4, 2]);
console.log(F.fold(cols, [2, 3], 2).toString());
// tensor([[[[1., 2., 1.],
//           [1., 2., 1.]]]])`,
  samples: [
    { inputs: { input: 'randn(2, 12, 20)' }, args: { outputSize: [5, 6], kernelSize: 2 } },
    {
      inputs: { input: 'randn(18, 9)' },
      args: { outputSize: 5, kernelSize: [3, 2], dilation: [2, 1], padding: 1, stride: [1, 2] },
    },
  ],
};
