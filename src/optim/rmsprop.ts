/** RMSprop, after `torch.optim.RMSprop`. */
import * as T from '../signature/types.js';
import { dispatch } from '../kernels/backend.js';
import { batchPairs } from './batches.js';
import { Optimizer, zerosLikeData, type GradPair, type OptimizerSpec } from './optimizer.js';
import {
  inRange,
  nonNegative,
  paramsType,
  type ParamGroup,
  type OptimizerParams,
} from './params.js';
import type { PyArgs } from './py-args.js';

/** Options of {@link RMSprop}; the defaults are PyTorch's. */
export interface RMSpropOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Smoothing constant α of the running mean of g² (default 0.99). */
  alpha: number;
  /** Added to the denominator after the square root (default 1e-8). */
  eps: number;
  /** L2 penalty λ, added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum factor μ (default 0). */
  momentum: number;
  /** Divide by the running variance of g instead of its mean square (default false). */
  centered: boolean;
  /** Maximize the objective instead of minimizing it (default false; keyword-only in nnkit). */
  maximize: boolean;
}

/** RMSprop's state per parameter (PyTorch's `step`, `square_avg`, `momentum_buffer`, `grad_avg`). */
export type RMSpropState = {
  /** Steps taken. */
  step: number;
  /** The running average of the squared gradient. */
  squareAvg: Float32Array | Float64Array;
  /** The momentum buffer (with `momentum > 0`). */
  momentumBuffer?: Float32Array | Float64Array;
  /** The running average of the gradient (with `centered`). */
  gradAvg?: Float32Array | Float64Array;
};

const SPEC: OptimizerSpec<RMSpropOptions> = {
  signature: {
    name: 'RMSprop',
    params: [
      { name: 'params', type: paramsType, doc: 'parameters, or parameter groups' },
      { name: 'lr', type: nonNegative, default: 1e-2, doc: 'learning rate' },
      { name: 'alpha', type: inRange(0, 1), default: 0.99, doc: 'smoothing constant α' },
      { name: 'eps', type: nonNegative, default: 1e-8, doc: 'added to the denominator' },
      { name: 'weightDecay', type: nonNegative, default: 0, doc: 'L2 penalty λ' },
      { name: 'momentum', type: nonNegative, default: 0, doc: 'momentum factor μ' },
      { name: 'centered', type: T.bool, default: false, doc: 'centered RMSprop' },
      // PyTorch 1.13 has `foreach` (skipped) before `maximize`, both positional:
      // keyword-only here so that a PyTorch call cannot bind a value to the wrong one.
      { name: 'maximize', type: T.bool, default: false, kwOnly: true, doc: 'ascend instead' },
    ],
  },
  torchOnly: { foreach: null, differentiable: false },
  setstateDefaults: ['momentum', 'centered', 'maximize'],
  stateKeys: [
    { key: 'step', field: 'step', kind: 'step', required: true },
    { key: 'square_avg', field: 'squareAvg', kind: 'tensor', required: true },
    { key: 'momentum_buffer', field: 'momentumBuffer', kind: 'tensor', required: false },
    { key: 'grad_avg', field: 'gradAvg', kind: 'tensor', required: false },
  ],
};

/**
 * RMSprop (Hinton), PyTorch's form with ε outside the square root:
 *
 * ```
 * g ← ∇θ (−∇θ if maximize) + λθ
 * v ← α·v + (1 − α)·g²
 * ḡ ← α·ḡ + (1 − α)·g                 (centered)
 * d ← √(v − ḡ²) + ε  (centered)   or   √v + ε
 * b ← μ·b + g/d,  θ ← θ − lr·b         (momentum > 0)
 * θ ← θ − lr·g/d                       (otherwise)
 * ```
 *
 * Arguments bind as in Python, in PyTorch's order
 * `(params, lr, alpha, eps, weightDecay, momentum, centered, { maximize })`:
 * `new optim.RMSprop(params, 0.01, 0.9)`. Defaults `{ lr: 1e-2, alpha: 0.99,
 * eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false }`.
 * Matches `torch.optim.RMSprop` (single-tensor path). Beyond PyTorch's
 * checks, `alpha` must lie in [0, 1] (PyTorch accepts any α ≥ 0, and α > 1
 * makes v negative), and `maximize` is keyword-only (PyTorch 1.13 takes it
 * positionally after `foreach`, which nnkit does not have).
 *
 * @example
 * ```ts
 * import { optim, tensor } from 'nnkit';
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.RMSprop([w], { lr: 0.01, momentum: 0.9, centered: true });
 * for (let step = 0; step < 2; step++) {
 *   opt.zeroGrad();
 *   w.square().sum().backward(); // the gradient is 2w
 *   opt.step();
 * }
 * console.log(w); // tensor([ 0.7413, -1.7393], requires_grad=True)
 * ```
 */
export class RMSprop extends Optimizer<RMSpropOptions, RMSpropState> {
  /**
   * Creates an RMSprop optimizer over `params`; see {@link RMSpropOptions} for each option.
   *
   * @param params - The parameters to optimize (an iterable of tensors), a list of parameter
   *   groups `{ params, ...options }`, or one object holding `params` and any options.
   * @param args - `lr` (default 1e-2), `alpha` (default 0.99), `eps` (default 1e-8),
   *   `weightDecay` (PyTorch's `weight_decay`, default 0), `momentum` (default 0), `centered`
   *   (default false) by position, or one options object with those names and the
   *   keyword-only `maximize` (default false).
   */
  constructor(
    params: OptimizerParams<RMSpropOptions>,
    ...args: PyArgs<
      [
        lr: number,
        alpha: number,
        eps: number,
        weightDecay: number,
        momentum: number,
        centered: boolean,
      ],
      Partial<RMSpropOptions>
    >
  ) {
    super(SPEC, [params, ...args]);
  }

  protected updateGroup(group: ParamGroup<RMSpropOptions>, params: readonly GradPair[]): void {
    const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = group;
    const states = new Map<GradPair, RMSpropState>();
    for (const p of params) {
      const { param, data } = p;
      let s = this.state.get(param);
      if (!s) {
        s = { step: 0, squareAvg: zerosLikeData(data) };
        this.state.set(param, s);
      }
      if (momentum > 0 && !s.momentumBuffer) s.momentumBuffer = zerosLikeData(data);
      if (centered && !s.gradAvg) s.gradAvg = zerosLikeData(data);
      s.step += 1;
      states.set(p, s);
    }
    type Field = 'squareAvg' | 'gradAvg' | 'momentumBuffer';
    // No per-tensor scalars: one call per dtype.
    for (const b of batchPairs(params, () => 0)) {
      const list = (f: Field) =>
        b.pairs.map((p) => (states.get(p) as RMSpropState)[f] as Float32Array | Float64Array);
      dispatch(
        'rmspropStep',
        b.params.length,
        b.params,
        b.grads,
        list('squareAvg'),
        centered ? list('gradAvg') : [],
        momentum > 0 ? list('momentumBuffer') : [],
        weightDecay,
        alpha,
        1 - alpha,
        eps,
        momentum,
        -lr,
        maximize,
        weightDecay !== 0,
        centered,
        momentum > 0,
      );
    }
  }
}
