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
  // A float32 tensor's scaled logits z = x/T and z − max are float32 values,
  // as in PyTorch's softmax(x / T): they overflow to ±Infinity where its do
  // (a row holding an infinite z is NaN).
  const round = out instanceof Float32Array ? Math.fround : (v: number): number => v;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let max = -Infinity;
      for (let s = 0; s < size; s++) {
        const z = round(x[base + s * inner] * scale);
        if (z > max || z !== z) max = z;
      }
      let sum = 0;
      for (let s = 0; s < size; s++)
        sum += Math.exp(round(round(x[base + s * inner] * scale) - max));
      if (log) {
        const lse = round(Math.log(sum));
        for (let s = 0; s < size; s++)
          out[base + s * inner] = round(round(x[base + s * inner] * scale) - max) - lse;
      } else {
        const inv = 1 / sum;
        for (let s = 0; s < size; s++)
          out[base + s * inner] = Math.exp(round(round(x[base + s * inner] * scale) - max)) * inv;
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
