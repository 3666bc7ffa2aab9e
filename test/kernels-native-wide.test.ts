/**
 * The AVX-512 build of the float32 unary elementwise ops (kernels_avx512.cc:
 * the ops that call exp, log, tanh or erf, forward or backward, in 16-lane
 * vectors for parts of 4,096 elements or more; float64 runs the AVX2
 * kernels in both builds) against the AVX2 build: an
 * elementwise op computes each lane alone, so both must give the same bits
 * (any NaN for a NaN). The lengths take the AVX2 path (below 4,096), the
 * 512-bit one with a partial last vector, and the streaming
 * stores (8 MB or more per call) from an output that starts off the 64-byte
 * alignment those stores need.
 */
import { describe, expect, it } from 'vitest';
import { nativeAddon } from '../src/kernels/native/index.js';
import { UNARY, type UnaryDef } from '../src/ops/elementwise/table.js';

const isas = nativeAddon?.isas() ?? [];
const runs = isas.includes('avx512') && isas.includes('avx2');
const reason = nativeAddon
  ? 'this CPU lacks AVX-512F'
  : 'native addon not built (npm run build:native)';

/** Inputs over the ops' interesting range, with specials at fixed places. */
function inputs(Arr: Float32ArrayConstructor, n: number, seed: number) {
  const x = new Arr(n);
  let s = seed >>> 0;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const specials = [
    NaN,
    Infinity,
    -Infinity,
    0,
    -0,
    1e-40,
    -1e-40,
    88.7,
    -88.7,
    1e30,
    -1e30,
    20,
    -20,
  ];
  for (let i = 0; i < n; i++)
    x[i] = i % 97 < specials.length ? specials[i % 97] : (rnd() - 0.5) * 40;
  return x;
}

/** Index of the first element where a and b differ (both NaN counts as equal), or -1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  for (let i = 0; i < a.length; i++)
    if (!Object.is(a[i], b[i]) && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return i;
  return -1;
}

describe.skipIf(!runs)(`AVX-512 unary kernels${runs ? '' : ` (skipped: ${reason})`}`, () => {
  // The callback runs to collect the tests even when the suite is skipped: no addon calls here.
  for (const n of [4095, 4096 + 37, (8 << 20) / 4 + 1000]) {
    const Arr = Float32Array;
    it(`equal the AVX2 build's bit for bit, n = ${n}`, () => {
      const addon = nativeAddon!;
      const names = addon.opNames();
      const before = addon.isa();
      try {
        // Three elements past a 64-byte boundary: the streamed part starts with a partial store.
        const x = inputs(Arr, n + 3, n).subarray(3);
        const y = inputs(Arr, n + 3, n + 1).subarray(3);
        const dy = inputs(Arr, n + 3, n + 2).subarray(3);
        let compared = 0;
        for (const [op, def] of Object.entries(UNARY) as [string, UnaryDef][]) {
          const i = names.indexOf(op);
          expect(i, op).toBeGreaterThanOrEqual(0);
          // Parameters away from their defaults, the same for both builds.
          const p = Object.values(def.params).map((v, k) => v * 0.75 + 0.5 + k);
          const results = ['avx2', 'avx512'].map((isa) => {
            expect(addon.useIsa(isa)).toBe(true);
            const out = new Arr(n + 3).subarray(3);
            const dx = new Arr(n + 3).subarray(3);
            expect(addon.unaryForward(i, n, out, x, p), `${op} forward`).toBe(true);
            const back = def.backward ? addon.unaryBackward(i, n, dx, dy, x, y, p) : false;
            return { out, dx, back };
          });
          const [narrow, wide] = results;
          expect(wide.back).toBe(narrow.back);
          const at = firstDifference(narrow.out, wide.out);
          expect(at, `${op} forward at x = ${x[at]}: ${narrow.out[at]} vs ${wide.out[at]}`).toBe(
            -1,
          );
          if (narrow.back) {
            const atB = firstDifference(narrow.dx, wide.dx);
            expect(
              atB,
              `${op} backward at x = ${x[atB]}: ${narrow.dx[atB]} vs ${wide.dx[atB]}`,
            ).toBe(-1);
          }
          compared++;
        }
        expect(compared).toBe(Object.keys(UNARY).length);
      } finally {
        addon.useIsa(before);
      }
    });
  }
});
