/**
 * Loss modules: PyTorch's `torch.nn.*Loss` classes. Each stores its options
 * (class weights as buffers, so `to(dtype)` and state dicts see them, as in
 * PyTorch) and calls the functional form; the formulas live in `F`.
 */
import type { Tensor } from '../tensor/tensor.js';
import * as L from '../functional/loss.js';
import { Module } from './module.js';

type Opts = object;

/** Base of the loss modules: holds the options, registers tensor options as buffers. */
abstract class Loss<O extends Opts> extends Module {
  protected readonly opts: O;
  constructor(
    opts: O | undefined,
    buffers: readonly (keyof O & string)[],
    private readonly bufferNames: Readonly<Record<string, string>> = {},
  ) {
    super();
    this.opts = { ...(opts ?? ({} as O)) };
    for (const k of buffers) {
      const t = this.opts[k] as unknown as Tensor | null | undefined;
      if (t) this.registerBuffer(this.bufferNames[k] ?? k, t);
    }
  }
  /** The options with buffers read back (they may have been converted by `to(dtype)`). */
  protected options(): O {
    const o: Record<string, unknown> = { ...(this.opts as object) };
    for (const [n, b] of this.namedBuffers()) {
      const key = Object.keys(this.bufferNames).find((k) => this.bufferNames[k] === n) ?? n;
      o[key] = b;
    }
    return o as O;
  }
}

/** Mean squared error. Matches `torch.nn.MSELoss`. @example new nn.MSELoss().forward(pred, y) */
export class MSELoss extends Loss<L.ReductionOptions> {
  constructor(opts?: L.ReductionOptions) {
    super(opts, []);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.mseLoss(input, target, this.options());
  }
}

/** Mean absolute error. Matches `torch.nn.L1Loss`. @example new nn.L1Loss({ reduction: 'sum' }) */
export class L1Loss extends Loss<L.ReductionOptions> {
  constructor(opts?: L.ReductionOptions) {
    super(opts, []);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.l1Loss(input, target, this.options());
  }
}

/** Smooth L1 with `beta` (default 1). Matches `torch.nn.SmoothL1Loss`. @example new nn.SmoothL1Loss({ beta: 0.5 }) */
export class SmoothL1Loss extends Loss<L.SmoothL1LossOptions> {
  constructor(opts?: L.SmoothL1LossOptions) {
    super(opts, []);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.smoothL1Loss(input, target, this.options());
  }
}

/** Huber loss with `delta` (default 1). Matches `torch.nn.HuberLoss`. @example new nn.HuberLoss({ delta: 2 }) */
export class HuberLoss extends Loss<L.HuberLossOptions> {
  constructor(opts?: L.HuberLossOptions) {
    super(opts, []);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.huberLoss(input, target, this.options());
  }
}

/**
 * Negative log-likelihood on log-probabilities, with `weight` (a buffer),
 * `ignoreIndex` (-100) and `reduction`. Matches `torch.nn.NLLLoss`.
 * @example new nn.NLLLoss({ weight: tensor([1, 2, 1]) }).forward(logp, target)
 */
export class NLLLoss extends Loss<L.NllLossOptions> {
  constructor(opts?: L.NllLossOptions) {
    super(opts, ['weight']);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.nllLoss(input, target, this.options());
  }
}

/**
 * Cross-entropy on logits with class-index or class-probability targets,
 * `weight` (a buffer), `ignoreIndex` (-100), `labelSmoothing` (0) and
 * `reduction`. Matches `torch.nn.CrossEntropyLoss`; a `labelSmoothing`
 * outside [0, 1] throws (PyTorch ignores a negative one).
 * @example new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).forward(logits, target)
 */
export class CrossEntropyLoss extends Loss<L.CrossEntropyOptions> {
  constructor(opts?: L.CrossEntropyOptions) {
    super(opts, ['weight']);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.crossEntropy(input, target, this.options());
  }
}

/**
 * Kullback–Leibler divergence with `reduction` (incl. 'batchmean') and
 * `logTarget`. Matches `torch.nn.KLDivLoss`.
 * @example new nn.KLDivLoss({ reduction: 'batchmean' }).forward(logq, p)
 */
export class KLDivLoss extends Loss<L.KlDivOptions> {
  constructor(opts?: L.KlDivOptions) {
    super(opts, []);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.klDiv(input, target, this.options());
  }
}

/** Binary cross-entropy on probabilities, with `weight` (a buffer). Matches `torch.nn.BCELoss`. @example new nn.BCELoss().forward(p, y) */
export class BCELoss extends Loss<L.BinaryCrossEntropyOptions> {
  constructor(opts?: L.BinaryCrossEntropyOptions) {
    super(opts, ['weight']);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.binaryCrossEntropy(input, target, this.options());
  }
}

/**
 * Binary cross-entropy on logits, with `weight` and `posWeight` (buffers
 * `weight` and `pos_weight`, PyTorch's names). Matches `torch.nn.BCEWithLogitsLoss`.
 * @example new nn.BCEWithLogitsLoss({ posWeight: tensor([2, 1, 1]) }).forward(logits, y)
 */
export class BCEWithLogitsLoss extends Loss<L.BinaryCrossEntropyWithLogitsOptions> {
  constructor(opts?: L.BinaryCrossEntropyWithLogitsOptions) {
    super(opts, ['weight', 'posWeight'], { posWeight: 'pos_weight' });
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.binaryCrossEntropyWithLogits(input, target, this.options());
  }
}

/** Soft margin loss `log(1 + exp(−y·x))`. Matches `torch.nn.SoftMarginLoss`. @example new nn.SoftMarginLoss().forward(x, y) */
export class SoftMarginLoss extends Loss<L.ReductionOptions> {
  constructor(opts?: L.ReductionOptions) {
    super(opts, []);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.softMarginLoss(input, target, this.options());
  }
}

/** Margin ranking loss `max(0, −y·(x1 − x2) + margin)`. Matches `torch.nn.MarginRankingLoss`. @example new nn.MarginRankingLoss({ margin: 0.5 }).forward(x1, x2, y) */
export class MarginRankingLoss extends Loss<L.MarginOptions> {
  constructor(opts?: L.MarginOptions) {
    super(opts, []);
  }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return L.marginRankingLoss(input1, input2, target, this.options());
  }
}

/** Hinge embedding loss. Matches `torch.nn.HingeEmbeddingLoss`. @example new nn.HingeEmbeddingLoss({ margin: 2 }).forward(d, y) */
export class HingeEmbeddingLoss extends Loss<L.MarginOptions> {
  constructor(opts?: L.MarginOptions) {
    super(opts, []);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.hingeEmbeddingLoss(input, target, this.options());
  }
}

/** Multi-label margin loss (targets ended by −1). Matches `torch.nn.MultiLabelMarginLoss`. @example new nn.MultiLabelMarginLoss().forward(x, y) */
export class MultiLabelMarginLoss extends Loss<L.ReductionOptions> {
  constructor(opts?: L.ReductionOptions) {
    super(opts, []);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.multilabelMarginLoss(input, target, this.options());
  }
}

/** Multi-label soft margin loss with `weight` (a buffer). Matches `torch.nn.MultiLabelSoftMarginLoss`. @example new nn.MultiLabelSoftMarginLoss().forward(x, y) */
export class MultiLabelSoftMarginLoss extends Loss<L.MultilabelSoftMarginLossOptions> {
  constructor(opts?: L.MultilabelSoftMarginLossOptions) {
    super(opts, ['weight']);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.multilabelSoftMarginLoss(input, target, this.options());
  }
}

/** Cosine embedding loss. Matches `torch.nn.CosineEmbeddingLoss`. @example new nn.CosineEmbeddingLoss({ margin: 0.2 }).forward(a, b, y) */
export class CosineEmbeddingLoss extends Loss<L.MarginOptions> {
  constructor(opts?: L.MarginOptions) {
    super(opts, []);
  }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return L.cosineEmbeddingLoss(input1, input2, target, this.options());
  }
}

/** Multi-class margin loss with `p`, `margin` and `weight` (a buffer). Matches `torch.nn.MultiMarginLoss`. @example new nn.MultiMarginLoss({ p: 2 }).forward(x, y) */
export class MultiMarginLoss extends Loss<L.MultiMarginLossOptions> {
  constructor(opts?: L.MultiMarginLossOptions) {
    super(opts, ['weight']);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.multiMarginLoss(input, target, this.options());
  }
}

/** Triplet margin loss. Matches `torch.nn.TripletMarginLoss`. @example new nn.TripletMarginLoss({ margin: 1, p: 2 }).forward(a, p, n) */
export class TripletMarginLoss extends Loss<L.TripletMarginLossOptions> {
  constructor(opts?: L.TripletMarginLossOptions) {
    super(opts, []);
  }
  forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return L.tripletMarginLoss(anchor, positive, negative, this.options());
  }
}

/** Triplet loss with a custom distance. Matches `torch.nn.TripletMarginWithDistanceLoss`. @example new nn.TripletMarginWithDistanceLoss({ swap: true }).forward(a, p, n) */
export class TripletMarginWithDistanceLoss extends Loss<L.TripletMarginWithDistanceLossOptions> {
  constructor(opts?: L.TripletMarginWithDistanceLossOptions) {
    super(opts, []);
  }
  forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return L.tripletMarginWithDistanceLoss(anchor, positive, negative, this.options());
  }
}

/** Poisson negative log-likelihood. Matches `torch.nn.PoissonNLLLoss`. @example new nn.PoissonNLLLoss({ full: true }).forward(logRate, counts) */
export class PoissonNLLLoss extends Loss<L.PoissonNllLossOptions> {
  constructor(opts?: L.PoissonNllLossOptions) {
    super(opts, []);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.poissonNllLoss(input, target, this.options());
  }
}

/** Gaussian negative log-likelihood. Matches `torch.nn.GaussianNLLLoss`. @example new nn.GaussianNLLLoss().forward(mean, y, variance) */
export class GaussianNLLLoss extends Loss<L.GaussianNllLossOptions> {
  constructor(opts?: L.GaussianNllLossOptions) {
    super(opts, []);
  }
  forward(input: Tensor, target: Tensor, variance: Tensor): Tensor {
    return L.gaussianNllLoss(input, target, variance, this.options());
  }
}

/**
 * CTC loss with `blank` (0), `reduction` and `zeroInfinity`.
 * Matches `torch.nn.CTCLoss`.
 * @example new nn.CTCLoss().forward(logProbs, targets, inputLengths, targetLengths)
 */
export class CTCLoss extends Loss<L.CtcLossOptions> {
  constructor(opts?: L.CtcLossOptions) {
    super(opts, []);
  }
  forward(
    logProbs: Tensor,
    targets: Tensor,
    inputLengths: L.Lengths,
    targetLengths: L.Lengths,
  ): Tensor {
    return L.ctcLoss(logProbs, targets, inputLengths, targetLengths, this.options());
  }
}
