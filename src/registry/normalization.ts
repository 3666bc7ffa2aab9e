/**
 * Normalization layers: layer, group, batch, instance and local response normalization,
 * PyTorch's signatures. The computation is src/functional/normalization.ts.
 * `nn.LayerNorm` and `nn.GroupNorm` are generated from their entries
 * (learnable `weight` and `bias`, absent without the affine option);
 * `nn.BatchNorm1d/2d/3d` and `nn.InstanceNorm1d/2d/3d` keep running
 * statistics and are written by hand (src/nn/batchnorm.ts,
 * src/nn/instancenorm.ts) around `F.batchNorm` and `F.instanceNorm`.
 */
import * as T from '../signature/types.js';
import { full } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { defineFunction, param, skipped, type Docs } from './define.js';
import { input } from './params.js';
import {
  batchNormImpl,
  groupNormImpl,
  instanceNormImpl,
  layerNormImpl,
} from '../functional/normalization.js';
import {
  localResponseNormImpl,
  type LocalResponseNormArgs,
} from '../functional/local-response-norm.js';

const weight = (what: string) =>
  param('weight', T.optional(T.tensor), {
    default: null,
    doc: `Scale applied after normalising, ${what} (none: 1).`,
  });

const bias = (what: string) =>
  param('bias', T.optional(T.tensor), {
    default: null,
    doc: `Shift applied after scaling, ${what} (none: 0).`,
  });

const eps = () =>
  param('eps', T.number({ min: 0, finite: true }), {
    default: 1e-5,
    doc: 'Added to the variance before its square root (≥ 0).',
    pyDefault: '1e-05',
  });

const dtype = () =>
  param('dtype', T.optional(T.floatDtype), {
    default: null,
    doc: "The parameters' dtype (float32 unless given).",
  });

/** `weight` of ones and `bias` of zeros of `shape`, or neither without the affine option. */
function affineParameters(
  shape: readonly number[],
  affine: boolean,
  dt: 'float32' | 'float64' | null,
): Record<string, Tensor> {
  if (!affine) return {};
  const dtypeOpt = { dtype: dt ?? 'float32' };
  return { weight: full(shape, 1, dtypeOpt), bias: full(shape, 0, dtypeOpt) };
}

export const layerNorm = defineFunction({
  name: 'layerNorm',
  torch: 'torch.nn.functional.layer_norm',
  category: 'normalization',
  params: [
    input(),
    param('normalizedShape', T.intList({ min: 0 }), {
      doc: 'The sizes of the trailing dimensions to normalise over.',
    }),
    weight('of shape `normalizedShape`'),
    bias('of shape `normalizedShape`'),
    eps(),
  ],
  impl: layerNormImpl,
  module: {
    name: 'LayerNorm',
    params: [
      param('normalizedShape', T.either(T.int({ min: 0 }), T.intList({ min: 0 })), {
        doc: 'The sizes of the trailing dimensions to normalise over (an integer: the last one).',
      }),
      'eps',
      param('elementwiseAffine', T.bool, {
        default: true,
        doc: 'Learn `weight` (ones at first) and `bias` (zeros) of shape `normalizedShape`.',
      }),
      skipped('device'),
      dtype(),
    ],
    inputs: ['input'],
    parameters: ['weight', 'bias'],
    setup: (c) =>
      affineParameters(
        typeof c.normalizedShape === 'number'
          ? [c.normalizedShape]
          : (c.normalizedShape as number[]),
        c.elementwiseAffine as boolean,
        c.dtype as 'float32' | 'float64' | null,
      ),
    repr: [{ param: 'normalizedShape', bare: true, tuple: true }, 'eps', 'elementwiseAffine'],
  },
});

export const layerNormDocs: Docs = {
  summary:
    'Normalises each sample over its last dimensions to mean 0 and variance 1, then scales and shifts.',
  formula: 'y = (x − E[x]) / √(Var[x] + eps) · weight + bias,  E and Var over the last dims',
  details:
    'The variance is the biased one (divided by N). `nn.LayerNorm` learns `weight` and `bias` (state-dict keys `weight`, `bias`) unless `elementwiseAffine` is false. The gradients are exact (autograd through the mean and variance).',
  differences: 'A negative `eps` throws (PyTorch computes with it, NaN where Var + eps < 0).',
  example: `const x = tensor([[1, 2, 3], [2, 2, 5]]);
console.log(F.layerNorm(x, [3]).toString());
// tensor([[-1.2247,  0.0000,  1.2247],
//         [-0.7071, -0.7071,  1.4142]])`,
  samples: [
    { inputs: { input: 'randn(3, 4)' }, args: { normalizedShape: [4] } },
    {
      inputs: { input: 'randn(2, 3, 4)', weight: 'randn(3, 4)', bias: 'randn(3, 4)' },
      args: { normalizedShape: [3, 4], eps: 0.01 },
      positional: 1,
    },
    { inputs: { input: 'randn(2, 5)', bias: 'randn(5)' }, args: { normalizedShape: [5] } },
  ],
};

export const groupNorm = defineFunction({
  name: 'groupNorm',
  torch: 'torch.nn.functional.group_norm',
  category: 'normalization',
  params: [
    input('The input `(N, C, *)` (float32 or float64).'),
    param('numGroups', T.int({ min: 1 }), {
      doc: 'Groups to divide the channels into; must divide `C`.',
    }),
    weight('one per channel'),
    bias('one per channel'),
    eps(),
  ],
  impl: groupNormImpl,
  module: {
    name: 'GroupNorm',
    params: [
      'numGroups',
      param('numChannels', T.int({ min: 0 }), {
        doc: 'The channels `C` of the input (the size of `weight` and `bias`).',
      }),
      'eps',
      param('affine', T.bool, {
        default: true,
        doc: 'Learn a per-channel `weight` (ones at first) and `bias` (zeros).',
      }),
      skipped('device'),
      dtype(),
    ],
    inputs: ['input'],
    parameters: ['weight', 'bias'],
    setup: (c) => {
      if ((c.numChannels as number) % (c.numGroups as number) !== 0) {
        throw new Error(
          `numChannels must be divisible by numGroups, got numChannels = ${String(c.numChannels)} and numGroups = ${String(c.numGroups)}`,
        );
      }
      return affineParameters(
        [c.numChannels as number],
        c.affine as boolean,
        c.dtype as 'float32' | 'float64' | null,
      );
    },
    repr: [
      { param: 'numGroups', bare: true },
      { param: 'numChannels', bare: true },
      'eps',
      'affine',
    ],
  },
});

export const groupNormDocs: Docs = {
  summary:
    'Divides the channels into groups and normalises each group of each sample over its channels and positions, then scales and shifts per channel.',
  formula: 'y = (x − E[x]) / √(Var[x] + eps) · weight_c + bias_c,  E and Var over each group',
  details:
    'Input `(N, C, *)`; `numGroups` must divide `C`. One group is layer normalization over all but the batch dimension; `C` groups is instance normalization. `nn.GroupNorm(numGroups, numChannels)` learns `weight` and `bias` unless `affine` is false.',
  differences: 'A negative `eps` throws.',
  example: `const x = tensor([[1, 3, 0, 4]]);
console.log(F.groupNorm(x, 2).toString()); // tensor([[-1.0000,  1.0000, -1.0000,  1.0000]])`,
  samples: [
    { inputs: { input: 'randn(2, 4, 3)' }, args: { numGroups: 2 }, moduleArgs: { numChannels: 4 } },
    {
      inputs: { input: 'randn(3, 6)', weight: 'randn(6)', bias: 'randn(6)' },
      args: { numGroups: 3, eps: 0.001 },
      positional: 1,
      moduleArgs: { numChannels: 6 },
    },
  ],
};

export const batchNorm = defineFunction({
  name: 'batchNorm',
  torch: 'torch.nn.functional.batch_norm',
  category: 'normalization',
  params: [
    input('The input `(N, C, *)` (float32 or float64).'),
    param('runningMean', T.optional(T.tensor), {
      doc: 'Per-channel running mean: used when not training, updated in place when training.',
    }),
    param('runningVar', T.optional(T.tensor), {
      doc: 'Per-channel running (unbiased) variance, used and updated like `runningMean`.',
    }),
    weight('one per channel'),
    bias('one per channel'),
    param('training', T.bool, {
      default: false,
      doc: "Normalise with the batch's statistics (and update the running ones) instead of the running ones.",
    }),
    param('momentum', T.number({ min: 0, max: 1 }), {
      default: 0.1,
      doc: 'Weight of the batch in the running statistics’ update, in [0, 1].',
    }),
    eps(),
  ],
  impl: batchNormImpl,
});

export const batchNormDocs: Docs = {
  summary:
    'Normalises each channel (dimension 1) over the batch and the other dimensions, then scales and shifts per channel.',
  formula:
    'y = (x − E[x]) / √(Var[x] + eps) · weight_c + bias_c;  training: running ← (1 − momentum)·running + momentum·batch',
  details:
    'In training, the batch’s mean and biased variance normalise the input and the running statistics are updated in place with the batch mean and the unbiased variance (a batch of one value per channel throws, as in PyTorch); otherwise the running statistics normalise it. `nn.BatchNorm1d`, `nn.BatchNorm2d` and `nn.BatchNorm3d` keep the running statistics as buffers.',
  differences:
    'A `momentum` outside [0, 1] or a negative `eps` throws (PyTorch computes with them); an input of fewer than 2 dimensions throws with a message naming it.',
  example: `const x = tensor([[1, 10], [3, 30]]);
const mean = zeros([2]);
const variance = ones([2]);
console.log(F.batchNorm(x, mean, variance, { training: true }).toString());
// tensor([[-1.0000, -1.0000],
//         [ 1.0000,  1.0000]])
console.log(mean.toString(), variance.toString()); // tensor([0.2000, 2.0000]) tensor([ 1.1000, 20.9000])`,
  samples: [
    {
      inputs: { input: 'randn(4, 3)', weight: 'randn(3)', bias: 'randn(3)' },
      args: { runningMean: 'randn(3)', runningVar: 'rand(3)' },
    },
    {
      inputs: { input: 'randn(5, 2, 3)' },
      args: { runningMean: 'randn(2)', runningVar: 'rand(2)', training: true, momentum: 0.3 },
      positional: 2,
    },
    {
      inputs: { input: 'randn(2, 3, 2, 2)', weight: 'randn(3)' },
      args: { runningMean: 'randn(3)', runningVar: 'rand(3)', training: true, eps: 0.1 },
    },
  ],
};

export const instanceNorm = defineFunction({
  name: 'instanceNorm',
  torch: 'torch.nn.functional.instance_norm',
  category: 'normalization',
  params: [
    input('The input `(N, C, *)` (float32 or float64).'),
    param('runningMean', T.optional(T.tensor), {
      default: null,
      doc: "Per-channel running mean: updated in place with the samples' mean statistics when `useInputStats`, else used.",
    }),
    param('runningVar', T.optional(T.tensor), {
      default: null,
      doc: 'Per-channel running (unbiased) variance, updated or used like `runningMean`.',
    }),
    weight('one per channel'),
    bias('one per channel'),
    param('useInputStats', T.bool, {
      default: true,
      doc: "Normalise each sample's channels with their own statistics (else with the running ones).",
    }),
    param('momentum', T.number({ min: 0, max: 1 }), {
      default: 0.1,
      doc: 'Weight of the input in the running statistics’ update, in [0, 1].',
    }),
    eps(),
  ],
  impl: instanceNormImpl,
});

export const instanceNormDocs: Docs = {
  summary:
    'Normalises each channel of each sample over its positions to mean 0 and variance 1, then scales and shifts per channel.',
  formula:
    'y = (x − E[x]) / √(Var[x] + eps) · weight_c + bias_c,  E and Var over the positions of one sample’s channel',
  details:
    'Input `(N, C, *)` with more than one position. With `useInputStats` (the default) each (sample, channel) is normalised with its own mean and biased variance, and running statistics given are updated in place: `running ← (1 − momentum)·running + momentum·s`, averaged over the samples, `s` each sample’s mean or unbiased variance. Without it the running statistics normalise every sample (batch norm’s evaluation). `nn.InstanceNorm1d`, `nn.InstanceNorm2d` and `nn.InstanceNorm3d` wrap it.',
  differences:
    'A `momentum` outside [0, 1] or a negative `eps` throws; an input of fewer than 2 dimensions throws with a message naming it.',
  example: `const x = tensor([[[1, 3], [10, 30]]]);
console.log(F.instanceNorm(x).toString());
// tensor([[[-1.0000,  1.0000],
//          [-1.0000,  1.0000]]])`,
  samples: [
    { inputs: { input: 'randn(2, 3, 4)' }, args: {} },
    {
      inputs: { input: 'randn(2, 3, 2, 3)', weight: 'randn(3)', bias: 'randn(3)' },
      args: { runningMean: 'randn(3)', runningVar: 'rand(3)', momentum: 0.3 },
    },
    {
      inputs: { input: 'randn(3, 2, 5)', bias: 'randn(2)' },
      args: { runningMean: 'randn(2)', runningVar: 'rand(2)', useInputStats: false, eps: 0.01 },
    },
  ],
};

export const localResponseNorm = defineFunction({
  name: 'localResponseNorm',
  torch: 'torch.nn.functional.local_response_norm',
  category: 'normalization',
  params: [
    input('The input `(N, C, *)` with at least one dimension after `C` (float32 or float64).'),
    param('size', T.int({ min: 1 }), { doc: 'How many neighbouring channels each window spans.' }),
    param('alpha', T.number(), { default: 1e-4, doc: 'Multiplies the mean square of the window.' }),
    param('beta', T.number(), { default: 0.75, doc: 'The exponent of the divisor.' }),
    param('k', T.number(), { default: 1, doc: 'Added to the scaled mean square.' }),
  ],
  impl: (a) => localResponseNormImpl(a as LocalResponseNormArgs),
  module: {
    name: 'LocalResponseNorm',
    repr: [{ param: 'size', bare: true }, 'alpha', 'beta', 'k'],
  },
});

export const localResponseNormDocs: Docs = {
  summary:
    'Divides each element by a power of the mean square of its neighbouring channels (AlexNet’s local response normalisation).',
  formula:
    'y[n, c, …] = x[n, c, …] / (k + α/size · Σ_{c′ = c − ⌊size/2⌋}^{c + ⌊(size − 1)/2⌋} x[n, c′, …]²)^β',
  details:
    'Channels outside `[0, C)` count as zeros, so every window’s sum is divided by `size`, as PyTorch pads and average pools. An empty input is returned as it is. The gradient flows through the squares as well as the numerator. `nn.LocalResponseNorm` wraps it.',
  example: `const x = tensor([[[1, 2], [3, 4]]]);
console.log(F.localResponseNorm(x, 2, 1, 0.5, 2).toString());
// tensor([[[0.6325, 1.0000],
//          [1.1339, 1.1547]]])`,
  samples: [
    { inputs: { input: 'randn(2, 5, 3)' }, args: { size: 2 } },
    {
      inputs: { input: 'randn(2, 6, 3, 4)' },
      args: { size: 3, alpha: 0.5, beta: 0.6, k: 1.5 },
      positional: 3,
    },
    { inputs: { input: 'randn(1, 4, 2, 2, 3)' }, args: { size: 5, alpha: 0.1 } },
    { inputs: { input: 'randn(2, 3, 2)' }, args: { size: 8, alpha: 2, beta: 1.5, k: 0.5 } },
    { inputs: { input: 'randn(0, 3, 2)' }, args: { size: 2 } },
  ],
};
