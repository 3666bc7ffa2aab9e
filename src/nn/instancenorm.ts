/**
 * `nn.InstanceNorm1d`, `nn.InstanceNorm2d`, `nn.InstanceNorm3d`:
 * `F.instanceNorm` with an optional learnt `weight` and `bias` and optional
 * running statistics as buffers, after PyTorch's `_InstanceNorm.forward`.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { prefixError } from '../signature/bind.js';
import { instanceNormImpl } from '../functional/normalization.js';
import { NormBase } from './batchnorm.js';

/** Options of the instance-norm modules. */
export interface InstanceNormOptions {
  /** Added to the variance before its square root (default 1e-5, ≥ 0). */
  eps?: number;
  /** Weight of each batch in the running statistics, in [0, 1] (default 0.1). */
  momentum?: number;
  /** Learn a per-channel `weight` (ones at first) and `bias` (zeros) (default false). */
  affine?: boolean;
  /** Keep running statistics and use them in eval mode (default false). */
  trackRunningStats?: boolean;
  /** Parameter and statistics dtype (default float32). */
  dtype?: DType | null;
}

/**
 * The instance-norm modules' common part, PyTorch's `_InstanceNorm`: the
 * subclasses only say how many dimensions an unbatched input has. An input
 * with one dimension fewer than a batch is one sample (`(C, L)` for the 1-D
 * module). In training mode, or without running statistics, each sample's
 * channels are normalised with their own statistics (the running ones, if
 * kept, updated); in eval mode with running statistics, with those.
 * `num_batches_tracked` is registered, as in PyTorch, and never advances.
 */
export abstract class InstanceNorm extends NormBase {
  /** The dimensions of one unbatched sample, `(C, *)`. */
  protected abstract readonly sampleDims: number;

  /**
   * Creates the module; see {@link InstanceNormOptions} for each argument.
   *
   * @param numFeatures - Channels C of the input (PyTorch's `num_features`).
   * @param options - By name: `eps`, `momentum`, `affine`, `trackRunningStats`, `dtype`.
   */
  constructor(numFeatures: number, options?: InstanceNormOptions);
  /**
   * Creates the module; see {@link InstanceNormOptions} for each argument.
   *
   * @param numFeatures - Channels C of the input (PyTorch's `num_features`).
   * @param eps - Added to the variance before its square root, ≥ 0. Default `1e-5`.
   * @param options - By name: `momentum`, `affine`, `trackRunningStats`, `dtype`.
   */
  constructor(numFeatures: number, eps?: number, options?: Omit<InstanceNormOptions, 'eps'>);
  constructor(...args: unknown[]) {
    super({ affine: false, trackRunningStats: false, momentumMayBeNull: false }, args);
  }

  /**
   * Normalises each channel of each sample of `input`, `(N, C, *)` or one
   * sample `(C, *)`.
   */
  forward(...args: [input: Tensor]): Tensor {
    const name = `${this.name}.forward`;
    const input = this.oneInput(args);
    const dims = this.sampleDims;
    if (input.ndim !== dims && input.ndim !== dims + 1) {
      throw new Error(
        `${name}: expected ${dims}D or ${dims + 1}D input (got ${input.ndim}D input)`,
      );
    }
    const unbatched = input.ndim === dims;
    const channels = input.shape[unbatched ? 0 : 1];
    // Without weights or running statistics numFeatures is unused: PyTorch warns, nnkit goes on.
    if (channels !== this.numFeatures && (this.affine || this.trackRunningStats)) {
      throw new Error(
        `${name}: expected ${this.numFeatures} channels (dimension ${unbatched ? 0 : 1} of the input), got input of shape ${formatShape(input.shape)}`,
      );
    }
    const batch = unbatched ? input.unsqueeze(0) : input;
    let out: Tensor;
    try {
      out = instanceNormImpl({
        input: batch,
        runningMean: this.runningMean,
        runningVar: this.runningVar,
        weight: this.weight,
        bias: this.bias,
        useInputStats: this.training || !this.trackRunningStats,
        momentum: this.momentum as number,
        eps: this.eps,
      });
    } catch (e) {
      throw prefixError(e, name, ['instanceNorm']);
    }
    return unbatched ? out.squeeze(0) : out;
  }
}

/**
 * Instance normalization of `(N, C, L)` inputs (or one sample `(C, L)`):
 * each channel of each sample over its length, as `torch.nn.InstanceNorm1d`.
 * No learnt `weight`/`bias` and no running statistics unless asked for
 * (`affine`, `trackRunningStats`).
 * @example
 * ```ts
 * import { nn, tensor } from 'nnkit';
 * const norm = new nn.InstanceNorm1d(2);
 * console.log(norm.toString()); // InstanceNorm1d(2, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)
 * console.log(norm.forward(tensor([[[1, 3], [10, 30]]])).toString());
 * // tensor([[[-1.0000,  1.0000],
 * //          [-1.0000,  1.0000]]])
 * ```
 */
export class InstanceNorm1d extends InstanceNorm {
  override get name(): string {
    return 'InstanceNorm1d';
  }
  protected readonly sampleDims = 2;
}

/**
 * Instance normalization of `(N, C, H, W)` inputs (or one sample
 * `(C, H, W)`), each channel of each image over its pixels, as
 * `torch.nn.InstanceNorm2d` (see {@link InstanceNorm1d}).
 * @example
 * ```ts
 * import { nn, randn } from 'nnkit';
 * const norm = new nn.InstanceNorm2d(3, { affine: true, trackRunningStats: true });
 * console.log(norm.forward(randn([2, 3, 4, 4])).shape); // [ 2, 3, 4, 4 ]
 * console.log(Object.keys(norm.stateDict()).join(', ')); // weight, bias, running_mean, running_var, num_batches_tracked
 * ```
 */
export class InstanceNorm2d extends InstanceNorm {
  override get name(): string {
    return 'InstanceNorm2d';
  }
  protected readonly sampleDims = 3;
}

/**
 * Instance normalization of `(N, C, D, H, W)` inputs (or one sample
 * `(C, D, H, W)`), as `torch.nn.InstanceNorm3d` (see {@link InstanceNorm1d}).
 * @example
 * ```ts
 * import { nn } from 'nnkit';
 * console.log(new nn.InstanceNorm3d(4, 0.001).toString()); // InstanceNorm3d(4, eps=0.001, momentum=0.1, affine=False, track_running_stats=False)
 * ```
 */
export class InstanceNorm3d extends InstanceNorm {
  override get name(): string {
    return 'InstanceNorm3d';
  }
  protected readonly sampleDims = 4;
}
