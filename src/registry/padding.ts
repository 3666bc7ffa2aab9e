/**
 * Padding: `F.pad`, PyTorch's signature. The computation is
 * src/functional/padding.ts; the modules (`nn.ConstantPad1d`, `nn.ZeroPad2d`,
 * `nn.ReflectionPad2d`, …) are written by hand (src/nn/padding.ts) around it.
 */
import * as T from '../signature/types.js';
import { defineFunction, param, type Docs } from './define.js';
import { input } from './params.js';
import { padImpl } from '../functional/padding.js';

export const pad = defineFunction({
  name: 'pad',
  torch: 'torch.nn.functional.pad',
  category: 'padding',
  params: [
    input('The input (float32, float64 or int32).'),
    param('pad', T.intList(), {
      doc: 'Amounts before and after each padded dimension, the last dimension first: `[left, right, top, bottom, …]`; negative crops (constant mode).',
    }),
    param('mode', T.oneOf('constant', 'reflect', 'replicate', 'circular'), {
      default: 'constant',
      doc: "`'constant'` (the value), `'reflect'` (mirrored, edges not repeated), `'replicate'` (the edge repeated) or `'circular'` (wrapped around).",
    }),
    param('value', T.optional(T.number()), {
      default: null,
      doc: 'The constant of `constant` mode (none: 0); the other modes take none.',
    }),
  ],
  impl: padImpl,
});

export const padDocs: Docs = {
  summary:
    'Pads the trailing dimensions with a constant, or with the input mirrored, repeated or wrapped around.',
  formula:
    'out[j] = x[j − before] inside the input; outside: value (constant), x mirrored about the edge (reflect), the edge element (replicate), x[(j − before) mod n] (circular)',
  details:
    "`pad` lists (before, after) amounts from the last dimension backwards: `[1, 2]` pads the last dimension by 1 and 2, `[1, 1, 2, 2]` also the one before by 2 and 2. Constant mode pads any number of dimensions and crops where an amount is negative. The other modes pad the last 1, 2 or 3 dimensions of an input with 1 or 2 more (a batch, or one sample): reflect needs each amount less than the dimension's size, circular at most its size. The output is a new tensor; each input element's gradient is the sum of the gradients of the output elements that copy it. `nn.ConstantPad1d/2d/3d`, `nn.ZeroPad2d`, `nn.ReflectionPad1d/2d/3d` and `nn.ReplicationPad1d/2d/3d` wrap it.",
  differences:
    'Negative amounts in the reflect, replicate and circular modes throw (PyTorch crops, each mode in its own way).',
  example: `const x = tensor([[1, 2, 3]]);
console.log(F.pad(x, [1, 2]).toString()); // tensor([[0., 1., 2., 3., 0., 0.]])
console.log(F.pad(x, [2, 1], 'reflect').toString()); // tensor([[3., 2., 1., 2., 3., 2.]])`,
  samples: [
    { inputs: { input: 'randn(2, 3)' }, args: { pad: [1, 2] } },
    { inputs: { input: 'randn(2, 3, 4)' }, args: { pad: [1, -1, 0, 2], value: 2.5 } },
    { inputs: { input: 'randn(1, 2, 5)' }, args: { pad: [2, 3], mode: 'reflect' } },
    { inputs: { input: 'randn(2, 3, 4)' }, args: { pad: [1, 2, 2, 1], mode: 'replicate' } },
    { inputs: { input: 'randn(1, 2, 3, 4)' }, args: { pad: [3, 4, 1, 0], mode: 'circular' } },
    {
      inputs: { input: 'randn(1, 1, 3, 3, 3)' },
      args: { pad: [1, 1, 2, 0, 0, 1], mode: 'reflect' },
    },
  ],
};
