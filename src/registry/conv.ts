/**
 * Convolutions: `F.conv1d` and `F.conv2d`, and their im2col and col2im,
 * `F.unfold` and `F.fold`, with PyTorch's signatures. The computation is
 * src/functional/conv.ts and src/functional/windows.ts; the convolution
 * modules, `nn.Conv1d` and `nn.Conv2d`, are written by hand
 * (src/nn/conv.ts) with PyTorch's initialisation and padding modes.
 */
import * as T from '../signature/types.js';
import { defineFunction, param, type Docs } from './define.js';
import { input } from './params.js';
import { convNd, type ConvArgs } from '../functional/conv.js';
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
});

export const conv1dDocs = {
  summary:
    'Slides filters along one dimension: a 1-D convolution (cross-correlation) over channels.',
  formula: 'y[n, o, i] = b[o] + Σ_c Σ_t w[o, c, t] · x[n, c, i·stride + t·dilation − padding]',
  details:
    'Input `(N, C, L)` or `(C, L)`, weight `(outChannels, C/groups, kernel)`, output `(N, outChannels, L_out)` with `L_out = ⌊(L + 2·padding − dilation·(kernel − 1) − 1)/stride⌋ + 1`. Computed as im2col (the columns of `F.unfold`, padding included, cut in one pass) and a GEMM per sample and group, then the bias added; the gradients are those ops’ (col2im, `F.fold`, for the input). `nn.Conv1d` learns the weight and bias.',
  differences: 'Inputs, weight and bias of different dtypes throw.',
  example: `const x = tensor([[[1, 2, 3, 4]]]);
const w = tensor([[[1, 0, -1]]]);
console.log(F.conv1d(x, w).toString()); // tensor([[[-2., -2.]]])`,
} satisfies Docs;

export const conv2d = defineFunction({
  name: 'conv2d',
  torch: 'torch.nn.functional.conv2d',
  category: 'convolution',
  params: convParams('(N, C, H, W)', '(outChannels, C/groups, kH, kW)'),
  impl: (a: ConvArgs) => convNd('conv2d', 2, a),
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
});

export const conv2dDocs = {
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
} satisfies Docs;

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
  samples: [
    { inputs: { input: 'randn(2, 3, 5, 6)' }, args: { kernelSize: [2, 3] } },
    {
      inputs: { input: 'randn(2, 4, 5)' },
      args: { kernelSize: 3, dilation: [1, 2], padding: [2, 1], stride: [2, 1] },
    },
  ],
});

export const unfoldDocs = {
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
} satisfies Docs;

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
  samples: [
    { inputs: { input: 'randn(2, 12, 20)' }, args: { outputSize: [5, 6], kernelSize: 2 } },
    {
      inputs: { input: 'randn(18, 9)' },
      args: { outputSize: 5, kernelSize: [3, 2], dilation: [2, 1], padding: 1, stride: [1, 2] },
    },
  ],
});

export const foldDocs = {
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
} satisfies Docs;
