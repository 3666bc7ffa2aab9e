/**
 * Pooling: `F.maxPool1d/2d/3d` and `F.avgPool1d/2d/3d`,
 * PyTorch's signatures (the max ones return `[output, indices]` with
 * `returnIndices`: `pairWhen`), and `F.maxUnpool1d/2d`. The computation is src/functional/pool.ts; the
 * modules are written by hand (src/nn/pool.ts) for PyTorch's reprs.
 * Then adaptive pooling (`F.adaptiveAvgPool1d/2d/3d`, `F.adaptiveMaxPool1d/2d/3d`)
 * and power-average pooling (`F.lpPool1d/2d`), computed in
 * src/functional/adaptive-pool.ts, with modules generated from the entries.
 */
import * as T from '../signature/types.js';
import { defineFunction, param, type Docs, type Sample } from './define.js';
import { input } from './params.js';
import {
  avgPoolNd,
  maxPoolNd,
  maxUnpoolNd,
  type PoolArgs,
  type UnpoolArgs,
} from '../functional/pool.js';
import {
  adaptiveOutputSize,
  adaptivePoolNd,
  checkNormType,
  lpPoolNd,
  type AdaptivePoolArgs,
  type LpPoolArgs,
} from '../functional/adaptive-pool.js';
import { perDim } from '../functional/windows.js';

const ints = T.intOrList;

const common = (shape: string) =>
  [
    input(`The input \`${shape}\` or one sample without N (float32 or float64).`),
    param('kernelSize', ints(1), { doc: 'The window’s size, per spatial dimension.' }),
    param('stride', T.optional(ints(1)), {
      default: null,
      doc: 'Step between windows (none: the kernel size).',
    }),
    param('padding', ints(0), {
      default: 0,
      doc: 'Implicit padding on both sides, at most half the kernel (−∞ for max, 0 for the average).',
    }),
  ] as const;

const ceilMode = () =>
  param('ceilMode', T.bool, {
    default: false,
    doc: 'Round the output size up: a last, partial window that starts inside the input.',
  });

const returnIndices = () =>
  param('returnIndices', T.bool, {
    default: false,
    doc: 'Also return where each maximum is: `[output, indices]`, the indices int32 and flat within each input plane (`h·W + w`; `d·H·W + h·W + w` in 3-D), for `F.maxUnpool1d/2d/3d`.',
  });

const maxParams = (shape: string) => [
  ...common(shape),
  param('dilation', ints(1), { default: 1, doc: 'Spacing between window elements.' }),
  ceilMode(),
  returnIndices(),
];

const countIncludePad = () =>
  param('countIncludePad', T.bool, {
    default: true,
    doc: 'Count the zero padding in the divisor.',
  });

export const maxPool1d = defineFunction({
  name: 'maxPool1d',
  pairWhen: 'returnIndices',
  torch: 'torch.nn.functional.max_pool1d',
  category: 'pooling',
  params: maxParams('(N, C, L)'),
  impl: (a: PoolArgs) => maxPoolNd('maxPool1d', 1, a),
});

export const maxPool1dDocs: Docs = {
  summary: 'Takes the maximum of each window along the last dimension.',
  formula: 'y[n, c, i] = max_t x[n, c, i·stride + t·dilation − padding]',
  details:
    'Output length `⌊(L + 2·padding − dilation·(kernel − 1) − 1)/stride⌋ + 1` (rounded up with `ceilMode`, as long as the last window starts inside the input or its left padding). NaN wins, as in PyTorch. The gradient goes to the first maximum of each window. With `returnIndices: true` the result is `[output, indices]`: the index `l` of each window’s first maximum in its input row (int32, PyTorch’s int64; never in the padding, no gradient), which `F.maxUnpool1d` takes. `nn.MaxPool1d` wraps it.',
  differences:
    'With several NaNs in a window, the gradient and the index go to the first, PyTorch’s to the last.',
  example: `console.log(F.maxPool1d(tensor([[[1, 3, 2, 5, 4]]]), 2).toString()); // tensor([[[3., 5.]]])
const [y, indices] = F.maxPool1d(tensor([[[1, 3, 2, 5, 4]]]), 2, { returnIndices: true });
console.log(indices.toString()); // tensor([[[1, 3]]], dtype=torch.int32)`,
  samples: [
    { inputs: { input: 'randn(2, 3, 8)' }, args: { kernelSize: 2 } },
    {
      inputs: { input: 'randn(3, 9)' },
      args: { kernelSize: 3, stride: 2, padding: 1, dilation: 2, ceilMode: true },
    },
    // The indices: with padding and ceil mode, and ties (the first maximum).
    {
      inputs: { input: 'randn(2, 3, 9).mul(2).round()' },
      args: { kernelSize: 3, stride: 2, padding: 1, ceilMode: true, returnIndices: true },
    },
    {
      inputs: { input: 'randn(3, 10)' },
      args: { kernelSize: 3, stride: 1, padding: 1, dilation: 2, returnIndices: true },
      positional: 6,
    },
  ],
};

export const maxPool2d = defineFunction({
  name: 'maxPool2d',
  pairWhen: 'returnIndices',
  torch: 'torch.nn.functional.max_pool2d',
  category: 'pooling',
  params: maxParams('(N, C, H, W)'),
  impl: (a: PoolArgs) => maxPoolNd('maxPool2d', 2, a),
});

export const maxPool2dDocs: Docs = {
  summary: 'Takes the maximum of each window over the last two dimensions.',
  formula: 'y[n, c, i, j] = max_{s,t} x[n, c, i·sH + s·dH − pH, j·sW + t·dW − pW]',
  details:
    'Each output size as in `F.maxPool1d`, per dimension. NaN wins; the gradient goes to the first maximum of each window in row-major order. With `returnIndices: true` the result is `[output, indices]`: the flat index `h·W + w` of each window’s first maximum within its input plane (int32, PyTorch’s int64; never in the padding, no gradient), which `F.maxUnpool2d` takes. `nn.MaxPool2d` wraps it.',
  differences:
    'With several NaNs in a window, the gradient and the index go to the first, PyTorch’s to the last.',
  example: `const x = tensor([[[[1, 2], [3, 4]]]]);
console.log(F.maxPool2d(x, 2).toString()); // tensor([[[[4.]]]])
const [y, indices] = F.maxPool2d(x, 2, { returnIndices: true });
console.log(indices.toString()); // tensor([[[[3]]]], dtype=torch.int32)`,
  samples: [
    { inputs: { input: 'randn(2, 3, 6, 6)' }, args: { kernelSize: 2 } },
    {
      inputs: { input: 'randn(1, 2, 7, 8)' },
      args: { kernelSize: [3, 2], stride: [2, 3], padding: [1, 1], ceilMode: true },
    },
    { inputs: { input: 'randn(2, 7, 7)' }, args: { kernelSize: 2, stride: 1, dilation: 2 } },
    {
      inputs: { input: 'randn(2, 2, 7, 8).mul(2).round()' },
      args: {
        kernelSize: [3, 2],
        stride: [2, 3],
        padding: [1, 1],
        ceilMode: true,
        returnIndices: true,
      },
    },
    {
      inputs: { input: 'randn(2, 7, 7)' },
      args: { kernelSize: 3, stride: 1, padding: 1, dilation: [2, 1], returnIndices: true },
      positional: 6,
    },
  ],
};

export const maxPool3d = defineFunction({
  name: 'maxPool3d',
  pairWhen: 'returnIndices',
  torch: 'torch.nn.functional.max_pool3d',
  category: 'pooling',
  params: maxParams('(N, C, D, H, W)'),
  impl: (a: PoolArgs) => maxPoolNd('maxPool3d', 3, a),
});

export const maxPool3dDocs: Docs = {
  summary: 'Takes the maximum of each window over the last three dimensions (volumes, video).',
  formula:
    'y[n, c, i, j, l] = max_{r,s,t} x[n, c, i·sD + r·dD − pD, j·sH + s·dH − pH, l·sW + t·dW − pW]',
  details:
    'Each output size as in `F.maxPool1d`, per dimension. NaN wins; the gradient goes to the first maximum of each window in row-major order. With `returnIndices: true` the result is `[output, indices]`: the flat index `d·H·W + h·W + w` of each window’s first maximum within its input volume (int32, PyTorch’s int64; never in the padding, no gradient), which `F.maxUnpool3d` takes. The windows are cut as `F.conv3d` cuts them. `nn.MaxPool3d` wraps it.',
  differences:
    'With several NaNs in a window, the gradient and the index go to the first, PyTorch’s to the last.',
  example: `const x = tensor([0, 1, 2, 3, 4, 5, 6, 7]).reshape(1, 1, 2, 2, 2);
console.log(F.maxPool3d(x, 2).flatten().toString()); // tensor([7.])
const [y, indices] = F.maxPool3d(x, [1, 2, 2], { returnIndices: true });
console.log(indices.flatten().toString()); // tensor([3, 7], dtype=torch.int32)`,
  samples: [
    { inputs: { input: 'randn(2, 2, 4, 4, 4)' }, args: { kernelSize: 2 } },
    {
      inputs: { input: 'randn(1, 2, 5, 6, 7)' },
      args: { kernelSize: [3, 2, 3], stride: [2, 3, 1], padding: [1, 1, 0], ceilMode: true },
    },
    {
      inputs: { input: 'randn(2, 5, 6, 5)' },
      args: { kernelSize: 2, stride: 1, dilation: [2, 1, 2] },
    },
    {
      inputs: { input: 'randn(1, 2, 5, 6, 4).mul(2).round()' },
      args: {
        kernelSize: [2, 3, 2],
        stride: [2, 2, 1],
        padding: [1, 1, 0],
        ceilMode: true,
        returnIndices: true,
      },
    },
    {
      inputs: { input: 'randn(2, 4, 5, 5)' },
      args: { kernelSize: 3, stride: 1, padding: 1, dilation: [1, 2, 1], returnIndices: true },
      positional: 6,
    },
  ],
};

export const avgPool1d = defineFunction({
  name: 'avgPool1d',
  torch: 'torch.nn.functional.avg_pool1d',
  category: 'pooling',
  params: [...common('(N, C, L)'), ceilMode(), countIncludePad()],
  impl: (a: PoolArgs) => avgPoolNd('avgPool1d', 1, a),
});

export const avgPool1dDocs: Docs = {
  summary: 'Averages each window along the last dimension.',
  formula: 'y[n, c, i] = Σ_t x[n, c, i·stride + t − padding] / divisor',
  details:
    'The divisor is the window clipped to the padded input (`countIncludePad`, the default) or to the input, as PyTorch computes it; the output length is `F.maxPool1d`’s without dilation. `nn.AvgPool1d` wraps it.',
  differences: 'None known.',
  example: `console.log(F.avgPool1d(tensor([[[1, 3, 2, 6]]]), 2).toString()); // tensor([[[2., 4.]]])`,
  samples: [
    { inputs: { input: 'randn(2, 3, 8)' }, args: { kernelSize: 3 } },
    {
      inputs: { input: 'randn(3, 9)' },
      args: { kernelSize: 4, stride: 3, padding: 2, ceilMode: true, countIncludePad: false },
    },
  ],
};

export const avgPool2d = defineFunction({
  name: 'avgPool2d',
  torch: 'torch.nn.functional.avg_pool2d',
  category: 'pooling',
  params: [
    ...common('(N, C, H, W)'),
    ceilMode(),
    countIncludePad(),
    param('divisorOverride', T.optional(T.int()), {
      default: null,
      doc: 'Divide every window by this instead (non-zero).',
    }),
  ],
  impl: (a: PoolArgs) => avgPoolNd('avgPool2d', 2, a),
});

export const avgPool2dDocs: Docs = {
  summary: 'Averages each window over the last two dimensions.',
  formula: 'y[n, c, i, j] = Σ_{s,t} x[n, c, i·sH + s − pH, j·sW + t − pW] / divisor',
  details:
    'The divisor is `divisorOverride`, or the window clipped to the padded input (`countIncludePad`) or to the input, as PyTorch computes it. `nn.AvgPool2d` wraps it.',
  differences: 'None known.',
  example: `const x = tensor([[[[1, 2], [3, 6]]]]);
console.log(F.avgPool2d(x, 2).toString()); // tensor([[[[3.]]]])`,
  samples: [
    { inputs: { input: 'randn(2, 3, 6, 6)' }, args: { kernelSize: 2 } },
    {
      inputs: { input: 'randn(1, 2, 7, 8)' },
      args: { kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false },
    },
    {
      inputs: { input: 'randn(2, 5, 5)' },
      args: { kernelSize: [2, 3], padding: [1, 0], divisorOverride: 4 },
    },
  ],
};

export const avgPool3d = defineFunction({
  name: 'avgPool3d',
  torch: 'torch.nn.functional.avg_pool3d',
  category: 'pooling',
  params: [
    ...common('(N, C, D, H, W)'),
    ceilMode(),
    countIncludePad(),
    param('divisorOverride', T.optional(T.int()), {
      default: null,
      doc: 'Divide every window by this instead (non-zero).',
    }),
  ],
  impl: (a: PoolArgs) => avgPoolNd('avgPool3d', 3, a),
});

export const avgPool3dDocs: Docs = {
  summary: 'Averages each window over the last three dimensions (volumes, video).',
  formula:
    'y[n, c, i, j, l] = Σ_{r,s,t} x[n, c, i·sD + r − pD, j·sH + s − pH, l·sW + t − pW] / divisor',
  details:
    'The divisor is `divisorOverride`, or the window clipped to the padded input (`countIncludePad`) or to the input, as PyTorch computes it. Each window’s (H, W) part is summed first, then those sums over its depth, then divided once (PyTorch adds the elements one by one: the sums can differ in the last bit). `nn.AvgPool3d` wraps it.',
  differences: 'None known.',
  example: `const x = tensor([0, 1, 2, 3, 4, 5, 6, 7]).reshape(1, 1, 2, 2, 2);
console.log(F.avgPool3d(x, 2).flatten().toString()); // tensor([3.5000])`,
  samples: [
    { inputs: { input: 'randn(2, 2, 4, 4, 4)' }, args: { kernelSize: 2 } },
    {
      inputs: { input: 'randn(1, 2, 5, 7, 6)' },
      args: { kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false },
    },
    {
      inputs: { input: 'randn(2, 4, 5, 5)' },
      args: { kernelSize: [2, 3, 1], padding: [1, 0, 0], divisorOverride: 4 },
    },
    {
      inputs: { input: 'randn(1, 3, 5, 4, 6)' },
      args: { kernelSize: [3, 2, 3], stride: [1, 2, 2], padding: [1, 1, 1] },
      positional: 3,
    },
  ],
};

// ---- Max unpooling: the maxima back in place -------------------------------------------------

const unpoolParams = (shape: string, plane: string) =>
  [
    input(`The pooled values \`${shape}\` or one sample without N (float32 or float64).`),
    param('indices', T.tensor, {
      doc: `Where each value goes: int32, of the input’s shape, flat within each output plane (${plane}), as max pooling’s \`returnIndices\` gives them.`,
    }),
    param('kernelSize', ints(1), { doc: 'The pooling’s window size, per spatial dimension.' }),
    param('stride', T.optional(ints(1)), {
      default: null,
      doc: 'The pooling’s step (none: the kernel size).',
    }),
    param('padding', ints(0), { default: 0, doc: 'The pooling’s padding.' }),
    param('outputSize', T.optional(T.intList({ min: 0 })), {
      default: null,
      doc: 'The output’s spatial size (optionally after N and C), strictly within one stride of the default; none: the default `(in − 1)·stride − 2·padding + kernel`.',
    }),
  ] as const;

export const maxUnpool1d = defineFunction({
  name: 'maxUnpool1d',
  torch: 'torch.nn.functional.max_unpool1d',
  category: 'pooling',
  params: unpoolParams('(N, C, L)', '`l`'),
  impl: (a: UnpoolArgs) => maxUnpoolNd('maxUnpool1d', 1, a),
});

export const maxUnpool1dDocs: Docs = {
  summary:
    'Puts each value back where max pooling found it, zeros elsewhere (the inverse of `F.maxPool1d`).',
  formula: 'y[n, c, indices[n, c, i]] = x[n, c, i], y = 0 elsewhere',
  details:
    'The output length is `(L − 1)·stride − 2·padding + kernelSize`, or `outputSize` (`[L]` or `[N, C, L]`, strictly between that length minus and plus `stride`), as `max_unpool1d` computes it. Where an index repeats, the last value wins, as in PyTorch’s CPU kernel; the gradient of each value is the output’s gradient at its index (each repeat gets it). An index outside the output throws. `nn.MaxUnpool1d` wraps it.',
  differences:
    '`kernelSize` and `stride` must be ≥ 1 and `padding` ≥ 0 (PyTorch computes with any).',
  example: `const [y, i] = F.maxPool1d(tensor([[[1, 3, 2, 5]]]), 2, { returnIndices: true });
console.log(i.toString()); // tensor([[[1, 3]]], dtype=torch.int32)
console.log(F.maxUnpool1d(y, i, 2).toString()); // tensor([[[0., 3., 0., 5.]]])`,
  samples: [
    {
      inputs: { input: 'randn(2, 3, 4)', indices: 'max_pool1d_indices((2, 3, 8), 2)' },
      args: { kernelSize: 2 },
    },
    {
      inputs: { input: 'randn(3, 5)', indices: 'max_pool1d_indices((3, 9), 3, 2, 1)' },
      args: { kernelSize: 3, stride: 2, padding: 1, outputSize: [10] },
      positional: 3,
    },
    {
      inputs: { input: 'randn(2, 2, 3)', indices: 'max_pool1d_indices((2, 2, 7), 3, 2)' },
      args: { kernelSize: 3, stride: 2, outputSize: [2, 2, 8] },
    },
    // Repeated indices (overlapping windows pick the same maximum): the last value wins.
    {
      inputs: { input: 'randn(1, 2, 4)', indices: 'tensor([[[1, 1, 2, 1], [0, 3, 3, 3]]])' },
      args: { kernelSize: 2, stride: 1 },
    },
  ],
};

export const maxUnpool2d = defineFunction({
  name: 'maxUnpool2d',
  torch: 'torch.nn.functional.max_unpool2d',
  category: 'pooling',
  params: unpoolParams('(N, C, H, W)', '`h·W + w`'),
  impl: (a: UnpoolArgs) => maxUnpoolNd('maxUnpool2d', 2, a),
});

export const maxUnpool2dDocs: Docs = {
  summary:
    'Puts each value back where max pooling found it, zeros elsewhere (the inverse of `F.maxPool2d`).',
  formula: 'y[n, c, ⌊k/W⌋, k mod W] = x[n, c, i, j] with k = indices[n, c, i, j], y = 0 elsewhere',
  details:
    'Each output size is `(in − 1)·stride − 2·padding + kernelSize`, or `outputSize` (`[H, W]` or `[N, C, H, W]`, each strictly between its default minus and plus the stride), as `max_unpool2d` computes it. Where an index repeats, the last value wins, as in PyTorch’s CPU kernel; the gradient of each value is the output’s gradient at its index. An index outside the output plane throws. `nn.MaxUnpool2d` wraps it.',
  differences:
    '`kernelSize` and `stride` must be ≥ 1 and `padding` ≥ 0 (PyTorch computes with any).',
  example: `const x = tensor([[[[1, 2], [4, 3]]]]);
const [y, i] = F.maxPool2d(x, 2, { returnIndices: true });
console.log(i.toString()); // tensor([[[[2]]]], dtype=torch.int32)
console.log(F.maxUnpool2d(y, i, 2).flatten().toString()); // tensor([0., 0., 4., 0.])`,
  samples: [
    {
      inputs: { input: 'randn(2, 3, 3, 3)', indices: 'max_pool2d_indices((2, 3, 6, 6), 2)' },
      args: { kernelSize: 2 },
    },
    {
      inputs: {
        input: 'randn(1, 2, 4, 3)',
        indices: 'max_pool2d_indices((1, 2, 7, 8), (3, 2), (2, 3), 1)',
      },
      args: { kernelSize: [3, 2], stride: [2, 3], padding: 1, outputSize: [7, 8] },
      positional: 3,
    },
    {
      inputs: { input: 'randn(2, 3, 3)', indices: 'max_pool2d_indices((2, 7, 7), 3, 2)' },
      args: { kernelSize: 3, stride: 2, outputSize: [8, 7] },
    },
  ],
};

export const maxUnpool3d = defineFunction({
  name: 'maxUnpool3d',
  torch: 'torch.nn.functional.max_unpool3d',
  category: 'pooling',
  params: unpoolParams('(N, C, D, H, W)', '`d·H·W + h·W + w`'),
  impl: (a: UnpoolArgs) => maxUnpoolNd('maxUnpool3d', 3, a),
});

export const maxUnpool3dDocs: Docs = {
  summary:
    'Puts each value back where max pooling found it, zeros elsewhere (the inverse of `F.maxPool3d`).',
  formula:
    'y[n, c, ⌊k/(H·W)⌋, ⌊k/W⌋ mod H, k mod W] = x[n, c, i, j, l] with k = indices[n, c, i, j, l], y = 0 elsewhere',
  details:
    'Each output size is `(in − 1)·stride − 2·padding + kernelSize`, or `outputSize` (`[D, H, W]` or `[N, C, D, H, W]`, each strictly between its default minus and plus the stride), as `max_unpool3d` computes it. Where an index repeats, the last value wins; the gradient of each value is the output’s gradient at its index. An index outside the output volume throws. `nn.MaxUnpool3d` wraps it.',
  differences:
    '`kernelSize` and `stride` must be ≥ 1 and `padding` ≥ 0 (PyTorch computes with any).',
  example: `const x = tensor([0, 1, 2, 3, 4, 5, 7, 6]).reshape(1, 1, 2, 2, 2);
const [y, i] = F.maxPool3d(x, 2, { returnIndices: true });
console.log(i.flatten().toString()); // tensor([6], dtype=torch.int32)
console.log(F.maxUnpool3d(y, i, 2).flatten().toString()); // tensor([0., 0., 0., 0., 0., 0., 7., 0.])`,
  samples: [
    {
      inputs: { input: 'randn(2, 2, 2, 3, 2)', indices: 'max_pool3d_indices((2, 2, 4, 6, 4), 2)' },
      args: { kernelSize: 2 },
    },
    {
      inputs: {
        input: 'randn(1, 2, 3, 4, 3)',
        indices: 'max_pool3d_indices((1, 2, 5, 7, 8), (2, 3, 2), (2, 2, 3), 1)',
      },
      args: { kernelSize: [2, 3, 2], stride: [2, 2, 3], padding: 1, outputSize: [5, 7, 8] },
      positional: 3,
    },
    {
      inputs: { input: 'randn(2, 2, 3, 2)', indices: 'max_pool3d_indices((2, 5, 7, 5), 3, 2)' },
      args: { kernelSize: 3, stride: 2, outputSize: [6, 7, 5] },
    },
  ],
};

// ---- Adaptive pooling: an output size instead of a kernel -------------------------------------

const outputSize1d = () =>
  param('outputSize', T.intOrList(0), {
    doc: 'The output length (an integer, or a list of one).',
  });

const outputSize2d = () =>
  param('outputSize', T.intOrNullableList(0), {
    doc: 'The output size `[H, W]`, or one integer for both; a null entry keeps the input’s size.',
  });

const outputSize3d = () =>
  param('outputSize', T.intOrNullableList(0), {
    doc: 'The output size `[D, H, W]`, or one integer for all three; a null entry keeps the input’s size.',
  });

const adaptiveSamples1d: readonly Sample[] = [
  { inputs: { input: 'randn(2, 3, 8)' }, args: { outputSize: 4 } },
  { inputs: { input: 'randn(2, 3, 7)' }, args: { outputSize: 3 }, positional: 1 },
  { inputs: { input: 'randn(3, 5)' }, args: { outputSize: [2] } },
  { inputs: { input: 'randn(2, 2, 3)' }, args: { outputSize: 5 } },
  { inputs: { input: 'randn(2, 6)' }, args: { outputSize: 1 } },
];

const adaptiveSamples2d: readonly Sample[] = [
  { inputs: { input: 'randn(2, 3, 6, 8)' }, args: { outputSize: [3, 4] } },
  { inputs: { input: 'randn(1, 2, 7, 5)' }, args: { outputSize: 3 }, positional: 1 },
  { inputs: { input: 'randn(2, 7, 6)' }, args: { outputSize: [null, 4] } },
  { inputs: { input: 'randn(1, 2, 3, 5)' }, args: { outputSize: [5, null] } },
  { inputs: { input: 'randn(2, 3, 5, 4)' }, args: { outputSize: 1 } },
];

export const adaptiveAvgPool1d = defineFunction({
  name: 'adaptiveAvgPool1d',
  torch: 'torch.nn.functional.adaptive_avg_pool1d',
  category: 'pooling',
  params: [input('The input `(N, C, L)` or `(C, L)` (float32 or float64).'), outputSize1d()],
  check: (a) => void adaptiveOutputSize('adaptiveAvgPool1d', a.outputSize, 1),
  impl: (a: AdaptivePoolArgs) => adaptivePoolNd('adaptiveAvgPool1d', 1, 'avg', a),
  module: { name: 'AdaptiveAvgPool1d', repr: ['outputSize'] },
});

export const adaptiveAvgPool1dDocs: Docs = {
  summary: 'Averages the last dimension down (or up) to a given length.',
  formula: 'y[n, c, i] = mean x[n, c, ⌊i·L/O⌋ : ⌈(i+1)·L/O⌉]',
  details:
    'Window `i` of an input of length `L` pooled to `O` is `[⌊i·L/O⌋, ⌈(i+1)·L/O⌉)`: windows overlap when `O` does not divide `L`, and repeat elements when `O > L`. The gradient is spread evenly over each window, added where windows overlap. `nn.AdaptiveAvgPool1d` wraps it.',
  example: `console.log(F.adaptiveAvgPool1d(tensor([[[1, 2, 3, 4, 5]]]), 2).toString()); // tensor([[[2., 4.]]])`,
  samples: adaptiveSamples1d,
};

export const adaptiveAvgPool2d = defineFunction({
  name: 'adaptiveAvgPool2d',
  torch: 'torch.nn.functional.adaptive_avg_pool2d',
  category: 'pooling',
  params: [input('The input `(N, C, H, W)` or `(C, H, W)` (float32 or float64).'), outputSize2d()],
  check: (a) => void adaptiveOutputSize('adaptiveAvgPool2d', a.outputSize, 2),
  impl: (a: AdaptivePoolArgs) => adaptivePoolNd('adaptiveAvgPool2d', 2, 'avg', a),
  module: { name: 'AdaptiveAvgPool2d', repr: ['outputSize'] },
});

export const adaptiveAvgPool2dDocs: Docs = {
  summary: 'Averages the last two dimensions down (or up) to a given size.',
  formula: 'y[n, c, i, j] = mean x[n, c, ⌊i·H/Hₒ⌋ : ⌈(i+1)·H/Hₒ⌉, ⌊j·W/Wₒ⌋ : ⌈(j+1)·W/Wₒ⌉]',
  details:
    'Windows per dimension as in `F.adaptiveAvgPool1d`. `outputSize: 1` is a global average; a null entry keeps that dimension’s size. `nn.AdaptiveAvgPool2d` wraps it.',
  example: `const x = tensor([[[[1, 2, 3], [4, 5, 6]]]]);
console.log(F.adaptiveAvgPool2d(x, [1, null]).toString()); // tensor([[[[2.5000, 3.5000, 4.5000]]]])`,
  samples: adaptiveSamples2d,
};

const adaptiveSamples3d: readonly Sample[] = [
  { inputs: { input: 'randn(2, 2, 4, 6, 5)' }, args: { outputSize: [2, 3, 2] } },
  { inputs: { input: 'randn(1, 2, 5, 3, 4)' }, args: { outputSize: 2 }, positional: 1 },
  { inputs: { input: 'randn(2, 3, 7, 4)' }, args: { outputSize: [null, 4, 3] } },
  { inputs: { input: 'randn(2, 3, 2, 3, 2)' }, args: { outputSize: 1 } },
];

export const adaptiveAvgPool3d = defineFunction({
  name: 'adaptiveAvgPool3d',
  torch: 'torch.nn.functional.adaptive_avg_pool3d',
  category: 'pooling',
  params: [
    input('The input `(N, C, D, H, W)` or `(C, D, H, W)` (float32 or float64).'),
    outputSize3d(),
  ],
  check: (a) => void adaptiveOutputSize('adaptiveAvgPool3d', a.outputSize, 3),
  impl: (a: AdaptivePoolArgs) => adaptivePoolNd('adaptiveAvgPool3d', 3, 'avg', a),
  module: { name: 'AdaptiveAvgPool3d', repr: ['outputSize'] },
});

export const adaptiveAvgPool3dDocs: Docs = {
  summary: 'Averages the last three dimensions down (or up) to a given size.',
  formula:
    'y[n, c, i, j, l] = mean x[n, c, ⌊i·D/Dₒ⌋ : ⌈(i+1)·D/Dₒ⌉, ⌊j·H/Hₒ⌋ : ⌈(j+1)·H/Hₒ⌉, ⌊l·W/Wₒ⌋ : ⌈(l+1)·W/Wₒ⌉]',
  details:
    'Windows per dimension as in `F.adaptiveAvgPool1d`. `outputSize: 1` is a global average (the end of most 3-D networks); a null entry keeps that dimension’s size. `nn.AdaptiveAvgPool3d` wraps it.',
  example: `const x = tensor([0, 1, 2, 3, 4, 5, 6, 7]).reshape(1, 1, 2, 2, 2);
console.log(F.adaptiveAvgPool3d(x, [1, 1, null]).flatten().toString()); // tensor([3., 4.])`,
  samples: adaptiveSamples3d,
};

export const adaptiveMaxPool1d = defineFunction({
  name: 'adaptiveMaxPool1d',
  pairWhen: 'returnIndices',
  torch: 'torch.nn.functional.adaptive_max_pool1d',
  category: 'pooling',
  params: [
    input('The input `(N, C, L)` or `(C, L)` (float32 or float64).'),
    outputSize1d(),
    returnIndices(),
  ],
  check: (a) => void adaptiveOutputSize('adaptiveMaxPool1d', a.outputSize, 1),
  impl: (a: AdaptivePoolArgs) => adaptivePoolNd('adaptiveMaxPool1d', 1, 'max', a),
  module: { name: 'AdaptiveMaxPool1d', repr: ['outputSize'] },
});

export const adaptiveMaxPool1dDocs: Docs = {
  summary: 'Takes the maximum of each of a given number of windows along the last dimension.',
  formula: 'y[n, c, i] = max x[n, c, ⌊i·L/O⌋ : ⌈(i+1)·L/O⌉]',
  details:
    'Windows as in `F.adaptiveAvgPool1d`. NaN wins; the gradient goes to the first maximum of each window, added where windows overlap. With `returnIndices: true` the result is `[output, indices]`, the index `l` of each window’s first maximum in its input row (int32, no gradient). `nn.AdaptiveMaxPool1d` wraps it.',
  differences:
    'With several NaNs in a window the gradient and the index go to the first, PyTorch’s to the last.',
  example: `console.log(F.adaptiveMaxPool1d(tensor([[[1, 5, 2, 4, 3]]]), 2).toString()); // tensor([[[5., 4.]]])`,
  // Marked pure so that a page without `registry` drops it (src/registry/docs.ts).
  samples: /* @__PURE__ */ adaptiveSamples1d.concat([
    // Ties: the gradient goes to the first maximum of each window.
    { inputs: { input: 'randn(2, 3, 9).mul(2).round()' }, args: { outputSize: 4 } },
    {
      inputs: { input: 'randn(2, 3, 9).mul(2).round()' },
      args: { outputSize: 4, returnIndices: true },
      positional: 2,
    },
    { inputs: { input: 'randn(3, 5)' }, args: { outputSize: 7, returnIndices: true } },
  ]),
};

export const adaptiveMaxPool2d = defineFunction({
  name: 'adaptiveMaxPool2d',
  pairWhen: 'returnIndices',
  torch: 'torch.nn.functional.adaptive_max_pool2d',
  category: 'pooling',
  params: [
    input('The input `(N, C, H, W)` or `(C, H, W)` (float32 or float64).'),
    outputSize2d(),
    returnIndices(),
  ],
  check: (a) => void adaptiveOutputSize('adaptiveMaxPool2d', a.outputSize, 2),
  impl: (a: AdaptivePoolArgs) => adaptivePoolNd('adaptiveMaxPool2d', 2, 'max', a),
  module: { name: 'AdaptiveMaxPool2d', repr: ['outputSize'] },
});

export const adaptiveMaxPool2dDocs: Docs = {
  summary: 'Takes the maximum of each of a given grid of windows over the last two dimensions.',
  formula: 'y[n, c, i, j] = max x[n, c, ⌊i·H/Hₒ⌋ : ⌈(i+1)·H/Hₒ⌉, ⌊j·W/Wₒ⌋ : ⌈(j+1)·W/Wₒ⌉]',
  details:
    'Windows per dimension as in `F.adaptiveAvgPool1d`; a null entry of `outputSize` keeps that dimension’s size. NaN wins; the gradient goes to the first maximum of each window in row-major order, as in PyTorch’s CPU kernel. With `returnIndices: true` the result is `[output, indices]`, the flat index `h·W + w` of each window’s first maximum within its input plane (int32, no gradient). `nn.AdaptiveMaxPool2d` wraps it.',
  differences:
    'With several NaNs in a window the gradient and the index go to the first, PyTorch’s to the last.',
  example: `const x = tensor([[[[1, 2], [3, 4]]]]);
console.log(F.adaptiveMaxPool2d(x, 1).toString()); // tensor([[[[4.]]]])`,
  // Marked pure so that a page without `registry` drops it (src/registry/docs.ts).
  samples: /* @__PURE__ */ adaptiveSamples2d.concat([
    { inputs: { input: 'randn(1, 2, 7, 6).mul(2).round()' }, args: { outputSize: [3, 4] } },
    {
      inputs: { input: 'randn(1, 2, 7, 6).mul(2).round()' },
      args: { outputSize: [3, 4], returnIndices: true },
      positional: 2,
    },
    { inputs: { input: 'randn(2, 5, 4)' }, args: { outputSize: [null, 3], returnIndices: true } },
    { inputs: { input: 'randn(1, 2, 3, 5)' }, args: { outputSize: 1, returnIndices: true } },
  ]),
};

export const adaptiveMaxPool3d = defineFunction({
  name: 'adaptiveMaxPool3d',
  pairWhen: 'returnIndices',
  torch: 'torch.nn.functional.adaptive_max_pool3d',
  category: 'pooling',
  params: [
    input('The input `(N, C, D, H, W)` or `(C, D, H, W)` (float32 or float64).'),
    outputSize3d(),
    returnIndices(),
  ],
  check: (a) => void adaptiveOutputSize('adaptiveMaxPool3d', a.outputSize, 3),
  impl: (a: AdaptivePoolArgs) => adaptivePoolNd('adaptiveMaxPool3d', 3, 'max', a),
  module: { name: 'AdaptiveMaxPool3d', repr: ['outputSize'] },
});

export const adaptiveMaxPool3dDocs: Docs = {
  summary: 'Takes the maximum of each of a given grid of windows over the last three dimensions.',
  formula:
    'y[n, c, i, j, l] = max x[n, c, ⌊i·D/Dₒ⌋ : ⌈(i+1)·D/Dₒ⌉, ⌊j·H/Hₒ⌋ : ⌈(j+1)·H/Hₒ⌉, ⌊l·W/Wₒ⌋ : ⌈(l+1)·W/Wₒ⌉]',
  details:
    'Windows per dimension as in `F.adaptiveAvgPool1d`; a null entry of `outputSize` keeps that dimension’s size. NaN wins; the gradient goes to the first maximum of each window in row-major order, as in PyTorch’s CPU kernel. With `returnIndices: true` the result is `[output, indices]`, the flat index `d·H·W + h·W + w` of each window’s first maximum within its input volume (int32, no gradient). `nn.AdaptiveMaxPool3d` wraps it.',
  differences:
    'With several NaNs in a window the gradient and the index go to the first, PyTorch’s to the last.',
  example: `const x = tensor([0, 1, 2, 3, 4, 5, 6, 7]).reshape(1, 1, 2, 2, 2);
console.log(F.adaptiveMaxPool3d(x, [1, 2, 1]).flatten().toString()); // tensor([5., 7.])`,
  // Marked pure so that a page without `registry` drops it (src/registry/docs.ts).
  samples: /* @__PURE__ */ adaptiveSamples3d.concat([
    { inputs: { input: 'randn(1, 2, 5, 7, 6).mul(2).round()' }, args: { outputSize: [2, 3, 4] } },
    {
      inputs: { input: 'randn(1, 2, 5, 4, 6).mul(2).round()' },
      args: { outputSize: [3, 2, 4], returnIndices: true },
      positional: 2,
    },
    {
      inputs: { input: 'randn(2, 3, 5, 4)' },
      args: { outputSize: [2, null, 3], returnIndices: true },
    },
  ]),
};

// ---- Power-average pooling --------------------------------------------------------------------

const normType = () =>
  param('normType', T.number(), {
    doc: 'The power `p` (not 0): 1 sums each window, large values approach the max.',
  });

const lpStride = () =>
  param('stride', T.optional(ints(1)), {
    default: null,
    doc: 'Step between windows (none: the kernel size).',
  });

const lpCeilMode = () =>
  param('ceilMode', T.bool, {
    default: false,
    doc: 'Round the output size up: a last, partial window that starts inside the input.',
  });

const lpRepr = ['normType', 'kernelSize', 'stride', 'ceilMode'];

export const lpPool1d = defineFunction({
  name: 'lpPool1d',
  torch: 'torch.nn.functional.lp_pool1d',
  category: 'pooling',
  params: [
    input('The input `(N, C, L)` or `(C, L)` (float32 or float64).'),
    normType(),
    param('kernelSize', T.int({ min: 1 }), { doc: 'The window’s length.' }),
    lpStride(),
    lpCeilMode(),
  ],
  check: (a) => checkNormType('lpPool1d', a.normType),
  impl: (a: LpPoolArgs) => lpPoolNd('lpPool1d', 1, a),
  module: { name: 'LPPool1d', repr: lpRepr },
});

export const lpPool1dDocs: Docs = {
  summary: 'Takes the p-norm of each window along the last dimension.',
  formula: 'y[n, c, i] = (Σ_t x[n, c, i·stride + t]^p)^(1/p)',
  details:
    'PyTorch 1.13’s formula: `out = F.avgPool1d(x^p, kernelSize, stride, 0, ceilMode)`, then `(sign(out)·relu(|out|)·kernelSize)^(1/p)`; so a window whose powers sum below 0 (an odd `p`), or a negative `x` with a fractional `p`, gives NaN, and ceil mode’s last, partial window is its mean times the full kernel size. Where a window’s powers sum to 0 the gradient is 0. `nn.LPPool1d` wraps it.',
  example: `console.log(F.lpPool1d(tensor([[[3, 4, 1, 0]]]), 2, 2).toString()); // tensor([[[5., 1.]]])`,
  samples: [
    { inputs: { input: 'randn(2, 3, 8)' }, args: { normType: 2, kernelSize: 3 }, positional: 1 },
    {
      inputs: { input: 'rand(3, 9)' },
      args: { normType: 1.5, kernelSize: 4, stride: 2, ceilMode: true },
    },
    { inputs: { input: 'randn(2, 2, 7)' }, args: { normType: 3, kernelSize: 2, stride: 1 } },
  ],
};

export const lpPool2d = defineFunction({
  name: 'lpPool2d',
  torch: 'torch.nn.functional.lp_pool2d',
  category: 'pooling',
  params: [
    input('The input `(N, C, H, W)` or `(C, H, W)` (float32 or float64).'),
    normType(),
    param('kernelSize', ints(1), { doc: 'The window’s size, per spatial dimension.' }),
    lpStride(),
    lpCeilMode(),
  ],
  check: (a) => {
    checkNormType('lpPool2d', a.normType);
    perDim('lpPool2d', 'kernelSize', a.kernelSize, 2);
    if (a.stride !== null) perDim('lpPool2d', 'stride', a.stride, 2);
  },
  impl: (a: LpPoolArgs) => lpPoolNd('lpPool2d', 2, a),
  module: { name: 'LPPool2d', repr: lpRepr },
});

export const lpPool2dDocs: Docs = {
  summary: 'Takes the p-norm of each window over the last two dimensions.',
  formula: 'y[n, c, i, j] = (Σ_{s,t} x[n, c, i·sH + s, j·sW + t]^p)^(1/p)',
  details:
    'PyTorch 1.13’s formula on `F.avgPool2d`, as in `F.lpPool1d` (the kernel’s element count in place of its length). `nn.LPPool2d` wraps it.',
  example: `const x = tensor([[[[1, 2], [2, 4]]]]);
console.log(F.lpPool2d(x, 2, 2).toString()); // tensor([[[[5.]]]])`,
  samples: [
    {
      inputs: { input: 'randn(2, 3, 6, 6)' },
      args: { normType: 2, kernelSize: [3, 2] },
      positional: 1,
    },
    {
      inputs: { input: 'rand(2, 7, 8)' },
      args: { normType: 1.5, kernelSize: 3, stride: [2, 3], ceilMode: true },
    },
    { inputs: { input: 'randn(1, 2, 5, 5)' }, args: { normType: 1, kernelSize: 2, stride: 1 } },
  ],
};
