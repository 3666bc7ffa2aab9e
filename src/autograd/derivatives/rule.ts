/**
 * The shape of one entry of the derivatives table (./index.ts): the tensors
 * its backward reads and the backward itself, both functions of the context
 * the forward saved.
 */
import type { Tensor } from '../../tensor/tensor.js';
import type { SliceGradient } from '../slice-gradient.js';

/**
 * One op's derivative. `C` is the context its forward saves: the tensors,
 * typed arrays and numbers the backward reads.
 */
export interface Derivative<C> {
  /**
   * The tensors the backward reads, whose storage versions are recorded with
   * the node and checked before the backward runs (PyTorch's saved-variable
   * version check): `'inputs'` (the op's inputs), `'nothing'`, or a list
   * picked from the context (it may hold the output).
   */
  readonly saves: 'inputs' | 'nothing' | ((ctx: C) => readonly (Tensor | null)[]);
  /**
   * The gradients of the op's inputs, in input order, for the gradient
   * `grad` of its output (null or undefined where none flows; a slice's
   * gradient as a SliceGradient, written out by the engine). `final`: this
   * is the last time it runs (the graph is released after it), so storage
   * the context owns alone may be overwritten.
   */
  readonly backward: (
    grad: Tensor,
    ctx: C,
    final: boolean,
  ) => readonly (Tensor | SliceGradient | null | undefined)[];
}

/** A group of entries, keyed by op name, each with its own context type. */
export type Derivatives<Contexts> = {
  readonly [K in keyof Contexts]: Derivative<Contexts[K]>;
};
