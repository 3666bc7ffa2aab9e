/**
 * `Tensor.prototype.backward`, installed by the autograd layer (the Tensor
 * class imports nothing above it at run time).
 */
import { Tensor } from '../tensor/tensor.js';
import { allocUninit } from '../tensor/dtype.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { runBackward } from './engine.js';
import { bindArgs, type Signature } from '../signature/bind.js';
import * as T from '../signature/types.js';

declare module '../tensor/tensor.js' {
  interface Tensor {
    /**
     * Computes the gradient of this tensor with respect to the graph's leaves
     * and accumulates it into their `.grad`. `gradient` (of this tensor's
     * shape, or a number) may be omitted only for a one-element tensor. The
     * graph is freed unless `retainGraph` is set. PyTorch's
     * `backward(gradient=None, retain_graph=None, create_graph=False,
     * inputs=None)`, by position or by name; `createGraph` and `inputs`
     * (higher-order and partial gradients) are not supported and throw.
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * const x = tensor([1, 2, 3], { requiresGrad: true });
     * x.mul(x).sum().backward();
     * console.log(x.grad?.toString()); // tensor([2., 4., 6.])
     * ```
     */
    backward(gradient?: Tensor | number | null, retainGraph?: boolean | null): void;
    /** `backward` with the options by name: `y.backward(g, { retainGraph: true })`. */
    backward(
      gradient: Tensor | number | null | undefined,
      options: { retainGraph?: boolean | null; createGraph?: boolean },
    ): void;
    /** `backward` with everything by name. */
    backward(options: {
      gradient?: Tensor | number | null;
      retainGraph?: boolean | null;
      createGraph?: boolean;
    }): void;
  }
}

function filled(t: Tensor, value: number): Tensor {
  const data = allocUninit(t.dtype, t.size);
  data.fill(value);
  return new Tensor(data, t.shape);
}

const BACKWARD: Signature = {
  name: 'backward',
  params: [
    {
      name: 'gradient',
      type: T.optional(T.either(T.tensor, T.number({ nan: true }))),
      default: null,
      doc: "the gradient of this tensor's consumer (omitted: 1 for a one-element tensor)",
    },
    {
      name: 'retainGraph',
      type: T.optional(T.bool),
      default: null,
      doc: 'keep the graph for another backward (default: createGraph, so false)',
    },
    {
      name: 'createGraph',
      type: T.bool,
      default: false,
      doc: 'record the backward pass for higher-order gradients (not supported)',
    },
    {
      name: 'inputs',
      type: { ts: 'never', py: 'Optional[Sequence[Tensor]]', validate: () => null },
      default: null,
      doc: 'the tensors to accumulate into (not supported)',
    },
  ],
};

function backward(this: Tensor, ...args: unknown[]): void {
  const b = bindArgs(BACKWARD, args);
  if (b.createGraph === true) {
    throw new Error('backward: createGraph (higher-order gradients) is not supported');
  }
  if (b.inputs !== null) throw new Error('backward: inputs is not supported');
  const gradient = (b.gradient ?? undefined) as Tensor | number | undefined;
  if (!this.requiresGrad) {
    throw new Error('backward: this tensor does not require grad and has no grad_fn');
  }
  let g: Tensor;
  if (gradient === undefined) {
    if (this.size !== 1) {
      throw new Error(
        `backward: gradient can be implicitly created only for one-element outputs; this has shape ${formatShape(this.shape)}`,
      );
    }
    g = filled(this, 1);
  } else if (typeof gradient === 'number') {
    g = filled(this, gradient);
  } else {
    if (!(gradient instanceof Tensor)) {
      throw new Error('backward: gradient must be a Tensor, a number or undefined');
    }
    if (!sameShape(gradient.shape, this.shape)) {
      throw new Error(
        `backward: gradient has shape ${formatShape(gradient.shape)}, expected ${formatShape(this.shape)}`,
      );
    }
    if (gradient.dtype === 'int32') {
      throw new Error(`backward: gradient must be a floating-point tensor, got ${gradient.dtype}`);
    }
    // A gradient of the other floating dtype is cast, as PyTorch does.
    g = gradient.dtype === this.dtype ? gradient.detach() : gradient.detach().to(this.dtype);
  }
  runBackward(this, g, (b.retainGraph as boolean | null) ?? false);
}

Object.defineProperty(Tensor.prototype, 'backward', {
  value: backward,
  writable: true,
  configurable: true,
});
