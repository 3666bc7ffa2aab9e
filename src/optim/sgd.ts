/** Stochastic gradient descent with momentum, after `torch.optim.SGD`. */
import * as T from '../signature/types.js';
import { dispatch } from '../kernels/backend.js';
import { batchPairs } from './batches.js';
import { Optimizer, zerosLikeData, type GradPair, type OptimizerSpec } from './optimizer.js';
import {
  finite,
  nonNegative,
  paramsType,
  type ParamGroup,
  type OptimizerParams,
} from './params.js';
import type { PyArgs } from './py-args.js';

/** Options of {@link SGD}; the defaults are PyTorch's. */
export interface SGDOptions {
  /** Learning rate: required, as in PyTorch 1.13 (by the constructor, or by every parameter group). */
  lr: number;
  /** Momentum factor μ (default 0). */
  momentum: number;
  /** Dampening τ for momentum (default 0). */
  dampening: number;
  /** L2 penalty λ, added to the gradient (default 0). */
  weightDecay: number;
  /** Nesterov momentum (default false); needs `momentum > 0` and `dampening = 0`. */
  nesterov: boolean;
  /** Maximize the objective instead of minimizing it (default false; keyword-only). */
  maximize: boolean;
}

/** SGD's state per parameter (PyTorch's `momentum_buffer`). */
export type SGDState = {
  /** The momentum buffer (null without momentum). */
  momentumBuffer: Float32Array | Float64Array | null;
};

const SPEC: OptimizerSpec<SGDOptions> = {
  signature: {
    name: 'SGD',
    params: [
      { name: 'params', type: paramsType, doc: 'parameters, or parameter groups' },
      // PyTorch 1.13's `required`: no value here, so the constructor or every group must give it.
      { name: 'lr', type: nonNegative, default: undefined, doc: 'learning rate (required)' },
      { name: 'momentum', type: nonNegative, default: 0, doc: 'momentum factor μ' },
      { name: 'dampening', type: finite, default: 0, doc: 'dampening τ of the momentum' },
      { name: 'weightDecay', type: nonNegative, default: 0, doc: 'L2 penalty λ' },
      { name: 'nesterov', type: T.bool, default: false, doc: 'Nesterov momentum' },
      { name: 'maximize', type: T.bool, default: false, kwOnly: true, doc: 'ascend instead' },
    ],
  },
  crossCheck: (o) =>
    o.nesterov && (o.momentum <= 0 || o.dampening !== 0)
      ? `Nesterov momentum requires a momentum and zero dampening, got momentum=${o.momentum}, dampening=${o.dampening}`
      : null,
  torchOnly: { foreach: null, differentiable: false },
  setstateDefaults: ['nesterov', 'maximize'],
  stateKeys: [
    {
      key: 'momentum_buffer',
      field: 'momentumBuffer',
      kind: 'tensor',
      required: true,
      nullable: true,
    },
  ],
};

/**
 * Stochastic gradient descent, optionally with (Nesterov) momentum:
 *
 * ```
 * g  ← ∇θ (−∇θ if maximize) + λθ
 * b  ← g                      on the first step (μ ≠ 0)
 * b  ← μ·b + (1 − τ)·g        afterwards
 * g  ← g + μ·b (nesterov)  or  g ← b
 * θ  ← θ − lr·g
 * ```
 *
 * Arguments bind as in Python, in PyTorch's order
 * `(params, lr, momentum, dampening, weightDecay, nesterov, { maximize })`:
 * `new optim.SGD(params, 0.1, 0.9)` is `new optim.SGD(params, { lr: 0.1, momentum: 0.9 })`.
 * `lr` has no default, as in PyTorch 1.13: give it to the constructor, or
 * to every parameter group (`new optim.SGD([{ params, lr: 0.1 }])`).
 * Matches `torch.optim.SGD` (including the momentum buffer initialised to
 * the gradient on the first step, not to zero), with its checks (`lr`,
 * `momentum`, `weightDecay` ≥ 0, Nesterov needs momentum and no
 * dampening) plus nnkit's: every value finite, of the right type.
 *
 * @example
 * ```ts
 * import { optim, tensor } from 'nnkit';
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.SGD([w], 0.1, 0.9);
 * for (let step = 0; step < 2; step++) {
 *   opt.zeroGrad();
 *   w.square().sum().backward(); // the gradient is 2w
 *   opt.step();
 * }
 * console.log(w); // tensor([ 0.4600, -0.9200], requires_grad=True)
 * ```
 */
export class SGD extends Optimizer<SGDOptions, SGDState> {
  /**
   * Creates an SGD optimizer over `params`; see {@link SGDOptions} for each option.
   *
   * @param params - The parameters to optimize (an iterable of tensors), a list of parameter
   *   groups `{ params, ...options }`, or one object holding `params` and any options.
   * @param args - `lr` (required: here or in every group), `momentum` (default 0), `dampening`
   *   (default 0), `weightDecay` (PyTorch's `weight_decay`, default 0), `nesterov` (default
   *   false) by position, or one options object with those names and the keyword-only
   *   `maximize` (default false).
   */
  constructor(
    params: OptimizerParams<SGDOptions>,
    ...args: PyArgs<
      [lr: number, momentum: number, dampening: number, weightDecay: number, nesterov: boolean],
      Partial<SGDOptions>
    >
  ) {
    super(SPEC, [params, ...args]);
  }

  protected updateGroup(group: ParamGroup<SGDOptions>, params: readonly GradPair[]): void {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    const firsts = new Set<GradPair>();
    for (const p of params) {
      let state = this.state.get(p.param);
      if (!state) {
        state = { momentumBuffer: null };
        this.state.set(p.param, state);
      }
      // PyTorch's first step clones the gradient into a fresh buffer.
      if (momentum !== 0 && !state.momentumBuffer) {
        state.momentumBuffer = zerosLikeData(p.data);
        firsts.add(p);
      }
    }
    // Tensors on their first momentum step and the others: one call each.
    for (const b of batchPairs(params, (p) => (firsts.has(p) ? 1 : 0))) {
      dispatch(
        'sgdStep',
        b.params.length,
        b.params,
        b.grads,
        momentum !== 0
          ? b.pairs.map(
              (p) => this.state.get(p.param)?.momentumBuffer as Float32Array | Float64Array,
            )
          : [],
        weightDecay,
        momentum,
        1 - dampening,
        -lr,
        maximize,
        weightDecay !== 0,
        momentum !== 0,
        b.key === 1,
        nesterov,
      );
    }
  }
}
