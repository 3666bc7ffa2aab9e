/**
 * The wasm backend's softmax and logSoftmax over rows that are not a tile's
 * worth of contiguous floats: rows longer than a chunk, and rows along a
 * dimension that is not the last (inner > 1). Both reuse the module's
 * one-row passes, so they give bit for bit what one pass over a contiguous
 * row gives (up to the sign of a zero maximum in chunked rows).
 *
 * - **Long rows** are streamed through buffer 0 in chunks of `rowChunk`
 *   columns (a multiple of 16, so the partial sums carry from chunk to chunk
 *   in the order of one pass): the maximum, then Σ exp (softmax keeps the
 *   exponentials in `out`), then the last pass (logSoftmax from x again,
 *   softmax scaling what `out` holds). Backward: the row's sum, then the
 *   output pass.
 * - **Strided rows** (an (outer, size, inner) layout, softmax along the
 *   middle): for each outer index, the rows of a block of inner positions are
 *   gathered into buffer 0 as contiguous rows, run through the one-row
 *   kernels, and scattered back.
 */
import type { WasmModuleExports } from './exports.generated.js';
import { gather, type RowScratch, scatter, zeroAcc } from './row-scratch.js';

export interface SoftmaxRows {
  wideForward(
    log: boolean,
    outer: number,
    size: number,
    out: Float32Array,
    x: Float32Array,
    scale: number,
  ): true;
  wideBackward(
    log: boolean,
    outer: number,
    size: number,
    dx: Float32Array,
    dy: Float32Array,
    y: Float32Array,
    scale: number,
  ): true;
  /** size ≤ rowChunk. */
  stridedForward(
    log: boolean,
    outer: number,
    size: number,
    inner: number,
    out: Float32Array,
    x: Float32Array,
    scale: number,
  ): true;
  /** size ≤ rowChunk. */
  stridedBackward(
    log: boolean,
    outer: number,
    size: number,
    inner: number,
    dx: Float32Array,
    dy: Float32Array,
    y: Float32Array,
    scale: number,
  ): true;
}

export function makeSoftmaxRows(ex: WasmModuleExports, sc: RowScratch): SoftmaxRows {
  const { tile, rowChunk, ptr, buf, acc } = sc;

  return {
    wideForward(log, outer, size, out, x, scale) {
      const lg = log ? 1 : 0;
      for (let r = 0; r < outer; r++) {
        const row = x.subarray(r * size, (r + 1) * size);
        const orow = out.subarray(r * size, (r + 1) * size);
        let m = -Infinity;
        for (let c = 0; c < size; c += rowChunk) {
          const n = Math.min(rowChunk, size - c);
          buf[0].set(row.subarray(c, c + n));
          const mc = ex.softmax_max_chunk(n, ptr[0], scale);
          if (mc > m) m = mc;
        }
        zeroAcc(sc);
        for (let c = 0; c < size; c += rowChunk) {
          const n = Math.min(rowChunk, size - c);
          buf[0].set(row.subarray(c, c + n));
          ex.softmax_sum_chunk(lg, n, ptr[1], ptr[0], scale, m, acc);
          if (!log) orow.set(buf[1].subarray(0, n), c);
        }
        const k = ex.softmax_constant(lg, acc);
        for (let c = 0; c < size; c += rowChunk) {
          const n = Math.min(rowChunk, size - c);
          if (log) buf[0].set(row.subarray(c, c + n));
          else buf[1].set(orow.subarray(c, c + n));
          ex.softmax_finish_chunk(lg, n, ptr[1], ptr[0], scale, m, k);
          orow.set(buf[1].subarray(0, n), c);
        }
      }
      return true;
    },

    wideBackward(log, outer, size, dx, dy, y, scale) {
      const lg = log ? 1 : 0;
      for (let r = 0; r < outer; r++) {
        const lo = r * size;
        zeroAcc(sc);
        for (let c = 0; c < size; c += rowChunk) {
          const n = Math.min(rowChunk, size - c);
          buf[0].set(dy.subarray(lo + c, lo + c + n));
          if (!log) buf[1].set(y.subarray(lo + c, lo + c + n));
          ex.softmax_bsum_chunk(lg, n, ptr[0], ptr[1], acc);
        }
        const total = ex.acc_total(acc);
        for (let c = 0; c < size; c += rowChunk) {
          const n = Math.min(rowChunk, size - c);
          buf[0].set(dy.subarray(lo + c, lo + c + n));
          buf[1].set(y.subarray(lo + c, lo + c + n));
          ex.softmax_bfinish_chunk(lg, n, ptr[2], ptr[0], ptr[1], scale, total);
          dx.set(buf[2].subarray(0, n), lo + c);
        }
      }
      return true;
    },

    stridedForward(log, outer, size, inner, out, x, scale) {
      const per = Math.floor(tile / size);
      for (let o = 0; o < outer; o++) {
        const base = o * size * inner;
        for (let i0 = 0; i0 < inner; i0 += per) {
          const k = Math.min(per, inner - i0);
          gather(buf[0], x, base, size, inner, i0, k);
          ex.softmax_forward(log ? 1 : 0, k, size, ptr[1], ptr[0], scale, acc);
          scatter(out, buf[1], base, size, inner, i0, k);
        }
      }
      return true;
    },

    stridedBackward(log, outer, size, inner, dx, dy, y, scale) {
      const per = Math.floor(tile / size);
      for (let o = 0; o < outer; o++) {
        const base = o * size * inner;
        for (let i0 = 0; i0 < inner; i0 += per) {
          const k = Math.min(per, inner - i0);
          gather(buf[0], dy, base, size, inner, i0, k);
          gather(buf[1], y, base, size, inner, i0, k);
          ex.softmax_backward(log ? 1 : 0, k, size, ptr[2], ptr[0], ptr[1], scale, acc);
          scatter(dx, buf[2], base, size, inner, i0, k);
        }
      }
      return true;
    },
  };
}
