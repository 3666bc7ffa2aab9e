/**
 * Negative log-likelihood losses of the Poisson and Gaussian distributions.
 * Signatures, defaults and docs: src/registry/losses.ts.
 */
import { Tensor } from '../../tensor/tensor.js';
import { allocUninit } from '../../tensor/dtype.js';
import { formatShape, sameShape } from '../../tensor/shape.js';
import { where } from '../../ops/index-ops.js';
import { recordOp } from '../../autograd/derivatives/index.js';
import { checkFloating, fail } from '../validate.js';
import { applyReduction, broadcastAll, checkPair, type Reduction } from './common.js';

export function poissonNllLossImpl(a: {
  input: Tensor;
  target: Tensor;
  logInput: boolean;
  full: boolean;
  eps: number;
  reduction: Reduction;
}): Tensor {
  const { input, target, logInput, full, eps } = a;
  checkPair('poissonNllLoss', input, target);
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
  return applyReduction(loss, a.reduction);
}

/** `var` clamped to `eps` in value while its gradient passes unchanged (PyTorch clamps under `no_grad`). */
function clampValueOnly(v: Tensor, eps: number): Tensor {
  const out = allocUninit(v.dtype, v.size);
  const d = v.data;
  for (let i = 0; i < d.length; i++) out[i] = d[i] < eps ? eps : d[i];
  return recordOp(new Tensor(out, v.shape), 'clampNoGrad', [v], {});
}

export function gaussianNllLossImpl(a: {
  input: Tensor;
  target: Tensor;
  var: Tensor;
  full: boolean;
  eps: number;
  reduction: Reduction;
}): Tensor {
  const fn = 'gaussianNllLoss';
  const { input, target, var: variance, eps } = a;
  checkFloating(fn, 'input', input);
  checkFloating(fn, 'target', target);
  checkFloating(fn, 'var', variance);
  // PyTorch broadcasts input against target; var must match the input (or lack its last dim).
  broadcastAll(fn, { input, target });
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
  if (a.full) loss = loss.add(0.5 * Math.log(2 * Math.PI));
  return applyReduction(loss, a.reduction);
}
