/**
 * Normalization over the slices of a (batch, outer, size) layout, the
 * kernels of F.layerNorm, F.groupNorm and F.batchNorm: slice `r` is the
 * `batch·size` elements `x[(a·outer + r)·size + j]` (a layer norm's row with
 * batch 1, weights per column j; a batch norm's channel, batch the samples
 * and size the positions, weights per slice r). Statistics and sums are float64 and each output is rounded
 * once: the mean, the biased variance by a second pass over `x − mean` (no
 * cancellation), `rstd = 1/√(var + eps)`.
 */
import type { Floats } from './types.js';

export function layerNormForwardJs(
  batch: number,
  outer: number,
  size: number,
  out: Floats,
  x: Floats,
  perSlice: boolean,
  weight: Floats | null,
  bias: Floats | null,
  eps: number,
  stats: Float64Array,
): void {
  const n = batch * size;
  for (let r = 0; r < outer; r++) {
    let sum = 0;
    for (let a = 0; a < batch; a++) {
      const base = (a * outer + r) * size;
      for (let j = 0; j < size; j++) sum += x[base + j];
    }
    const mean = sum / n;
    let sq = 0;
    for (let a = 0; a < batch; a++) {
      const base = (a * outer + r) * size;
      for (let j = 0; j < size; j++) {
        const d = x[base + j] - mean;
        sq += d * d;
      }
    }
    const variance = sq / n;
    const rstd = 1 / Math.sqrt(variance + eps);
    stats[3 * r] = mean;
    stats[3 * r + 1] = rstd;
    stats[3 * r + 2] = variance;
    for (let a = 0; a < batch; a++) {
      const base = (a * outer + r) * size;
      for (let j = 0; j < size; j++) {
        const k = perSlice ? r : j;
        let y = (x[base + j] - mean) * rstd;
        if (weight !== null) y *= weight[k];
        if (bias !== null) y += bias[k];
        out[base + j] = y;
      }
    }
  }
}

export function layerNormBackwardJs(
  batch: number,
  outer: number,
  size: number,
  dx: Floats,
  dy: Floats,
  x: Floats,
  perSlice: boolean,
  weight: Floats | null,
  stats: Float64Array,
  sums: Float64Array,
): void {
  const n = batch * size;
  for (let r = 0; r < outer; r++) {
    const mean = stats[3 * r];
    const rstd = stats[3 * r + 1];
    let sumDy = 0;
    let sumDyX = 0;
    let sumG = 0;
    let sumGX = 0;
    for (let a = 0; a < batch; a++) {
      const base = (a * outer + r) * size;
      for (let j = 0; j < size; j++) {
        const d = dy[base + j];
        const xhat = (x[base + j] - mean) * rstd;
        const g = weight !== null ? d * weight[perSlice ? r : j] : d;
        sumDy += d;
        sumDyX += d * xhat;
        sumG += g;
        sumGX += g * xhat;
      }
    }
    sums[2 * r] = sumDy;
    sums[2 * r + 1] = sumDyX;
    const meanG = sumG / n;
    const meanGX = sumGX / n;
    for (let a = 0; a < batch; a++) {
      const base = (a * outer + r) * size;
      for (let j = 0; j < size; j++) {
        const g = weight !== null ? dy[base + j] * weight[perSlice ? r : j] : dy[base + j];
        const xhat = (x[base + j] - mean) * rstd;
        dx[base + j] = rstd * (g - meanG - xhat * meanGX);
      }
    }
  }
}

export function layerNormParamGradsJs(
  batch: number,
  outer: number,
  size: number,
  dw: Floats,
  db: Floats,
  dy: Floats,
  x: Floats,
  stats: Float64Array,
): void {
  const w = new Float64Array(size);
  const b = new Float64Array(size);
  for (let a = 0; a < batch; a++) {
    for (let r = 0; r < outer; r++) {
      const base = (a * outer + r) * size;
      const mean = stats[3 * r];
      const rstd = stats[3 * r + 1];
      for (let j = 0; j < size; j++) {
        const g = dy[base + j];
        w[j] += g * ((x[base + j] - mean) * rstd);
        b[j] += g;
      }
    }
  }
  dw.set(w);
  db.set(b);
}
