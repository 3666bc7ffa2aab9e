/**
 * The JavaScript bodies of `indexSelect` and `indexAdd` (declared in
 * src/kernels/schema.ts; the native bodies are native/index_select.h): slices
 * of the middle dimension of an (outer, size, inner) layout, selected, and
 * their gradients added back.
 */
import type { Kernels } from '../signatures.generated.js';

/** Runs of fewer elements than this are copied element by element: a subarray per run costs more. */
const RUN_MIN = 64;

/** `indexSelect`: see its declaration. */
export const indexSelectJs: Kernels['indexSelect'] = (outer, size, inner, k, x, index, out) => {
  // Nothing to write: no row is walked (an empty selection may come with 2^40 nominal rows).
  if (outer * k * inner === 0) return true;
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      const from = o * size;
      const to = o * k;
      for (let j = 0; j < k; j++) out[to + j] = x[from + index[j]];
    }
    return true;
  }
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < k; j++) {
      const from = (o * size + index[j]) * inner;
      const to = (o * k + j) * inner;
      if (inner < RUN_MIN) for (let i = 0; i < inner; i++) out[to + i] = x[from + i];
      else out.set(x.subarray(from, from + inner), to);
    }
  }
  return true;
};

/** `indexAdd`: see its declaration. */
export const indexAddJs: Kernels['indexAdd'] = (outer, size, inner, k, dx, index, g) => {
  if (outer * size * inner === 0) return true;
  dx.fill(0, 0, outer * size * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < k; j++) {
      const to = (o * size + index[j]) * inner;
      const from = (o * k + j) * inner;
      for (let i = 0; i < inner; i++) dx[to + i] += g[from + i];
    }
  }
  return true;
};
