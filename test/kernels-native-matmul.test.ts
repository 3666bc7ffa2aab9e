/**
 * The native addon's GEMM (native/gemm.h) against the JavaScript matmul
 * (src/ops/linalg.ts): `matmul` with the native backend active vs the JS
 * backend, float32 and float64, every instruction set this CPU has, one
 * thread and four (rows and column splits). Tolerance relative to the
 * magnitude Σ_p |a_ip|·|b_pj| of each output element: float32 1e-5 abs +
 * 1e-5 rel, float64 1e-12 abs + 1e-9 rel. Also k = 0 (zeros), batched
 * products, gradients through x.matmul(w), arguments the addon declines, and
 * the NNKIT_ISA environment variable.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Tensor, getBackend, setBackend } from '../src/index.js';
import { nativeAddon } from '../src/kernels/native/index.js';
import { matmulTransposed } from '../src/ops/linalg.js';
import { gradcheck } from '../src/autograd/gradcheck.js';
import type { Floats } from '../src/kernels/js/types.js';
import { rng } from './helpers/random.js';

const TOL = { float32: [1e-5, 1e-5], float64: [1e-12, 1e-9] } as const;
type DT = keyof typeof TOL;
const DTYPES: DT[] = ['float32', 'float64'];

function randomArray(dt: DT, n: number, r: () => number): Floats {
  const a = dt === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = r() * 2 - 1;
  return a;
}

/** Σ_p |a_ip|·|b_pj| for every output element of each batch, in float64. */
function magnitude(a: Floats, b: Floats, batch: number, m: number, k: number, n: number) {
  const mag = new Float64Array(batch * m * n);
  for (let s = 0; s < batch; s++)
    for (let i = 0; i < m; i++)
      for (let p = 0; p < k; p++) {
        const av = Math.abs(a[s * m * k + i * k + p]);
        for (let j = 0; j < n; j++)
          mag[s * m * n + i * n + j] += av * Math.abs(b[s * k * n + p * n + j]);
      }
  return mag;
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
      expect.fail(`${what}[${i}]: native ${actual[i]} vs js ${expected[i]} (${dt})`);
  }
}

/** Instruction sets to run the addon with (all this CPU supports). */
function isas(): string[] {
  return nativeAddon ? nativeAddon.isas() : [];
}

function withBackend<T>(name: 'native' | 'js', body: () => T): T {
  const before = getBackend();
  setBackend(name);
  try {
    return body();
  } finally {
    setBackend(before);
  }
}

// The addon is built by `npm install` / `npm run build:native`; without it
// (no C++ toolchain, a browser, NNKIT_NATIVE=0) there is nothing to compare,
// and every backend then runs the JS matmul these tests compare against.
const SKIP_REASON = nativeAddon ? null : 'native addon unavailable (not built or NNKIT_NATIVE=0)';
if (SKIP_REASON) console.warn(`kernels-native-matmul: skipped: ${SKIP_REASON}`);

const SIZES = [1, 3, 17, 64, 129];
/**
 * Larger shapes: several k blocks (k > 256), several column panels, thread
 * splits; and narrow ones (n ≤ 4, the dot-product path) with several of its
 * k blocks of 8192.
 */
const LARGE: [number, number, number][] = [
  [129, 600, 300],
  [3, 300, 2000],
  [40, 1000, 33],
  [257, 31, 520],
  [25, 20000, 4],
  [41, 9000, 3],
];

describe.skipIf(SKIP_REASON !== null)('native matmul', () => {
  const addon = nativeAddon!;
  const variants = isas().flatMap((isa) => [1, 4].map((threads) => ({ isa, threads })));
  // describe.skipIf still runs this body to collect tests: touch the addon only when present.
  const saved = addon ? { isa: addon.isa(), threads: addon.getNumThreads() } : null;
  afterEach(() => {
    if (!saved) return;
    addon.useIsa(saved.isa);
    addon.setNumThreads(saved.threads);
  });

  function compare(dt: DT, batchShape: number[], m: number, k: number, n: number, seed: number) {
    const r = rng(seed);
    const batch = batchShape.reduce((p, d) => p * d, 1);
    const ad = randomArray(dt, batch * m * k, r);
    const bd = randomArray(dt, batch * k * n, r);
    const a = new Tensor(ad, [...batchShape, m, k]);
    const b = new Tensor(bd, [...batchShape, k, n]);
    const got = withBackend('native', () => a.matmul(b));
    const want = withBackend('js', () => a.matmul(b));
    expect(got.shape).toEqual(want.shape);
    expect(got.dtype).toBe(dt);
    const what = `[${batchShape.join(',')}${batchShape.length ? ',' : ''}${m}x${k}]@[${k}x${n}]`;
    expectClose(dt, got.data, want.data, magnitude(ad, bd, batch, m, k, n), what);
  }

  for (const v of variants) {
    for (const dt of DTYPES) {
      it(`matches js on odd and small shapes (${v.isa}, ${v.threads} thread(s), ${dt})`, () => {
        addon.useIsa(v.isa);
        addon.setNumThreads(v.threads);
        let seed = 1;
        for (const m of SIZES)
          for (const k of SIZES) for (const n of SIZES) compare(dt, [], m, k, n, seed++);
      });

      it(`matches js on large shapes and batches (${v.isa}, ${v.threads} thread(s), ${dt})`, () => {
        addon.useIsa(v.isa);
        addon.setNumThreads(v.threads);
        let seed = 1000;
        for (const [m, k, n] of LARGE) compare(dt, [], m, k, n, seed++);
        compare(dt, [3], 17, 64, 129, seed++);
        compare(dt, [2, 2], 5, 3, 7, seed++);
      });
    }
  }

  /** op(a)·op(b) from operands stored transposed where asked, native in place vs JS copies. */
  function compareTransposed(dt: DT, m: number, k: number, n: number, tA: boolean, tB: boolean) {
    const r = rng(m * 7 + k * 5 + n * 3 + (tA ? 1 : 0) + (tB ? 2 : 0));
    const ad = randomArray(dt, m * k, r);
    const bd = randomArray(dt, k * n, r);
    const a = new Tensor(ad, tA ? [k, m] : [m, k]);
    const b = new Tensor(bd, tB ? [n, k] : [k, n]);
    const got = withBackend('native', () => matmulTransposed(a, b, tA, tB));
    const want = withBackend('js', () =>
      (tA ? a.transpose(0, 1) : a).matmul(tB ? b.transpose(0, 1) : b),
    );
    expect(got.shape).toEqual([m, n]);
    const opA = tA ? (a.transpose(0, 1).data as Floats) : ad;
    const opB = tB ? (b.transpose(0, 1).data as Floats) : bd;
    expectClose(
      dt,
      got.data,
      want.data,
      magnitude(opA, opB, 1, m, k, n),
      `${m}x${k}x${n} tA=${tA} tB=${tB}`,
    );
  }

  for (const v of variants) {
    it(`reads transposed operands in place (${v.isa}, ${v.threads} thread(s))`, () => {
      addon.useIsa(v.isa);
      addon.setNumThreads(v.threads);
      for (const dt of DTYPES)
        for (const tA of [false, true])
          for (const tB of [false, true]) {
            for (const [m, k, n] of [
              [1, 1, 1],
              [7, 3, 17],
              [33, 300, 65],
              [200, 31, 700],
              ...LARGE,
            ])
              compareTransposed(dt, m, k, n, tA, tB);
          }
    });
  }

  it('matmulTransposed passes gradcheck for every transposition (float64, native)', () => {
    withBackend('native', () => {
      const r = rng(5);
      for (const tA of [false, true])
        for (const tB of [false, true]) {
          const [m, k, n] = [4, 5, 3];
          const a = new Tensor(
            randomArray('float64', m * k, r),
            tA ? [k, m] : [m, k],
          ).requiresGrad_();
          const b = new Tensor(
            randomArray('float64', k * n, r),
            tB ? [n, k] : [k, n],
          ).requiresGrad_();
          expect(
            gradcheck((x, y) => matmulTransposed(x, y, tA, tB), [a, b]),
            `tA=${tA} tB=${tB}`,
          ).toBe(true);
        }
    });
  });

  for (const dt of DTYPES) {
    it(`k = 0 gives zeros (${dt})`, () => {
      for (const [m, n] of [
        [1, 1],
        [17, 129],
        [300, 300],
      ]) {
        const c = dt === 'float32' ? new Float32Array(m * n) : new Float64Array(m * n);
        c.fill(Number.NaN);
        const empty = dt === 'float32' ? new Float32Array(0) : new Float64Array(0);
        expect(addon.matmul(m, 0, n, empty, empty, c, false, false)).toBe(true);
        expect(Array.from(c).every((x) => x === 0)).toBe(true);
        const a = new Tensor(empty, [m, 0]);
        const b = new Tensor(empty, [0, n]);
        const out = withBackend('native', () => a.matmul(b));
        expect(out.shape).toEqual([m, n]);
        expect(Array.from(out.data).every((x) => x === 0)).toBe(true);
      }
    });

    it(`gradients through x.matmul(w) match js (${dt})`, () => {
      const r = rng(77);
      const [m, k, n] = [17, 129, 64];
      const xd = randomArray(dt, m * k, r);
      const wd = randomArray(dt, k * n, r);
      const gd = randomArray(dt, m * n, r);
      const run = (name: 'native' | 'js') =>
        withBackend(name, () => {
          const x = new Tensor(xd.slice(), [m, k]).requiresGrad_();
          const w = new Tensor(wd.slice(), [k, n]).requiresGrad_();
          const y = x.matmul(w);
          y.mul(new Tensor(gd, [m, n]))
            .sum()
            .backward();
          return { y: y.data, gx: x.grad!.data, gw: w.grad!.data };
        });
      const got = run('native');
      const want = run('js');
      expectClose(dt, got.y, want.y, magnitude(xd, wd, 1, m, k, n), 'y');
      // dx = g · wᵀ and dw = xᵀ · g: magnitudes of those products.
      const abs = (t: Floats) => t.map(Math.abs);
      const wt = new Float64Array(n * k);
      for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) wt[j * k + p] = wd[p * n + j];
      const xt = new Float64Array(k * m);
      for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) xt[p * m + i] = xd[i * k + p];
      expectClose(dt, got.gx, want.gx, magnitude(abs(gd), wt, 1, m, n, k), 'dx');
      expectClose(dt, got.gw, want.gw, magnitude(xt, abs(gd), 1, k, m, n), 'dw');
    });
  }

  it('declines mismatched dtypes; throws on arrays too short and bad sizes', () => {
    const f32 = new Float32Array(12);
    const f64 = new Float64Array(12);
    const mm = (...args: unknown[]) =>
      (addon.matmul as unknown as (...a: unknown[]) => boolean)(...args);
    expect(mm(3, 4, 3, f32, f64, new Float32Array(9), false, false)).toBe(false);
    expect(mm(3, 4, 3, f32, f32, new Float64Array(9), false, false)).toBe(false);
    expect(() => mm(3, 4, 3, f32, f32, new Float32Array(8), false, false)).toThrow(
      'nnkit native kernel matmul: c holds 8 elements, needs m*n = 9',
    );
    expect(() => mm(4, 4, 3, f32, f32, new Float32Array(12), false, false)).toThrow(
      'nnkit native kernel matmul: a holds 12 elements, needs m*k = 16',
    );
    expect(() => mm(-1, 4, 3, f32, f32, new Float32Array(9), false, false)).toThrow(
      'nnkit native kernel matmul: m must be a non-negative integer',
    );
    expect(() => mm(1.5, 4, 3, f32, f32, new Float32Array(9), false, false)).toThrow(
      'nnkit native kernel matmul: m must be a non-negative integer',
    );
    expect(() => mm(3, 4, 3, new Int32Array(12), f32, new Float32Array(9), false, false)).toThrow(
      'nnkit native kernel matmul: a must be a Float32Array or Float64Array',
    );
    expect(() => mm(3, 4, 3, f32, f32, new Float32Array(9))).toThrow(
      'nnkit native kernel matmul: arguments must be 8 arguments',
    );
    expect(mm(3, 4, 3, f32, f32, new Float32Array(9), false, false)).toBe(true);
  });
});

describe.skipIf(!nativeAddon)('NNKIT_ISA picks the build the addon starts with', () => {
  /** The build a fresh process starts with under `NNKIT_ISA=value`. */
  function startsWith(value: string): string {
    const code = "const load = require('node-gyp-build'); console.log(load(process.cwd()).isa());";
    const r = spawnSync(process.execPath, ['-e', code], {
      cwd: join(import.meta.dirname, '..'),
      encoding: 'utf8',
      env: { ...process.env, NNKIT_ISA: value },
    });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout.trim();
  }

  it('starts with each build this CPU runs when asked, else with the best', () => {
    const isas = nativeAddon!.isas();
    for (const isa of isas) expect(startsWith(isa)).toBe(isa);
    expect(startsWith('')).toBe(isas[0]);
    expect(startsWith('sse9')).toBe(isas[0]);
  });
});
