/**
 * The wasm backend's normalization kernels (float32; F.layerNorm,
 * F.groupNorm, F.batchNorm and their modules): the slices of the (batch,
 * outer, size) layout are gathered into the scratch region a block at a time
 * (one copy when batch is 1, a copy per size-run otherwise), the module
 * computes them (wasm/assembly/norm.ts, the JavaScript kernels' arithmetic in
 * float64), and the results are scattered back.
 *
 * - forward: x in buffer 0, out in 1, weight then bias in 2, the statistics in 3;
 * - backward: x in buffer 0 (dx overwrites it), dy in 1, weight in 2, the
 *   statistics then the sums in 3;
 * - parameter gradients: x in buffer 0, dy in 1, the statistics in 2, the
 *   float64 sums of dw and db in 3, rounded once at the end.
 *
 * Declined, for the JavaScript kernels: float64, slices longer than a tile,
 * more weights than the buffers hold, and batch-norm layouts of short
 * size-runs (fewer than 64 positions: a copy each would cost more than the
 * arithmetic).
 */
import type { Floats } from '../js/types.js';
import type { Kernels } from '../signatures.generated.js';
import type { WasmModuleExports } from './exports.generated.js';
import type { RowScratch } from './row-scratch.js';

/** The shortest size-run gathered one copy at a time. */
const MIN_RUN = 64;

type NormKernels = Pick<Kernels, 'layerNormForward' | 'layerNormBackward' | 'layerNormParamGrads'>;

export function makeWasmNorm(ex: WasmModuleExports, sc: RowScratch): NormKernels {
  const { tile, ptr } = sc;
  const mem = (): ArrayBuffer => ex.memory.buffer as ArrayBuffer;
  const f32 = (at: number, n: number): Float32Array => new Float32Array(mem(), at, n);
  const f64 = (at: number, n: number): Float64Array => new Float64Array(mem(), at, n);

  /** Slices per pass, at most `cap`; 0 to decline the layout. */
  const slicesPerPass = (batch: number, outer: number, size: number, cap: number): number => {
    const n = batch * size;
    if (outer === 0 || n === 0 || n > tile) return 0;
    if (batch > 1 && size < MIN_RUN) return 0;
    return Math.min(Math.floor(tile / n), cap);
  };

  /** Copies slices [r0, r0 + q) of `src` into `dst`, one after another. */
  const gather = (
    dst: Float32Array,
    src: Float32Array,
    r0: number,
    q: number,
    batch: number,
    outer: number,
    size: number,
  ): void => {
    if (batch === 1) {
      dst.set(src.subarray(r0 * size, (r0 + q) * size));
      return;
    }
    for (let s = 0; s < q; s++) {
      for (let a = 0; a < batch; a++) {
        const from = (a * outer + r0 + s) * size;
        dst.set(src.subarray(from, from + size), (s * batch + a) * size);
      }
    }
  };

  /** The inverse of gather: slices from `src` back into `dst`. */
  const scatter = (
    dst: Floats,
    src: Float32Array,
    r0: number,
    q: number,
    batch: number,
    outer: number,
    size: number,
  ): void => {
    if (batch === 1) {
      dst.set(src.subarray(0, q * size), r0 * size);
      return;
    }
    for (let s = 0; s < q; s++) {
      for (let a = 0; a < batch; a++) {
        const from = (s * batch + a) * size;
        dst.set(src.subarray(from, from + size), (a * outer + r0 + s) * size);
      }
    }
  };

  const isF32 = (...arrays: (Floats | null)[]): boolean =>
    arrays.every((a) => a === null || a instanceof Float32Array);

  return {
    layerNormForward(batch, outer, size, out, x, groups, run, weights, weight, bias, eps, stats) {
      if (!isF32(out, x, weight, bias) || 2 * weights > tile) return false;
      const per = slicesPerPass(batch, outer, size, Math.floor(tile / 6));
      if (per === 0) return false;
      const n = batch * size;
      if (weight) f32(ptr[2], weights).set(weight.subarray(0, weights));
      if (bias) f32(ptr[2] + 4 * weights, weights).set(bias.subarray(0, weights));
      for (let r0 = 0; r0 < outer; r0 += per) {
        const q = Math.min(per, outer - r0);
        gather(f32(ptr[0], q * n), x as Float32Array, r0, q, batch, outer, size);
        ex.ln_forward_slices(
          q,
          r0,
          batch,
          size,
          groups,
          run,
          ptr[1],
          ptr[0],
          weight ? 1 : 0,
          ptr[2],
          bias ? 1 : 0,
          ptr[2] + 4 * weights,
          eps,
          ptr[3],
        );
        scatter(out, f32(ptr[1], q * n), r0, q, batch, outer, size);
        stats.set(f64(ptr[3], 3 * q), 3 * r0);
      }
      return true;
    },
    layerNormBackward(batch, outer, size, dx, dy, x, groups, run, weights, weight, stats, sums) {
      if (!isF32(dx, dy, x, weight) || weights > tile) return false;
      const per = slicesPerPass(batch, outer, size, Math.floor(tile / 10));
      if (per === 0) return false;
      const n = batch * size;
      if (weight) f32(ptr[2], weights).set(weight.subarray(0, weights));
      for (let r0 = 0; r0 < outer; r0 += per) {
        const q = Math.min(per, outer - r0);
        gather(f32(ptr[0], q * n), x as Float32Array, r0, q, batch, outer, size);
        gather(f32(ptr[1], q * n), dy as Float32Array, r0, q, batch, outer, size);
        f64(ptr[3], 3 * q).set(stats.subarray(3 * r0, 3 * (r0 + q)));
        const sumsAt = ptr[3] + 24 * q;
        ex.ln_backward_slices(
          q,
          r0,
          batch,
          size,
          groups,
          run,
          ptr[0],
          ptr[1],
          weight ? 1 : 0,
          ptr[2],
          ptr[3],
          sumsAt,
        );
        scatter(dx, f32(ptr[0], q * n), r0, q, batch, outer, size);
        sums.set(f64(sumsAt, 2 * q), 2 * r0);
      }
      return true;
    },
    layerNormParamGrads(batch, outer, size, groups, run, weights, dw, db, dy, x, stats) {
      if (!isF32(dw, db, dy, x) || 4 * weights > tile) return false;
      const per = slicesPerPass(batch, outer, size, Math.floor(tile / 6));
      if (per === 0) return false;
      const n = batch * size;
      const acc = f64(ptr[3], 2 * weights);
      acc.fill(0);
      for (let r0 = 0; r0 < outer; r0 += per) {
        const q = Math.min(per, outer - r0);
        gather(f32(ptr[0], q * n), x as Float32Array, r0, q, batch, outer, size);
        gather(f32(ptr[1], q * n), dy as Float32Array, r0, q, batch, outer, size);
        f64(ptr[2], 3 * q).set(stats.subarray(3 * r0, 3 * (r0 + q)));
        ex.ln_param_grads_slices(
          q,
          r0,
          batch,
          size,
          groups,
          run,
          weights,
          ptr[1],
          ptr[0],
          ptr[2],
          ptr[3],
        );
      }
      const sumsNow = f64(ptr[3], 2 * weights);
      dw.set(sumsNow.subarray(0, weights));
      db.set(sumsNow.subarray(weights, 2 * weights));
      return true;
    },
  };
}
