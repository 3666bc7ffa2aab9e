// The normalization kernels (layerNormForward, layerNormBackward,
// layerNormParamGrads; declared in src/kernels/schema.ts, the JavaScript
// bodies in src/kernels/js/norm-kernels.ts) over slices gathered into the
// scratch region: `slices` slices of n = batch·size floats one after another,
// slice s being the layout's slice r0 + s. Element e of a slice is element
// j = e mod size of its size-run, and is scaled by weight[k] with
// k = ((r0 + s) mod groups)·(size/run) + ⌊j/run⌋. Statistics and sums are
// float64, as in the JavaScript kernels: the mean, the biased variance by a
// second pass over x − mean, rstd = 1/√(var + eps), each output rounded once.

@inline function elem(p: usize, e: i32): f64 {
  return <f64>load<f32>(p + ((<usize>e) << 2));
}

/** The weight index of slice s's first run. */
@inline function firstWeight(r0: i32, s: i32, groups: i32, size: i32, run: i32): i32 {
  return ((r0 + s) % groups) * (size / run);
}

export function ln_forward_slices(
  slices: i32,
  r0: i32,
  batch: i32,
  size: i32,
  groups: i32,
  run: i32,
  out: usize,
  x: usize,
  hasWeight: i32,
  weight: usize,
  hasBias: i32,
  bias: usize,
  eps: f64,
  stats: usize,
): void {
  const n = batch * size;
  for (let s = 0; s < slices; s++) {
    const xs = x + ((<usize>(s * n)) << 2);
    const os = out + ((<usize>(s * n)) << 2);
    let sum: f64 = 0;
    for (let e = 0; e < n; e++) sum += elem(xs, e);
    const mean = sum / <f64>n;
    let sq: f64 = 0;
    for (let e = 0; e < n; e++) {
      const d = elem(xs, e) - mean;
      sq += d * d;
    }
    const variance = sq / <f64>n;
    const rstd = 1 / Math.sqrt(variance + eps);
    const st = stats + ((<usize>(3 * s)) << 3);
    store<f64>(st, mean);
    store<f64>(st + 8, rstd);
    store<f64>(st + 16, variance);
    const first = firstWeight(r0, s, groups, size, run);
    const perGroup = size / run;
    let e = 0;
    for (let a = 0; a < batch; a++) {
      for (let q = 0; q < perGroup; q++) {
        const w: f64 = hasWeight ? elem(weight, first + q) : 1;
        // Without a bias −0 is added, which keeps an x̂ of −0.
        const b: f64 = hasBias ? elem(bias, first + q) : -0.0;
        for (const end = e + run; e < end; e++) {
          store<f32>(os + ((<usize>e) << 2), <f32>((elem(xs, e) - mean) * rstd * w + b));
        }
      }
    }
  }
}

/** dx overwrites x (each element is read before it is written). */
export function ln_backward_slices(
  slices: i32,
  r0: i32,
  batch: i32,
  size: i32,
  groups: i32,
  run: i32,
  x: usize,
  dy: usize,
  hasWeight: i32,
  weight: usize,
  stats: usize,
  sums: usize,
): void {
  const n = batch * size;
  for (let s = 0; s < slices; s++) {
    const xs = x + ((<usize>(s * n)) << 2);
    const gs = dy + ((<usize>(s * n)) << 2);
    const st = stats + ((<usize>(3 * s)) << 3);
    const mean = load<f64>(st);
    const rstd = load<f64>(st + 8);
    const first = firstWeight(r0, s, groups, size, run);
    let sumDy: f64 = 0,
      sumDyX: f64 = 0,
      sumG: f64 = 0,
      sumGX: f64 = 0;
    const perGroup = size / run;
    let e = 0;
    for (let a = 0; a < batch; a++) {
      for (let q = 0; q < perGroup; q++) {
        const w: f64 = hasWeight ? elem(weight, first + q) : 1;
        for (const end = e + run; e < end; e++) {
          const d = elem(gs, e);
          const xhat = (elem(xs, e) - mean) * rstd;
          sumDy += d;
          sumDyX += d * xhat;
          sumG += d * w;
          sumGX += d * w * xhat;
        }
      }
    }
    const sm = sums + ((<usize>(2 * s)) << 3);
    store<f64>(sm, sumDy);
    store<f64>(sm + 8, sumDyX);
    const meanG = sumG / <f64>n;
    const meanGX = sumGX / <f64>n;
    e = 0;
    for (let a = 0; a < batch; a++) {
      for (let q = 0; q < perGroup; q++) {
        const w: f64 = hasWeight ? elem(weight, first + q) : 1;
        for (const end = e + run; e < end; e++) {
          const xhat = (elem(xs, e) - mean) * rstd;
          store<f32>(
            xs + ((<usize>e) << 2),
            <f32>(rstd * (elem(gs, e) * w - meanG - xhat * meanGX)),
          );
        }
      }
    }
  }
}

/** Adds slices' terms to the float64 sums dw[k] and db[k] (at acc: `weights` of each). */
export function ln_param_grads_slices(
  slices: i32,
  r0: i32,
  batch: i32,
  size: i32,
  groups: i32,
  run: i32,
  weights: i32,
  dy: usize,
  x: usize,
  stats: usize,
  acc: usize,
): void {
  const n = batch * size;
  const db = acc + ((<usize>weights) << 3);
  for (let s = 0; s < slices; s++) {
    const xs = x + ((<usize>(s * n)) << 2);
    const gs = dy + ((<usize>(s * n)) << 2);
    const st = stats + ((<usize>(3 * s)) << 3);
    const mean = load<f64>(st);
    const rstd = load<f64>(st + 8);
    const first = firstWeight(r0, s, groups, size, run);
    const perGroup = size / run;
    let e = 0;
    for (let a = 0; a < batch; a++) {
      for (let q = 0; q < perGroup; q++) {
        const k = (<usize>(first + q)) << 3;
        let sw = load<f64>(acc + k);
        let sb = load<f64>(db + k);
        for (const end = e + run; e < end; e++) {
          const g = elem(gs, e);
          sw += g * ((elem(xs, e) - mean) * rstd);
          sb += g;
        }
        store<f64>(acc + k, sw);
        store<f64>(db + k, sb);
      }
    }
  }
}
