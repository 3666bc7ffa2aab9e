/**
 * Fused softmax-family kernels over an (outer, size, inner) layout: the
 * reduced dimension has `size` elements at stride `inner`. Inputs are
 * multiplied by `scale` first (1/temperature, negated for softmin).
 *
 * Forward: one pass for the maximum, one for Σ exp(z − max), one to write;
 * subtracting the maximum keeps exp from overflowing. A row whose maximum is
 * ±Infinity yields NaN where z − max is NaN, exactly as PyTorch does.
 */
import type { Floats } from './types.js';

export function softmaxForwardJs(
  log: boolean,
  outer: number,
  size: number,
  inner: number,
  out: Floats,
  x: Floats,
  scale: number,
): void {
  // Nothing to write: no row is walked (empty rows may come with 2^40 nominal ones).
  if (outer * size * inner === 0) return;
  if (out instanceof Float32Array) {
    softmaxForwardF32(log, outer, size, inner, out, x, scale);
    return;
  }
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let max = -Infinity;
      for (let s = 0; s < size; s++) {
        const z = x[base + s * inner] * scale;
        if (z > max || z !== z) max = z;
      }
      let sum = 0;
      for (let s = 0; s < size; s++) sum += Math.exp(x[base + s * inner] * scale - max);
      if (log) {
        const lse = Math.log(sum);
        for (let s = 0; s < size; s++)
          out[base + s * inner] = x[base + s * inner] * scale - max - lse;
      } else {
        const inv = 1 / sum;
        for (let s = 0; s < size; s++)
          out[base + s * inner] = Math.exp(x[base + s * inner] * scale - max) * inv;
      }
    }
  }
}

/**
 * The float32 forward: the scaled logits z = x/T, z − max and log Σ are
 * float32 values, as in PyTorch's softmax(x / T), so they overflow to
 * ±Infinity where its do (a row holding an infinite z is NaN).
 */
function softmaxForwardF32(
  log: boolean,
  outer: number,
  size: number,
  inner: number,
  out: Float32Array,
  x: Floats,
  scaleIn: number,
): void {
  const fr = Math.fround;
  // The scale in float32, as the native and wasm kernels take it: a temperature below float32's
  // smallest value gives scale ∞, so 0·∞ = NaN and ±x·∞ = ±∞, as PyTorch's x / float32(T) = x / 0.
  const scale = fr(scaleIn);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      // Rounding is monotonic: the largest rounded z is the rounded largest z.
      let max = -Infinity;
      for (let s = 0; s < size; s++) {
        const z = x[base + s * inner] * scale;
        if (z > max || z !== z) max = z;
      }
      max = fr(max);
      let sum = 0;
      for (let s = 0; s < size; s++) sum += Math.exp(fr(fr(x[base + s * inner] * scale) - max));
      if (log) {
        const lse = fr(Math.log(sum));
        for (let s = 0; s < size; s++)
          out[base + s * inner] = fr(fr(x[base + s * inner] * scale) - max) - lse;
      } else {
        const inv = 1 / sum;
        for (let s = 0; s < size; s++)
          out[base + s * inner] = Math.exp(fr(fr(x[base + s * inner] * scale) - max)) * inv;
      }
    }
  }
}

/**
 * Backward, from the saved output `y`:
 * softmax:    dx = scale · y · (dy − Σ dy·y)
 * logSoftmax: dx = scale · (dy − exp(y) · Σ dy)
 */
export function softmaxBackwardJs(
  log: boolean,
  outer: number,
  size: number,
  inner: number,
  dx: Floats,
  dy: Floats,
  y: Floats,
  scale: number,
): void {
  if (outer * size * inner === 0) return;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let acc = 0;
      if (log) {
        for (let s = 0; s < size; s++) acc += dy[base + s * inner];
        for (let s = 0; s < size; s++) {
          const k = base + s * inner;
          dx[k] = scale * (dy[k] - Math.exp(y[k]) * acc);
        }
      } else {
        for (let s = 0; s < size; s++) acc += dy[base + s * inner] * y[base + s * inner];
        for (let s = 0; s < size; s++) {
          const k = base + s * inner;
          dx[k] = scale * y[k] * (dy[k] - acc);
        }
      }
    }
  }
}
