/**
 * Convolutions: `F.conv1d` and `F.conv2d`, PyTorch's signatures. The
 * computation is src/functional/conv.ts; the modules, `nn.Conv1d` and
 * `nn.Conv2d`, are written by hand (src/nn/conv.ts) with PyTorch's
 * initialisation and padding modes.
 */
import * as T from '../signature/types.js';
import { defineFunction, param, type Docs } from './define.js';
import { input } from './params.js';
import { convNd, type ConvArgs } from '../functional/conv.js';

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
    'Input `(N, C, L)` or `(C, L)`, weight `(outChannels, C/groups, kernel)`, output `(N, outChannels, L_out)` with `L_out = ⌊(L + 2·padding − dilation·(kernel − 1) − 1)/stride⌋ + 1`. Computed as im2col (windows cut by `unfold`, a view) and one GEMM per group with the bias added in its store; the gradients are those ops’. `nn.Conv1d` learns the weight and bias.',
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
