/**
 * The normalization kernels (layerNormForward, layerNormBackward,
 * layerNormParamGrads) of every backend against the JavaScript ones, on
 * (batch, outer, size) layouts that cross the native kernels' block of 256
 * slices, batch norm's size-1 slices, one or two threads, float32 and
 * float64, with NaN and infinities in some slices (only those slices turn
 * NaN). Tolerances: float32 1e-5 abs + 1e-5 rel, float64 1e-12 + 1e-9
 * (the backends sum in other orders). The golden tests check the functions
 * built on them against PyTorch (test/normalization.test.ts).
 */
import { describe, expect, it } from 'vitest';
import '../src/index.js';
import {
  availableBackends,
  dispatch,
  getBackend,
  setBackend,
  setNumThreads,
} from '../src/kernels/backend.js';
import {
  layerNormBackwardJs,
  layerNormForwardJs,
  layerNormParamGradsJs,
} from '../src/kernels/js/norm-kernels.js';
import type { Floats } from '../src/kernels/js/types.js';
import { MT19937 } from '../src/tensor/mt19937.js';
import { nativeAddon } from '../src/kernels/native/index.js';

const TOL = { float32: [1e-5, 1e-5], float64: [1e-12, 1e-9] } as const;
type DT = keyof typeof TOL;

function random(dt: DT, n: number, seed: number, specials = false): Floats {
  const g = new MT19937(seed);
  const out = dt === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (g.nextUint32() / 2 ** 32 - 0.5) * 6 + 1;
  if (specials && n > 40) {
    out[3] = NaN;
    out[17] = Infinity;
    out[n - 2] = -Infinity;
  }
  return out;
}

function expectNear(actual: Floats, expected: Floats, dt: DT, label: string): void {
  const [atol, rtol] = TOL[dt];
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i];
    if (Number.isNaN(e)) {
      expect(a, `${label}[${i}]`).toBeNaN();
      continue;
    }
    const ok = a === e || Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!ok) expect(a, `${label}[${i}] (expected ${e})`).toBe(e);
  }
}

/** (batch, outer, size), and the weights' groups and run (weight (r mod groups)·(size/run) + ⌊j/run⌋). */
const LAYOUTS: [number, number, number, number, number][] = [
  [1, 600, 37, 1, 1], // layer norm: 600 rows cross the native block of 256 slices
  [1, 3, 1000, 1, 1],
  [9, 300, 1, 300, 1], // batch norm of (9, 300): one element per sample and channel
  [4, 5, 13, 5, 13], // batch norm of (4, 5, 13)
  [3, 70, 100, 70, 100], // batch norm of (3, 70, 100): the wasm backend gathers runs of 100, 54 slices a pass
  [1, 6, 12, 3, 4], // group norm of (2, 9, 4) in 3 groups: 3 channels of 4 per row
  [1, 520, 6, 4, 3], // group norm of (130, 8, 3) in 4 groups
  [2, 1, 3, 1, 1],
  [3, 4, 1, 1, 1],
];

for (const backend of availableBackends()) {
  describe(`normalization kernels on ${backend}`, () => {
    for (const dt of ['float32', 'float64'] as const) {
      for (const threads of [1, 2]) {
        it(`${dt}, ${threads} thread(s): forward, input and parameter gradients match JS`, () => {
          const previous = getBackend();
          setBackend(backend);
          setNumThreads(threads);
          try {
            LAYOUTS.forEach(([batch, outer, size, groups, run], k) => {
              const label = `${dt} (${batch}, ${outer}, ${size}) weights ${groups}·${size}/${run}`;
              const n = batch * outer * size;
              const x = random(dt, n, 11 + k, k === 0);
              const dy = random(dt, n, 101 + k);
              const len = (groups * size) / run;
              const w = k % 2 === 0 || k === 3 ? random(dt, len, 7 + k) : null;
              const b = k % 3 === 0 ? random(dt, len, 9 + k) : null;
              const eps = k === 2 ? 0.1 : 1e-5;
              const make = () => (dt === 'float32' ? new Float32Array(n) : new Float64Array(n));
              const dims = [batch, outer, size] as const;
              const wl = [groups, run, len] as const;
              const out = make();
              const stats = new Float64Array(3 * outer);
              dispatch('layerNormForward', ...dims, out, x, ...wl, w, b, eps, stats);
              const outJs = make();
              const statsJs = new Float64Array(3 * outer);
              layerNormForwardJs(...dims, outJs, x, ...wl, w, b, eps, statsJs);
              expectNear(out, outJs, dt, `${label} out`);
              expectNear(stats, statsJs, 'float64', `${label} stats`);
              const dx = make();
              const sums = new Float64Array(2 * outer);
              dispatch('layerNormBackward', ...dims, dx, dy, x, ...wl, w, statsJs, sums);
              const dxJs = make();
              const sumsJs = new Float64Array(2 * outer);
              layerNormBackwardJs(...dims, dxJs, dy, x, ...wl, w, statsJs, sumsJs);
              expectNear(dx, dxJs, dt, `${label} dx`);
              expectNear(sums, sumsJs, 'float64', `${label} sums`);
              const vec = () => (dt === 'float32' ? new Float32Array(len) : new Float64Array(len));
              const [dw, db, dwJs, dbJs] = [vec(), vec(), vec(), vec()];
              dispatch('layerNormParamGrads', ...dims, ...wl, dw, db, dy, x, statsJs);
              layerNormParamGradsJs(...dims, ...wl, dwJs, dbJs, dy, x, statsJs);
              expectNear(dw, dwJs, dt, `${label} dw`);
              expectNear(db, dbJs, dt, `${label} db`);
              if (k === 0) {
                // A NaN or an infinity spoils its own row only.
                for (const row of [0, 599]) expect(out[row * size + 1], `row ${row}`).toBeNaN();
                expect(Number.isNaN(out[5 * size + 1])).toBe(false);
              }
            });
          } finally {
            setNumThreads(1);
            setBackend(previous);
          }
        });
      }
    }
  });
}

describe('a zero-variance slice of −0 and +0', () => {
  // Every weight layout the kernels specialise: per column, per slice, per run, and per slice
  // of one element (a batch norm of (N, C)), with and without weights.
  const layouts = [
    { batch: 1, outer: 2, size: 4, groups: 1, run: 1 },
    { batch: 1, outer: 2, size: 4, groups: 2, run: 4 },
    { batch: 1, outer: 2, size: 4, groups: 1, run: 2 },
    { batch: 4, outer: 2, size: 1, groups: 2, run: 1 },
  ];
  it('keeps x̂ = ±0 without a bias and gives +0 with a bias of zeros, on every backend', () => {
    const previous = getBackend();
    try {
      for (const backend of availableBackends()) {
        setBackend(backend);
        for (const { batch, outer, size, groups, run } of layouts) {
          const weights = (groups * size) / run;
          for (const weight of [null, new Float32Array(weights).map((_, i) => i + 1)]) {
            for (const bias of [null, new Float32Array(weights)]) {
              const x = new Float32Array([-0, 0, -0, -0, 0, -0, 0, -0]);
              const out = new Float32Array(8).fill(NaN);
              const stats = new Float64Array(3 * outer);
              dispatch(
                'layerNormForward',
                batch,
                outer,
                size,
                out,
                x,
                groups,
                run,
                weights,
                weight,
                bias,
                1e-5,
                stats,
              );
              const label = `${backend} ${JSON.stringify({ outer, size, groups, run })} weight ${weight !== null} bias ${bias !== null}`;
              // The slices' means are +0, so x̂ = x − 0 keeps x's sign.
              const expected = bias === null ? [...x] : new Array<number>(8).fill(0);
              expect(
                [...out].map((v) => Object.is(v, -0)),
                label,
              ).toEqual(expected.map((v) => Object.is(v, -0)));
              expect(
                [...out].every((v) => v === 0),
                label,
              ).toBe(true);
            }
          }
        }
      }
    } finally {
      setBackend(previous);
    }
  });
});

describe.skipIf(!nativeAddon)('the addon refuses a weight layout its kernels cannot index', () => {
  it('run not dividing size, or too few weights: an error naming the kernel, nothing read', () => {
    const f32 = (n: number) => new Float32Array(n);
    const stats = new Float64Array(6);
    const refused = /^nnkit native kernel layerNorm\w+: groups, run, weights must be /;
    // size 3, run 2: ⌊j/run⌋ would not index whole runs.
    expect(() =>
      nativeAddon!.layerNormForward(1, 2, 3, f32(6), f32(6), 1, 2, 3, f32(3), null, 1e-5, stats),
    ).toThrow(refused);
    // groups 3 · size 4 / run 2 = 6 weights needed, 3 given.
    expect(() =>
      nativeAddon!.layerNormParamGrads(1, 2, 4, 3, 2, 3, f32(3), f32(3), f32(8), f32(8), stats),
    ).toThrow(refused);
    expect(() =>
      nativeAddon!.layerNormBackward(
        1,
        2,
        4,
        f32(8),
        f32(8),
        f32(8),
        3,
        2,
        3,
        f32(3),
        stats,
        stats,
      ),
    ).toThrow(refused);
  });
});
