/**
 * Linear maps: `F.linear`, `F.bilinear`, `F.embedding` (a lookup: the
 * linear map of one-hot rows) and `F.oneHot` (those rows), PyTorch's signatures. The
 * computation is src/functional/linear.ts; their modules, `nn.Linear` and
 * `nn.Bilinear`, are written by hand (src/nn/linear.ts, src/nn/bilinear.ts)
 * with PyTorch's initialisation.
 */
import * as T from '../signature/types.js';
import { defineFunction, param, type Docs } from './define.js';
import { input } from './params.js';
import { bilinearImpl, linearImpl } from '../functional/linear.js';
import { embeddingImpl, type EmbeddingArgs } from '../functional/embedding.js';
import { oneHotImpl, type OneHotArgs } from '../functional/one-hot.js';

const bias = () =>
  param('bias', T.optional(T.tensor), {
    default: null,
    doc: 'Added to each output, `(outFeatures)` (none: nothing added).',
  });

export const linear = defineFunction({
  name: 'linear',
  torch: 'torch.nn.functional.linear',
  category: 'linear',
  params: [
    input('The input `(*, inFeatures)` (float32 or float64).'),
    param('weight', T.tensor, { doc: 'The weights, `(outFeatures, inFeatures)`.' }),
    bias(),
  ],
  impl: linearImpl,
});

export const linearDocs: Docs = {
  summary: 'Applies the affine map `x·Wᵀ + b` to the last dimension.',
  formula: 'y = x·Wᵀ + b,  x (*, in), W (out, in), b (out)',
  details:
    'One GEMM with the bias added as it stores the output, the kernel `nn.Linear` runs; a bias that only broadcasts to `(out)` (a single value) is added after it. The gradients are `∂x = G·W`, `∂W = Gᵀ·x` and `∂b = Σ G` over the leading dimensions.',
  differences:
    'A 1-D weight throws (PyTorch multiplies by it as a vector); inputs, weight and bias of different dtypes throw.',
  example: `const x = tensor([[1, 2, 3]]);
const w = tensor([[1, 0, 0], [0, 1, 1]]);
console.log(F.linear(x, w, tensor([0.5, -1])).toString()); // tensor([[1.5000, 4.0000]])`,
  samples: [
    { inputs: { input: 'randn(4, 3)', weight: 'randn(2, 3)', bias: 'randn(2)' }, args: {} },
    { inputs: { input: 'randn(2, 3, 5)', weight: 'randn(4, 5)' }, args: {} },
    { inputs: { input: 'randn(3)', weight: 'randn(2, 3)', bias: 'randn(2)' }, args: {} },
  ],
};

export const bilinear = defineFunction({
  name: 'bilinear',
  torch: 'torch.nn.functional.bilinear',
  category: 'linear',
  params: [
    param('input1', T.tensor, { doc: 'The first input, `(*, in1Features)` (float32 or float64).' }),
    param('input2', T.tensor, {
      doc: 'The second input, `(*, in2Features)`, same leading dimensions.',
    }),
    param('weight', T.tensor, { doc: 'The weights, `(outFeatures, in1Features, in2Features)`.' }),
    bias(),
  ],
  impl: bilinearImpl,
});

export const bilinearDocs: Docs = {
  summary: 'Applies the bilinear map `x1ᵀ·W_o·x2 + b_o` for each output `o`.',
  formula: 'y_o = Σ_ij x1_i · W_oij · x2_j + b_o,  x1 (*, in1), x2 (*, in2), W (out, in1, in2)',
  details:
    'Computed as one matrix product of `x1` with the weight laid out `(in1, out·in2)`, then a product with `x2` summed over `in2`; the gradients follow through those ops. `nn.Bilinear` learns `weight` and `bias`.',
  differences: 'Inputs, weight and bias of different dtypes throw.',
  example: `const x1 = tensor([[1, 2]]);
const x2 = tensor([[3, 4]]);
const w = tensor([[[1, 0], [0, 1]]]); // x1·x2
console.log(F.bilinear(x1, x2, w).toString()); // tensor([[11.]])`,
  samples: [
    {
      inputs: {
        input1: 'randn(4, 3)',
        input2: 'randn(4, 2)',
        weight: 'randn(5, 3, 2)',
        bias: 'randn(5)',
      },
      args: {},
    },
    {
      inputs: { input1: 'randn(2, 3, 4)', input2: 'randn(2, 3, 3)', weight: 'randn(2, 4, 3)' },
      args: {},
    },
  ],
};

export const embedding = defineFunction({
  name: 'embedding',
  torch: 'torch.nn.functional.embedding',
  category: 'linear',
  params: [
    param('input', T.tensor, { doc: 'The indices, an int32 tensor of any shape.' }),
    param('weight', T.tensor, {
      doc: 'The table, `(numEmbeddings, embeddingDim)` (float32 or float64).',
    }),
    param('paddingIdx', T.optional(T.int()), {
      default: null,
      doc: 'A row whose gradient stays zero (negative counts from the end).',
    }),
    param('maxNorm', T.optional(T.number({ finite: true, gt: 0 })), {
      default: null,
      doc: 'Rows looked up are first renormalised in place to at most this norm.',
    }),
    param('normType', T.number({ finite: true, gt: 0 }), {
      default: 2,
      doc: 'p of the norm `maxNorm` bounds.',
    }),
    param('scaleGradByFreq', T.bool, {
      default: false,
      doc: 'Scale each row’s gradient by 1 / how often the batch looks it up.',
    }),
    param('sparse', T.bool, {
      default: false,
      doc: 'Sparse gradients: only `false` is supported.',
    }),
  ],
  impl: (a) => embeddingImpl(a as EmbeddingArgs),
});

export const embeddingDocs: Docs = {
  summary: 'Looks up rows of a table: each index of the input becomes that row of `weight`.',
  formula: 'y[…, :] = weight[input[…], :]',
  details:
    'The output has the input’s shape followed by `embeddingDim`. The gradient of a row sums the output gradients of every index that names it (scaled by 1 / its count with `scaleGradByFreq`); the padding row gets none. With `maxNorm`, each distinct row looked up whose p-norm exceeds it is scaled in place first, as PyTorch’s `embedding_renorm_`. `nn.Embedding` is this function on its own table.',
  differences: '`sparse: true` throws (nnkit has no sparse gradients).',
  example: `const table = tensor([[0, 0], [1, 2], [3, 4]]);
console.log(F.embedding(tensor([2, 1, 2], { dtype: 'int32' }), table).toString());
// tensor([[3., 4.],
//         [1., 2.],
//         [3., 4.]])`,
  samples: [
    { inputs: { input: 'randint(0, 5, (2, 3))', weight: 'randn(5, 4)' }, args: {} },
    {
      inputs: { input: 'randint(0, 4, (6,))', weight: 'randn(4, 3)' },
      args: { paddingIdx: -1 },
      positional: 1,
    },
    {
      inputs: { input: 'randint(0, 3, (3, 2))', weight: 'randn(3, 2)' },
      args: { scaleGradByFreq: true },
    },
    {
      inputs: { input: 'randint(0, 6, (4,))', weight: 'randn(6, 3).mul(2)' },
      args: { maxNorm: 1.5, normType: 3 },
    },
  ],
};

export const oneHot = defineFunction({
  name: 'oneHot',
  torch: 'torch.nn.functional.one_hot',
  category: 'linear',
  params: [
    param('input', T.tensor, {
      torchName: 'tensor',
      doc: 'The class indices, an int32 tensor of any shape.',
    }),
    param('numClasses', T.int({ min: -1 }), {
      default: -1,
      doc: 'The number of classes; −1 takes the largest index plus one.',
    }),
  ],
  impl: (a) => oneHotImpl(a as OneHotArgs),
});

export const oneHotDocs: Docs = {
  summary: 'One-hot encoding: each index becomes a row of zeros with a one at that index.',
  formula: 'y[…, c] = 1 if input[…] = c, else 0,  c = 0, …, numClasses − 1',
  details:
    'The output has the input’s shape followed by `numClasses`, and no gradient. Indices must lie in `[0, numClasses)`; with `numClasses` −1 (the default) the count is the largest index plus one, which an empty input cannot tell.',
  differences:
    'The output is int32, PyTorch’s int64 (nnkit’s index dtype, as `argmax` and pooling indices). A `numClasses` below −1 throws where PyTorch reports the class values as too large.',
  example: `const labels = tensor([0, 2, 1], { dtype: 'int32' });
console.log(F.oneHot(labels).toString());
// tensor([[1, 0, 0],
//         [0, 0, 1],
//         [0, 1, 0]], dtype=torch.int32)`,
  samples: [
    { inputs: { input: 'randint(0, 4, (6,))' }, args: { numClasses: 5 }, positional: 1 },
    { inputs: { input: 'tensor([[0, 3], [2, 2]])' } },
    { inputs: { input: 'randint(0, 3, (0, 2))' }, args: { numClasses: 3 } },
  ],
};
