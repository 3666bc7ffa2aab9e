/**
 * The loss functions: PyTorch's signatures (the deprecated `size_average`
 * and `reduce` are skipped, so every parameter after them is keyword-only,
 * as their positions would mean something else in PyTorch), modules, docs.
 */
import * as T from '../signature/types.js';
import { defineFunction, param, skipped, type Docs } from './define.js';
import { classWeight, input, num, reduction, tensorArg } from './params.js';
import * as pointwise from '../functional/loss/pointwise.js';
import { crossEntropyImpl, nllLossImpl } from '../functional/loss/cross-entropy.js';
import * as margin from '../functional/loss/margin.js';
import { gaussianNllLossImpl, poissonNllLossImpl } from '../functional/loss/probabilistic.js';
import { ctcLossImpl } from '../functional/loss/ctc.js';
import type { Tensor } from '../tensor/tensor.js';
import { pairwiseDistance } from './distances.js';

const target = (doc = 'The target, of the input’s shape.') => tensorArg('target', doc);
const deprecated = () => [skipped('size_average'), skipped('reduce')] as const;
const mustMatch =
  'Input and target shapes must be equal (PyTorch broadcasts them, with a warning).';

export const mseLoss = defineFunction({
  name: 'mseLoss',
  torch: 'torch.nn.functional.mse_loss',
  category: 'loss',
  params: [input(), target(), ...deprecated(), reduction()],
  impl: pointwise.mseLossImpl,
  module: { name: 'MSELoss' },
});

export const mseLossDocs: Docs = {
  summary: 'Mean squared error: the L2 loss, which a fit answers with the mean.',
  formula: 'ℓ = (input − target)²,  then the reduction',
  details: 'Gradients flow to the input and the target.',
  differences: mustMatch,
  example: `const pred = tensor([1, 2, 3]);
console.log(F.mseLoss(pred, tensor([1, 2, 5])).toString()); // tensor(1.3333)`,
  samples: [
    { inputs: { input: 'randn(3, 4)', target: 'randn(3, 4)' }, args: { reduction: 'sum' } },
  ],
};

export const l1Loss = defineFunction({
  name: 'l1Loss',
  torch: 'torch.nn.functional.l1_loss',
  category: 'loss',
  params: [input(), target(), ...deprecated(), reduction()],
  impl: pointwise.l1LossImpl,
  module: { name: 'L1Loss' },
});

export const l1LossDocs: Docs = {
  summary: 'Mean absolute error: the L1 loss, which a fit answers with the median.',
  formula: 'ℓ = |input − target|',
  details: 'The gradient is sign(input − target) (0 at a tie), to the input and the target.',
  differences: mustMatch,
  example: `const pred = tensor([1, 2, 3]);
console.log(F.l1Loss(pred, tensor([1, 2, 5]), { reduction: 'sum' }).toString()); // tensor(2.)`,
  samples: [{ inputs: { input: 'randn(3, 4)', target: 'randn(3, 4)' } }],
};

export const smoothL1Loss = defineFunction({
  name: 'smoothL1Loss',
  torch: 'torch.nn.functional.smooth_l1_loss',
  category: 'loss',
  params: [
    input(),
    target(),
    ...deprecated(),
    reduction(),
    num('beta', 1.0, 'Where the loss turns from quadratic to linear (β ≥ 0).', {
      min: 0,
      finite: true,
      range: [0, 3],
    }),
  ],
  impl: pointwise.smoothL1LossImpl,
  module: { name: 'SmoothL1Loss' },
});

export const smoothL1LossDocs: Docs = {
  summary: 'Quadratic near zero, linear beyond β: robust to outliers, smooth at the minimum.',
  formula: 'z = |input − target|;  ℓ = 0.5·z²/β if z < β, else z − 0.5·β  (β = 0: the L1 loss)',
  details:
    "Gradients to the input and the target, including PyTorch's values at the kinks |z| = β.",
  differences: mustMatch,
  example: `const pred = tensor([0, 0]);
console.log(F.smoothL1Loss(pred, tensor([0.5, 3]), { reduction: 'none' }).toString()); // tensor([0.1250, 2.5000])`,
  samples: [{ inputs: { input: 'randn(5)', target: 'randn(5)' }, args: { beta: 0.5 } }],
};

export const huberLoss = defineFunction({
  name: 'huberLoss',
  torch: 'torch.nn.functional.huber_loss',
  category: 'loss',
  params: [
    input(),
    target(),
    reduction(),
    num('delta', 1.0, 'Where the loss turns from quadratic to linear (δ > 0).', {
      gt: 0,
      finite: true,
      range: [0.1, 3],
    }),
  ],
  impl: pointwise.huberLossImpl,
  module: { name: 'HuberLoss' },
});

export const huberLossDocs: Docs = {
  summary: 'The Huber loss: quadratic within δ, linear (slope δ) beyond.',
  formula: 'z = |input − target|;  ℓ = 0.5·z² if z < δ, else δ·(z − 0.5·δ)',
  details: 'Equal to δ·smoothL1Loss with β = δ. Gradients to the input and the target.',
  differences: mustMatch,
  example: `const pred = tensor([0, 0]);
console.log(F.huberLoss(pred, tensor([0.5, 3]), 'none', 2).toString()); // tensor([0.1250, 4.0000])`,
  samples: [
    {
      inputs: { input: 'randn(5)', target: 'randn(5)' },
      args: { reduction: 'sum', delta: 0.5 },
      positional: 2,
    },
  ],
};

export const nllLoss = defineFunction({
  name: 'nllLoss',
  torch: 'torch.nn.functional.nll_loss',
  category: 'loss',
  params: [
    input('Log-probabilities `(C)`, `(N, C)` or `(N, C, d1, …, dk)`.'),
    target('Class indices (int32) `()`, `(N)` or `(N, d1, …, dk)`.'),
    classWeight(),
    skipped('size_average'),
    param('ignoreIndex', T.int({ min: -(2 ** 31), max: 2 ** 31 - 1 }), {
      default: -100,
      doc: "Targets equal to this contribute nothing, not even to 'mean'’s divisor.",
    }),
    skipped('reduce'),
    reduction(),
  ],
  impl: nllLossImpl,
  module: { name: 'NLLLoss', buffers: ['weight'] },
});

export const nllLossDocs: Docs = {
  summary: 'Negative log-likelihood of the target classes, given log-probabilities.',
  formula:
    "ℓ = −w[t]·input[t]  (0 where t = ignoreIndex);  'mean' divides by Σ w[t] over the targets not ignored",
  details:
    "'mean' of nothing (every target ignored, or an empty batch) is NaN, as in PyTorch. The 'none' output has the target's shape.",
  differences:
    'A target outside [0, C) that is not `ignoreIndex` throws before any work; `weight` receives no gradient.',
  example: `const logp = F.logSoftmax(tensor([[2, 0, 0], [0, 0, 2]]), 1);
console.log(F.nllLoss(logp, tensor([0, 2], { dtype: 'int32' })).toString()); // tensor(0.2395)`,
  samples: [
    {
      inputs: { input: 'log_softmax(randn(4, 3))', target: 'randint(0, 3, (4,))' },
      args: { weight: 'rand(3)' },
      positional: 1,
    },
  ],
};

export const crossEntropy = defineFunction({
  name: 'crossEntropy',
  torch: 'torch.nn.functional.cross_entropy',
  category: 'loss',
  params: [
    input('Logits `(C)`, `(N, C)` or `(N, C, d1, …, dk)`.'),
    target(
      'Class indices (int32, the input’s shape without C) or class probabilities (the input’s shape).',
    ),
    classWeight(),
    skipped('size_average'),
    param('ignoreIndex', T.int({ min: -(2 ** 31), max: 2 ** 31 - 1 }), {
      default: -100,
      doc: "Targets equal to this contribute nothing, not even to 'mean'’s divisor.",
    }),
    skipped('reduce'),
    reduction(),
    num('labelSmoothing', 0.0, 'ε in [0, 1]: the target becomes (1 − ε)·onehot + ε/C.', {
      min: 0,
      max: 1,
      range: [0, 1],
    }),
  ],
  impl: crossEntropyImpl,
  module: { name: 'CrossEntropyLoss', buffers: ['weight'] },
});

export const crossEntropyDocs: Docs = {
  summary: 'Cross-entropy between logits and target classes (or class probabilities).',
  formula:
    'ℓ = (1 − ε)·(−w[t]·log softmax(x)[t]) + (ε/C)·(−Σ_c w[c]·log softmax(x)[c]);  probabilities p: ℓ = −Σ_c w[c]·p′[c]·log softmax(x)[c], p′ = (1 − ε)·p + ε/C',
  details:
    "Class indices: 'mean' divides by Σ w[t] over the targets not ignored. Probabilities: 'mean' divides by N·d1·…·dk and the target gets a gradient. The log-softmax subtracts the row maximum, so huge logits stay finite. Forward and backward are one fused kernel.",
  differences:
    '`labelSmoothing` outside [0, 1] throws (PyTorch silently accepts a negative value); a target out of range throws before any work; `weight` receives no gradient.',
  example: `const logits = tensor([[2, 0, 0], [0, 0, 2]]);
const target = tensor([0, 2], { dtype: 'int32' });
console.log(F.crossEntropy(logits, target).toString()); // tensor(0.2395)
console.log(F.crossEntropy(logits, target, { labelSmoothing: 0.1 }).toString()); // tensor(0.3729)`,
  samples: [
    {
      inputs: { input: 'randn(4, 3)', target: 'randint(0, 3, (4,))' },
      args: { weight: 'rand(3)', labelSmoothing: 0.1 },
      positional: 1,
    },
  ],
};

export const klDiv = defineFunction({
  name: 'klDiv',
  torch: 'torch.nn.functional.kl_div',
  category: 'loss',
  params: [
    input('Log-probabilities.'),
    target('Probabilities (or log-probabilities with `logTarget`), of the input’s shape.'),
    ...deprecated(),
    reduction(true),
    param('logTarget', T.bool, {
      default: false,
      doc: 'The target is given as log-probabilities.',
    }),
  ],
  impl: pointwise.klDivImpl,
  module: { name: 'KLDivLoss' },
});

export const klDivDocs: Docs = {
  summary: 'Kullback–Leibler divergence of the target distribution from the input’s.',
  formula:
    'ℓ = target·(log target − input)  (0 where target = 0);  logTarget: ℓ = exp(target)·(target − input)',
  details:
    "'batchmean' divides the sum by the batch size (the true KL divergence); 'mean' divides by the number of elements, as PyTorch does. Gradients to the input and the target.",
  differences: mustMatch,
  example: `const logq = F.logSoftmax(tensor([[1, 2, 3]]), 1);
const p = tensor([[0.2, 0.3, 0.5]]);
console.log(F.klDiv(logq, p, { reduction: 'batchmean' }).toString()); // tensor(0.0780)`,
  samples: [
    {
      inputs: { input: 'log_softmax(randn(3, 4))', target: 'softmax(randn(3, 4))' },
      args: { reduction: 'batchmean' },
    },
  ],
};

export const binaryCrossEntropy = defineFunction({
  name: 'binaryCrossEntropy',
  torch: 'torch.nn.functional.binary_cross_entropy',
  category: 'loss',
  params: [
    input('Probabilities in [0, 1].'),
    target('Targets in [0, 1], of the input’s shape.'),
    classWeight('Rescaling weight, broadcast to the input’s shape (no gradient).'),
    ...deprecated(),
    reduction(),
  ],
  impl: pointwise.binaryCrossEntropyImpl,
  module: { name: 'BCELoss', buffers: ['weight'] },
});

export const binaryCrossEntropyDocs: Docs = {
  summary: 'Binary cross-entropy of probabilities.',
  formula: 'ℓ = −w·(target·log(input) + (1 − target)·log(1 − input)),  each log clamped at −100',
  details:
    "The clamp makes 0 and 1 give finite losses; the input's gradient divides by max((1 − input)·input, 1e-12). Gradients to the input and the target.",
  differences:
    'Inputs or targets outside [0, 1] (or NaN) throw before any work (PyTorch’s kernel stops midway).',
  example: `const p = tensor([0.9, 0.2]);
console.log(F.binaryCrossEntropy(p, tensor([1, 0])).toString()); // tensor(0.1643)`,
  samples: [
    { inputs: { input: 'rand(4)', target: 'rand(4)' }, args: { weight: 'rand(4)' }, positional: 1 },
  ],
};

export const binaryCrossEntropyWithLogits = defineFunction({
  name: 'binaryCrossEntropyWithLogits',
  torch: 'torch.nn.functional.binary_cross_entropy_with_logits',
  category: 'loss',
  params: [
    input('Logits.'),
    target('Targets in [0, 1], of the input’s shape.'),
    classWeight('Rescaling weight, broadcast to the input’s shape (no gradient).'),
    ...deprecated(),
    reduction(),
    param('posWeight', T.optional(T.tensor), {
      default: null,
      doc: 'Weight of the positive examples, broadcast to the input’s shape, e.g. one per class (no gradient).',
    }),
  ],
  impl: pointwise.binaryCrossEntropyWithLogitsImpl,
  module: { name: 'BCEWithLogitsLoss', buffers: ['weight', 'posWeight'] },
});

export const binaryCrossEntropyWithLogitsDocs: Docs = {
  summary: 'Binary cross-entropy on logits, computed without overflow.',
  formula: 'ℓ = w·((1 − t)·x + (1 + (p − 1)·t)·softplus(−x)),  p = posWeight (1 if absent)',
  details:
    'Evaluated as (1 − t)·x + m + log(exp(−m) + exp(−x − m)), m = max(−x, 0), so no exponential overflows. Gradients to the input and the target.',
  differences:
    'Input and target shapes must be equal (PyTorch broadcasts them, with a warning). Weights must broadcast to the input’s shape.',
  example: `const logits = tensor([2, -1]);
console.log(F.binaryCrossEntropyWithLogits(logits, tensor([1, 0]), { posWeight: tensor([3]) }).toString()); // tensor(0.3470)`,
  samples: [
    {
      inputs: { input: 'randn(4, 3)', target: 'rand(4, 3)' },
      args: { weight: 'rand(3)', posWeight: 'rand(3) * 3' },
      positional: 1,
    },
  ],
};

export const softMarginLoss = defineFunction({
  name: 'softMarginLoss',
  torch: 'torch.nn.functional.soft_margin_loss',
  category: 'loss',
  params: [input(), target('Labels ±1, of the input’s shape.'), ...deprecated(), reduction()],
  impl: pointwise.softMarginLossImpl,
  module: { name: 'SoftMarginLoss' },
});

export const softMarginLossDocs: Docs = {
  summary: 'Logistic loss for labels ±1.',
  formula: 'ℓ = log(1 + exp(−target·input))',
  details: 'Gradient to the input only (PyTorch does not differentiate the target).',
  differences: mustMatch,
  example: `const x = tensor([2, -1]);
console.log(F.softMarginLoss(x, tensor([1, 1])).toString()); // tensor(0.7201)`,
  samples: [{ inputs: { input: 'randn(4)', target: 'sign(randn(4))' } }],
};

export const marginRankingLoss = defineFunction({
  name: 'marginRankingLoss',
  torch: 'torch.nn.functional.margin_ranking_loss',
  category: 'loss',
  params: [
    tensorArg('input1', 'Scores of the first items.'),
    tensorArg('input2', 'Scores of the second items (same number of dimensions; broadcast).'),
    target('1 where input1 should rank higher, −1 where input2 should.'),
    num('margin', 0, 'The required gap between the scores.', { finite: true, pyDefault: '0.0' }),
    ...deprecated(),
    reduction(),
  ],
  impl: margin.marginRankingLossImpl,
  module: { name: 'MarginRankingLoss' },
});

export const marginRankingLossDocs: Docs = {
  summary: 'Hinge loss on the order of two scores.',
  formula: 'ℓ = max(0, −y·(x1 − x2) + margin)',
  details:
    'The three tensors must have the same number of dimensions and broadcast, as in PyTorch. Gradients to x1 and x2.',
  example: `const s1 = tensor([3, 1]);
const s2 = tensor([1, 2]);
console.log(F.marginRankingLoss(s1, s2, tensor([1, 1]), 0.5).toString()); // tensor(0.7500)`,
  samples: [
    {
      inputs: { input1: 'randn(5, 5)', input2: 'randn(5, 5)', target: 'sign(randn(1, 5))' },
      args: { margin: 0.5 },
      positional: 1,
      label: 'target broadcast',
    },
  ],
};

export const hingeEmbeddingLoss = defineFunction({
  name: 'hingeEmbeddingLoss',
  torch: 'torch.nn.functional.hinge_embedding_loss',
  category: 'loss',
  params: [
    input('Distances (or any scores).'),
    target('Labels ±1, broadcast with the input.'),
    num('margin', 1.0, 'The margin for the −1 labels.', { finite: true }),
    ...deprecated(),
    reduction(),
  ],
  impl: margin.hingeEmbeddingLossImpl,
  module: { name: 'HingeEmbeddingLoss' },
});

export const hingeEmbeddingLossDocs: Docs = {
  summary: 'Pulls pairs labelled 1 together and pushes those labelled −1 beyond a margin.',
  formula: 'ℓ = x where y = 1;  max(0, margin − x) where y = −1',
  details: 'Input and target broadcast, as in PyTorch. Gradient to the input.',
  example: `const d = tensor([0.5, 0.3]);
console.log(F.hingeEmbeddingLoss(d, tensor([1, -1])).toString()); // tensor(0.6000)`,
  samples: [
    {
      inputs: { input: 'randn(5, 2)', target: 'sign(randn(5, 1))' },
      args: { margin: 2 },
      positional: 1,
      label: 'target broadcast',
    },
  ],
};

export const multilabelMarginLoss = defineFunction({
  name: 'multilabelMarginLoss',
  torch: 'torch.nn.functional.multilabel_margin_loss',
  category: 'loss',
  params: [
    input('Scores `(C)` or `(N, C)`.'),
    target("Each row's target classes (int32), ended by the first −1, of the input's shape."),
    ...deprecated(),
    reduction(),
  ],
  impl: margin.multilabelMarginLossImpl,
  module: { name: 'MultiLabelMarginLoss' },
});

export const multilabelMarginLossDocs: Docs = {
  summary: 'Multi-label hinge loss: every target class should outscore every other class by 1.',
  formula: 'ℓ = Σ_j Σ_{i ∉ targets} max(0, 1 − (x[y_j] − x[i])) / C',
  details:
    'A 0-d input has one class and nothing to compare with: the loss is 0, as in PyTorch. Gradient to the input.',
  example: `const x = tensor([[0.1, 0.2, 0.4, 0.8]]);
console.log(F.multilabelMarginLoss(x, tensor([[3, 0, -1, 1]], { dtype: 'int32' })).toString()); // tensor(0.8500)`,
  samples: [
    {
      inputs: {
        input: 'randn(3, 4)',
        target: 'tensor([[3, 0, -1, 1], [1, 2, 3, -1], [0, -1, 2, 2]])',
      },
    },
  ],
};

export const multilabelSoftMarginLoss = defineFunction({
  name: 'multilabelSoftMarginLoss',
  torch: 'torch.nn.functional.multilabel_soft_margin_loss',
  category: 'loss',
  params: [
    input('Logits `(N, C)`.'),
    target('Labels 0/1 of the input’s shape.'),
    classWeight('Per-class weight, broadcast against the input (no gradient).'),
    ...deprecated(),
    reduction(),
  ],
  impl: margin.multilabelSoftMarginLossImpl,
  module: { name: 'MultiLabelSoftMarginLoss', buffers: ['weight'] },
});

export const multilabelSoftMarginLossDocs: Docs = {
  summary: 'Multi-label logistic loss, averaged over the classes.',
  formula: 'ℓ = −(1/C)·Σ_c w[c]·(y[c]·logσ(x[c]) + (1 − y[c])·logσ(−x[c]))',
  details: 'Gradients to the input and the target.',
  differences: mustMatch,
  example: `const x = tensor([[2, -1, 0]]);
console.log(F.multilabelSoftMarginLoss(x, tensor([[1, 0, 1]])).toString()); // tensor(0.3778)`,
  samples: [
    {
      inputs: { input: 'randn(3, 4)', target: 'randint(0, 2, (3, 4)).double()' },
      args: { weight: 'rand(4)' },
      positional: 1,
    },
  ],
};

export const cosineEmbeddingLoss = defineFunction({
  name: 'cosineEmbeddingLoss',
  torch: 'torch.nn.functional.cosine_embedding_loss',
  category: 'loss',
  params: [
    tensorArg('input1', 'Embeddings `(N, D)` or `(D)`.'),
    tensorArg('input2', 'Embeddings of the same shape.'),
    target('Labels ±1: `(N)`, or `()` for unbatched inputs.'),
    num('margin', 0, 'The similarity above which −1 pairs are penalised (in [−1, 1]).', {
      finite: true,
      pyDefault: '0.0',
    }),
    ...deprecated(),
    reduction(),
  ],
  impl: margin.cosineEmbeddingLossImpl,
  module: { name: 'CosineEmbeddingLoss' },
});

export const cosineEmbeddingLossDocs: Docs = {
  summary: 'Pulls pairs labelled 1 towards cosine 1 and pushes pairs labelled −1 below a margin.',
  formula: 'ℓ = 1 − cos(x1, x2) where y = 1;  max(0, cos(x1, x2) − margin) where y = −1',
  details:
    'cos = x1·x2 / √((|x1|² + ε)(|x2|² + ε)) with ε = 1e-12 as a float32 constant, as in PyTorch. Gradients to x1 and x2.',
  example: `const a = tensor([[1, 0], [1, 1]]);
const b = tensor([[1, 1], [1, 1]]);
console.log(F.cosineEmbeddingLoss(a, b, tensor([1, -1])).toString()); // tensor(0.6464)`,
  samples: [
    {
      inputs: { input1: 'randn(4, 3)', input2: 'randn(4, 3)', target: 'sign(randn(4))' },
      args: { margin: 0.2 },
      positional: 1,
    },
  ],
};

export const multiMarginLoss = defineFunction({
  name: 'multiMarginLoss',
  torch: 'torch.nn.functional.multi_margin_loss',
  category: 'loss',
  params: [
    input('Scores `(C)` or `(N, C)` (a 0-d input is one class: the loss is 0).'),
    target('Class indices (int32) `()`/`(1)` or `(N)`.'),
    param('p', T.int({ min: 1, max: 2 }), { default: 1, doc: '1 or 2: the power of the hinge.' }),
    num('margin', 1.0, 'The margin.', { finite: true }),
    classWeight('Per-class weight of the target class, `(C)` (no gradient).'),
    ...deprecated(),
    reduction(),
  ],
  impl: margin.multiMarginLossImpl,
  module: { name: 'MultiMarginLoss', buffers: ['weight'] },
});

export const multiMarginLossDocs: Docs = {
  summary:
    'Multi-class hinge loss: the target class should outscore every other class by a margin.',
  formula: 'ℓ = Σ_{i ≠ y} w[y]·max(0, margin − x[y] + x[i])^p / C',
  details: 'Gradient to the input.',
  example: `const x = tensor([[0.1, 0.2, 0.4, 0.8]]);
console.log(F.multiMarginLoss(x, tensor([3], { dtype: 'int32' })).toString()); // tensor(0.3250)`,
  samples: [
    {
      inputs: { input: 'randn(4, 3)', target: 'randint(0, 3, (4,))' },
      args: { p: 2, margin: 0.5 },
      positional: 2,
    },
  ],
};

export const tripletMarginLoss = defineFunction({
  name: 'tripletMarginLoss',
  torch: 'torch.nn.functional.triplet_margin_loss',
  category: 'loss',
  params: [
    tensorArg('anchor', 'Anchors `(D)` or `(N, D)`.'),
    tensorArg('positive', 'Positives of the same shape.'),
    tensorArg('negative', 'Negatives of the same shape.'),
    num('margin', 1.0, 'The margin.', { finite: true }),
    param('p', T.number({ gt: 0 }), {
      default: 2,
      pyDefault: '2.0',
      doc: 'The order of the pairwise distance.',
    }),
    num('eps', 1e-6, 'Added inside the distance.', { finite: true }),
    param('swap', T.bool, {
      default: false,
      doc: 'Use the positive–negative distance when smaller (distance swap).',
    }),
    ...deprecated(),
    reduction(),
  ],
  impl: margin.tripletMarginLossImpl,
  module: { name: 'TripletMarginLoss' },
});

export const tripletMarginLossDocs: Docs = {
  summary: 'The anchor should be closer to the positive than to the negative, by a margin.',
  formula:
    'ℓ = max(0, margin + d(a, p) − d(a, n)),  d = pairwiseDistance;  swap: d(a, n) ← min(d(a, n), d(p, n))',
  details: 'Gradients to all three inputs.',
  differences: 'The three shapes must be equal.',
  example: `const a = tensor([[0, 0]]);
console.log(F.tripletMarginLoss(a, tensor([[1, 0]]), tensor([[0, 1.5]])).toString()); // tensor(0.5000)`,
  samples: [
    {
      inputs: { anchor: 'randn(4, 3)', positive: 'randn(4, 3)', negative: 'randn(4, 3)' },
      args: { margin: 0.5, p: 1, eps: 1e-5, swap: true },
      positional: 4,
    },
  ],
};

export const tripletMarginWithDistanceLoss = defineFunction({
  name: 'tripletMarginWithDistanceLoss',
  torch: 'torch.nn.functional.triplet_margin_with_distance_loss',
  category: 'loss',
  params: [
    tensorArg('anchor', 'Anchors.'),
    tensorArg('positive', 'Positives.'),
    tensorArg('negative', 'Negatives.'),
    param(
      'distanceFunction',
      T.optional(T.fn<(x1: Tensor, x2: Tensor) => Tensor>('(x1: Tensor, x2: Tensor) => Tensor')),
      {
        default: null,
        kwOnly: true,
        doc: 'The distance between two batches (default: the Euclidean pairwise distance).',
      },
    ),
    num('margin', 1.0, 'The margin (> 0).', { gt: 0, finite: true }),
    param('swap', T.bool, {
      default: false,
      doc: 'Use the positive–negative distance when smaller.',
    }),
    reduction(),
  ],
  impl: margin.tripletMarginWithDistanceLossImpl,
  module: {
    name: 'TripletMarginWithDistanceLoss',
    // PyTorch keeps its default distance as a child module: `(distance_function): PairwiseDistance()`.
    defaultChild: {
      param: 'distanceFunction',
      name: 'distance_function',
      entry: () => pairwiseDistance,
    },
  },
});

export const tripletMarginWithDistanceLossDocs: Docs = {
  summary: 'The triplet loss with a distance of your choice.',
  formula: 'ℓ = max(0, margin + d(a, p) − d(a, n))',
  details: 'Gradients to all three inputs through d.',
  example: `const a = tensor([[0, 0]]);
const l1 = (x, y) => F.l1Loss(x, y, { reduction: 'none' }).sum(1);
console.log(F.tripletMarginWithDistanceLoss(a, tensor([[1, 0]]), tensor([[0, 1.5]]), { distanceFunction: l1 }).toString()); // tensor(0.5000)`,
  samples: [
    {
      inputs: { anchor: 'randn(4, 3)', positive: 'randn(4, 3)', negative: 'randn(4, 3)' },
      args: { margin: 0.5, swap: true },
    },
  ],
};

export const poissonNllLoss = defineFunction({
  name: 'poissonNllLoss',
  torch: 'torch.nn.functional.poisson_nll_loss',
  category: 'loss',
  params: [
    input('Rates, or their logs with `logInput`.'),
    target('Counts, of the input’s shape.'),
    param('logInput', T.bool, { default: true, doc: 'The input is the log of the rate.' }),
    param('full', T.bool, {
      default: false,
      doc: 'Add the Stirling term of log(target!) for targets > 1.',
    }),
    skipped('size_average'),
    num('eps', 1e-8, 'Added inside the log when `logInput` is false.', { finite: true }),
    skipped('reduce'),
    reduction(),
  ],
  impl: poissonNllLossImpl,
  module: { name: 'PoissonNLLLoss' },
});

export const poissonNllLossDocs: Docs = {
  summary: 'Negative log-likelihood of a Poisson distribution.',
  formula:
    'ℓ = exp(x) − y·x  (logInput);  x − y·log(x + eps) otherwise;  full: + y·log y − y + ½·log(2πy) where y > 1',
  details: 'Gradients to the input and the target.',
  differences: mustMatch,
  example: `const logRate = tensor([0, 1]);
console.log(F.poissonNllLoss(logRate, tensor([1, 2])).toString()); // tensor(0.8591)`,
  samples: [
    {
      inputs: { input: 'randn(5)', target: 'rand(5) * 4' },
      args: { logInput: true, full: true },
      positional: 2,
    },
  ],
};

export const gaussianNllLoss = defineFunction({
  name: 'gaussianNllLoss',
  torch: 'torch.nn.functional.gaussian_nll_loss',
  category: 'loss',
  params: [
    input('Predicted means.'),
    target('Observations, broadcast with the input.'),
    tensorArg(
      'var',
      "Predicted variances: the input's shape, or without (or with size 1 in) its last dimension.",
    ),
    param('full', T.bool, { default: false, doc: 'Add the constant ½·log(2π).' }),
    num('eps', 1e-6, 'Variances are clamped to at least this, without affecting the gradient.', {
      min: 0,
      finite: true,
    }),
    reduction(),
  ],
  impl: gaussianNllLossImpl,
  module: {
    name: 'GaussianNLLLoss',
    params: ['*', 'full', 'eps', 'reduction'],
    inputs: ['input', 'target', 'var'],
  },
});

export const gaussianNllLossDocs: Docs = {
  summary: 'Negative log-likelihood of a Gaussian with predicted variances.',
  formula:
    'ℓ = ½·(log(max(var, eps)) + (input − target)² / max(var, eps))  (+ ½·log(2π) with full)',
  details: 'Gradients to the input, the target and `var`. Negative variances throw.',
  example: `const mean = tensor([0, 1]);
console.log(F.gaussianNllLoss(mean, tensor([0.5, 1]), tensor([1, 0.5])).toString()); // tensor(-0.1108)`,
  samples: [
    {
      inputs: { input: 'randn(5)', target: 'randn(1)', var: 'rand(5) + 0.1' },
      args: { full: true },
      positional: 1,
      label: 'target broadcast',
    },
  ],
};

const lengths = T.either(T.tensor, T.either(T.intList({ min: 0 }), T.int({ min: 0 })));

export const ctcLoss = defineFunction({
  name: 'ctcLoss',
  torch: 'torch.nn.functional.ctc_loss',
  category: 'loss',
  params: [
    param('logProbs', T.tensor, { doc: 'Log-softmax outputs `(T, N, C)`, or `(T, C)` unbatched.' }),
    param('targets', T.tensor, {
      doc: 'Int32 targets, padded `(N, S)` or concatenated `(Σ targetLengths)`.',
    }),
    param('inputLengths', lengths, {
      doc: 'One input length per batch element (int32 tensor, array or number).',
    }),
    param('targetLengths', lengths, { doc: 'One target length per batch element.' }),
    param('blank', T.int({ min: 0 }), { default: 0, doc: 'The blank label.' }),
    reduction(),
    param('zeroInfinity', T.bool, {
      default: false,
      doc: 'Replace infinite losses (impossible alignments) and their gradients by 0.',
    }),
  ],
  impl: (a) => ctcLossImpl(a as Parameters<typeof ctcLossImpl>[0]),
  module: { name: 'CTCLoss', inputs: ['logProbs', 'targets', 'inputLengths', 'targetLengths'] },
});

export const ctcLossDocs: Docs = {
  summary:
    'Connectionist temporal classification: the target sequence’s negative log-likelihood over all alignments.',
  formula: 'ℓ = −log Σ_{alignments π of target} Π_t logProbs[t, π_t]',
  details:
    "PyTorch's CPU algorithm: the α recursion in log space forward, β backward. 'mean' divides each loss by its target length (at least 1) and averages over the batch. The gradient assumes `logProbs` come from a log-softmax, as PyTorch's does.",
  differences:
    'Targets equal to `blank` or out of [0, C), input lengths of 0 and non-integer lengths throw before any work.',
  example: `const logProbs = F.logSoftmax(tensor([[[0, 1, 2]], [[2, 1, 0]]]), 2); // (T=2, N=1, C=3)
console.log(F.ctcLoss(logProbs, tensor([[1]], { dtype: 'int32' }), [2], [1]).toString()); // tensor(1.4076)`,
  samples: [
    {
      inputs: { logProbs: 'log_softmax(randn(6, 2, 4))', targets: 'randint(1, 4, (2, 3))' },
      args: { inputLengths: [6, 5], targetLengths: [3, 2], reduction: 'sum' },
      positional: 2,
    },
  ],
};
