/**
 * Module backward hooks, after PyTorch 1.13's `register_full_backward_hook`
 * (torch/utils/hooks.py, `BackwardHook`): around a `forward` call, the
 * module's tensor arguments and its tensor results are passed through
 * identity nodes (`BackwardHookFunctionBackward`), one group for the inputs
 * and one for the outputs. In backward, the outputs' group records the
 * gradients of the outputs; the inputs' group then calls the hooks with the
 * gradients of the inputs and of the outputs, and passes on what they
 * return. This is how Grad-CAM and gradient inspection read a layer's
 * gradients without rewriting the model.
 *
 * PyTorch's behaviour kept here, checked with 1.13 on this machine:
 * `gradInput` has one entry per `forward` argument — null for a non-tensor,
 * zeros for a tensor that does not require grad or that got no gradient
 * (its node materialises them, and such zeros reach the input's `.grad`);
 * `gradOutput` one per result (a tensor, or the entries of an array result),
 * null where no gradient arrived. Without an input that requires grad the
 * hooks run from the outputs' group with an all-null `gradInput` and must
 * return nothing. When the inputs' gradients arrive without any through the
 * outputs (a result that is not a tensor, e.g. LSTM's `[h, c]`, was used),
 * the hooks are not called. The wrappers may not be modified in place
 * (`inplace: true` inside or right after the module throws, as in PyTorch).
 */
import { Tensor } from '../tensor/tensor.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { zeros } from '../tensor/creation.js';
import { wrapInGroup } from '../autograd/node-group.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { describeValue } from '../signature/types.js';

/**
 * Called in backward with the gradients of a module call's inputs and
 * outputs (see `Module.registerFullBackwardHook`). A returned array (one
 * entry per input, null for none) replaces `gradInput`; `undefined` or
 * `null` keeps it.
 */
export type FullBackwardHook<M> = (
  module: M,
  gradInput: readonly (Tensor | null)[],
  gradOutput: readonly (Tensor | null)[],
) => readonly (Tensor | null)[] | null | undefined | void;

const WRAPPER = 'BackwardHookFunctionBackward';

/** Why a wrapper may not be written in place (PyTorch refuses it too). */
const NO_INPLACE =
  'it wraps a tensor of a module with a full backward hook (registerFullBackwardHook), which would not see the gradient of the values an in-place op replaces, so PyTorch refuses it too. Use the out-of-place form (inplace: false) in or right after that module, or clone() the tensor first';

/** The positions whose tensors require grad, when gradients are recorded and one does (else null). */
function wrapped(values: readonly unknown[]): number[] | null {
  if (!isGradEnabled()) return null;
  const at = values.flatMap((v, i) => (v instanceof Tensor && v.requiresGrad ? [i] : []));
  return at.length > 0 ? at : null;
}

/** `g`, or zeros like `like` where no gradient arrived (PyTorch's materialised gradients). */
const orZeros = (g: Tensor | null, like: Tensor): Tensor =>
  g ?? zeros(like.shape, { dtype: like.dtype });

/** One `forward` call of a module with full backward hooks: its inputs' and outputs' groups. */
export class BackwardHookCall {
  /** The outputs' gradients, recorded by their group until the inputs' group uses them. */
  private gradOutputs: (Tensor | null)[] | null = null;
  /** The wrapped input positions; null when no input required grad. */
  private inputs: number[] | null = null;
  private nInputs = 0;

  /**
   * @param module - The module, passed to the hooks.
   * @param name - The module's name, for error messages.
   * @param hooks - The hooks registered when the call began, in order.
   */
  constructor(
    private readonly module: unknown,
    private readonly name: string,
    private readonly hooks: readonly FullBackwardHook<unknown>[],
  ) {}

  /** The arguments, those that require grad wrapped (PyTorch's `setup_input_hook`). */
  wrapInputs(args: readonly unknown[]): unknown[] {
    this.nInputs = args.length;
    this.inputs = wrapped(args);
    if (this.inputs === null) return [...args];
    const positions = this.inputs;
    return wrapInGroup(WRAPPER, NO_INPLACE, args, positions, (grads) =>
      this.inputGradients(args, positions, grads),
    );
  }

  /**
   * The result, its tensors that require grad wrapped: a tensor, or the
   * entries of an array (PyTorch's tuple); anything else is returned as it is
   * (PyTorch's `setup_output_hook`).
   */
  wrapOutputs(result: unknown): unknown {
    const values = result instanceof Tensor ? [result] : Array.isArray(result) ? result : null;
    const positions = values && wrapped(values);
    if (!values || positions === null) return result;
    const out = wrapInGroup(WRAPPER, NO_INPLACE, values, positions, (grads) => {
      const gradOutputs: (Tensor | null)[] = values.map(() => null);
      positions.forEach((p, k) => (gradOutputs[p] = grads[k]));
      this.gradOutputs = gradOutputs;
      if (this.inputs === null) this.callWithoutInputs(gradOutputs);
      return grads.map((g, k) => orZeros(g, values[positions[k]] as Tensor));
    });
    return result instanceof Tensor ? out[0] : out;
  }

  /** The inputs' group: the hooks see and may replace the inputs' gradients. */
  private inputGradients(
    args: readonly unknown[],
    positions: readonly number[],
    grads: readonly (Tensor | null)[],
  ): (Tensor | null)[] {
    const materialised = grads.map((g, k) => orZeros(g, args[positions[k]] as Tensor));
    const gradOutputs = this.gradOutputs;
    if (gradOutputs === null) return materialised;
    this.gradOutputs = null;
    let gradInput: (Tensor | null)[] = args.map((a) =>
      a instanceof Tensor ? zeros(a.shape, { dtype: a.dtype }) : null,
    );
    positions.forEach((p, k) => (gradInput[p] = materialised[k]));
    for (const hook of this.hooks) {
      const r = hook(this.module, gradInput, gradOutputs);
      if (r === undefined || r === null) continue;
      gradInput = this.checked(r, gradInput);
    }
    return positions.map((p) => gradInput[p]);
  }

  /** No input required grad: the hooks run from the outputs' group and must return nothing. */
  private callWithoutInputs(gradOutputs: readonly (Tensor | null)[]): void {
    const gradInput = Array.from({ length: this.nInputs }, () => null);
    for (const hook of this.hooks) {
      const r = hook(this.module, gradInput, gradOutputs);
      if (r === undefined || r === null) continue;
      if (!Array.isArray(r) || r.some((g) => g !== null && g !== undefined)) {
        throw new Error(
          `${this.name}: a full backward hook of a module none of whose inputs requires grad must return undefined, null or an array of nulls, got ${describeValue(r)}`,
        );
      }
    }
  }

  /** A hook's replacement of `gradInput`, checked as PyTorch checks it. */
  private checked(r: unknown, gradInput: readonly (Tensor | null)[]): (Tensor | null)[] {
    if (!Array.isArray(r)) {
      throw new Error(
        `${this.name}: a full backward hook must return an array of gradients (one per input), undefined or null; it returned ${describeValue(r)}`,
      );
    }
    if (r.length !== gradInput.length) {
      throw new Error(
        `${this.name}: a full backward hook returned ${r.length} gradients for ${gradInput.length} inputs`,
      );
    }
    return r.map((g: unknown, i) => {
      if (g === null || g === undefined) return null;
      const before = gradInput[i];
      if (!(g instanceof Tensor) || (before && !sameShape(g.shape, before.shape))) {
        throw new Error(
          `${this.name}: a full backward hook returned ${g instanceof Tensor ? `a gradient of shape ${formatShape(g.shape)}` : describeValue(g)} for input ${i}${before ? `, of shape ${formatShape(before.shape)}` : ''}`,
        );
      }
      return g;
    });
  }
}
