/** Bad input throws an Error naming the function, the argument and the value, before any work. */
import { describe, expect, it } from 'vitest';
import { F, nn, tensor, zeros } from '../src/index.js';

const x = tensor([
  [1, -2, 3],
  [0.5, 0, -1],
]);

describe('activations reject bad input', () => {
  const cases: [string, () => unknown, RegExp | string][] = [
    [
      'negative lambd (softshrink)',
      () => F.softshrink(x, { lambd: -0.5 }),
      'softshrink: lambd must be a number ≥ 0, got -0.5',
    ],
    [
      'negative lambd (hardshrink)',
      () => F.hardshrink(x, { lambd: -1 }),
      'hardshrink: lambd must be a number ≥ 0, got -1',
    ],
    ['celu alpha = 0', () => F.celu(x, { alpha: 0 }), /celu: alpha must not be 0, got 0/],
    ['softplus beta = 0', () => F.softplus(x, { beta: 0 }), /softplus: beta must not be 0/],
    [
      'prelu weight length',
      () => F.prelu(x, tensor([0.1, 0.2])),
      /prelu: weight has 2 elements, but the input has 3 channels/,
    ],
    [
      'hardtanh minVal > maxVal',
      () => F.hardtanh(x, { minVal: 2, maxVal: 1 }),
      /hardtanh: minVal \(2\) must not exceed maxVal \(1\)/,
    ],
    [
      'Hardtanh module minVal > maxVal',
      () => new nn.Hardtanh({ minVal: 2, maxVal: 1 }),
      /hardtanh: minVal \(2\) must not exceed maxVal \(1\)/,
    ],
    [
      'softmax dim out of range',
      () => F.softmax(x, 2),
      /softmax: dim 2 is out of range for a tensor of 2 dimensions/,
    ],
    [
      'logSoftmax dim out of range',
      () => F.logSoftmax(x, -3),
      /logSoftmax: dim -3 is out of range/,
    ],
    ['glu dim out of range', () => F.glu(x, 5), /glu: dim 5 is out of range/],
    [
      'glu odd size',
      () => F.glu(x, 1),
      /glu: dimension 1 must have an even size to be halved, got 3/,
    ],
    [
      'int32 input',
      () => F.relu(tensor([1, 2], { dtype: 'int32' })),
      /relu: input must be a floating-point tensor \(float32 or float64\), got int32/,
    ],
    [
      'int32 input to softmax',
      () => F.softmax(tensor([1, 2], { dtype: 'int32' }), 0),
      /softmax: input must be a floating-point tensor/,
    ],
    [
      'unknown approximate',
      () => F.gelu(x, { approximate: 'fast' as 'tanh' }),
      "gelu: approximate must be one of 'none', 'tanh', got 'fast'",
    ],
    [
      'unknown option key',
      () => F.leakyRelu(x, { negative_slope: 0.2 } as object),
      /leakyRelu: unknown option 'negative_slope'/,
    ],
    [
      'non-number option',
      () => F.elu(x, { alpha: '1' as unknown as number }),
      "elu: alpha must be a number, got '1'",
    ],
    [
      'rrelu lower > upper',
      () => F.rrelu(x, { lower: 0.5, upper: 0.1 }),
      /rrelu: lower \(0.5\) must not exceed upper \(0.1\)/,
    ],
    [
      'non-positive temperature',
      () => F.softmax(x, 1, { temperature: 0 }),
      'softmax: temperature must be a number > 0, got 0',
    ],
    [
      'missing softmax dim',
      () => F.softmax(x, undefined as unknown as number),
      "softmax: missing required argument 'dim'",
    ],
    [
      'not a tensor',
      () => F.relu([1, 2] as unknown as ReturnType<typeof zeros>),
      /relu: input must be a Tensor/,
    ],
    [
      'prelu 2-D weight',
      () => F.prelu(x, tensor([[0.1, 0.2, 0.3]])),
      /prelu: weight must be a scalar or 1-D tensor, got 2 dimensions/,
    ],
    [
      'PReLU numParameters',
      () => new nn.PReLU({ numParameters: 0 }),
      'PReLU: numParameters must be an integer ≥ 1, got 0',
    ],
  ];
  for (const [name, fn, message] of cases) {
    it(name, () => expect(fn).toThrow(message));
  }
});
