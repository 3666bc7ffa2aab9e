/**
 * `nn.BatchNorm1d`, `nn.BatchNorm2d`, `nn.BatchNorm3d`: `F.batchNorm` with
 * learnable `weight` and `bias` and the running statistics as buffers
 * (`running_mean`, `running_var`, `num_batches_tracked`, PyTorch's
 * state-dict keys), after PyTorch's `_BatchNorm.forward`.
 */
import type { Tensor } from '../tensor/tensor.js';
import { full } from '../tensor/creation.js';
import type { DType } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { noGrad } from '../autograd/grad-mode.js';
import { bindArgs, prefixError } from '../signature/bind.js';
import * as T from '../signature/types.js';
import { batchNormImpl } from '../functional/normalization.js';
import { Module, pyBool, pyNum } from './module.js';
import { normParams, type NormFamily } from './norm-params.js';

export type { NormFamily } from './norm-params.js';

/** Options of the batch-norm modules. */
export interface BatchNormOptions {
  /** Added to the variance before its square root (default 1e-5, ≥ 0). */
  eps?: number;
  /**
   * Weight of each batch in the running statistics, in [0, 1] (default 0.1);
   * `null` for their cumulative average (PyTorch's `momentum=None`).
   */
  momentum?: number | null;
  /** Learn a per-channel `weight` (ones at first) and `bias` (zeros) (default true). */
  affine?: boolean;
  /** Keep running statistics for eval mode (default true). */
  trackRunningStats?: boolean;
  /** Parameter and statistics dtype (default float32). */
  dtype?: DType | null;
}

/**
 * What the batch- and instance-norm modules share, PyTorch's `_NormBase`:
 * the constructor's parameters (`params`), a learnt per-channel `weight`
 * and `bias` (with `affine`), the running statistics as buffers (with
 * `trackRunningStats`) and the repr.
 */
export abstract class NormBase extends Module {
  /** Channels C of the input. */
  readonly numFeatures: number;
  /** Added to the variance before its square root. */
  readonly eps: number;
  /** Weight of each batch in the running statistics, or null for their cumulative average. */
  readonly momentum: number | null;
  /** Whether `weight` and `bias` are learnt. */
  readonly affine: boolean;
  /** Whether running statistics are kept. */
  readonly trackRunningStats: boolean;

  /**
   * Called by subclasses; binds the constructor's `args` to the parameters of
   * PyTorch's `_NormBase` with this family's defaults.
   *
   * @param family - The family's defaults of `affine` and `trackRunningStats`, and whether
   *   `momentum` may be null.
   * @param args - The subclass constructor's arguments: `numFeatures`, `eps`, `momentum`,
   *   `affine`, `trackRunningStats` by position, then one options object naming the rest
   *   and `dtype` (by name only).
   */
  constructor(family: NormFamily, args: unknown[]) {
    super();
    const a = bindArgs({ name: this.name, params: normParams(family) }, args);
    this.numFeatures = a.numFeatures as number;
    this.eps = a.eps as number;
    this.momentum = a.momentum as number | null;
    this.affine = a.affine as boolean;
    this.trackRunningStats = a.trackRunningStats as boolean;
    const dtype = { dtype: (a.dtype as DType | null) ?? 'float32' };
    const c = [this.numFeatures];
    try {
      this.registerParameter('weight', this.affine ? full(c, 1, dtype) : null);
      this.registerParameter('bias', this.affine ? full(c, 0, dtype) : null);
      if (this.trackRunningStats) {
        this.registerBuffer('running_mean', full(c, 0, dtype));
        this.registerBuffer('running_var', full(c, 1, dtype));
        this.registerBuffer('num_batches_tracked', full([], 0, { dtype: 'int32' }));
      }
    } catch (e) {
      throw prefixError(e, this.name);
    }
  }

  /** The per-channel scale, or null without `affine`. */
  get weight(): Tensor | null {
    return this.paramOrNull('weight');
  }

  /** The per-channel shift, or null without `affine`. */
  get bias(): Tensor | null {
    return this.paramOrNull('bias');
  }

  /** The running mean (buffer `running_mean`), or null without `trackRunningStats`. */
  get runningMean(): Tensor | null {
    return this.trackRunningStats ? this.buffer('running_mean') : null;
  }

  /** The running unbiased variance (buffer `running_var`), or null without `trackRunningStats`. */
  get runningVar(): Tensor | null {
    return this.trackRunningStats ? this.buffer('running_var') : null;
  }

  /** Training batches seen (buffer `num_batches_tracked`, int32 where PyTorch keeps int64). */
  get numBatchesTracked(): Tensor | null {
    return this.trackRunningStats ? this.buffer('num_batches_tracked') : null;
  }

  /** Sets the running statistics back to mean 0, variance 1 and no batches, as `reset_running_stats`. */
  resetRunningStats(): void {
    if (!this.trackRunningStats) return;
    noGrad(() => {
      this.buffer('running_mean').zero_();
      this.buffer('running_var').fill_(1);
      this.buffer('num_batches_tracked').zero_();
    });
  }

  /** The one input tensor of `forward`, checked. */
  protected oneInput(args: readonly unknown[]): Tensor {
    const name = `${this.name}.forward`;
    if (args.length !== 1) {
      throw new Error(`${name}: takes 1 argument (input) but ${args.length} were given`);
    }
    const input: unknown = args[0];
    if (!T.isTensor(input)) {
      throw new Error(`${name}: input must be a Tensor, got ${T.describeValue(input)}`);
    }
    return input as Tensor;
  }

  override extraRepr(): string {
    const momentum = this.momentum === null ? 'None' : pyNum(this.momentum);
    return `${this.numFeatures}, eps=${pyNum(this.eps)}, momentum=${momentum}, affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.trackRunningStats)}`;
  }
}

/**
 * The batch-norm modules' common part, PyTorch's `_BatchNorm`: the
 * subclasses only check the input's rank.
 */
export abstract class BatchNorm extends NormBase {
  /** The ranks the input may have, and how the error message names them. */
  protected abstract readonly ranks: readonly number[];
  protected abstract readonly ranksText: string;

  /**
   * Creates the module; see {@link BatchNormOptions} for each argument.
   *
   * @param numFeatures - Channels C of the input, dimension 1 (PyTorch's `num_features`).
   * @param options - By name: `eps`, `momentum`, `affine`, `trackRunningStats`, `dtype`.
   */
  constructor(numFeatures: number, options?: BatchNormOptions);
  /**
   * Creates the module; see {@link BatchNormOptions} for each argument.
   *
   * @param numFeatures - Channels C of the input, dimension 1 (PyTorch's `num_features`).
   * @param eps - Added to the variance before its square root, ≥ 0. Default `1e-5`.
   * @param options - By name: `momentum`, `affine`, `trackRunningStats`, `dtype`.
   */
  constructor(numFeatures: number, eps?: number, options?: Omit<BatchNormOptions, 'eps'>);
  constructor(...args: unknown[]) {
    super({ affine: true, trackRunningStats: true, momentumMayBeNull: true }, args);
  }

  /**
   * Normalises `input` per channel: in training mode with the batch's
   * statistics (updating the running ones), in eval mode with the running
   * statistics (with the batch's where there are none).
   */
  forward(...args: [input: Tensor]): Tensor {
    const name = `${this.name}.forward`;
    const input = this.oneInput(args);
    if (!this.ranks.includes(input.ndim)) {
      throw new Error(`${name}: expected ${this.ranksText} input (got ${input.ndim}D input)`);
    }
    if (input.shape[1] !== this.numFeatures) {
      throw new Error(
        `${name}: expected ${this.numFeatures} channels (dimension 1 of the input), got input of shape ${formatShape(input.shape)}`,
      );
    }
    let factor = this.momentum ?? 0;
    if (this.training && this.trackRunningStats) {
      const tracked = this.buffer('num_batches_tracked');
      noGrad(() => tracked.add_(1));
      // momentum null: the cumulative average, each batch weighted 1 / (batches so far).
      if (this.momentum === null) factor = 1 / tracked.item();
    }
    // Without running statistics, eval mode normalises with the batch too.
    const useBatch = this.training || !this.trackRunningStats;
    const keepRunning = !this.training || this.trackRunningStats;
    try {
      return batchNormImpl({
        input,
        runningMean: keepRunning ? this.runningMean : null,
        runningVar: keepRunning ? this.runningVar : null,
        weight: this.weight,
        bias: this.bias,
        training: useBatch,
        momentum: factor,
        eps: this.eps,
      });
    } catch (e) {
      throw prefixError(e, name, ['batchNorm']);
    }
  }
}

/**
 * Batch normalization of `(N, C)` or `(N, C, L)` inputs over the batch (and
 * length), per channel, as `torch.nn.BatchNorm1d`: `weight`/`bias` learnt,
 * `running_mean`/`running_var` updated in training mode (momentum 0.1, or
 * the cumulative average with `momentum: null`) and used after `eval()`.
 * @example
 * ```ts
 * import { nn, tensor } from 'nnkit';
 * const bn = new nn.BatchNorm1d(2);
 * console.log(bn.toString()); // BatchNorm1d(2, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
 * console.log(bn.forward(tensor([[1, 10], [3, 30]])).toString());
 * // tensor([[-1.0000, -1.0000],
 * //         [ 1.0000,  1.0000]], grad_fn=<NativeBatchNormBackward0>)
 * console.log(bn.runningMean!.toString()); // tensor([0.2000, 2.0000])
 * ```
 */
export class BatchNorm1d extends BatchNorm {
  override get name(): string {
    return 'BatchNorm1d';
  }
  protected readonly ranks = [2, 3];
  protected readonly ranksText = '2D or 3D';
}

/**
 * Batch normalization of `(N, C, H, W)` inputs per channel, as `torch.nn.BatchNorm2d`
 * (see {@link BatchNorm1d} for the statistics).
 * @example
 * ```ts
 * import { nn, zeros } from 'nnkit';
 * const bn = new nn.BatchNorm2d(3, { momentum: null });
 * console.log(bn.forward(zeros([2, 3, 4, 4])).shape); // [ 2, 3, 4, 4 ]
 * console.log(Object.keys(bn.stateDict()).join(', ')); // weight, bias, running_mean, running_var, num_batches_tracked
 * ```
 */
export class BatchNorm2d extends BatchNorm {
  override get name(): string {
    return 'BatchNorm2d';
  }
  protected readonly ranks = [4];
  protected readonly ranksText = '4D';
}

/**
 * Batch normalization of `(N, C, D, H, W)` inputs per channel, as
 * `torch.nn.BatchNorm3d` (see {@link BatchNorm1d} for the statistics).
 * @example
 * ```ts
 * import { nn } from 'nnkit';
 * console.log(new nn.BatchNorm3d(4, 0.001).toString()); // BatchNorm3d(4, eps=0.001, momentum=0.1, affine=True, track_running_stats=True)
 * ```
 */
export class BatchNorm3d extends BatchNorm {
  override get name(): string {
    return 'BatchNorm3d';
  }
  protected readonly ranks = [5];
  protected readonly ranksText = '5D';
}
