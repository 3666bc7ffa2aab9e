/**
 * The activation functions: one entry each, PyTorch's signature and module,
 * the formula for the docs. Pointwise ones run an elementwise-table kernel
 * (`src/ops/elementwise/table.ts`), which holds the formula and its
 * derivative for every backend.
 */
import type { Tensor } from '../tensor/tensor.js';
import * as T from '../signature/types.js';
import { unaryOp } from '../ops/elementwise/apply.js';
import type { UnaryName } from '../ops/elementwise/table.js';
import { full } from '../tensor/creation.js';
import { defineFunction, param, skipped, type Docs } from './define.js';
import { input, inplace, num } from './params.js';
import { fail } from '../functional/validate.js';
import { rreluImpl, preluImpl, gluImpl, SELU_ALPHA, SELU_SCALE } from '../functional/activation.js';
import { normalizeImpl } from '../functional/distance.js';

/** Runs table entry `kernel` with the named options as its parameters, in the table's order. */
function pointwise(fn: string, kernel: UnaryName, options: readonly string[] = []) {
  return (a: { input: Tensor; inplace?: boolean } & Record<string, unknown>): Tensor =>
    unaryOp(
      kernel,
      a.input,
      options.map((k) => a[k] as number),
      { fn, inplace: a.inplace === true },
    );
}

export const relu = defineFunction({
  name: 'relu',
  torch: 'torch.nn.functional.relu',
  category: 'activation',
  pointwise: true,
  inplaceVariant: true,
  params: [input(), inplace()],
  impl: pointwise('relu', 'relu'),
  module: { name: 'ReLU', repr: [{ param: 'inplace', ifTrue: true }] },
});

export const reluDocs: Docs = {
  summary: 'Rectified linear unit: the positive part of the input.',
  formula: 'ReLU(x) = max(0, x)',
  details: 'NaN propagates. The gradient is 1 for x > 0 and 0 otherwise (0 at x = 0).',
  example: `const x = tensor([-1, 0, 2]);
console.log(F.relu(x).toString()); // tensor([0., 0., 2.])`,
  golden: { kinks: [0] },
  samples: [{ inputs: { input: 'randn(5)' } }],
};

export const rrelu = defineFunction({
  name: 'rrelu',
  torch: 'torch.nn.functional.rrelu',
  category: 'activation',
  pointwise: true,
  inplaceVariant: true,
  params: [
    input(),
    num('lower', 1 / 8, 'Lower bound of the random negative slope.', { range: [0, 1] }),
    num('upper', 1 / 3, 'Upper bound of the random negative slope.', { range: [0, 1] }),
    param('training', T.bool, {
      default: false,
      doc: 'Sample a slope per element (training) or use (lower + upper)/2.',
    }),
    inplace(),
  ],
  check: (a) => {
    if (!(a.lower <= a.upper))
      fail('rrelu', `lower (${a.lower}) must not exceed upper (${a.upper})`);
  },
  impl: rreluImpl,
  module: {
    name: 'RReLU',
    params: ['lower', 'upper', 'inplace'],
    fromMode: 'training',
    repr: ['lower', 'upper', { param: 'inplace', ifTrue: true }],
  },
  variants: [{ label: 'rrelu (eval)' }],
});

export const rreluDocs: Docs = {
  summary:
    'Randomized leaky ReLU: in training a random slope a ~ U(lower, upper) per negative element, else the mean slope.',
  formula:
    'RReLU(x) = x if x ≥ 0, else a·x;  a ~ U(lower, upper) in training, (lower + upper)/2 in eval',
  details:
    "Training slopes are drawn as PyTorch draws them (one double uniform per non-positive element), so after the same `manualSeed` they are PyTorch's.",
  differences: '`lower > upper` throws (PyTorch samples from an empty range).',
  example: `const x = tensor([-2, 3]);
console.log(F.rrelu(x).toString()); // tensor([-0.4583,  3.0000])`,
  golden: { options: [{}, { lower: 0.1, upper: 0.4 }], kinks: [0] },
  samples: [{ inputs: { input: 'randn(5)' }, args: { lower: 0.1, upper: 0.3 }, positional: 2 }],
};

export const leakyRelu = defineFunction({
  name: 'leakyRelu',
  torch: 'torch.nn.functional.leaky_relu',
  category: 'activation',
  pointwise: true,
  inplaceVariant: true,
  params: [input(), num('negativeSlope', 0.01, 'Slope for x < 0.', { range: [-1, 1] }), inplace()],
  impl: pointwise('leakyRelu', 'leakyRelu', ['negativeSlope']),
  module: { name: 'LeakyReLU', repr: ['negativeSlope', { param: 'inplace', ifTrue: true }] },
  variants: [{ label: 'leakyRelu', args: { negativeSlope: 0.1 } }],
});

export const leakyReluDocs: Docs = {
  summary: 'Leaky ReLU: a small slope for negative inputs keeps their gradient alive.',
  formula: 'LeakyReLU(x) = x if x > 0, else negativeSlope·x',
  details: 'The gradient at x = 0 is negativeSlope, as in PyTorch.',
  example: `const x = tensor([-1, 2]);
console.log(F.leakyRelu(x, 0.2).toString()); // tensor([-0.2000,  2.0000])`,
  golden: { options: [{}, { negativeSlope: 0.2 }, { negativeSlope: -0.5 }], kinks: [0] },
  samples: [{ inputs: { input: 'randn(5)' }, args: { negativeSlope: 0.2 }, positional: 1 }],
};

export const prelu = defineFunction({
  name: 'prelu',
  torch: 'torch.nn.functional.prelu',
  category: 'activation',
  pointwise: true,
  params: [
    input(),
    param('weight', T.tensor, {
      doc: 'The learnable slope: one element, or one per channel (dimension 1 of the input).',
    }),
  ],
  impl: preluImpl,
  module: {
    name: 'PReLU',
    params: [
      param('numParameters', T.int({ min: 1 }), {
        default: 1,
        doc: 'Number of slopes: 1 (shared) or the number of channels.',
      }),
      param('init', T.number(), {
        default: 0.25,
        doc: 'Initial value of every slope.',
        range: [-1, 1],
      }),
      skipped('device'),
      param('dtype', T.optional(T.floatDtype), {
        default: null,
        doc: "The slopes' dtype (float32 unless given).",
      }),
    ],
    inputs: ['input'],
    parameters: ['weight'],
    setup: (c) => ({
      weight: full([c.numParameters as number], c.init as number, {
        dtype: (c.dtype as 'float32' | 'float64' | null) ?? 'float32',
      }),
    }),
    repr: ['numParameters'],
  },
  variants: [{ label: 'prelu', args: { weight: full([1], 0.25) } }],
});

export const preluDocs: Docs = {
  summary: 'Parametric ReLU: leaky ReLU whose negative slope is learned.',
  formula: 'PReLU(x) = x if x > 0, else w·x',
  details:
    'The gradient reaches `weight` (summed over the elements sharing each slope). The module `nn.PReLU` holds `weight` as a parameter (state-dict key `weight`).',
  example: `const x = tensor([[-1, 2], [-3, 4]]);
console.log(F.prelu(x, tensor([0.25])).toString());
// tensor([[-0.2500,  2.0000],
//         [-0.7500,  4.0000]])`,
  samples: [{ inputs: { input: 'randn(3, 2)', weight: 'rand(2)' } }],
};

export const softplus = defineFunction({
  name: 'softplus',
  torch: 'torch.nn.functional.softplus',
  category: 'activation',
  pointwise: true,
  params: [
    input(),
    num('beta', 1, 'Sharpness β; must not be 0.', {
      range: [0.1, 10],
      logScale: true,
      pyDefault: '1',
    }),
    num('threshold', 20, 'Above β·x > threshold the function is x.', {
      range: [1, 40],
      pyDefault: '20',
    }),
  ],
  check: (a) => {
    if (a.beta === 0) fail('softplus', 'beta must not be 0, got 0');
  },
  impl: pointwise('softplus', 'softplus', ['beta', 'threshold']),
  module: { name: 'Softplus', repr: ['beta', 'threshold'] },
});

export const softplusDocs: Docs = {
  summary: 'A smooth approximation of ReLU.',
  formula: 'Softplus(x) = log(1 + exp(β·x))/β, and x once β·x > threshold',
  details:
    'Above the threshold log1p(exp(βx))/β equals x to working precision and exp would overflow.',
  differences: 'β = 0 throws (PyTorch returns Infinity).',
  example: `const x = tensor([-1, 0, 1]);
console.log(F.softplus(x, 2).toString()); // tensor([0.0635, 0.3466, 1.0635])`,
  golden: {
    options: [{}, { beta: 2 }, { beta: 0.5, threshold: 5 }, { beta: -1 }],
    kinks: [20, 10, 2.5, -10],
  },
  samples: [{ inputs: { input: 'randn(5)' }, args: { beta: 2, threshold: 5 }, positional: 2 }],
};

/** Runs the shared ELU kernel with ELU's, CELU's or SELU's constants (as PyTorch does). */
function eluKernel(
  fn: string,
  a: { input: Tensor; inplace: boolean },
  alpha: number,
  scale: number,
  inputScale: number,
): Tensor {
  return unaryOp('elu', a.input, [alpha, scale, inputScale], { fn, inplace: a.inplace });
}

export const elu = defineFunction({
  name: 'elu',
  torch: 'torch.nn.functional.elu',
  category: 'activation',
  pointwise: true,
  inplaceVariant: true,
  params: [input(), num('alpha', 1.0, 'Scale of the negative part.', { range: [0, 3] }), inplace()],
  impl: (a) => eluKernel('elu', a, a.alpha, 1, 1),
  module: { name: 'ELU', repr: ['alpha', { param: 'inplace', ifTrue: true }] },
});

export const eluDocs: Docs = {
  summary: 'Exponential linear unit.',
  formula: 'ELU(x) = x if x > 0, else α·(exp(x) − 1)',
  example: `const x = tensor([-1, 2]);
console.log(F.elu(x).toString()); // tensor([-0.6321,  2.0000])`,
  golden: { options: [{}, { alpha: 0.5 }, { alpha: 2.5 }], kinks: [0] },
  samples: [{ inputs: { input: 'randn(5)' }, args: { alpha: 0.5 }, positional: 1 }],
};

export const celu = defineFunction({
  name: 'celu',
  torch: 'torch.nn.functional.celu',
  category: 'activation',
  pointwise: true,
  inplaceVariant: true,
  params: [
    input(),
    num('alpha', 1.0, 'Scale α of the negative part; must not be 0.', { range: [0.1, 3] }),
    inplace(),
  ],
  check: (a) => {
    if (a.alpha === 0) fail('celu', 'alpha must not be 0, got 0');
  },
  impl: (a) => eluKernel('celu', a, a.alpha, 1, 1 / a.alpha),
  module: { name: 'CELU', repr: ['alpha', { param: 'inplace', ifTrue: true }] },
  variants: [{ label: 'celu', args: { alpha: 2 } }],
});

export const celuDocs: Docs = {
  summary: 'Continuously differentiable ELU.',
  formula: 'CELU(x) = max(0, x) + min(0, α·(exp(x/α) − 1))',
  differences: 'α = 0 throws (PyTorch divides by zero).',
  example: `const x = tensor([-1, 2]);
console.log(F.celu(x, 2).toString()); // tensor([-0.7869,  2.0000])`,
  golden: { options: [{}, { alpha: 0.5 }, { alpha: 3 }], kinks: [0] },
  samples: [{ inputs: { input: 'randn(5)' }, args: { alpha: 2 }, positional: 1 }],
};

export const selu = defineFunction({
  name: 'selu',
  torch: 'torch.nn.functional.selu',
  category: 'activation',
  pointwise: true,
  inplaceVariant: true,
  params: [input(), inplace()],
  impl: (a) => eluKernel('selu', a, SELU_ALPHA, SELU_SCALE, 1),
  module: { name: 'SELU', repr: [{ param: 'inplace', ifTrue: true }] },
});

export const seluDocs: Docs = {
  summary: 'Scaled ELU with the self-normalising constants of Klambauer et al. (2017).',
  formula: 'SELU(x) = scale·(max(0, x) + min(0, α·(exp(x) − 1))),  α ≈ 1.6733, scale ≈ 1.0507',
  example: `const x = tensor([-1, 2]);
console.log(F.selu(x).toString()); // tensor([-1.1113,  2.1014])`,
  golden: { kinks: [0] },
  samples: [{ inputs: { input: 'randn(5)' } }],
};

export const gelu = defineFunction({
  name: 'gelu',
  torch: 'torch.nn.functional.gelu',
  category: 'activation',
  pointwise: true,
  params: [
    input(),
    param('approximate', T.oneOf('none', 'tanh'), {
      default: 'none',
      kwOnly: true,
      doc: "`'none'`: exact, with erf; `'tanh'`: the tanh approximation.",
    }),
  ],
  impl: (a) => unaryOp(a.approximate === 'tanh' ? 'geluTanh' : 'gelu', a.input, [], { fn: 'gelu' }),
  module: { name: 'GELU', params: ['approximate'], repr: ['approximate'] },
  variants: [{ label: 'gelu' }, { label: 'geluTanh', args: { approximate: 'tanh' } }],
});

export const geluDocs: Docs = {
  summary: 'Gaussian error linear unit: x weighted by the standard normal CDF Φ(x).',
  formula:
    "GELU(x) = x·Φ(x) = x/2·(1 + erf(x/√2));  approximate 'tanh': x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³)))",
  example: `const x = tensor([-1, 0, 1]);
console.log(F.gelu(x).toString()); // tensor([-0.1587,  0.0000,  0.8413])
console.log(F.gelu(x, { approximate: 'tanh' }).toString()); // tensor([-0.1588,  0.0000,  0.8412])`,
  golden: { options: [{}, { approximate: 'tanh' }], kinks: [0, 5, -5, 10, -10] },
  samples: [{ inputs: { input: 'randn(5)' }, args: { approximate: 'tanh' } }],
};

export const relu6 = defineFunction({
  name: 'relu6',
  torch: 'torch.nn.functional.relu6',
  category: 'activation',
  pointwise: true,
  params: [input(), inplace()],
  // PyTorch computes relu6 as hardtanh(x, 0, 6): the gradient is 0 at both kinks.
  impl: (a) => unaryOp('hardtanh', a.input, [0, 6], { fn: 'relu6', inplace: a.inplace }),
  module: { name: 'ReLU6', repr: [{ param: 'inplace', ifTrue: true }] },
});

export const relu6Docs: Docs = {
  summary: 'ReLU capped at 6.',
  formula: 'ReLU6(x) = min(max(0, x), 6)',
  details: 'PyTorch computes it as hardtanh(x, 0, 6), so the gradient is 0 at both kinks.',
  example: `const x = tensor([-1, 3, 8]);
console.log(F.relu6(x).toString()); // tensor([0., 3., 6.])`,
  golden: { kinks: [0, 6] },
  samples: [{ inputs: { input: 'randn(5) * 5' } }],
};

export const sigmoid = defineFunction({
  name: 'sigmoid',
  torch: 'torch.sigmoid',
  category: 'activation',
  pointwise: true,
  params: [input()],
  impl: pointwise('sigmoid', 'sigmoid'),
  module: { name: 'Sigmoid' },
});

export const sigmoidDocs: Docs = {
  summary: 'The logistic function.',
  formula: 'Sigmoid(x) = 1/(1 + exp(−x))',
  details: "The gradient is computed from the output: y·(1 − y), as PyTorch's is.",
  example: `const x = tensor([-2, 0, 2]);
console.log(F.sigmoid(x).toString()); // tensor([0.1192, 0.5000, 0.8808])`,
  golden: { kinks: [0, 30, -30] },
  samples: [{ inputs: { input: 'randn(5)' } }],
};

export const tanh = defineFunction({
  name: 'tanh',
  torch: 'torch.tanh',
  category: 'activation',
  pointwise: true,
  params: [input()],
  impl: pointwise('tanh', 'tanh'),
  module: { name: 'Tanh' },
});

export const tanhDocs: Docs = {
  summary: 'Hyperbolic tangent.',
  formula: 'Tanh(x) = (exp(x) − exp(−x))/(exp(x) + exp(−x))',
  example: `const x = tensor([-1, 0, 1]);
console.log(F.tanh(x).toString()); // tensor([-0.7616,  0.0000,  0.7616])`,
  golden: { kinks: [0, 10, -10] },
  samples: [{ inputs: { input: 'randn(5)' } }],
};

export const softsign = defineFunction({
  name: 'softsign',
  torch: 'torch.nn.functional.softsign',
  category: 'activation',
  pointwise: true,
  params: [input()],
  impl: pointwise('softsign', 'softsign'),
  module: { name: 'Softsign' },
});

export const softsignDocs: Docs = {
  summary: 'A slowly saturating sigmoid-shaped function.',
  formula: 'Softsign(x) = x/(1 + |x|)',
  details: "NaN at ±Infinity, as PyTorch's composite gives.",
  example: `const x = tensor([-3, 1]);
console.log(F.softsign(x).toString()); // tensor([-0.7500,  0.5000])`,
  golden: { kinks: [0] },
  samples: [{ inputs: { input: 'randn(5)' } }],
};

export const hardtanh = defineFunction({
  name: 'hardtanh',
  torch: 'torch.nn.functional.hardtanh',
  category: 'activation',
  pointwise: true,
  inplaceVariant: true,
  params: [
    input(),
    num('minVal', -1.0, 'Lower bound.', { range: [-3, 0] }),
    num('maxVal', 1.0, 'Upper bound.', { range: [0, 3] }),
    inplace(),
  ],
  check: (a) => {
    if (a.minVal > a.maxVal)
      fail('hardtanh', `minVal (${a.minVal}) must not exceed maxVal (${a.maxVal})`);
  },
  impl: pointwise('hardtanh', 'hardtanh', ['minVal', 'maxVal']),
  module: {
    name: 'Hardtanh',
    params: ['minVal', 'maxVal', 'inplace', skipped('min_value'), skipped('max_value')],
    repr: ['minVal', 'maxVal', { param: 'inplace', ifTrue: true }],
  },
});

export const hardtanhDocs: Docs = {
  summary: 'Clamps the input to [minVal, maxVal].',
  formula: 'Hardtanh(x) = min(max(x, minVal), maxVal)',
  details: 'The gradient is 1 strictly inside the bounds and 0 at and beyond them.',
  differences: '`minVal > maxVal` throws (PyTorch returns maxVal everywhere).',
  example: `const x = tensor([-3, 0.5, 3]);
console.log(F.hardtanh(x, -2, 2).toString()); // tensor([-2.0000,  0.5000,  2.0000])`,
  golden: {
    options: [{}, { minVal: -2, maxVal: 0.5 }, { minVal: 0.25, maxVal: 0.25 }],
    kinks: [-1, 1, -2, 0.5, 0.25],
  },
  samples: [{ inputs: { input: 'randn(5) * 3' }, args: { minVal: -2, maxVal: 2 }, positional: 2 }],
};

export const threshold = defineFunction({
  name: 'threshold',
  torch: 'torch.nn.functional.threshold',
  category: 'activation',
  pointwise: true,
  inplaceVariant: true,
  params: [
    input(),
    param('threshold', T.number(), { doc: 'The value to threshold at.', range: [-2, 2] }),
    param('value', T.number(), { doc: 'The value that replaces x ≤ threshold.', range: [-2, 2] }),
    inplace(),
  ],
  impl: pointwise('threshold', 'threshold', ['threshold', 'value']),
  module: { name: 'Threshold', repr: ['threshold', 'value', { param: 'inplace', ifTrue: true }] },
  variants: [{ label: 'threshold', args: { threshold: 0.5, value: -1 } }],
});

export const thresholdDocs: Docs = {
  summary: 'Replaces every element at or below a threshold by a value.',
  formula: 'Threshold(x) = x if x > threshold, else value',
  example: `const x = tensor([0, 0.5, 2]);
console.log(F.threshold(x, 0.1, 20).toString()); // tensor([20.0000,  0.5000,  2.0000])`,
  golden: {
    options: [
      { threshold: 0.1, value: 20 },
      { threshold: -1, value: -3 },
      { threshold: 0, value: 0 },
    ],
    kinks: [0.1, -1, 0],
  },
  samples: [{ inputs: { input: 'randn(5)' }, args: { threshold: 0.1, value: 20 }, positional: 2 }],
};

export const tanhshrink = defineFunction({
  name: 'tanhshrink',
  torch: 'torch.nn.functional.tanhshrink',
  category: 'activation',
  pointwise: true,
  params: [input()],
  impl: pointwise('tanhshrink', 'tanhshrink'),
  module: { name: 'Tanhshrink' },
});

export const tanhshrinkDocs: Docs = {
  summary: 'The input minus its tanh.',
  formula: 'Tanhshrink(x) = x − tanh(x)',
  example: `const x = tensor([-2, 2]);
console.log(F.tanhshrink(x).toString()); // tensor([-1.0360,  1.0360])`,
  golden: { kinks: [0, 1e-3] },
  samples: [{ inputs: { input: 'randn(5)' } }],
};

const lambd = () =>
  num('lambd', 0.5, 'Half-width λ ≥ 0 of the dead zone.', { min: 0, range: [0, 2] });

export const softshrink = defineFunction({
  name: 'softshrink',
  torch: 'torch.nn.functional.softshrink',
  category: 'activation',
  pointwise: true,
  params: [input(), lambd()],
  impl: pointwise('softshrink', 'softshrink', ['lambd']),
  module: { name: 'Softshrink', repr: [{ param: 'lambd', bare: true }] },
});

export const softshrinkDocs: Docs = {
  summary: 'Soft thresholding: shrinks every element towards 0 by λ.',
  formula: 'Softshrink(x) = x − λ if x > λ, x + λ if x < −λ, else 0',
  details: 'The gradient is 0 on [−λ, λ]. softshrink(NaN) is 0, as in PyTorch 1.13.',
  example: `const x = tensor([-1, 0.2, 1]);
console.log(F.softshrink(x).toString()); // tensor([-0.5000,  0.0000,  0.5000])`,
  golden: { options: [{}, { lambd: 0.3 }, { lambd: 0 }], kinks: [0.5, -0.5, 0.3, -0.3] },
  samples: [{ inputs: { input: 'randn(5)' }, args: { lambd: 0.3 }, positional: 1 }],
};

export const hardshrink = defineFunction({
  name: 'hardshrink',
  torch: 'torch.nn.functional.hardshrink',
  category: 'activation',
  pointwise: true,
  params: [input(), lambd()],
  impl: pointwise('hardshrink', 'hardshrink', ['lambd']),
  module: { name: 'Hardshrink', repr: [{ param: 'lambd', bare: true }] },
});

export const hardshrinkDocs: Docs = {
  summary: 'Hard thresholding: zeroes the elements within λ of 0.',
  formula: 'Hardshrink(x) = x if |x| > λ, else 0',
  details: 'The gradient is 0 on [−λ, λ].',
  differences: 'A negative λ throws (PyTorch checks it only for softshrink).',
  example: `const x = tensor([-1, 0.2, 1]);
console.log(F.hardshrink(x).toString()); // tensor([-1.,  0.,  1.])`,
  golden: { options: [{}, { lambd: 0.3 }, { lambd: 0 }], kinks: [0.5, -0.5, 0.3, -0.3] },
  samples: [{ inputs: { input: 'randn(5)' }, args: { lambd: 0.3 }, positional: 1 }],
};

export const logsigmoid = defineFunction({
  name: 'logsigmoid',
  torch: 'torch.nn.functional.logsigmoid',
  category: 'activation',
  pointwise: true,
  params: [input()],
  impl: pointwise('logsigmoid', 'logsigmoid'),
  module: { name: 'LogSigmoid' },
});

export const logsigmoidDocs: Docs = {
  summary: 'The log of the logistic function, stable for large |x|.',
  formula: 'LogSigmoid(x) = log(1/(1 + exp(−x))) = min(x, 0) − log1p(exp(−|x|))',
  example: `const x = tensor([-100, 0, 2]);
console.log(F.logsigmoid(x).toString()); // tensor([-100.0000,   -0.6931,   -0.1269])`,
  golden: { kinks: [0, 30, -30] },
  samples: [{ inputs: { input: 'randn(5)' } }],
};

export const silu = defineFunction({
  name: 'silu',
  torch: 'torch.nn.functional.silu',
  category: 'activation',
  pointwise: true,
  params: [input(), inplace()],
  impl: pointwise('silu', 'silu'),
  module: { name: 'SiLU', repr: [{ param: 'inplace', ifTrue: true }] },
});

export const siluDocs: Docs = {
  summary: 'Sigmoid linear unit (swish): x gated by its own sigmoid.',
  formula: 'SiLU(x) = x·sigmoid(x)',
  example: `const x = tensor([-1, 1]);
console.log(F.silu(x).toString()); // tensor([-0.2689,  0.7311])`,
  golden: { kinks: [0] },
  samples: [{ inputs: { input: 'randn(5)' } }],
};

export const mish = defineFunction({
  name: 'mish',
  torch: 'torch.nn.functional.mish',
  category: 'activation',
  pointwise: true,
  params: [input(), inplace()],
  impl: pointwise('mish', 'mish'),
  module: { name: 'Mish', repr: [{ param: 'inplace', ifTrue: true }] },
});

export const mishDocs: Docs = {
  summary: 'Mish: x gated by tanh of its softplus.',
  formula: 'Mish(x) = x·tanh(softplus(x))',
  example: `const x = tensor([-1, 1]);
console.log(F.mish(x).toString()); // tensor([-0.3034,  0.8651])`,
  golden: { kinks: [0, 30] },
  samples: [{ inputs: { input: 'randn(5)' } }],
};

export const hardsigmoid = defineFunction({
  name: 'hardsigmoid',
  torch: 'torch.nn.functional.hardsigmoid',
  category: 'activation',
  pointwise: true,
  params: [input(), inplace()],
  impl: pointwise('hardsigmoid', 'hardsigmoid'),
  module: { name: 'Hardsigmoid' },
});

export const hardsigmoidDocs: Docs = {
  summary: 'A piecewise-linear sigmoid.',
  formula: 'Hardsigmoid(x) = clamp(x/6 + 1/2, 0, 1)',
  details: 'The gradient is 1/6 strictly inside (−3, 3) and 0 elsewhere.',
  example: `const x = tensor([-4, 0, 1.5]);
console.log(F.hardsigmoid(x).toString()); // tensor([0.0000, 0.5000, 0.7500])`,
  golden: { kinks: [3, -3, 0] },
  samples: [{ inputs: { input: 'randn(5) * 3' } }],
};

export const hardswish = defineFunction({
  name: 'hardswish',
  torch: 'torch.nn.functional.hardswish',
  category: 'activation',
  pointwise: true,
  params: [input(), inplace()],
  impl: pointwise('hardswish', 'hardswish'),
  module: { name: 'Hardswish' },
});

export const hardswishDocs: Docs = {
  summary: 'A piecewise-quadratic SiLU (MobileNetV3).',
  formula: 'Hardswish(x) = x·clamp(x + 3, 0, 6)/6',
  example: `const x = tensor([-4, 1, 4]);
console.log(F.hardswish(x).toString()); // tensor([-0.0000, 0.6667, 4.0000])`,
  golden: { kinks: [3, -3, 0] },
  samples: [{ inputs: { input: 'randn(5) * 3' } }],
};

export const glu = defineFunction({
  name: 'glu',
  torch: 'torch.nn.functional.glu',
  category: 'activation',
  params: [
    input(),
    param('dim', T.int(), { default: -1, doc: 'The dimension to halve (its size must be even).' }),
  ],
  impl: gluImpl,
  module: { name: 'GLU', repr: ['dim'] },
});

export const gluDocs: Docs = {
  summary: 'Gated linear unit: the first half of the input gated by the sigmoid of the second.',
  formula: 'GLU(a ‖ b) = a ⊙ sigmoid(b), the input split in half along dim',
  example: `const x = tensor([[1, 2, 0, 100]]);
console.log(F.glu(x).toString()); // tensor([[0.5000, 2.0000]])`,
  samples: [{ inputs: { input: 'randn(4, 3)' }, args: { dim: 0 }, positional: 1 }],
};

export const normalize = defineFunction({
  name: 'normalize',
  torch: 'torch.nn.functional.normalize',
  category: 'activation',
  params: [
    input(),
    param('p', T.number({ gt: 0 }), {
      default: 2.0,
      doc: 'The order of the norm (> 0, or Infinity).',
    }),
    param('dim', T.int(), { default: 1, doc: 'The dimension of the vectors.' }),
    param('eps', T.number({ min: 0, finite: true }), {
      default: 1e-12,
      doc: 'The norm is at least this (avoids dividing by 0).',
    }),
  ],
  impl: normalizeImpl,
});

export const normalizeDocs: Docs = {
  summary: 'Each vector along `dim` divided by its p-norm: unit vectors, as for embeddings.',
  formula: 'normalize(x) = x / max(‖x‖_p, eps),  ‖x‖_p = (Σ |x|^p)^(1/p) along dim',
  details:
    'An all-zero vector stays zero, with the gradient 1/eps that PyTorch gives it. A 0-d input is a vector of one element (`dim` 0 or −1).',
  differences: '`p` must be positive (PyTorch also accepts 0 and negative orders).',
  example: `const x = tensor([[3, 4], [0, 0]]);
console.log(F.normalize(x).toString());
// tensor([[0.6000, 0.8000],
//         [0.0000, 0.0000]])
console.log(F.normalize(tensor([1, 3]), 1, 0).toString()); // tensor([0.2500, 0.7500])`,
  samples: [
    { inputs: { input: 'randn(4, 3)' } },
    { inputs: { input: 'randn(4, 3)' }, args: { p: 1, dim: 0 }, positional: 2 },
    { inputs: { input: 'randn(2, 3, 4)' }, args: { p: 3, dim: -1 }, positional: 1 },
    { inputs: { input: 'randn(4, 3)' }, args: { p: Infinity, dim: 1 } },
    {
      inputs: { input: 'randn(3, 3) * tensor([[1.0], [1.0], [0.0]])' },
      args: { p: 3 },
      label: 'an all-zero vector',
    },
  ],
};
