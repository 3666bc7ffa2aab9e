/**
 * `torch.autograd`'s entry points, `backward` and `grad`, and what they
 * share with `Tensor.backward`: turning the caller's gradients into one per
 * root, and checking the tensors to differentiate with respect to.
 */
import { Tensor } from '../tensor/tensor.js';
import { allocUninit } from '../tensor/dtype.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { bindArgs, type Param, type Signature } from '../signature/bind.js';
import * as T from '../signature/types.js';
import { runBackward } from './engine.js';

/** One tensor or several: PyTorch's `Sequence[Tensor] or Tensor`. */
export type Tensors = Tensor | readonly Tensor[];

/** A root's gradient: a tensor of its shape, a number filling one, or `null` (1 for a one-element root). */
export type RootGradient = Tensor | number | null;

/** `tensors` and `inputs`: a tensor or an array of them. */
export const TENSORS: T.ParamType<Tensors> = {
  ts: 'Tensor | readonly Tensor[]',
  py: 'Union[Tensor, Sequence[Tensor]]',
  validate: (v) =>
    T.isTensor(v) || (Array.isArray(v) && v.every((t) => T.isTensor(t)))
      ? null
      : 'a Tensor or an array of Tensors',
};

const isGradient = (v: unknown): boolean => v === null || typeof v === 'number' || T.isTensor(v);

/** `gradTensors` and `gradOutputs`: one gradient or an array of them, one per root. */
const GRADIENTS: T.ParamType<RootGradient | readonly RootGradient[]> = {
  ts: 'Tensor | number | null | readonly (Tensor | number | null)[]',
  py: 'Union[Tensor, Sequence[Optional[Tensor]], None]',
  validate: (v) =>
    (v !== null && isGradient(v)) || (Array.isArray(v) && v.every(isGradient))
      ? null
      : 'a Tensor, a number, or an array of Tensors, numbers and nulls',
};

const asList = (v: Tensors): readonly Tensor[] => (v instanceof Tensor ? [v] : v);

function filled(t: Tensor, value: number): Tensor {
  const data = allocUninit(t.dtype, t.size);
  data.fill(value);
  return new Tensor(data, t.shape);
}

/**
 * The gradient a backward pass starts `root` with: ones for a one-element
 * root when none is given, a number filling its shape, or the caller's
 * tensor (detached; cast to the root's floating dtype, as PyTorch casts it).
 * @internal
 */
export function rootGradient(fn: string, root: Tensor, gradient: RootGradient, k: number): Tensor {
  const which = k < 0 ? 'gradient' : `grad_output[${String(k)}]`;
  if (gradient === null) {
    if (root.size !== 1) {
      const [name, what] = k < 0 ? ['gradient', 'this'] : ['grad', `output[${String(k)}]`];
      throw new Error(
        `${fn}: ${name} can be implicitly created only for one-element outputs; ${what} has shape ${formatShape(root.shape)}`,
      );
    }
    return filled(root, 1);
  }
  if (typeof gradient === 'number') return filled(root, gradient);
  if (!sameShape(gradient.shape, root.shape)) {
    throw new Error(
      `${fn}: ${which} has shape ${formatShape(gradient.shape)}, expected ${formatShape(root.shape)}`,
    );
  }
  if (gradient.dtype === 'int32') {
    throw new Error(`${fn}: ${which} must be a floating-point tensor, got ${gradient.dtype}`);
  }
  return gradient.dtype === root.dtype ? gradient.detach() : gradient.detach().to(root.dtype);
}

/** The roots' gradients, one per root (`null` or an omitted array: ones for one-element roots). */
function rootGradients(
  fn: string,
  roots: readonly Tensor[],
  given: RootGradient | readonly RootGradient[] | null,
): Tensor[] {
  const list: readonly RootGradient[] =
    given === null ? roots.map(() => null) : Array.isArray(given) ? given : [given];
  if (list.length !== roots.length) {
    throw new Error(
      `${fn}: got ${String(roots.length)} tensors and ${String(list.length)} gradients`,
    );
  }
  return roots.map((root, k) => {
    if (!root.requiresGrad) {
      throw new Error(
        `${fn}: element ${String(k)} of tensors does not require grad and does not have a grad_fn`,
      );
    }
    return rootGradient(fn, root, list[k], k);
  });
}

function refuseCreateGraph(fn: string, createGraph: unknown): void {
  if (createGraph === true) {
    throw new Error(`${fn}: createGraph (higher-order gradients) is not supported`);
  }
}

/**
 * Checks `backward`'s `inputs` (PyTorch's rules) and makes each non-leaf
 * one retain its gradient, which is how its `.grad` is filled.
 * @internal
 */
export function backwardInputs(fn: string, inputs: Tensors | null): readonly Tensor[] | null {
  if (inputs === null) return null;
  const list = asList(inputs);
  if (list.length === 0) throw new Error(`${fn}: 'inputs' argument to backward() cannot be empty`);
  for (const t of list) {
    if (!t.requiresGrad) {
      throw new Error(`${fn}: an input does not require grad (can't accumulate its gradient)`);
    }
    if (!t.isLeaf) t.retainGrad();
  }
  return list;
}

/** `backward`'s parameters after the gradients, shared by `Tensor.backward` and `autograd.backward`. */
export const BACKWARD_OPTIONS: readonly Param[] = [
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
    type: T.optional(TENSORS),
    default: null,
    doc: "the tensors whose `.grad` to accumulate into (default: every leaf's)",
  },
];

/** Built on use, so that a bundle without `autograd.backward` drops it. */
const backwardSignature = (): Signature => ({
  name: 'autograd.backward',
  params: [
    { name: 'tensors', type: TENSORS, doc: 'the tensors to differentiate (losses)' },
    {
      name: 'gradTensors',
      type: T.optional(GRADIENTS),
      default: null,
      doc: 'the gradient of each (null: 1, for one-element tensors)',
    },
    ...BACKWARD_OPTIONS,
  ],
});

/**
 * Accumulates into the leaves' `.grad` the gradient of the sum of
 * `tensors` (each weighted by its entry of `gradTensors`), in one backward
 * pass: PyTorch's `torch.autograd.backward(tensors, grad_tensors=None,
 * retain_graph=None, create_graph=False, inputs=None)`. With `inputs`, only
 * those tensors' `.grad` change (a non-leaf one starts retaining its
 * gradient) and only the part of the graph that leads to them runs.
 * `createGraph: true` throws (higher-order gradients are not supported).
 *
 * @param tensors - The tensors to differentiate (losses).
 * @param gradTensors - The gradient of each: a tensor of its shape, a number, or `null` for 1 (one-element tensors only). Default `null`.
 * @param retainGraph - Keep the graph for another pass. Default `null` (false).
 * @param createGraph - Higher-order gradients: not supported, `true` throws. Default `false`.
 * @param inputs - The tensors whose `.grad` to accumulate into. Default `null`: every leaf's.
 * @example
 * ```ts
 * import { autograd, tensor } from 'nnkit';
 * const x = tensor([1, 2], { requiresGrad: true });
 * autograd.backward([x.mul(2).sum(), x.mul(x).sum()]);
 * console.log(x.grad); // tensor([4., 6.])
 * ```
 */
export function backward(
  tensors: Tensors,
  gradTensors?: RootGradient | readonly RootGradient[] | null,
  retainGraph?: boolean | null,
  createGraph?: boolean,
  inputs?: Tensors | null,
): void;
/**
 * {@link backward} with the options by name: `autograd.backward(loss, { inputs: [w] })`.
 *
 * @param tensors - The tensors to differentiate (losses).
 * @param options - `gradTensors`, `retainGraph`, `createGraph` and `inputs`, as in the positional form.
 */
export function backward(
  tensors: Tensors,
  options: {
    gradTensors?: RootGradient | readonly RootGradient[] | null;
    retainGraph?: boolean | null;
    createGraph?: boolean;
    inputs?: Tensors | null;
  },
): void;
export function backward(...args: unknown[]): void {
  const sig = backwardSignature();
  const b = bindArgs(sig, args);
  const fn = sig.name;
  refuseCreateGraph(fn, b.createGraph);
  const roots = asList(b.tensors as Tensors);
  const gradients = rootGradients(fn, roots, b.gradTensors as RootGradient | null);
  const inputs = backwardInputs(fn, b.inputs as Tensors | null);
  runBackward({
    roots,
    gradients,
    retainGraph: (b.retainGraph as boolean | null) ?? false,
    inputs,
    mode: 'accumulate',
  });
}

const GRAD: Signature = {
  name: 'autograd.grad',
  params: [
    { name: 'outputs', type: TENSORS, doc: 'the tensors to differentiate' },
    { name: 'inputs', type: TENSORS, doc: 'the tensors to differentiate them with respect to' },
    {
      name: 'gradOutputs',
      type: T.optional(GRADIENTS),
      default: null,
      doc: 'the gradient of each output (null: 1, for one-element outputs)',
    },
    {
      name: 'retainGraph',
      type: T.optional(T.bool),
      default: null,
      doc: 'keep the graph for another pass (default: createGraph, so false)',
    },
    {
      name: 'createGraph',
      type: T.bool,
      default: false,
      doc: 'record the pass for higher-order gradients (not supported)',
    },
    {
      name: 'onlyInputs',
      type: T.bool,
      default: true,
      doc: 'deprecated in PyTorch and ignored, as there',
    },
    {
      name: 'allowUnused',
      type: T.bool,
      default: false,
      doc: 'return null for an input the outputs do not depend on, instead of throwing',
    },
    {
      name: 'isGradsBatched',
      type: T.bool,
      default: false,
      doc: 'gradOutputs batched along their first dimension (not supported)',
    },
  ],
};

/**
 * The gradients of `outputs` (weighted by `gradOutputs`) with respect to
 * `inputs`, returned instead of accumulated: PyTorch's
 * `torch.autograd.grad(outputs, inputs, grad_outputs=None,
 * retain_graph=None, create_graph=False, only_inputs=True,
 * allow_unused=False, is_grads_batched=False)`. One gradient per input, in
 * order: the gradient as it reaches the input, before the input's own hooks
 * run; `null` for an input the outputs do not depend on when `allowUnused`,
 * else that throws. No leaf's `.grad` changes; hooks and retained gradients
 * of the tensors on the way run as in `backward`. The graph is freed unless
 * `retainGraph`. `createGraph` and `isGradsBatched` throw (not supported).
 *
 * @param outputs - The tensors to differentiate.
 * @param inputs - The tensors to differentiate them with respect to.
 * @param gradOutputs - The gradient of each output: a tensor of its shape, a number, or `null` for 1 (one-element outputs only). Default `null`.
 * @param retainGraph - Keep the graph for another pass. Default `null` (false).
 * @param createGraph - Higher-order gradients: not supported, `true` throws. Default `false`.
 * @param onlyInputs - Deprecated in PyTorch and ignored, as there. Default `true`.
 * @param allowUnused - Return `null` for an input the outputs do not depend on, instead of throwing. Default `false`.
 * @param isGradsBatched - Not supported, `true` throws. Default `false`.
 * @example
 * ```ts
 * import { autograd, tensor } from 'nnkit';
 * const x = tensor([1, 2, 3], { requiresGrad: true });
 * const [g] = autograd.grad(x.pow(2).sum(), [x]);
 * console.log(g, x.grad); // tensor([2., 4., 6.]) null
 * ```
 */
export function grad(
  outputs: Tensors,
  inputs: Tensors,
  gradOutputs?: RootGradient | readonly RootGradient[] | null,
  retainGraph?: boolean | null,
  createGraph?: boolean,
  onlyInputs?: boolean,
  allowUnused?: boolean,
  isGradsBatched?: boolean,
): (Tensor | null)[];
/**
 * {@link grad} with the options by name: `autograd.grad(y, x, { allowUnused: true })`.
 *
 * @param outputs - The tensors to differentiate.
 * @param inputs - The tensors to differentiate them with respect to.
 * @param options - `gradOutputs`, `retainGraph`, `createGraph`, `onlyInputs`, `allowUnused` and `isGradsBatched`, as in the positional form.
 */
export function grad(
  outputs: Tensors,
  inputs: Tensors,
  options: {
    gradOutputs?: RootGradient | readonly RootGradient[] | null;
    retainGraph?: boolean | null;
    createGraph?: boolean;
    onlyInputs?: boolean;
    allowUnused?: boolean;
    isGradsBatched?: boolean;
  },
): (Tensor | null)[];
export function grad(...args: unknown[]): (Tensor | null)[] {
  const b = bindArgs(GRAD, args);
  const fn = GRAD.name;
  refuseCreateGraph(fn, b.createGraph);
  if (b.isGradsBatched === true) throw new Error(`${fn}: isGradsBatched is not supported`);
  const roots = asList(b.outputs as Tensors);
  const inputs = asList(b.inputs as Tensors);
  if (inputs.length === 0) throw new Error(`${fn}: grad requires non-empty inputs`);
  for (const t of inputs) {
    if (!t.requiresGrad)
      throw new Error(`${fn}: one of the differentiated Tensors does not require grad`);
  }
  const gradients = rootGradients(fn, roots, b.gradOutputs as RootGradient | null);
  const result = runBackward({
    roots,
    gradients,
    retainGraph: (b.retainGraph as boolean | null) ?? false,
    inputs,
    mode: 'capture',
  });
  if (b.allowUnused !== true && result.some((g) => g === null)) {
    throw new Error(
      `${fn}: one of the differentiated Tensors appears to not have been used in the graph; pass allowUnused: true if this is the desired behavior`,
    );
  }
  return result;
}
