/**
 * Normalization layers' functions: layer, group and batch normalization on
 * one set of fused kernels that normalise the slices of a (batch, outer,
 * size) layout (layerNormForward/Backward/ParamGrads,
 * src/kernels/js/norm-kernels.ts or the backend's): a layer norm's slices
 * are its rows (a weight per column), a group norm's its (sample, group)
 * pairs (a weight per channel: per run of `positions` elements), a batch
 * norm's its channels (a weight each). Eval-mode batch norm is a
 * per-channel scale and shift of tensor ops. Signatures and docs:
 * src/registry/normalization.ts.
 *
 * Numerics: mean and biased variance in float64 (two passes), each output
 * rounded once; PyTorch's CPU kernels keep float32 moments and compute
 * `x·rstd − mean·rstd`, so float32 outputs agree within a few ulps.
 */
import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { allocUninit, allocZeroed } from '../tensor/dtype.js';
import { noGrad } from '../autograd/grad-mode.js';
import { needsGrad } from '../autograd/node.js';
import { recordOp, type NormOp } from '../autograd/derivatives/index.js';
import { dispatch } from '../kernels/backend.js';
import type { Floats } from '../kernels/js/types.js';
import { requireFloating } from '../ops/elementwise/apply.js';
import { fail } from './validate.js';

/** Checks an optional per-feature tensor: floating, the input's dtype, and `shape`. */
function checkAffine(
  fn: string,
  arg: string,
  t: Tensor | null,
  input: Tensor,
  shape: readonly number[],
  what: string,
): void {
  if (t === null) return;
  requireFloating(t, fn, arg);
  if (t.dtype !== input.dtype) {
    fail(fn, `${arg} must have the input's dtype ${input.dtype}, got ${t.dtype}`);
  }
  if (t.ndim !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    fail(
      fn,
      `${arg} of shape ${formatShape(t.shape)} must have shape ${formatShape(shape)} (${what})`,
    );
  }
}

/**
 * Checks a floating `(N, C, …)` input and its per-channel tensors (each
 * optional: one element per channel, the input's dtype); returns C.
 */
function checkChannels(
  fn: string,
  input: Tensor,
  perChannel: Record<string, Tensor | null>,
): number {
  requireFloating(input, fn, 'input');
  if (input.ndim < 2) {
    fail(
      fn,
      `input must have at least 2 dimensions (N, C, …), got shape ${formatShape(input.shape)}`,
    );
  }
  const c = input.shape[1];
  const what = "one per channel, the input's dimension 1";
  for (const [arg, t] of Object.entries(perChannel)) checkAffine(fn, arg, t, input, [c], what);
  return c;
}

/**
 * How normalizeSlices reads its input: slice `r` of `outer` is the
 * `batch·size` elements `x[(a·outer + r)·size + j]`, and its element j
 * takes weight `(r mod groups)·(size/run) + ⌊j/run⌋`.
 */
interface SliceLayout {
  batch: number;
  outer: number;
  size: number;
  groups: number;
  run: number;
}

/**
 * Normalises each slice of `x` read as `layout` on the fused kernels,
 * recorded as one op (`op`, PyTorch's node name): a layer norm's slices are
 * its rows with a weight per column, a batch norm's its channels with a
 * weight each, a group norm's its (sample, group) rows with a weight per
 * channel. Returns the output, in `x`'s shape, and the statistics (mean,
 * rstd, biased variance per slice). `x` must have elements.
 */
function normalizeSlices(
  op: NormOp,
  x: Tensor,
  layout: SliceLayout,
  weight: Tensor | null,
  bias: Tensor | null,
  eps: number,
): { y: Tensor; stats: Float64Array } {
  const { batch, outer, size, groups, run } = layout;
  const xc = x.contiguous();
  const w = weight?.contiguous() ?? null;
  const b = bias?.contiguous() ?? null;
  const weights = (groups * size) / run;
  const out = allocUninit(x.dtype, x.size) as Floats;
  const stats = new Float64Array(3 * outer);
  const data = (t: Tensor | null) => (t?.data as Floats | undefined) ?? null;
  const xd = xc.data as Floats;
  // ATen adds a β of 0 where the bias is missing, so an x̂ of −0 comes out +0, except in a group
  // norm without weight and bias, which returns x·rstd − mean·rstd: −0 stays −0 there.
  const keepsZeroSign = op === 'nativeGroupNorm' && w === null;
  const shift = b !== null || keepsZeroSign ? data(b) : (allocZeroed(x.dtype, weights) as Floats);
  dispatch(
    'layerNormForward',
    batch,
    outer,
    size,
    out,
    xd,
    groups,
    run,
    weights,
    data(w),
    shift,
    eps,
    stats,
  );
  const y = recordOp(new Tensor(out, x.shape), op, [xc, w, b], {
    x: xc,
    weight: w,
    bias: b,
    stats,
    ...layout,
    weights,
    shape: x.shape,
    wants: [needsGrad(xc), needsGrad(w), needsGrad(b)],
  });
  return { y, stats };
}

/** An input without elements, normalised: nothing to compute (its statistics would be NaN). */
function emptyNormalized(x: Tensor): Tensor {
  return x.mul(0);
}

/** `y·weight + bias`, each optional, reshaped to `shape` to broadcast (for empty inputs). */
function affine(
  y: Tensor,
  weight: Tensor | null,
  bias: Tensor | null,
  shape: readonly number[],
): Tensor {
  let out = y;
  if (weight !== null) out = out.mul(weight.reshape(shape));
  if (bias !== null) out = out.add(bias.reshape(shape));
  return out;
}

/** Layer normalization over the last `normalizedShape.length` dimensions. */
export function layerNormImpl(a: {
  input: Tensor;
  /** A number from `nn.LayerNorm(n)`, which takes one for the last dimension. */
  normalizedShape: number | readonly number[];
  weight: Tensor | null;
  bias: Tensor | null;
  eps: number;
}): Tensor {
  const fn = 'layerNorm';
  const { input, weight, bias, eps } = a;
  requireFloating(input, fn, 'input');
  const shape =
    typeof a.normalizedShape === 'number' ? [a.normalizedShape] : [...a.normalizedShape];
  const k = shape.length;
  if (k === 0) {
    fail(fn, 'normalizedShape must have at least one dimension, got []');
  }
  const tail = input.shape.slice(input.ndim - k);
  if (input.ndim < k || tail.some((d, i) => d !== shape[i])) {
    fail(
      fn,
      `normalizedShape ${formatShape(shape)} must match the input's last dimensions: expected an input of shape [*, ${shape.join(', ')}], got ${formatShape(input.shape)}`,
    );
  }
  checkAffine(fn, 'weight', weight, input, shape, 'normalizedShape');
  checkAffine(fn, 'bias', bias, input, shape, 'normalizedShape');
  if (input.size === 0) return affine(emptyNormalized(input), weight, bias, shape);
  const size = shape.reduce((p, d) => p * d, 1);
  const layout = { batch: 1, outer: input.size / size, size, groups: 1, run: 1 };
  return normalizeSlices('nativeLayerNorm', input, layout, weight, bias, eps).y;
}

/** The shape `[1, C, 1, …]` that broadcasts a per-channel vector over an `ndim`-D input. */
function channelShape(ndim: number, c: number): number[] {
  return Array.from({ length: ndim }, (_, i) => (i === 1 ? c : 1));
}

/**
 * `running ← momentum·batch + (1 − momentum)·running` per channel, in
 * float64 and rounded once, as ATen updates its running statistics: with
 * the batch mean and the unbiased variance `Σ(x − mean)² / (n − 1)`, each
 * sum first rounded to the input's dtype as ATen keeps it. With `samples`
 * > 1 the statistics are per (sample, channel) slice, `stats` slice
 * `s·C + c`, as instance norm keeps them: each sample's update is rounded
 * and the channel's running value is their mean (PyTorch updates a copy of
 * the running statistics per sample, then averages the copies).
 */
function updateRunning(
  running: Tensor,
  stats: Float64Array,
  which: 'mean' | 'var',
  momentum: number,
  count: number,
  samples = 1,
): void {
  const r = running.contiguous().data;
  const round = running.dtype === 'float32' ? Math.fround : (v: number) => v;
  const next = allocUninit(running.dtype, r.length);
  for (let c = 0; c < r.length; c++) {
    let sum = 0;
    for (let s = 0; s < samples; s++) {
      const k = s * r.length + c;
      const batch =
        which === 'mean' ? round(stats[3 * k]) : round(stats[3 * k + 2] * count) / (count - 1);
      sum += round(momentum * batch + (1 - momentum) * r[c]);
    }
    next[c] = sum / samples;
  }
  noGrad(() => running.copy_(new Tensor(next, running.shape)));
}

/** Batch normalization over every dimension but the channels (dimension 1). */
export function batchNormImpl(a: {
  input: Tensor;
  runningMean: Tensor | null;
  runningVar: Tensor | null;
  weight: Tensor | null;
  bias: Tensor | null;
  training: boolean;
  momentum: number;
  eps: number;
}): Tensor {
  const fn = 'batchNorm';
  const { input, runningMean, runningVar, weight, bias, training, momentum, eps } = a;
  const c = checkChannels(fn, input, { runningMean, runningVar, weight, bias });
  const shape = channelShape(input.ndim, c);
  if (!training) {
    if (runningMean === null || runningVar === null) {
      fail(fn, 'runningMean and runningVar must be given when training is false');
    }
    // y = x·scale + shift per channel, scale = weight/√(var + eps), shift = bias − mean·scale,
    // as ATen's evaluation kernel computes it.
    let scale = runningVar.add(eps).sqrt().reciprocal();
    if (weight !== null) scale = weight.mul(scale);
    // bias − mean·scale, with 0 for a missing bias as ATen's β: a mean of 0 gives +0, not −0.
    const minusMean = runningMean.mul(scale).neg();
    const shift = bias !== null ? bias.add(minusMean) : minusMean.add(0);
    return input.mul(scale.reshape(shape)).add(shift.reshape(shape));
  }
  const count = c === 0 ? 0 : input.size / c;
  if (count === 1) {
    fail(
      fn,
      `expected more than 1 value per channel when training, got input of shape ${formatShape(input.shape)}`,
    );
  }
  if (input.size === 0) return affine(emptyNormalized(input), weight, bias, shape);
  // Each channel is a slice of the (N, C, positions) layout, with its weight and bias.
  const positions = count / input.shape[0];
  const layout = { batch: input.shape[0], outer: c, size: positions, groups: c, run: positions };
  const { y, stats } = normalizeSlices('nativeBatchNorm', input, layout, weight, bias, eps);
  if (runningMean !== null) updateRunning(runningMean, stats, 'mean', momentum, count);
  if (runningVar !== null) updateRunning(runningVar, stats, 'var', momentum, count);
  return y;
}

/** Group normalization: channels in `numGroups` groups, each normalised over its channels and positions. */
export function groupNormImpl(a: {
  input: Tensor;
  numGroups: number;
  weight: Tensor | null;
  bias: Tensor | null;
  eps: number;
}): Tensor {
  const fn = 'groupNorm';
  const { input, numGroups, weight, bias, eps } = a;
  checkChannels(fn, input, {});
  const [n, c] = input.shape;
  if (c % numGroups !== 0) {
    fail(
      fn,
      `the number of channels must be divisible by numGroups, got input of shape ${formatShape(input.shape)} and numGroups = ${numGroups}`,
    );
  }
  checkChannels(fn, input, { weight, bias });
  const shape = channelShape(input.ndim, c);
  if (input.size === 0) return affine(emptyNormalized(input), weight, bias, shape);
  // Each (sample, group) is one slice, a row of the input read as [N·G, C/G·positions], and
  // each run of `positions` elements in it one channel, with its weight and bias.
  const rows = n * numGroups;
  const size = input.size / rows;
  const layout = { batch: 1, outer: rows, size, groups: numGroups, run: size / (c / numGroups) };
  return normalizeSlices('nativeGroupNorm', input, layout, weight, bias, eps).y;
}

/**
 * Instance normalization: each channel of each sample normalised over its
 * positions, as `torch.nn.functional.instance_norm`.
 */
export function instanceNormImpl(a: {
  input: Tensor;
  runningMean: Tensor | null;
  runningVar: Tensor | null;
  weight: Tensor | null;
  bias: Tensor | null;
  useInputStats: boolean;
  momentum: number;
  eps: number;
}): Tensor {
  const fn = 'instanceNorm';
  const { input, runningMean, runningVar, weight, bias, useInputStats, momentum, eps } = a;
  const c = checkChannels(fn, input, { runningMean, runningVar, weight, bias });
  const n = input.shape[0];
  if (!useInputStats) {
    if (runningMean === null || runningVar === null) {
      fail(fn, 'runningMean and runningVar must be given when useInputStats is false');
    }
    // The running statistics normalise every sample alike: batch norm's evaluation.
    return batchNormImpl({ ...a, training: false });
  }
  const positions = input.shape.slice(2).reduce((p, d) => p * d, 1);
  if (positions === 1) {
    fail(
      fn,
      `expected more than 1 spatial element when using the input's statistics, got input of shape ${formatShape(input.shape)}`,
    );
  }
  const shape = channelShape(input.ndim, c);
  if (input.size === 0) return affine(emptyNormalized(input), weight, bias, shape);
  // Each (sample, channel) is a slice of `positions` elements, with its channel's weight.
  const layout = { batch: 1, outer: n * c, size: positions, groups: c, run: positions };
  const { y, stats } = normalizeSlices('nativeBatchNorm', input, layout, weight, bias, eps);
  if (runningMean !== null) updateRunning(runningMean, stats, 'mean', momentum, positions, n);
  if (runningVar !== null) updateRunning(runningVar, stats, 'var', momentum, positions, n);
  return y;
}
