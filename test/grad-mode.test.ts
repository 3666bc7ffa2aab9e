/** noGrad / enableGrad: synchronous scopes; async functions are refused, not silently leaky. */
import { describe, expect, it } from 'vitest';
import { enableGrad, isGradEnabled, noGrad, tensor } from '../src/index.js';

describe('grad mode', () => {
  const x = tensor([1, 2], { requiresGrad: true });

  it('turns recording off inside noGrad and back on after, even when fn throws', () => {
    expect(noGrad(() => x.mul(2)).requiresGrad).toBe(false);
    expect(isGradEnabled()).toBe(true);
    expect(() =>
      noGrad(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
    expect(noGrad(() => enableGrad(() => x.mul(2))).requiresGrad).toBe(true);
  });

  it('refuses async functions before running them', async () => {
    let ran = false;
    const f = async () => {
      ran = true;
      return x.mul(2);
    };
    expect(() => noGrad(f)).toThrow('noGrad: async functions are not supported');
    expect(ran).toBe(false);
    expect(() => enableGrad(f)).toThrow('enableGrad: async functions are not supported');
    expect(isGradEnabled()).toBe(true);
  });

  it('refuses a function that returns a promise, with the mode restored', () => {
    expect(() => noGrad(() => Promise.resolve(1))).toThrow(
      'noGrad: the function returned a promise',
    );
    expect(isGradEnabled()).toBe(true);
  });

  it('refuses what is not a function', () => {
    expect(() => noGrad(null as unknown as () => void)).toThrow(
      'noGrad: fn must be a function, got null',
    );
  });
});
