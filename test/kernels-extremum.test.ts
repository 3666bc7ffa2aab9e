/**
 * The `extremumIndices` kernel (`max(dim)`, `min(dim)`, max pooling) of
 * every backend against an element-by-element reference: the first extreme
 * element of each (outer, inner) position over the middle dimension, or its
 * first NaN; many ties and NaNs, blocks split by outer rows and (outer = 1)
 * by inner columns, float32, float64 and int32, one thread and two.
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
import type { Numbers } from '../src/kernels/js/types.js';

/** (outer, size, inner) */
const LAYOUTS: [number, number, number][] = [
  [64, 4, 1000], // split by rows
  [1, 9, 40000], // one row: split by inner columns
  [300, 7, 1], // one position per row
  [5, 1, 33], // a dimension of one element
];

function values(kind: 'float32' | 'float64' | 'int32', n: number): Numbers {
  const a =
    kind === 'float32'
      ? new Float32Array(n)
      : kind === 'float64'
        ? new Float64Array(n)
        : new Int32Array(n);
  // Values in {-1, -0.5, …, 1}: many ties; every 13th a NaN (int32: 0).
  for (let i = 0; i < n; i++) a[i] = (i * 7919) % 13 === 5 ? NaN : (((i * 31) % 5) - 2) / 2;
  if (kind === 'int32') for (let i = 0; i < n; i++) a[i] = Math.round(a[i] * 2) | 0;
  return a;
}

describe('extremumIndices on every backend', () => {
  for (const backend of availableBackends()) {
    for (const dtype of ['float32', 'float64', 'int32'] as const) {
      for (const threads of [1, 2]) {
        it(`${backend} ${dtype}, ${threads} thread(s): the first extremum or NaN`, () => {
          const previous = getBackend();
          setBackend(backend);
          setNumThreads(threads);
          try {
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
                      if (best === best && (v !== v || (kind === 'max' ? v > best : v < best)))
                        at = s;
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
          } finally {
            setBackend(previous);
            setNumThreads(1);
          }
        });
      }
    }
  }
});
