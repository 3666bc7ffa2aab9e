/**
 * Margin and embedding losses, composed from differentiable tensor ops in
 * the same order as PyTorch's composite implementations, so that the
 * gradients (including at the hinge) come out as PyTorch's. Signatures,
 * defaults and docs: src/registry/losses.ts.
 */
import { Tensor } from '../../tensor/tensor.js';
import { allocZeroed, isFloating } from '../../tensor/dtype.js';
import { checkShape } from '../../tensor/checks.js';
import { formatShape, sameShape } from '../../tensor/shape.js';
import { where } from '../../ops/index-ops.js';
import { unaryOp } from '../../ops/elementwise/apply.js';
import { checkFloating, checkSameShape, fail } from '../validate.js';
import { applyReduction, broadcastAll, type Reduction } from './common.js';
import { pairwiseDistanceImpl } from '../distance.js';

function zerosLike(t: Tensor): Tensor {
  return new Tensor(allocZeroed(t.dtype, t.size), t.shape);
}

export function marginRankingLossImpl(a: {
  input1: Tensor;
  input2: Tensor;
  target: Tensor;
  margin: number;
  reduction: Reduction;
}): Tensor {
  const fn = 'marginRankingLoss';
  const { input1: x1, input2: x2, target } = a;
  checkFloating(fn, 'input1', x1);
  checkFloating(fn, 'input2', x2);
  // PyTorch requires equal ranks, then broadcasts.
  if (x1.ndim !== x2.ndim || x1.ndim !== target.ndim) {
    fail(
      fn,
      `input1 ${formatShape(x1.shape)}, input2 ${formatShape(x2.shape)} and target ${formatShape(target.shape)} must have the same number of dimensions`,
    );
  }
  broadcastAll(fn, { input1: x1, input2: x2, target });
  return applyReduction(target.neg().mul(x1.sub(x2)).add(a.margin).clamp(0), a.reduction);
}

export function hingeEmbeddingLossImpl(a: {
  input: Tensor;
  target: Tensor;
  margin: number;
  reduction: Reduction;
}): Tensor {
  const fn = 'hingeEmbeddingLoss';
  const { input, target, margin } = a;
  checkFloating(fn, 'input', input);
  broadcastAll(fn, { input, target });
  const zeros = zerosLike(input);
  const marginClamp = input.neg().add(margin).clamp(0);
  const outMargin = where(target.ne(1), marginClamp, zeros);
  const outSelf = where(target.ne(-1), input, zeros);
  return applyReduction(outMargin.add(outSelf), a.reduction);
}

/** Class dimension layout of the multi-label/multi-class losses: `(C)` or `(N, C)`. */
function checkClassInput(fn: string, input: Tensor): void {
  checkFloating(fn, 'input', input);
  if (input.ndim !== 1 && input.ndim !== 2) {
    fail(fn, `input must be (C) or (N, C), got shape ${formatShape(input.shape)}`);
  }
}

export function multilabelMarginLossImpl(a: {
  input: Tensor;
  target: Tensor;
  reduction: Reduction;
}): Tensor {
  const fn = 'multilabelMarginLoss';
  const { input, target } = a;
  checkFloating(fn, 'input', input);
  if (target.dtype !== 'int32')
    fail(fn, `target must be an int32 tensor of class indices, got ${target.dtype}`);
  if (input.ndim === 0) return zeroLossOf0d(fn, input, target, a.reduction);
  checkClassInput(fn, input);
  checkSameShape(fn, 'input', input, 'target', target);
  const x = input.ndim === 1 ? input.unsqueeze(0) : input;
  const [N, C] = x.shape;
  // One loss per row: refused before looping over 2^40 rows of an empty [2^40, 0] input.
  checkShape(fn, [N], x.dtype, 'result shape');
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
  return applyReduction(loss, a.reduction);
}

/**
 * The multi-class margin losses of a 0-d input: one class, so no other class
 * to compare with — the loss is 0 with a zero gradient, as PyTorch gives.
 */
function zeroLossOf0d(fn: string, input: Tensor, target: Tensor, reduction: Reduction): Tensor {
  if (target.size !== 1)
    fail(
      fn,
      `a 0-d input takes a single class index, got target shape ${formatShape(target.shape)}`,
    );
  const t = target.data[0];
  if (t !== 0 && !(fn === 'multilabelMarginLoss' && t === -1))
    fail(fn, `target ${t} is out of range for 1 class`);
  const loss = input.mul(0);
  return reduction === 'none' ? loss : applyReduction(loss, reduction);
}

export function multilabelSoftMarginLossImpl(a: {
  input: Tensor;
  target: Tensor;
  weight: Tensor | null;
  reduction: Reduction;
}): Tensor {
  const fn = 'multilabelSoftMarginLoss';
  const { input, target } = a;
  checkFloating(fn, 'input', input);
  checkFloating(fn, 'target', target);
  checkSameShape(fn, 'input', input, 'target', target);
  if (input.ndim < 1)
    fail(fn, `input must have a class dimension, got shape ${formatShape(input.shape)}`);
  let loss = target
    .mul(unaryOp('logsigmoid', input))
    .add(target.neg().add(1).mul(unaryOp('logsigmoid', input.neg())))
    .neg();
  const w = a.weight;
  if (w) {
    checkFloating(fn, 'weight', w);
    loss = loss.mul(w.detach().to(loss.dtype));
  }
  const classDim = input.ndim - 1;
  loss = loss.sum(classDim).div(input.shape[classDim]);
  return applyReduction(loss, a.reduction);
}

export function cosineEmbeddingLossImpl(a: {
  input1: Tensor;
  input2: Tensor;
  target: Tensor;
  margin: number;
  reduction: Reduction;
}): Tensor {
  const fn = 'cosineEmbeddingLoss';
  const { input1: x1, input2: x2, target, margin } = a;
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
  return applyReduction(out, a.reduction);
}

export function multiMarginLossImpl(a: {
  input: Tensor;
  target: Tensor;
  p: number;
  margin: number;
  weight: Tensor | null;
  reduction: Reduction;
}): Tensor {
  const fn = 'multiMarginLoss';
  const { input, target, p, margin } = a;
  if (p !== 1 && p !== 2) fail(fn, `p must be 1 or 2, got ${p}`);
  checkFloating(fn, 'input', input);
  if (target.dtype !== 'int32')
    fail(fn, `target must be an int32 tensor of class indices, got ${target.dtype}`);
  if (input.ndim === 0) return zeroLossOf0d(fn, input, target, a.reduction);
  checkClassInput(fn, input);
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
  const w = a.weight;
  if (w) {
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
  return applyReduction(loss, a.reduction);
}

function checkTriplet(fn: string, a: Tensor, pos: Tensor, neg: Tensor): void {
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

interface Triplet {
  anchor: Tensor;
  positive: Tensor;
  negative: Tensor;
  margin: number;
  swap: boolean;
  reduction: Reduction;
}

export function tripletMarginLossImpl(a: Triplet & { p: number; eps: number }): Tensor {
  const fn = 'tripletMarginLoss';
  const { anchor, positive, negative } = a;
  checkTriplet(fn, anchor, positive, negative);
  const dist = (x1: Tensor, x2: Tensor) =>
    pairwiseDistanceImpl({ x1, x2, p: a.p, eps: a.eps, keepdim: false });
  const d1 = dist(anchor, positive);
  let d2 = dist(anchor, negative);
  if (a.swap) d2 = d2.minimum(dist(positive, negative));
  return applyReduction(d1.add(a.margin).sub(d2).clamp(0), a.reduction);
}

export function tripletMarginWithDistanceLossImpl(
  a: Triplet & { distanceFunction: ((x1: Tensor, x2: Tensor) => Tensor) | null },
): Tensor {
  const fn = 'tripletMarginWithDistanceLoss';
  const { anchor, positive, negative } = a;
  if (a.margin <= 0) fail(fn, `margin must be greater than 0, got ${a.margin}`);
  checkTriplet(fn, anchor, positive, negative);
  const d =
    a.distanceFunction ??
    ((x1: Tensor, x2: Tensor) => pairwiseDistanceImpl({ x1, x2, p: 2, eps: 1e-6, keepdim: false }));
  const dPos = d(anchor, positive);
  let dNeg = d(anchor, negative);
  if (a.swap) dNeg = dNeg.minimum(d(positive, negative));
  for (const t of [dPos, dNeg]) {
    if (!(t instanceof Tensor) || !isFloating(t.dtype))
      fail(fn, 'distanceFunction must return a floating-point Tensor');
  }
  return applyReduction(dPos.add(a.margin).sub(dNeg).clamp(0), a.reduction);
}
