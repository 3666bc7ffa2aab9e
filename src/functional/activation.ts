/**
 * The activations that are more than one elementwise-table kernel: RReLU's
 * random slopes, PReLU's learnable weight and GLU's halving. Their public
 * signatures, docs and modules are registry entries (src/registry/activations.ts);
 * these are the computations on validated arguments.
 */
import { Tensor } from '../tensor/tensor.js';
import { unaryOp, requireFloating } from '../ops/elementwise/apply.js';
import { allocUninit } from '../tensor/dtype.js';
import { defaultGenerator } from '../tensor/random.js';
import { normalizeDim } from '../tensor/shape.js';
import { where } from '../ops/index-ops.js';
import { fail } from './validate.js';
import { checkInplace, needsGrad } from '../autograd/node.js';
import { commitInplaceOp } from '../autograd/derivatives/index.js';

/** SELU's constants, as in PyTorch (Klambauer et al., 2017). */
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;

/** RReLU: leaky ReLU with the mean slope in eval, a random slope per negative element in training. */
export function rreluImpl(a: {
  input: Tensor;
  lower: number;
  upper: number;
  training: boolean;
  inplace: boolean;
}): Tensor {
  const fn = 'rrelu';
  const { input, lower, upper } = a;
  requireFloating(input, fn);
  if (!a.training) {
    return unaryOp('leakyRelu', input, [(lower + upper) / 2], { fn, inplace: a.inplace });
  }
  // Training: PyTorch draws a slope for every x ≤ 0 (NaN draws none) and keeps it as the
  // "noise" for backward: a double uniform on [lower, upper) with the bounds first rounded
  // to the dtype, `u·(upper − lower) + lower` in double (not fused: float64 tells), then
  // rounded to the dtype (ATen's `_rrelu_with_noise_train`, draw for draw).
  const x = input.data;
  const noise = allocUninit(input.dtype, input.size);
  const round = input.dtype === 'float32' ? Math.fround : (v: number) => v;
  const lo = round(lower);
  const span = round(upper) - lo;
  for (let i = 0; i < x.length; i++) {
    noise[i] = x[i] <= 0 ? defaultGenerator.uniform() * span + lo : 1;
  }
  const noiseT = new Tensor(noise, input.shape);
  if (a.inplace) {
    // As PyTorch's rrelu_: x·noise written into x; the gradient is g·noise.
    input._checkWritable(fn);
    const grad = needsGrad(input);
    checkInplace(input, fn);
    const x = input.data;
    for (let i = 0; i < x.length; i++) x[i] *= noise[i];
    // A non-contiguous view's `data` is a copy: scatter the result into the storage.
    if (!input.isContiguous()) input._writeStrided(x);
    commitInplaceOp(input, fn, grad ? { noise: noiseT } : null);
    return input;
  }
  return input.mul(noiseT);
}

/** PReLU: `x` where positive, `w·x` elsewhere, the slope broadcast along dimension 1. */
export function preluImpl(a: { input: Tensor; weight: Tensor }): Tensor {
  const fn = 'prelu';
  const { input, weight } = a;
  requireFloating(input, fn);
  requireFloating(weight, fn, 'weight');
  if (weight.ndim > 1)
    fail(fn, `weight must be a scalar or 1-D tensor, got ${weight.ndim} dimensions`);
  const channels = input.ndim >= 2 ? input.shape[1] : 1;
  if (weight.size !== 1 && weight.size !== channels) {
    fail(
      fn,
      `weight has ${weight.size} elements, but the input has ${channels} channel${channels === 1 ? '' : 's'} (expected 1 or ${channels})`,
    );
  }
  // Broadcast the slope along the channel dimension: shape [C, 1, ..., 1].
  const w =
    weight.size === 1 || input.ndim < 2
      ? weight.reshape([])
      : weight.reshape([channels, ...new Array<number>(input.ndim - 2).fill(1)]);
  return where(input.gt(0), input, w.mul(input));
}

/** GLU: the first half along `dim` times the sigmoid of the second. */
export function gluImpl(a: { input: Tensor; dim: number }): Tensor {
  const fn = 'glu';
  const { input, dim } = a;
  requireFloating(input, fn);
  if (input.ndim === 0) fail(fn, 'input must have at least 1 dimension, got a scalar');
  const d = normalizeDim(dim, input.ndim, fn);
  const size = input.shape[d];
  if (size % 2 !== 0) fail(fn, `dimension ${dim} must have an even size to be halved, got ${size}`);
  const first = input.narrow(d, 0, size / 2);
  const second = input.narrow(d, size / 2, size / 2);
  return first.mul(unaryOp('sigmoid', second));
}
