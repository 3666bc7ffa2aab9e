/** Negative log-likelihood losses of the Poisson and Gaussian distributions. */
import { Tensor } from '../../tensor/tensor.js';
import { allocUninit } from '../../tensor/dtype.js';
import { formatShape, sameShape } from '../../tensor/shape.js';
import { where } from '../../ops/index-ops.js';
import { record } from '../../autograd/node.js';
import { checkFloating, checkTensor, fail } from '../validate.js';
import {
  applyReduction,
  checkFinite,
  checkPair,
  lossOptions,
  type ReductionOptions,
} from './common.js';

/** Options of {@link poissonNllLoss}. */
export interface PoissonNllLossOptions extends ReductionOptions {
  /** The input is the log of the rate (default true). */
  logInput?: boolean;
  /** Add the Stirling approximation of `log(target!)` for targets > 1 (default false). */
  full?: boolean;
  /** Added inside the log when `logInput` is false (default 1e-8). */
  eps?: number;
}

/**
 * Poisson negative log-likelihood: `ℓ = exp(x) − y·x` (`logInput`, the
 * default) or `x − y·log(x + eps)`; with `full`, plus
 * `y·log y − y + ½·log(2πy)` where `y > 1`. Gradients to the input and the target.
 *
 * Matches `torch.nn.functional.poisson_nll_loss`. Difference: shapes must match.
 * @example F.poissonNllLoss(logRate, counts)
 */
export function poissonNllLoss(
  input: Tensor,
  target: Tensor,
  opts?: PoissonNllLossOptions,
): Tensor {
  const fn = 'poissonNllLoss';
  const reduction = lossOptions(fn, opts, ['logInput', 'full', 'eps']);
  const logInput = opts?.logInput ?? true;
  const full = opts?.full ?? false;
  const eps = opts?.eps ?? 1e-8;
  if (typeof logInput !== 'boolean')
    fail(fn, `logInput must be a boolean, got ${String(logInput)}`);
  if (typeof full !== 'boolean') fail(fn, `full must be a boolean, got ${String(full)}`);
  checkFinite(fn, 'eps', eps);
  checkTensor(fn, 'input', input);
  checkTensor(fn, 'target', target);
  checkPair(fn, input, target);
  let loss = logInput
    ? input.exp().sub(target.mul(input))
    : input.sub(target.mul(input.add(eps).log()));
  if (full) {
    const stirling = target
      .mul(target.log())
      .sub(target)
      .add(
        target
          .mul(2 * Math.PI)
          .log()
          .mul(0.5),
      );
    loss = loss.add(where(target.le(1), 0, stirling));
  }
  return applyReduction(loss, reduction);
}

/** Options of {@link gaussianNllLoss}. */
export interface GaussianNllLossOptions extends ReductionOptions {
  /** Add the constant `½·log(2π)` (default false). */
  full?: boolean;
  /** Variances are clamped to at least `eps` (default 1e-6), without affecting the gradient. */
  eps?: number;
}

/** `var` clamped to `eps` in value while its gradient passes unchanged (PyTorch clamps under `no_grad`). */
function clampValueOnly(v: Tensor, eps: number): Tensor {
  const out = allocUninit(v.dtype, v.size);
  const d = v.data;
  for (let i = 0; i < d.length; i++) out[i] = d[i] < eps ? eps : d[i];
  return record(new Tensor(out, v.shape), 'clampNoGrad', [v], (g) => [g]);
}

/**
 * Gaussian negative log-likelihood with predicted variances:
 * `ℓ = ½·(log(max(var, eps)) + (input − target)² / max(var, eps))`
 * (+ `½·log(2π)` with `full`). `var` has the input's shape, or the input's
 * shape without (or with size 1 in) the last dimension (one variance per
 * row). Gradients to the input, the target and `var`.
 *
 * Matches `torch.nn.functional.gaussian_nll_loss`. Difference: input and
 * target shapes must match.
 * @example F.gaussianNllLoss(mean, y, variance)
 */
export function gaussianNllLoss(
  input: Tensor,
  target: Tensor,
  variance: Tensor,
  opts?: GaussianNllLossOptions,
): Tensor {
  const fn = 'gaussianNllLoss';
  const reduction = lossOptions(fn, opts, ['full', 'eps']);
  const full = opts?.full ?? false;
  const eps = opts?.eps ?? 1e-6;
  if (typeof full !== 'boolean') fail(fn, `full must be a boolean, got ${String(full)}`);
  checkFinite(fn, 'eps', eps);
  checkTensor(fn, 'input', input);
  checkTensor(fn, 'target', target);
  checkTensor(fn, 'var', variance);
  checkPair(fn, input, target);
  checkFloating(fn, 'var', variance);
  let v = variance;
  if (!sameShape(v.shape, input.shape)) {
    const lead = input.shape.slice(0, -1);
    if (sameShape(v.shape, lead)) v = v.unsqueeze(-1);
    else if (!(
      v.ndim === input.ndim &&
      sameShape(v.shape.slice(0, -1), lead) &&
      v.shape[v.ndim - 1] === 1
    )) {
      fail(
        fn,
        `var of shape ${formatShape(v.shape)} is of incorrect size for input of shape ${formatShape(input.shape)}`,
      );
    }
  }
  const vd = variance.data;
  for (let i = 0; i < vd.length; i++) if (vd[i] < 0) fail(fn, `var has a negative entry ${vd[i]}`);
  const vc = clampValueOnly(v, eps);
  let loss = vc.log().add(input.sub(target).pow(2).div(vc)).mul(0.5);
  if (full) loss = loss.add(0.5 * Math.log(2 * Math.PI));
  return applyReduction(loss, reduction);
}
