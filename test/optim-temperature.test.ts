import { describe, expect, it } from 'vitest';
import { F, Generator, optim, randn, tensor, manualSeed } from '../src/index.js';

function entropy(p: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < p.length; i++) if (p[i] > 0) h -= p[i] * Math.log(p[i]);
  return h;
}

describe('β (inverse temperature) schedules', () => {
  it('constant: the same β at every step, and temperature = 1/β', () => {
    const s = optim.constantBeta(2.5);
    for (const t of [0, 1, 10, 1000]) {
      expect(s.betaAt(t)).toBe(2.5);
      expect(s.temperatureAt(t)).toBe(1 / 2.5);
    }
  });

  it('linear: starts at start, ends at end, constant increments, flat afterwards', () => {
    const s = optim.linearBeta({ start: 0.5, end: 4, steps: 7 });
    const v = s.values(12);
    expect(v[0]).toBe(0.5);
    expect(v[7]).toBe(4);
    for (let t = 1; t < 7; t++) expect(v[t] - v[t - 1]).toBeCloseTo((4 - 0.5) / 7, 12);
    expect(v.slice(7)).toEqual(Array<number>(5).fill(4));
  });

  it('exponential: starts at start, ends at end, constant ratio, flat afterwards', () => {
    const s = optim.exponentialBeta({ start: 0.1, end: 10, steps: 8 });
    const v = s.values(10);
    expect(v[0]).toBe(0.1);
    expect(v[8]).toBeCloseTo(10, 12);
    for (let t = 1; t < 8; t++) expect(v[t] / v[t - 1]).toBeCloseTo((10 / 0.1) ** (1 / 8), 12);
    expect(v[9]).toBe(v[8]);
  });

  it('the cursor advances with step() and reset() rewinds it', () => {
    const s = optim.linearBeta({ start: 1, end: 3, steps: 2 });
    expect([s.beta, s.lastStep]).toEqual([1, 0]);
    s.step();
    expect(s.beta).toBe(s.betaAt(1));
    expect(s.temperature).toBe(1 / s.betaAt(1));
    s.step();
    s.step();
    expect(s.beta).toBe(3);
    s.reset();
    expect(s.beta).toBe(1);
  });

  it('softmax/logSoftmax helpers equal softmax(β·x), and entropy falls as β rises', () => {
    manualSeed(3);
    const x = randn([4, 9], { dtype: 'float64' });
    let prev = Infinity;
    for (const beta of [0.01, 0.3, 1, 3, 30]) {
      const s = optim.constantBeta(beta);
      const p = s.softmax(x, 1);
      const ref = F.softmax(x.mul(beta), 1);
      const lp = s.logSoftmax(x, 1);
      const lref = F.logSoftmax(x.mul(beta), 1);
      for (let i = 0; i < p.size; i++) {
        expect(p.data[i]).toBeCloseTo(ref.data[i], 12);
        expect(lp.data[i]).toBeCloseTo(lref.data[i], 12);
      }
      const h = entropy(p.data.subarray(0, 9));
      expect(h).toBeLessThan(prev);
      prev = h;
    }
    // β → 0 gives the uniform distribution (entropy log C); β → ∞ a one-hot one.
    expect(entropy(optim.constantBeta(1e-9).softmax(x, 1).data.subarray(0, 9))).toBeCloseTo(
      Math.log(9),
      6,
    );
    expect(entropy(optim.constantBeta(1e6).softmax(x, 1).data.subarray(0, 9))).toBeCloseTo(0, 6);
  });

  it('crossEntropy helper is the cross-entropy of β·logits, with gradients', () => {
    const g = new Generator(1);
    const x = tensor(
      Array.from({ length: 15 }, () => g.normal()),
      { shape: [3, 5], dtype: 'float64', requiresGrad: true },
    );
    const y = tensor([0, 4, 2], { dtype: 'int32' });
    const s = optim.constantBeta(2);
    const loss = s.crossEntropy(x, y);
    const ref = F.logSoftmax(x.mul(2), 1)
      .gather(1, y.reshape([3, 1]))
      .mean()
      .neg();
    expect(loss.item()).toBeCloseTo(ref.item(), 12);
    loss.backward();
    expect(x.grad).not.toBeNull();
  });

  it('rejects bad arguments', () => {
    expect(() => optim.constantBeta(0)).toThrow(/constantBeta: beta must be finite and > 0, got 0/);
    expect(() => optim.linearBeta({ start: 1, end: -1, steps: 3 })).toThrow(/linearBeta: end/);
    expect(() => optim.exponentialBeta({ start: 1, end: 2, steps: 0 })).toThrow(
      /steps must be a positive integer/,
    );
  });
});
