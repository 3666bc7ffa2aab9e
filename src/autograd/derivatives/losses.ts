/**
 * Derivatives of the fused losses (forwards: src/functional/loss/cross-entropy.ts,
 * probabilistic.ts), on the fused backward kernels.
 */
import { Tensor } from '../../tensor/tensor.js';
import { allocUninit, allocZeroed } from '../../tensor/dtype.js';
import { adoptHandedOver } from '../../tensor/recycle.js';
import { dispatch } from '../../kernels/backend.js';
import type { Floats } from '../../kernels/js/types.js';
import type { Derivatives } from './rule.js';

/** The (outer, C, inner) layout of class scores, as the forward split the input. */
interface ClassLayout {
  outer: number;
  C: number;
  inner: number;
}

/** What nllLoss and cross-entropy with class indices save. */
interface IndexTargetContext extends ClassLayout {
  input: Tensor;
  /** The class indices. */
  target: Int32Array;
  weight: Floats | null;
  ignoreIndex: number;
  reduction: string;
  /** What the reduced loss was divided by (the weight sum for 'mean', else 1). */
  divisor: number;
}

export interface LossContexts {
  nllLoss: IndexTargetContext;
  crossEntropy:
    | (IndexTargetContext & {
        kind: 'index';
        labelSmoothing: number;
        /** The input's data. */
        x: Floats;
        /** log Σ exp of each position's scores, from the forward. */
        lse: Float64Array;
        /**
         * The input is the caller's own scratch (AdaptiveLogSoftmaxWithLoss's
         * logits, which nothing else holds or saved): the last backward writes
         * the gradient into its storage instead of a new array.
         */
        consumesInput: boolean;
      })
    | (ClassLayout & {
        kind: 'probability';
        input: Tensor;
        target: Tensor;
        x: Floats;
        /** The target probabilities' data. */
        probs: Floats;
        weight: Floats | null;
        labelSmoothing: number;
        lse: Float64Array;
        reduction: string;
        divisor: number;
      });
  clampNoGrad: Record<string, never>;
}

export const LOSSES: Derivatives<LossContexts> = {
  /**
   * `ℓᵢ = −w[tᵢ] · x[i, tᵢ]`, reduced: `dx[i, tᵢ] = −w[tᵢ] · G(ᵢ) / divisor`,
   * zero elsewhere and at ignored targets (kernel `nllBackward`).
   */
  nllLoss: {
    saves: 'inputs',
    backward: (g, c) => {
      const { input, outer, C, inner, target, weight, ignoreIndex, divisor } = c;
      const dx = allocZeroed(input.dtype, input.size) as Floats;
      const gd = g.to(input.dtype).data as Floats;
      const stride = c.reduction === 'none' ? 1 : 0;
      dispatch(
        'nllBackward',
        outer,
        C,
        inner,
        target,
        weight,
        ignoreIndex,
        gd,
        stride,
        divisor,
        dx,
      );
      return [new Tensor(dx, input.shape)];
    },
  },

  /**
   * With class indices and label smoothing ε:
   * `dx[i, c] = G(ᵢ)/divisor · (softmax(xᵢ)_c · ((1−ε)·w[tᵢ] + ε/C·Σ_k w_k) − (1−ε)·w[tᵢ]·[c = tᵢ] − ε/C·w_c)`
   * (unweighted, ε = 0: `softmax(xᵢ) − onehot(tᵢ)`), zero at ignored
   * targets (kernel `crossEntropyBackward`). With class probabilities p:
   * `dx = G/divisor · (Σ_c w_c p̃_c · softmax(x) − w ⊙ p̃)` with
   * `p̃ = (1−ε)·p + ε/C`, and `dp = −G/divisor · (1−ε) · w ⊙ logSoftmax(x)`
   * (kernel `crossEntropyProbBackward`).
   *
   * A consumed input (`consumesInput`, final pass) gets the gradient written
   * over its scores: each kernel reads an element before writing it, and
   * the storage is neither allocated nor written cold (bench:train
   * d-adaptive, alternating in one process: 3.5 % per step).
   */
  crossEntropy: {
    saves: 'inputs',
    backward: (g, c, final) => {
      const { input, outer, C, inner, x, weight, lse, divisor } = c;
      const gd = g.to(input.dtype).data as Floats;
      const stride = c.reduction === 'none' ? 1 : 0;
      const eps = c.labelSmoothing;
      if (c.kind === 'index') {
        const inPlace = final && c.consumesInput && input._isPlain;
        const dx = inPlace ? x : (allocUninit(input.dtype, input.size) as Floats);
        if (inPlace) {
          input._bumpVersion();
          adoptHandedOver(x);
        }
        const args = [
          outer,
          C,
          inner,
          x,
          c.target,
          weight,
          c.ignoreIndex,
          eps,
          lse,
          gd,
          stride,
          divisor,
          dx,
        ] as const;
        dispatch('crossEntropyBackward', ...args);
        return [new Tensor(dx, input.shape)];
      }
      const { target, probs } = c;
      const dx = input.requiresGrad ? (allocUninit(input.dtype, input.size) as Floats) : null;
      const dt = target.requiresGrad ? (allocUninit(target.dtype, target.size) as Floats) : null;
      const args = [
        outer,
        C,
        inner,
        x,
        probs,
        weight,
        eps,
        lse,
        gd,
        stride,
        divisor,
        dx,
        dt,
      ] as const;
      dispatch('crossEntropyProbBackward', ...args);
      return [dx && new Tensor(dx, input.shape), dt && new Tensor(dt, target.shape)];
    },
  },

  /**
   * A value clamped with its gradient passing unchanged (PyTorch clamps
   * gaussianNllLoss's variance under `no_grad`): `dx = G`.
   */
  clampNoGrad: { saves: 'nothing', backward: (g) => [g] },
};
