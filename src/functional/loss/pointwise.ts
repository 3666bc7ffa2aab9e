/**
 * Pointwise losses: each is one entry of the elementwise table
 * (`ops/elementwise/table.ts`, "losses" section) followed by a reduction,
 * so every backend runs them and their gradients follow PyTorch's kernels.
 * Signatures, defaults and docs: src/registry/losses.ts.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { binaryOp, binaryReduceOp } from '../../ops/elementwise/apply.js';
import type { BinaryName } from '../../ops/elementwise/table.js';
import { fail } from '../validate.js';
import { applyReduction, checkBroadcastWeight, checkPair, type Reduction } from './common.js';

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

interface Pair {
  input: Tensor;
  target: Tensor;
  reduction: Reduction;
}

export function mseLossImpl(a: Pair): Tensor {
  checkPair('mseLoss', a.input, a.target);
  return pointwiseLoss('squaredError', a.input, a.target, [], a.reduction);
}

export function l1LossImpl(a: Pair): Tensor {
  checkPair('l1Loss', a.input, a.target);
  return pointwiseLoss('absError', a.input, a.target, [], a.reduction);
}

export function smoothL1LossImpl(a: Pair & { beta: number }): Tensor {
  checkPair('smoothL1Loss', a.input, a.target);
  return pointwiseLoss('smoothL1', a.input, a.target, [a.beta], a.reduction);
}

export function huberLossImpl(a: Pair & { delta: number }): Tensor {
  checkPair('huberLoss', a.input, a.target);
  return pointwiseLoss('huber', a.input, a.target, [a.delta], a.reduction);
}

export function klDivImpl(a: {
  input: Tensor;
  target: Tensor;
  reduction: Reduction | 'batchmean';
  logTarget: boolean;
}): Tensor {
  checkPair('klDiv', a.input, a.target);
  const name = a.logTarget ? 'klDivLogTarget' : 'klDiv';
  if (a.reduction === 'batchmean') {
    const s = pointwiseLoss(name, a.input, a.target, [], 'sum');
    return a.input.ndim === 0 ? s : s.div(a.input.shape[0]);
  }
  return pointwiseLoss(name, a.input, a.target, [], a.reduction);
}

function checkUnitInterval(fn: string, arg: string, t: Tensor): void {
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    if (!(d[i] >= 0 && d[i] <= 1))
      fail(fn, `every element of ${arg} must be in [0, 1], got ${d[i]}`);
  }
}

export function binaryCrossEntropyImpl(a: Pair & { weight: Tensor | null }): Tensor {
  const fn = 'binaryCrossEntropy';
  const { input, target, weight } = a;
  checkPair(fn, input, target);
  checkBroadcastWeight(fn, 'weight', weight, input.shape);
  checkUnitInterval(fn, 'input', input);
  checkUnitInterval(fn, 'target', target);
  if (!weight) return pointwiseLoss('bce', input, target, [], a.reduction);
  const loss = binaryOp('bce', input, target);
  return applyReduction(loss.mul(weight.detach().to(loss.dtype)), a.reduction);
}

export function binaryCrossEntropyWithLogitsImpl(
  a: Pair & { weight: Tensor | null; posWeight: Tensor | null },
): Tensor {
  const fn = 'binaryCrossEntropyWithLogits';
  const { input, target, weight, posWeight } = a;
  checkPair(fn, input, target);
  checkBroadcastWeight(fn, 'weight', weight, input.shape);
  checkBroadcastWeight(fn, 'posWeight', posWeight, input.shape);
  if (!weight && !posWeight) {
    return pointwiseLoss('bceWithLogits', input, target, [], a.reduction);
  }
  let loss: Tensor;
  if (posWeight) {
    const logWeight = posWeight.detach().to(input.dtype).sub(1).mul(target).add(1);
    loss = target
      .neg()
      .add(1)
      .mul(input)
      .add(binaryOp('bceLogitsWeightedSoftplus', input, logWeight));
  } else {
    loss = binaryOp('bceWithLogits', input, target);
  }
  if (weight) loss = loss.mul(weight.detach().to(loss.dtype));
  return applyReduction(loss, a.reduction);
}

export function softMarginLossImpl(a: Pair): Tensor {
  checkPair('softMarginLoss', a.input, a.target);
  return pointwiseLoss('softMargin', a.input, a.target.detach(), [], a.reduction);
}
