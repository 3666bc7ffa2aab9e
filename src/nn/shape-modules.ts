/**
 * Modules that only reshape or pass through, PyTorch's `Sequential`
 * vocabulary around the layers: `nn.Flatten`, `nn.Unflatten`, `nn.Identity`.
 * Each returns a view where the input's layout allows one.
 */
import type { Tensor } from '../tensor/tensor.js';
import { formatShape, normalizeDim } from '../tensor/shape.js';
import { bindArgs, type Param } from '../signature/bind.js';
import * as T from '../signature/types.js';
import { Module } from './module.js';

/** The single tensor a shape module's `forward` takes. */
function oneInput(name: string, args: readonly unknown[]): Tensor {
  if (args.length !== 1) {
    throw new Error(`${name}.forward: takes 1 argument (input) but ${args.length} were given`);
  }
  if (!T.isTensor(args[0])) {
    throw new Error(`${name}.forward: input must be a Tensor, got ${T.describeValue(args[0])}`);
  }
  return args[0] as Tensor;
}

const FLATTEN_PARAMS: readonly Param[] = [
  { name: 'startDim', type: T.int(), default: 1, doc: 'first dimension to flatten' },
  { name: 'endDim', type: T.int(), default: -1, doc: 'last dimension to flatten' },
];

/**
 * Flattens dimensions `startDim` … `endDim` into one, as `torch.nn.Flatten`
 * (default: all but the batch dimension), typically between convolutional
 * or image inputs and a `Linear`.
 * @example
 * ```ts
 * import { nn, zeros } from 'nnkit';
 * const f = new nn.Flatten();
 * console.log(f.toString(), f.forward(zeros([32, 1, 28, 28])).shape); // Flatten(start_dim=1, end_dim=-1) [ 32, 784 ]
 * ```
 */
export class Flatten extends Module {
  /** First dimension to flatten. */
  readonly startDim: number;
  /** Last dimension to flatten (negative counts from the end). */
  readonly endDim: number;

  override get name(): string {
    return 'Flatten';
  }

  /**
   * Creates the module flattening dimensions `startDim` … `endDim`.
   *
   * @param startDim - First dimension to flatten (PyTorch's `start_dim`). Default `1`.
   * @param endDim - Last dimension to flatten, negative counting from the end (PyTorch's
   *   `end_dim`). Default `-1`.
   */
  constructor(startDim?: number, endDim?: number);
  /**
   * Creates the module, the dimensions given by name.
   *
   * @param options - By name: `startDim`, `endDim`.
   */
  constructor(options: { startDim?: number; endDim?: number });
  constructor(...args: unknown[]) {
    super();
    const a = bindArgs({ name: 'Flatten', params: FLATTEN_PARAMS }, args);
    this.startDim = a.startDim as number;
    this.endDim = a.endDim as number;
  }

  /** `input` with dimensions `startDim` … `endDim` merged. */
  forward(...args: [input: Tensor]): Tensor {
    const input = oneInput(this.name, args);
    try {
      return input.flatten(this.startDim, this.endDim);
    } catch (e) {
      throw new Error(`Flatten.forward: ${(e as Error).message}`, { cause: e });
    }
  }

  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

const UNFLATTEN_PARAMS: readonly Param[] = [
  { name: 'dim', type: T.int(), doc: 'the dimension to expand' },
  {
    name: 'unflattenedSize',
    type: T.intList({ minLength: 1 }),
    doc: 'its new sizes (one may be -1)',
  },
];

/**
 * Expands dimension `dim` into `unflattenedSize`, as `torch.nn.Unflatten`
 * (the inverse of {@link Flatten}); one size may be −1, inferred.
 * @example
 * ```ts
 * import { nn, zeros } from 'nnkit';
 * const u = new nn.Unflatten(1, [2, 5]);
 * console.log(u.toString(), u.forward(zeros([3, 10])).shape); // Unflatten(dim=1, unflattened_size=(2, 5)) [ 3, 2, 5 ]
 * ```
 */
export class Unflatten extends Module {
  /** The dimension expanded. */
  readonly dim: number;
  /** Its new sizes. */
  readonly unflattenedSize: readonly number[];

  override get name(): string {
    return 'Unflatten';
  }

  /**
   * Creates the module expanding dimension `dim` into `unflattenedSize`.
   *
   * @param dim - The dimension to expand, negative counting from the end.
   * @param unflattenedSize - Its new sizes, at least one, whose product is its size; one may
   *   be −1, inferred (PyTorch's `unflattened_size`).
   */
  constructor(dim: number, unflattenedSize: readonly number[]);
  /**
   * Creates the module, the arguments given by name.
   *
   * @param options - By name: `dim`, `unflattenedSize`.
   */
  constructor(options: { dim: number; unflattenedSize: readonly number[] });
  constructor(...args: unknown[]) {
    super();
    const a = bindArgs({ name: 'Unflatten', params: UNFLATTEN_PARAMS }, args);
    const sizes = a.unflattenedSize as number[];
    if (sizes.some((s) => s < -1) || sizes.filter((s) => s === -1).length > 1) {
      throw new Error(
        `Unflatten: unflattenedSize [${sizes.join(', ')}] must hold sizes ≥ 0 and at most one -1`,
      );
    }
    this.dim = a.dim as number;
    this.unflattenedSize = Object.freeze([...sizes]);
  }

  /** `input` with dimension `dim` expanded into `unflattenedSize`. */
  forward(...args: [input: Tensor]): Tensor {
    const input = oneInput(this.name, args);
    const fn = 'Unflatten.forward';
    const d = normalizeDim(this.dim, input.ndim, fn);
    const n = input.shape[d];
    const sizes = [...this.unflattenedSize];
    const free = sizes.indexOf(-1);
    const known = sizes.reduce((p, s) => (s === -1 ? p : p * s), 1);
    if (free >= 0 && known !== 0 && n % known === 0) sizes[free] = n / known;
    if (sizes.includes(-1) || sizes.reduce((p, s) => p * s, 1) !== n) {
      throw new Error(
        `${fn}: sizes [${this.unflattenedSize.join(', ')}] don't multiply up to the size of dim ${this.dim} (${n}) of the input of shape ${formatShape(input.shape)}`,
      );
    }
    return input.reshape([...input.shape.slice(0, d), ...sizes, ...input.shape.slice(d + 1)]);
  }

  override extraRepr(): string {
    const s = this.unflattenedSize;
    return `dim=${this.dim}, unflattened_size=(${s.join(', ')}${s.length === 1 ? ',' : ''})`;
  }
}

/**
 * Returns its input unchanged, as `torch.nn.Identity`: a placeholder where
 * a layer is optional. Constructor arguments are accepted and ignored, as
 * PyTorch's are.
 * @example
 * ```ts
 * import { nn, tensor } from 'nnkit';
 * const x = tensor([1, 2]);
 * console.log(new nn.Identity().toString(), new nn.Identity(54).forward(x) === x); // Identity() true
 * ```
 */
export class Identity extends Module {
  override get name(): string {
    return 'Identity';
  }

  // PyTorch's Identity(*args, **kwargs) ignores its arguments.
  /**
   * Creates the module; any arguments are accepted and ignored.
   *
   * @param _args - Any arguments, ignored (PyTorch's `*args, **kwargs`).
   */
  constructor(..._args: unknown[]) {
    super();
  }

  /** `input` itself. */
  forward(...args: [input: Tensor]): Tensor {
    return oneInput(this.name, args);
  }
}
