/**
 * The wasm GEMM's relaxed-SIMD build (wasm/assembly/gemm-relaxed.ts, loaded
 * by src/kernels/wasm/relaxed-gemm.ts), which browsers with relaxed SIMD and
 * Node 22+ use. Node 20 accepts relaxed SIMD only behind a V8 flag, which
 * this file sets for itself there (`v8.setFlagsFromString`: the flag is read
 * when a module is validated, and vitest runs each test file in its own
 * process).
 *
 * Both builds are checked bit for bit against the order of operations they
 * promise, recomputed here in JavaScript: within each k block of 256, for
 * p = 0, 1, …: s ← fl(a_ip·b_pj + s) with one rounding (fused; relaxed build
 * on a CPU with FMA) or s ← fl(s + fl(a_ip·b_pj)) (plain build, and what
 * relaxed SIMD may do on a CPU without FMA); the first block's sums plus the
 * bias, then each later block's added in turn. The fused step is computed
 * as Math.fround(a·b + s) in float64, where a·b is exact (two 24-bit
 * significands) and the sum is rounded twice, to float64 and then float32;
 * that differs from one rounding only when the float64 sum falls exactly on
 * a float32 midpoint, which none of these inputs hit (the check would show it).
 */
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { KernelBackend } from '../src/kernels/backend.js';
import { availableBackends, wasmGemmKind } from '../src/index.js';
import { makeBackend, type WasmExports } from '../src/kernels/wasm/index.js';
import { relaxedGemmBytes, relaxedGemmSync } from '../src/kernels/wasm/relaxed-gemm.js';
import { rng } from './helpers/random.js';

const hasWasm = availableBackends().includes('wasm');
// Whether this runtime took the relaxed build at import, before the flag below.
const relaxedByDefault = relaxedGemmBytes(false) !== null;
// Node 22+ (V8 11.4+) has relaxed SIMD on and no longer knows the flag.
if (!relaxedByDefault) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

/** Whether relaxed_madd is fused here: x86-64 with FMA3 (Linux reports it), or ARM64. */
function cpuHasFma(): boolean {
  if (process.arch === 'arm64') return true;
  try {
    return /^flags\s*:.*\bfma\b/m.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
}

/** A backend over a fresh kernels.wasm instance, with the relaxed gemm_block or the plain one. */
function backendOver(relaxed: boolean): KernelBackend {
  const bytes = readFileSync(new URL('../src/kernels/wasm/kernels.wasm', import.meta.url));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  const ex = instance.exports as unknown as WasmExports;
  if (!relaxed) return makeBackend(ex);
  const gemm = relaxedGemmSync(instance.exports.memory as WebAssembly.Memory);
  if (!gemm) throw new Error('the relaxed GEMM did not instantiate');
  return makeBackend({ ...ex, gemm_block: gemm }, {}, 'relaxed-simd');
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

describe.skipIf(!hasWasm)('wasm GEMM, relaxed-SIMD build', () => {
  it('is what this runtime accepts: taken at import exactly where relaxed SIMD validates', () => {
    expect(wasmGemmKind()).toBe(relaxedByDefault ? 'relaxed-simd' : 'simd');
    expect(relaxedGemmBytes(false), 'the flag turns relaxed SIMD on').not.toBeNull();
    expect(relaxedGemmBytes(true), 'and its shared-memory build validates too').not.toBeNull();
  });

  const relaxed = hasWasm ? backendOver(true) : null;
  const plain = hasWasm ? backendOver(false) : null;
  const fma = cpuHasFma();

  it.each(SHAPES)(
    '%i×%i×%i: the relaxed build sums with fused multiply-adds, the plain one without, in every storage',
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

  it("adds nn.Linear's bias to the first k block's fused sums", () => {
    const [m, k, n] = [21, 600, 19];
    const next = rng(99);
    const x = random(m * k, next);
    const w = random(n * k, next); // nn.Linear's weight: n rows of k
    const bias = random(n, next);
    const y = new Float32Array(m * n);
    expect(relaxed!.linear!(m, k, n, x, w, bias, y)).toBe(true);
    expectSame(y, ordered(x, transpose(w, n, k), m, k, n, fma, bias), 'relaxed linear');
  });
});
