import type { Tensor } from '../tensor/tensor.js';
import { isGradEnabled } from './grad-mode.js';

/** The gradients of an op's inputs, in input order; `null` where none flows. */
export type BackwardRule = (grad: Tensor) => readonly (Tensor | null | undefined)[];

/**
 * A node of the autograd graph: the op that produced a tensor, its inputs,
 * and the rule that maps the output's gradient to the inputs' gradients.
 * The rule closes over whatever the op saved; `release()` drops it so the
 * saved tensors can be collected once backward has run.
 */
export class GradFn {
  private rule: BackwardRule | null;
  /** A node for the op `name` (printed as `grad_fn=<name>`) with its inputs and backward rule. */
  constructor(
    /** The op's name, as `grad_fn=<…>` prints it (`SumBackward0`). */
    readonly name: string,
    /** The op's inputs (null where an input needs no gradient). */
    readonly inputs: readonly (Tensor | null)[],
    rule: BackwardRule,
  ) {
    this.rule = rule;
  }

  /** The gradients of the inputs for the output's gradient `grad` (throws once released). */
  apply(grad: Tensor): readonly (Tensor | null | undefined)[] {
    if (!this.rule) {
      throw new Error(
        `backward: trying to backward through the graph a second time (${this.name}); the saved values were freed after the first backward. Pass { retainGraph: true } to the first backward if you need to call it twice.`,
      );
    }
    return this.rule(grad);
  }

  /** Drops the backward rule and what it saved (after a backward pass without `retainGraph`). */
  release(): void {
    this.rule = null;
  }
}

/**
 * Makes `out` the result of a differentiable op if gradients are being
 * recorded and some input requires them; returns `out`.
 */
export function record(
  out: Tensor,
  name: string,
  inputs: readonly (Tensor | null)[],
  rule: BackwardRule,
): Tensor {
  if (!isGradEnabled()) return out;
  if (!inputs.some((t) => t !== null && t.requiresGrad)) return out;
  out._attach(new GradFn(name, inputs, rule));
  return out;
}

/** True if an op on these inputs would record a graph node. */
export function needsGrad(...inputs: readonly (Tensor | null | undefined)[]): boolean {
  return isGradEnabled() && inputs.some((t) => t != null && t.requiresGrad);
}
