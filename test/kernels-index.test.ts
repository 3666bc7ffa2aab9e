/**
 * The `indexSelect` and `indexAdd` kernels (Tensor.indexSelect and its
 * gradient: reflect/replicate padding, adaptive pooling) of every backend
 * against an element-by-element reference: repeated and unordered indices,
 * runs of 1, 5 and 70 elements, a single row split by columns, float32,
 * float64 and int32 (selection), one thread and two. Selection copies bits;
 * the gradient adds in index order, so its float32 sums must match bit for
 * bit.
 */
import { describe, expect } from 'vitest';
import '../src/index.js';
import { dispatch } from '../src/kernels/backend.js';
import type { Floats } from '../src/kernels/js/types.js';
import { filledArray, itOnEveryKernelBackend, type ArrayKind } from './helpers/backends.js';

/** (outer, size, inner, index) */
const LAYOUTS: [number, number, number, number[]][] = [
  [300, 9, 1, [8, 0, 8, 3, 3, 1]], // single elements, repeated
  [40, 7, 5, [6, 0, 6, 2]], // short runs
  [6, 3, 70, [2, 2, 0]], // long runs
  [1, 4, 50000, [3, 1, 3]], // one row: split by columns
  [3, 5, 2, []], // nothing selected: the gradient is zeros
];

const filled = (kind: ArrayKind, n: number, seed: number) =>
  filledArray(kind, n, (i) => Math.sin(i * 1.3 + seed) * 1000 + i / 7);

describe('indexSelect and indexAdd on every backend', () => {
  itOnEveryKernelBackend(['float32', 'float64', 'int32'], 'every layout', (kind) => {
    for (const [outer, size, inner, list] of LAYOUTS) {
      const index = Int32Array.from(list);
      const k = index.length;
      const what = `[${outer}, ${size}, ${inner}] by [${list.join(', ')}]`;
      const x = filled(kind, outer * size * inner, 1);
      const out = filled(kind, outer * k * inner, 2);
      dispatch('indexSelect', outer, size, inner, k, x, index, out);
      for (let o = 0; o < outer; o++)
        for (let j = 0; j < k; j++)
          for (let i = 0; i < inner; i++) {
            const got = out[(o * k + j) * inner + i];
            const want = x[(o * size + index[j]) * inner + i];
            if (!Object.is(got, want)) expect.fail(`${what}: select (${o}, ${j}, ${i})`);
          }
      if (kind === 'int32') continue;
      const g = filled(kind, outer * k * inner, 3) as Floats;
      const dx = filled(kind, outer * size * inner, 4) as Floats; // overwritten
      dispatch('indexAdd', outer, size, inner, k, dx, index, g);
      const want = filledArray(kind, dx.length, () => 0);
      for (let o = 0; o < outer; o++)
        for (let j = 0; j < k; j++)
          for (let i = 0; i < inner; i++)
            want[(o * size + index[j]) * inner + i] += g[(o * k + j) * inner + i];
      for (let e = 0; e < want.length; e++) {
        if (!Object.is(dx[e], want[e])) expect.fail(`${what}: add element ${e}`);
      }
    }
  });
});
