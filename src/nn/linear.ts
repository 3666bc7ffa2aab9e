/** The affine layer, `nn.Linear`. */
import { Tensor } from '../tensor/tensor.js';
import { allocUninit, type DType } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import * as init from './init.js';
import { Module, pyBool } from './module.js';
import { linear } from '../ops/linalg.js';
import { bindArgs, prefixError, type Param } from '../signature/bind.js';
import * as T from '../signature/types.js';

const LINEAR_PARAMS: readonly Param[] = [
  { name: 'inFeatures', type: T.int({ min: 0 }), doc: 'size of each input sample' },
  { name: 'outFeatures', type: T.int({ min: 0 }), doc: 'size of each output sample' },
  { name: 'bias', type: T.bool, default: true, doc: 'learn an additive bias' },
  // PyTorch's `device` comes before `dtype`: nnkit has no devices, so `dtype` is by name only.
  { name: 'dtype', type: T.floatDtype, default: 'float32', kwOnly: true, doc: 'parameter dtype' },
];

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/**
 * An uninitialised parameter of `shape` for an initialiser to fill.
 *
 * @param shape - The tensor's shape.
 * @param dtype - Its floating-point dtype (`'float32'` or `'float64'`).
 */
export function emptyParameter(shape: readonly number[], dtype: DType): Tensor {
  return new Tensor(
    allocUninit(
      dtype,
      shape.reduce((p, d) => p * d, 1),
    ),
    shape,
  );
}

/**
 * `nn.Linear`'s `reset_parameters`: `kaiming_uniform_(weight, a=√5)`, then
 * `bias ~ U(−1/√fanIn, 1/√fanIn)` (U(0, 0) without inputs), in PyTorch's
 * order, so the same seed gives PyTorch's weights.
 *
 * @param weight - The `(outFeatures, inFeatures)` weight, filled in place.
 * @param bias - The `(outFeatures)` bias, filled in place, or `null` for none.
 */
export function linearInit(weight: Tensor, bias: Tensor | null): void {
  const fanIn = weight.shape[1];
  init.kaimingUniform_(weight, Math.sqrt(5)); // an empty weight is left as it is
  if (bias) {
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    init.uniform_(bias, -bound, bound);
  }
}

/**
 * Applies `y = x·Wᵀ + b` to the last dimension of the input: input
 * `(*, inFeatures)`, output `(*, outFeatures)`. Parameters `weight`
 * `(outFeatures, inFeatures)` and `bias` `(outFeatures)`.
 *
 * Initialisation is PyTorch's: `kaiming_uniform_(weight, a=√5)`, which is
 * `U(−1/√inFeatures, 1/√inFeatures)`, and `bias ~ U(−1/√inFeatures, 1/√inFeatures)`
 * (0 when `inFeatures` is 0), drawn as PyTorch draws them: after the same
 * `manualSeed`, the weights are PyTorch's.
 *
 * Matches `torch.nn.Linear`.
 * @example
 * ```ts
 * import { nn, randn } from 'nnkit';
 * const fc = new nn.Linear(784, 10);
 * console.log(fc.toString()); // Linear(in_features=784, out_features=10, bias=True)
 * console.log(fc.forward(randn([32, 784])).shape); // [ 32, 10 ]
 * console.log(Object.keys(fc.stateDict())); // [ 'weight', 'bias' ]
 * ```
 */
export class Linear extends Module {
  /** Size of each input sample (the input's last dimension). */
  readonly inFeatures: number;
  /** Size of each output sample. */
  readonly outFeatures: number;

  /**
   * Creates the layer with PyTorch's initialisation; see {@link LinearOptions}.
   *
   * @param inFeatures - Size of each input sample (the input's last dimension). PyTorch's
   *   `in_features`.
   * @param outFeatures - Size of each output sample. PyTorch's `out_features`.
   * @param rest - `bias` (learn an additive bias; default `true`) by position, then an options
   *   object with `dtype` (`'float32'` default, or `'float64'`); or one options object with
   *   `bias`, `dtype`.
   */
  constructor(
    inFeatures: number,
    outFeatures: number,
    ...rest: [opts?: LinearOptions] | [bias: boolean, opts?: Omit<LinearOptions, 'bias'>]
  );
  /**
   * Every argument by name: `new nn.Linear({ inFeatures: 784, outFeatures: 10 })`.
   *
   * @param options - By name: `inFeatures`, `outFeatures`, `bias`, `dtype`.
   */
  constructor(options: LinearOptions & { inFeatures: number; outFeatures: number });
  constructor(...args: unknown[]) {
    super();
    const a = bindArgs({ name: 'Linear', params: LINEAR_PARAMS }, args);
    const inFeatures = a.inFeatures as number;
    const outFeatures = a.outFeatures as number;
    const dtype = a.dtype as 'float32' | 'float64';
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    try {
      const weight = emptyParameter([outFeatures, inFeatures], dtype);
      const bias = a.bias === false ? null : emptyParameter([outFeatures], dtype);
      linearInit(weight, bias);
      this.registerParameter('weight', weight);
      this.registerParameter('bias', bias);
    } catch (e) {
      // A weight too large to allocate: the error names the layer.
      throw prefixError(e, 'Linear');
    }
  }

  /** `(outFeatures, inFeatures)`. */
  get weight(): Tensor {
    return this.param('weight');
  }

  /** `(outFeatures)`, or null without bias. */
  get bias(): Tensor | null {
    return [...this.namedParameters()].find(([n]) => n === 'bias')?.[1] ?? null;
  }

  /** `input · weightᵀ + bias` over the last dimension. */
  forward(...args: [input: Tensor]): Tensor {
    if (args.length !== 1) {
      throw new Error(`Linear.forward: takes 1 argument (input) but ${args.length} were given`);
    }
    const input = args[0];
    if (!T.isTensor(input)) {
      throw new Error(`Linear.forward: input must be a Tensor, got ${T.describeValue(input)}`);
    }
    if (input.dtype !== this.weight.dtype) {
      // PyTorch: "mat1 and mat2 must have the same dtype".
      throw new Error(
        `Linear.forward: input has dtype ${input.dtype} but the layer's parameters are ${this.weight.dtype}; convert the input with .to('${this.weight.dtype}') or the layer with .to('${input.dtype}')`,
      );
    }
    if (input.ndim < 1 || input.shape[input.ndim - 1] !== this.inFeatures) {
      throw new Error(
        `Linear: input of shape ${formatShape(input.shape)} should have ${this.inFeatures} features in its last dimension`,
      );
    }
    // x·Wᵀ + b as one GEMM with the bias added in its store (see ops/linalg.ts `linear`).
    const rows = input.shape.slice(0, -1).reduce((p, d) => p * d, 1);
    const flat = input.ndim === 2 ? input : input.reshape([rows, this.inFeatures]);
    const y = linear(flat, this.weight, this.bias);
    return input.ndim === 2 ? y : y.reshape([...input.shape.slice(0, -1), this.outFeatures]);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}
