/**
 * The wasm backend's `boxSum` and `boxSpread` (float32; average and adaptive
 * average pooling): as many whole planes as fit a tile go through the
 * scratch region at once, the input planes in buffer 0, the output planes in
 * buffer 1, the boxes' bounds (int32) in buffer 2 and boxSum's float64
 * running sums in buffer 3. Planes larger than a tile, more bounds than
 * buffer 2 holds and float64 are declined, and the JavaScript kernels run
 * instead. The module adds in the JavaScript kernels' order
 * (wasm/assembly/boxes.ts), so the results are bit for bit theirs.
 */
import type { Kernels } from '../signatures.generated.js';
import type { WasmModuleExports } from './exports.generated.js';
import type { RowScratch } from './row-scratch.js';

export function makeWasmBoxes(
  ex: WasmModuleExports,
  sc: RowScratch,
): Pick<Kernels, 'boxSum' | 'boxSpread'> {
  const { tile, ptr } = sc;
  const mem = (): ArrayBuffer => ex.memory.buffer as ArrayBuffer;

  /**
   * Planes per pass for planes of `plane` inputs and `boxes` outputs, with the
   * bounds copied into buffer 2; 0 to decline (nothing to compute, or too large).
   */
  const passes = (
    planes: number,
    plane: number,
    boxes: number,
    rows: Int32Array,
    cols: Int32Array,
    oh: number,
    ow: number,
  ): number => {
    if (planes * plane === 0 || planes * boxes === 0) return 0;
    if (plane > tile || boxes > tile || 2 * (oh + ow) > tile || 2 * ow > tile) return 0;
    const bounds = new Int32Array(mem(), ptr[2], 2 * (oh + ow));
    bounds.set(rows.subarray(0, 2 * oh));
    bounds.set(cols.subarray(0, 2 * ow), 2 * oh);
    return Math.min(Math.floor(tile / plane), Math.floor(tile / boxes));
  };

  return {
    boxSum(planes, h, w, oh, ow, out, x, rows, cols) {
      if (!(out instanceof Float32Array) || !(x instanceof Float32Array)) return false;
      const plane = h * w;
      const boxes = oh * ow;
      const per = passes(planes, plane, boxes, rows, cols, oh, ow);
      if (per === 0) return false;
      const colsAt = ptr[2] + 8 * oh;
      for (let p = 0; p < planes; p += per) {
        const q = Math.min(per, planes - p);
        new Float32Array(mem(), ptr[0], q * plane).set(x.subarray(p * plane, (p + q) * plane));
        ex.box_sum_planes(q, h, w, oh, ow, ptr[1], ptr[0], ptr[2], colsAt, ptr[3]);
        out.set(new Float32Array(mem(), ptr[1], q * boxes), p * boxes);
      }
      return true;
    },
    boxSpread(planes, h, w, oh, ow, dx, g, rows, cols) {
      if (!(dx instanceof Float32Array) || !(g instanceof Float32Array)) return false;
      const plane = h * w;
      const boxes = oh * ow;
      const per = passes(planes, plane, boxes, rows, cols, oh, ow);
      if (per === 0) return false;
      let widest = 0;
      for (let z = 0; z < ow; z++) widest = Math.max(widest, cols[2 * z + 1] - cols[2 * z]);
      const colsAt = ptr[2] + 8 * oh;
      for (let p = 0; p < planes; p += per) {
        const q = Math.min(per, planes - p);
        new Float32Array(mem(), ptr[1], q * boxes).set(g.subarray(p * boxes, (p + q) * boxes));
        ex.box_spread_planes(q, h, w, oh, ow, ptr[0], ptr[1], ptr[2], colsAt, widest);
        dx.set(new Float32Array(mem(), ptr[0], q * plane), p * plane);
      }
      return true;
    },
  };
}
