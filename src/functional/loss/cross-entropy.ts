/**
 * Cross-entropy and negative log-likelihood, on the fused kernels of
 * `kernels/js/loss-kernels.ts` (or the active backend's versions).
 */
import { Tensor } from '../../tensor/tensor.js';
import { allocUninit, allocZeroed, isFloating } from '../../tensor/dtype.js';
import { formatShape, sameShape, sizeOf } from '../../tensor/shape.js';
import { needsGrad } from '../../autograd/node.js';
import { recordOp } from '../../autograd/derivatives/index.js';
import { dispatch } from '../../kernels/backend.js';
import type { Floats } from '../../kernels/js/types.js';
import { checkFloating, fail } from '../validate.js';
import type { Reduction } from './common.js';

interface NllArgs {
  input: Tensor;
  target: Tensor;
  weight: Tensor | null;
  ignoreIndex: number;
  reduction: Reduction;
}

interface Layout {
  outer: number;
  C: number;
  inner: number;
  /** Shape of the per-position loss ('none' output). */
  lossShape: number[];
}

function layoutOf(input: Tensor): Layout {
  if (input.ndim === 1) return { outer: 1, C: input.shape[0], inner: 1, lossShape: [] };
  const [N, C, ...rest] = input.shape;
  return { outer: N, C, inner: sizeOf(rest), lossShape: [N, ...rest] };
}

function checkInput(fn: string, input: Tensor): void {
  checkFloating(fn, 'input', input);
  if (input.ndim < 1)
    fail(
      fn,
      `input must have at least 1 dimension (C), (N, C) or (N, C, d1, ..., dk), got shape ${formatShape(input.shape)}`,
    );
}

function checkWeight(fn: string, weight: Tensor | null, C: number): Floats | null {
  if (weight === null) return null;
  checkFloating(fn, 'weight', weight);
  if (weight.ndim !== 1 || weight.shape[0] !== C) {
    fail(
      fn,
      `weight of shape ${formatShape(weight.shape)} should have one element per class (${C} classes)`,
    );
  }
  return weight.data as Floats;
}

/** Checks a class-index target against the input's layout, including every value. */
function checkIndexTarget(
  fn: string,
  input: Tensor,
  target: Tensor,
  lay: Layout,
  ignoreIndex: number,
): void {
  if (target.dtype !== 'int32') {
    fail(
      fn,
      `target must be an int32 tensor of class indices, got ${target.dtype}${fn === 'crossEntropy' ? ` of shape ${formatShape(target.shape)} (class probabilities must have the input's shape ${formatShape(input.shape)})` : ''}`,
    );
  }
  if (input.ndim >= 2 && target.ndim >= 1 && target.shape[0] !== input.shape[0]) {
    fail(
      fn,
      `input batch size ${input.shape[0]} does not match target batch size ${target.shape[0]}`,
    );
  }
  if (!sameShape(target.shape, lay.lossShape)) {
    fail(
      fn,
      `target shape ${formatShape(target.shape)} does not match input shape ${formatShape(input.shape)} (expected target shape ${formatShape(lay.lossShape)})`,
    );
  }
  const t = target.data;
  for (let i = 0; i < t.length; i++) {
    const v = t[i];
    if (v !== ignoreIndex && (v < 0 || v >= lay.C)) {
      fail(fn, `target ${v} is out of range for ${lay.C} classes`);
    }
  }
}

/** Reduces per-position losses held in `loss` (a typed array of the input's dtype). */
function reduceLoss(loss: Floats, lay: Layout, reduction: string, divisor: number): Tensor {
  if (reduction === 'none') return new Tensor(loss, lay.lossShape);
  let s = 0;
  for (let i = 0; i < loss.length; i++) s += loss[i];
  const out = allocUninit(loss instanceof Float32Array ? 'float32' : 'float64', 1);
  out[0] = reduction === 'mean' ? s / divisor : s;
  return new Tensor(out, []);
}

/** Negative log-likelihood on the fused kernels (signature and docs: the registry). */
export function nllLossImpl(a: NllArgs): Tensor {
  const fn = 'nllLoss';
  const { input, target, ignoreIndex, reduction } = a;
  checkInput(fn, input);
  const lay = layoutOf(input);
  const weight = checkWeight(fn, a.weight, lay.C);
  checkIndexTarget(fn, input, target, lay, ignoreIndex);

  const { outer, C, inner } = lay;
  const x = input.data as Floats;
  const t = target.data as Int32Array;
  const loss = allocUninit(input.dtype, outer * inner) as Floats;
  const total = dispatch('nllForward', outer, C, inner, x, t, weight, ignoreIndex, loss);
  const divisor = reduction === 'mean' ? total : 1;
  const out = reduceLoss(loss, lay, reduction, divisor);
  if (!needsGrad(input)) return out;
  return recordOp(out, 'nllLoss', [input], {
    input,
    outer,
    C,
    inner,
    target: t,
    weight,
    ignoreIndex,
    reduction,
    divisor,
  });
}

/**
 * Cross-entropy on the fused kernels (signature and docs: the registry).
 * `consumesInput` (internal, never from the public binding): the caller
 * hands over `input` as scratch that nothing else holds or saved, and the
 * final backward writes the gradient into it (see the derivative).
 */
export function crossEntropyImpl(
  a: NllArgs & { labelSmoothing: number },
  consumesInput = false,
): Tensor {
  const fn = 'crossEntropy';
  const { input, target, ignoreIndex, reduction, labelSmoothing: eps } = a;
  checkInput(fn, input);
  const lay = layoutOf(input);
  const weight = checkWeight(fn, a.weight, lay.C);
  if (isFloating(target.dtype) && sameShape(target.shape, input.shape)) {
    if (ignoreIndex !== -100) {
      fail(
        fn,
        `ignoreIndex (${ignoreIndex}) is not supported for class-probability (floating) targets`,
      );
    }
    return crossEntropyProb(input, target, lay, weight, eps, reduction);
  }
  checkIndexTarget(fn, input, target, lay, ignoreIndex);

  const { outer, C, inner } = lay;
  const x = input.data as Floats;
  const t = target.data as Int32Array;
  const loss = allocUninit(input.dtype, outer * inner) as Floats;
  const lse = allocZeroed('float64', 2 * outer * inner);
  const total = dispatch(
    'crossEntropyForward',
    outer,
    C,
    inner,
    x,
    t,
    weight,
    ignoreIndex,
    eps,
    loss,
    lse,
  );
  const divisor = reduction === 'mean' ? total : 1;
  const out = reduceLoss(loss, lay, reduction, divisor);
  if (!needsGrad(input)) return out;
  return recordOp(out, 'crossEntropy', [input], {
    kind: 'index',
    input,
    outer,
    C,
    inner,
    x,
    target: t,
    weight,
    ignoreIndex,
    labelSmoothing: eps,
    lse,
    reduction,
    divisor,
    consumesInput,
  });
}

/**
 * Per-row cross-entropy (class-index targets, no weight, reduction 'none').
 * `handedOver`: the caller made the scores for this alone and hands them
 * over, and the final backward writes the gradient over them instead of
 * into a new array (AdaptiveLogSoftmaxWithLoss hands over the logits of
 * its own Linear layers, which nothing else sees).
 */
export function rowCrossEntropy(scores: Tensor, target: Tensor, handedOver: boolean): Tensor {
  return crossEntropyImpl(
    {
      input: scores,
      target,
      weight: null,
      ignoreIndex: -100,
      reduction: 'none',
      labelSmoothing: 0,
    },
    handedOver,
  );
}

function crossEntropyProb(
  input: Tensor,
  target: Tensor,
  lay: Layout,
  weight: Floats | null,
  eps: number,
  reduction: string,
): Tensor {
  const { outer, C, inner } = lay;
  const x = input.data as Floats;
  const tp = target.data as Floats;
  const loss = allocUninit(input.dtype, outer * inner) as Floats;
  const lse = allocZeroed('float64', 2 * outer * inner);
  dispatch('crossEntropyProbForward', outer, C, inner, x, tp, weight, eps, loss, lse);
  const divisor = reduction === 'mean' ? outer * inner : 1;
  const out = reduceLoss(loss, lay, reduction, divisor);
  if (!needsGrad(input, target)) return out;
  return recordOp(out, 'crossEntropy', [input, target], {
    kind: 'probability',
    input,
    target,
    outer,
    C,
    inner,
    x,
    probs: tp,
    weight,
    labelSmoothing: eps,
    lse,
    reduction,
    divisor,
  });
}
