/**
 * `nn.MaxPool1d`, `nn.MaxPool2d`, `nn.MaxPool3d`, `nn.AvgPool1d`, `nn.AvgPool2d`, `nn.AvgPool3d`,
 * `nn.MaxUnpool1d/2d/3d` around the pooling functions, with
 * PyTorch 1.13's parameters and reprs (the arguments as given; `AvgPool1d`
 * prints them as 1-tuples, the unpooling modules as tuples). The max pooling
 * modules are generic in `returnIndices`, which `forward`'s result follows.
 */
import type { Tensor } from '../tensor/tensor.js';
import {
  avgPoolNd,
  maxPoolNd,
  maxUnpoolNd,
  type PoolArgs,
  type UnpoolArgs,
} from '../functional/pool.js';
import type { PerDim } from '../functional/windows.js';
import { bindArgs, prefixError, type Param } from '../signature/bind.js';
import * as T from '../signature/types.js';
import { describeValue } from '../signature/types.js';
import { perDim } from '../functional/windows.js';
import { Module, pyBool } from './module.js';

const KERNEL: Param = { name: 'kernelSize', type: T.intOrList(1), doc: 'the window’s size' };
const STRIDE: Param = {
  name: 'stride',
  type: T.optional(T.intOrList(1)),
  default: null,
  doc: 'step between windows (none: the kernel size)',
};
const PADDING: Param = {
  name: 'padding',
  type: T.intOrList(0),
  default: 0,
  doc: 'implicit padding',
};
const CEIL: Param = { name: 'ceilMode', type: T.bool, default: false, doc: 'round the output up' };
const COUNT: Param = {
  name: 'countIncludePad',
  type: T.bool,
  default: true,
  doc: 'count the padding in the divisor',
};

/** Python's repr of an int or a tuple. */
const py = (v: PerDim): string =>
  typeof v === 'number' ? String(v) : v.length === 1 ? `(${v[0]},)` : `(${v.join(', ')})`;

/** Options of {@link MaxPool1d}, {@link MaxPool2d} and {@link MaxPool3d}; `R`: the type of `returnIndices`. */
export interface MaxPoolOptions<R extends boolean = boolean> {
  /** Step between windows (default: the kernel size). */
  stride?: PerDim | null;
  /** Implicit −∞ padding on both sides, at most half the kernel (default 0). */
  padding?: PerDim;
  /** Spacing between window elements (default 1). */
  dilation?: PerDim;
  /** `forward` also returns the maxima's indices, `[output, indices]` (default false). */
  returnIndices?: R;
  /** Round the output size up (default false). */
  ceilMode?: boolean;
}

/** Options of {@link AvgPool1d}, {@link AvgPool2d} and {@link AvgPool3d}. */
export interface AvgPoolOptions {
  /** Step between windows (default: the kernel size). */
  stride?: PerDim | null;
  /** Implicit zero padding on both sides, at most half the kernel (default 0). */
  padding?: PerDim;
  /** Round the output size up (default false). */
  ceilMode?: boolean;
  /** Count the padding in the divisor (default true). */
  countIncludePad?: boolean;
  /** Divide every window by this instead (`AvgPool2d` and `AvgPool3d` only). */
  divisorOverride?: number | null;
}

/** What the pooling modules share: their bound arguments and the call. */
abstract class PoolNd extends Module {
  /** The arguments as bound (stride null: the kernel size). */
  protected readonly args: Record<string, unknown>;

  constructor(params: readonly Param[], argv: unknown[]) {
    super();
    this.args = bindArgs({ name: this.name, params }, argv);
    this.args.stride ??= this.args.kernelSize;
  }

  /** Runs `pool` on the one input. */
  protected run<Y>(argv: unknown[], pool: (a: PoolArgs) => Y, fn: string): Y {
    const name = `${this.name}.forward`;
    if (argv.length !== 1 || !T.isTensor(argv[0])) {
      throw new Error(`${name}: takes 1 argument, the input Tensor`);
    }
    try {
      return pool({ ...(this.args as Omit<PoolArgs, 'input'>), input: argv[0] as Tensor });
    } catch (e) {
      throw prefixError(e, name, [fn]);
    }
  }
}

const MAX_PARAMS: readonly Param[] = [
  KERNEL,
  STRIDE,
  PADDING,
  { name: 'dilation', type: T.intOrList(1), default: 1, doc: 'spacing between window elements' },
  { name: 'returnIndices', type: T.bool, default: false, doc: 'also return the indices' },
  CEIL,
];

/** What MaxPool1d, MaxPool2d and MaxPool3d share: all but their number of spatial dimensions. */
abstract class MaxPoolNd<R extends boolean> extends PoolNd {
  /** The number of spatial dimensions, 1, 2 or 3. */
  protected abstract dims(): 1 | 2 | 3;

  /**
   * Creates the module; see {@link MaxPoolOptions} for each argument.
   *
   * @param kernelSize - The window’s size (PyTorch's `kernel_size`), ≥ 1: one integer, or one
   *   per spatial dimension.
   * @param options - By name: `stride`, `padding`, `dilation`, `returnIndices`, `ceilMode`.
   */
  constructor(kernelSize: PerDim, options?: MaxPoolOptions<R>);
  /**
   * Creates the module from positional arguments, in PyTorch's order.
   *
   * @param kernelSize - The window’s size (PyTorch's `kernel_size`), ≥ 1: one integer, or one
   *   per spatial dimension.
   * @param stride - Step between windows, ≥ 1. Default `null`: the kernel size.
   * @param padding - Implicit −∞ padding on both sides, ≥ 0 and at most half the kernel. Default `0`.
   * @param dilation - Spacing between window elements, ≥ 1. Default `1`.
   * @param returnIndices - `forward` also returns the maxima's indices, `[output, indices]`
   *   (PyTorch's `return_indices`). Default `false`.
   * @param ceilMode - Round the output size up (PyTorch's `ceil_mode`). Default `false`.
   */
  constructor(
    kernelSize: PerDim,
    stride?: PerDim | null,
    padding?: PerDim,
    dilation?: PerDim,
    returnIndices?: R,
    ceilMode?: boolean,
  );
  constructor(...argv: unknown[]) {
    super(MAX_PARAMS, argv);
  }
  /** Whether `forward` also returns the indices of the maxima. */
  get returnIndices(): R {
    return this.args.returnIndices as R;
  }
  /** The max of each window of `input`; with `returnIndices`, `[output, indices]`. */
  forward(...argv: [input: Tensor]): R extends true ? [Tensor, Tensor] : Tensor {
    const fn = `maxPool${this.dims()}d`;
    return this.run(argv, (a) => maxPoolNd(fn, this.dims(), a), fn) as R extends true
      ? [Tensor, Tensor]
      : Tensor;
  }
  override extraRepr(): string {
    const a = this.args;
    return `kernel_size=${py(a.kernelSize as PerDim)}, stride=${py(a.stride as PerDim)}, padding=${py(a.padding as PerDim)}, dilation=${py(a.dilation as PerDim)}, ceil_mode=${pyBool(a.ceilMode as boolean)}`;
  }
}

/**
 * Max pooling along the last dimension, as `torch.nn.MaxPool1d`: input
 * `(N, C, L)` or `(C, L)`.
 * @example
 * ```ts
 * import { nn, tensor } from 'nnkit';
 * const pool = new nn.MaxPool1d(2);
 * console.log(pool.toString()); // MaxPool1d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
 * console.log(pool.forward(tensor([[1, 3, 2, 5]])).toString()); // tensor([[3., 5.]])
 * const [y, indices] = new nn.MaxPool1d(2, { returnIndices: true }).forward(tensor([[1, 3, 2, 5]]));
 * console.log(indices.toString()); // tensor([[1, 3]], dtype=torch.int32)
 * ```
 */
export class MaxPool1d<R extends boolean = false> extends MaxPoolNd<R> {
  protected dims(): 1 {
    return 1;
  }
}

/**
 * Max pooling over the last two dimensions, as `torch.nn.MaxPool2d`: input
 * `(N, C, H, W)` or `(C, H, W)`.
 * @example
 * ```ts
 * import { nn, randn } from 'nnkit';
 * const pool = new nn.MaxPool2d(3, { stride: 2, padding: 1 });
 * console.log(pool.forward(randn([1, 4, 8, 8])).shape); // [ 1, 4, 4, 4 ]
 * const [y, indices] = new nn.MaxPool2d(2, { returnIndices: true }).forward(randn([1, 4, 8, 8]));
 * console.log(new nn.MaxUnpool2d(2).forward(y, indices).shape); // [ 1, 4, 8, 8 ]
 * ```
 */
export class MaxPool2d<R extends boolean = false> extends MaxPoolNd<R> {
  protected dims(): 2 {
    return 2;
  }
}

/**
 * Max pooling over the last three dimensions, as `torch.nn.MaxPool3d`: input
 * `(N, C, D, H, W)` or `(C, D, H, W)`.
 * @example
 * ```ts
 * import { nn, randn } from 'nnkit';
 * const pool = new nn.MaxPool3d(2);
 * console.log(pool.toString()); // MaxPool3d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
 * console.log(pool.forward(randn([1, 4, 8, 8, 8])).shape); // [ 1, 4, 4, 4, 4 ]
 * ```
 */
export class MaxPool3d<R extends boolean = false> extends MaxPoolNd<R> {
  protected dims(): 3 {
    return 3;
  }
}

/**
 * Average pooling along the last dimension, as `torch.nn.AvgPool1d`.
 * @example
 * ```ts
 * import { nn, tensor } from 'nnkit';
 * const pool = new nn.AvgPool1d(2);
 * console.log(pool.toString()); // AvgPool1d(kernel_size=(2,), stride=(2,), padding=(0,))
 * console.log(pool.forward(tensor([[1, 3, 2, 6]])).toString()); // tensor([[2., 4.]])
 * ```
 */
export class AvgPool1d extends PoolNd {
  /**
   * Creates the module; see {@link AvgPoolOptions} for each argument.
   *
   * @param kernelSize - The window’s size (PyTorch's `kernel_size`), ≥ 1: an integer or `[k]`.
   * @param options - By name: `stride`, `padding`, `ceilMode`, `countIncludePad`.
   */
  constructor(kernelSize: PerDim, options?: Omit<AvgPoolOptions, 'divisorOverride'>);
  constructor(...argv: unknown[]) {
    super([KERNEL, STRIDE, PADDING, CEIL, COUNT], argv);
  }
  /** The mean of each window of `input`. */
  forward(...argv: [input: Tensor]): Tensor {
    return this.run(argv, (a) => avgPoolNd('avgPool1d', 1, a), 'avgPool1d');
  }
  override extraRepr(): string {
    // PyTorch stores AvgPool1d's arguments as 1-tuples.
    const one = (v: unknown) => py([Array.isArray(v) ? (v as number[])[0] : (v as number)]);
    const a = this.args;
    return `kernel_size=${one(a.kernelSize)}, stride=${one(a.stride)}, padding=${one(a.padding)}`;
  }
}

const AVG_PARAMS: readonly Param[] = [
  KERNEL,
  STRIDE,
  PADDING,
  CEIL,
  COUNT,
  {
    name: 'divisorOverride',
    type: T.optional(T.int()),
    default: null,
    doc: 'divide every window by this instead',
  },
];

/** What AvgPool2d and AvgPool3d share: all but their number of spatial dimensions. */
abstract class AvgPoolNd extends PoolNd {
  /** The number of spatial dimensions, 2 or 3. */
  protected abstract dims(): 2 | 3;

  /**
   * Creates the module; see {@link AvgPoolOptions} for each argument.
   *
   * @param kernelSize - The window’s size (PyTorch's `kernel_size`), ≥ 1: one integer for every
   *   spatial dimension, or one each.
   * @param options - By name: `stride`, `padding`, `ceilMode`, `countIncludePad`,
   *   `divisorOverride`.
   */
  constructor(kernelSize: PerDim, options?: AvgPoolOptions);
  constructor(...argv: unknown[]) {
    super(AVG_PARAMS, argv);
  }
  /** The mean of each window of `input`. */
  forward(...argv: [input: Tensor]): Tensor {
    const fn = `avgPool${this.dims()}d`;
    return this.run(argv, (a) => avgPoolNd(fn, this.dims(), a), fn);
  }
  override extraRepr(): string {
    const a = this.args;
    return `kernel_size=${py(a.kernelSize as PerDim)}, stride=${py(a.stride as PerDim)}, padding=${py(a.padding as PerDim)}`;
  }
}

/**
 * Average pooling over the last two dimensions, as `torch.nn.AvgPool2d`.
 * @example
 * ```ts
 * import { nn, randn } from 'nnkit';
 * const pool = new nn.AvgPool2d(2);
 * console.log(pool.toString()); // AvgPool2d(kernel_size=2, stride=2, padding=0)
 * console.log(pool.forward(randn([2, 3, 8, 8])).shape); // [ 2, 3, 4, 4 ]
 * ```
 */
export class AvgPool2d extends AvgPoolNd {
  protected dims(): 2 {
    return 2;
  }
}

/**
 * Average pooling over the last three dimensions, as `torch.nn.AvgPool3d`: input
 * `(N, C, D, H, W)` or `(C, D, H, W)`.
 * @example
 * ```ts
 * import { nn, randn } from 'nnkit';
 * const pool = new nn.AvgPool3d([1, 2, 2]);
 * console.log(pool.toString()); // AvgPool3d(kernel_size=(1, 2, 2), stride=(1, 2, 2), padding=0)
 * console.log(pool.forward(randn([2, 3, 4, 8, 8])).shape); // [ 2, 3, 4, 4, 4 ]
 * ```
 */
export class AvgPool3d extends AvgPoolNd {
  protected dims(): 3 {
    return 3;
  }
}

/** Options of {@link MaxUnpool1d} and {@link MaxUnpool2d}. */
export interface MaxUnpoolOptions {
  /** The pooling's step (default: the kernel size). */
  stride?: PerDim | null;
  /** The pooling's padding (default 0). */
  padding?: PerDim;
}

const OUTPUT_SIZE: Param = {
  name: 'outputSize',
  type: T.optional(T.intList({ min: 0 })),
  default: null,
  doc: 'the output size',
};

/**
 * What MaxUnpool1d, MaxUnpool2d and MaxUnpool3d share, all but their number of spatial
 * dimensions and the docs of `forward`: the constructor, the arguments, stored as PyTorch's tuples, and the call.
 */
abstract class MaxUnpoolNd extends Module {
  /** The arguments, one entry per spatial dimension (stride: the kernel size when none). */
  protected readonly args: { kernelSize: number[]; stride: number[]; padding: number[] };
  /** The number of spatial dimensions, 1 or 2 (a method: the constructor calls it). */
  protected abstract dims(): 1 | 2 | 3;

  /**
   * Creates the module; see {@link MaxUnpoolOptions} for each argument.
   *
   * @param kernelSize - The pooling's window size (PyTorch's `kernel_size`), ≥ 1: one integer, or one
   *   per spatial dimension.
   * @param options - By name: `stride`, `padding`.
   */
  constructor(kernelSize: PerDim, options?: MaxUnpoolOptions);
  /**
   * Creates the module; see {@link MaxUnpoolOptions} for each argument.
   *
   * @param kernelSize - The pooling's window size (PyTorch's `kernel_size`), ≥ 1: one integer, or one
   *   per spatial dimension.
   * @param stride - The pooling's step, ≥ 1. Default `null`: the kernel size.
   * @param options - By name: `padding`.
   */
  constructor(
    kernelSize: PerDim,
    stride?: PerDim | null,
    options?: Omit<MaxUnpoolOptions, 'stride'>,
  );
  /**
   * Creates the module from positional arguments, in PyTorch's order.
   *
   * @param kernelSize - The pooling's window size (PyTorch's `kernel_size`), ≥ 1: one integer, or one
   *   per spatial dimension.
   * @param stride - The pooling's step, ≥ 1. Default `null`: the kernel size.
   * @param padding - The pooling's padding, ≥ 0: one integer, or one per spatial dimension.
   *   Default `0`.
   */
  constructor(kernelSize: PerDim, stride?: PerDim | null, padding?: PerDim);
  constructor(...argv: unknown[]) {
    super();
    const dims = this.dims();
    const a = bindArgs({ name: this.name, params: [KERNEL, STRIDE, PADDING] }, argv);
    const each = (arg: string, v: PerDim) => {
      try {
        return perDim(this.name, arg, v, dims);
      } catch (e) {
        throw prefixError(e, this.name);
      }
    };
    const kernelSize = each('kernelSize', a.kernelSize as PerDim);
    this.args = {
      kernelSize,
      stride: a.stride === null ? kernelSize : each('stride', a.stride as PerDim),
      padding: each('padding', a.padding as PerDim),
    };
  }

  /** Unpools `input` to where `indices` say, at `outputSize` (default: the pooling's inverse). */
  protected unpool(argv: unknown[]): Tensor {
    const name = `${this.name}.forward`;
    const fn = `maxUnpool${this.dims()}d`;
    let given = argv.length;
    while (given > 2 && argv[given - 1] === undefined) given--;
    if (given < 2 || given > 3 || !T.isTensor(argv[0]) || !T.isTensor(argv[1])) {
      throw new Error(
        `${name}: takes 2 or 3 arguments (input, indices, outputSize?), the first two Tensors`,
      );
    }
    const outputSize = argv[2] ?? null;
    const bad = OUTPUT_SIZE.type.validate(outputSize);
    if (bad)
      throw new Error(`${name}: outputSize must be ${bad}, got ${describeValue(outputSize)}`);
    const a: UnpoolArgs = {
      ...this.args,
      input: argv[0] as Tensor,
      indices: argv[1] as Tensor,
      outputSize: outputSize as readonly number[] | null,
    };
    try {
      return maxUnpoolNd(fn, this.dims(), a);
    } catch (e) {
      throw prefixError(e, name, [fn]);
    }
  }

  override extraRepr(): string {
    const a = this.args;
    return `kernel_size=${py(a.kernelSize)}, stride=${py(a.stride)}, padding=${py(a.padding)}`;
  }
}

/**
 * The inverse of max pooling along the last dimension, as `torch.nn.MaxUnpool1d`:
 * `forward(input, indices, outputSize?)` puts each value of `input` `(N, C, L)`
 * or `(C, L)` at its index (as {@link MaxPool1d} with `returnIndices` gives
 * them) in zeros; see {@link F.maxUnpool1d}.
 * @example
 * ```ts
 * import { nn, tensor } from 'nnkit';
 * const unpool = new nn.MaxUnpool1d(2);
 * console.log(unpool.toString()); // MaxUnpool1d(kernel_size=(2,), stride=(2,), padding=(0,))
 * const [y, indices] = new nn.MaxPool1d(2, { returnIndices: true }).forward(tensor([[1, 3, 2, 5]]));
 * console.log(unpool.forward(y, indices).toString()); // tensor([[0., 3., 0., 5.]])
 * ```
 */
export class MaxUnpool1d extends MaxUnpoolNd {
  protected dims(): 1 {
    return 1;
  }
  /** `input` unpooled; `outputSize` (`[L]` or `[N, C, L]`) picks among the possible lengths. */
  forward(
    ...argv: [input: Tensor, indices: Tensor, outputSize?: readonly number[] | null]
  ): Tensor {
    return this.unpool(argv);
  }
}

/**
 * The inverse of max pooling over the last two dimensions, as
 * `torch.nn.MaxUnpool2d`: `forward(input, indices, outputSize?)` puts each
 * value of `input` `(N, C, H, W)` or `(C, H, W)` at its index (as
 * {@link MaxPool2d} with `returnIndices` gives them) in zeros; see
 * {@link F.maxUnpool2d}.
 * @example
 * ```ts
 * import { nn, randn } from 'nnkit';
 * const pool = new nn.MaxPool2d(2, { stride: 2, returnIndices: true });
 * const unpool = new nn.MaxUnpool2d(2, { stride: 2 });
 * console.log(unpool.toString()); // MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))
 * const x = randn([1, 1, 5, 5]);
 * const [y, indices] = pool.forward(x);
 * // The indices are into 5 × 5 planes; the default size would be 4 × 4.
 * console.log(unpool.forward(y, indices, x.shape).shape); // [ 1, 1, 5, 5 ]
 * ```
 */
export class MaxUnpool2d extends MaxUnpoolNd {
  protected dims(): 2 {
    return 2;
  }
  /** `input` unpooled; `outputSize` (`[H, W]` or `[N, C, H, W]`) picks among the possible sizes. */
  forward(
    ...argv: [input: Tensor, indices: Tensor, outputSize?: readonly number[] | null]
  ): Tensor {
    return this.unpool(argv);
  }
}

/**
 * Max unpooling over the last three dimensions, as `torch.nn.MaxUnpool3d`: puts the values that
 * {@link MaxPool3d} with `returnIndices` kept back where they came from, zeros elsewhere; see
 * `F.maxUnpool3d`.
 * @example
 * ```ts
 * import { nn, randn } from 'nnkit';
 * const pool = new nn.MaxPool3d(2, { returnIndices: true });
 * const [y, indices] = pool.forward(randn([1, 2, 4, 4, 4]));
 * const unpool = new nn.MaxUnpool3d(2);
 * console.log(unpool.toString()); // MaxUnpool3d(kernel_size=(2, 2, 2), stride=(2, 2, 2), padding=(0, 0, 0))
 * console.log(unpool.forward(y, indices).shape); // [ 1, 2, 4, 4, 4 ]
 * ```
 */
export class MaxUnpool3d extends MaxUnpoolNd {
  protected dims(): 3 {
    return 3;
  }
  /**
   * `input` unpooled; `outputSize` (`[D, H, W]` or `[N, C, D, H, W]`) picks among the possible
   * sizes.
   */
  forward(
    ...argv: [input: Tensor, indices: Tensor, outputSize?: readonly number[] | null]
  ): Tensor {
    return this.unpool(argv);
  }
}
