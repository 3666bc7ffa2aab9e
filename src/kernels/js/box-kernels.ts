/**
 * The JavaScript bodies of `boxSum` and `boxSpread` (declared in
 * src/kernels/schema.ts; the native bodies are native/box_sums.h, in the same
 * loop order): each output position (y, z) of a plane owns the box of input
 * rows `[rows[2y], rows[2y+1])` and columns `[cols[2z], cols[2z+1])`.
 * boxSpread walks a row of boxes one column offset `t` at a time, from the
 * widest offset down, boxes inner, so that an element gets its boxes'
 * gradients in their row-major order where box starts do not decrease.
 */
import type { Kernels } from '../signatures.generated.js';

/** The widest box of `n` `[lo, hi)` bounds, interleaved. */
function widestBox(bounds: Int32Array, n: number): number {
  let widest = 0;
  for (let z = 0; z < n; z++) widest = Math.max(widest, bounds[2 * z + 1] - bounds[2 * z]);
  return widest;
}

/**
 * `boxSum`: see its declaration. Each box's sum is taken in float64 and rounded once; here each
 * box's columns are one inner loop (the same order of addition as the native `t`-outer walk,
 * which V8 runs slower).
 */
export const boxSumJs: Kernels['boxSum'] = (planes, h, w, oh, ow, out, x, rows, cols) => {
  // Nothing to write: no plane is walked (empty outputs may come with 2^40 nominal planes).
  if (planes * oh * ow === 0) return true;
  const acc = new Float64Array(ow);
  for (let p = 0; p < planes; p++) {
    const plane = p * h * w;
    const o = p * oh * ow;
    for (let y = 0; y < oh; y++) {
      acc.fill(0);
      for (let i = rows[2 * y]; i < rows[2 * y + 1]; i++) {
        const row = plane + i * w;
        for (let z = 0; z < ow; z++) {
          let s = acc[z];
          for (let j = cols[2 * z]; j < cols[2 * z + 1]; j++) s += x[row + j];
          acc[z] = s;
        }
      }
      for (let z = 0; z < ow; z++) out[o + y * ow + z] = acc[z];
    }
  }
  return true;
};

/** `boxSpread`: see its declaration. Each addition is rounded to the dtype, as PyTorch's. */
export const boxSpreadJs: Kernels['boxSpread'] = (planes, h, w, oh, ow, dx, g, rows, cols) => {
  if (planes * h * w === 0) return true;
  dx.fill(0, 0, planes * h * w);
  // No gradient to spread: the planes stay 0, and no (nominal) box row is walked.
  if (oh * ow === 0) return true;
  const widest = widestBox(cols, ow);
  for (let p = 0; p < planes; p++) {
    const plane = p * h * w;
    for (let y = 0; y < oh; y++) {
      const gy = (p * oh + y) * ow;
      for (let i = rows[2 * y]; i < rows[2 * y + 1]; i++) {
        const row = plane + i * w;
        for (let t = widest - 1; t >= 0; t--) {
          for (let z = 0; z < ow; z++) {
            const j = cols[2 * z] + t;
            if (j < cols[2 * z + 1]) dx[row + j] += g[gy + z];
          }
        }
      }
    }
  }
  return true;
};
