/**
 * The wasm backend's cross-entropy with class-index targets, float32: the
 * loss, the pair (log Σ exp, max) per position and the backward, rounded as
 * PyTorch's log_softmax at each step, with class weights or label smoothing
 * (not both: that and float64 decline and the JS kernels run). Classes along
 * a middle dimension ((N, C, d1, …), inner > 1) are gathered into
 * contiguous rows a block of positions at a time, up to `rowChunk` classes.
 *
 * Rows of at most `rowChunk` columns go through the module a tile of rows at
 * a time: the logits in buffer 0, the losses or dx in buffer 1, the targets
 * and per-row scales in buffer 2, the (log Σ, max) pairs in buffer 3. Longer
 * rows (a 50,000-word vocabulary) are streamed in chunks of `rowChunk`
 * columns: a max pass, a Σ exp pass whose partial sums carry from chunk to
 * chunk (so they add in the order of one pass over the row), for label
 * smoothing a pass summing the log-probabilities, and per chunk the backward.
 * The running sums live in buffer 3's slack (`acc`).
 *
 * Class weights scale a row's loss and gradient by w[t] here in JavaScript,
 * exactly as the JS kernel does (−w[t]·logp[t], and s·w[t] for the
 * gradient). Label smoothing adds (ε/C)·(−Σ_c logp[c]) to (1 − ε)·nll; its
 * gradient is gl = −(ε/C)·s on every class and −(1 − ε)·s more on the target,
 * dx = gl − softmax·Σ gl.
 */
import type { Kernels } from '../signatures.generated.js';
import { smoothedNll } from '../js/loss-kernels.js';
import type { WasmModuleExports } from './exports.generated.js';
import { loadRows, rowBlocks, type RowScratch, storeRows, zeroAcc as zero } from './row-scratch.js';

type CeKernels = Pick<Kernels, 'crossEntropyForward' | 'crossEntropyBackward'>;

export function makeWasmCrossEntropy(ex: WasmModuleExports, sc: RowScratch): CeKernels {
  const { tile, rowChunk, ptr, buf, acc } = sc;
  const half = tile >> 1;
  const targets = new Int32Array(ex.memory.buffer, ptr[2], half);
  const rowScale = new Float32Array(ex.memory.buffer, ptr[2] + half * 4, half);
  const lses = new Float64Array(ex.memory.buffer, ptr[3], half);
  /** Rows per tile: their logits fit buffer 0, their pairs buffer 3 (at most TILE/4 rows). */
  const rowsPerTile = (C: number): number => Math.min(half >> 1, Math.floor(tile / C));
  const zeroAcc = (): void => zero(sc);

  /** Label smoothing's Σ_c logp[c] of a row whose logits stand at `xAt` in the module (one pass). */
  const smoothSum = (n: number, xAt: number, max: number, logSum: number): number => {
    zeroAcc();
    ex.ce_smooth_chunk(n, xAt, max, logSum, acc);
    return ex.ce_smooth_total(acc);
  };
  /** One row longer than a chunk: returns its loss and leaves (log Σ, max) at lses[0..1]. */
  const wideRowForward = (row: Float32Array, t: number, ignored: boolean, eps: number): number => {
    const C = row.length;
    let m = -Infinity;
    for (let c = 0; c < C; c += rowChunk) {
      const n = Math.min(rowChunk, C - c);
      buf[0].set(row.subarray(c, c + n));
      const mc = ex.row_max(n, ptr[0]);
      if (mc > m) m = mc;
    }
    zeroAcc();
    for (let c = 0; c < C; c += rowChunk) {
      const n = Math.min(rowChunk, C - c);
      buf[0].set(row.subarray(c, c + n));
      ex.ce_sum_chunk(n, ptr[0], m, acc);
    }
    // An out-of-range target would read undefined here; the checks reject it first.
    const nll = ex.ce_finish_row(acc, m, ignored ? 0 : row[t], ignored ? 1 : 0, ptr[3]);
    if (ignored || eps === 0) return nll;
    zeroAcc();
    for (let c = 0; c < C; c += rowChunk) {
      const n = Math.min(rowChunk, C - c);
      buf[0].set(row.subarray(c, c + n));
      ex.ce_smooth_chunk(n, ptr[0], m, lses[0], acc);
    }
    return smoothedNll(eps, C, nll, Math.fround(ex.ce_smooth_total(acc)));
  };

  /**
   * The backward of `n` of a row's C logits, standing at `xAt`, into `dxAt`
   * (both in the module), the row's target at column `tcol` of them.
   */
  const rowBackward = (
    n: number,
    C: number,
    dxAt: number,
    xAt: number,
    max: number,
    logSum: number,
    tcol: number,
    ignored: boolean,
    s: number,
    eps: number,
  ): void => {
    if (ignored || eps === 0) {
      ex.ce_backward_chunk(n, dxAt, xAt, max, logSum, s, tcol, ignored ? 1 : 0);
    } else {
      // Σ_c gl[c] = −(1 − ε)·s − C·(ε/C)·s.
      const glTarget = -(1 - eps) * s;
      const gl = -(eps / C) * s;
      ex.ce_backward_smooth_chunk(
        n,
        dxAt,
        xAt,
        max,
        logSum,
        gl,
        glTarget - eps * s,
        tcol,
        glTarget,
      );
    }
  };

  return {
    crossEntropyForward(outer, C, inner, x, target, weight, ignoreIndex, eps, loss, lse) {
      // Nothing to write: no row is walked (no positions may come with 2^40 nominal rows).
      if (outer * inner === 0) return 0;
      if (C < 1 || (inner !== 1 && C > rowChunk)) return false;
      if (weight !== null && (eps !== 0 || !(weight instanceof Float32Array))) return false;
      if (!(x instanceof Float32Array) || !(loss instanceof Float32Array)) return false;
      if (!(target instanceof Int32Array) || (ignoreIndex | 0) !== ignoreIndex) return false;
      const positions = outer * inner;
      let count = 0;
      if (C > rowChunk) {
        for (let r = 0; r < outer; r++) {
          const t = target[r];
          const ignored = t === ignoreIndex;
          if (!ignored) count++;
          loss[r] = wideRowForward(x.subarray(r * C, (r + 1) * C), t, ignored, eps);
          lse.set(lses.subarray(0, 2), 2 * r);
        }
      } else {
        for (const b of rowBlocks(outer, C, inner, rowsPerTile(C))) {
          const { p0, k } = b;
          loadRows(buf[0], x, C, inner, b);
          targets.set(target.subarray(p0, p0 + k));
          count += ex.ce_forward(k, C, ptr[0], ptr[2], ignoreIndex, ptr[1], ptr[3], acc);
          loss.set(buf[1].subarray(0, k), p0);
          lse.set(lses.subarray(0, 2 * k), 2 * p0);
          if (eps === 0) continue;
          for (let j = 0; j < k; j++) {
            if (target[p0 + j] === ignoreIndex) continue;
            const sum = smoothSum(C, ptr[0] + j * C * 4, lses[2 * j + 1], lses[2 * j]);
            loss[p0 + j] = smoothedNll(eps, C, loss[p0 + j], Math.fround(sum));
          }
        }
      }
      if (!weight) return count;
      // −w[t]·logp[t] and Σ w[t] over the positions not ignored, as the JS kernel.
      let total = 0;
      for (let p = 0; p < positions; p++) {
        const t = target[p];
        if (t === ignoreIndex) continue;
        loss[p] = weight[t] * loss[p];
        total += weight[t];
      }
      return total;
    },

    crossEntropyBackward(
      outer,
      C,
      inner,
      x,
      target,
      weight,
      ignoreIndex,
      eps,
      lse,
      grad,
      gs,
      div,
      dx,
    ) {
      if (outer * C * inner === 0) return true;
      if (C < 1 || (inner !== 1 && C > rowChunk)) return false;
      if (weight !== null && (eps !== 0 || !(weight instanceof Float32Array))) return false;
      if (!(x instanceof Float32Array) || !(dx instanceof Float32Array)) return false;
      if (!(target instanceof Int32Array) || (ignoreIndex | 0) !== ignoreIndex) return false;
      /** Position p's upstream gradient over the divisor, times its class weight (0 if ignored). */
      const scale = (p: number): number => {
        const t = target[p];
        if (t === ignoreIndex) return 0;
        const s = grad[p * gs] / div;
        return weight ? s * weight[t] : s;
      };
      if (C > rowChunk) {
        for (let r = 0; r < outer; r++) {
          const t = target[r];
          const s = Math.fround(scale(r));
          for (let c = 0; c < C; c += rowChunk) {
            const n = Math.min(rowChunk, C - c);
            buf[0].set(x.subarray(r * C + c, r * C + c + n));
            const ignored = t === ignoreIndex;
            rowBackward(n, C, ptr[1], ptr[0], lse[2 * r + 1], lse[2 * r], t - c, ignored, s, eps);
            dx.set(buf[1].subarray(0, n), r * C + c);
          }
        }
        return true;
      }
      for (const b of rowBlocks(outer, C, inner, rowsPerTile(C))) {
        const { p0, k } = b;
        loadRows(buf[0], x, C, inner, b);
        if (eps === 0) {
          targets.set(target.subarray(p0, p0 + k));
          lses.set(lse.subarray(2 * p0, 2 * (p0 + k)));
          for (let j = 0; j < k; j++) rowScale[j] = scale(p0 + j);
          ex.ce_backward(k, C, ptr[1], ptr[0], ptr[2], ignoreIndex, ptr[3], ptr[2] + half * 4);
        } else {
          // Row by row, in order: a row's last vector may write into the next row's dx.
          for (let j = 0; j < k; j++) {
            const p = p0 + j;
            const t = target[p];
            const o = j * C * 4;
            const s = Math.fround(scale(p));
            const ignored = t === ignoreIndex;
            rowBackward(
              C,
              C,
              ptr[1] + o,
              ptr[0] + o,
              lse[2 * p + 1],
              lse[2 * p],
              t,
              ignored,
              s,
              eps,
            );
          }
        }
        storeRows(dx, buf[1], C, inner, b);
      }
      return true;
    },
  };
}
