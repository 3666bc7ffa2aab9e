/**
 * The softmax family along any dimension, with nnkit's `temperature` option:
 * the input is divided by `temperature` (the lecture's β = 1/temperature).
 * Forward and backward are fused kernels (src/kernels/js/softmax-kernels.ts,
 * or the active backend's). Signatures and docs: src/registry/softmax.ts.
 */
import { Tensor } from '../tensor/tensor.js';
import { allocUninit, allocZeroed } from '../tensor/dtype.js';
import { defaultGenerator } from '../tensor/random.js';
import { fillExponential } from '../ops/sampling.js';
import { normalizeDim, splitAtDim } from '../tensor/shape.js';
import { recordOp, type SoftmaxName } from '../autograd/derivatives/index.js';
import { dispatch } from '../kernels/backend.js';
import type { Floats } from '../kernels/js/types.js';
import { requireFloating } from '../ops/elementwise/apply.js';
import { fail } from './validate.js';

/** The bound arguments of softmax, logSoftmax and softmin. */
export interface SoftmaxArgs {
  input: Tensor;
  dim: number;
  dtype: 'float32' | 'float64' | null;
  temperature: number;
}

/**
 * The softmax family along `dim` on the fused kernels: `log` selects
 * logSoftmax, `sign` −1 gives softmin. The input is scaled by sign/temperature.
 */
export function softmaxFamily(fn: SoftmaxName, log: boolean, sign: 1 | -1, a: SoftmaxArgs): Tensor {
  const x = a.dtype ? a.input.to(a.dtype) : a.input;
  requireFloating(x, fn);
  const d = normalizeDim(a.dim, x.ndim, fn);
  const { outer, size, inner } = splitAtDim(x.shape, d);
  const scale = sign / a.temperature;
  const out = allocUninit(x.dtype, x.size) as Floats;
  const xd = x.data as Floats;
  // An empty x (however large its other dims) has no row to normalise.
  const empty = x.size === 0;
  if (!empty) dispatch('softmaxForward', log, outer, size, inner, out, xd, scale);
  const result = new Tensor(out, x.shape);
  return recordOp(result, fn, [x], {
    y: result,
    out,
    shape: x.shape,
    log,
    outer,
    size,
    inner,
    scale,
  });
}

/** Softmax2d: softmax over the channels of `(C, H, W)` or `(N, C, H, W)`. */
export function softmax2dImpl(a: { input: Tensor }): Tensor {
  const { input } = a;
  if (input.ndim !== 3 && input.ndim !== 4) {
    fail('Softmax2d', `input must be (C, H, W) or (N, C, H, W), got ${input.ndim} dimensions`);
  }
  return softmaxFamily('Softmax2d', false, 1, { input, dim: -3, dtype: null, temperature: 1 });
}

/**
 * Gumbel(0, 1) noise of `like`'s shape and dtype, as PyTorch's
 * `gumbel_softmax` makes it: `−log(e)` with `e` from `exponential_()`
 * (`−log(1 − u)` of a double uniform, rounded to the dtype), so the same
 * seed gives PyTorch's noise (float32's log may differ by an ulp).
 */
export function gumbelNoise(like: Tensor): Tensor {
  const g = allocUninit(like.dtype, like.size) as Float32Array | Float64Array;
  fillExponential(g, 1, defaultGenerator);
  for (let i = 0; i < g.length; i++) g[i] = -Math.log(g[i]);
  return new Tensor(g, like.shape);
}

/**
 * Gumbel-softmax with given noise (the tests pass PyTorch's): `y = softmax((logits + g)/τ)`;
 * with `hard`, the one-hot of argmax y in the forward pass and y's gradient (straight-through).
 */
export function gumbelSoftmaxWithNoise(
  logits: Tensor,
  gumbels: Tensor,
  tau: number,
  hard: boolean,
  dim: number,
): Tensor {
  const fn = 'gumbelSoftmax';
  requireFloating(logits, fn, 'logits');
  const ySoft = softmaxFamily(fn, false, 1, {
    input: logits.add(gumbels).div(tau),
    dim,
    dtype: null,
    temperature: 1,
  });
  if (!hard) return ySoft;
  const d = normalizeDim(dim, ySoft.ndim, fn);
  const index = ySoft.argmax(d, true);
  const { outer, size, inner } = splitAtDim(ySoft.shape, d);
  const oneHot = allocZeroed(ySoft.dtype, ySoft.size);
  const idx = index.data;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) oneHot[(o * size + idx[o * inner + i]) * inner + i] = 1;
  }
  return new Tensor(oneHot, ySoft.shape).sub(ySoft.detach()).add(ySoft);
}

/** Gumbel-softmax sampling with PyTorch's noise for the same seed (`manualSeed`). */
export function gumbelSoftmaxImpl(a: {
  logits: Tensor;
  tau: number;
  hard: boolean;
  eps: number;
  dim: number;
}): Tensor {
  requireFloating(a.logits, 'gumbelSoftmax', 'logits');
  return gumbelSoftmaxWithNoise(a.logits, gumbelNoise(a.logits), a.tau, a.hard, a.dim);
}
