/**
 * The wasm backend's float32 GEMM (wasm/assembly/gemm.ts through the
 * `matmul` hook, src/kernels/wasm/gemm.ts) against a float64 reference
 * computed here from the same float32 inputs.
 *
 * Tolerance: any order of summing k float32 products (the GEMM sums blocks
 * of k in order, then adds the blocks) is within γ_k·Σ_p |a_ip|·|b_pj| of
 * the exact sum, γ_k = k·u / (1 − k·u), u = 2⁻²⁴ (Higham, Accuracy and
 * Stability of Numerical Algorithms, §3.1); the float64 reference adds its
 * own γ_k with u = 2⁻⁵³. E.g. k = 784: 4.7e-5 of the magnitude. Where the
 * reference is NaN or ±Infinity the result must be the same.
 *
 * Shapes: 1×1×1, odd sizes (not multiples of the 4×8 register tile), k = 0,
 * m = 0, n = 0, the training shapes 3000×2×100 and 128×784×512, k over one
 * k block (256), n over one column panel (512), m over one row chunk, a row
 * chunk that fills the whole C region (its slack must be mapped); each
 * with the four storages (transA, transB), which must give bit-identical
 * results (the sum order depends only on k). Also NaN and ±Infinity
 * propagation (0·∞ = NaN: no product is skipped), determinism, what the hook
 * declines, and matmul / nn.Linear gradients on the wasm backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activeBackend,
  availableBackends,
  getBackend,
  setBackend,
  type BackendName,
} from '../src/kernels/backend.js';
import { Tensor } from '../src/index.js';
import { matmulTransposed } from '../src/ops/linalg.js';
import { rng } from './helpers/random.js';

const hasWasm = availableBackends().includes('wasm');
if (!hasWasm) console.warn('kernels-wasm-gemm: skipped: no WebAssembly SIMD in this runtime');
let previous: BackendName = 'js';
beforeAll(() => {
  previous = getBackend();
  if (hasWasm) setBackend('wasm');
});
afterAll(() => setBackend(previous));

/** A logical r×c matrix (row-major) in [−1, 1). */
function random(r: number, c: number, next: () => number): Float32Array {
  return Float32Array.from({ length: r * c }, () => next() * 2 - 1);
}

function transpose(x: Float32Array, r: number, c: number): Float32Array {
  const t = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = x[i * c + j];
  return t;
}

/** The exact-ish product A[m×k]·B[k×n] in float64 and Σ|a|·|b| per element. */
function reference(A: Float32Array, B: Float32Array, m: number, k: number, n: number) {
  const ref = new Float64Array(m * n);
  const mag = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const av = A[i * k + p];
      const aa = Math.abs(av);
      const row = p * n;
      for (let j = 0; j < n; j++) {
        ref[i * n + j] += av * B[row + j];
        mag[i * n + j] += aa * Math.abs(B[row + j]);
      }
    }
  }
  return { ref, mag };
}

const gamma = (k: number, u: number): number => (k * u) / (1 - k * u);

function expectClose(
  c: Float32Array,
  ref: Float64Array,
  mag: Float64Array,
  k: number,
  what: string,
) {
  const g = gamma(k, 2 ** -24) + gamma(k, 2 ** -53);
  expect(c.length, what).toBe(ref.length);
  for (let i = 0; i < ref.length; i++) {
    const want = ref[i];
    if (!Number.isFinite(want)) {
      if (!Object.is(c[i], want)) expect.fail(`${what}[${i}]: ${c[i]}, want ${want}`);
      continue;
    }
    if (!(Math.abs(c[i] - want) <= g * mag[i]))
      expect.fail(`${what}[${i}]: ${c[i]} vs ${want} (bound ${g * mag[i]})`);
  }
}

/** op(a)·op(b) through the wasm hook, with a and b stored as asked. */
function wasmProduct(
  A: Float32Array,
  B: Float32Array,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
): Float32Array {
  const a = transA ? transpose(A, m, k) : A;
  const b = transB ? transpose(B, k, n) : B;
  const c = new Float32Array(m * n).fill(NaN); // overwritten, never read
  const ok = activeBackend().matmul!(m, k, n, a, b, c, transA, transB);
  expect(ok, 'the wasm backend takes float32').toBe(true);
  return c;
}

const STORAGES: [boolean, boolean][] = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

/** Checks the four storages of one product against the reference and against each other. */
function checkShape(m: number, k: number, n: number, A: Float32Array, B: Float32Array) {
  const { ref, mag } = reference(A, B, m, k, n);
  let first: Float32Array | null = null;
  for (const [tA, tB] of STORAGES) {
    const what = `${m}×${k}×${n} transA=${tA} transB=${tB}`;
    const c = wasmProduct(A, B, m, k, n, tA, tB);
    expectClose(c, ref, mag, k, what);
    if (first === null) first = c;
    else
      for (let i = 0; i < c.length; i++)
        if (!Object.is(c[i], first[i])) expect.fail(`${what}[${i}]: ${c[i]} ≠ ${first[i]}`);
  }
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 7, 1],
  [2, 3, 5],
  [5, 7, 9],
  [7, 13, 3],
  [9, 1, 31],
  [17, 33, 15],
  [1, 100, 37],
  [37, 100, 1],
  [3000, 2, 100], // the 2-100-3 MLP's first layer on 3,000 points
  [13, 300, 17], // two k blocks
  [33, 513, 1030], // three k blocks, three column panels with a partial one
  [1100, 300, 300], // two row chunks
  [4, 1000, 6],
  // n = 4: a row chunk of 2¹⁶ rows fills the whole C region (2¹⁸ floats), whose last partial
  // tile reads (and adds) past the region's end into its slack on the second k block.
  [65539, 257, 4],
];

describe.skipIf(!hasWasm)('wasm GEMM', () => {
  it.each(SHAPES)('%i×%i×%i matches float64 in every storage', (m, k, n) => {
    const next = rng(m * 7919 + k * 104729 + n);
    checkShape(m, k, n, random(m, k, next), random(k, n, next));
  });

  it('128×784×512 (the MNIST MLP layer) matches float64 in every storage', () => {
    const next = rng(784);
    checkShape(128, 784, 512, random(128, 784, next), random(784, 512, next));
  });

  it('k = 0 gives zeros; m = 0 or n = 0 is done without touching c', () => {
    for (const [tA, tB] of STORAGES) {
      const c = new Float32Array(12).fill(NaN);
      expect(
        activeBackend().matmul!(3, 0, 4, new Float32Array(0), new Float32Array(0), c, tA, tB),
      ).toBe(true);
      expect(Array.from(c)).toEqual(new Array(12).fill(0));
      const d = new Float32Array(1).fill(7);
      expect(
        activeBackend().matmul!(0, 5, 4, new Float32Array(0), new Float32Array(20), d, tA, tB),
      ).toBe(true);
      expect(
        activeBackend().matmul!(4, 5, 0, new Float32Array(20), new Float32Array(0), d, tA, tB),
      ).toBe(true);
      expect(d[0]).toBe(7);
    }
  });

  it('propagates NaN and ±Infinity: 0·∞ = NaN, ∞ − ∞ = NaN, a NaN poisons its row', () => {
    // Odd sizes so that the special values sit in edge tiles as well as whole ones.
    for (const [m, k, n] of [
      [9, 11, 13],
      [6, 300, 21],
    ]) {
      const next = rng(m + k + n);
      const A = random(m, k, next);
      const B = random(k, n, next);
      A[0 * k + 2] = Infinity; // row 0 · column j: ∞·b_2j; b_2,1 = 0 gives NaN
      B[2 * n + 1] = 0;
      A[1 * k + 3] = NaN; // row 1 all NaN
      A[2 * k + 4] = Infinity; // row 2: ∞·b_4j; column 3 also −∞ from another term
      A[2 * k + 5] = -Infinity;
      B[4 * n + 3] = 1;
      B[5 * n + 3] = 1;
      B[(k - 1) * n + (n - 1)] = -Infinity; // the last column: ±∞ wherever a_i,k−1 ≠ 0
      A[(m - 1) * k + (k - 1)] = 0; // … and NaN in the last row (0·∞)
      const { ref, mag } = reference(A, B, m, k, n);
      expect(Number.isNaN(ref[0 * n + 1])).toBe(true);
      expect(Number.isNaN(ref[2 * n + 3])).toBe(true);
      expect(Number.isNaN(ref[(m - 1) * n + (n - 1)])).toBe(true);
      expect(ref[(m - 2) * n + (n - 1)]).toBe(A[(m - 2) * k + k - 1] > 0 ? -Infinity : Infinity);
      for (const [tA, tB] of STORAGES) {
        const c = wasmProduct(A, B, m, k, n, tA, tB);
        expectClose(c, ref, mag, k, `${m}×${k}×${n} special values, transA=${tA} transB=${tB}`);
      }
    }
  });

  it('is deterministic, and keeps the other wasm kernels working', () => {
    const next = rng(5);
    const A = random(70, 300, next);
    const B = random(300, 90, next);
    const c1 = wasmProduct(A, B, 70, 300, 90, false, true);
    const c2 = wasmProduct(A, B, 70, 300, 90, false, true);
    expect(Array.from(c2)).toEqual(Array.from(c1));
    // The scratch tiles of the elementwise kernels still work after the GEMM's workspace was added.
    const x = Float32Array.from({ length: 40000 }, (_, i) => Math.sin(i));
    const out = new Float32Array(x.length);
    expect(activeBackend().unaryForward!('relu', x.length, out, x, [])).toBe(true);
    out.forEach((v, i) => {
      if (v !== Math.max(0, x[i])) expect.fail(`relu[${i}]`);
    });
  });

  it('declines float64 and mixed dtypes; throws on arrays shorter than the shapes', () => {
    const mm = activeBackend().matmul!;
    const f32 = (n: number) => new Float32Array(n);
    expect(
      mm(2, 2, 2, new Float64Array(4), new Float64Array(4), new Float64Array(4), false, false),
    ).toBe(false);
    expect(mm(2, 2, 2, f32(4), new Float64Array(4), f32(4), false, false)).toBe(false);
    expect(() => mm(2, 2, 2, f32(3), f32(4), f32(4), false, false)).toThrow(
      'nnkit wasm kernel matmul: a holds 3 elements, needs m*k = 4',
    );
    expect(() => mm(2, 2, 2, f32(4), f32(4), f32(3), false, false)).toThrow(
      'nnkit wasm kernel matmul: c holds 3 elements, needs m*n = 4',
    );
    expect(() => mm(2, 2.5, 2, f32(8), f32(8), f32(4), false, false)).toThrow(
      'nnkit wasm kernel matmul: k must be a non-negative integer',
    );
  });

  it('runs matmul and nn.Linear-style gradients (x·wᵀ) as the JS backend does', () => {
    const next = rng(11);
    const x = new Tensor(random(20, 30, next), [20, 30]);
    const w = new Tensor(random(40, 30, next), [40, 30]);
    const g = new Tensor(random(20, 40, next), [20, 40]);
    const run = (backend: BackendName) => {
      setBackend(backend);
      const xr = x.detach().requiresGrad_();
      const wr = w.detach().requiresGrad_();
      const y = matmulTransposed(xr, wr, false, true);
      y.mul(g).sum().backward();
      const z = x.matmul(w.t().contiguous());
      return { y: y.data, z: z.data, dx: xr.grad!.data, dw: wr.grad!.data };
    };
    const js = run('js');
    const wasm = run('wasm');
    // Inputs in [−1, 1) and k ≤ 40 (30 for y and z, 40 for dx, 20 for dw): Σ|a|·|b| ≤ 40, so
    // each result is within γ_40·40 ≈ 1e-4 of the exact product; 4e-4 apart at most.
    for (const key of ['y', 'z', 'dx', 'dw'] as const) {
      expect(wasm[key].length, key).toBe(js[key].length);
      wasm[key].forEach((v, i) => {
        if (!(Math.abs(v - js[key][i]) <= 1e-5 * 40))
          expect.fail(`${key}[${i}]: ${v} vs ${js[key][i]}`);
      });
    }
  });

  it('adds the bias to the first k block, as on one BLAS call: y = (x·wᵀ + b) rounded per block', () => {
    // k = 600 is three k blocks: the bias joins the first block's float32 sums, then each
    // later block's sums are added. Recompute that order here from the GEMM's own products:
    // y = fl(fl(fl(s1 + b) + s2) + s3), with s_i the block sums of matmul over each k block.
    const [m, k, n] = [37, 600, 530];
    const next = rng(21);
    const x = random(m, k, next);
    const w = random(n, k, next);
    const b = random(1, n, next);
    const y = new Float32Array(m * n);
    expect(activeBackend().linear!(m, k, n, x, w, b, y)).toBe(true);
    const expected = new Float32Array(m * n);
    for (let p0 = 0, first = true; p0 < k; p0 += 256, first = false) {
      const kc = Math.min(256, k - p0);
      const xs = new Float32Array(m * kc);
      const ws = new Float32Array(n * kc);
      for (let i = 0; i < m; i++) xs.set(x.subarray(i * k + p0, i * k + p0 + kc), i * kc);
      for (let j = 0; j < n; j++) ws.set(w.subarray(j * k + p0, j * k + p0 + kc), j * kc);
      const s = new Float32Array(m * n);
      activeBackend().matmul!(m, kc, n, xs, ws, s, false, true);
      for (let i = 0; i < m * n; i++)
        expected[i] = first ? Math.fround(s[i] + b[i % n]) : Math.fround(expected[i] + s[i]);
    }
    const differ = y.filter((v, i) => !Object.is(v, expected[i])).length;
    expect(differ).toBe(0);
    // k = 0: every row is the bias.
    const y0 = new Float32Array(3 * n);
    expect(activeBackend().linear!(3, 0, n, new Float32Array(0), new Float32Array(0), b, y0)).toBe(
      true,
    );
    expect(Array.from(y0.subarray(2 * n))).toEqual(Array.from(b));
  });

  it('sums the bias gradient in float64 in row order, bit for bit as JS, over any blocking', () => {
    // 70,001 columns: two panels of float64 sums (65,536 each at most); 9 rows of them do not
    // fit one staged chunk (262,144 floats); 3000×100 (a's hidden layer) is 5 chunks.
    for (const [m, n] of [
      [9, 70_001],
      [3000, 100],
      [1, 3],
      [0, 5],
    ]) {
      const next = rng(m + n);
      const g = Float32Array.from({ length: m * n }, () => (next() * 2 - 1) * 10 ** (next() * 8));
      if (m > 0) g[n - 1] = Number.NaN;
      const db = new Float32Array(n);
      const dw = new Float32Array(n);
      expect(activeBackend().linearBackward!(m, 1, n, g, new Float32Array(m), dw, db)).toBe(true);
      const acc = new Float64Array(n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) acc[j] += g[i * n + j];
      const want = Float32Array.from(acc);
      const differ = db.filter((v, j) => !Object.is(v, want[j])).length;
      expect(differ, `${m}×${n}`).toBe(0);
    }
  });
});
