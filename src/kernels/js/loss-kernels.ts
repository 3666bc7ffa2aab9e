/**
 * Hand-fused JavaScript kernels for cross-entropy and NLL over an
 * `(outer, C, inner)` layout: `outer` = batch N, `C` = classes (the class
 * dimension 1), `inner` = d1·…·dk (1 for `(N, C)` input). Element
 * `(n, c, i)` lives at `(n·C + c)·inner + i`; position `(n, i)` of the
 * target and of the per-position loss at `n·inner + i`.
 *
 * The native and WebAssembly backends may implement the same functions
 * (same argument order) as the optional `KernelBackend` hooks
 * `crossEntropyForward`, `crossEntropyBackward`, `crossEntropyProbForward`,
 * `crossEntropyProbBackward`, `nllForward`, `nllBackward`; the functional
 * layer asks the active backend first and falls back to these.
 *
 * Numerics follow PyTorch's CPU kernels: log-softmax is `(x − max) − log Σ
 * exp(x − max)` (no special case for infinite maxima, so a row of −∞ gives
 * NaN as in PyTorch), products with weights and targets are formed as
 * written (so `0·(−∞)` is NaN where PyTorch's is), and the label-smoothing
 * term is skipped entirely when `labelSmoothing` is 0.
 */
import type { Floats } from './types.js';

/** Index arrays: class targets (int32). */
export type Indices = Int32Array;

/**
 * Cross-entropy with class-index targets, forward.
 *
 * For every position `(n, i)` with target `t` (`t === ignoreIndex` → loss 0,
 * contributes no weight):
 * `loss = (1 − ε)·(−w[t]·logp[t]) + (ε/C)·(−Σ_c w[c]·logp[c])`, the second
 * term only when `ε > 0`; `w` is all ones when `weight` is null.
 *
 * @param x logits, `outer·C·inner` elements
 * @param target class indices, `outer·inner` elements, already validated to lie in `[0, C)` or equal `ignoreIndex`
 * @param weight per-class weights (`C` elements) or null
 * Log-probabilities are PyTorch's float32 log_softmax, `logp = (x − max) −
 * log Σ` with both steps rounded to the dtype (`round`), so huge logits
 * (|max| ~ 1e38) keep the `log Σ` term that one float64 `max + log Σ` would
 * absorb; the label-smoothing sum `Σ w[c]·logp[c]` is rounded to the dtype,
 * so in float32 it overflows to ±Infinity where PyTorch's float32 sum does.
 *
 * @param loss out: per-position losses, `outer·inner` elements
 * @param lse out: per position p, `lse[2p] = log Σ exp(x − max)` and `lse[2p + 1] = max`, for the backward pass
 * @returns the summed weight `Σ w[t]` over the positions that are not ignored (the 'mean' divisor)
 */

/** Rounding to the kernel's dtype: float32 for a Float32Array, none for float64. */
function rounding(x: Floats): (v: number) => number {
  return x instanceof Float32Array ? Math.fround : (v) => v;
}

/** Maximum of the strided row x[base + c·inner + i], c < C; NaN wins, as in PyTorch's max reduction. */
function rowMax(x: Floats, base: number, C: number, inner: number, i: number): number {
  let m = -Infinity;
  for (let c = 0; c < C; c++) {
    const v = x[base + c * inner + i];
    if (v > m || v !== v) m = v;
  }
  return m;
}

/** Σ exp(x − m) over the same strided row: the log-sum-exp with the maximum subtracted. */
function rowSumExp(
  x: Floats,
  base: number,
  C: number,
  inner: number,
  i: number,
  m: number,
): number {
  let s = 0;
  for (let c = 0; c < C; c++) s += Math.exp(x[base + c * inner + i] - m);
  return s;
}

/**
 * A position's cross-entropy with label smoothing ε over C classes, from its
 * (weighted) nll and Σ_c logp[c]·w[c] already rounded to the dtype:
 * (1 − ε)·nll + (ε/C)·(−Σ), as PyTorch forms it. Shared with the wasm backend.
 */
export function smoothedNll(eps: number, C: number, nll: number, sum: number): number {
  return (1 - eps) * nll + (eps / C) * -sum;
}

export function crossEntropyForward(
  outer: number,
  C: number,
  inner: number,
  x: Floats,
  target: Indices,
  weight: Floats | null,
  ignoreIndex: number,
  labelSmoothing: number,
  loss: Floats,
  lse: Float64Array,
): number {
  // Nothing to write: no row is walked (no positions may come with 2^40 nominal rows).
  if (outer * inner === 0) return 0;
  let totalWeight = 0;
  const eps = labelSmoothing;
  const smooth = eps > 0;
  const round = rounding(x);
  for (let n = 0; n < outer; n++) {
    const base = n * C * inner;
    for (let i = 0; i < inner; i++) {
      const p = n * inner + i;
      const m = rowMax(x, base, C, inner, i);
      const logSum = Math.log(rowSumExp(x, base, C, inner, i, m));
      lse[2 * p] = logSum;
      lse[2 * p + 1] = m;
      const t = target[p];
      if (t === ignoreIndex) {
        loss[p] = 0;
        continue;
      }
      const ls = round(logSum);
      const wt = weight ? weight[t] : 1;
      totalWeight += wt;
      const nll = -wt * round(round(x[base + t * inner + i] - m) - ls);
      if (!smooth) {
        loss[p] = nll;
        continue;
      }
      let sm = 0;
      for (let c = 0; c < C; c++) {
        const lp = round(round(x[base + c * inner + i] - m) - ls);
        sm += weight ? round(lp * weight[c]) : lp;
      }
      loss[p] = smoothedNll(eps, C, nll, round(sm));
    }
  }
  return totalWeight;
}

/**
 * Cross-entropy with class-index targets, backward: `dx = g·(softmax − onehot)`
 * generalised to weights and label smoothing, written into one buffer.
 *
 * With `s = grad[p·gradStride] / divisor` the gradient of the log-probabilities is
 * `gl[c] = −(1 − ε)·w[t]·s·[c = t] − (ε/C)·w[c]·s` (zero for ignored
 * positions), and `dx[c] = gl[c] − exp(logp[c])·Σ gl` (log-softmax backward).
 *
 * @param grad upstream gradient: one element (`gradStride` 0, reductions 'mean'/'sum') or `outer·inner` ('none', `gradStride` 1)
 * @param divisor `totalWeight` for 'mean', else 1 (the upstream gradient is divided by it, as PyTorch does)
 * `logp` is recomputed as in the forward pass, rounded as PyTorch's log_softmax.
 *
 * @param lse the forward pass's saved `lse` (pairs of log Σ exp(x − max) and max)
 * @param dx out: `outer·C·inner` elements
 */
export function crossEntropyBackward(
  outer: number,
  C: number,
  inner: number,
  x: Floats,
  target: Indices,
  weight: Floats | null,
  ignoreIndex: number,
  labelSmoothing: number,
  lse: Float64Array,
  grad: Floats,
  gradStride: number,
  divisor: number,
  dx: Floats,
): void {
  // Nothing to write: no row is walked (an empty gradient may come with 2^40 nominal rows).
  if (outer * C * inner === 0) return;
  const eps = labelSmoothing;
  const smooth = eps > 0;
  const round = rounding(x);
  for (let n = 0; n < outer; n++) {
    const base = n * C * inner;
    for (let i = 0; i < inner; i++) {
      const p = n * inner + i;
      const t = target[p];
      const ls = round(lse[2 * p]);
      const m = lse[2 * p + 1];
      const softmax = (o: number): number => Math.exp(round(round(x[o] - m) - ls));
      if (t === ignoreIndex) {
        // gl = 0, so dx = 0 − softmax·0 (NaN only if the row is NaN, as in PyTorch).
        for (let c = 0; c < C; c++) dx[base + c * inner + i] = -softmax(base + c * inner + i) * 0;
        continue;
      }
      const s = grad[p * gradStride] / divisor;
      const wt = weight ? weight[t] : 1;
      const glTarget = smooth ? -(1 - eps) * wt * s : -wt * s;
      let total = glTarget;
      const k = eps / C;
      if (smooth) {
        for (let c = 0; c < C; c++) total += -k * (weight ? weight[c] : 1) * s;
      }
      for (let c = 0; c < C; c++) {
        const o = base + c * inner + i;
        let gl = smooth ? -k * (weight ? weight[c] : 1) * s : 0;
        if (c === t) gl += glTarget;
        dx[o] = gl - softmax(o) * total;
      }
    }
  }
}

/**
 * Cross-entropy with class-probability targets (the target has the input's
 * shape), forward: `loss = −Σ_c logp[c]·t'[c]·w[c]` per position, where
 * `t' = t·(1 − ε) + ε/C` if `ε > 0`, else `t`.
 *
 * @param target probabilities, `outer·C·inner` elements
 * Rounded as PyTorch's float kernels: `logp` as in `crossEntropyForward`,
 * `t'`, each product and the sum rounded to the dtype (in float32 a product
 * `−Infinity·0` is NaN and an overflowing sum is ±Infinity, as in PyTorch).
 *
 * @param loss out: per-position losses, `outer·inner` elements
 * @param lse out: per position p, `lse[2p] = log Σ exp(x − max)` and `lse[2p + 1] = max`
 */
export function crossEntropyProbForward(
  outer: number,
  C: number,
  inner: number,
  x: Floats,
  target: Floats,
  weight: Floats | null,
  labelSmoothing: number,
  loss: Floats,
  lse: Float64Array,
): void {
  if (outer * inner === 0) return;
  const eps = labelSmoothing;
  const smooth = eps > 0;
  const round = rounding(x);
  const keep = round(1 - eps);
  const k = round(eps / C);
  for (let n = 0; n < outer; n++) {
    const base = n * C * inner;
    for (let i = 0; i < inner; i++) {
      const p = n * inner + i;
      const m = rowMax(x, base, C, inner, i);
      const logSum = Math.log(rowSumExp(x, base, C, inner, i, m));
      lse[2 * p] = logSum;
      lse[2 * p + 1] = m;
      const ls = round(logSum);
      let acc = 0;
      for (let c = 0; c < C; c++) {
        const o = base + c * inner + i;
        const tc = smooth ? round(round(target[o] * keep) + k) : target[o];
        const term = round(round(round(x[o] - m) - ls) * tc);
        acc += weight ? round(term * weight[c]) : term;
      }
      loss[p] = -round(acc);
    }
  }
}

/**
 * Cross-entropy with class-probability targets, backward. With
 * `s = grad[p·gradStride] / divisor`: `gl[c] = −t'[c]·w[c]·s`,
 * `dx[c] = gl[c] − exp(logp[c])·Σ gl`, and, if `dtarget` is given,
 * `dtarget[c] = −logp[c]·w[c]·s·(1 − ε)` (`(1 − ε)` only when `ε > 0`).
 *
 * @param divisor `outer·inner` for 'mean', else 1
 * @param dx out: `outer·C·inner` elements, or null if the input needs no gradient
 * @param dtarget out: `outer·C·inner` elements, or null if the target needs no gradient
 */
export function crossEntropyProbBackward(
  outer: number,
  C: number,
  inner: number,
  x: Floats,
  target: Floats,
  weight: Floats | null,
  labelSmoothing: number,
  lse: Float64Array,
  grad: Floats,
  gradStride: number,
  divisor: number,
  dx: Floats | null,
  dtarget: Floats | null,
): void {
  if (outer * C * inner === 0) return;
  const eps = labelSmoothing;
  const smooth = eps > 0;
  const round = rounding(x);
  const keep = round(1 - eps);
  const k = round(eps / C);
  for (let n = 0; n < outer; n++) {
    const base = n * C * inner;
    for (let i = 0; i < inner; i++) {
      const p = n * inner + i;
      // logp as in the forward pass: (x − max) − log Σ, rounded at each step.
      const ls = round(lse[2 * p]);
      const m = lse[2 * p + 1];
      const logp = (o: number): number => round(round(x[o] - m) - ls);
      const s = grad[p * gradStride] / divisor;
      const ss = round(s);
      // PyTorch's autograd of −(log_softmax(x)·t'·w).sum(): gl = ((−s)·w)·t', each product
      // rounded, then dx = gl − exp(logp)·Σ gl, so that it cancels where PyTorch's does.
      const gl = (o: number, c: number): number => {
        const tc = smooth ? round(round(target[o] * keep) + k) : target[o];
        return round(round(-ss * (weight ? weight[c] : 1)) * tc);
      };
      let total = 0;
      for (let c = 0; c < C; c++) {
        const o = base + c * inner + i;
        total += gl(o, c);
        if (dtarget) {
          const g = -logp(o) * (weight ? weight[c] : 1) * s;
          dtarget[o] = smooth ? g * (1 - eps) : g;
        }
      }
      if (!dx) continue;
      const tot = round(total);
      for (let c = 0; c < C; c++) {
        const o = base + c * inner + i;
        dx[o] = gl(o, c) - round(round(Math.exp(logp(o))) * tot);
      }
    }
  }
}

/**
 * Negative log-likelihood, forward: `loss = −w[t]·x[t]` per position (0 and
 * no weight where `t === ignoreIndex`).
 *
 * @param x log-probabilities, `outer·C·inner` elements
 * @param loss out: per-position losses, `outer·inner` elements
 * @returns the summed weight of the positions that are not ignored
 */
export function nllForward(
  outer: number,
  C: number,
  inner: number,
  x: Floats,
  target: Indices,
  weight: Floats | null,
  ignoreIndex: number,
  loss: Floats,
): number {
  if (outer * inner === 0) return 0;
  let totalWeight = 0;
  for (let n = 0; n < outer; n++) {
    for (let i = 0; i < inner; i++) {
      const p = n * inner + i;
      const t = target[p];
      if (t === ignoreIndex) {
        loss[p] = 0;
        continue;
      }
      const wt = weight ? weight[t] : 1;
      totalWeight += wt;
      loss[p] = -wt * x[(n * C + t) * inner + i];
    }
  }
  return totalWeight;
}

/**
 * Negative log-likelihood, backward: `dx[t] = −w[t]·(grad[p·gradStride] / divisor)`
 * at each target, 0 elsewhere. `dx` must be zero-filled by the caller.
 *
 * @param divisor `totalWeight` for 'mean', else 1
 */
export function nllBackward(
  outer: number,
  C: number,
  inner: number,
  target: Indices,
  weight: Floats | null,
  ignoreIndex: number,
  grad: Floats,
  gradStride: number,
  divisor: number,
  dx: Floats,
): void {
  if (outer * C * inner === 0) return;
  for (let n = 0; n < outer; n++) {
    for (let i = 0; i < inner; i++) {
      const p = n * inner + i;
      const t = target[p];
      if (t === ignoreIndex) continue;
      const wt = weight ? weight[t] : 1;
      dx[(n * C + t) * inner + i] = -wt * (grad[p * gradStride] / divisor);
    }
  }
}
