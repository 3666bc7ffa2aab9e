/**
 * The wasm backend's `im2col` and `col2im` (float32, F.unfold's columns
 * layout): whole planes stream through the scratch region, buffer 0 holding
 * planes and buffers 1–3 (up to buffer 3's slack, which holds the row kernels'
 * sums) the columns of those planes. Several small planes go through at once
 * when their columns are adjacent in the caller's array; a plane whose
 * columns outgrow the region goes through in groups of taps. Planes larger
 * than a tile, other layouts (the transposed rows of a strided view) and
 * float64 are declined, and the JavaScript kernels run instead.
 *
 * The module's loops are the JavaScript kernels' (wasm/assembly/windows.ts):
 * im2col copies, and col2im adds each element's taps in the same order, so
 * the results are bit for bit those of the other backends.
 */
import type { Floats } from '../js/types.js';
import type { WasmModuleExports } from './exports.generated.js';
import type { RowScratch } from './row-scratch.js';

type Im2col = (
  batch: number,
  channels: number,
  h: number,
  w: number,
  kh: number,
  kw: number,
  sh: number,
  sw: number,
  ph: number,
  pw: number,
  dh: number,
  dw: number,
  oh: number,
  ow: number,
  out: Floats,
  sN: number,
  sC: number,
  sK: number,
  sL: number,
  x: Floats,
  padValue: number,
) => boolean;

type Col2im = (
  batch: number,
  channels: number,
  h: number,
  w: number,
  kh: number,
  kw: number,
  sh: number,
  sw: number,
  ph: number,
  pw: number,
  dh: number,
  dw: number,
  oh: number,
  ow: number,
  dx: Floats,
  cols: Floats,
  sN: number,
  sC: number,
  sK: number,
  sL: number,
) => boolean;

/** h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow. */
type Geometry = readonly number[];

/** How one call walks its planes: `per` planes at a time, or one plane in groups of `taps` taps. */
interface Plan {
  planes: number;
  plane: number;
  /** Floats of columns per plane (taps · windows). */
  block: number;
  l: number;
  k: number;
  /** Planes per pass (1 when taps are grouped). */
  per: number;
  /** Taps per pass. */
  taps: number;
}

export function makeWasmWindows(
  ex: WasmModuleExports,
  sc: RowScratch,
): { im2col: Im2col; col2im: Col2im } {
  const { tile, ptr } = sc;
  const planesAt = ptr[0];
  const colsAt = ptr[1];
  // Buffers 1 and 2 whole, buffer 3 up to its slack.
  const colsCap = 2 * (tile + 64) + tile;
  const mem = (): ArrayBuffer => ex.memory.buffer as ArrayBuffer;

  /**
   * The plan for planes of h×w with k taps of l windows in the columns layout
   * (sL = 1, sK = l, sC = k·l), or null to decline.
   */
  const plan = (
    batch: number,
    channels: number,
    g: Geometry,
    s: readonly number[],
  ): Plan | null => {
    const [h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow] = g;
    const [sN, sC, sK, sL] = s;
    const hw = h * w;
    const k = kh * kw;
    const l = oh * ow;
    if (sL !== 1 || sK !== l || sC !== k * l || hw > tile || l > colsCap) return null;
    // Nothing to cut (the JavaScript kernels return at once, or zero dx).
    if (l === 0 || k === 0) return null;
    // The module computes rows and columns in int32: decline geometry that could reach past it.
    if (Math.max(h, w, oh * sh + ph + kh * dh, ow * sw + pw + kw * dw) >= 2 ** 30) return null;
    const block = k * l;
    // Planes follow each other in the columns when sN = channels·sC (F.unfold's layout).
    const adjacent = sN === channels * sC || batch === 1;
    const per = adjacent
      ? Math.max(1, Math.min(Math.floor(tile / hw), Math.floor(colsCap / block)))
      : 1;
    const taps = block <= colsCap ? k : Math.floor(colsCap / l);
    return { planes: batch * channels, plane: hw, block, l, k, per: taps === k ? per : 1, taps };
  };

  /** Where plane p's columns start in the caller's array. */
  const columnsOf = (p: number, channels: number, sN: number, sC: number): number =>
    Math.floor(p / channels) * sN + (p % channels) * sC;

  const im2col: Im2col = (
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
    if (!(out instanceof Float32Array) || !(x instanceof Float32Array)) return false;
    const pl = plan(
      batch,
      channels,
      [h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow],
      [sN, sC, sK, sL],
    );
    if (pl === null) return false;
    const { planes, plane, l, k, per, taps } = pl;
    for (let p = 0; p < planes; p += per) {
      const q = Math.min(per, planes - p);
      new Float32Array(mem(), planesAt, q * plane).set(x.subarray(p * plane, (p + q) * plane));
      const at = columnsOf(p, channels, sN, sC);
      for (let t0 = 0; t0 < k; t0 += taps) {
        const t1 = Math.min(k, t0 + taps);
        const g = q * (t1 - t0) * l;
        ex.im2col_planes(
          q,
          h,
          w,
          kw,
          t0,
          t1,
          sh,
          sw,
          ph,
          pw,
          dh,
          dw,
          oh,
          ow,
          colsAt,
          planesAt,
          padValue,
        );
        out.set(new Float32Array(mem(), colsAt, g), at + t0 * l);
      }
    }
    return true;
  };

  const col2im: Col2im = (
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
    if (!(dx instanceof Float32Array) || !(cols instanceof Float32Array)) return false;
    const pl = plan(
      batch,
      channels,
      [h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow],
      [sN, sC, sK, sL],
    );
    if (pl === null) return false;
    const { planes, plane, l, k, per, taps } = pl;
    for (let p = 0; p < planes; p += per) {
      const q = Math.min(per, planes - p);
      const at = columnsOf(p, channels, sN, sC);
      for (let t0 = 0; t0 < k; t0 += taps) {
        const t1 = Math.min(k, t0 + taps);
        const g = q * (t1 - t0) * l;
        new Float32Array(mem(), colsAt, g).set(cols.subarray(at + t0 * l, at + t0 * l + g));
        ex.col2im_planes(
          q,
          h,
          w,
          kw,
          t0,
          t1,
          sh,
          sw,
          ph,
          pw,
          dh,
          dw,
          oh,
          ow,
          planesAt,
          colsAt,
          t0 === 0 ? 1 : 0,
        );
      }
      dx.set(new Float32Array(mem(), planesAt, q * plane), p * plane);
    }
    return true;
  };

  return { im2col, col2im };
}
