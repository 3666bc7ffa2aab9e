/**
 * `Tensor.prototype.backward` and `registerHook`, installed by the autograd
 * layer (the Tensor class imports nothing above it at run time).
 */
import { Tensor } from '../tensor/tensor.js';
import { RemovableHandle } from '../tensor/removable-handle.js';
import { bindArgs, type Signature } from '../signature/bind.js';
import * as T from '../signature/types.js';
import { runBackward } from './engine.js';
import {
  BACKWARD_OPTIONS,
  backwardInputs,
  rootGradient,
  type RootGradient,
  type Tensors,
} from './api.js';

/** A gradient hook: sees the gradient; a tensor it returns (same shape and dtype) replaces it. */
export type TensorHook = (grad: Tensor) => Tensor | void | null | undefined;

declare module '../tensor/tensor.js' {
  interface Tensor {
    /**
     * Computes the gradient of this tensor with respect to the graph's leaves
     * and accumulates it into their `.grad`. `gradient` (of this tensor's
     * shape, or a number) may be omitted only for a one-element tensor. The
     * graph is freed unless `retainGraph` is set. With `inputs`, only those
     * tensors' `.grad` change (a non-leaf one starts retaining its gradient)
     * and only the part of the graph leading to them runs. PyTorch's
     * `backward(gradient=None, retain_graph=None, create_graph=False,
     * inputs=None)`, by position or by name; `createGraph: true`
     * (higher-order gradients) is not supported and throws.
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * const x = tensor([1, 2, 3], { requiresGrad: true });
     * x.mul(x).sum().backward();
     * console.log(x.grad?.toString()); // tensor([2., 4., 6.])
     * ```
     */
    backward(
      gradient?: Tensor | number | null,
      retainGraph?: boolean | null,
      createGraph?: boolean,
      inputs?: Tensor | readonly Tensor[] | null,
    ): void;
    /** `backward` with the options by name: `y.backward(g, { retainGraph: true })`. */
    backward(
      gradient: Tensor | number | null | undefined,
      options: {
        retainGraph?: boolean | null;
        createGraph?: boolean;
        inputs?: Tensor | readonly Tensor[] | null;
      },
    ): void;
    /** `backward` with everything by name. */
    backward(options: {
      gradient?: Tensor | number | null;
      retainGraph?: boolean | null;
      createGraph?: boolean;
      inputs?: Tensor | readonly Tensor[] | null;
    }): void;
    /**
     * Registers `hook` to run on this tensor's gradient each time a backward
     * pass computes it (all paths summed), before it moves on: for a leaf,
     * before it is added to `.grad`; for a non-leaf, before it flows to the
     * inputs of the op that made it. A tensor the hook returns, of the same
     * shape and dtype, replaces the gradient; `undefined` keeps it. Hooks run
     * in the order registered. As in PyTorch 1.13, a non-leaf's hooks run
     * together where the first was registered: before a later `retainGrad()`
     * (so they change what `.grad` keeps), after an earlier one; and on the
     * node that made the tensor then, so after an in-place op they still
     * see the gradient of the value before it. PyTorch's `register_hook`;
     * the tensor must require grad.
     * `autograd.grad` does not run its inputs' hooks, as in PyTorch.
     *
     * @param hook - Called with the gradient; may return a replacement.
     * @returns A handle whose `remove()` unregisters the hook.
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * const x = tensor([1, 2], { requiresGrad: true });
     * const h = x.registerHook((g) => g.mul(10));
     * x.mul(3).sum().backward();
     * console.log(x.grad); // tensor([30., 30.])
     * h.remove();
     * ```
     */
    registerHook(hook: TensorHook): RemovableHandle;
  }
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
    ...BACKWARD_OPTIONS,
  ],
};

function backward(this: Tensor, ...args: unknown[]): void {
  const b = bindArgs(BACKWARD, args);
  if (b.createGraph === true) {
    throw new Error('backward: createGraph (higher-order gradients) is not supported');
  }
  if (!this.requiresGrad) {
    throw new Error('backward: this tensor does not require grad and has no grad_fn');
  }
  const gradient = rootGradient('backward', this, b.gradient as RootGradient, -1);
  const inputs = backwardInputs('backward', b.inputs as Tensors | null);
  runBackward({
    roots: [this],
    gradients: [gradient],
    retainGraph: (b.retainGraph as boolean | null) ?? false,
    inputs,
    mode: 'accumulate',
  });
}

function registerHook(this: Tensor, ...args: unknown[]): RemovableHandle {
  const [hook] = args;
  if (args.length !== 1) {
    throw new Error(`registerHook: takes 1 argument (hook) but ${String(args.length)} were given`);
  }
  if (typeof hook !== 'function') {
    throw new Error(`registerHook: hook must be a function, got ${T.describeValue(hook)}`);
  }
  if (!this.requiresGrad) {
    throw new Error(
      "registerHook: cannot register a hook on a tensor that doesn't require gradient",
    );
  }
  let hooks = this._gradHooks;
  if (hooks === null) {
    hooks = this._gradHooks = new Map();
    if (this.gradFn) (this.gradFn.preHooks ??= []).push(hooks);
  }
  const handle = new RemovableHandle(hooks);
  hooks.set(handle.id, hook as TensorHook);
  return handle;
}

for (const [name, value] of Object.entries({ backward, registerHook })) {
  Object.defineProperty(Tensor.prototype, name, { value, writable: true, configurable: true });
}
