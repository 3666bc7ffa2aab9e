/** gradcheck (central differences in float64) on every activation, away from kinks. */
import { describe, it, expect } from 'vitest';
import { F, gradcheck, manualSeed, randn, tensor, type Tensor } from '../src/index.js';

/** Random float64 points that stay at least 0.05 away from the given kinks. */
function pointsAwayFrom(kinks: number[], shape: number[]): Tensor {
  const t = randn(shape, { dtype: 'float64' }).mul(2.5);
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    for (const k of kinks) if (Math.abs(d[i] - k) < 0.05) d[i] = k + 0.1;
  }
  return t.requiresGrad_();
}

const unary: [string, (x: Tensor) => Tensor, number[]][] = [
  ['relu', (x) => F.relu(x), [0]],
  ['leakyRelu', (x) => F.leakyRelu(x, { negativeSlope: 0.2 }), [0]],
  ['rrelu (eval)', (x) => F.rrelu(x), [0]],
  ['softplus', (x) => F.softplus(x, { beta: 2, threshold: 3 }), [1.5]],
  ['elu', (x) => F.elu(x, { alpha: 0.7 }), [0]],
  ['celu', (x) => F.celu(x, { alpha: 2 }), [0]],
  ['selu', (x) => F.selu(x), [0]],
  ['gelu', (x) => F.gelu(x), []],
  ['gelu tanh', (x) => F.gelu(x, { approximate: 'tanh' }), []],
  ['relu6', (x) => F.relu6(x), [0, 6]],
  ['sigmoid', (x) => F.sigmoid(x), []],
  ['tanh', (x) => F.tanh(x), []],
  ['softsign', (x) => F.softsign(x), []],
  ['hardtanh', (x) => F.hardtanh(x, { minVal: -1.5, maxVal: 0.5 }), [-1.5, 0.5]],
  ['threshold', (x) => F.threshold(x, 0.1, 20), [0.1]],
  ['tanhshrink', (x) => F.tanhshrink(x), []],
  ['softshrink', (x) => F.softshrink(x, { lambd: 0.3 }), [-0.3, 0.3]],
  ['hardshrink', (x) => F.hardshrink(x, { lambd: 0.3 }), [-0.3, 0.3]],
  ['logsigmoid', (x) => F.logsigmoid(x), []],
  ['silu', (x) => F.silu(x), []],
  ['mish', (x) => F.mish(x), []],
  ['hardsigmoid', (x) => F.hardsigmoid(x), [-3, 3]],
  ['hardswish', (x) => F.hardswish(x), [-3, 3]],
  ['softmax dim 1, T=0.7', (x) => F.softmax(x, 1, { temperature: 0.7 }), []],
  ['logSoftmax dim 0', (x) => F.logSoftmax(x, 0), []],
  ['softmin dim -1, T=2', (x) => F.softmin(x, -1, { temperature: 2 }), []],
  ['glu dim 0', (x) => F.glu(x, 0), []],
];

describe('gradcheck in float64', () => {
  for (const [name, fn, kinks] of unary) {
    it(name, () => {
      manualSeed(11);
      expect(gradcheck(fn, [pointsAwayFrom(kinks, [4, 3])])).toBe(true);
    });
  }
  it('prelu (input and per-channel weight)', () => {
    manualSeed(12);
    const x = pointsAwayFrom([0], [2, 3, 2]);
    const w = tensor([0.1, -0.2, 0.3], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((a, b) => F.prelu(a, b), [x, w])).toBe(true);
  });
  it('fails on a wrong gradient (gradcheck can fail)', () => {
    const x = tensor([0.3, -0.7], { dtype: 'float64', requiresGrad: true });
    // detach() hides the dependency: autograd sees a zero gradient.
    const wrong = (t: Tensor): Tensor => t.mul(t.detach());
    expect(gradcheck(wrong, [x], { raiseException: false })).toBe(false);
  });
});
