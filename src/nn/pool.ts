/**
 * `nn.MaxPool1d`, `nn.MaxPool2d`, `nn.AvgPool1d` and `nn.AvgPool2d` around
 * the pooling functions, with PyTorch 1.13's parameters and reprs (the
 * arguments as given; `AvgPool1d` prints them as 1-tuples).
 */
import type { Tensor } from '../tensor/tensor.js';
import { avgPoolNd, maxPoolNd, type PoolArgs } from '../functional/pool.js';
import type { PerDim } from '../functional/windows.js';
import { bindArgs, prefixError, type Param } from '../signature/bind.js';
import * as T from '../signature/types.js';
import { Module, pyBool } from './module.js';

const ints = T.intOrList;
const KERNEL: Param = { name: 'kernelSize', type: ints(1), doc: 'the window’s size' };
const STRIDE: Param = {
  name: 'stride',
  type: T.optional(ints(1)),
  default: null,
  doc: 'step between windows (none: the kernel size)',
};
const PADDING: Param = { name: 'padding', type: ints(0), default: 0, doc: 'implicit padding' };
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

/** Options of {@link MaxPool1d} and {@link MaxPool2d}. */
export interface MaxPoolOptions {
  /** Step between windows (default: the kernel size). */
  stride?: PerDim | null;
  /** Implicit −∞ padding on both sides, at most half the kernel (default 0). */
  padding?: PerDim;
  /** Spacing between window elements (default 1). */
  dilation?: PerDim;
  /** Return the maxima's indices too: not supported, throws when true (default false). */
  returnIndices?: boolean;
  /** Round the output size up (default false). */
  ceilMode?: boolean;
}

/** Options of {@link AvgPool1d} and {@link AvgPool2d}. */
export interface AvgPoolOptions {
  /** Step between windows (default: the kernel size). */
  stride?: PerDim | null;
  /** Implicit zero padding on both sides, at most half the kernel (default 0). */
  padding?: PerDim;
  /** Round the output size up (default false). */
  ceilMode?: boolean;
  /** Count the padding in the divisor (default true). */
  countIncludePad?: boolean;
  /** Divide every window by this instead (`AvgPool2d` only). */
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
  protected run(argv: unknown[], pool: (a: PoolArgs) => Tensor, fn: string): Tensor {
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
  { name: 'dilation', type: ints(1), default: 1, doc: 'spacing between window elements' },
  { name: 'returnIndices', type: T.bool, default: false, doc: 'not supported: throws when true' },
  CEIL,
];

abstract class MaxPoolNd extends PoolNd {
  constructor(argv: unknown[]) {
    super(MAX_PARAMS, argv);
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
 * ```
 */
export class MaxPool1d extends MaxPoolNd {
  constructor(kernelSize: PerDim, options?: MaxPoolOptions);
  constructor(...argv: unknown[]) {
    super(argv);
  }
  /** The max of each window of `input`. */
  forward(...argv: [input: Tensor]): Tensor {
    return this.run(argv, (a) => maxPoolNd('maxPool1d', 1, a), 'maxPool1d');
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
 * ```
 */
export class MaxPool2d extends MaxPoolNd {
  constructor(kernelSize: PerDim, options?: MaxPoolOptions);
  constructor(...argv: unknown[]) {
    super(argv);
  }
  /** The max of each window of `input`. */
  forward(...argv: [input: Tensor]): Tensor {
    return this.run(argv, (a) => maxPoolNd('maxPool2d', 2, a), 'maxPool2d');
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
export class AvgPool2d extends PoolNd {
  constructor(kernelSize: PerDim, options?: AvgPoolOptions);
  constructor(...argv: unknown[]) {
    super(
      [
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
      ],
      argv,
    );
  }
  /** The mean of each window of `input`. */
  forward(...argv: [input: Tensor]): Tensor {
    return this.run(argv, (a) => avgPoolNd('avgPool2d', 2, a), 'avgPool2d');
  }
  override extraRepr(): string {
    const a = this.args;
    return `kernel_size=${py(a.kernelSize as PerDim)}, stride=${py(a.stride as PerDim)}, padding=${py(a.padding as PerDim)}`;
  }
}
