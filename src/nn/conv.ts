/**
 * `nn.Conv1d`, `nn.Conv2d` and `nn.Conv3d`: `F.conv1d/2d/3d` with a learnt weight
 * and bias, PyTorch's `_ConvNd` — its parameters, `reset_parameters`
 * (kaiming_uniform with a = √5, then the bias from U(±1/√fanIn), so the same
 * seed gives PyTorch's weights), its padding modes (`'reflect'`,
 * `'replicate'`, `'circular'` pad with `F.pad` first) and its repr.
 * `nn.ConvTranspose1d` and `nn.ConvTranspose2d` are PyTorch's
 * `_ConvTransposeNd` on `F.convTranspose1d/2d` the same way: weight
 * `(inChannels, outChannels/groups, kernel…)`, so fanIn is
 * `outChannels/groups · kernel`, and `forward(input, outputSize)` picks the
 * output padding from a requested size as PyTorch's `_output_padding` does.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import * as init from './init.js';
import { Module } from './module.js';
import { emptyParameter } from './linear.js';
import {
  convNd,
  convPadding,
  convTransposeNd,
  convTransposeSize,
  type ConvPadding,
} from '../functional/conv.js';
import { perDim, type PerDim } from '../functional/windows.js';
import { padSpatial } from '../functional/padding.js';
import { bindArgs, prefixError, type Param } from '../signature/bind.js';
import { formatShape } from '../tensor/shape.js';

export type { ConvPadding } from '../functional/conv.js';
export type { PerDim } from '../functional/windows.js';
import * as T from '../signature/types.js';

const PARAMS: readonly Param[] = [
  { name: 'inChannels', type: T.int({ min: 1 }), doc: 'channels C of the input' },
  { name: 'outChannels', type: T.int({ min: 1 }), doc: 'channels of the output' },
  { name: 'kernelSize', type: T.intOrList(1), doc: 'the kernel’s size, per spatial dimension' },
  { name: 'stride', type: T.intOrList(1), default: 1, doc: 'step between window starts' },
  {
    name: 'padding',
    type: T.either(T.intOrList(0), T.oneOf('same', 'valid')),
    default: 0,
    doc: "padding on both sides, or 'same' / 'valid'",
  },
  { name: 'dilation', type: T.intOrList(1), default: 1, doc: 'spacing between kernel elements' },
  { name: 'groups', type: T.int({ min: 1 }), default: 1, doc: 'channel groups' },
  { name: 'bias', type: T.bool, default: true, doc: 'learn an additive bias' },
  {
    name: 'paddingMode',
    type: T.oneOf('zeros', 'reflect', 'replicate', 'circular'),
    default: 'zeros',
    doc: 'what the padding holds',
  },
  // PyTorch's `device` comes before `dtype`: nnkit has no devices, so `dtype` is by name only.
  { name: 'dtype', type: T.floatDtype, default: 'float32', kwOnly: true, doc: 'parameter dtype' },
];

/** Options of {@link Conv1d}, {@link Conv2d} and {@link Conv3d}. */
export interface ConvOptions {
  /** Step between window starts (default 1). */
  stride?: PerDim;
  /** Padding on both sides of each spatial dimension, or `'same'` / `'valid'` (default 0). */
  padding?: ConvPadding;
  /** Spacing between kernel elements (default 1). */
  dilation?: PerDim;
  /** Channel groups; must divide both channel counts (default 1). */
  groups?: number;
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** What the padding holds: `'zeros'` (default), `'reflect'`, `'replicate'` or `'circular'`. */
  paddingMode?: 'zeros' | 'reflect' | 'replicate' | 'circular';
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/** A Python tuple: `(3,)`, `(3, 3)`. */
const pyTuple = (v: readonly number[]): string =>
  v.length === 1 ? `(${v[0]},)` : `(${v.join(', ')})`;

/** Both channel counts must be divisible by `groups`, as `_ConvNd`'s constructor checks. */
function checkGroups(inChannels: number, outChannels: number, groups: number): void {
  if (inChannels % groups !== 0) throw new Error('inChannels must be divisible by groups');
  if (outChannels % groups !== 0) throw new Error('outChannels must be divisible by groups');
}

/**
 * Registers a convolution's `weight` of `shape` and, unless `bias` is false, its `bias` of
 * `(outChannels)`, initialised as `_ConvNd.reset_parameters`: kaiming_uniform with a = √5, then
 * the bias from U(±1/√fanIn), where fanIn (PyTorch's `fan_in`) is the weight's second dimension
 * times the kernel: `inChannels/groups · kernel` for a convolution, `outChannels/groups · kernel`
 * for a transposed one.
 */
function registerConvParameters(
  m: Module,
  shape: readonly number[],
  outChannels: number,
  bias: boolean,
  dtype: 'float32' | 'float64',
): void {
  const weight = emptyParameter(shape, dtype);
  const b = bias ? emptyParameter([outChannels], dtype) : null;
  init.kaimingUniform_(weight, Math.sqrt(5));
  if (b) {
    const fanIn = shape.slice(1).reduce((p, k) => p * k, 1);
    const bound = 1 / Math.sqrt(fanIn);
    init.uniform_(b, -bound, bound);
  }
  m.registerParameter('weight', weight);
  m.registerParameter('bias', b);
}

/** What Conv1d, Conv2d and Conv3d share, PyTorch's `_ConvNd`. */
export abstract class ConvNd extends Module {
  /** Channels of the input. */
  readonly inChannels: number;
  /** Channels of the output. */
  readonly outChannels: number;
  /** The kernel's size, per spatial dimension. */
  readonly kernelSize: readonly number[];
  /** Step between window starts, per spatial dimension. */
  readonly stride: readonly number[];
  /** Padding per spatial dimension, or `'same'` / `'valid'`. */
  readonly padding: readonly number[] | 'same' | 'valid';
  /** Spacing between kernel elements, per spatial dimension. */
  readonly dilation: readonly number[];
  /** Channel groups. */
  readonly groups: number;
  /** What the padding holds. */
  readonly paddingMode: 'zeros' | 'reflect' | 'replicate' | 'circular';
  /** The spatial dimensions (1, 2 or 3). */
  private readonly dims: number;

  /**
   * Called by subclasses; binds and checks the arguments and initialises `weight` and `bias` as
   * PyTorch's `reset_parameters` does.
   *
   * @param dims - The number of spatial dimensions (1 for `Conv1d`, 2 for `Conv2d`, 3 for `Conv3d`).
   * @param args - The subclass constructor's arguments as given: `inChannels`, `outChannels`,
   *   `kernelSize`, `stride`, `padding`, `dilation`, `groups`, `bias`, `paddingMode` by position,
   *   optionally followed by one options object with those names and `dtype`.
   */
  constructor(dims: number, args: unknown[]) {
    super();
    const name = this.name;
    const a = bindArgs({ name, params: PARAMS }, args);
    this.dims = dims;
    this.inChannels = a.inChannels as number;
    this.outChannels = a.outChannels as number;
    this.groups = a.groups as number;
    const fn = name;
    try {
      this.kernelSize = perDim(fn, 'kernelSize', a.kernelSize as PerDim, dims);
      this.stride = perDim(fn, 'stride', a.stride as PerDim, dims);
      this.dilation = perDim(fn, 'dilation', a.dilation as PerDim, dims);
      const padding = a.padding as ConvPadding;
      this.padding = typeof padding === 'string' ? padding : perDim(fn, 'padding', padding, dims);
      this.paddingMode = a.paddingMode as ConvNd['paddingMode'];
      checkGroups(this.inChannels, this.outChannels, this.groups);
      // Checks 'same' with a stride, as PyTorch's constructor does.
      convPadding(fn, this.padding, this.kernelSize, this.dilation, this.stride);
      registerConvParameters(
        this,
        [this.outChannels, this.inChannels / this.groups, ...this.kernelSize],
        this.outChannels,
        a.bias !== false,
        a.dtype as 'float32' | 'float64',
      );
    } catch (e) {
      throw prefixError(e, name, [fn]);
    }
  }

  /** `(outChannels, inChannels/groups, kernel…)`. */
  get weight(): Tensor {
    return this.param('weight');
  }

  /** `(outChannels)`, or null without bias. */
  get bias(): Tensor | null {
    return this.paramOrNull('bias');
  }

  /** The convolution of `input`, `(N, C, …)` or one sample `(C, …)`. */
  forward(...args: [input: Tensor]): Tensor {
    const name = `${this.name}.forward`;
    if (args.length !== 1 || !T.isTensor(args[0])) {
      throw new Error(`${name}: takes 1 argument, the input Tensor`);
    }
    const fn = `conv${this.dims}d`;
    let input = args[0];
    let padding: ConvPadding = this.padding;
    try {
      if (this.paddingMode !== 'zeros') {
        // PyTorch pads with the mode first, then convolves without padding.
        const pads = convPadding(fn, this.padding, this.kernelSize, this.dilation, this.stride);
        const mode =
          this.paddingMode === 'circular'
            ? 'circular'
            : this.paddingMode === 'reflect'
              ? 'reflect'
              : 'replicate';
        input = padSpatial(input, pads, mode, null);
        padding = 0;
      }
      return convNd(fn, this.dims, {
        input,
        weight: this.weight,
        bias: this.bias,
        stride: this.stride,
        padding,
        dilation: this.dilation,
        groups: this.groups,
      });
    } catch (e) {
      throw prefixError(e, name, [fn, 'pad']);
    }
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`;
    if (typeof this.padding === 'string') s += `, padding=${this.padding}`;
    else if (this.padding.some((p) => p !== 0)) s += `, padding=${pyTuple(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    if (this.paddingMode !== 'zeros') s += `, padding_mode=${this.paddingMode}`;
    return s;
  }
}

/**
 * A 1-D convolution layer, `torch.nn.Conv1d`: input `(N, inChannels, L)` or
 * `(inChannels, L)`, weight `(outChannels, inChannels/groups, kernelSize)`.
 * @example
 * ```ts
 * import { nn, randn } from 'nnkit';
 * const conv = new nn.Conv1d(3, 8, 5, { padding: 'same' });
 * console.log(conv.toString()); // Conv1d(3, 8, kernel_size=(5,), stride=(1,), padding=same)
 * console.log(conv.forward(randn([2, 3, 20])).shape); // [ 2, 8, 20 ]
 * ```
 */
export class Conv1d extends ConvNd {
  /**
   * Creates the layer with PyTorch's initialisation; see {@link ConvOptions}.
   *
   * @param inChannels - Channels of the input. PyTorch's `in_channels`.
   * @param outChannels - Channels of the output. PyTorch's `out_channels`.
   * @param kernelSize - The kernel's size: a number, or a one-element array. PyTorch's
   *   `kernel_size`.
   * @param rest - `stride` (default `1`) by position, then an options object with the rest; or
   *   one options object. By name: `stride`, `padding`, `dilation`, `groups`, `bias`,
   *   `paddingMode`, `dtype`.
   */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: PerDim,
    ...rest: [opts?: ConvOptions] | [stride: PerDim, opts?: Omit<ConvOptions, 'stride'>]
  );
  constructor(...args: unknown[]) {
    super(1, args);
  }
}

/**
 * A 2-D convolution layer, `torch.nn.Conv2d`: input `(N, inChannels, H, W)`
 * or `(inChannels, H, W)`, weight `(outChannels, inChannels/groups, kH, kW)`.
 * @example
 * ```ts
 * import { nn, randn } from 'nnkit';
 * const conv = new nn.Conv2d(3, 16, 3, { stride: 2, padding: 1 });
 * console.log(conv.toString()); // Conv2d(3, 16, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))
 * console.log(conv.forward(randn([4, 3, 32, 32])).shape); // [ 4, 16, 16, 16 ]
 * ```
 */
export class Conv2d extends ConvNd {
  /**
   * Creates the layer with PyTorch's initialisation; see {@link ConvOptions}.
   *
   * @param inChannels - Channels of the input. PyTorch's `in_channels`.
   * @param outChannels - Channels of the output. PyTorch's `out_channels`.
   * @param kernelSize - The kernel's size: a number for both dimensions, or `[kH, kW]`. PyTorch's
   *   `kernel_size`.
   * @param rest - `stride` (default `1`) by position, then an options object with the rest; or
   *   one options object. By name: `stride`, `padding`, `dilation`, `groups`, `bias`,
   *   `paddingMode`, `dtype`.
   */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: PerDim,
    ...rest: [opts?: ConvOptions] | [stride: PerDim, opts?: Omit<ConvOptions, 'stride'>]
  );
  constructor(...args: unknown[]) {
    super(2, args);
  }
}

/**
 * A 3-D convolution layer, `torch.nn.Conv3d`: input `(N, inChannels, D, H, W)` or
 * `(inChannels, D, H, W)`, weight `(outChannels, inChannels/groups, kD, kH, kW)`.
 * @example
 * ```ts
 * import { nn, randn } from 'nnkit';
 * const conv = new nn.Conv3d(2, 4, 3, { padding: 1 });
 * console.log(conv.toString()); // Conv3d(2, 4, kernel_size=(3, 3, 3), stride=(1, 1, 1), padding=(1, 1, 1))
 * console.log(conv.forward(randn([1, 2, 4, 8, 8])).shape); // [ 1, 4, 4, 8, 8 ]
 * ```
 */
export class Conv3d extends ConvNd {
  /**
   * Creates the layer with PyTorch's initialisation; see {@link ConvOptions}.
   *
   * @param inChannels - Channels of the input. PyTorch's `in_channels`.
   * @param outChannels - Channels of the output. PyTorch's `out_channels`.
   * @param kernelSize - The kernel's size: a number for all three dimensions, or `[kD, kH, kW]`.
   *   PyTorch's `kernel_size`.
   * @param rest - `stride` (default `1`) by position, then an options object with the rest; or
   *   one options object. By name: `stride`, `padding`, `dilation`, `groups`, `bias`,
   *   `paddingMode`, `dtype`.
   */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: PerDim,
    ...rest: [opts?: ConvOptions] | [stride: PerDim, opts?: Omit<ConvOptions, 'stride'>]
  );
  constructor(...args: unknown[]) {
    super(3, args);
  }
}

const TRANSPOSE_PARAMS: readonly Param[] = [
  { name: 'inChannels', type: T.int({ min: 1 }), doc: 'channels C of the input' },
  { name: 'outChannels', type: T.int({ min: 1 }), doc: 'channels of the output' },
  { name: 'kernelSize', type: T.intOrList(1), doc: 'the kernel’s size, per spatial dimension' },
  {
    name: 'stride',
    type: T.intOrList(1),
    default: 1,
    doc: 'step between input positions in the output',
  },
  {
    name: 'padding',
    type: T.intOrList(0),
    default: 0,
    doc: 'removed from both sides of the output',
  },
  {
    name: 'outputPadding',
    type: T.intOrList(0),
    default: 0,
    doc: 'added to one side of the output',
  },
  { name: 'groups', type: T.int({ min: 1 }), default: 1, doc: 'channel groups' },
  { name: 'bias', type: T.bool, default: true, doc: 'learn an additive bias' },
  { name: 'dilation', type: T.intOrList(1), default: 1, doc: 'spacing between kernel elements' },
  {
    name: 'paddingMode',
    type: T.oneOf('zeros', 'reflect', 'replicate', 'circular'),
    default: 'zeros',
    doc: "what the padding holds: only 'zeros'",
  },
  // PyTorch's `device` comes before `dtype`: nnkit has no devices, so `dtype` is by name only.
  { name: 'dtype', type: T.floatDtype, default: 'float32', kwOnly: true, doc: 'parameter dtype' },
];

/** Options of {@link ConvTranspose1d} and {@link ConvTranspose2d}. */
export interface ConvTransposeOptions {
  /** Step between the input positions' places in the output (default 1). */
  stride?: PerDim;
  /** Removed from both sides of each spatial dimension of the output (default 0). */
  padding?: PerDim;
  /** Added to the end of each spatial dimension of the output; below the stride or the dilation (default 0). */
  outputPadding?: PerDim;
  /** Channel groups; must divide both channel counts (default 1). */
  groups?: number;
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Spacing between kernel elements (default 1). */
  dilation?: PerDim;
  /** Only `'zeros'` (the default), as in PyTorch; the others throw. */
  paddingMode?: 'zeros' | 'reflect' | 'replicate' | 'circular';
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/** What ConvTranspose1d, ConvTranspose2d and ConvTranspose3d share, PyTorch's `_ConvTransposeNd`. */
export abstract class ConvTransposeNd extends Module {
  /** Channels of the input. */
  readonly inChannels: number;
  /** Channels of the output. */
  readonly outChannels: number;
  /** The kernel's size, per spatial dimension. */
  readonly kernelSize: readonly number[];
  /** Step between the input positions' places in the output, per spatial dimension. */
  readonly stride: readonly number[];
  /** Removed from both sides of the output, per spatial dimension. */
  readonly padding: readonly number[];
  /** Added to the end of the output, per spatial dimension (unless `forward` gets an `outputSize`). */
  readonly outputPadding: readonly number[];
  /** Spacing between kernel elements, per spatial dimension. */
  readonly dilation: readonly number[];
  /** Channel groups. */
  readonly groups: number;
  /** What the padding holds: always `'zeros'`. */
  readonly paddingMode: 'zeros';
  /** The spatial dimensions (1 or 2). */
  private readonly dims: number;

  /**
   * Called by subclasses; binds and checks the arguments and initialises `weight` and `bias` as
   * PyTorch's `reset_parameters` does.
   *
   * @param dims - The number of spatial dimensions (1 for `ConvTranspose1d`, 2 for
   *   `ConvTranspose2d`).
   * @param args - The subclass constructor's arguments as given: `inChannels`, `outChannels`,
   *   `kernelSize`, `stride`, `padding`, `outputPadding`, `groups`, `bias`, `dilation`,
   *   `paddingMode` by position, optionally followed by one options object with those names and
   *   `dtype`.
   */
  constructor(dims: number, args: unknown[]) {
    super();
    const name = this.name;
    const a = bindArgs({ name, params: TRANSPOSE_PARAMS }, args);
    this.dims = dims;
    this.inChannels = a.inChannels as number;
    this.outChannels = a.outChannels as number;
    this.groups = a.groups as number;
    const fn = name;
    try {
      if (a.paddingMode !== 'zeros') {
        throw new Error(
          `only paddingMode 'zeros' is supported for transposed convolutions, got '${String(a.paddingMode)}'`,
        );
      }
      this.paddingMode = 'zeros';
      this.kernelSize = perDim(fn, 'kernelSize', a.kernelSize as PerDim, dims);
      this.stride = perDim(fn, 'stride', a.stride as PerDim, dims);
      this.padding = perDim(fn, 'padding', a.padding as PerDim, dims);
      this.outputPadding = perDim(fn, 'outputPadding', a.outputPadding as PerDim, dims);
      this.dilation = perDim(fn, 'dilation', a.dilation as PerDim, dims);
      checkGroups(this.inChannels, this.outChannels, this.groups);
      // PyTorch checks this at the first forward; nnkit's rule is to check in the constructor.
      if (this.outputPadding.some((p, i) => p >= this.stride[i] && p >= this.dilation[i])) {
        throw new Error(
          `outputPadding must be smaller than either stride or dilation in each dimension, got outputPadding ${pyTuple(this.outputPadding)}, stride ${pyTuple(this.stride)}, dilation ${pyTuple(this.dilation)}`,
        );
      }
      registerConvParameters(
        this,
        [this.inChannels, this.outChannels / this.groups, ...this.kernelSize],
        this.outChannels,
        a.bias !== false,
        a.dtype as 'float32' | 'float64',
      );
    } catch (e) {
      throw prefixError(e, name, [fn]);
    }
  }

  /** `(inChannels, outChannels/groups, kernel…)`. */
  get weight(): Tensor {
    return this.param('weight');
  }

  /** `(outChannels)`, or null without bias. */
  get bias(): Tensor | null {
    return this.paramOrNull('bias');
  }

  /**
   * The output padding that gives `outputSize`, PyTorch's `_output_padding`:
   * `outputSize` lists the spatial sizes, optionally after the non-spatial
   * ones (those are not checked, as in PyTorch); each must lie between the
   * size without output padding and that plus `stride − 1`.
   */
  private outputPaddingFor(name: string, input: Tensor, outputSize: readonly number[]): number[] {
    const dims = this.dims;
    const lead = input.ndim === dims + 2 ? 2 : 1;
    if (input.ndim !== dims + 1 && input.ndim !== dims + 2) {
      throw new Error(
        `${name}: expected a ${dims + 1}-D (unbatched) or ${dims + 2}-D (batched) input, got shape ${formatShape(input.shape)}`,
      );
    }
    let size = outputSize;
    if (size.length === lead + dims) size = size.slice(lead);
    if (size.length !== dims) {
      throw new Error(
        `${name}: for a ${input.ndim}-D input, outputSize must have ${dims} or ${lead + dims} elements, got ${outputSize.length}`,
      );
    }
    const spatial = input.shape.slice(lead);
    const zeros = new Array<number>(dims).fill(0);
    const min = convTransposeSize(
      spatial,
      this.kernelSize,
      this.stride,
      this.padding,
      this.dilation,
      zeros,
    );
    const max = min.map((m, i) => m + this.stride[i] - 1);
    if (size.some((s, i) => s < min[i] || s > max[i])) {
      throw new Error(
        `${name}: requested an output size of ${pyList(size)}, but valid sizes range from ${pyList(min)} to ${pyList(max)} (for an input of spatial size ${pyList(spatial)})`,
      );
    }
    return size.map((s, i) => s - min[i]);
  }

  /**
   * The transposed convolution of `input`, `(N, C, …)` or one sample
   * `(C, …)`. With `outputSize` (the output's spatial sizes, or its whole
   * shape), the output padding is chosen to give that size instead of the
   * module's `outputPadding`.
   */
  forward(...args: unknown[]): Tensor {
    const name = `${this.name}.forward`;
    const a = bindArgs({ name, params: FORWARD_PARAMS }, args);
    const input = a.input as Tensor;
    const fn = `convTranspose${this.dims}d`;
    try {
      const outputPadding =
        a.outputSize === null
          ? this.outputPadding
          : this.outputPaddingFor(name, input, a.outputSize as readonly number[]);
      return convTransposeNd(fn, this.dims, {
        input,
        weight: this.weight,
        bias: this.bias,
        stride: this.stride,
        padding: this.padding,
        outputPadding,
        groups: this.groups,
        dilation: this.dilation,
      });
    } catch (e) {
      throw prefixError(e, name, [fn]);
    }
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`;
    if (this.padding.some((p) => p !== 0)) s += `, padding=${pyTuple(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (this.outputPadding.some((p) => p !== 0))
      s += `, output_padding=${pyTuple(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    return s;
  }
}

/** A Python list: `[11, 12]`. */
const pyList = (v: readonly number[]): string => `[${v.join(', ')}]`;

const FORWARD_PARAMS: readonly Param[] = [
  { name: 'input', type: T.tensor, doc: 'the input' },
  {
    name: 'outputSize',
    type: T.optional(T.intList({ min: 0 })),
    default: null,
    doc: 'the output’s spatial sizes (or its whole shape): picks the output padding',
  },
];

/** The optional argument of {@link ConvTranspose1d.forward} and {@link ConvTranspose2d.forward}, by name. */
export interface ConvTransposeForwardOptions {
  /**
   * The output's spatial sizes, or its whole shape (the non-spatial sizes are
   * not used): picks the output padding in place of the module's `outputPadding`.
   */
  outputSize?: readonly number[] | null;
}

/**
 * A 1-D transposed convolution layer, `torch.nn.ConvTranspose1d`: input
 * `(N, inChannels, L)` or `(inChannels, L)`, weight
 * `(inChannels, outChannels/groups, kernelSize)`, output length
 * `(L − 1)·stride − 2·padding + dilation·(kernelSize − 1) + outputPadding + 1`.
 * It maps `nn.Conv1d`'s output shape back to its input shape; `forward`'s
 * `outputSize` picks among the lengths a strided convolution maps to one.
 * @example
 * ```ts
 * import { nn, randn } from 'nnkit';
 * const up = new nn.ConvTranspose1d(8, 3, 4, { stride: 2, padding: 1 });
 * console.log(up.toString()); // ConvTranspose1d(8, 3, kernel_size=(4,), stride=(2,), padding=(1,))
 * const x = randn([2, 8, 10]);
 * console.log(up.forward(x).shape); // [ 2, 3, 20 ]
 * console.log(up.forward(x, [21]).shape); // [ 2, 3, 21 ]
 * ```
 */
export class ConvTranspose1d extends ConvTransposeNd {
  /**
   * Creates the layer with PyTorch's initialisation; see {@link ConvTransposeOptions}.
   *
   * @param inChannels - Channels of the input. PyTorch's `in_channels`.
   * @param outChannels - Channels of the output. PyTorch's `out_channels`.
   * @param kernelSize - The kernel's size: a number, or a one-element array. PyTorch's
   *   `kernel_size`.
   * @param rest - `stride` (default `1`) by position, then an options object with the rest; or
   *   one options object. By name: `stride`, `padding`, `outputPadding`, `groups`, `bias`,
   *   `dilation`, `paddingMode` (only `'zeros'`), `dtype`.
   */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: PerDim,
    ...rest:
      [opts?: ConvTransposeOptions] | [stride: PerDim, opts?: Omit<ConvTransposeOptions, 'stride'>]
  );
  constructor(...args: unknown[]) {
    super(1, args);
  }

  /**
   * The transposed convolution of `input`, `(N, inChannels, L)` or
   * `(inChannels, L)`; `outputSize` (`[L_out]`, or the whole output shape)
   * picks the output padding in place of the module's `outputPadding`.
   */
  override forward(
    input: Tensor,
    ...rest: [opts?: ConvTransposeForwardOptions] | [outputSize: readonly number[] | null]
  ): Tensor;
  override forward(...args: unknown[]): Tensor {
    return super.forward(...args);
  }
}

/**
 * A 2-D transposed convolution layer, `torch.nn.ConvTranspose2d`: input
 * `(N, inChannels, H, W)` or `(inChannels, H, W)`, weight
 * `(inChannels, outChannels/groups, kH, kW)`, each output size
 * `(size − 1)·stride − 2·padding + dilation·(kernel − 1) + outputPadding + 1`.
 * @example
 * ```ts
 * import { nn, randn } from 'nnkit';
 * const up = new nn.ConvTranspose2d(16, 33, [3, 5], { stride: [2, 1], padding: [4, 2] });
 * console.log(up.toString()); // ConvTranspose2d(16, 33, kernel_size=(3, 5), stride=(2, 1), padding=(4, 2))
 * console.log(up.forward(randn([4, 16, 50, 100])).shape); // [ 4, 33, 93, 100 ]
 * const down = new nn.Conv2d(16, 16, 3, { stride: 2, padding: 1 });
 * const back = new nn.ConvTranspose2d(16, 16, 3, { stride: 2, padding: 1 });
 * const x = randn([1, 16, 12, 12]);
 * console.log(back.forward(down.forward(x), { outputSize: x.shape }).shape); // [ 1, 16, 12, 12 ]
 * ```
 */
export class ConvTranspose2d extends ConvTransposeNd {
  /**
   * Creates the layer with PyTorch's initialisation; see {@link ConvTransposeOptions}.
   *
   * @param inChannels - Channels of the input. PyTorch's `in_channels`.
   * @param outChannels - Channels of the output. PyTorch's `out_channels`.
   * @param kernelSize - The kernel's size: a number for both dimensions, or `[kH, kW]`. PyTorch's
   *   `kernel_size`.
   * @param rest - `stride` (default `1`) by position, then an options object with the rest; or
   *   one options object. By name: `stride`, `padding`, `outputPadding`, `groups`, `bias`,
   *   `dilation`, `paddingMode` (only `'zeros'`), `dtype`.
   */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: PerDim,
    ...rest:
      [opts?: ConvTransposeOptions] | [stride: PerDim, opts?: Omit<ConvTransposeOptions, 'stride'>]
  );
  constructor(...args: unknown[]) {
    super(2, args);
  }

  /**
   * The transposed convolution of `input`, `(N, inChannels, H, W)` or
   * `(inChannels, H, W)`; `outputSize` (`[H_out, W_out]`, or the whole output
   * shape) picks the output padding in place of the module's `outputPadding`.
   */
  override forward(
    input: Tensor,
    ...rest: [opts?: ConvTransposeForwardOptions] | [outputSize: readonly number[] | null]
  ): Tensor;
  override forward(...args: unknown[]): Tensor {
    return super.forward(...args);
  }
}

/**
 * A 3-D transposed convolution layer, `torch.nn.ConvTranspose3d`: input
 * `(N, inChannels, D, H, W)` or `(inChannels, D, H, W)`, weight
 * `(inChannels, outChannels/groups, kD, kH, kW)`, each output size
 * `(size − 1)·stride − 2·padding + dilation·(kernel − 1) + outputPadding + 1`.
 * @example
 * ```ts
 * import { nn, randn } from 'nnkit';
 * const up = new nn.ConvTranspose3d(4, 2, 2, { stride: 2 });
 * console.log(up.toString()); // ConvTranspose3d(4, 2, kernel_size=(2, 2, 2), stride=(2, 2, 2))
 * console.log(up.forward(randn([1, 4, 3, 4, 5])).shape); // [ 1, 2, 6, 8, 10 ]
 * ```
 */
export class ConvTranspose3d extends ConvTransposeNd {
  /**
   * Creates the layer with PyTorch's initialisation; see {@link ConvTransposeOptions}.
   *
   * @param inChannels - Channels of the input. PyTorch's `in_channels`.
   * @param outChannels - Channels of the output. PyTorch's `out_channels`.
   * @param kernelSize - The kernel's size: a number for all three dimensions, or `[kD, kH, kW]`.
   *   PyTorch's `kernel_size`.
   * @param rest - `stride` (default `1`) by position, then an options object with the rest; or
   *   one options object. By name: `stride`, `padding`, `outputPadding`, `groups`, `bias`,
   *   `dilation`, `paddingMode` (only `'zeros'`), `dtype`.
   */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: PerDim,
    ...rest:
      [opts?: ConvTransposeOptions] | [stride: PerDim, opts?: Omit<ConvTransposeOptions, 'stride'>]
  );
  constructor(...args: unknown[]) {
    super(3, args);
  }

  /**
   * The transposed convolution of `input`, `(N, inChannels, D, H, W)` or
   * `(inChannels, D, H, W)`; `outputSize` (`[D_out, H_out, W_out]`, or the whole output
   * shape) picks the output padding in place of the module's `outputPadding`.
   */
  override forward(
    input: Tensor,
    ...rest: [opts?: ConvTransposeForwardOptions] | [outputSize: readonly number[] | null]
  ): Tensor;
  override forward(...args: unknown[]): Tensor {
    return super.forward(...args);
  }
}
