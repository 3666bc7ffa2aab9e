/** The bilinear layer, `nn.Bilinear`. */
import type { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import * as init from './init.js';
import { Module, pyBool } from './module.js';
import { emptyParameter } from './linear.js';
import { bilinearImpl } from '../functional/linear.js';
import { bindArgs, prefixError, type Param } from '../signature/bind.js';
import * as T from '../signature/types.js';

const PARAMS: readonly Param[] = [
  { name: 'in1Features', type: T.int({ min: 0 }), doc: 'size of each first input sample' },
  { name: 'in2Features', type: T.int({ min: 0 }), doc: 'size of each second input sample' },
  { name: 'outFeatures', type: T.int({ min: 0 }), doc: 'size of each output sample' },
  { name: 'bias', type: T.bool, default: true, doc: 'learn an additive bias' },
  // PyTorch's `device` comes before `dtype`: nnkit has no devices, so `dtype` is by name only.
  { name: 'dtype', type: T.floatDtype, default: 'float32', kwOnly: true, doc: 'parameter dtype' },
];

/** Options of {@link Bilinear}. */
export interface BilinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/**
 * Applies `y_o = x1ᵀ·W_o·x2 + b_o` (`F.bilinear`) to the last dimensions of
 * two inputs `(*, in1Features)` and `(*, in2Features)`: output
 * `(*, outFeatures)`. Parameters `weight` `(outFeatures, in1Features,
 * in2Features)` and `bias` `(outFeatures)`, both drawn from
 * `U(−1/√in1Features, 1/√in1Features)` as PyTorch's `reset_parameters`
 * draws them (weight first).
 *
 * Matches `torch.nn.Bilinear`.
 * @example
 * ```ts
 * import { nn, randn } from 'nnkit';
 * const m = new nn.Bilinear(3, 4, 2);
 * console.log(m.toString()); // Bilinear(in1_features=3, in2_features=4, out_features=2, bias=True)
 * console.log(m.forward(randn([5, 3]), randn([5, 4])).shape); // [ 5, 2 ]
 * console.log(m.weight.shape); // [ 2, 3, 4 ]
 * ```
 */
export class Bilinear extends Module {
  /** Size of each first input sample. */
  readonly in1Features: number;
  /** Size of each second input sample. */
  readonly in2Features: number;
  /** Size of each output sample. */
  readonly outFeatures: number;

  /**
   * Creates the layer with PyTorch's initialisation; see {@link BilinearOptions}.
   *
   * @param in1Features - Size of each first input sample. PyTorch's `in1_features`.
   * @param in2Features - Size of each second input sample. PyTorch's `in2_features`.
   * @param outFeatures - Size of each output sample. PyTorch's `out_features`.
   * @param rest - `bias` (learn an additive bias; default `true`) by position, then an options
   *   object with `dtype` (`'float32'` default, or `'float64'`); or one options object with
   *   `bias`, `dtype`.
   */
  constructor(
    in1Features: number,
    in2Features: number,
    outFeatures: number,
    ...rest: [opts?: BilinearOptions] | [bias: boolean, opts?: Omit<BilinearOptions, 'bias'>]
  );
  constructor(...args: unknown[]) {
    super();
    const a = bindArgs({ name: 'Bilinear', params: PARAMS }, args);
    this.in1Features = a.in1Features as number;
    this.in2Features = a.in2Features as number;
    this.outFeatures = a.outFeatures as number;
    const dtype = a.dtype as 'float32' | 'float64';
    try {
      const weight = emptyParameter([this.outFeatures, this.in1Features, this.in2Features], dtype);
      const bias = a.bias === false ? null : emptyParameter([this.outFeatures], dtype);
      const bound = this.in1Features > 0 ? 1 / Math.sqrt(this.in1Features) : 0;
      init.uniform_(weight, -bound, bound);
      if (bias) init.uniform_(bias, -bound, bound);
      this.registerParameter('weight', weight);
      this.registerParameter('bias', bias);
    } catch (e) {
      throw prefixError(e, 'Bilinear');
    }
  }

  /** `(outFeatures, in1Features, in2Features)`. */
  get weight(): Tensor {
    return this.param('weight');
  }

  /** `(outFeatures)`, or null without bias. */
  get bias(): Tensor | null {
    return this.paramOrNull('bias');
  }

  /** `F.bilinear(input1, input2, weight, bias)`. */
  forward(...args: [input1: Tensor, input2: Tensor]): Tensor {
    if (args.length !== 2 || !T.isTensor(args[0]) || !T.isTensor(args[1])) {
      throw new Error('Bilinear.forward: takes 2 arguments, input1 and input2 (Tensors)');
    }
    try {
      return bilinearImpl({
        input1: args[0],
        input2: args[1],
        weight: this.weight,
        bias: this.bias,
      });
    } catch (e) {
      throw prefixError(e, 'Bilinear.forward', ['bilinear']);
    }
  }

  override extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}
