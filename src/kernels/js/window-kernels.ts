/**
 * The JavaScript bodies of `im2col` and `col2im` (declared in
 * src/kernels/schema.ts; the native bodies are native/windows.h, in the
 * same loop order). Both walk the same rows: for each plane, tap and row of
 * windows, the windows whose column falls inside the plane form one run
 * `[lo, hi)`, found by division rather than tested per element; the rest
 * read the padding.
 */
import type { Kernels } from '../signatures.generated.js';

/**
 * The windows `[lo, hi)` of `n` whose position `z·stride + off` lies in
 * `[0, size)`. Stride 0 puts every window at `off`.
 */
export function insideRun(n: number, stride: number, off: number, size: number): [number, number] {
  if (stride === 0) return off >= 0 && off < size ? [0, n] : [0, 0];
  const lo = off >= 0 ? 0 : Math.ceil(-off / stride);
  const hi = off >= size ? 0 : Math.floor((size - 1 - off) / stride) + 1;
  return [Math.min(lo, n), Math.max(Math.min(lo, n), Math.min(hi, n))];
}

/**
 * The geometry both kernels take, then the columns' strides:
 * batch, channels, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, sN, sC, sK, sL.
 */
type Geometry = readonly number[];

/**
 * Calls `row` for every (plane, tap, row of windows), taps outer and rows
 * inner: `col` is where the row's first window sits in the columns, `from`
 * where its first window's element would sit in the planes (null for a row
 * in the padding; it may lie before the row, in its left padding), `lo`/`hi`
 * the windows whose element is inside.
 */
function forEachRow(
  g: Geometry,
  row: (col: number, from: number | null, lo: number, hi: number) => void,
): void {
  const [batch, channels, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, sN, sC, sK, sL] = g;
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const plane = (n * channels + c) * h * w;
      for (let a = 0; a < kh; a++) {
        for (let b = 0; b < kw; b++) {
          const tap = n * sN + c * sC + (a * kw + b) * sK;
          const [lo, hi] = insideRun(ow, sw, b * dw - pw, w);
          for (let y = 0; y < oh; y++) {
            const i = y * sh - ph + a * dh;
            const inside = i >= 0 && i < h;
            row(tap + y * ow * sL, inside ? plane + i * w + b * dw - pw : null, lo, hi);
          }
        }
      }
    }
  }
}

/** `im2col`: see its declaration. */
export const im2colJs: Kernels['im2col'] = (
  batch,
  channels,
  h,
  w,
  kh,
  kw,
  sh,
  sw,
  ph,
  pw,
  dh,
  dw,
  oh,
  ow,
  out,
  sN,
  sC,
  sK,
  sL,
  x,
  padValue,
) => {
  // Nothing to write: no plane is walked (an empty kernel may come with 2^40 nominal planes).
  if (batch * channels * kh * kw * oh * ow === 0) return true;
  const g = [batch, channels, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, sN, sC, sK, sL];
  forEachRow(g, (col, from, lo, hi) => {
    if (from === null) {
      for (let z = 0; z < ow; z++) out[col + z * sL] = padValue;
      return;
    }
    for (let z = 0; z < lo; z++) out[col + z * sL] = padValue;
    for (let z = lo; z < hi; z++) out[col + z * sL] = x[from + z * sw];
    for (let z = hi; z < ow; z++) out[col + z * sL] = padValue;
  });
  return true;
};

/** `col2im`: see its declaration. Each sum is rounded to the dtype at every step, as PyTorch's. */
export const col2imJs: Kernels['col2im'] = (
  batch,
  channels,
  h,
  w,
  kh,
  kw,
  sh,
  sw,
  ph,
  pw,
  dh,
  dw,
  oh,
  ow,
  dx,
  cols,
  sN,
  sC,
  sK,
  sL,
) => {
  if (batch * channels * h * w === 0) return true;
  dx.fill(0, 0, batch * channels * h * w);
  // No columns: the planes stay 0, and no tap or window is walked (2^40 nominal taps of nothing).
  if (kh * kw * oh * ow === 0) return true;
  const g = [batch, channels, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, sN, sC, sK, sL];
  forEachRow(g, (col, from, lo, hi) => {
    if (from === null) return;
    for (let z = lo; z < hi; z++) dx[from + z * sw] += cols[col + z * sL];
  });
  return true;
};
