/**
 * The native backend's elementary functions (native/simd.h: exp, expm1, log,
 * log1p, tanh, erf; one polynomial scheme per function, shared by the
 * baseline and AVX2 builds) swept over their whole float32/float64 range
 * against float64 `Math.*` (and fdlibm's erf from src/kernels/js/math.ts).
 *
 * Stated bounds, relative error unless marked abs (1 float32 ulp ≈ 6e-8–1.2e-7):
 *   float32: exp 1.5e-7, expm1 2e-7, log 1.5e-7, log1p 1.5e-7, tanh 2.5e-7, erf 5e-7 abs
 *   float64: exp 5e-16, expm1 1.5e-15, log 5e-16, log1p 5e-16, tanh 1.5e-15, erf 5e-16 abs
 * Special values: exp(±Inf) = Inf/0, log(0) = −Inf, log(−1) = NaN, log1p(−1) = −Inf,
 * tanh(±Inf) = ±1, erf(±Inf) = ±1, NaN → NaN everywhere, −0 kept by expm1,
 * log1p, tanh and erf.
 */
import { describe, expect, it } from 'vitest';
import { nativeAddon } from '../src/kernels/native/index.js';
import { erf, log1p32, log1p64 } from '../src/kernels/js/math.js';

const FNS = ['exp', 'expm1', 'log', 'log1p', 'tanh', 'erf'] as const;
type Fn = (typeof FNS)[number];
const REF: Record<Fn, (x: number) => number> = {
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  tanh: Math.tanh,
  erf,
};
/**
 * The reference of one dtype: PyTorch's log1p (Sleef) is +Infinity above 1e38
 * in float32 and above 1e307 in float64, so the native kernel's is too.
 */
const refOf = (fn: Fn, dt: 'float32' | 'float64'): ((x: number) => number) =>
  fn === 'log1p' ? (dt === 'float32' ? log1p32 : log1p64) : REF[fn];
const BOUND: Record<'float32' | 'float64', Record<Fn, number>> = {
  float32: { exp: 1.5e-7, expm1: 2e-7, log: 1.5e-7, log1p: 1.5e-7, tanh: 2.5e-7, erf: 5e-7 },
  float64: { exp: 5e-16, expm1: 1.5e-15, log: 5e-16, log1p: 5e-16, tanh: 1.5e-15, erf: 5e-16 },
};

function lin(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n + 1 }, (_, i) => lo + ((hi - lo) * i) / n);
}
function geo(lo: number, hi: number, n: number): number[] {
  const a = Math.log(lo);
  const b = Math.log(hi);
  return Array.from({ length: n + 1 }, (_, i) => Math.exp(a + ((b - a) * i) / n));
}
const neg = (xs: number[]): number[] => xs.map((x) => -x);

/** The whole useful range of each function, densely, plus tiny arguments. */
function domain(fn: Fn, dt: 'float32' | 'float64'): number[] {
  const f = dt === 'float32';
  switch (fn) {
    case 'exp':
      return [
        ...lin(f ? -103 : -745, f ? 88.7 : 709.7, 200_000),
        ...geo(1e-30, 1, 5000),
        ...neg(geo(1e-30, 1, 5000)),
      ];
    case 'expm1':
      return [
        ...lin(f ? -30 : -40, f ? 88.7 : 709.7, 200_000),
        ...geo(1e-30, 1, 5000),
        ...neg(geo(1e-30, 1, 5000)),
      ];
    case 'log':
      return [...geo(f ? 1e-45 : 5e-324, f ? 3e38 : 1.7e308, 200_000), ...lin(0.5, 2, 50_000)];
    case 'log1p':
      return [
        ...geo(1e-30, f ? 3e38 : 1.7e308, 100_000),
        ...neg(geo(1e-30, 0.99999, 100_000)),
        ...lin(-0.9, 2, 50_000),
      ];
    case 'tanh':
      return [...lin(-20, 20, 200_000), ...geo(1e-30, 1, 5000), ...neg(geo(1e-30, 1, 5000))];
    case 'erf':
      return [...lin(-7, 7, 200_000), ...geo(1e-30, 1, 5000)];
  }
}

const SPECIALS: [Fn, number, number][] = [
  ['exp', Infinity, Infinity],
  ['exp', -Infinity, 0],
  ['exp', 1000, Infinity],
  ['exp', -1000, 0],
  ['expm1', -Infinity, -1],
  ['expm1', Infinity, Infinity],
  ['expm1', -0, -0],
  ['log', 0, -Infinity],
  ['log', -1, NaN],
  ['log', Infinity, Infinity],
  ['log1p', -1, -Infinity],
  ['log1p', -2, NaN],
  ['log1p', -0, -0],
  ['log1p', Infinity, Infinity],
  ['log1p', 1.1e308, Infinity],
  ['tanh', Infinity, 1],
  ['tanh', -Infinity, -1],
  ['tanh', -0, -0],
  ['erf', Infinity, 1],
  ['erf', -Infinity, -1],
  ['erf', -0, -0],
];

const addon = nativeAddon;
const reason = 'native addon not built (npm run build:native)';

describe.skipIf(!addon)(`native math functions${addon ? '' : ` (skipped: ${reason})`}`, () => {
  const isas = addon ? addon.isas() : [];
  for (const isa of isas) {
    for (const dt of ['float32', 'float64'] as const) {
      const Arr = dt === 'float32' ? Float32Array : Float64Array;
      for (const [i, fn] of FNS.entries()) {
        it(`${isa} ${dt} ${fn}: error within ${BOUND[dt][fn]} over its range`, () => {
          addon!.useIsa(isa);
          const x = Arr.from(domain(fn, dt));
          const out = new Arr(x.length);
          expect(addon!.math(i, out, x)).toBe(true);
          const tiny = dt === 'float32' ? 1.2e-38 : 2.3e-308;
          let worst = 0;
          let at = 0;
          const ref = refOf(fn, dt);
          for (let k = 0; k < x.length; k++) {
            const want = dt === 'float32' ? Math.fround(ref(x[k])) : ref(x[k]);
            if (!Number.isFinite(want)) {
              expect(out[k], `${fn}(${x[k]})`).toBe(want);
              continue;
            }
            const err =
              fn === 'erf'
                ? Math.abs(out[k] - ref(x[k]))
                : Math.abs(want) < tiny
                  ? Math.abs(out[k] - want) / tiny // subnormal results: absolute, in units of the smallest normal
                  : Math.abs(out[k] - ref(x[k])) / Math.abs(ref(x[k]));
            if (!(err <= worst)) {
              worst = err;
              at = x[k];
            }
          }
          expect(worst, `worst at ${fn}(${at})`).toBeLessThanOrEqual(BOUND[dt][fn]);
        });
      }
      it(`${isa} ${dt}: special values`, () => {
        addon!.useIsa(isa);
        for (const [fn, xv, want] of [
          ...SPECIALS,
          ...FNS.map((f): [Fn, number, number] => [f, NaN, NaN]),
        ]) {
          const out = new Arr(1);
          addon!.math(FNS.indexOf(fn), out, Arr.of(xv));
          expect(
            Object.is(out[0], want) || (Number.isNaN(want) && Number.isNaN(out[0])),
            `${fn}(${xv}) = ${out[0]}`,
          ).toBe(true);
        }
      });
    }
  }
  it('restores the best instruction set', () => {
    expect(addon!.useIsa(addon!.isas()[0])).toBe(true);
  });
});
