/**
 * The fused linear layer (`linear` in src/ops/linalg.ts, the `linear` and
 * `linearBackward` kernels) on every backend registered here: native (every
 * instruction set this CPU has, 1, 2 and 4 threads), wasm and js, float32
 * and float64, against a float64 reference computed here. Shapes include the
 * training workloads' (MLP 2-100-3 on 3,000 points, widths 1-16, a wide
 * head), odd edges, k = 0 and an empty batch. Tolerance relative to the
 * magnitude Σ|a|·|b| of each element (+ |b_j| for the bias): float32 1e-5
 * abs + 1e-5 rel, float64 1e-12 abs + 1e-9 rel. The bias gradient is a
 * float64 column sum rounded once on every backend: it must equal
 * `g.sum(0)` on the JS backend bit for bit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Tensor, nn, wasmReady } from '../src/index.js';
import { availableBackends, getBackend, setBackend } from '../src/kernels/backend.js';
import { nativeAddon } from '../src/kernels/native/index.js';
import { linear } from '../src/ops/linalg.js';
import { gradcheck } from '../src/autograd/gradcheck.js';
import type { Floats } from '../src/kernels/js/types.js';
import { rng } from './helpers/random.js';

await wasmReady;

const TOL = { float32: [1e-5, 1e-5], float64: [1e-12, 1e-9] } as const;
type DT = keyof typeof TOL;

function randomArray(dt: DT, n: number, r: () => number): Floats {
  const a = dt === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = r() * 2 - 1;
  return a;
}

interface Variant {
  label: string;
  dtypes: readonly DT[];
  setup: () => void;
}

const variants: Variant[] = [];
if (nativeAddon) {
  const addon = nativeAddon;
  const before = addon.isa();
  for (const isa of addon.isas()) {
    for (const threads of [1, 2, 4])
      variants.push({
        label: `native/${isa}/${threads}t`,
        dtypes: ['float32', 'float64'],
        setup: () => {
          setBackend('native');
          addon.useIsa(isa);
          addon.setNumThreads(threads);
        },
      });
  }
  addon.useIsa(before);
}
// wasm runs float32 itself; float64 declines to the JS kernels (covered by js).
if (availableBackends().includes('wasm'))
  variants.push({ label: 'wasm', dtypes: ['float32'], setup: () => setBackend('wasm') });
variants.push({ label: 'js', dtypes: ['float32', 'float64'], setup: () => setBackend('js') });

const saved = {
  backend: getBackend(),
  isa: nativeAddon?.isa(),
  threads: nativeAddon?.getNumThreads(),
};
afterEach(() => {
  setBackend(saved.backend);
  if (nativeAddon && saved.isa !== undefined && saved.threads !== undefined) {
    nativeAddon.useIsa(saved.isa);
    nativeAddon.setNumThreads(saved.threads);
  }
});

/** [m, k, n]: batch, in features, out features. */
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [7, 5, 3],
  [3000, 2, 100],
  [3000, 100, 3],
  [10, 16, 1],
  [5, 8, 4],
  [1024, 1, 16],
  [1024, 16, 14],
  [1024, 3, 1],
  [33, 300, 65],
  [13, 17, 33],
  [129, 600, 300],
  [256, 64, 2000],
  // Weight gradients whose product also sums g (native: over k blocks of
  // 256 and a last block of 3, split by rows of dw among threads).
  [515, 40, 777],
];

/** Reference y = x·wᵀ + b, dx = g·w, dw = gᵀ·x, db = Σ_i g, with magnitudes, in float64. */
function reference(m: number, k: number, n: number, x: Floats, w: Floats, b: Floats, g: Floats) {
  const y = new Float64Array(m * n);
  const yMag = new Float64Array(m * n);
  const dx = new Float64Array(m * k);
  const dxMag = new Float64Array(m * k);
  const dw = new Float64Array(n * k);
  const dwMag = new Float64Array(n * k);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = b[j];
      let a = Math.abs(b[j]);
      const gij = g[i * n + j];
      for (let p = 0; p < k; p++) {
        const xv = x[i * k + p];
        const wv = w[j * k + p];
        s += xv * wv;
        a += Math.abs(xv * wv);
        dx[i * k + p] += gij * wv;
        dxMag[i * k + p] += Math.abs(gij * wv);
        dw[j * k + p] += gij * xv;
        dwMag[j * k + p] += Math.abs(gij * xv);
      }
      y[i * n + j] = s;
      yMag[i * n + j] = a;
    }
  return { y, yMag, dx, dxMag, dw, dwMag };
}

function expectClose(
  dt: DT,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  mag: ArrayLike<number>,
  what: string,
) {
  const [abs, rel] = TOL[dt];
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= abs + rel * mag[i]))
      expect.fail(`${what}[${i}]: ${actual[i]} vs reference ${expected[i]} (${dt})`);
  }
}

/** g.sum(0) on the JS backend: the bias gradient every backend must reproduce exactly. */
function jsColumnSums(g: Tensor): Floats {
  const before = getBackend();
  setBackend('js');
  try {
    return g.sum(0).data as Floats;
  } finally {
    setBackend(before);
  }
}

describe('linear: x·wᵀ + b and its gradients on every backend', () => {
  for (const v of variants)
    for (const dt of v.dtypes) {
      it(`matches the float64 reference (${v.label}, ${dt})`, () => {
        v.setup();
        let seed = 1;
        for (const [m, k, n] of SHAPES) {
          const r = rng(seed++);
          const xd = randomArray(dt, m * k, r);
          const wd = randomArray(dt, n * k, r);
          const bd = randomArray(dt, n, r);
          const gd = randomArray(dt, m * n, r);
          const x = new Tensor(xd, [m, k]).requiresGrad_();
          const w = new Tensor(wd, [n, k]).requiresGrad_();
          const b = new Tensor(bd, [n]).requiresGrad_();
          const g = new Tensor(gd, [m, n]);
          const y = linear(x, w, b);
          expect(y.shape).toEqual([m, n]);
          expect(y.dtype).toBe(dt);
          y.backward(g);
          const ref = reference(m, k, n, xd, wd, bd, gd);
          const what = `${m}x${k}->${n}`;
          expectClose(dt, y.data, ref.y, ref.yMag, `${what} y`);
          expectClose(dt, x.grad!.data, ref.dx, ref.dxMag, `${what} dx`);
          expectClose(dt, w.grad!.data, ref.dw, ref.dwMag, `${what} dw`);
          expect(Array.from(b.grad!.data), `${what} db`).toEqual(Array.from(jsColumnSums(g)));
        }
      });

      it(`handles no bias, frozen weights, k = 0 and an empty batch (${v.label}, ${dt})`, () => {
        v.setup();
        const r = rng(99);
        const [m, k, n] = [37, 19, 21];
        const xd = randomArray(dt, m * k, r);
        const wd = randomArray(dt, n * k, r);
        const bd = randomArray(dt, n, r);
        const gd = randomArray(dt, m * n, r);
        const zero = new Float64Array(n);
        const ref0 = reference(m, k, n, xd, wd, zero, gd);
        const g = new Tensor(gd, [m, n]);

        // No bias: x·wᵀ alone, and [dx, dw].
        const x = new Tensor(xd, [m, k]).requiresGrad_();
        const w = new Tensor(wd, [n, k]).requiresGrad_();
        const y = linear(x, w, null);
        y.backward(g);
        expectClose(dt, y.data, ref0.y, ref0.yMag, 'no bias y');
        expectClose(dt, w.grad!.data, ref0.dw, ref0.dwMag, 'no bias dw');
        expectClose(dt, x.grad!.data, ref0.dx, ref0.dxMag, 'no bias dx');

        // Frozen weights, input without grad: the bias gradient alone.
        const b = new Tensor(bd, [n]).requiresGrad_();
        const y2 = linear(new Tensor(xd, [m, k]), new Tensor(wd, [n, k]), b);
        y2.backward(g);
        expect(Array.from(b.grad!.data)).toEqual(Array.from(jsColumnSums(g)));

        // k = 0: y is the bias in every row; dw is empty, db the column sums.
        const empty = dt === 'float32' ? new Float32Array(0) : new Float64Array(0);
        const b0 = new Tensor(bd, [n]).requiresGrad_();
        const w0 = new Tensor(empty, [n, 0]).requiresGrad_();
        const y0 = linear(new Tensor(empty, [m, 0]), w0, b0);
        for (let i = 0; i < m; i++)
          expect(Array.from(y0.data.subarray(i * n, (i + 1) * n))).toEqual(Array.from(bd));
        y0.backward(g);
        expect(w0.grad!.shape).toEqual([n, 0]);
        expect(Array.from(b0.grad!.data)).toEqual(Array.from(jsColumnSums(g)));

        // An empty batch: an empty y; zero gradients of w and b.
        const we = new Tensor(wd, [n, k]).requiresGrad_();
        const be = new Tensor(bd, [n]).requiresGrad_();
        const ye = linear(new Tensor(empty, [0, k]), we, be);
        expect(ye.shape).toEqual([0, n]);
        ye.sum().backward();
        expect(Array.from(we.grad!.data).every((z) => z === 0)).toBe(true);
        expect(Array.from(be.grad!.data).every((z) => z === 0)).toBe(true);
      });

      it(`propagates NaN and infinities through the bias epilogue (${v.label}, ${dt})`, () => {
        v.setup();
        const [m, k, n] = [9, 4, 20];
        const xd = randomArray(dt, m * k, rng(5));
        const wd = randomArray(dt, n * k, rng(6));
        const bd = randomArray(dt, n, rng(7));
        bd[3] = Infinity;
        bd[17] = Number.NaN;
        wd[5 * k] = 0;
        xd[2 * k] = Infinity; // row 2 · column 5: ∞·0 = NaN, as in PyTorch
        const y = linear(new Tensor(xd, [m, k]), new Tensor(wd, [n, k]), new Tensor(bd, [n]));
        for (let i = 0; i < m; i++) {
          if (i !== 2) expect(y.data[i * n + 3]).toBe(Infinity);
          expect(y.data[i * n + 17]).toBeNaN();
        }
        expect(y.data[2 * n + 5]).toBeNaN();
      });

      if (dt === 'float64')
        it(`passes gradcheck (${v.label})`, () => {
          v.setup();
          const r = rng(11);
          for (const [m, k, n] of [
            [4, 5, 3],
            [7, 1, 18],
          ]) {
            const x = new Tensor(randomArray(dt, m * k, r), [m, k]).requiresGrad_();
            const w = new Tensor(randomArray(dt, n * k, r), [n, k]).requiresGrad_();
            const b = new Tensor(randomArray(dt, n, r), [n]).requiresGrad_();
            expect(gradcheck((xx, ww, bb) => linear(xx, ww, bb), [x, w, b])).toBe(true);
            expect(gradcheck((xx, ww) => linear(xx, ww, null), [x, w])).toBe(true);
          }
        });
    }

  it('nn.Linear runs it on inputs of any rank', () => {
    for (const v of variants) {
      v.setup();
      const fc = new nn.Linear(6, 4, { dtype: 'float64' });
      const xd = randomArray('float64', 2 * 3 * 6, rng(3));
      const x3 = new Tensor(xd, [2, 3, 6]);
      const y3 = fc.forward(x3);
      expect(y3.shape).toEqual([2, 3, 4]);
      const y2 = fc.forward(new Tensor(xd, [6, 6]));
      expect(Array.from(y3.data), v.label).toEqual(Array.from(y2.data));
      const ref = reference(
        6,
        6,
        4,
        xd,
        fc.weight.data as Floats,
        fc.bias!.data as Floats,
        new Float64Array(24),
      );
      expectClose('float64', y2.data, ref.y, ref.yMag, `${v.label} nn.Linear`);
    }
  });
});

describe.skipIf(!nativeAddon)('native linear kernels: argument checks', () => {
  const K = 'nnkit native kernel';
  const call = (name: 'linear' | 'linearBackward', ...args: unknown[]) =>
    (nativeAddon![name] as unknown as (...a: unknown[]) => boolean)(...args);
  it('throws on arrays too short, mixed dtypes and bad sizes, before reading any array', () => {
    const f32 = (n: number) => new Float32Array(n);
    expect(() => call('linear', 3, 4, 2, f32(11), f32(8), f32(2), f32(6))).toThrow(
      `${K} linear: x holds 11 elements, needs m*k = 12`,
    );
    expect(() => call('linear', 3, 4, 2, f32(12), f32(7), null, f32(6))).toThrow(
      `${K} linear: w holds 7 elements, needs n*k = 8`,
    );
    expect(() => call('linear', 3, 4, 2, f32(12), f32(8), f32(1), f32(6))).toThrow(
      `${K} linear: b holds 1 elements, needs n = 2`,
    );
    expect(() => call('linear', 3, 4, 2, f32(12), f32(8), null, f32(5))).toThrow(
      `${K} linear: y holds 5 elements, needs m*n = 6`,
    );
    expect(() => call('linear', 3, 4, 2, f32(12), new Float64Array(8), null, f32(6))).toThrow(
      `${K} linear: w must`,
    );
    expect(() => call('linear', -1, 4, 2, f32(12), f32(8), null, f32(6))).toThrow(
      `${K} linear: m must be a non-negative integer`,
    );
    expect(() => call('linearBackward', 3, 4, 2, f32(5), f32(12), f32(8), f32(2))).toThrow(
      `${K} linearBackward: g holds 5 elements, needs m*n = 6`,
    );
    expect(() => call('linearBackward', 3, 4, 2, f32(6), f32(11), f32(8), null)).toThrow(
      `${K} linearBackward: x holds 11 elements, needs m*k = 12`,
    );
    expect(() => call('linearBackward', 3, 4, 2, f32(6), f32(12), f32(7), null)).toThrow(
      `${K} linearBackward: dw holds 7 elements, needs n*k = 8`,
    );
    expect(() => call('linearBackward', 3, 4, 2, f32(6), f32(12), f32(8), f32(1))).toThrow(
      `${K} linearBackward: db holds 1 elements, needs n = 2`,
    );
    expect(() =>
      call('linearBackward', 3, 4, 2, f32(6), f32(12), f32(8), new Float64Array(2)),
    ).toThrow(`${K} linearBackward: db must`);
  });
});
