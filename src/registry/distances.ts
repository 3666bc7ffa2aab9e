/**
 * Distances between batches of vectors, the companions of the triplet and
 * cosine-embedding losses.
 */
import * as T from '../signature/types.js';
import { defineFunction, param, type Docs } from './define.js';
import { cosineSimilarityImpl, pairwiseDistanceImpl } from '../functional/distance.js';

const x1 = () => param('x1', T.tensor, { doc: 'The first batch of vectors.' });
const x2 = () => param('x2', T.tensor, { doc: 'The second batch, broadcastable with `x1`.' });

export const pairwiseDistance = defineFunction({
  name: 'pairwiseDistance',
  torch: 'torch.nn.functional.pairwise_distance',
  category: 'distance',
  params: [
    x1(),
    x2(),
    param('p', T.number({ gt: 0 }), {
      default: 2.0,
      doc: 'The order of the norm (> 0, or Infinity).',
    }),
    param('eps', T.number({ finite: true }), {
      default: 1e-6,
      doc: 'Added to the difference, so the norm is never 0.',
    }),
    param('keepdim', T.bool, { default: false, doc: 'Keep the reduced last dimension.' }),
  ],
  impl: pairwiseDistanceImpl,
  module: { name: 'PairwiseDistance' },
});

export const pairwiseDistanceDocs: Docs = {
  summary: 'The p-norm distance between corresponding vectors, along the last dimension.',
  formula: 'd(x1, x2) = ‖x1 − x2 + eps‖_p = (Σ |x1 − x2 + eps|^p)^(1/p)',
  details: 'The Euclidean case has PyTorch’s gradient (x/‖x‖, and 0 where the norm is 0).',
  differences: '`p` must be positive (PyTorch also accepts 0, a count of nonzero differences).',
  example: `const a = tensor([[0, 0], [1, 1]]);
const b = tensor([[3, 4], [1, 1]]);
console.log(F.pairwiseDistance(a, b).toString()); // tensor([5.0000e+00, 1.4142e-06])`,
  samples: [{ inputs: { x1: 'randn(4, 3)', x2: 'randn(4, 3)' }, args: { p: 3 }, positional: 1 }],
};

export const cosineSimilarity = defineFunction({
  name: 'cosineSimilarity',
  torch: 'torch.nn.functional.cosine_similarity',
  category: 'distance',
  params: [
    x1(),
    x2(),
    param('dim', T.int(), { default: 1, doc: 'The dimension of the vectors.' }),
    param('eps', T.number({ min: 0, finite: true }), {
      default: 1e-8,
      doc: 'Each norm is at least this (avoids dividing by 0).',
    }),
  ],
  impl: cosineSimilarityImpl,
  module: { name: 'CosineSimilarity' },
});

export const cosineSimilarityDocs: Docs = {
  summary: 'The cosine of the angle between corresponding vectors.',
  formula: 'cos(x1, x2) = Σ (x1 / max(‖x1‖, eps)) · (x2 / max(‖x2‖, eps))  along dim',
  details:
    'Each vector is normalised before the product, as PyTorch 1.13 computes it; the inputs broadcast.',
  example: `const a = tensor([[1, 0], [1, 1]]);
const b = tensor([[0, 1], [2, 2]]);
console.log(F.cosineSimilarity(a, b).toString()); // tensor([0.0000, 1.0000])`,
  samples: [{ inputs: { x1: 'randn(4, 3)', x2: 'randn(1, 3)' }, args: { dim: 1 }, positional: 1 }],
};
