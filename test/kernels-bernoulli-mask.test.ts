/**
 * The `bernoulliMask` kernel (dropout's mask from PyTorch's CPU generator,
 * MT19937) on every backend, called directly (a backend that declined would
 * fail here, not fall back to JS): bit for bit the mask computed from the
 * reference engine's word stream (`MT19937.nextUint32`, two words per
 * element), and the same 625 words of engine afterwards, for read
 * positions around the twist, odd and even counts straddling it, longer
 * masks than the wasm backend's chunk, thresholds 0, 2^53 and exactly a
 * drawn value (where `<` and `<=` differ), float32 and float64.
 */
import { describe, expect, it } from 'vitest';
import '../src/index.js';
import { activeBackend, dispatch } from '../src/kernels/backend.js';
import type { Floats } from '../src/kernels/js/types.js';
import { MT19937, fillBernoulli53 } from '../src/tensor/mt19937.js';
import { forEachBackend } from './helpers/backends.js';
import { engine, make, type DT } from './helpers/engine.js';

const TWO_53 = 2 ** 53;

/** The 53-bit integers u of the next `n` elements of `g`'s stream, from its words (g is advanced). */
function draws(g: MT19937, n: number): number[] {
  const u: number[] = [];
  for (let i = 0; i < n; i++) {
    const hi = g.nextUint32();
    const lo = g.nextUint32();
    u.push((hi % 2 ** 21) * 2 ** 32 + lo);
  }
  return u;
}

/** The mask from `g`'s word stream, one `nextUint32` at a time (g is advanced). */
function referenceFill(g: MT19937, out: Floats, threshold: number, value: number): void {
  draws(g, out.length).forEach((u, i) => (out[i] = u < threshold ? value : 0));
}

/** The first index where the bytes of two arrays differ, or -1. */
function firstDifference(a: Floats, b: Floats): number {
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  if (x.length !== y.length) return Math.min(a.length, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return Math.floor(i / a.BYTES_PER_ELEMENT);
  return -1;
}

interface Case {
  seed: number;
  /** Words drawn before the mask (sets the read index). */
  drawn: number;
  n: number;
  /**
   * p·2^53, or `{ hit: d }`: u + d for the u of an element in the second half
   * of the mask (one below 2^51 where there is one, so that u ± 0.5 is exact):
   * with d = 0, `u < threshold` fails there where `u <= threshold` would not.
   */
  threshold: number | { readonly hit: number };
  value: number;
}

const DRAWN = [0, 1, 2, 311, 312, 622, 623, 624, 625, 1247, 1248, 5000];
const COUNTS = [0, 1, 2, 3, 311, 312, 313, 623, 624, 625, 1000];
const THRESHOLDS: Case['threshold'][] = [
  0,
  TWO_53,
  0.5 * TWO_53,
  0.1 * TWO_53,
  { hit: 0 },
  { hit: 0.5 },
  { hit: -0.5 },
  { hit: 1 },
  1,
  1.5,
  -1,
  -0,
  TWO_53 - 1,
  TWO_53 + 2,
  Infinity,
  -Infinity,
  NaN,
];

const CASES: Case[] = [];
for (const drawn of DRAWN)
  for (const n of COUNTS)
    CASES.push({
      seed: 1000 + drawn,
      drawn,
      n,
      threshold: THRESHOLDS[(drawn + n) % THRESHOLDS.length],
      value: 1 / 0.7,
    });
for (const threshold of THRESHOLDS)
  for (const value of [1 / 0.7, 2, -0, Infinity, 1e300, 1e-300])
    CASES.push({ seed: 7, drawn: 623, n: 7, threshold, value });
// Longer than the wasm backend's chunk (49,344 float32s, 24,672 float64s), from odd positions.
CASES.push({ seed: 42, drawn: 623, n: 60_001, threshold: 0.5 * TWO_53, value: 2 });
CASES.push({ seed: 0xdeadbeef, drawn: 3, n: 100_003, threshold: { hit: 0 }, value: 1 / 0.9 });
CASES.push({ seed: 0x7fffffff, drawn: 624, n: 49_344, threshold: 0.3 * TWO_53, value: 1 / 0.7 });

/** The threshold of a case for the engine `g` (not advanced). */
function thresholdOf(c: Case, g: MT19937): number {
  if (typeof c.threshold === 'number') return c.threshold;
  if (c.n === 0) return 0.5 * TWO_53;
  const copy = new MT19937(0);
  copy.copyFrom(g);
  const u = draws(copy, c.n);
  const small = u.findIndex((x, i) => i >= c.n >> 1 && x < 2 ** 51);
  return small >= 0 ? u[small] + c.threshold.hit : u[c.n >> 1];
}

/** What the reference engine gives: the mask (n elements) and the engine afterwards. */
function reference(c: Case, dt: DT, threshold: number): { out: Floats; state: Int32Array } {
  const g = engine(c.seed, c.drawn);
  const out = make(dt, c.n);
  referenceFill(g, out, threshold, c.value);
  return { out, state: g.state };
}

describe('the JavaScript loop', () => {
  it('is its word stream: u = (hi & 0x1fffff)·2^32 + lo of two words, u < threshold', () => {
    for (const drawn of [0, 623, 624]) {
      for (const threshold of [0.25 * TWO_53, TWO_53 / 3]) {
        const g = engine(5, drawn);
        const u = draws(g, 1000);
        const loop = engine(5, drawn);
        const out = new Float64Array(1000);
        fillBernoulli53(loop.state, out, 1000, threshold, 3);
        expect(Array.from(out)).toEqual(u.map((x) => (x < threshold ? 3 : 0)));
        expect(Array.from(loop.state)).toEqual(Array.from(g.state));
      }
    }
  });
});

forEachBackend((backend) => {
  it(`${backend}: bernoulliMask is bit-identical to the MT19937 reference, state included`, () => {
    const kernel = activeBackend().bernoulliMask;
    expect(kernel, `${backend} has no bernoulliMask`).toBeDefined();
    for (const dt of ['float32', 'float64'] as const) {
      for (const c of CASES) {
        const g = engine(c.seed, c.drawn);
        const threshold = thresholdOf(c, g);
        const ref = reference(c, dt, threshold);
        // Three sentinel elements past n must stay untouched.
        const out = make(dt, c.n + 3).fill(7);
        const state = g.state.slice();
        const what = `${dt} seed ${c.seed}, drawn ${c.drawn}, n ${c.n}, threshold ${threshold}, value ${c.value}`;
        expect(kernel!.call(activeBackend(), state, out, c.n, threshold, c.value), what).toBe(true);
        expect(firstDifference(out.subarray(0, c.n), ref.out), what).toBe(-1);
        expect(Array.from(out.subarray(c.n)), what).toEqual([7, 7, 7]);
        expect(Array.from(state), what).toEqual(Array.from(ref.state));
      }
    }
  });

  it(`${backend}: consecutive calls continue one stream`, () => {
    const kernel = activeBackend().bernoulliMask!;
    for (const dt of ['float32', 'float64'] as const) {
      const g = engine(11, 0);
      const ref = make(dt, 3000);
      referenceFill(g, ref, 0.4 * TWO_53, 5);
      const state = engine(11, 0).state.slice();
      const out = make(dt, 3000);
      let at = 0;
      for (const n of [1, 311, 0, 313, 623, 2, 1750]) {
        expect(
          kernel.call(activeBackend(), state, out.subarray(at, at + n), n, 0.4 * TWO_53, 5),
        ).toBe(true);
        at += n;
      }
      expect(at).toBe(3000);
      expect(firstDifference(out, ref)).toBe(-1);
      expect(Array.from(state)).toEqual(Array.from(g.state));
    }
  });

  it(`${backend}: dispatch runs it`, () => {
    const state = engine(3, 100).state.slice();
    const out = new Float32Array(500);
    dispatch('bernoulliMask', state, out, 500, 0.5 * TWO_53, 2);
    const ref = new Float32Array(500);
    const g = engine(3, 100);
    referenceFill(g, ref, 0.5 * TWO_53, 2);
    expect(firstDifference(out, ref)).toBe(-1);
    expect(Array.from(state)).toEqual(Array.from(g.state));
  });

  it(`${backend}: a read index outside [0, 624] throws before anything is written`, () => {
    const kernel = activeBackend().bernoulliMask!;
    for (const k of [625, -1, 1 << 30]) {
      const state = engine(3, 0).state.slice();
      state[624] = k;
      const before = state.slice();
      const out = new Float32Array(4).fill(7);
      expect(() => kernel.call(activeBackend(), state, out, 4, TWO_53, 1)).toThrow(/state\[624\]/);
      expect(Array.from(state)).toEqual(Array.from(before));
      expect(Array.from(out)).toEqual([7, 7, 7, 7]);
    }
  });

  if (backend !== 'js') {
    it(`${backend}: checks the arrays against the schema`, () => {
      const kernel = activeBackend().bernoulliMask!;
      const state = engine(3, 0).state.slice();
      expect(() => kernel.call(activeBackend(), state, new Float32Array(3), 4, 1, 1)).toThrow(
        /out/,
      );
      expect(() =>
        kernel.call(activeBackend(), state.subarray(0, 624), new Float32Array(4), 4, 1, 1),
      ).toThrow(/state/);
    });
  }
});
