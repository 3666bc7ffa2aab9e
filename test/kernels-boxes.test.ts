/**
 * The `boxSum` and `boxSpread` kernels of every backend against an
 * element-by-element reference written from their declarations: boxes that
 * overlap, differ in size, are empty or cover a whole plane, rows of one
 * element; float32 and float64, one thread and two. boxSum sums each box in
 * float64 in row-major order and rounds once, boxSpread adds in the dtype in
 * row-major order of the boxes, so both are compared bit for bit. Then the
 * addon's contract: bounds outside the planes and short arrays throw before
 * anything is written.
 */
import { describe, expect, it } from 'vitest';
import '../src/index.js';
import { dispatch } from '../src/kernels/backend.js';
import { nativeAddon } from '../src/kernels/native/index.js';
import type { Floats } from '../src/kernels/js/types.js';
import { filledArray, itOnEveryKernelBackend } from './helpers/backends.js';

interface Case {
  planes: number;
  h: number;
  w: number;
  /** [lo, hi) per output row and column, interleaved. */
  rows: number[];
  cols: number[];
}

/** The [lo, hi) bounds of average pooling's windows (kernel 3, stride 2, padding 1) over n. */
const pooled = (n: number): number[] =>
  Array.from({ length: Math.floor((n - 1) / 2) + 1 }, (_, y) => [
    Math.max(0, 2 * y - 1),
    Math.min(n, 2 * y + 2),
  ]).flat();

const CASES: Case[] = [
  // Average pooling 3, stride 2, padding 1: overlapping boxes clipped at the edges.
  { planes: 3, h: 6, w: 7, rows: [0, 2, 1, 4, 3, 6], cols: [0, 2, 1, 4, 3, 6, 5, 7] },
  // Adaptive pooling 5 → 3: uneven, overlapping windows.
  { planes: 2, h: 5, w: 5, rows: [0, 2, 1, 4, 3, 5], cols: [0, 2, 1, 4, 3, 5] },
  // More outputs than inputs (each element in several boxes), and an empty box.
  { planes: 2, h: 1, w: 3, rows: [0, 1], cols: [0, 1, 0, 2, 1, 2, 2, 2, 2, 3] },
  // One box over the whole plane, and one over nothing.
  { planes: 4, h: 3, w: 4, rows: [0, 3, 2, 1], cols: [0, 4] },
  // Nothing to do: no planes, no outputs.
  { planes: 0, h: 3, w: 3, rows: [0, 3], cols: [0, 3] },
  { planes: 2, h: 3, w: 3, rows: [], cols: [0, 3] },
  // Sizes for the wasm backend's passes through its scratch region (src/kernels/wasm/boxes.ts):
  // 18 planes of 30 × 30 a pass, the last pass shorter; a plane larger than a tile (declined).
  { planes: 40, h: 30, w: 30, rows: pooled(30), cols: pooled(30) },
  { planes: 1, h: 130, w: 130, rows: pooled(130), cols: pooled(130) },
];

/** Every (output index, input index) pair, boxes in row-major order, each box's rows then columns. */
function* members(c: Case): Generator<[number, number]> {
  const [oh, ow] = [c.rows.length / 2, c.cols.length / 2];
  for (let p = 0; p < c.planes; p++)
    for (let y = 0; y < oh; y++)
      for (let z = 0; z < ow; z++)
        for (let i = c.rows[2 * y]; i < c.rows[2 * y + 1]; i++)
          for (let j = c.cols[2 * z]; j < c.cols[2 * z + 1]; j++)
            yield [(p * oh + y) * ow + z, (p * c.h + i) * c.w + j];
}

const filled = (kind: 'float32' | 'float64', n: number, seed: number): Floats =>
  filledArray(kind, n, (i) => Math.sin(i * 1.7 + seed) * 100 + i / 13) as Floats;

describe('boxSum and boxSpread on every backend', () => {
  itOnEveryKernelBackend(['float32', 'float64'], 'every case', (kind) => {
    for (const c of CASES) {
      const [oh, ow] = [c.rows.length / 2, c.cols.length / 2];
      const what = JSON.stringify(c);
      const rows = Int32Array.from(c.rows);
      const cols = Int32Array.from(c.cols);
      const x = filled(kind, c.planes * c.h * c.w, 1);
      const out = filled(kind, c.planes * oh * ow, 2).fill(NaN);
      dispatch('boxSum', c.planes, c.h, c.w, oh, ow, out, x, rows, cols);
      const sums = new Float64Array(out.length);
      for (const [o, at] of members(c)) sums[o] += x[at];
      const want = filledArray(kind, out.length, (i) => sums[i]);
      for (let i = 0; i < out.length; i++) {
        if (!Object.is(out[i], want[i])) {
          expect.fail(`${what}: boxSum element ${i} is ${out[i]}, want ${want[i]}`);
        }
      }
      const g = filled(kind, out.length, 3);
      const dx = filled(kind, x.length, 4); // boxSpread must overwrite it
      dispatch('boxSpread', c.planes, c.h, c.w, oh, ow, dx, g, rows, cols);
      const spread = filledArray(kind, x.length, () => 0);
      for (const [o, at] of members(c)) spread[at] += g[o];
      for (let i = 0; i < spread.length; i++) {
        if (!Object.is(dx[i], spread[i])) {
          expect.fail(`${what}: boxSpread element ${i} is ${dx[i]}, want ${spread[i]}`);
        }
      }
    }
  });

  it.runIf(nativeAddon)('the addon refuses bounds outside the planes and short arrays', () => {
    const addon = nativeAddon as unknown as {
      boxSum(...args: unknown[]): boolean;
      boxSpread(...args: unknown[]): boolean;
    };
    const x = new Float32Array(12);
    const out = new Float32Array(4);
    const rows = Int32Array.from([0, 2, 1, 3]);
    const cols = Int32Array.from([0, 2, 2, 4]);
    expect(addon.boxSum(1, 3, 4, 2, 2, out, x, rows, cols)).toBe(true);
    expect(addon.boxSpread(1, 3, 4, 2, 2, x, out, rows, cols)).toBe(true);
    // A row bound of 4 in planes of 3 rows, a column bound of −1: refused, nothing written.
    out.fill(7);
    expect(() => addon.boxSum(1, 3, 4, 2, 2, out, x, Int32Array.from([0, 2, 1, 4]), cols)).toThrow(
      /kernel boxSum: rows\[3\]/,
    );
    expect(() =>
      addon.boxSpread(1, 3, 4, 2, 2, x, out, rows, Int32Array.from([-1, 2, 2, 4])),
    ).toThrow(/kernel boxSpread: cols\[0\]/);
    expect([...out]).toEqual([7, 7, 7, 7]);
    expect(() => addon.boxSum(1, 3, 4, 2, 2, out.subarray(1), x, rows, cols)).toThrow(
      'kernel boxSum: out holds 3 elements, needs planes*oh*ow = 4',
    );
    expect(() => addon.boxSum(1, 3, 4, 2, 2, out, x, rows.subarray(1), cols)).toThrow(
      /kernel boxSum: rows holds 3 elements/,
    );
  });
});
