/**
 * The JavaScript matrix product: `c[m×n] = op(a)·op(b)` with float64
 * accumulation per output row (the i-k-j order streams rows of b). No product
 * is skipped, so 0·∞ gives NaN as in PyTorch.
 */
import type { Floats } from './types.js';

/** `a` is `[m×k]` (or, with `transA`, `[k×m]`); `b` is `[k×n]` (or `[n×k]`); `c` is overwritten. */
export function gemmJs(
  m: number,
  k: number,
  n: number,
  a: Floats,
  b: Floats,
  c: Floats,
  transA: boolean,
  transB: boolean,
): true {
  const acc = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    acc.fill(0);
    for (let p = 0; p < k; p++) {
      const av = transA ? a[p * m + i] : a[i * k + p];
      if (transB) {
        for (let j = 0; j < n; j++) acc[j] += av * b[j * k + p];
      } else {
        const row = p * n;
        for (let j = 0; j < n; j++) acc[j] += av * b[row + j];
      }
    }
    c.set(acc, i * n);
  }
  return true;
}
