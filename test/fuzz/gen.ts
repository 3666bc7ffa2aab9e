/**
 * Draws the fuzz suite's random choices through fast-check: each case is one
 * `fc.sample` of `fc.gen()` with a seed derived from the run's seed and the
 * case's index, so any case can be regenerated alone from `(seed, index)`.
 */
import fc from 'fast-check';
import type { DTypeName, Fill, Spec } from './spec.js';
import { encodeNum } from './spec.js';

type GenFn = Parameters<Parameters<ReturnType<typeof fc.gen>['map']>[0]>[0];

/** The seed of case `index` of a run seeded `seed` (a 32-bit mix of both). */
export function caseSeed(seed: number, index: number): number {
  // Hash the seed on its own first: XOR-ing seed and index before mixing made runs with nearby
  // seeds replay the same cases at shifted indices.
  let h = Math.imul((seed ^ 0x9e3779b9) >>> 0, 0x27d4eb2f) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x165667b1) >>> 0;
  h = Math.imul(h ^ (index + 0x7f4a7c15), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) | 0;
}

/** Runs `build` with a helper around fast-check's imperative generator, for one seed. */
export function generate<T>(seed: number, build: (g: G) => T): T {
  return fc.sample(
    fc.gen().map((g) => build(new G(g))),
    { seed, numRuns: 1 },
  )[0];
}

/** Random choices for building cases. */
export class G {
  private seeds = 0;
  constructor(private readonly g: GenFn) {}

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    // Unbiased: fast-check's default bias towards small values would skew every weighted choice.
    return this.g((c: { min: number; max: number }) => fc.noBias(fc.integer(c)), { min, max });
  }
  /** True with probability `p`. */
  bool(p = 0.5): boolean {
    return this.int(0, 999) < p * 1000;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }
  /** A float in [min, max). */
  float(min: number, max: number): number {
    return min + (max - min) * (this.int(0, 1_000_000) / 1_000_001);
  }
  /** A fresh seed for a tensor's values. */
  seed(): number {
    return this.int(0, 2 ** 30) + this.seeds++;
  }

  /** A small shape: 0 to `maxRank` dims of 1–5, sometimes 0. */
  shape(maxRank = 4, minRank = 0): number[] {
    const rank = this.int(minRank, maxRank);
    return Array.from({ length: rank }, () => (this.bool(0.06) ? 0 : this.int(1, 5)));
  }
  /** A shape with no elements but huge nominal dimensions (must be handled at once). */
  hugeEmptyShape(): number[] {
    return this.pick([
      [2 ** 20, 2 ** 20, 0],
      [0, 2 ** 40],
      [2 ** 26, 0, 2 ** 26],
      [1, 2 ** 31, 0],
      [2 ** 40, 0],
    ]);
  }
  dtype(floatOnly = false): DTypeName {
    return floatOnly ? this.pick(['float32', 'float64'] as const) : this.pick(DTYPES);
  }
  tensor(shape: number[], dtype: DTypeName = 'float32', fill: Fill = { k: 'randn' }): Spec {
    return { t: 'tensor', shape, dtype, fill, seed: this.seed() };
  }
  /** Values for a floating tensor: mostly normal, sometimes full of NaN, ±Infinity, ±0 and huge values. */
  floatFill(): Fill {
    return this.bool(0.15)
      ? { k: 'special' }
      : this.bool(0.1)
        ? { k: 'const', v: encodeNum(this.pick([0, -0, NaN, Infinity, 1e30])) }
        : { k: 'randn', scale: this.pick([1, 3, 10]) };
  }
  /** A value that is not a tensor, to stand where one must. */
  notTensor(): Spec {
    return this.pick<Spec>([
      { t: 'duck', shape: [2, 2] },
      { t: 'typed', kind: 'Float32Array', n: 4 },
      { t: 'typed', kind: 'Uint8Array', n: 4 },
      { t: 'json', v: [1, 2, 3] },
      { t: 'json', v: null },
      { t: 'num', v: 1.5 },
      { t: 'json', v: 'x' },
      // Not `{}`: as the last positional argument an empty object is, by the binding rule, an
      // empty options object, so the call is valid (seed 3, case 477785).
      { t: 'json', v: { a: 1 } },
    ]);
  }
  /** A value that is not a number. */
  notNumber(): Spec {
    return this.pick<Spec>([
      { t: 'json', v: null },
      { t: 'json', v: '1' },
      { t: 'json', v: 'abc' },
      { t: 'json', v: true },
      { t: 'json', v: [1] },
      { t: 'json', v: { v: 1 } },
      { t: 'duck', shape: [1] },
    ]);
  }
  /** A number that is odd somehow: NaN, ±Infinity, ±0, negative, huge, fractional. */
  oddNumber(): number {
    return this.pick([
      NaN,
      Infinity,
      -Infinity,
      0,
      -0,
      -1,
      -0.5,
      1e300,
      -1e300,
      2 ** 31,
      2.5,
      1e-300,
    ]);
  }
}

export const DTYPES: readonly DTypeName[] = ['float32', 'float64', 'int32'];
