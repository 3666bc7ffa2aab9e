/** Adam, after `torch.optim.Adam`; the state and signature it shares with AdamW. */
import * as T from '../signature/types.js';
import { dispatch } from '../kernels/backend.js';
import { batchPairs, type Batch } from './batches.js';
import { Optimizer, zerosLikeData, type GradPair, type OptimizerSpec } from './optimizer.js';
import {
  betasType,
  nonNegative,
  paramsType,
  type ParamGroup,
  type OptimizerParams,
} from './params.js';
import type { PyArgs } from './py-args.js';

/** Options of {@link Adam} and {@link AdamW}; the defaults are PyTorch's. */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates (β1, β2) of the first and second moment estimates (default [0.9, 0.999]). */
  betas: readonly [number, number];
  /** Added to the denominator after the square root (default 1e-8). */
  eps: number;
  /** Adam: L2 penalty λ added to the gradient (default 0). AdamW: decoupled decay (default 1e-2). */
  weightDecay: number;
  /** Use the running maximum of the second moment (AMSGrad, default false). */
  amsgrad: boolean;
  /** Maximize the objective instead of minimizing it (default false; keyword-only). */
  maximize: boolean;
}

/** The positional parameters after `params`, in PyTorch's order. */
export type AdamPositional = [
  lr: number,
  betas: readonly [number, number],
  eps: number,
  weightDecay: number,
  amsgrad: boolean,
];

/** Adam's and AdamW's state per parameter (PyTorch's `step`, `exp_avg`, `exp_avg_sq`, `max_exp_avg_sq`). */
export type AdamState = {
  /** Steps taken. */
  step: number;
  /** The first moment estimate m. */
  expAvg: Float32Array | Float64Array;
  /** The second moment estimate v. */
  expAvgSq: Float32Array | Float64Array;
  /** The running maximum of v (with `amsgrad`). */
  maxExpAvgSq?: Float32Array | Float64Array;
};

/** Adam's and AdamW's declaration; they differ in name, default weight decay and PyTorch-only keys. */
export function adamSpec(
  name: string,
  weightDecay: number,
  torchOnly: Record<string, null | boolean>,
): OptimizerSpec<AdamOptions> {
  return {
    signature: {
      name,
      params: [
        { name: 'params', type: paramsType, doc: 'parameters, or parameter groups' },
        { name: 'lr', type: nonNegative, default: 1e-3, doc: 'learning rate' },
        { name: 'betas', type: betasType, default: [0.9, 0.999], doc: 'moment decay rates' },
        { name: 'eps', type: nonNegative, default: 1e-8, doc: 'added to the denominator' },
        { name: 'weightDecay', type: nonNegative, default: weightDecay, doc: 'weight decay λ' },
        { name: 'amsgrad', type: T.bool, default: false, doc: 'AMSGrad variant' },
        { name: 'maximize', type: T.bool, default: false, kwOnly: true, doc: 'ascend instead' },
      ],
    },
    torchOnly,
    setstateDefaults: ['amsgrad', 'maximize'],
    stateKeys: [
      { key: 'step', field: 'step', kind: 'step', required: true },
      { key: 'exp_avg', field: 'expAvg', kind: 'tensor', required: true },
      { key: 'exp_avg_sq', field: 'expAvgSq', kind: 'tensor', required: true },
      { key: 'max_exp_avg_sq', field: 'maxExpAvgSq', kind: 'tensor', required: false },
    ],
  };
}

/**
 * Advances every parameter's step (creating its state on the first) and
 * splits them into kernel calls: one per dtype and step count. Each call's
 * scalars come from its step, computed in double precision as PyTorch's
 * Python code does; `decay` is Adam's λ or AdamW's 1 − lr·λ.
 */
export function adamUpdate(
  opt: { state: Map<GradPair['param'], AdamState> },
  params: readonly GradPair[],
  group: ParamGroup<AdamOptions>,
  kernel: 'adamStep' | 'adamwStep',
  decay: number,
): void {
  const { lr, eps, weightDecay, maximize, amsgrad } = group;
  const [beta1, beta2] = group.betas;
  const states = new Map<GradPair, AdamState>();
  for (const p of params) {
    let s = opt.state.get(p.param);
    if (!s) {
      s = { step: 0, expAvg: zerosLikeData(p.data), expAvgSq: zerosLikeData(p.data) };
      opt.state.set(p.param, s);
    }
    if (amsgrad && !s.maxExpAvgSq) s.maxExpAvgSq = zerosLikeData(p.data);
    s.step += 1;
    states.set(p, s);
  }
  const state = (b: Batch, f: (s: AdamState) => Float32Array | Float64Array | undefined) =>
    b.pairs.map((p) => f(states.get(p) as AdamState) as Float32Array | Float64Array);
  for (const b of batchPairs(params, (p) => (states.get(p) as AdamState).step)) {
    const step = b.key;
    const biasCorrection1 = 1 - beta1 ** step;
    const biasCorrection2 = 1 - beta2 ** step;
    dispatch(
      kernel,
      b.params.length,
      b.params,
      b.grads,
      state(b, (s) => s.expAvg),
      state(b, (s) => s.expAvgSq),
      amsgrad ? state(b, (s) => s.maxExpAvgSq) : [],
      decay,
      beta1,
      1 - beta1,
      beta2,
      1 - beta2,
      Math.sqrt(biasCorrection2),
      eps,
      -(lr / biasCorrection1),
      maximize,
      weightDecay !== 0,
      amsgrad,
    );
  }
}

const SPEC = adamSpec('Adam', 0, {
  foreach: null,
  capturable: false,
  differentiable: false,
  fused: false,
});

/**
 * Adam with bias-corrected moment estimates:
 *
 * ```
 * t ← t + 1
 * g ← ∇θ (−∇θ if maximize) + λθ
 * m ← β1·m + (1 − β1)·g
 * v ← β2·v + (1 − β2)·g²
 * v̂ ← max(v̂, v)          (amsgrad; then v̂ replaces v below)
 * θ ← θ − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
 * ```
 *
 * Arguments bind as in Python, in PyTorch's order
 * `(params, lr, betas, eps, weightDecay, amsgrad, { maximize })`:
 * `new optim.Adam(params, 1e-3)` or `new optim.Adam(params, { lr: 1e-3, betas: [0.9, 0.99] })`.
 * Defaults `{ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0,
 * amsgrad: false, maximize: false }`. Matches `torch.optim.Adam` (the
 * single-tensor CPU path: ε is added after the square root and the bias
 * correction; the weight decay is L2, added to the gradient — see
 * {@link AdamW} for decoupled decay).
 *
 * @example
 * ```ts
 * import { optim, tensor } from 'nnkit';
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.Adam([w], 0.1);
 * for (let step = 0; step < 2; step++) {
 *   opt.zeroGrad();
 *   w.square().sum().backward(); // the gradient is 2w
 *   opt.step();
 * }
 * console.log(w); // tensor([ 0.8004, -1.8002], requires_grad=True)
 * ```
 */
export class Adam extends Optimizer<AdamOptions, AdamState> {
  /**
   * Creates an Adam optimizer over `params`; see {@link AdamOptions} for each option.
   *
   * @param params - The parameters to optimize (an iterable of tensors), a list of parameter
   *   groups `{ params, ...options }`, or one object holding `params` and any options.
   * @param args - `lr` (default 1e-3), `betas` (default [0.9, 0.999]), `eps` (default 1e-8),
   *   `weightDecay` (PyTorch's `weight_decay`, default 0), `amsgrad` (default false) by
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
    adamUpdate(this, params, group, 'adamStep', group.weightDecay);
  }
}
