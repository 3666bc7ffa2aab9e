/**
 * The softmax family: softmax, logSoftmax and softmin along any dimension
 * with nnkit's `temperature` (the lecture's β = 1/T), Softmax2d, and
 * Gumbel-softmax sampling.
 */
import * as T from '../signature/types.js';
import { defineFunction, param, skipped, type Docs } from './define.js';
import { input } from './params.js';
import { softmaxFamily, softmax2dImpl, gumbelSoftmaxImpl } from '../functional/softmax.js';

/** The parameters shared by softmax, logSoftmax and softmin. */
const softmaxParams = () =>
  [
    input(),
    param('dim', T.int(), {
      doc: 'The dimension along which the values sum to 1 (required: PyTorch’s implicit choice is deprecated).',
    }),
    skipped('_stacklevel'),
    param('dtype', T.optional(T.floatDtype), {
      default: null,
      doc: 'Cast the input to this dtype first.',
    }),
    param('temperature', T.number({ gt: 0, finite: true }), {
      default: 1,
      kwOnly: true,
      torchName: null,
      doc: "nnkit's addition: divide the input by this first (β = 1/temperature).",
      range: [0.05, 20],
      logScale: true,
    }),
  ] as const;

const temperatureDifference =
  '`dim` is required (PyTorch’s implicit choice is deprecated); `temperature` is nnkit’s addition.';

export const softmax = defineFunction({
  name: 'softmax',
  torch: 'torch.nn.functional.softmax',
  category: 'softmax',
  params: softmaxParams(),
  impl: (a) => softmaxFamily('softmax', false, 1, a),
  module: {
    name: 'Softmax',
    params: ['dim', '*', 'temperature'],
    repr: ['dim', { param: 'temperature', ifNotDefault: true }],
  },
});

export const softmaxDocs: Docs = {
  summary: 'Normalised exponentials along a dimension: a probability distribution per slice.',
  formula: 'Softmax(x)ᵢ = exp(xᵢ/T) / Σⱼ exp(xⱼ/T),  T = temperature',
  details:
    'Computed with the maximum subtracted, so huge logits stay finite; a slice of −Infinity gives NaN, as in PyTorch. The gradient is y·(g − Σ g·y).',
  differences: temperatureDifference,
  example: `const logits = tensor([[1, 2, 3]]);
console.log(F.softmax(logits, 1).toString()); // tensor([[0.0900, 0.2447, 0.6652]])
console.log(F.softmax(logits, 1, { temperature: 10 }).toString()); // tensor([[0.3006, 0.3322, 0.3672]])`,
  samples: [{ inputs: { input: 'randn(3, 4)' }, args: { dim: 0 }, positional: 1 }],
};

export const logSoftmax = defineFunction({
  name: 'logSoftmax',
  torch: 'torch.nn.functional.log_softmax',
  category: 'softmax',
  params: softmaxParams(),
  impl: (a) => softmaxFamily('logSoftmax', true, 1, a),
  module: {
    name: 'LogSoftmax',
    params: ['dim', '*', 'temperature'],
    repr: ['dim', { param: 'temperature', ifNotDefault: true }],
  },
});

export const logSoftmaxDocs: Docs = {
  summary: 'The log of softmax, computed stably in one pass.',
  formula: 'LogSoftmax(x)ᵢ = xᵢ/T − log Σⱼ exp(xⱼ/T)',
  details: 'The maximum is subtracted before exponentiating. The gradient is g − exp(y)·Σ g.',
  differences: temperatureDifference,
  example: `const logits = tensor([[1, 2, 3]]);
console.log(F.logSoftmax(logits, -1).toString()); // tensor([[-2.4076, -1.4076, -0.4076]])`,
  samples: [{ inputs: { input: 'randn(3, 4)' }, args: { dim: 1 }, positional: 1 }],
};

export const softmin = defineFunction({
  name: 'softmin',
  torch: 'torch.nn.functional.softmin',
  category: 'softmax',
  params: softmaxParams(),
  impl: (a) => softmaxFamily('softmin', false, -1, a),
  module: {
    name: 'Softmin',
    params: ['dim', '*', 'temperature'],
    repr: ['dim', { param: 'temperature', ifNotDefault: true }],
  },
});

export const softminDocs: Docs = {
  summary: 'Softmax of the negated input: small values get large probabilities.',
  formula: 'Softmin(x) = Softmax(−x/T)',
  differences: temperatureDifference,
  example: `const distances = tensor([[1, 2, 3]]);
console.log(F.softmin(distances, 1).toString()); // tensor([[0.6652, 0.2447, 0.0900]])`,
  samples: [{ inputs: { input: 'randn(3, 4)' }, args: { dim: 1 }, positional: 1 }],
};

export const softmax2d = defineFunction({
  name: 'softmax2d',
  torch: 'torch.nn.Softmax2d',
  category: 'softmax',
  functional: false,
  params: [input('A `(C, H, W)` or `(N, C, H, W)` tensor.')],
  impl: softmax2dImpl,
  module: { name: 'Softmax2d', params: [] },
});

export const softmax2dDocs: Docs = {
  summary: 'Softmax over the channels at every spatial location of an image batch.',
  formula: 'Softmax2d(x)[…, c, h, w] = exp(x[…, c, h, w]) / Σ_c′ exp(x[…, c′, h, w])',
  details: 'The same as softmax along dimension −3. PyTorch has only the module.',
  example: `const x = tensor([[[1]], [[2]], [[3]]]); // (C=3, H=1, W=1)
console.log(new nn.Softmax2d().forward(x).toString());
// tensor([[[0.0900]],
//
//         [[0.2447]],
//
//         [[0.6652]]])`,
  samples: [{ inputs: { input: 'randn(2, 3, 2, 2)' } }],
};

export const gumbelSoftmax = defineFunction({
  name: 'gumbelSoftmax',
  torch: 'torch.nn.functional.gumbel_softmax',
  category: 'softmax',
  params: [
    param('logits', T.tensor, { doc: 'Unnormalised log-probabilities.' }),
    param('tau', T.number({ gt: 0, finite: true }), {
      default: 1,
      pyDefault: '1',
      doc: 'The temperature τ > 0.',
      range: [0.05, 10],
      logScale: true,
    }),
    param('hard', T.bool, {
      default: false,
      doc: 'Return one-hot samples whose gradient is the soft sample’s (straight-through).',
    }),
    param('eps', T.number(), {
      default: 1e-10,
      doc: 'Unused; kept for PyTorch’s positions (deprecated there).',
    }),
    param('dim', T.int(), { default: -1, doc: 'The dimension to normalise.' }),
  ],
  impl: gumbelSoftmaxImpl,
});

export const gumbelSoftmaxDocs: Docs = {
  summary: 'Samples from the Gumbel-softmax (concrete) distribution, differentiably.',
  formula:
    'y = softmax((logits + g)/τ),  g = −log(−log U),  U ~ U(0, 1);  hard: onehot(argmax y) − y.detach() + y',
  details:
    "The noise is drawn as PyTorch draws it (`exponential_()`, then `−log`), so after the same `manualSeed` it is PyTorch's noise (float32's log may differ in the last bit).",
  differences: '`tau` must be positive (PyTorch divides by any value).',
  example: `manualSeed(0);
const y = F.gumbelSoftmax(tensor([[1, 2, 3]]), { hard: true });
console.log(y.sum().item()); // 1`,
};
