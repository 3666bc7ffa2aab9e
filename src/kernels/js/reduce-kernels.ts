/**
 * JavaScript reductions over the middle dimension of an (outer, size, inner)
 * layout: sums accumulated in float64, extrema with NaN winning (as PyTorch's).
 */
import type { Numbers } from './types.js';

/** `out[o·inner + i]` = Σ / max / min over s of `x[(o·size + s)·inner + i]`. */
export function reduceDimJs(
  kind: 'sum' | 'max' | 'min',
  outer: number,
  size: number,
  inner: number,
  x: Numbers,
  out: Numbers,
): true {
  // Nothing to write: no row is walked (an empty result may come with 2^40 nominal rows).
  if (outer * inner === 0) return true;
  const acc = new Float64Array(inner);
  const init = kind === 'sum' ? 0 : kind === 'max' ? -Infinity : Infinity;
  for (let o = 0; o < outer; o++) {
    acc.fill(init);
    const base = o * size * inner;
    for (let s = 0; s < size; s++) {
      const row = base + s * inner;
      if (kind === 'sum') {
        for (let i = 0; i < inner; i++) acc[i] += x[row + i];
      } else if (kind === 'max') {
        for (let i = 0; i < inner; i++) {
          const v = x[row + i];
          if (v > acc[i] || v !== v) acc[i] = v;
        }
      } else {
        for (let i = 0; i < inner; i++) {
          const v = x[row + i];
          if (v < acc[i] || v !== v) acc[i] = v;
        }
      }
    }
    out.set(acc, o * inner);
  }
  return true;
}

/**
 * `out[o·inner + i]` = the first maximum (or minimum) over s of
 * `x[(o·size + s)·inner + i]`, or its first NaN, and `indices[o·inner + i]` = that s.
 */
export function extremumIndicesJs(
  kind: 'max' | 'min',
  outer: number,
  size: number,
  inner: number,
  x: Numbers,
  out: Numbers,
  indices: Int32Array,
): true {
  // Nothing to write: no row is walked (2^40 nominal rows of nothing).
  if (outer * inner === 0) return true;
  const max = kind === 'max';
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    const at = o * inner;
    for (let i = 0; i < inner; i++) {
      out[at + i] = x[base + i];
      indices[at + i] = 0;
    }
    for (let s = 1; s < size; s++) {
      const row = base + s * inner;
      for (let i = 0; i < inner; i++) {
        const best = out[at + i];
        const v = x[row + i];
        if (best === best && (v !== v || (max ? v > best : v < best))) {
          out[at + i] = v;
          indices[at + i] = s;
        }
      }
    }
  }
  return true;
}
