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
  // Nothing to write: no row is walked (an empty product may come with 2^40 nominal rows).
  if (m * n === 0) return true;
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

/**
 * `y[m×n] = x·wᵀ + b` with `x` `[m×k]`, `w` `[n×k]` and `b` `[n]` or null:
 * each element is a dot product of two contiguous rows, accumulated in
 * float64, plus the bias, rounded once. No product is skipped.
 */
export function linearJs(
  m: number,
  k: number,
  n: number,
  x: Floats,
  w: Floats,
  b: Floats | null,
  y: Floats,
): true {
  if (m * n === 0) return true;
  for (let i = 0; i < m; i++) {
    const xi = i * k;
    for (let j = 0; j < n; j++) {
      const wj = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += x[xi + p] * w[wj + p];
      y[i * n + j] = b ? s + b[j] : s;
    }
  }
  return true;
}

/**
 * The parameter gradients of `y = x·wᵀ + b`: `dw[n×k] = gᵀ·x` (the GEMM
 * above, `g` `[m×n]` read transposed) and, unless `db` is null, the column
 * sums `db[j] = Σ_i g[i, j]`, accumulated in float64 in row order (as
 * `reduceDim` sums) and rounded once.
 */
export function linearBackwardJs(
  m: number,
  k: number,
  n: number,
  g: Floats,
  x: Floats,
  dw: Floats,
  db: Floats | null,
): true {
  gemmJs(n, m, k, g, x, dw, true, false);
  if (db) columnSumsJs(m, n, g, db);
  return true;
}

/** `db[j] = Σ_i g[i, j]` over the `m` rows of `g` `[m×n]`, in float64 in row order, rounded once. */
export function columnSumsJs(m: number, n: number, g: Floats, db: Floats): void {
  // No columns: no row is walked (2^40 nominal rows of nothing).
  if (n === 0) return;
  const acc = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) acc[j] += g[row + j];
  }
  db.set(acc);
}
