/**
 * Differences between the kernel backends (and PyTorch) that the fuzz suite
 * found inside the kernels. Fixed ones are plain regression tests; one still
 * open would be `it.fails`: it states PyTorch's result and fails today; when a fix
 * lands the test passes, `it.fails` turns that into a failure, and the test
 * must become a plain `it` and its entry in test/fuzz/known.ts (the fuzz
 * suite's allow-list, same ids) be removed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  F,
  availableBackends,
  getBackend,
  setBackend,
  tensor,
  wasmReady,
} from '../../src/index.js';

function on<T>(backend: 'js' | 'wasm' | 'native', fn: () => T): T {
  const previous = getBackend();
  setBackend(backend);
  try {
    return fn();
  } finally {
    setBackend(previous);
  }
}

const native = availableBackends().includes('native');

describe('kernel findings of the fuzz suite (test/fuzz/known.ts)', () => {
  // it.fails must fail on the numbers, not because the wasm module is still loading.
  beforeAll(async () => {
    await wasmReady;
  });

  // Without the addon there is no native backend to hold to PyTorch's numbers.
  it.runIf(native)(
    'native-softmax-temperature: softmax([-1.787, -0.7, 3.4e38] / 8.67) is [0, 0, 1] (PyTorch)',
    () => {
      const y = on('native', () =>
        F.softmax(tensor([-1.787, -0.7, 3.4e38]), 0, { temperature: 8.67 }),
      );
      expect(Array.from(y.data)).toEqual([0, 0, 1]);
    },
  );

  it('float32-intermediate-overflow: hardswish(3.4e38) in float32 is inf (PyTorch)', () => {
    // x·relu6(x + 3)/6: x·6 overflows float32 before the division.
    expect(on('js', () => F.hardswish(tensor([3.4e38])).item())).toBe(Infinity);
  });

  it("gelu-tanh-grad-overflow: gelu'(1e30, approximate 'tanh') is NaN (PyTorch)", () => {
    const x = tensor([1e30], { requiresGrad: true });
    on('js', () => F.gelu(x, { approximate: 'tanh' }).sum().backward());
    expect(x.grad?.item()).toBeNaN();
  });

  it('pnorm-overflow-grad: tripletMarginLoss over overflowing p-norms has NaN gradients (PyTorch)', () => {
    // (Σ|d|^0.015)^(1/0.015) over 4 entries of size ~1 is ~4^67 = inf in float32: inf − inf.
    const a = tensor([[0.5, -1, 2, 0.3]], { requiresGrad: true });
    const p = tensor([[-0.7, 0.4, 1, 1.5]]);
    const n = tensor([[1.2, 0.1, -0.3, 0.8]]);
    on('js', () => F.tripletMarginLoss(a, p, n, { p: 0.015, eps: 1.383 }).backward());
    expect(Array.from(a.grad?.data ?? [])).toEqual([NaN, NaN, NaN, NaN]);
  });

  it('pow-one-special: 1 ** Infinity and 1 ** NaN are 1 (PyTorch)', () => {
    for (const backend of availableBackends()) {
      expect(
        on(backend, () => Array.from(tensor([1, 1]).pow(tensor([Infinity, NaN])).data)),
        backend,
      ).toEqual([1, 1]);
    }
  });

  it('pow-huge-exponent-grad: x.pow(2^24 + 1) has PyTorch float32 gradients on every backend', () => {
    // PyTorch's pow_backward computes p − 1 on its double Scalar, and the
    // float32 kernel rounds it: float32(2^24) = 2^24, an even power, so the
    // gradient at x = −(1 + 2^-23) is +2^24·e^2 = +1.2397e8 (PyTorch 1.13);
    // float32(p) − 1 = 2^24 − 1 would give −1.2397e8. The forward rounds p
    // itself: (−(1 + 2^-23))^(2^24) = +e^2.
    const want = [7.389055252075195, 123967776];
    for (const backend of availableBackends()) {
      const x = tensor(new Array<number>(32).fill(-1.0000001), { requiresGrad: true });
      const y = on(backend, () => x.pow(2 ** 24 + 1));
      on(backend, () => y.sum().backward());
      expect([y.data[0], x.grad?.data[0]], backend).toEqual(want);
    }
  });

  it('pow-huge-exponent-grad: x.pow(2^31) at x = −1.5 is +Infinity with gradient +Infinity (PyTorch)', () => {
    // p − 1 = 2^31 − 1 in double rounds to 2^31 in float32: an even power.
    // (PyTorch's scalar tail, for tensors under 16 elements, keeps p in double
    // and gives −Infinity; nnkit follows the vectorised body, as for NaN.)
    for (const backend of availableBackends()) {
      const x = tensor(new Array<number>(32).fill(-1.5), { requiresGrad: true });
      const y = on(backend, () => x.pow(2 ** 31));
      on(backend, () => y.sum().backward());
      expect([y.data[0], x.grad?.data[0]], backend).toEqual([Infinity, Infinity]);
    }
  });

  it('pow-one-special in the wasm kernels: (±1) ** ±Infinity and 1 ** NaN are 1 (PyTorch)', () => {
    // AssemblyScript's Mathf.pow follows JavaScript (NaN); 300 elements run the wasm kernels.
    const base = tensor(Array.from({ length: 300 }, (_, i) => (i % 2 ? -1 : 1)));
    for (const backend of availableBackends()) {
      for (const p of [Infinity, -Infinity, 1e300]) {
        const y = on(backend, () => base.pow(p));
        expect(
          Array.from(y.data).every((v) => v === 1),
          `${backend} ${p}`,
        ).toBe(true);
      }
      const y = on(backend, () => tensor(new Array<number>(300).fill(1)).pow(NaN));
      expect(
        Array.from(y.data).every((v) => v === 1),
        `${backend} NaN`,
      ).toBe(true);
    }
  });
});
