/**
 * The `stridedCopy` kernel of every backend against an element-by-element
 * reference: blocks whose rows are adjacent elements (one copy per row) and
 * transposing ones (tiles of 32 by 32), sizes that do and do not fill the
 * last tile, several outer blocks, offsets into both arrays, broadcast
 * strides of 0, float32, float64 and int32, one thread and two. Copies are
 * exact: every element must be bit for bit the source's. Then the contract:
 * a source too short for the layout throws before any element is copied.
 */
import { describe, expect, it } from 'vitest';
import '../src/index.js';
import { dispatch } from '../src/kernels/backend.js';
import { nativeAddon } from '../src/kernels/native/index.js';
import type { TypedArray } from '../src/tensor/dtype.js';
import { filledArray, itOnEveryKernelBackend, type ArrayKind } from './helpers/backends.js';

/** (d0, d1, d2, s0, s1, s2): the block's sizes and its strides in the source. */
const LAYOUTS: [number, number, number, number, number, number][] = [
  [1, 1000, 96, 0, 96, 1], // rows of adjacent elements: a copy per row
  [3, 70, 50, 5000, 1, 70], // transposes of [50, 70], partial tiles both ways
  [1, 200, 160, 0, 1, 200], // a transpose of whole tiles
  [2, 37, 41, 9000, 41 * 3, 3], // every third element, rows apart
  [4, 33, 65, 0, 65, 1], // broadcast over d0 (stride 0)
  [5, 64, 20, 1300, 1, 64], // channels-last: s1 = 1 is not the last dimension
  [2, 30, 100, 40, 1, 0], // each element repeated along d2 (expand): filled runs
  [3, 50, 7, 60, 1, 0], // short repeated runs
];

const source = (kind: ArrayKind, n: number): TypedArray =>
  filledArray(kind, n, (i) => (kind === 'int32' ? i * 7 - 3 : Math.sin(i) * 1e3 + i / 7));

describe('stridedCopy on every backend', () => {
  itOnEveryKernelBackend(['float32', 'float64', 'int32'], 'every layout, exactly', (kind) => {
    for (const [d0, d1, d2, s0, s1, s2] of LAYOUTS) {
      const offset = 11;
      const outOff = 5;
      const last = offset + (d0 - 1) * s0 + (d1 - 1) * s1 + (d2 - 1) * s2;
      const src = source(kind, last + 1);
      const Out = src.constructor as new (n: number) => TypedArray;
      const out = new Out(outOff + d0 * d1 * d2 + 3).fill(-1);
      dispatch('stridedCopy', d0, d1, d2, out, outOff, src, offset, s0, s1, s2);
      let o = outOff;
      for (let i = 0; i < d0; i++)
        for (let j = 0; j < d1; j++)
          for (let k = 0; k < d2; k++, o++) {
            const want = src[offset + i * s0 + j * s1 + k * s2];
            if (!Object.is(out[o], want)) {
              expect.fail(
                `[${d0}, ${d1}, ${d2}] element (${i}, ${j}, ${k}): ${out[o]}, want ${want}`,
              );
            }
          }
      expect(Array.from(out.subarray(0, outOff)), 'before outOff').toEqual([-1, -1, -1, -1, -1]);
      expect(Array.from(out.subarray(o)), 'after the block').toEqual([-1, -1, -1]);
    }
  });

  it.runIf(nativeAddon)('the addon refuses a source too short for the layout', () => {
    const addon = nativeAddon as unknown as {
      stridedCopy(...args: unknown[]): boolean;
    };
    const src = new Float32Array(100);
    const out = new Float32Array(100);
    // The last element read would be 10·9 + 9 = 99 from offset 1: index 100.
    expect(() => addon.stridedCopy(1, 10, 10, out, 0, src, 1, 0, 1, 10)).toThrow(
      'kernel stridedCopy: src holds 100 elements, needs d0*d1*d2>0?offset+(d0-1)*s0+(d1-1)*s1+(d2-1)*s2+1:0 = 101',
    );
    expect(() => addon.stridedCopy(1, 10, 10, out, 1, src, 0, 0, 1, 10)).toThrow(
      'kernel stridedCopy: out holds 100 elements, needs outOff+d0*d1*d2 = 101',
    );
    expect(() => addon.stridedCopy(1, 10, 10, out, 0, new Int32Array(100), 0, 0, 1, 10)).toThrow(
      /stridedCopy/,
    );
    expect(addon.stridedCopy(1, 10, 10, out, 0, src, 0, 0, 1, 10)).toBe(true);
  });
});
