/**
 * Pointwise losses: each is one entry of the elementwise table
 * (`ops/elementwise/table.ts`, "losses" section) followed by a reduction,
 * so every backend runs them and their gradients follow PyTorch's kernels.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { binaryOp, binaryReduceOp } from '../../ops/elementwise/apply.js';
import type { BinaryName } from '../../ops/elementwise/table.js';
import { checkTensor, fail } from '../validate.js';
import {
  applyReduction,
  checkBroadcastWeight,
  checkFinite,
  checkPair,
  lossOptions,
  type Reduction,
  type ReductionOptions,
} from './common.js';

/** A pointwise loss term reduced as asked: fused for 'sum' and 'mean'. */
function pointwiseLoss(
  name: BinaryName,
  input: Tensor,
  target: Tensor,
  params: number[],
  reduction: string,
): Tensor {
  return reduction === 'none'
    ? binaryOp(name, input, target, params)
    : binaryReduceOp(name, input, target, params, reduction as 'sum' | 'mean');
}

function pair(fn: string, input: unknown, target: unknown): asserts input is Tensor {
  checkTensor(fn, 'input', input);
  checkTensor(fn, 'target', target);
  checkPair(fn, input, target as Tensor);
}

/**
 * Mean squared error: `ℓ = (input − target)²`, then the reduction (default 'mean').
 * Gradients flow to the input and the target.
 *
 * Matches `torch.nn.functional.mse_loss`. Difference: shapes must match
 * (PyTorch broadcasts with a warning).
 * @example F.mseLoss(pred, y) // mean of squared errors
 */
export function mseLoss(input: Tensor, target: Tensor, opts?: ReductionOptions): Tensor {
  const reduction = lossOptions('mseLoss', opts, []);
  pair('mseLoss', input, target);
  return pointwiseLoss('squaredError', input, target, [], reduction);
}

/**
 * Mean absolute error: `ℓ = |input − target|`, then the reduction (default 'mean').
 * The gradient is `sign(input − target)` (0 at a tie), to the input and the target.
 *
 * Matches `torch.nn.functional.l1_loss`. Difference: shapes must match.
 * @example F.l1Loss(pred, y, { reduction: 'sum' })
 */
export function l1Loss(input: Tensor, target: Tensor, opts?: ReductionOptions): Tensor {
  const reduction = lossOptions('l1Loss', opts, []);
  pair('l1Loss', input, target);
  return pointwiseLoss('absError', input, target, [], reduction);
}

/** Options of {@link smoothL1Loss}. */
export interface SmoothL1LossOptions extends ReductionOptions {
  /** Where the loss changes from quadratic to linear, β ≥ 0 (default 1). */
  beta?: number;
}

/**
 * Smooth L1: with `z = |input − target|`, `ℓ = 0.5·z²/β` if `z < β`, else
 * `z − 0.5·β`; β = 0 is the L1 loss. Gradients to the input and the target.
 *
 * Matches `torch.nn.functional.smooth_l1_loss` (including its gradient at the
 * kinks `|z| = β`). Difference: shapes must match.
 * @example F.smoothL1Loss(pred, y, { beta: 0.5 })
 */
export function smoothL1Loss(input: Tensor, target: Tensor, opts?: SmoothL1LossOptions): Tensor {
  const fn = 'smoothL1Loss';
  const reduction = lossOptions(fn, opts, ['beta']);
  const beta = opts?.beta ?? 1;
  checkFinite(fn, 'beta', beta);
  if (beta < 0) fail(fn, `beta must be non-negative, got ${beta}`);
  pair(fn, input, target);
  return pointwiseLoss('smoothL1', input, target, [beta], reduction);
}

/** Options of {@link huberLoss}. */
export interface HuberLossOptions extends ReductionOptions {
  /** Where the loss changes from quadratic to linear, δ > 0 (default 1). */
  delta?: number;
}

/**
 * Huber loss: with `z = |input − target|`, `ℓ = 0.5·z²` if `z < δ`, else
 * `δ·(z − 0.5·δ)`. Gradients to the input and the target.
 *
 * Matches `torch.nn.functional.huber_loss`. Difference: shapes must match.
 * @example F.huberLoss(pred, y, { delta: 2 })
 */
export function huberLoss(input: Tensor, target: Tensor, opts?: HuberLossOptions): Tensor {
  const fn = 'huberLoss';
  const reduction = lossOptions(fn, opts, ['delta']);
  const delta = opts?.delta ?? 1;
  checkFinite(fn, 'delta', delta);
  if (delta <= 0) fail(fn, `delta must be positive, got ${delta}`);
  pair(fn, input, target);
  return pointwiseLoss('huber', input, target, [delta], reduction);
}

/** Options of {@link klDiv}. */
export interface KlDivOptions {
  /** `'mean'` (default, over all elements, as PyTorch), `'batchmean'` (sum / N), `'sum'` or `'none'`. */
  reduction?: Reduction | 'batchmean';
  /** The target is given as log-probabilities (default false). */
  logTarget?: boolean;
}

/**
 * Kullback–Leibler divergence of log-probabilities `input` from `target`:
 * `ℓ = target·(log target − input)` (0 where target = 0), or with
 * `logTarget`, `ℓ = exp(target)·(target − input)`. 'batchmean' divides the
 * sum by the batch size `input.shape[0]` (the mathematically correct KL).
 * Gradients to the input and the target (NaN for a target element that is
 * exactly 0 without `logTarget`, as in PyTorch).
 *
 * Matches `torch.nn.functional.kl_div`. Difference: shapes must match.
 * @example F.klDiv(F.logSoftmax(x, 1), p, { reduction: 'batchmean' })
 */
export function klDiv(input: Tensor, target: Tensor, opts?: KlDivOptions): Tensor {
  const fn = 'klDiv';
  const reduction = lossOptions(fn, opts, ['logTarget'], ['none', 'mean', 'sum', 'batchmean']);
  const logTarget = opts?.logTarget ?? false;
  if (typeof logTarget !== 'boolean')
    fail(fn, `logTarget must be a boolean, got ${String(logTarget)}`);
  pair(fn, input, target);
  const name = logTarget ? 'klDivLogTarget' : 'klDiv';
  if (reduction === 'batchmean') {
    const s = pointwiseLoss(name, input, target, [], 'sum');
    return input.ndim === 0 ? s : s.div(input.shape[0]);
  }
  return pointwiseLoss(name, input, target, [], reduction);
}

/** Options of {@link binaryCrossEntropy}. */
export interface BinaryCrossEntropyOptions extends ReductionOptions {
  /** Rescaling weight, broadcast to the input's shape (no gradient). */
  weight?: Tensor | null;
}

function checkUnitInterval(fn: string, arg: string, t: Tensor): void {
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    if (!(d[i] >= 0 && d[i] <= 1))
      fail(fn, `every element of ${arg} must be in [0, 1], got ${d[i]}`);
  }
}

/**
 * Binary cross-entropy of probabilities `input` against `target`:
 * `ℓ = −w·(target·log(input) + (1 − target)·log(1 − input))`, each log
 * clamped at −100 so that 0 and 1 give finite losses; the input's gradient
 * divides by `max((1 − input)·input, 1e-12)`. Gradients to the input and the target.
 *
 * Matches `torch.nn.functional.binary_cross_entropy`. Differences: input and
 * target outside [0, 1] (or NaN) throw before any work, as PyTorch's CPU kernel does mid-way.
 * @example F.binaryCrossEntropy(F.sigmoid(logits), y)
 */
export function binaryCrossEntropy(
  input: Tensor,
  target: Tensor,
  opts?: BinaryCrossEntropyOptions,
): Tensor {
  const fn = 'binaryCrossEntropy';
  const reduction = lossOptions(fn, opts, ['weight']);
  pair(fn, input, target);
  checkBroadcastWeight(fn, 'weight', opts?.weight, input.shape);
  checkUnitInterval(fn, 'input', input);
  checkUnitInterval(fn, 'target', target);
  if (!opts?.weight) return pointwiseLoss('bce', input, target, [], reduction);
  const loss = binaryOp('bce', input, target);
  return applyReduction(loss.mul(opts.weight.detach().to(loss.dtype)), reduction);
}

/** Options of {@link binaryCrossEntropyWithLogits}. */
export interface BinaryCrossEntropyWithLogitsOptions extends ReductionOptions {
  /** Rescaling weight, broadcast to the input's shape (no gradient). */
  weight?: Tensor | null;
  /** Weight of the positive examples, broadcast to the input's shape, e.g. one per class (no gradient). */
  posWeight?: Tensor | null;
}

/**
 * Binary cross-entropy on logits: `ℓ = w·((1 − t)·x + (1 + (p − 1)·t)·softplus(−x))`
 * with `p = posWeight` (1 if absent), evaluated as
 * `(1 − t)·x + m + log(exp(−m) + exp(−x − m))`, `m = max(−x, 0)`, so that
 * no exponential overflows. Gradients to the input and the target.
 *
 * Matches `torch.nn.functional.binary_cross_entropy_with_logits`.
 * Difference: shapes must match, weights must broadcast to the input.
 * @example F.binaryCrossEntropyWithLogits(logits, y, { posWeight: tensor([3]) })
 */
export function binaryCrossEntropyWithLogits(
  input: Tensor,
  target: Tensor,
  opts?: BinaryCrossEntropyWithLogitsOptions,
): Tensor {
  const fn = 'binaryCrossEntropyWithLogits';
  const reduction = lossOptions(fn, opts, ['weight', 'posWeight']);
  pair(fn, input, target);
  checkBroadcastWeight(fn, 'weight', opts?.weight, input.shape);
  checkBroadcastWeight(fn, 'posWeight', opts?.posWeight, input.shape);
  if (!opts?.weight && !opts?.posWeight) {
    return pointwiseLoss('bceWithLogits', input, target, [], reduction);
  }
  let loss: Tensor;
  if (opts?.posWeight) {
    const logWeight = opts.posWeight.detach().to(input.dtype).sub(1).mul(target).add(1);
    loss = target
      .neg()
      .add(1)
      .mul(input)
      .add(binaryOp('bceLogitsWeightedSoftplus', input, logWeight));
  } else {
    loss = binaryOp('bceWithLogits', input, target);
  }
  if (opts?.weight) loss = loss.mul(opts.weight.detach().to(loss.dtype));
  return applyReduction(loss, reduction);
}

/**
 * Soft margin loss for targets ±1: `ℓ = log(1 + exp(−target·input))`.
 * Gradient to the input only (PyTorch does not differentiate the target).
 *
 * Matches `torch.nn.functional.soft_margin_loss`. Difference: shapes must match.
 * @example F.softMarginLoss(x, tensor([1, -1, 1]))
 */
export function softMarginLoss(input: Tensor, target: Tensor, opts?: ReductionOptions): Tensor {
  const reduction = lossOptions('softMarginLoss', opts, []);
  pair('softMarginLoss', input, target);
  return pointwiseLoss('softMargin', input, target.detach(), [], reduction);
}
