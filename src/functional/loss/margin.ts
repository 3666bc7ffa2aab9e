/**
 * Margin and embedding losses, composed from differentiable tensor ops in
 * the same order as PyTorch's composite implementations, so that the
 * gradients (including at the hinge) come out as PyTorch's.
 */
import { Tensor } from '../../tensor/tensor.js';
import { allocZeroed, isFloating } from '../../tensor/dtype.js';
import { formatShape, sameShape } from '../../tensor/shape.js';
import { where } from '../../ops/index-ops.js';
import { unaryOp } from '../../ops/elementwise/apply.js';
import { checkFloating, checkSameShape, checkTensor, fail } from '../validate.js';
import { applyReduction, checkFinite, lossOptions, type ReductionOptions } from './common.js';

function tensors(fn: string, named: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(named)) checkTensor(fn, k, v);
}

function zerosLike(t: Tensor): Tensor {
  return new Tensor(allocZeroed(t.dtype, t.size), t.shape);
}

/** Options with a `margin`. */
export interface MarginOptions extends ReductionOptions {
  margin?: number;
}

/**
 * Margin ranking loss: `ℓ = max(0, −y·(x1 − x2) + margin)`, y = ±1.
 * Gradients to x1, x2 and the target. Default `margin` 0.
 *
 * Matches `torch.nn.functional.margin_ranking_loss`. Difference: the three
 * shapes must be equal (PyTorch broadcasts tensors of equal rank).
 * @example F.marginRankingLoss(s1, s2, tensor([1, -1, 1]), { margin: 0.5 })
 */
export function marginRankingLoss(
  x1: Tensor,
  x2: Tensor,
  target: Tensor,
  opts?: MarginOptions,
): Tensor {
  const fn = 'marginRankingLoss';
  const reduction = lossOptions(fn, opts, ['margin']);
  const margin = opts?.margin ?? 0;
  checkFinite(fn, 'margin', margin);
  tensors(fn, { input1: x1, input2: x2, target });
  checkFloating(fn, 'input1', x1);
  checkFloating(fn, 'input2', x2);
  checkSameShape(fn, 'input1', x1, 'input2', x2);
  checkSameShape(fn, 'input1', x1, 'target', target);
  return applyReduction(target.neg().mul(x1.sub(x2)).add(margin).clamp(0), reduction);
}

/**
 * Hinge embedding loss: `ℓ = x` where y = 1, `max(0, margin − x)` where
 * y = −1 (default `margin` 1). Gradient to the input.
 *
 * Matches `torch.nn.functional.hinge_embedding_loss`. Difference: shapes must match.
 * @example F.hingeEmbeddingLoss(d, tensor([1, -1, -1]))
 */
export function hingeEmbeddingLoss(input: Tensor, target: Tensor, opts?: MarginOptions): Tensor {
  const fn = 'hingeEmbeddingLoss';
  const reduction = lossOptions(fn, opts, ['margin']);
  const margin = opts?.margin ?? 1;
  checkFinite(fn, 'margin', margin);
  tensors(fn, { input, target });
  checkFloating(fn, 'input', input);
  checkSameShape(fn, 'input', input, 'target', target);
  const zeros = zerosLike(input);
  const marginClamp = input.neg().add(margin).clamp(0);
  const outMargin = where(target.ne(1), marginClamp, zeros);
  const outSelf = where(target.ne(-1), input, zeros);
  return applyReduction(outMargin.add(outSelf), reduction);
}

/** Class dimension layout of the multi-label/multi-class losses: `(C)` or `(N, C)`. */
function checkClassInput(fn: string, input: Tensor): void {
  checkFloating(fn, 'input', input);
  if (input.ndim !== 1 && input.ndim !== 2) {
    fail(fn, `input must be (C) or (N, C), got shape ${formatShape(input.shape)}`);
  }
}

/**
 * Multi-label margin loss. Each row's target lists class indices, ended by
 * the first −1: `ℓ = Σ_j Σ_{i ∉ targets} max(0, 1 − (x[y_j] − x[i])) / C`.
 * Input `(C)` or `(N, C)`, target int32 of the same shape. Gradient to the input.
 *
 * Matches `torch.nn.functional.multilabel_margin_loss`.
 * @example F.multilabelMarginLoss(x, tensor([[3, 0, -1, 1]], { dtype: 'int32' }))
 */
export function multilabelMarginLoss(
  input: Tensor,
  target: Tensor,
  opts?: ReductionOptions,
): Tensor {
  const fn = 'multilabelMarginLoss';
  const reduction = lossOptions(fn, opts, []);
  tensors(fn, { input, target });
  checkClassInput(fn, input);
  if (target.dtype !== 'int32')
    fail(fn, `target must be an int32 tensor of class indices, got ${target.dtype}`);
  checkSameShape(fn, 'input', input, 'target', target);
  const x = input.ndim === 1 ? input.unsqueeze(0) : input;
  const [N, C] = x.shape;
  const t = target.data;
  for (let i = 0; i < t.length; i++) {
    if (t[i] < -1 || t[i] >= C)
      fail(fn, `target ${t[i]} is out of range for ${C} classes (−1 ends a row's list)`);
  }
  // Targets of each row (up to the first −1) and a mask of the classes that are targets.
  const lists: number[][] = [];
  for (let n = 0; n < N; n++) {
    const list: number[] = [];
    for (let c = 0; c < C && t[n * C + c] >= 0; c++) list.push(t[n * C + c]);
    lists.push(list);
  }
  const K = Math.max(1, ...lists.map((l) => l.length));
  const index = new Int32Array(N * K);
  const pairMask = allocZeroed(x.dtype, N * K * C);
  for (let n = 0; n < N; n++) {
    const isTarget = new Set(lists[n]);
    lists[n].forEach((j, k) => {
      index[n * K + k] = j;
      for (let c = 0; c < C; c++) if (!isTarget.has(c)) pairMask[(n * K + k) * C + c] = 1;
    });
  }
  const xj = x.gather(1, new Tensor(index, [N, K])).reshape([N, K, 1]);
  // The hinge is strict (`z > 0`) in PyTorch's kernel, as relu's gradient is.
  const hinge = xj
    .neg()
    .add(1)
    .add(x.reshape([N, 1, C]))
    .relu();
  let loss = hinge
    .mul(new Tensor(pairMask, [N, K, C]))
    .sum([1, 2])
    .div(C);
  if (input.ndim === 1) loss = loss.reshape([]);
  return applyReduction(loss, reduction);
}

/** Options of {@link multilabelSoftMarginLoss}. */
export interface MultilabelSoftMarginLossOptions extends ReductionOptions {
  /** Per-class weight, broadcast against the input (no gradient). */
  weight?: Tensor | null;
}

/**
 * Multi-label soft margin loss:
 * `ℓ = −(1/C)·Σ_c w[c]·(y[c]·logσ(x[c]) + (1 − y[c])·logσ(−x[c]))` per sample.
 * Gradients to the input and the target.
 *
 * Matches `torch.nn.functional.multilabel_soft_margin_loss`. Difference: shapes must match.
 * @example F.multilabelSoftMarginLoss(x, tensor([[1, 0, 1]]))
 */
export function multilabelSoftMarginLoss(
  input: Tensor,
  target: Tensor,
  opts?: MultilabelSoftMarginLossOptions,
): Tensor {
  const fn = 'multilabelSoftMarginLoss';
  const reduction = lossOptions(fn, opts, ['weight']);
  tensors(fn, { input, target });
  checkFloating(fn, 'input', input);
  checkFloating(fn, 'target', target);
  checkSameShape(fn, 'input', input, 'target', target);
  if (input.ndim < 1)
    fail(fn, `input must have a class dimension, got shape ${formatShape(input.shape)}`);
  let loss = target
    .mul(unaryOp('logsigmoid', input))
    .add(target.neg().add(1).mul(unaryOp('logsigmoid', input.neg())))
    .neg();
  const w = opts?.weight;
  if (w) {
    checkTensor(fn, 'weight', w);
    checkFloating(fn, 'weight', w);
    loss = loss.mul(w.detach().to(loss.dtype));
  }
  const classDim = input.ndim - 1;
  loss = loss.sum(classDim).div(input.shape[classDim]);
  return applyReduction(loss, reduction);
}

/**
 * Cosine embedding loss: with `cos = x1·x2 / √((|x1|² + ε)(|x2|² + ε))`,
 * ε = 1e-12 (as a float32 constant, like PyTorch), `ℓ = 1 − cos` where y = 1 and `max(0, cos − margin)` where
 * y = −1 (default `margin` 0). Inputs `(N, D)` with target `(N)`, or `(D)`
 * with target `()`. Gradients to x1 and x2.
 *
 * Matches `torch.nn.functional.cosine_embedding_loss`.
 * @example F.cosineEmbeddingLoss(a, b, tensor([1, -1]))
 */
export function cosineEmbeddingLoss(
  x1: Tensor,
  x2: Tensor,
  target: Tensor,
  opts?: MarginOptions,
): Tensor {
  const fn = 'cosineEmbeddingLoss';
  const reduction = lossOptions(fn, opts, ['margin']);
  const margin = opts?.margin ?? 0;
  checkFinite(fn, 'margin', margin);
  tensors(fn, { input1: x1, input2: x2, target });
  checkFloating(fn, 'input1', x1);
  checkFloating(fn, 'input2', x2);
  checkSameShape(fn, 'input1', x1, 'input2', x2);
  if (target.ndim > 1)
    fail(fn, `target must be 0-D or 1-D, got shape ${formatShape(target.shape)}`);
  if (x1.ndim !== target.ndim + 1) {
    fail(
      fn,
      `a ${target.ndim}-D target expects ${target.ndim + 1}-D inputs, got input shape ${formatShape(x1.shape)}`,
    );
  }
  if (target.ndim === 1 && target.shape[0] !== x1.shape[0]) {
    fail(fn, `input batch size ${x1.shape[0]} does not match target batch size ${target.shape[0]}`);
  }
  const d = target.ndim;
  // PyTorch's EPSILON here is a float constant (1e-12f = 9.9999999600419720e-13).
  const EPSILON = Math.fround(1e-12);
  const prodSum = x1.mul(x2).sum(d);
  const mag1 = x1.mul(x1).sum(d).add(EPSILON);
  const mag2 = x2.mul(x2).sum(d).add(EPSILON);
  const cos = prodSum.div(mag1.mul(mag2).sqrt());
  const zeros = zerosLike(cos);
  const pos = cos.neg().add(1);
  const neg = cos.sub(margin).clamp(0);
  const out = where(target.eq(1), pos, zeros).add(where(target.eq(-1), neg, zeros));
  return applyReduction(out, reduction);
}

/** Options of {@link multiMarginLoss}. */
export interface MultiMarginLossOptions extends MarginOptions {
  /** 1 (default) or 2. */
  p?: number;
  /** Per-class weight of the target class, `(C)` (no gradient). */
  weight?: Tensor | null;
}

/**
 * Multi-class margin loss: `ℓ = Σ_{i ≠ y} w[y]·max(0, margin − x[y] + x[i])^p / C`
 * (defaults p = 1, margin = 1). Input `(C)` or `(N, C)`, int32 target `()`/`(1)` or `(N)`.
 * Gradient to the input.
 *
 * Matches `torch.nn.functional.multi_margin_loss`.
 * @example F.multiMarginLoss(x, tensor([2, 0], { dtype: 'int32' }), { p: 2 })
 */
export function multiMarginLoss(
  input: Tensor,
  target: Tensor,
  opts?: MultiMarginLossOptions,
): Tensor {
  const fn = 'multiMarginLoss';
  const reduction = lossOptions(fn, opts, ['p', 'margin', 'weight']);
  const p = opts?.p ?? 1;
  if (p !== 1 && p !== 2) fail(fn, `p must be 1 or 2, got ${String(p)}`);
  const margin = opts?.margin ?? 1;
  checkFinite(fn, 'margin', margin);
  tensors(fn, { input, target });
  checkClassInput(fn, input);
  if (target.dtype !== 'int32')
    fail(fn, `target must be an int32 tensor of class indices, got ${target.dtype}`);
  const N = input.ndim === 2 ? input.shape[0] : 1;
  const C = input.shape[input.ndim - 1];
  if (target.ndim > 1 || target.size !== N) {
    fail(
      fn,
      `target shape ${formatShape(target.shape)} does not match input shape ${formatShape(input.shape)} (one class index per row)`,
    );
  }
  const t = target.data;
  for (let i = 0; i < t.length; i++) {
    if (t[i] < 0 || t[i] >= C) fail(fn, `target ${t[i]} is out of range for ${C} classes`);
  }
  const w = opts?.weight;
  if (w) {
    checkTensor(fn, 'weight', w);
    checkFloating(fn, 'weight', w);
    if (w.ndim !== 1 || w.shape[0] !== C) {
      fail(
        fn,
        `weight of shape ${formatShape(w.shape)} should have one element per class (${C} classes)`,
      );
    }
  }
  const x = input.reshape([N, C]);
  const tt = new Tensor(Int32Array.from(t), [N, 1]);
  const notTarget = allocZeroed(x.dtype, N * C).fill(1);
  for (let n = 0; n < N; n++) notTarget[n * C + t[n]] = 0;
  // PyTorch's kernel counts a term only when z > 0 — relu's strict gradient.
  let h = x.sub(x.gather(1, tt)).add(margin).relu();
  if (p === 2) h = h.mul(h);
  if (w)
    h = h.mul(
      w
        .detach()
        .to(x.dtype)
        .indexSelect(0, tt.reshape([N]))
        .reshape([N, 1]),
    );
  let loss = h
    .mul(new Tensor(notTarget, [N, C]))
    .sum(1)
    .div(C);
  if (input.ndim === 1) loss = loss.reshape(target.ndim === 0 ? [] : [1]);
  return applyReduction(loss, reduction);
}

/** Options of {@link pairwiseDistance}. */
export interface PairwiseDistanceOptions {
  /** The norm's order (default 2). */
  p?: number;
  /** Added to the difference to avoid a zero norm (default 1e-6). */
  eps?: number;
  /** Keep the reduced last dimension (default false). */
  keepdim?: boolean;
}

/**
 * `‖x1 − x2 + eps‖_p` over the last dimension.
 *
 * Matches `torch.nn.functional.pairwise_distance` (p ≥ 1 or ∞). Difference: shapes must be equal.
 * @example F.pairwiseDistance(a, b) // shape [N]
 */
export function pairwiseDistance(
  x1: Tensor,
  x2: Tensor,
  opts: PairwiseDistanceOptions = {},
): Tensor {
  const fn = 'pairwiseDistance';
  tensors(fn, { x1, x2 });
  checkFloating(fn, 'x1', x1);
  checkFloating(fn, 'x2', x2);
  checkSameShape(fn, 'x1', x1, 'x2', x2);
  const p = opts.p ?? 2;
  const eps = opts.eps ?? 1e-6;
  if (typeof p !== 'number' || !(p > 0)) fail(fn, `p must be positive, got ${String(p)}`);
  checkFinite(fn, 'eps', eps);
  const diff = x1.sub(x2).add(eps);
  if (diff.ndim === 0) return diff.abs();
  const dim = diff.ndim - 1;
  const keep = opts.keepdim ?? false;
  if (p === Infinity) return diff.abs().amax(dim, keep);
  if (p === 1) return diff.abs().sum(dim, keep);
  if (p === 2) return diff.mul(diff).sum(dim, keep).sqrt();
  return diff
    .abs()
    .pow(p)
    .sum(dim, keep)
    .pow(1 / p);
}

/** Options of {@link tripletMarginLoss}. */
export interface TripletMarginLossOptions extends MarginOptions {
  /** The norm's order (default 2). */
  p?: number;
  /** Added inside the distance (default 1e-6). */
  eps?: number;
  /** Use the distance positive–negative when smaller (default false). */
  swap?: boolean;
}

function checkTriplet(fn: string, a: Tensor, pos: Tensor, neg: Tensor): void {
  tensors(fn, { anchor: a, positive: pos, negative: neg });
  for (const [k, t] of [
    ['anchor', a],
    ['positive', pos],
    ['negative', neg],
  ] as const) {
    checkFloating(fn, k, t);
    if (t.ndim !== 1 && t.ndim !== 2)
      fail(fn, `${k} must be (D) or (N, D), got shape ${formatShape(t.shape)}`);
  }
  if (!sameShape(a.shape, pos.shape) || !sameShape(a.shape, neg.shape)) {
    fail(
      fn,
      `anchor ${formatShape(a.shape)}, positive ${formatShape(pos.shape)} and negative ${formatShape(neg.shape)} must have the same shape`,
    );
  }
}

/**
 * Triplet margin loss: `ℓ = max(0, margin + d(a, p) − d(a, n))` with the
 * pairwise p-norm distance (defaults margin 1, p 2, eps 1e-6); with `swap`,
 * `d(a, n)` becomes `min(d(a, n), d(p, n))`. Gradients to all three inputs.
 *
 * Matches `torch.nn.functional.triplet_margin_loss`. Difference: shapes must be equal.
 * @example F.tripletMarginLoss(anchor, positive, negative, { margin: 0.5 })
 */
export function tripletMarginLoss(
  anchor: Tensor,
  positive: Tensor,
  negative: Tensor,
  opts?: TripletMarginLossOptions,
): Tensor {
  const fn = 'tripletMarginLoss';
  const reduction = lossOptions(fn, opts, ['margin', 'p', 'eps', 'swap']);
  const margin = opts?.margin ?? 1;
  checkFinite(fn, 'margin', margin);
  checkTriplet(fn, anchor, positive, negative);
  const dist = { p: opts?.p ?? 2, eps: opts?.eps ?? 1e-6 };
  const d1 = pairwiseDistance(anchor, positive, dist);
  let d2 = pairwiseDistance(anchor, negative, dist);
  if (opts?.swap) d2 = d2.minimum(pairwiseDistance(positive, negative, dist));
  return applyReduction(d1.add(margin).sub(d2).clamp(0), reduction);
}

/** Options of {@link tripletMarginWithDistanceLoss}. */
export interface TripletMarginWithDistanceLossOptions extends MarginOptions {
  /** Distance between two batches of embeddings (default {@link pairwiseDistance}). */
  distanceFunction?: ((x1: Tensor, x2: Tensor) => Tensor) | null;
  /** Use the distance positive–negative when smaller (default false). */
  swap?: boolean;
}

/**
 * Triplet loss with a custom distance: `ℓ = max(0, margin + d(a, p) − d(a, n))`
 * (margin > 0, default 1). Gradients to all three inputs through `d`.
 *
 * Matches `torch.nn.functional.triplet_margin_with_distance_loss`.
 * @example F.tripletMarginWithDistanceLoss(a, p, n, { distanceFunction: (x, y) => F.l1Loss(x, y, { reduction: 'none' }).sum(1) })
 */
export function tripletMarginWithDistanceLoss(
  anchor: Tensor,
  positive: Tensor,
  negative: Tensor,
  opts?: TripletMarginWithDistanceLossOptions,
): Tensor {
  const fn = 'tripletMarginWithDistanceLoss';
  const reduction = lossOptions(fn, opts, ['distanceFunction', 'margin', 'swap']);
  const margin = opts?.margin ?? 1;
  checkFinite(fn, 'margin', margin);
  if (margin <= 0) fail(fn, `margin must be greater than 0, got ${margin}`);
  checkTriplet(fn, anchor, positive, negative);
  const d = opts?.distanceFunction ?? ((a: Tensor, b: Tensor) => pairwiseDistance(a, b));
  if (typeof d !== 'function') fail(fn, `distanceFunction must be a function, got ${typeof d}`);
  const dPos = d(anchor, positive);
  let dNeg = d(anchor, negative);
  if (opts?.swap) dNeg = dNeg.minimum(d(positive, negative));
  if (!(dPos instanceof Tensor) || !isFloating(dPos.dtype))
    fail(fn, 'distanceFunction must return a floating-point Tensor');
  return applyReduction(dPos.add(margin).sub(dNeg).clamp(0), reduction);
}
