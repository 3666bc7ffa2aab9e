/**
 * Cross-entropy and NLL on a few rows of logits, with class weights, ignoreIndex and label
 * smoothing; the gradient per logit comes from autograd.
 */
import { F, tensor } from 'nnkit';

export interface CeInput {
  logits: number[][];
  targets: number[];
  weights: number[];
  /** -100 (PyTorch's default) ignores nothing here. */
  ignoreIndex: number;
  labelSmoothing: number;
  reduction: 'mean' | 'sum' | 'none';
}

export interface CeResult {
  /** The loss: one number, or one per row for 'none'. */
  loss: number[];
  /** F.nllLoss(F.logSoftmax(x, 1), …) with the same weights, ignoreIndex and reduction. */
  nll: number[];
  /** ∂(Σ loss)/∂logits, row by row. */
  grad: number[][];
  probs: number[][];
}

export function crossEntropy(inp: CeInput): CeResult {
  const c = inp.logits[0].length;
  const x = tensor(inp.logits, { requiresGrad: true });
  const t = tensor(inp.targets, { dtype: 'int32' });
  const weight = tensor(inp.weights);
  const loss = F.crossEntropy(x, t, {
    weight,
    ignoreIndex: inp.ignoreIndex,
    labelSmoothing: inp.labelSmoothing,
    reduction: inp.reduction,
  });
  loss.sum().backward();
  const nll = F.nllLoss(F.logSoftmax(x.detach(), 1), t, {
    weight,
    ignoreIndex: inp.ignoreIndex,
    reduction: inp.reduction,
  });
  const g = Array.from(x.grad?.data ?? []);
  const p = Array.from(F.softmax(x.detach(), 1).data);
  const rows = (a: number[]): number[][] => inp.logits.map((_r, i) => a.slice(i * c, (i + 1) * c));
  return { loss: Array.from(loss.data), nll: Array.from(nll.data), grad: rows(g), probs: rows(p) };
}
