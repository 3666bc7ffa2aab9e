/**
 * The constructor parameters of the batch- and instance-norm modules, with
 * each family's defaults (internal: src/nn/batchnorm.ts, instancenorm.ts).
 */
import type { Param } from '../signature/bind.js';
import * as T from '../signature/types.js';

/**
 * A family of `_NormBase` modules: whether its modules learn `weight` and
 * `bias` and keep running statistics by default, and whether `momentum` may
 * be null (batch norm's cumulative average).
 */
export interface NormFamily {
  /** Default of `affine`. */
  readonly affine: boolean;
  /** Default of `trackRunningStats`. */
  readonly trackRunningStats: boolean;
  /** Whether `momentum: null` is accepted. */
  readonly momentumMayBeNull: boolean;
}

/**
 * The constructor parameters of PyTorch's `_NormBase` modules: batch norm
 * keeps running statistics and learns its affine part by default, instance
 * norm neither; batch norm's `momentum` may be null (the cumulative average).
 */
export function normParams(defaults: NormFamily): readonly Param[] {
  const momentum = T.number({ min: 0, max: 1 });
  return [
    { name: 'numFeatures', type: T.int({ min: 0 }), doc: 'channels C of the input (dimension 1)' },
    {
      name: 'eps',
      type: T.number({ min: 0, finite: true }),
      default: 1e-5,
      doc: 'added to the variance before its square root (≥ 0)',
    },
    {
      name: 'momentum',
      type: defaults.momentumMayBeNull ? T.optional(momentum) : momentum,
      default: 0.1,
      doc: defaults.momentumMayBeNull
        ? 'weight of each batch in the running statistics; null: their plain average'
        : 'weight of each batch in the running statistics',
    },
    {
      name: 'affine',
      type: T.bool,
      default: defaults.affine,
      doc: 'learn a per-channel weight and bias',
    },
    {
      name: 'trackRunningStats',
      type: T.bool,
      default: defaults.trackRunningStats,
      doc: 'keep running statistics (else normalise with the batch, also in eval mode)',
    },
    // PyTorch's `device` comes before `dtype`; nnkit has none, so `dtype` is by name only.
    {
      name: 'dtype',
      type: T.optional(T.floatDtype),
      default: null,
      kwOnly: true,
      doc: 'parameter dtype',
    },
  ];
}
