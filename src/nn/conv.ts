/**
 * `nn.Conv1d` and `nn.Conv2d`: `F.conv1d` / `F.conv2d` with a learnt weight
 * and bias, PyTorch's `_ConvNd` — its parameters, `reset_parameters`
 * (kaiming_uniform with a = √5, then the bias from U(±1/√fanIn), so the same
 * seed gives PyTorch's weights), its padding modes (`'reflect'`,
 * `'replicate'`, `'circular'` pad with `F.pad` first) and its repr.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import * as init from './init.js';
import { Module } from './module.js';
import { emptyParameter } from './linear.js';
import { convNd, convPadding, type ConvPadding } from '../functional/conv.js';
import { perDim, type PerDim } from '../functional/windows.js';
import { padSpatial } from '../functional/padding.js';
import { bindArgs, prefixError, type Param } from '../signature/bind.js';

export type { ConvPadding } from '../functional/conv.js';
export type { PerDim } from '../functional/windows.js';
import * as T from '../signature/types.js';

const ints = T.intOrList;

const PARAMS: readonly Param[] = [
  { name: 'inChannels', type: T.int({ min: 1 }), doc: 'channels C of the input' },
  { name: 'outChannels', type: T.int({ min: 1 }), doc: 'channels of the output' },
  { name: 'kernelSize', type: ints(1), doc: 'the kernel’s size, per spatial dimension' },
  { name: 'stride', type: ints(1), default: 1, doc: 'step between window starts' },
  {
    name: 'padding',
    type: T.either(ints(0), T.oneOf('same', 'valid')),
    default: 0,
    doc: "padding on both sides, or 'same' / 'valid'",
  },
  { name: 'dilation', type: ints(1), default: 1, doc: 'spacing between kernel elements' },
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

/** Options of {@link Conv1d} and {@link Conv2d}. */
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

/** What Conv1d and Conv2d share, PyTorch's `_ConvNd`. */
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
  /** The spatial dimensions (1 or 2). */
  private readonly dims: number;

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
      if (this.inChannels % this.groups !== 0)
        throw new Error('inChannels must be divisible by groups');
      if (this.outChannels % this.groups !== 0)
        throw new Error('outChannels must be divisible by groups');
      // Checks 'same' with a stride, as PyTorch's constructor does.
      convPadding(fn, this.padding, this.kernelSize, this.dilation, this.stride);
      const dtype = a.dtype as 'float32' | 'float64';
      const weight = emptyParameter(
        [this.outChannels, this.inChannels / this.groups, ...this.kernelSize],
        dtype,
      );
      const bias = a.bias === false ? null : emptyParameter([this.outChannels], dtype);
      init.kaimingUniform_(weight, Math.sqrt(5));
      if (bias) {
        const fanIn = (this.inChannels / this.groups) * this.kernelSize.reduce((p, k) => p * k, 1);
        const bound = 1 / Math.sqrt(fanIn);
        init.uniform_(bias, -bound, bound);
      }
      this.registerParameter('weight', weight);
      this.registerParameter('bias', bias);
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
    const fn = this.dims === 1 ? 'conv1d' : 'conv2d';
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
