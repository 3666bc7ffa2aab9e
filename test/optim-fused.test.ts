/**
 * The fused optimizer kernels (one call per parameter group) on every
 * backend against PyTorch 1.13 (scripts/golden/optim_fused.py): groups of
 * three tensors, with every vector loop's tail, whose tensors reach
 * different step counts (a tensor without a gradient at some step), 6
 * steps. Every kernel call must run on the backend under test: none may be
 * declined to the JS kernels (the calls are above the native threshold). float32 must be bit-identical to
 * PyTorch on every backend and instruction set; float64 within SPEC §6
 * (1e-12 + 1e-9·|ref|; the JS and wasm-less float64 loops round PyTorch's
 * fused multiply-adds twice). The native kernels split over threads must
 * give the one-thread result bit for bit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  availableBackends,
  getBackend,
  optim,
  setBackend,
  setNumThreads,
  tensor,
  wasmRelaxedSimd,
  type BackendName,
  type Tensor,
} from '../src/index.js';
import { activeBackend } from '../src/kernels/backend.js';
import { OPTIM_NATIVE_MIN, nativeAddon } from '../src/kernels/native/index.js';
import { forEachBackend } from './helpers/backends.js';
import { tolerance } from './helpers/golden.js';
import { cpuHasFma, registerRelaxedWasm } from './helpers/relaxed.js';

interface FusedCase {
  name: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop';
  options: Record<string, number | boolean | number[]>;
  seed: number;
  dtype: 'float32' | 'float64';
  params: { dtype: string; shape: number[]; base64: string }[];
}
interface FusedGolden {
  cases: FusedCase[];
  steps: number;
  shapes: number[][];
  skip: [number, number][];
}

const golden = JSON.parse(
  readFileSync(join(import.meta.dirname, 'golden', 'optim_fused.json'), 'utf8'),
) as FusedGolden;

/** The fixture's integer pattern, computed as the Python script does (exact or correctly rounded). */
const value = (seed: number, k: number, i: number): number =>
  (((i * 7919 + k * 104729 + seed * 13) % 2003) - 1001) / 503;

function pattern(seed: number, k: number, shape: readonly number[], scale = 1): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, i) => value(seed, k, i) * scale);
}

function decode(e: FusedCase['params'][number]): Float32Array | Float64Array {
  const bytes = Buffer.from(e.base64, 'base64');
  const copy = new Uint8Array(bytes).buffer;
  return e.dtype === 'float32' ? new Float32Array(copy) : new Float64Array(copy);
}

const camel = (opts: FusedCase['options']): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(opts).map(([k, v]) => [
      k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()),
      v,
    ]),
  );

function makeOptimizer(c: FusedCase, params: Tensor[]): optim.Optimizer {
  const o = camel(c.options);
  switch (c.optimizer) {
    case 'SGD':
      return new optim.SGD(params, o as Partial<optim.SGDOptions>);
    case 'Adam':
      return new optim.Adam(params, o as Partial<optim.AdamOptions>);
    case 'AdamW':
      return new optim.AdamW(params, o as Partial<optim.AdamOptions>);
    case 'RMSprop':
      return new optim.RMSprop(params, o as Partial<optim.RMSpropOptions>);
  }
}

const STEP_KERNELS = ['sgdStep', 'adamStep', 'adamwStep', 'rmspropStep'] as const;

/**
 * Runs `body` counting the active backend's optimizer-kernel calls: those
 * it ran and those it declined (which the JS kernels then ran).
 */
function counting<T>(body: () => T): { result: T; ran: number; declined: number } {
  const backend = activeBackend() as unknown as Record<string, (...a: unknown[]) => unknown>;
  const saved = STEP_KERNELS.map((k) => backend[k]);
  let ran = 0;
  let declined = 0;
  STEP_KERNELS.forEach((k, i) => {
    const fn = saved[i];
    backend[k] = (...a: unknown[]) => {
      const r = fn.apply(backend, a);
      if (r === false) declined++;
      else ran++;
      return r;
    };
  });
  try {
    return { result: body(), ran, declined };
  } finally {
    STEP_KERNELS.forEach((k, i) => (backend[k] = saved[i]));
  }
}

/** Runs a case; returns the parameters after the last step. */
function run(c: FusedCase): Tensor[] {
  const params = golden.shapes.map((shape, j) =>
    tensor(pattern(c.seed + j, 0, shape), { dtype: c.dtype, shape, requiresGrad: true }),
  );
  const skip = new Set(golden.skip.map(([k, j]) => `${k},${j}`));
  const opt = makeOptimizer(c, params);
  for (let k = 0; k < golden.steps; k++) {
    params.forEach((p, j) => {
      p.grad = skip.has(`${k},${j}`)
        ? null
        : tensor(pattern(c.seed + j, k + 1, p.shape, k % 2 ? 0.1 : 1.5), {
            dtype: c.dtype,
            shape: [...p.shape],
          });
    });
    opt.step();
  }
  return params;
}

/** Elements that differ from PyTorch's: in bits (float32) or beyond SPEC §6 (float64). */
function mismatches(c: FusedCase, params: Tensor[]): number {
  const { atol, rtol } = tolerance(c.dtype);
  let bad = 0;
  params.forEach((p, j) => {
    const want = decode(c.params[j]);
    const got = p.data;
    expect(got.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) {
      const ok =
        c.dtype === 'float32'
          ? Object.is(got[i], want[i])
          : Math.abs(got[i] - want[i]) <= atol + rtol * Math.abs(want[i]);
      if (!ok) bad++;
    }
  });
  return bad;
}

describe('fused optimizer kernels against PyTorch', () => {
  it('groups are large enough for the native backend to take them', () => {
    const total = golden.shapes.reduce((s, sh) => s + sh.reduce((a, b) => a * b, 1), 0);
    expect(total).toBeGreaterThanOrEqual(OPTIM_NATIVE_MIN);
  });

  forEachBackend((backend) => {
    // Each build of the addon this CPU runs (avx512 shares avx2's loops).
    const isas = backend === 'native' && nativeAddon ? nativeAddon.isas() : [null];
    for (const isa of isas) {
      for (const c of golden.cases) {
        it(`${c.name} (${c.dtype})${isa ? ` ${isa}` : ''}`, () => {
          const before = nativeAddon?.isa();
          if (isa) expect(nativeAddon!.useIsa(isa)).toBe(true);
          try {
            expect(getBackend()).toBe(backend);
            const { result, ran, declined } = counting(() => run(c));
            expect(mismatches(c, result), `${backend} ${c.name}`).toBe(0);
            // The backend itself ran every call (wasm declines float64, by design;
            // dispatch calls the JS kernels directly when js is active).
            if (backend !== 'js') {
              const own = !(backend === 'wasm' && c.dtype === 'float64');
              expect(ran > 0 && declined === 0, `ran ${ran}, declined ${declined}`).toBe(own);
            }
          } finally {
            if (before) nativeAddon!.useIsa(before);
          }
        });
      }
    }
  });
});

describe('native optimizer kernels over threads', () => {
  it.runIf(nativeAddon !== null)('give the one-thread result bit for bit', () => {
    const previous = getBackend();
    setBackend('native');
    const sizes = [70_001, 3, 65_553, 1000];
    const fill = (seed: number) =>
      sizes.map((n) => Float32Array.from({ length: n }, (_, i) => value(seed, 1, i)));
    const runAll = (threads: number): Float32Array[][] => {
      setNumThreads(threads);
      const k = activeBackend();
      const p = fill(1);
      const g = fill(2);
      const m = fill(3).map((a) => a.map(Math.abs));
      const v = fill(4).map((a) => a.map(Math.abs));
      const w = fill(5).map((a) => a.map(Math.abs));
      const t = sizes.length;
      const ran = [
        k.adamStep!(
          t,
          p,
          g,
          m,
          v,
          w,
          0.01,
          0.9,
          0.1,
          0.999,
          0.001,
          0.3,
          1e-8,
          -0.01,
          false,
          true,
          true,
        ),
        k.adamwStep!(
          t,
          p,
          g,
          m,
          v,
          w,
          0.999,
          0.9,
          0.1,
          0.999,
          0.001,
          0.3,
          1e-8,
          -0.01,
          true,
          true,
          false,
        ),
        k.sgdStep!(t, p, g, m, 0.01, 0.9, 0.7, -0.1, false, true, true, false, true),
        k.rmspropStep!(
          t,
          p,
          g,
          v,
          m,
          w,
          0.01,
          0.99,
          0.01,
          1e-8,
          0.5,
          -0.01,
          false,
          true,
          true,
          true,
        ),
      ];
      expect(ran).toEqual([true, true, true, true]);
      return [p, m, v, w];
    };
    try {
      const one = runAll(1);
      const two = runAll(2);
      expect(two).toEqual(one);
      // Not vacuous: the steps changed the parameters.
      expect(one[0][0][5]).not.toBe(fill(1)[0][5]);
    } finally {
      setNumThreads(1);
      setBackend(previous);
    }
  });
});

// The wasm backend with its relaxed-SIMD build (Chromium 114+, Node 22+; turned on here where
// it is behind a flag): the optimizer steps round their multiply-adds once, as PyTorch does, so
// float32 must be bit-identical to PyTorch on a CPU with FMA. Without FMA relaxed SIMD rounds
// the product and the sum apart, and the cases are skipped.
describe.runIf(availableBackends().includes('wasm'))(
  'wasm with relaxed SIMD against PyTorch',
  () => {
    let previous: BackendName;
    beforeAll(() => {
      previous = getBackend();
      registerRelaxedWasm();
      setBackend('wasm');
    });
    afterAll(() => setBackend(previous));

    for (const c of golden.cases.filter((x) => x.dtype === 'float32')) {
      it.runIf(cpuHasFma())(`${c.name} (float32)`, () => {
        expect(wasmRelaxedSimd()).toBe(true);
        const { result, ran, declined } = counting(() => run(c));
        expect(mismatches(c, result), `wasm relaxed ${c.name}`).toBe(0);
        expect(ran > 0 && declined === 0, `ran ${ran}, declined ${declined}`).toBe(true);
      });
    }
  },
);
