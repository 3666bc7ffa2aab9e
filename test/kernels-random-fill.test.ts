/**
 * The `uniformFill`, `normalFill` and `exponentialFill` kernels (PyTorch's
 * `uniform_`, blocked `normal_` and `exponential_` on its CPU generator) on every backend, called directly
 * (a backend that declined would fail here, not fall back to JS): the
 * samples against a reference built from the engine's word stream one
 * `nextUint32` at a time, and the same 625 words of engine afterwards, for
 * read positions around the twist, sizes around blocks of 16 and longer
 * than the wasm backend's chunk, float32 and float64, several ranges,
 * means and deviations. float32 is bit for bit everywhere (and the native
 * baseline build too); float64 normals go through the native backend's libm
 * (glibc's), so they are held to 4 ulps there and bit for bit on JS; wasm
 * declines them.
 */
import { describe, expect, it } from 'vitest';
import '../src/index.js';
import { activeBackend, dispatch } from '../src/kernels/backend.js';
import { nativeAddon } from '../src/kernels/native/index.js';
import type { Floats } from '../src/kernels/js/types.js';
import { MT19937, modulo } from '../src/tensor/mt19937.js';
import { boxMuller16Float32 } from '../src/tensor/box-muller-float32.js';
import { fmaDouble } from '../src/tensor/sampling.js';
import { forEachBackend } from './helpers/backends.js';
import { engine, make, type DT } from './helpers/engine.js';

/** The next uniform of `g` for a dtype: 24 bits of one word, or 53 of two (the first high). */
function uniform(g: MT19937, dt: DT): number {
  const hi = g.nextUint32();
  if (dt === 'float32') return (hi % 2 ** 24) / 2 ** 24;
  return ((hi % 2 ** 21) * 2 ** 32 + g.nextUint32()) / 2 ** 53;
}

/** uniform_(from, to) from the word stream: one fused rounding of u·span + lo (g is advanced). */
function referenceUniform(g: MT19937, dt: DT, n: number, from: number, to: number): Floats {
  const out = make(dt, n);
  const f = Math.fround;
  for (let i = 0; i < n; i++) {
    const u = uniform(g, dt);
    if (from === 0 && to === 1) out[i] = u;
    else if (dt === 'float32') out[i] = u * f(f(to) - f(from)) + f(from);
    else out[i] = fmaDouble(u, to - from, from);
  }
  return out;
}

/** ATen's blocked normal_ from the word stream (g is advanced). */
function referenceNormal(g: MT19937, dt: DT, n: number, mean: number, std: number): Floats {
  const d = make(dt, n);
  for (let i = 0; i < n; i++) d[i] = uniform(g, dt);
  const block = (o: number): void => {
    if (d instanceof Float32Array) {
      boxMuller16Float32(d, o, Math.fround(mean), Math.fround(std));
      return;
    }
    for (let j = o; j < o + 8; j++) {
      const r = Math.sqrt(-2 * Math.log(1 - d[j]));
      const theta = 2 * Math.PI * d[j + 8];
      d[j] = fmaDouble(r * Math.cos(theta), std, mean);
      d[j + 8] = fmaDouble(r * Math.sin(theta), std, mean);
    }
  };
  for (let o = 0; o + 16 <= n; o += 16) block(o);
  if (n % 16 !== 0) {
    for (let i = n - 16; i < n; i++) d[i] = uniform(g, dt);
    block(n - 16);
  }
  return d;
}

/** The first index where two arrays differ by more than `ulps` units in the last place (NaN-aware), or -1. */
function firstDifference(a: Floats, b: Floats, ulps = 0): number {
  for (let i = 0; i < a.length; i++) {
    if (Object.is(a[i], b[i])) continue;
    const eps = a instanceof Float32Array ? 2 ** -23 : 2 ** -52;
    if (ulps > 0 && Math.abs(a[i] - b[i]) <= ulps * eps * Math.abs(b[i])) continue;
    return i;
  }
  return a.length === b.length ? -1 : Math.min(a.length, b.length);
}

const DRAWN = [0, 1, 311, 623, 624, 625, 1247];
const NORMAL_COUNTS = [16, 17, 31, 32, 33, 47, 100, 623, 624, 1000];
const UNIFORM_COUNTS = [0, 1, 2, 15, 16, 17, 311, 624, 1000];
const RANGES: [number, number][] = [
  [0, 1],
  [-3, 5],
  [0.1, 0.2],
  [-1e-3, 1e30],
  [2, 2],
  [-1e38, 1e38],
];
/** float64 only: spans beyond 2^996, where the JavaScript and wasm fused multiply-add scale. */
const HUGE_RANGES: [number, number][] = [
  [-8.6e307, 8.6e307],
  [1e-3, 1.7e308],
];
const MOMENTS: [number, number][] = [
  [0, 1],
  [3, 0.5],
  [-2, 1e-3],
  [0.1, 7],
];
// Longer than the wasm backend's chunk (49,344 float32s, 24,672 float64s).
const LONG = [49_344, 60_001, 100_003];

type Kernel = (state: Int32Array, out: Floats, n: number, a: number, b: number) => boolean;

/** Runs one kernel call against its reference: samples, sentinels past n, engine afterwards. */
function check(
  kernel: Kernel,
  reference: (g: MT19937, dt: DT, n: number, a: number, b: number) => Floats,
  dt: DT,
  seed: number,
  drawn: number,
  n: number,
  a: number,
  b: number,
  ulps: number,
): void {
  const g = engine(seed, drawn);
  const state = g.state.slice();
  const ref = reference(g, dt, n, a, b);
  const out = make(dt, n + 3).fill(7);
  const what = `${dt} seed ${seed}, drawn ${drawn}, n ${n}, (${a}, ${b})`;
  expect(kernel(state, out, n, a, b), what).toBe(true);
  expect(firstDifference(out.subarray(0, n), ref, ulps), what).toBe(-1);
  expect(Array.from(out.subarray(n)), what).toEqual([7, 7, 7]);
  expect(Array.from(state), what).toEqual(Array.from(g.state));
}

forEachBackend((backend) => {
  const kernels = (): { uniform: Kernel; normal: Kernel } => {
    const k = activeBackend();
    expect(k.uniformFill, `${backend} has no uniformFill`).toBeDefined();
    expect(k.normalFill, `${backend} has no normalFill`).toBeDefined();
    return {
      uniform: (...a) => k.uniformFill!.call(k, ...a),
      normal: (...a) => k.normalFill!.call(k, ...a),
    };
  };
  const f64Ulps = backend === 'js' ? 0 : 4;

  it(`${backend}: uniformFill is the word stream's uniform_, engine included`, () => {
    const { uniform } = kernels();
    for (const dt of ['float32', 'float64'] as const)
      for (const drawn of DRAWN)
        for (const n of [...UNIFORM_COUNTS, ...(drawn === 623 ? LONG : [])])
          for (const [from, to] of RANGES.slice(0, drawn === 623 ? 2 : RANGES.length))
            check(uniform, referenceUniform, dt, 100 + drawn, drawn, n, from, to, 0);
    for (const [from, to] of HUGE_RANGES)
      check(uniform, referenceUniform, 'float64', 5, 623, 1000, from, to, 0);
  });

  it(`${backend}: normalFill is ATen's blocked Box–Muller on the stream, engine included`, () => {
    const { normal } = kernels();
    for (const dt of ['float32', 'float64'] as const) {
      if (backend === 'wasm' && dt === 'float64') {
        // wasm declines float64 normals (see src/kernels/wasm/random.ts): nothing changes.
        const state = engine(1, 0).state.slice();
        const out = new Float64Array(32).fill(7);
        expect(normal(state, out, 32, 0, 1)).toBe(false);
        expect(Array.from(state)).toEqual(Array.from(engine(1, 0).state));
        expect(out.every((v) => v === 7)).toBe(true);
        continue;
      }
      const ulps = dt === 'float32' ? 0 : f64Ulps;
      for (const drawn of DRAWN)
        for (const n of NORMAL_COUNTS)
          for (const [mean, std] of MOMENTS)
            check(normal, referenceNormal, dt, 7 + drawn, drawn, n, mean, std, ulps);
      for (const n of LONG) check(normal, referenceNormal, dt, 2024, 623, n, 0, 1, ulps);
    }
  });

  it(`${backend}: exponentialFill is −log(1 − u)/λ on the stream, where the backend has it`, () => {
    const k = activeBackend();
    // wasm has no exponentialFill (AssemblyScript's log would cost every page 1.9 kB): dispatch
    // runs the JavaScript kernel there.
    if (backend === 'wasm') {
      expect(k.exponentialFill).toBeUndefined();
      return;
    }
    const kernel: Kernel = (state, out, n, lambd) =>
      k.exponentialFill!.call(k, state, out, n, lambd);
    const reference = (g: MT19937, dt: DT, n: number, lambd: number): Floats => {
      const out = make(dt, n);
      for (let i = 0; i < n; i++) out[i] = (-1 / lambd) * Math.log(1 - uniform(g, 'float64'));
      return out;
    };
    for (const dt of ['float32', 'float64'] as const)
      for (const drawn of DRAWN)
        for (const n of [...UNIFORM_COUNTS, 5000])
          for (const lambd of [1, 0.5, 3e-7])
            check(
              kernel,
              reference,
              dt,
              3 + drawn,
              drawn,
              n,
              lambd,
              0,
              dt === 'float32' ? 0 : f64Ulps,
            );
  });

  it(`${backend}: consecutive calls continue one stream`, () => {
    const { normal, uniform } = kernels();
    const g = engine(11, 0);
    const state = g.state.slice();
    const parts: [Kernel, typeof referenceNormal, number][] = [
      [uniform, referenceUniform, 5],
      [normal, referenceNormal, 1001],
      [uniform, referenceUniform, 623],
      [normal, referenceNormal, 16],
    ];
    for (const [kernel, reference, n] of parts) {
      const ref = reference(g, 'float32', n, 0, 1);
      const out = new Float32Array(n);
      expect(kernel(state, out, n, 0, 1)).toBe(true);
      expect(firstDifference(out, ref)).toBe(-1);
    }
    expect(Array.from(state)).toEqual(Array.from(g.state));
  });

  it(`${backend}: dispatch runs them`, () => {
    const g = engine(3, 100);
    const state = g.state.slice();
    const out = new Float32Array(500);
    dispatch('normalFill', state, out, 500, 1, 2);
    expect(firstDifference(out, referenceNormal(g, 'float32', 500, 1, 2))).toBe(-1);
    dispatch('uniformFill', state, out, 500, -1, 1);
    expect(firstDifference(out, referenceUniform(g, 'float32', 500, -1, 1))).toBe(-1);
    expect(Array.from(state)).toEqual(Array.from(g.state));
  });

  it(`${backend}: refuses a bad read index or fewer than 16 normals, writing nothing`, () => {
    const { normal, uniform } = kernels();
    for (const k of [625, -1, 1 << 30]) {
      const state = engine(3, 0).state.slice();
      state[624] = k;
      const before = state.slice();
      const out = new Float32Array(32).fill(7);
      expect(() => uniform(state, out, 32, 0, 1)).toThrow(/state\[624\]/);
      expect(() => normal(state, out, 32, 0, 1)).toThrow(/state\[624\]/);
      expect(Array.from(state)).toEqual(Array.from(before));
      expect(out.every((v) => v === 7)).toBe(true);
    }
    const state = engine(3, 0).state.slice();
    const out = new Float32Array(15).fill(7);
    expect(() => normal(state, out, 15, 0, 1)).toThrow(/at least 16/);
    expect(out.every((v) => v === 7)).toBe(true);
  });
});

describe('native builds', () => {
  const isas = nativeAddon?.isas() ?? [];
  it.skipIf(isas.length < 2)('every ISA build gives the same float32 normals', () => {
    const before = nativeAddon!.isa();
    try {
      for (const isa of isas) {
        expect(nativeAddon!.useIsa(isa)).toBe(true);
        const g = engine(99, 5);
        const state = g.state.slice();
        const out = new Float32Array(10_007);
        expect(nativeAddon!.normalFill(state, out, out.length, 0.5, 1.7)).toBe(true);
        const ref = referenceNormal(g, 'float32', out.length, 0.5, 1.7);
        expect(firstDifference(out, ref), isa).toBe(-1);
      }
    } finally {
      nativeAddon!.useIsa(before);
    }
  });
});

/** a·b + c rounded once (to nearest, ties to even), exactly, with BigInt; normal results only. */
function exactFma(a: number, b: number, c: number): number {
  const parts = (x: number): [bigint, number] => {
    if (x === 0) return [0n, 0];
    const e = Math.floor(Math.log2(Math.abs(x))) - 52;
    // x = m·2^e with m an integer below 2^53 (scaled in two steps to stay in range).
    const m = x * 2 ** -Math.trunc(e / 2) * 2 ** -(e - Math.trunc(e / 2));
    return [BigInt(m), e];
  };
  const [ma, ea] = parts(a);
  const [mb, eb] = parts(b);
  const [mc, ec] = parts(c);
  const e = Math.min(ea + eb, ec);
  const n = ((ma * mb) << BigInt(ea + eb - e)) + (mc << BigInt(ec - e));
  if (n === 0n) return 0;
  const neg = n < 0n;
  let q = neg ? -n : n;
  const bitsLength = q.toString(2).length;
  let shift = bitsLength - 53;
  if (shift > 0) {
    const r = q & ((1n << BigInt(shift)) - 1n);
    q >>= BigInt(shift);
    const half = 1n << BigInt(shift - 1);
    if (r > half || (r === half && (q & 1n) === 1n)) q += 1n;
  } else {
    shift = 0;
  }
  const k = e + shift;
  const v = Number(q) * 2 ** Math.trunc(k / 2) * 2 ** (k - Math.trunc(k / 2));
  return neg ? -v : v;
}

describe('fmaDouble', () => {
  it('rounds a·b + c once, huge factors included (where the split is scaled)', () => {
    const g = new MT19937(77);
    const u = () => uniform(g, 'float64');
    const cases: [number, number, number][] = [];
    for (let i = 0; i < 3000; i++) {
      const span = [1, 3.5, 1e10, 8e299, 1.7e308, 2 ** 997][i % 6];
      const from = [-span / 2, 0.25, -1e-3, span * 1e-9][i % 4];
      cases.push([u(), span, from], [span, u(), from]);
      const scale = 2 ** Math.floor(u() * 400 - 200);
      cases.push([u() * scale, (u() - 0.5) / scale, u() - 0.5]);
    }
    let mismatches = 0;
    const first: string[] = [];
    for (const [a, b, c] of cases) {
      const want = exactFma(a, b, c);
      if (!Object.is(fmaDouble(a, b, c), want)) {
        mismatches++;
        if (first.length < 3) first.push(`${a}·${b} + ${c}: ${fmaDouble(a, b, c)} vs ${want}`);
      }
    }
    expect(mismatches, first.join('; ')).toBe(0);
  });
});

describe('modulo (randint, randperm)', () => {
  it('is w mod r exactly for every w < 2^32 and 0 < r < 2^32 tried', () => {
    const g = new MT19937(5);
    const pairs: [number, number][] = [];
    const edges = [
      1,
      2,
      3,
      7,
      1000,
      2 ** 16,
      2 ** 31 - 1,
      2 ** 31,
      2 ** 31 + 1,
      2 ** 32 - 2,
      2 ** 32 - 1,
    ];
    for (const r of edges)
      for (const w of [0, 1, r - 1, r, r + 1, 2 ** 32 - 1, 2 ** 32 - r]) {
        if (w >= 0 && w < 2 ** 32) pairs.push([w, r]);
      }
    for (let i = 0; i < 200_000; i++) {
      const w = g.nextUint32();
      // Ranges of every size: uniform bits, then a random shift down.
      const r = Math.max(1, g.nextUint32() >>> (g.nextUint32() % 32));
      pairs.push([w, r]);
      const q = 1 + (g.nextUint32() % 5000);
      pairs.push([Math.min(2 ** 32 - 1, q * r - (i % 2)), r]); // just below and at multiples
    }
    let bad = 0;
    for (const [w, r] of pairs) if (modulo(w, r) !== Number(BigInt(w) % BigInt(r))) bad++;
    expect(bad).toBe(0);
  });
});
