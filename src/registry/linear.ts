/**
 * Linear maps: `F.linear` and `F.bilinear`, PyTorch's signatures. The
 * computation is src/functional/linear.ts; their modules, `nn.Linear` and
 * `nn.Bilinear`, are written by hand (src/nn/linear.ts, src/nn/bilinear.ts)
 * with PyTorch's initialisation.
 */
import * as T from '../signature/types.js';
import { defineFunction, param, type Docs } from './define.js';
import { input } from './params.js';
import { bilinearImpl, linearImpl } from '../functional/linear.js';

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
  samples: [
    { inputs: { input: 'randn(4, 3)', weight: 'randn(2, 3)', bias: 'randn(2)' }, args: {} },
    { inputs: { input: 'randn(2, 3, 5)', weight: 'randn(4, 5)' }, args: {} },
    { inputs: { input: 'randn(3)', weight: 'randn(2, 3)', bias: 'randn(2)' }, args: {} },
  ],
});

export const linearDocs = {
  summary: 'Applies the affine map `x·Wᵀ + b` to the last dimension.',
  formula: 'y = x·Wᵀ + b,  x (*, in), W (out, in), b (out)',
  details:
    'One GEMM with the bias added as it stores the output, the kernel `nn.Linear` runs; a bias that only broadcasts to `(out)` (a single value) is added after it. The gradients are `∂x = G·W`, `∂W = Gᵀ·x` and `∂b = Σ G` over the leading dimensions.',
  differences:
    'A 1-D weight throws (PyTorch multiplies by it as a vector); inputs, weight and bias of different dtypes throw.',
  example: `const x = tensor([[1, 2, 3]]);
const w = tensor([[1, 0, 0], [0, 1, 1]]);
console.log(F.linear(x, w, tensor([0.5, -1])).toString()); // tensor([[1.5000, 4.0000]])`,
} satisfies Docs;

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
});

export const bilinearDocs = {
  summary: 'Applies the bilinear map `x1ᵀ·W_o·x2 + b_o` for each output `o`.',
  formula: 'y_o = Σ_ij x1_i · W_oij · x2_j + b_o,  x1 (*, in1), x2 (*, in2), W (out, in1, in2)',
  details:
    'Computed as one matrix product of `x1` with the weight laid out `(in1, out·in2)`, then a product with `x2` summed over `in2`; the gradients follow through those ops. `nn.Bilinear` learns `weight` and `bias`.',
  differences: 'Inputs, weight and bias of different dtypes throw.',
  example: `const x1 = tensor([[1, 2]]);
const x2 = tensor([[3, 4]]);
const w = tensor([[[1, 0], [0, 1]]]); // x1·x2
console.log(F.bilinear(x1, x2, w).toString()); // tensor([[11.]])`,
} satisfies Docs;
