/** Clearing a parameter's gradient, as `Module.zeroGrad` and `Optimizer.zeroGrad` do. */
import type { Tensor } from '../tensor/tensor.js';
import type { Param } from '../signature/bind.js';
import { bool } from '../signature/types.js';

/** `zero_grad(set_to_none=True)`'s parameter (nnkit's default is PyTorch 2's; 1.13's is false). */
export const ZERO_GRAD_PARAMS: readonly Param[] = [
  { name: 'setToNone', type: bool, default: true, doc: 'set .grad to null instead of zeroing it' },
];

/**
 * PyTorch's `zero_grad` for one parameter: with `setToNone` its `.grad`
 * becomes null; otherwise an existing `.grad` is detached (a grad with a
 * `gradFn` is replaced by a detached tensor sharing its storage: nnkit has no
 * in-place `detach_()`), stops requiring grad and is zero-filled in place, so
 * a reference to it sees the zeros. A null `.grad` stays null.
 */
export function clearGrad(p: Tensor, setToNone: boolean): void {
  if (!p.grad) return;
  if (setToNone) {
    p.grad = null;
    return;
  }
  if (p.grad.gradFn) p.grad = p.grad.detach();
  const grad = p.grad as Tensor;
  grad.requiresGrad_(false);
  const d = grad.data.fill(0);
  if (!grad.isContiguous()) grad._writeStrided(d);
  grad._bumpVersion();
}
