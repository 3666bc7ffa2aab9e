/**
 * Efficient softmax approximation for large vocabularies (Grave et al.,
 * 2017), `nn.AdaptiveLogSoftmaxWithLoss`.
 */
import { Tensor } from '../tensor/tensor.js';
import { allocUninit, allocZeroed, isFloating, type DType } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { cat } from '../ops/shape-ops.js';
import { rowCrossEntropy } from '../functional/loss/cross-entropy.js';
import { Module } from './module.js';
import { Linear } from './linear.js';
import { ModuleList, Sequential } from './container.js';
import { bindArgs, type Param } from '../signature/bind.js';
import * as T from '../signature/types.js';

/** Options of {@link AdaptiveLogSoftmaxWithLoss}. */
export interface AdaptiveLogSoftmaxWithLossOptions {
  /** Each successive cluster's projection is `divValue` times smaller (default 4). */
  divValue?: number;
  /** The head has a bias (default false). */
  headBias?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/** `{ output, loss }`, like PyTorch's `_ASMoutput` named tuple. */
export interface AdaptiveLogSoftmaxOutput {
  /** Log-probability of each example's target, shape `(N)` (or `()` unbatched). */
  output: Tensor;
  /** Mean negative log-likelihood, a scalar. */
  loss: Tensor;
}

const NAME = 'AdaptiveLogSoftmaxWithLoss';

const PARAMS: readonly Param[] = [
  { name: 'inFeatures', type: T.int({ min: 1 }), doc: 'number of features of the input' },
  { name: 'nClasses', type: T.int({ min: 2 }), doc: 'number of classes' },
  {
    name: 'cutoffs',
    // Each element is checked below, with a message naming it.
    type: {
      ts: 'readonly number[]',
      py: 'Sequence[int]',
      validate: (v) => (Array.isArray(v) ? null : 'an array of increasing integers'),
    },
    doc: 'cluster boundaries',
  },
  {
    name: 'divValue',
    type: T.number({ gt: 0, finite: true }),
    default: 4,
    doc: 'projection shrink factor',
  },
  { name: 'headBias', type: T.bool, default: false, doc: 'the head has a bias' },
  // PyTorch's `device` comes before `dtype`: nnkit has no devices, so `dtype` is by name only.
  { name: 'dtype', type: T.floatDtype, default: 'float32', kwOnly: true, doc: 'parameter dtype' },
];

/**
 * Per-row cross-entropy of a head's or cluster's scores. When the module is
 * one this class builds (nn.Linear layers, whose backward reads their input
 * and weight, never their output), nothing but the loss saved the scores,
 * so they are handed over and the final backward writes the gradient into
 * them; a replaced head or cluster, or one with a forward hook (which may
 * have kept them), keeps its scores intact.
 */
function scoresLoss(module: Module, scores: Tensor, target: Tensor): Tensor {
  const exactly = (m: Module, cls: unknown): boolean => m.constructor === cls && !m._hasHooks();
  const own =
    exactly(module, Linear) ||
    (exactly(module, Sequential) && module.children().every((m) => exactly(m, Linear)));
  return rowCrossEntropy(scores, target, own);
}

/** `x − logsumexp(x)` over dimension 1 (the maximum is subtracted first). */
function logSoftmaxRows(x: Tensor): Tensor {
  return x.sub(x.logsumexp(1, true));
}

function int32(values: readonly number[]): Tensor {
  return new Tensor(Int32Array.from(values), [values.length]);
}

/**
 * Adaptive softmax: frequent classes (`[0, cutoffs[0])`, the shortlist) are
 * scored by a head layer that also scores one logit per cluster; the rarer
 * classes of cluster `i` (`[cutoffs[i−1], cutoffs[i])`) are scored by a
 * two-layer tail `inFeatures → ⌊inFeatures / divValue^(i+1)⌋ → clusterSize`,
 * and `log p(c) = log p_head(cluster) + log p_cluster(c)`.
 *
 * Parameters and state-dict keys are PyTorch's: `head.weight` (and
 * `head.bias` with `headBias`), `tail.0.0.weight`, `tail.0.1.weight`, ...
 * so weights trained in PyTorch load unchanged.
 *
 * Matches `torch.nn.AdaptiveLogSoftmaxWithLoss`. Differences: cutoffs and
 * targets are checked before any work, with messages naming the value.
 * @example
 * ```ts
 * import { manualSeed, nn, randint, randn } from 'nnkit';
 * manualSeed(0);
 * const asm = new nn.AdaptiveLogSoftmaxWithLoss(64, 1000, [10, 100]);
 * const hidden = randn([8, 64], { requiresGrad: true });
 * const target = randint(0, 1000, [8]);
 * const { output, loss } = asm.forward(hidden, target); // output: log p(target) per row
 * loss.backward();
 * console.log(output.shape, loss.shape, hidden.grad?.shape); // [ 8 ] [] [ 8, 64 ]
 * console.log(Object.keys(asm.stateDict()));
 * // [
 * //   'head.weight',
 * //   'tail.0.0.weight',
 * //   'tail.0.1.weight',
 * //   'tail.1.0.weight',
 * //   'tail.1.1.weight'
 * // ]
 * ```
 */
export class AdaptiveLogSoftmaxWithLoss extends Module {
  /** Features of the input (its last dimension). */
  readonly inFeatures: number;
  /** Number of classes. */
  readonly nClasses: number;
  /** The cutoffs with `nClasses` appended, as PyTorch stores them. */
  readonly cutoffs: readonly number[];
  /** The tails' hidden sizes shrink by this factor per cluster (default 4). */
  readonly divValue: number;
  /** Whether the head layer has a bias (default false). */
  readonly headBias: boolean;
  /** The frequent classes the head scores directly: `cutoffs[0]`. */
  readonly shortlistSize: number;
  /** Number of tail clusters: `cutoffs.length − 1`. */
  readonly nClusters: number;
  /** The head's outputs: `shortlistSize + nClusters`. */
  readonly headSize: number;
  /** The head layer (state-dict prefix `head.`). */
  readonly head: Linear;
  /** One two-layer projection per cluster (state-dict prefix `tail.<i>.`). */
  readonly tail: ModuleList<Sequential>;

  /**
   * Creates the head and the tail clusters; see {@link AdaptiveLogSoftmaxWithLossOptions}.
   *
   * @param inFeatures - Features of the input (its last dimension). PyTorch's `in_features`.
   * @param nClasses - Number of classes (≥ 2). PyTorch's `n_classes`.
   * @param cutoffs - Cluster boundaries: strictly increasing integers in (0, `nClasses`).
   * @param rest - `divValue` (default `4`), `headBias` (default `false`) by position, then an
   *   options object with the rest (and `dtype`); or one options object with those names.
   *   PyTorch's `div_value`, `head_bias`.
   */
  constructor(
    inFeatures: number,
    nClasses: number,
    cutoffs: readonly number[],
    ...rest:
      | [opts?: AdaptiveLogSoftmaxWithLossOptions]
      | [divValue: number, opts?: Omit<AdaptiveLogSoftmaxWithLossOptions, 'divValue'>]
      | [divValue: number, headBias: boolean, opts?: { dtype?: DType }]
  );
  /**
   * Every argument by name:
   * `new nn.AdaptiveLogSoftmaxWithLoss({ inFeatures: 64, nClasses: 1000, cutoffs: [10, 100] })`.
   *
   * @param options - By name: `inFeatures`, `nClasses`, `cutoffs`, `divValue`, `headBias`, `dtype`.
   */
  constructor(
    options: AdaptiveLogSoftmaxWithLossOptions & {
      inFeatures: number;
      nClasses: number;
      cutoffs: readonly number[];
    },
  );
  constructor(...args: unknown[]) {
    super();
    const o = bindArgs({ name: NAME, params: PARAMS }, args);
    const inFeatures = o.inFeatures as number;
    const nClasses = o.nClasses as number;
    const cutoffs = o.cutoffs as readonly number[];
    if (!Number.isInteger(inFeatures) || inFeatures <= 0) {
      throw new Error(`${NAME}: inFeatures must be a positive integer, got ${inFeatures}`);
    }
    if (!Number.isInteger(nClasses) || nClasses < 2) {
      throw new Error(`${NAME}: nClasses must be an integer of at least 2, got ${nClasses}`);
    }
    if (!Array.isArray(cutoffs) || cutoffs.length === 0) {
      throw new Error(
        `${NAME}: cutoffs must be a non-empty array of increasing integers in (0, nClasses), got ${String(cutoffs)}`,
      );
    }
    cutoffs.forEach((c, i) => {
      if (!Number.isInteger(c) || c <= 0 || c >= nClasses) {
        throw new Error(
          `${NAME}: cutoffs[${i}] = ${c} must be an integer in (0, ${nClasses}) (nClasses = ${nClasses})`,
        );
      }
      if (i > 0 && c <= cutoffs[i - 1]) {
        throw new Error(
          `${NAME}: cutoffs must be strictly increasing, but cutoffs[${i}] = ${c} follows ${cutoffs[i - 1]}`,
        );
      }
    });
    const divValue = o.divValue as number;
    const dtype = o.dtype as DType;
    this.inFeatures = inFeatures;
    this.nClasses = nClasses;
    this.cutoffs = Object.freeze([...cutoffs, nClasses]);
    this.divValue = divValue;
    this.headBias = o.headBias as boolean;
    this.shortlistSize = this.cutoffs[0];
    this.nClusters = this.cutoffs.length - 1;
    this.headSize = this.shortlistSize + this.nClusters;
    this.head = this.registerModule(
      'head',
      new Linear(inFeatures, this.headSize, { bias: this.headBias, dtype }),
    );
    this.tail = this.registerModule('tail', new ModuleList<Sequential>());
    for (let i = 0; i < this.nClusters; i++) {
      const hsz = Math.floor(inFeatures / divValue ** (i + 1));
      const osz = this.cutoffs[i + 1] - this.cutoffs[i];
      this.tail.append(
        new Sequential(
          new Linear(inFeatures, hsz, { bias: false, dtype }),
          new Linear(hsz, osz, { bias: false, dtype }),
        ),
      );
    }
  }

  private checkInput(fn: string, input: Tensor, dims: readonly number[]): void {
    if (!(input instanceof Tensor)) throw new Error(`${NAME}.${fn}: input must be a Tensor`);
    if (!isFloating(input.dtype))
      throw new Error(`${NAME}.${fn}: input must be a floating-point tensor, got ${input.dtype}`);
    const dtype = this.head.weight.dtype;
    if (input.dtype !== dtype) {
      throw new Error(
        `${NAME}.${fn}: input has dtype ${input.dtype} but the module's parameters are ${dtype}; convert one of them with .to()`,
      );
    }
    if (!dims.includes(input.ndim) || input.shape[input.ndim - 1] !== this.inFeatures) {
      throw new Error(
        `${NAME}.${fn}: input of shape ${formatShape(input.shape)} should be (N, ${this.inFeatures})${dims.includes(1) ? ` or (${this.inFeatures})` : ''}`,
      );
    }
  }

  /**
   * The log-probability of each target and the mean negative log-likelihood.
   * Input `(N, inFeatures)` with target `(N)`, or `(inFeatures)` with target `()`.
   */
  forward(input: Tensor, target: Tensor): AdaptiveLogSoftmaxOutput {
    if (!(target instanceof Tensor) || target.dtype !== 'int32') {
      throw new Error(
        `${NAME}.forward: target must be an int32 tensor of class indices, got ${target instanceof Tensor ? target.dtype : typeof target}`,
      );
    }
    if (target.ndim > 1) {
      throw new Error(
        `${NAME}.forward: target must be 0-D or 1-D (multi-target is not supported), got shape ${formatShape(target.shape)}`,
      );
    }
    this.checkInput('forward', input, target.ndim === 1 ? [2] : [1]);
    if (target.ndim === 1 && input.shape[0] !== target.shape[0]) {
      throw new Error(
        `${NAME}.forward: input batch size ${input.shape[0]} does not match target batch size ${target.shape[0]}`,
      );
    }
    const t = target.data;
    for (let i = 0; i < t.length; i++) {
      if (t[i] < 0 || t[i] >= this.nClasses) {
        throw new Error(
          `${NAME}.forward: target ${t[i]} is out of range for ${this.nClasses} classes`,
        );
      }
    }
    const batched = target.ndim === 1;
    const x = batched ? input : input.unsqueeze(0);
    const n = t.length;

    // Which cluster each row's target falls in; the head scores the cluster's logit.
    const gather = new Int32Array(n);
    const rows: number[][] = this.cutoffs.map(() => []);
    for (let r = 0; r < n; r++) {
      const c = this.cutoffs.findIndex((cut) => t[r] < cut);
      rows[c].push(r);
      gather[r] = c === 0 ? t[r] : this.shortlistSize + c - 1;
    }
    const pieces: Tensor[] = [new Tensor(allocZeroed(x.dtype, rows[0].length), [rows[0].length])];
    const order: number[] = [...rows[0]];
    for (let c = 1; c < this.cutoffs.length; c++) {
      if (rows[c].length === 0) continue;
      const sub = x.indexSelect(0, int32(rows[c]));
      const clusterOut = this.tail.at(c - 1).forward(sub);
      const rel = int32(rows[c].map((r) => t[r] - this.cutoffs[c - 1]));
      pieces.push(scoresLoss(this.tail.at(c - 1), clusterOut, rel).neg());
      order.push(...rows[c]);
    }
    const inverse = new Array<number>(n);
    order.forEach((r, k) => (inverse[r] = k));
    const local = cat(pieces, 0).indexSelect(0, int32(inverse));
    const headLogProb = scoresLoss(this.head, this.head.forward(x), new Tensor(gather, [n])).neg();
    let output = local.add(headLogProb);
    const loss = output.neg().mean();
    if (!batched) output = output.squeeze(0);
    return { output, loss };
  }

  private fullLogProb(x: Tensor, headOutput: Tensor): Tensor {
    const headLogProb = logSoftmaxRows(headOutput);
    const parts = [headLogProb.narrow(1, 0, this.shortlistSize)];
    for (let i = 0; i < this.nClusters; i++) {
      const clusterLogProb = logSoftmaxRows(this.tail.at(i).forward(x));
      parts.push(clusterLogProb.add(headLogProb.narrow(1, this.shortlistSize + i, 1)));
    }
    return cat(parts, 1);
  }

  /**
   * Log-probabilities of every class, `(N, nClasses)` for input
   * `(N, inFeatures)` (or `(nClasses)` for `(inFeatures)`). Matches `log_prob`.
   */
  logProb(input: Tensor): Tensor {
    this.checkInput('logProb', input, [1, 2]);
    const x = input.ndim === 1 ? input.unsqueeze(0) : input;
    const out = this.fullLogProb(x, this.head.forward(x));
    return input.ndim === 1 ? out.squeeze(0) : out;
  }

  /**
   * The most likely class of each row, int32 `(N)`: the head's argmax when
   * it is in the shortlist, else the argmax of the full log-probabilities
   * (computed only for those rows). Matches `predict`.
   */
  predict(input: Tensor): Tensor {
    this.checkInput('predict', input, [1, 2]);
    const x = input.ndim === 1 ? input.unsqueeze(0) : input;
    const headOutput = this.head.forward(x);
    const best = headOutput.argmax(1).data as Int32Array;
    const out = allocUninit('int32', best.length);
    out.set(best);
    const rare: number[] = [];
    for (let r = 0; r < best.length; r++) if (best[r] >= this.shortlistSize) rare.push(r);
    if (rare.length > 0) {
      const sel = int32(rare);
      const full = this.fullLogProb(x.indexSelect(0, sel), headOutput.indexSelect(0, sel));
      const arg = full.argmax(1).data;
      rare.forEach((r, k) => (out[r] = arg[k]));
    }
    const result = new Tensor(out, [best.length]);
    return input.ndim === 1 ? result.squeeze(0) : result;
  }
}
