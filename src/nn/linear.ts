/** The affine layer, `nn.Linear`. */
import { Tensor } from '../tensor/tensor.js';
import { allocUninit, type DType } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { defaultGenerator } from '../tensor/random.js';
import { Module, pyBool } from './module.js';
import { linear } from '../ops/linalg.js';

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/** `U(−bound, bound)` samples from nnkit's seeded generator (see `manualSeed`). */
export function uniformTensor(shape: readonly number[], bound: number, dtype: DType): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const data = allocUninit(dtype, n);
  for (let i = 0; i < n; i++) data[i] = (2 * defaultGenerator.uniform() - 1) * bound;
  return new Tensor(data, shape);
}

/**
 * Applies `y = x·Wᵀ + b` to the last dimension of the input: input
 * `(*, inFeatures)`, output `(*, outFeatures)`. Parameters `weight`
 * `(outFeatures, inFeatures)` and `bias` `(outFeatures)`.
 *
 * Initialisation is PyTorch's: `kaiming_uniform_(weight, a=√5)`, which is
 * `U(−1/√inFeatures, 1/√inFeatures)`, and `bias ~ U(−1/√inFeatures, 1/√inFeatures)`
 * (0 when `inFeatures` is 0). The random stream is nnkit's, not PyTorch's;
 * load a PyTorch state dict to reproduce PyTorch's values.
 *
 * Matches `torch.nn.Linear`.
 * @example const fc = new nn.Linear(784, 10); fc.forward(randn([32, 784])) // shape [32, 10]
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    for (const [name, v] of [
      ['inFeatures', inFeatures],
      ['outFeatures', outFeatures],
    ] as const) {
      if (!Number.isInteger(v) || v < 0)
        throw new Error(`Linear: ${name} must be a non-negative integer, got ${v}`);
    }
    const dtype = opts.dtype ?? 'float32';
    if (dtype !== 'float32' && dtype !== 'float64') {
      throw new Error(`Linear: dtype must be 'float32' or 'float64', got ${String(dtype)}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
    this.registerParameter('weight', uniformTensor([outFeatures, inFeatures], bound, dtype));
    this.registerParameter(
      'bias',
      opts.bias === false ? null : uniformTensor([outFeatures], bound, dtype),
    );
  }

  /** `(outFeatures, inFeatures)`. */
  get weight(): Tensor {
    return this.param('weight');
  }

  /** `(outFeatures)`, or null without bias. */
  get bias(): Tensor | null {
    return [...this.namedParameters()].find(([n]) => n === 'bias')?.[1] ?? null;
  }

  forward(input: Tensor): Tensor {
    if (input.ndim < 1 || input.shape[input.ndim - 1] !== this.inFeatures) {
      throw new Error(
        `Linear: input of shape ${formatShape(input.shape)} should have ${this.inFeatures} features in its last dimension`,
      );
    }
    // x·Wᵀ + b as one GEMM with the bias added in its store (see ops/linalg.ts `linear`).
    const flat = input.ndim === 2 ? input : input.reshape([-1, this.inFeatures]);
    const y = linear(flat, this.weight, this.bias);
    return input.ndim === 2 ? y : y.reshape([...input.shape.slice(0, -1), this.outFeatures]);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}
