/** AdamW, after `torch.optim.AdamW`: Adam with decoupled weight decay. */
import { Optimizer, type GradPair } from './optimizer.js';
import type { ParamGroup, OptimizerParams } from './params.js';
import type { PyArgs } from './py-args.js';
import {
  adamSpec,
  adamUpdate,
  type AdamOptions,
  type AdamPositional,
  type AdamState,
} from './adam.js';

const SPEC = adamSpec('AdamW', 1e-2, { foreach: null, capturable: false });

/**
 * Adam with decoupled weight decay (Loshchilov & Hutter): the parameter
 * shrinks by `lr·λ` each step instead of `λθ` being added to the gradient,
 * so the decay is not rescaled by the adaptive denominator:
 *
 * ```
 * t ← t + 1
 * θ ← θ·(1 − lr·λ)
 * g ← ∇θ (−∇θ if maximize)
 * m ← β1·m + (1 − β1)·g
 * v ← β2·v + (1 − β2)·g²
 * v̂ ← max(v̂, v)          (amsgrad; then v̂ replaces v below)
 * θ ← θ − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
 * ```
 *
 * Arguments bind as in Python, in PyTorch's order
 * `(params, lr, betas, eps, weightDecay, amsgrad, { maximize })`.
 * Defaults `{ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2,
 * amsgrad: false, maximize: false }` — PyTorch's, including the non-zero
 * weight decay. Matches `torch.optim.AdamW` (the single-tensor CPU path).
 *
 * @example
 * ```ts
 * import { optim, tensor } from 'nnkit';
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.AdamW([w], { lr: 0.1, weightDecay: 0.05 });
 * for (let step = 0; step < 2; step++) {
 *   opt.zeroGrad();
 *   w.square().sum().backward(); // the gradient is 2w
 *   opt.step();
 * }
 * console.log(w); // tensor([ 0.7910, -1.7807], requires_grad=True)
 * ```
 */
export class AdamW extends Optimizer<AdamOptions, AdamState> {
  /**
   * Creates an AdamW optimizer over `params`; see {@link AdamOptions} for each option.
   *
   * @param params - The parameters to optimize (an iterable of tensors), a list of parameter
   *   groups `{ params, ...options }`, or one object holding `params` and any options.
   * @param args - `lr` (default 1e-3), `betas` (default [0.9, 0.999]), `eps` (default 1e-8),
   *   `weightDecay` (PyTorch's `weight_decay`, default 1e-2), `amsgrad` (default false) by
   *   position, or one options object with those names and the keyword-only `maximize`
   *   (default false).
   */
  constructor(
    params: OptimizerParams<AdamOptions>,
    ...args: PyArgs<AdamPositional, Partial<AdamOptions>>
  ) {
    super(SPEC, [params, ...args]);
  }

  protected updateGroup(group: ParamGroup<AdamOptions>, params: readonly GradPair[]): void {
    // param.mul_(1 - lr * weight_decay), the factor computed in double as in Python.
    adamUpdate(this, params, group, 'adamwStep', 1 - group.lr * group.weightDecay);
  }
}
