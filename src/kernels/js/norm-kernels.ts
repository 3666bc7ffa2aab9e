/**
 * Normalization over the slices of a (batch, outer, size) layout, the
 * kernels of F.layerNorm, F.groupNorm and F.batchNorm: slice `r` is the
 * `batch·size` elements `x[(a·outer + r)·size + j]`, and element j of slice
 * r is scaled by `weight[k]` and shifted by `bias[k]` with
 * `k = (r mod groups)·(size/run) + ⌊j/run⌋`: a layer norm's rows take a
 * weight per column (groups 1, run 1), a batch norm's channels one per
 * slice (groups C, run size), a group norm's (sample, group) rows one per
 * channel (groups G, run the positions). Statistics and sums are float64
 * and each output is rounded once: the mean, the biased variance by a
 * second pass over `x − mean` (no cancellation), `rstd = 1/√(var + eps)`.
 */
import type { Floats } from './types.js';

export function layerNormForwardJs(
  batch: number,
  outer: number,
  size: number,
  out: Floats,
  x: Floats,
  groups: number,
  run: number,
  _weights: number,
  weight: Floats | null,
  bias: Floats | null,
  eps: number,
  stats: Float64Array,
): void {
  const n = batch * size;
  if (n === 0) {
    // Empty slices (perhaps 2^40 nominal ones): mean, variance and rstd are 0/0 = NaN, as
    // the sums below give, and there is nothing to normalize, so no slice is walked.
    stats.fill(NaN, 0, 3 * outer);
    return;
  }
  // (Columns walk the rows: with no slices, 2^40 nominal rows of nothing would hang it.)
  if (size === 1 && batch > 1 && outer > 0) {
    columnsForward(batch, outer, out, x, groups, weight, bias, eps, stats);
    return;
  }
  const perGroup = size / run;
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
    const first = (r % groups) * perGroup;
    for (let a = 0; a < batch; a++) {
      const base = (a * outer + r) * size;
      // Each run of `run` elements shares weight and bias k.
      for (let q = 0, j = 0; q < perGroup; q++) {
        const w = weight !== null ? weight[first + q] : 1;
        // Without a bias −0 is added, which keeps an x̂ of −0 (x + −0 is x for every x).
        const b = bias !== null ? bias[first + q] : -0;
        for (const end = j + run; j < end; j++) out[base + j] = (x[base + j] - mean) * rstd * w + b;
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
  groups: number,
  run: number,
  _weights: number,
  weight: Floats | null,
  stats: Float64Array,
  sums: Float64Array,
): void {
  const n = batch * size;
  if (n === 0) {
    // Empty slices: their sums are 0 and there is no gradient to write.
    sums.fill(0, 0, 2 * outer);
    return;
  }
  if (size === 1 && batch > 1 && outer > 0) {
    columnsBackward(batch, outer, dx, dy, x, groups, weight, stats, sums);
    return;
  }
  const perGroup = size / run;
  for (let r = 0; r < outer; r++) {
    const mean = stats[3 * r];
    const rstd = stats[3 * r + 1];
    const first = (r % groups) * perGroup;
    let sumDy = 0;
    let sumDyX = 0;
    let sumG = 0;
    let sumGX = 0;
    for (let a = 0; a < batch; a++) {
      const base = (a * outer + r) * size;
      for (let q = 0, j = 0; q < perGroup; q++) {
        const w = weight !== null ? weight[first + q] : 1;
        for (const end = j + run; j < end; j++) {
          const d = dy[base + j];
          const xhat = (x[base + j] - mean) * rstd;
          sumDy += d;
          sumDyX += d * xhat;
          sumG += d * w;
          sumGX += d * w * xhat;
        }
      }
    }
    sums[2 * r] = sumDy;
    sums[2 * r + 1] = sumDyX;
    const meanG = sumG / n;
    const meanGX = sumGX / n;
    for (let a = 0; a < batch; a++) {
      const base = (a * outer + r) * size;
      for (let q = 0, j = 0; q < perGroup; q++) {
        const w = weight !== null ? weight[first + q] : 1;
        for (const end = j + run; j < end; j++) {
          const xhat = (x[base + j] - mean) * rstd;
          dx[base + j] = rstd * (dy[base + j] * w - meanG - xhat * meanGX);
        }
      }
    }
  }
}

export function layerNormParamGradsJs(
  batch: number,
  outer: number,
  size: number,
  groups: number,
  run: number,
  weights: number,
  dw: Floats,
  db: Floats,
  dy: Floats,
  x: Floats,
  stats: Float64Array,
): void {
  if (batch * outer * size === 0) {
    // No elements: both gradients are 0, and no (nominal) slice is walked.
    dw.fill(0, 0, weights);
    db.fill(0, 0, weights);
    return;
  }
  const w = new Float64Array(weights);
  const b = new Float64Array(weights);
  const perGroup = size / run;
  for (let a = 0; a < batch; a++) {
    for (let r = 0; r < outer; r++) {
      const base = (a * outer + r) * size;
      const mean = stats[3 * r];
      const rstd = stats[3 * r + 1];
      const first = (r % groups) * perGroup;
      for (let q = 0, j = 0; q < perGroup; q++) {
        const k = first + q;
        for (const end = j + run; j < end; j++) {
          const g = dy[base + j];
          w[k] += g * ((x[base + j] - mean) * rstd);
          b[k] += g;
        }
      }
    }
  }
  dw.set(w);
  db.set(b);
}

/**
 * layerNormForwardJs for size 1 (a batch norm of (N, C)): the slices are the
 * columns of a (batch, outer) matrix, so each pass walks its rows in order and
 * keeps a running sum per column; every column's sums add the same elements in
 * the same order (a = 0, 1, …) as the slice-by-slice loop, so the results are
 * bit for bit its. Walking one column at a time read one float per row.
 */
function columnsForward(
  batch: number,
  outer: number,
  out: Floats,
  x: Floats,
  groups: number,
  weight: Floats | null,
  bias: Floats | null,
  eps: number,
  stats: Float64Array,
): void {
  const mean = new Float64Array(outer);
  const sq = new Float64Array(outer);
  for (let a = 0; a < batch; a++) {
    const row = a * outer;
    for (let r = 0; r < outer; r++) mean[r] += x[row + r];
  }
  for (let r = 0; r < outer; r++) mean[r] /= batch;
  for (let a = 0; a < batch; a++) {
    const row = a * outer;
    for (let r = 0; r < outer; r++) {
      const d = x[row + r] - mean[r];
      sq[r] += d * d;
    }
  }
  const scale = new Float64Array(outer);
  const wt = new Float64Array(outer);
  // Without a bias −0 is added, which keeps an x̂ of −0.
  const shift = new Float64Array(outer).fill(-0);
  for (let r = 0; r < outer; r++) {
    const variance = sq[r] / batch;
    const rstd = 1 / Math.sqrt(variance + eps);
    stats[3 * r] = mean[r];
    stats[3 * r + 1] = rstd;
    stats[3 * r + 2] = variance;
    scale[r] = rstd;
    wt[r] = weight !== null ? weight[r % groups] : 1;
    if (bias !== null) shift[r] = bias[r % groups];
  }
  for (let a = 0; a < batch; a++) {
    const row = a * outer;
    for (let r = 0; r < outer; r++) {
      out[row + r] = (x[row + r] - mean[r]) * scale[r] * wt[r] + shift[r];
    }
  }
}

/** layerNormBackwardJs for size 1, column by column as columnsForward (the same sums, in order). */
function columnsBackward(
  batch: number,
  outer: number,
  dx: Floats,
  dy: Floats,
  x: Floats,
  groups: number,
  weight: Floats | null,
  stats: Float64Array,
  sums: Float64Array,
): void {
  const sumDy = new Float64Array(outer);
  const sumDyX = new Float64Array(outer);
  const sumG = new Float64Array(outer);
  const sumGX = new Float64Array(outer);
  const w = new Float64Array(outer);
  const mean = new Float64Array(outer);
  const rstd = new Float64Array(outer);
  for (let r = 0; r < outer; r++) {
    w[r] = weight !== null ? weight[r % groups] : 1;
    mean[r] = stats[3 * r];
    rstd[r] = stats[3 * r + 1];
  }
  for (let a = 0; a < batch; a++) {
    const row = a * outer;
    for (let r = 0; r < outer; r++) {
      const d = dy[row + r];
      const xhat = (x[row + r] - mean[r]) * rstd[r];
      sumDy[r] += d;
      sumDyX[r] += d * xhat;
      sumG[r] += d * w[r];
      sumGX[r] += d * w[r] * xhat;
    }
  }
  for (let r = 0; r < outer; r++) {
    sums[2 * r] = sumDy[r];
    sums[2 * r + 1] = sumDyX[r];
    sumG[r] /= batch;
    sumGX[r] /= batch;
  }
  for (let a = 0; a < batch; a++) {
    const row = a * outer;
    for (let r = 0; r < outer; r++) {
      const xhat = (x[row + r] - mean[r]) * rstd[r];
      dx[row + r] = rstd[r] * (dy[row + r] * w[r] - sumG[r] - xhat * sumGX[r]);
    }
  }
}
