/**
 * Dropout and its variants, after ATen's `_dropout_impl` (Dropout.cpp): a
 * noise tensor drawn from a Bernoulli distribution, scaled, multiplied into
 * the input. The arithmetic is ATen's, operation by operation and in the
 * input's dtype, so that a kept element is `x · fl(1 / fl(1 − p))` (not
 * `x / (1 − p)`, which rounds differently), and a dropped element is
 * `x · 0`: NaN and ±Infinity stay NaN, a negative x gives −0. The gradient
 * is the upstream gradient times the same noise, through `mul`.
 *
 * The noise is `bernoulli_(1 − p)` drawn as PyTorch's CPU generator draws it
 * (one double uniform per element), so the same seed drops the same
 * elements as PyTorch.
 */
import { Tensor } from '../tensor/tensor.js';
import { requireFloating } from '../ops/elementwise/apply.js';
import { allocUninit } from '../tensor/dtype.js';
import { defaultGenerator } from '../tensor/random.js';
import { fillBernoulli } from '../ops/random-methods.js';
import { fail } from './validate.js';

/** The bound arguments every dropout function takes, in PyTorch's order. */
export interface DropoutArgs {
  input: Tensor;
  p: number;
  training: boolean;
  inplace: boolean;
}

/**
 * SELU's negative saturation value −λα, negated: α' = λα, ATen's `alpha` in
 * alpha dropout (1.0507009873554804934 · 1.6732632423543772848).
 */
const ALPHA_DROPOUT_ALPHA = 1.7580993408473766;

/** ATen's `make_feature_noise`: one draw per (sample, channel), broadcast over the rest. */
function featureNoiseShape(fn: string, input: Tensor): number[] {
  if (input.ndim < 2) fail(fn, 'Feature dropout requires at least 2 dimensions in the input');
  return [input.shape[0], input.shape[1], ...new Array<number>(input.ndim - 2).fill(1)];
}

/** A mask of `shape`: `value` with probability `keep` (else 0), as `bernoulli_(keep)` scaled. */
function bernoulli(
  shape: readonly number[],
  keep: number,
  value: number,
  dtype: Tensor['dtype'],
): Tensor {
  let n = 1;
  for (const s of shape) n *= s;
  const mask = allocUninit(dtype, n) as Float32Array | Float64Array;
  fillBernoulli(mask, keep, value, defaultGenerator);
  return new Tensor(mask, shape);
}

/** Rounds `v` to the dtype's precision, as ATen casts a double scalar for a float32 kernel. */
function toDtype(v: number, dtype: Tensor['dtype']): number {
  return dtype === 'float32' ? Math.fround(v) : v;
}

/**
 * ATen's `_dropout_impl<feature_dropout, alpha_dropout, inplace>`. The input
 * itself comes back unchanged when nothing is dropped (p = 0, evaluation, no
 * elements), as in PyTorch; `p = 1` multiplies by zero.
 */
function dropoutCore(fn: string, a: DropoutArgs, feature: boolean, alpha: boolean): Tensor {
  const { input, p, training, inplace } = a;
  if (p === 0 || !training || input.size === 0) return input;
  requireFloating(input, fn);
  if (p === 1) return inplace ? input.mul_(0) : input.mul(0);
  const dtype = input.dtype;
  const keep = 1 - p;
  const shape = feature ? featureNoiseShape(fn, input) : input.shape;
  if (!alpha) {
    // noise.div_(1 − p): the scalar is rounded to the dtype, then divided into 1.
    const noise = bernoulli(shape, keep, toDtype(1 / toDtype(keep, dtype), dtype), dtype);
    return inplace ? input.mul_(noise) : input.mul(noise);
  }
  const noise = bernoulli(shape, keep, 1, dtype);
  const v = noise.data;
  // Alpha dropout keeps the mean and variance of SELU activations: kept elements become
  // a·x + α'ap, dropped ones the saturation value mapped the same way, α'a(p − 1).
  const scale = 1 / Math.sqrt((ALPHA_DROPOUT_ALPHA * ALPHA_DROPOUT_ALPHA * p + 1) * keep);
  const alphaA = toDtype(ALPHA_DROPOUT_ALPHA * scale, dtype);
  const alphaAP = toDtype(ALPHA_DROPOUT_ALPHA * scale * p, dtype);
  const a32 = toDtype(scale, dtype);
  // b = noise.add(−1).mul_(α'a).add_(α'ap), then noise.mul_(a): each step rounded.
  const b = allocUninit(dtype, v.length);
  for (let i = 0; i < v.length; i++) {
    b[i] = toDtype(toDtype((v[i] - 1) * alphaA, dtype) + alphaAP, dtype);
    v[i] = toDtype(v[i] * a32, dtype);
  }
  const shift = new Tensor(b, noise.shape);
  return inplace ? input.mul_(noise).add_(shift) : input.mul(noise).add(shift);
}

/** `F.dropout`: each element zeroed with probability p, the rest scaled by 1/(1 − p). */
export function dropoutImpl(a: DropoutArgs): Tensor {
  return dropoutCore('dropout', a, false, false);
}

/** `F.alphaDropout`: dropout that keeps SELU's self-normalizing mean and variance. */
export function alphaDropoutImpl(a: DropoutArgs): Tensor {
  return dropoutCore('alphaDropout', a, false, true);
}

/** `F.featureAlphaDropout`: alpha dropout of whole channels. */
export function featureAlphaDropoutImpl(a: DropoutArgs): Tensor {
  return dropoutCore('featureAlphaDropout', a, true, true);
}

/**
 * Channel dropout with `spatial` dimensions after the channel one: `dropout1d`
 * (1), `dropout2d` (2), `dropout3d` (3). An unbatched input (one dimension
 * fewer) gets a batch of one for the draw, as PyTorch's `unsqueeze(0)`.
 *
 * PyTorch 1.13 accepts other ranks for `dropout2d`/`dropout3d` with a
 * deprecation warning, and reads a 3-D input to `dropout2d` as (N, C, L),
 * not as an unbatched (C, H, W) image; nnkit throws in those cases, since
 * PyTorch says the meaning will change and a silent guess drops the wrong
 * channels. So `dropout2d` takes 4-D inputs only.
 */
export function channelDropout(spatial: 1 | 2 | 3) {
  const fn = `dropout${spatial}d`;
  const batched = spatial + 2;
  const unbatched = spatial === 2 ? null : batched - 1;
  const names = ['L', 'H, W', 'D, H, W'][spatial - 1];
  return (a: DropoutArgs): Tensor => {
    const { input } = a;
    const d = input.ndim;
    if (d !== batched && d !== unbatched) {
      const expected =
        unbatched === null
          ? `a ${batched}-D (N, C, ${names}) input`
          : `a ${unbatched}-D (C, ${names}) or ${batched}-D (N, C, ${names}) input`;
      const hint =
        spatial === 1
          ? ''
          : d === 3 && spatial === 2
            ? '; PyTorch 1.13 reads a 3-D input as (N, C, L) with a deprecation warning: use dropout1d for that, or unsqueeze(0) for one (C, H, W) image'
            : '; PyTorch 1.13 accepts it with a deprecation warning: use dropout for element-wise dropout';
      fail(fn, `expected ${expected}, got a ${d}-D input${hint}`);
    }
    if (d === batched) return dropoutCore(fn, a, true, false);
    // Unbatched: one draw per channel of a batch of one; the result keeps the input's shape.
    const y = dropoutCore(fn, { ...a, input: input.unsqueeze(0) }, true, false);
    return a.inplace ? input : y.squeeze(0);
  };
}
