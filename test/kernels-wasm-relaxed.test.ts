/**
 * The wasm backend's relaxed-SIMD build (wasm/assembly/relaxed.ts, loaded by
 * src/kernels/wasm/relaxed.ts), which browsers with relaxed SIMD and Node 22+
 * use; this file turns it on for itself where it is behind a flag
 * (test/helpers/relaxed.ts).
 *
 * The GEMM: both builds are checked bit for bit against the order of
 * operations they promise, recomputed here in JavaScript: within each k block
 * of 256, for p = 0, 1, …: s ← fl(a_ip·b_pj + s) with one rounding (fused;
 * relaxed build on a CPU with FMA) or s ← fl(s + fl(a_ip·b_pj)) (plain build,
 * and what relaxed SIMD may do on a CPU without FMA); the first block's sums
 * plus the bias, then each later block's added in turn. The fused step is
 * computed as Math.fround(a·b + s) in float64, where a·b is exact (two 24-bit
 * significands) and the sum is rounded twice, to float64 and then float32;
 * that differs from one rounding only when the float64 sum falls exactly on
 * a float32 midpoint, which none of these inputs hit (the check would show it).
 *
 * The optimizer steps: their `fma` nodes are rounded once by the relaxed
 * build, twice (float64, then float32) by the plain one; a step built to fall
 * between the two shows which. Against PyTorch over several steps, in
 * optim-fused.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { KernelBackend } from '../src/kernels/backend.js';
import { readFileSync } from 'node:fs';
import { availableBackends, setBackend, wasmRelaxedSimd } from '../src/index.js';
import { activeBackend } from '../src/kernels/backend.js';
import { makeBackend, type WasmExports } from '../src/kernels/wasm/index.js';
import { relaxedBytes } from '../src/kernels/wasm/relaxed.js';
import { rng } from './helpers/random.js';
import { cpuHasFma, registerRelaxedWasm, relaxedByDefault } from './helpers/relaxed.js';

const hasWasm = availableBackends().includes('wasm');
// What the backend registered at import took, before this file turns relaxed SIMD on.
const relaxedAtImport = wasmRelaxedSimd();

/**
 * The wasm backend as nnkit registers it where relaxed SIMD is on (the path of
 * node.ts and browser.ts), or over a fresh instance with its own plain kernels.
 */
function backendOver(relaxed: boolean): KernelBackend {
  if (relaxed) {
    registerRelaxedWasm();
    setBackend('wasm');
    return activeBackend();
  }
  const bytes = readFileSync(new URL('../src/kernels/wasm/kernels.wasm', import.meta.url));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  return makeBackend(instance.exports as unknown as WasmExports);
}

function random(length: number, next: () => number): Float32Array {
  return Float32Array.from({ length }, () => next() * 2 - 1);
}

function transpose(x: Float32Array, r: number, c: number): Float32Array {
  const t = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = x[i * c + j];
  return t;
}

const KC = 256;

/**
 * A[m×k]·B[k×n] (+ bias per column) in the GEMM's order, each step fused or
 * not (see the file's comment).
 */
function ordered(
  A: Float32Array,
  B: Float32Array,
  m: number,
  k: number,
  n: number,
  fused: boolean,
  bias: Float32Array | null = null,
): Float32Array {
  const c = new Float32Array(m * n);
  const f = Math.fround;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let total = 0;
      for (let p0 = 0; p0 < k || p0 === 0; p0 += KC) {
        let s = 0;
        for (let p = p0; p < Math.min(k, p0 + KC); p++) {
          const a = A[i * k + p];
          const b = B[p * n + j];
          s = fused ? f(a * b + s) : f(s + f(a * b));
        }
        total = p0 === 0 ? (bias ? f(s + bias[j]) : s) : f(total + s);
      }
      c[i * n + j] = total;
    }
  }
  return c;
}

function expectSame(got: Float32Array, want: Float32Array, what: string): void {
  expect(got.length, what).toBe(want.length);
  const bad: string[] = [];
  for (let i = 0; i < want.length && bad.length < 5; i++)
    if (!Object.is(got[i], want[i])) bad.push(`[${i}] ${got[i]} ≠ ${want[i]}`);
  if (bad.length) expect.fail(`${what}: ${bad.join(', ')}`);
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [5, 7, 9], // partial tiles only
  [13, 300, 17], // two k blocks
  [37, 600, 45], // three k blocks, whole and partial 4×8 tiles
];

/** Special values in edge and whole tiles: ∞·0 = NaN, ∞ − ∞ = NaN, a NaN row, an infinite column. */
function withSpecials(A: Float32Array, B: Float32Array, m: number, k: number, n: number): void {
  A[2] = Infinity;
  B[2 * n + 1] = 0;
  A[k + 3] = Number.NaN;
  A[2 * k + 4] = Infinity;
  A[2 * k + 5] = -Infinity;
  B[4 * n + 3] = 1;
  B[5 * n + 3] = 1;
  B[(k - 1) * n + (n - 1)] = -Infinity;
  A[(m - 1) * k + (k - 1)] = 0;
}

describe.skipIf(!hasWasm)('wasm relaxed-SIMD build', () => {
  it('is what this runtime accepts: taken at import exactly where relaxed SIMD validates', () => {
    expect(relaxedAtImport).toBe(relaxedByDefault);
    expect(wasmRelaxedSimd(), 'and registerWasm with the relaxed kernels says so').toBe(true);
    expect(relaxedBytes(false), 'the flag turns relaxed SIMD on').not.toBeNull();
    expect(relaxedBytes(true), "and the pool's shared-memory build validates too").not.toBeNull();
  });

  const relaxed = hasWasm ? backendOver(true) : null;
  const plain = hasWasm ? backendOver(false) : null;
  const fma = cpuHasFma();

  it.each(SHAPES)(
    'GEMM %i×%i×%i: the relaxed build sums with fused multiply-adds, the plain one without, in every storage',
    (m, k, n) => {
      const next = rng(m * 31 + k * 7 + n);
      const A = random(m * k, next);
      const B = random(k * n, next);
      if (m >= 3 && k >= 6 && n >= 4) withSpecials(A, B, m, k, n);
      const fusedRef = ordered(A, B, m, k, n, true);
      const plainRef = ordered(A, B, m, k, n, false);
      for (const [tA, tB] of [
        [false, false],
        [false, true],
        [true, false],
        [true, true],
      ]) {
        const run = (backend: KernelBackend): Float32Array => {
          const c = new Float32Array(m * n).fill(Number.NaN);
          const a = tA ? transpose(A, m, k) : A;
          const b = tB ? transpose(B, k, n) : B;
          expect(backend.matmul!(m, k, n, a, b, c, tA, tB)).toBe(true);
          return c;
        };
        const what = `${m}×${k}×${n} transA=${tA} transB=${tB}`;
        expectSame(run(relaxed!), fma ? fusedRef : plainRef, `relaxed ${what}`);
        expectSame(run(plain!), plainRef, `plain ${what}`);
      }
      // The two orders do differ on these inputs (else the checks above could not tell the
      // builds apart).
      if (fma && k > 1) expect(fusedRef.some((v, i) => !Object.is(v, plainRef[i]))).toBe(true);
    },
  );

  it("GEMM: adds nn.Linear's bias to the first k block's fused sums", () => {
    const [m, k, n] = [21, 600, 19];
    const next = rng(99);
    const x = random(m * k, next);
    const w = random(n * k, next); // nn.Linear's weight: n rows of k
    const bias = random(n, next);
    const y = new Float32Array(m * n);
    expect(relaxed!.linear!(m, k, n, x, w, bias, y)).toBe(true);
    expectSame(y, ordered(x, transpose(w, n, k), m, k, n, fma, bias), 'relaxed linear');
  });
  it('optimizers: rounds a multiply-add once where the plain build rounds it twice', () => {
    // SGD without momentum or decay is one multiply-add per element: p ← fma(−lr, g, p). With
    // p = 1 + 2⁻²³ and −lr·g = 2⁻²⁴(1 − 2⁻³⁶), the exact sum lies just below the midpoint
    // 1 + 3·2⁻²⁴ between two floats: rounded once it is p again; rounded to float64 first it
    // is that midpoint, which ties to the even 1 + 2⁻²².
    const negLr = -(2 ** -12) * (1 + 2 ** -18);
    const g = -(2 ** -12) * (1 - 2 ** -18);
    const p0 = 1 + 2 ** -23;
    const step = (backend: KernelBackend): number => {
      const p = new Float32Array(41).fill(p0); // whole vectors and a tail
      const grad = new Float32Array(41).fill(g);
      const none = new Float32Array(0);
      expect(
        backend.sgdStep!(1, [p], [grad], [none], 0, 0, 1, negLr, false, false, false, true, false),
      ).toBe(true);
      expect(p.every((v) => v === p[0])).toBe(true);
      return p[0];
    };
    expect(step(plain!)).toBe(1 + 2 ** -22);
    expect(step(relaxed!)).toBe(fma ? p0 : 1 + 2 ** -22);
  });

  it('optimizers: Adam, AdamW and RMSprop round their moment updates once, too', () => {
    // Each first moment is fma(1 − β, g, m·β); with β = 1 the product m·β is exact, and the
    // same operands as in the SGD case above fall between one rounding and two.
    const a = 2 ** -12 * (1 + 2 ** -18);
    const g = 2 ** -12 * (1 - 2 ** -18);
    const m0 = 1 + 2 ** -23;
    const n = 23;
    const moment = (backend: KernelBackend, which: 'adam' | 'adamw' | 'rmsprop'): number => {
      const p = new Float32Array(n).fill(0.5);
      const grad = new Float32Array(n).fill(g);
      const m = new Float32Array(n).fill(m0);
      const v = new Float32Array(n).fill(1);
      const w = new Float32Array(n).fill(1);
      // Adam(W): β1 = 1, 1 − β1 = a, β2, 1 − β2, √(bias correction 2), ε, −step size; flags.
      const moments = [1, a, 0.999, 0.001, 0.5, 1e-8, -0.001, false, false, false] as const;
      const ok =
        which === 'adam'
          ? backend.adamStep!(1, [p], [grad], [m], [v], [w], 0, ...moments)
          : which === 'adamw'
            ? backend.adamwStep!(1, [p], [grad], [m], [v], [w], 1, ...moments)
            : // RMSprop, centred: the gradient average is fma(1 − α, g, avg·α), here in m.
              backend.rmspropStep!(
                1,
                [p],
                [grad],
                [v],
                [m],
                [w],
                0,
                1,
                a,
                1e-8,
                0,
                -0.01,
                false,
                false,
                true,
                false,
              );
      expect(ok, which).toBe(true);
      expect(m.every((x) => x === m[0])).toBe(true);
      return m[0];
    };
    for (const which of ['adam', 'adamw', 'rmsprop'] as const) {
      expect(moment(plain!, which), `plain ${which}`).toBe(1 + 2 ** -22);
      expect(moment(relaxed!, which), `relaxed ${which}`).toBe(fma ? m0 : 1 + 2 ** -22);
    }
  });
});
