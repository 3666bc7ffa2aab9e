/**
 * Normalization layers' functions: layer, batch and group normalization,
 * composed of differentiable tensor ops (mean, biased variance, affine), so
 * their gradients are autograd's. Signatures and docs:
 * src/registry/normalization.ts.
 *
 * Numerics: the variance is `Tensor.var`'s (accumulated in float64, rounded
 * once) and the output `(x − mean) / sqrt(var + eps)`; PyTorch's fused CPU
 * kernels compute `x·rstd − mean·rstd` with float32 moments, so float32
 * outputs agree within a few ulps, inside nnkit's tolerance.
 */
import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { allocUninit } from '../tensor/dtype.js';
import { noGrad } from '../autograd/grad-mode.js';
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

/** `(x − mean) / sqrt(var + eps)` over `dims`, the biased variance, both kept for broadcasting. */
function standardize(x: Tensor, dims: readonly number[], eps: number): Tensor {
  // No elements: nothing to normalise, and the statistics of empty groups ([2^26, 0] over its
  // last dimension) would be 2^26 NaNs.
  if (x.size === 0) return x.mul(0);
  const mean = x.mean(dims, true);
  const variance = x.var(dims, { correction: 0, keepdim: true });
  return x.sub(mean).div(variance.add(eps).sqrt());
}

/** `y·weight + bias`, each optional, reshaped to `shape` to broadcast. */
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
  const dims = shape.map((_, i) => input.ndim - k + i);
  return affine(standardize(input, dims, eps), weight, bias, shape);
}

/** The shape `[1, C, 1, …]` that broadcasts a per-channel vector over an `ndim`-D input. */
function channelShape(ndim: number, c: number): number[] {
  return Array.from({ length: ndim }, (_, i) => (i === 1 ? c : 1));
}

/**
 * `running ← momentum·batch + (1 − momentum)·running`, in float64 and
 * rounded once per element, as ATen updates its running statistics.
 */
function updateRunning(running: Tensor, batch: Tensor, momentum: number, scale = 1): void {
  const r = running.contiguous().data;
  const b = batch.data;
  const next = allocUninit(running.dtype, r.length);
  for (let i = 0; i < r.length; i++) next[i] = momentum * (b[i] * scale) + (1 - momentum) * r[i];
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
  requireFloating(input, fn, 'input');
  if (input.ndim < 2) {
    fail(
      fn,
      `input must have at least 2 dimensions (N, C, …), got shape ${formatShape(input.shape)}`,
    );
  }
  const c = input.shape[1];
  const vec = [c];
  const what = "one per channel, the input's dimension 1";
  checkAffine(fn, 'runningMean', runningMean, input, vec, what);
  checkAffine(fn, 'runningVar', runningVar, input, vec, what);
  checkAffine(fn, 'weight', weight, input, vec, what);
  checkAffine(fn, 'bias', bias, input, vec, what);
  const shape = channelShape(input.ndim, c);
  if (!training) {
    if (runningMean === null || runningVar === null) {
      fail(fn, 'runningMean and runningVar must be given when training is false');
    }
    const y = input.sub(runningMean.reshape(shape)).div(runningVar.reshape(shape).add(eps).sqrt());
    return affine(y, weight, bias, shape);
  }
  const count = c === 0 ? 0 : input.size / c;
  if (count === 1) {
    fail(
      fn,
      `expected more than 1 value per channel when training, got input of shape ${formatShape(input.shape)}`,
    );
  }
  const dims = shape.map((_, i) => i).filter((i) => i !== 1);
  const mean = input.mean(dims, true);
  const variance = input.var(dims, { correction: 0, keepdim: true });
  if (count > 0) {
    // The running variance is the unbiased one, N / (N − 1) times the batch's.
    if (runningMean !== null) updateRunning(runningMean, mean.detach(), momentum);
    if (runningVar !== null)
      updateRunning(runningVar, variance.detach(), momentum, count / (count - 1));
  }
  const y = input.sub(mean).div(variance.add(eps).sqrt());
  return affine(y, weight, bias, shape);
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
  requireFloating(input, fn, 'input');
  if (input.ndim < 2) {
    fail(
      fn,
      `input must have at least 2 dimensions (N, C, …), got shape ${formatShape(input.shape)}`,
    );
  }
  const [n, c] = input.shape;
  if (c % numGroups !== 0) {
    fail(
      fn,
      `the number of channels must be divisible by numGroups, got input of shape ${formatShape(input.shape)} and numGroups = ${numGroups}`,
    );
  }
  const what = "one per channel, the input's dimension 1";
  checkAffine(fn, 'weight', weight, input, [c], what);
  checkAffine(fn, 'bias', bias, input, [c], what);
  const grouped = input.reshape([
    n,
    numGroups,
    input.size === 0 ? 0 : input.size / (n * numGroups),
  ]);
  const y = standardize(grouped, [2], eps).reshape(input.shape);
  return affine(y, weight, bias, channelShape(input.ndim, c));
}
