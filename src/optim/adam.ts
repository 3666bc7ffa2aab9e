/** Adam, after `torch.optim.Adam`. */
import {
  Optimizer,
  type ParamGroup,
  type ParamsArg,
  checkNonNegative,
  rounder,
  zerosLikeData,
} from './optimizer.js';

/** Options of {@link Adam}; the defaults are PyTorch's. */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates (β1, β2) of the first and second moment estimates (default [0.9, 0.999]). */
  betas: readonly [number, number];
  /** Added to the denominator after the square root (default 1e-8). */
  eps: number;
  /** L2 penalty λ, added to the gradient (default 0; this is Adam, not AdamW). */
  weightDecay: number;
  /** Use the running maximum of the second moment (AMSGrad, default false). */
  amsgrad: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

interface AdamState {
  step: number;
  expAvg: Float32Array | Float64Array;
  expAvgSq: Float32Array | Float64Array;
  maxExpAvgSq: Float32Array | Float64Array | null;
}

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
 * Defaults: `{ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false }`.
 * Matches `torch.optim.Adam` (the single-tensor CPU path: ε is added after
 * the square root and the bias correction).
 *
 * @example
 * const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
 * for (const batch of batches) { opt.zeroGrad(); lossOf(batch).backward(); opt.step(); }
 */
export class Adam extends Optimizer<AdamOptions, AdamState> {
  constructor(params: ParamsArg<AdamOptions>, opts: Partial<AdamOptions> = {}) {
    super('Adam', params, {
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      amsgrad: false,
      maximize: false,
      ...opts,
    });
  }

  protected validate(o: AdamOptions): void {
    checkNonNegative('Adam', 'learning rate (lr)', o.lr);
    checkNonNegative('Adam', 'epsilon (eps)', o.eps);
    checkNonNegative('Adam', 'weightDecay', o.weightDecay);
    o.betas.forEach((b, i) => {
      if (!(b >= 0 && b < 1))
        throw new Error(`Adam: invalid beta parameter at index ${i}: ${b} (must be in [0, 1))`);
    });
  }

  protected updateGroup(group: ParamGroup<AdamOptions>): void {
    const { lr, eps, weightDecay, amsgrad, maximize } = group;
    const [beta1, beta2] = group.betas;
    for (const p of group.params) {
      const grad = p.grad;
      if (!grad) continue;
      const theta = p.data;
      const gd = grad.data;
      const r = rounder(theta);
      let s = this.state.get(p);
      if (!s) {
        s = {
          step: 0,
          expAvg: zerosLikeData(theta),
          expAvgSq: zerosLikeData(theta),
          maxExpAvgSq: amsgrad ? zerosLikeData(theta) : null,
        };
        this.state.set(p, s);
      }
      if (amsgrad && !s.maxExpAvgSq) s.maxExpAvgSq = zerosLikeData(theta);
      s.step += 1;
      // Scalars are computed in double precision, as PyTorch's Python code does,
      // then enter the tensor kernels in the parameter's dtype.
      const biasCorrection1 = 1 - beta1 ** s.step;
      const biasCorrection2 = 1 - beta2 ** s.step;
      const stepSize = lr / biasCorrection1;
      const bc2Sqrt = r(Math.sqrt(biasCorrection2));
      const b1 = r(beta1);
      const b2 = r(beta2);
      const oneMinusB1 = r(1 - beta1);
      const oneMinusB2 = r(1 - beta2);
      const wd = r(weightDecay);
      const negStep = r(-stepSize);
      const epsR = r(eps);
      const { expAvg: m, expAvgSq: v, maxExpAvgSq: vMax } = s;
      for (let i = 0; i < theta.length; i++) {
        let g = maximize ? -gd[i] : gd[i];
        if (weightDecay !== 0) g = r(g + wd * theta[i]);
        m[i] = r(m[i] * b1) + oneMinusB1 * g;
        v[i] = r(v[i] * b2) + r(oneMinusB2 * g) * g;
        let second = v[i];
        if (amsgrad && vMax) {
          vMax[i] = Math.max(vMax[i], v[i]);
          second = vMax[i];
        }
        const denom = r(r(r(Math.sqrt(second)) / bc2Sqrt) + epsR);
        theta[i] = theta[i] + r(negStep * m[i]) / denom;
      }
    }
  }
}
