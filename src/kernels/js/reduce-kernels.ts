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
