/**
 * nnkit's `derivatives.yaml`: the backward rule of every differentiable op
 * that is not an elementwise-table entry (those carry their derivatives in
 * src/ops/elementwise/table.ts), keyed by op name. The key is also the
 * node's name (`grad_fn=<SumBackward0>` for `sum`), so the printed name and
 * the rule come from one place. Each entry declares the tensors its backward
 * reads (`saves`, version-checked before it runs) and the backward as a
 * function of the output's gradient and the context the forward saved; its
 * doc comment gives the formula, and names the forward's file.
 *
 * A forward records its node with {@link recordOp} (or
 * {@link commitInplaceOp} after an in-place write), passing the context
 * typed by its entry. The rules live in the autograd layer: they call
 * Tensor methods (installed by the ops layer) and `dispatch`, never an
 * ops or functional module; what they need from the forward is in the context.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { commitInplace, needsGrad, record } from '../node.js';
import type { Derivative, Derivatives } from './rule.js';
import { SHAPE, type ShapeContexts } from './shape.js';
import { INDEXING, type IndexingContexts } from './indexing.js';
import { LINALG, type LinalgContexts } from './linalg.js';
import { REDUCE, type ReduceContexts } from './reduce.js';
import { SOFTMAX, type SoftmaxContexts } from './softmax.js';
import { ACTIVATIONS, type ActivationContexts } from './activations.js';
import { LOSSES, type LossContexts } from './losses.js';
import { CTC, type CtcContexts } from './ctc.js';
import { DISTANCE, type DistanceContexts } from './distance.js';
import { CHEBYSHEV, type ChebyshevContexts } from './chebyshev.js';
import { MATH, type MathContexts } from './math.js';
import { NORM, type NormContexts } from './norm.js';
import { WINDOWS, type WindowContexts } from './windows.js';

export type { Derivative } from './rule.js';
export type { SoftmaxName } from './softmax.js';
export type { NormOp } from './norm.js';
export type { Boxes, Windows } from './windows.js';

/** Each op's saved context, by op name. */
export interface OpContexts
  extends
    ShapeContexts,
    IndexingContexts,
    LinalgContexts,
    ReduceContexts,
    SoftmaxContexts,
    ActivationContexts,
    LossContexts,
    CtcContexts,
    DistanceContexts,
    ChebyshevContexts,
    MathContexts,
    NormContexts,
    WindowContexts {}

/** The name of an op with an entry in {@link DERIVATIVES}. */
export type OpName = keyof OpContexts;

/**
 * Every backward rule outside the elementwise table, by op name:
 * shape ops (./shape.ts), indexing (./indexing.ts), matmul (./linalg.ts),
 * reductions (./reduce.ts), the softmax family (./softmax.ts), RReLU in
 * place (./activations.ts), the fused losses (./losses.ts, ./ctc.ts), the
 * Euclidean norm (./distance.ts), the Chebyshev activation (./chebyshev.ts),
 * sin, cos and round (./math.ts), layer normalization (./norm.ts) and
 * im2col and col2im, box sums and spreads (./windows.ts).
 */
export const DERIVATIVES: Derivatives<OpContexts> = {
  ...SHAPE,
  ...INDEXING,
  ...LINALG,
  ...REDUCE,
  ...SOFTMAX,
  ...ACTIVATIONS,
  ...LOSSES,
  ...CTC,
  ...DISTANCE,
  ...CHEBYSHEV,
  ...MATH,
  ...NORM,
  ...WINDOWS,
};

function savedBy<C>(d: Derivative<C>, ctx: C, inputs: readonly (Tensor | null)[]) {
  return d.saves === 'inputs' ? inputs : d.saves === 'nothing' ? [] : d.saves(ctx);
}

/**
 * Makes `out` the result of op `name` on `inputs` (if gradients are being
 * recorded and some input requires them), with the backward of
 * `DERIVATIVES[name]` on the context `ctx`; returns `out`.
 */
export function recordOp<K extends OpName>(
  out: Tensor,
  name: K,
  inputs: readonly (Tensor | null)[],
  ctx: OpContexts[K],
): Tensor {
  if (!needsGrad(...inputs)) return out;
  const d: Derivative<OpContexts[K]> = DERIVATIVES[name];
  return record(out, name, inputs, savedBy(d, ctx, inputs), (g, final) =>
    d.backward(g, ctx, final),
  );
}

/**
 * Records that `x` was written in place by op `name` (see `commitInplace`):
 * with a context (gradients are recorded), `x`'s new history is
 * `DERIVATIVES[name]` applied to `x` as it was; with `null`, only the
 * version is bumped.
 */
export function commitInplaceOp<K extends OpName>(
  x: Tensor,
  name: K,
  ctx: OpContexts[K] | null,
): void {
  if (ctx === null) {
    commitInplace(x, name, null);
    return;
  }
  const d: Derivative<OpContexts[K]> = DERIVATIVES[name];
  const saved = savedBy(d, ctx, []).filter((t): t is Tensor => t !== null);
  commitInplace(x, name, (g, final) => d.backward(g, ctx, final), saved);
}
