/**
 * The `extremumIndices` kernel (`max(dim)`, `min(dim)`, max pooling) of
 * every backend against an element-by-element reference: the first extreme
 * element of each (outer, inner) position over the middle dimension, or its
 * first NaN; many ties and NaNs, blocks split by outer rows and (outer = 1)
 * by inner columns, float32, float64 and int32, one thread and two.
 */
import { describe, expect } from 'vitest';
import '../src/index.js';
import { dispatch } from '../src/kernels/backend.js';
import type { Numbers } from '../src/kernels/js/types.js';
import { filledArray, itOnEveryKernelBackend, type ArrayKind } from './helpers/backends.js';

/** (outer, size, inner) */
const LAYOUTS: [number, number, number][] = [
  [64, 4, 1000], // split by rows
  [1, 9, 40000], // one row: split by inner columns
  [300, 7, 1], // one position per row
  [5, 1, 33], // a dimension of one element
  [10, 5, 37], // vectors of four positions and a tail (the wasm backend's blocks)
];

/** Values in {-1, -0.5, …, 1}: many ties; every 13th a NaN (int32: integers in [-2, 2], no NaN). */
function values(kind: ArrayKind, n: number): Numbers {
  const v = (i: number) => ((i * 7919) % 13 === 5 ? NaN : (((i * 31) % 5) - 2) / 2);
  return filledArray(kind, n, kind === 'int32' ? (i) => Math.round(v(i) * 2) | 0 : v);
}

describe('extremumIndices on every backend', () => {
  itOnEveryKernelBackend(['float32', 'float64', 'int32'], 'the first extremum or NaN', (dtype) => {
    for (const [outer, size, inner] of LAYOUTS) {
      const x = values(dtype, outer * size * inner);
      for (const kind of ['max', 'min'] as const) {
        const Out = x.constructor as new (n: number) => Numbers;
        const out = new Out(outer * inner);
        const indices = new Int32Array(outer * inner).fill(-1);
        dispatch('extremumIndices', kind, outer, size, inner, x, out, indices);
        for (let o = 0; o < outer; o++) {
          for (let i = 0; i < inner; i++) {
            let at = 0;
            for (let s = 1; s < size; s++) {
              const best = x[(o * size + at) * inner + i];
              const v = x[(o * size + s) * inner + i];
              if (best === best && (v !== v || (kind === 'max' ? v > best : v < best))) at = s;
            }
            const q = o * inner + i;
            if (indices[q] !== at || !Object.is(out[q], x[(o * size + at) * inner + i])) {
              expect.fail(
                `${kind} [${outer}, ${size}, ${inner}] at (${o}, ${i}): index ${indices[q]}, value ${out[q]}; want ${at}`,
              );
            }
          }
        }
      }
    }
  });
});
