/** Stochastic gradient descent with momentum, after `torch.optim.SGD`. */
import type { Tensor } from '../tensor/tensor.js';
import {
  Optimizer,
  type ParamGroup,
  type ParamsArg,
  checkNonNegative,
  rounder,
} from './optimizer.js';

/** Options of {@link SGD}; the defaults are PyTorch's. */
export interface SGDOptions {
  /** Learning rate (default 1e-3, PyTorch ≥ 2.0's default; 1.13 required it). */
  lr: number;
  /** Momentum factor μ (default 0). */
  momentum: number;
  /** Dampening τ for momentum (default 0). */
  dampening: number;
  /** L2 penalty λ, added to the gradient (default 0). */
  weightDecay: number;
  /** Nesterov momentum (default false); needs `momentum > 0` and `dampening = 0`. */
  nesterov: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

interface SGDState {
  momentumBuffer: Float32Array | Float64Array;
}

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
 * Defaults: `{ lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false }`.
 * Matches `torch.optim.SGD` (including the momentum buffer initialised to
 * the gradient on the first step, not to zero).
 *
 * @example
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export class SGD extends Optimizer<SGDOptions, SGDState> {
  constructor(params: ParamsArg<SGDOptions>, opts: Partial<SGDOptions> = {}) {
    super('SGD', params, {
      lr: 1e-3,
      momentum: 0,
      dampening: 0,
      weightDecay: 0,
      nesterov: false,
      maximize: false,
      ...opts,
    });
  }

  protected validate(o: SGDOptions): void {
    checkNonNegative('SGD', 'learning rate (lr)', o.lr);
    checkNonNegative('SGD', 'momentum', o.momentum);
    checkNonNegative('SGD', 'weightDecay', o.weightDecay);
    if (!Number.isFinite(o.dampening))
      throw new Error(`SGD: invalid dampening value: ${o.dampening}`);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new Error(
        `SGD: Nesterov momentum requires a momentum and zero dampening, got momentum=${o.momentum}, dampening=${o.dampening}`,
      );
    }
  }

  protected updateGroup(group: ParamGroup<SGDOptions>): void {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    for (const p of group.params) {
      const grad: Tensor | null = p.grad;
      if (!grad) continue;
      const theta = p.data;
      const gd = grad.data;
      const r = rounder(theta);
      const n = theta.length;
      const wd = r(weightDecay);
      const mu = r(momentum);
      const oneMinusDamp = r(1 - dampening);
      const negLr = r(-lr);
      let state = this.state.get(p);
      const first = momentum !== 0 && !state;
      if (momentum !== 0 && !state) {
        state = {
          momentumBuffer: theta instanceof Float32Array ? new Float32Array(n) : new Float64Array(n),
        };
        this.state.set(p, state);
      }
      const buf = state?.momentumBuffer;
      for (let i = 0; i < n; i++) {
        let d = maximize ? -gd[i] : gd[i];
        if (weightDecay !== 0) d = r(d + wd * theta[i]);
        if (buf) {
          buf[i] = first ? d : r(buf[i] * mu) + oneMinusDamp * d;
          d = nesterov ? r(d + mu * buf[i]) : buf[i];
        }
        theta[i] = theta[i] + negLr * d;
      }
    }
  }
}
