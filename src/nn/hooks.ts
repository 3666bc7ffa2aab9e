/**
 * Module hooks, after PyTorch 1.13's `register_forward_pre_hook`,
 * `register_forward_hook` and `register_full_backward_hook`: functions a
 * module calls around its `forward`, to look at (or replace) what goes in
 * and what comes out, e.g. to record a hidden layer's pre-activations
 * without rewriting the model; and, in backward, its gradients
 * (./backward-hook.ts).
 */
import { BackwardHookCall, type FullBackwardHook } from './backward-hook.js';

/** A module seen through its `forward` method alone. */
export interface WithForward<A extends unknown[], R> {
  /** The module's forward pass. */
  forward(...args: A): R;
}

/** The argument list of `M`'s `forward` (`[input: Tensor]` for a layer), else `unknown[]`. */
export type ForwardInput<M> = M extends WithForward<infer A, unknown> ? A : unknown[];

/** What `M`'s `forward` returns (a `Tensor` for a layer), else `unknown`. */
export type ForwardOutput<M> = M extends WithForward<never[], infer R> ? R : unknown;

/**
 * Called before the module's `forward` with its arguments, as an array. A
 * return value other than `undefined` or `null` replaces the arguments: an
 * array is the new argument list, anything else the single argument (as
 * PyTorch wraps a non-tuple into a tuple).
 */
export type ForwardPreHook<M> = (module: M, input: ForwardInput<M>) => unknown;

/**
 * Called after the module's `forward` with its arguments (as the pre-hooks
 * left them) and its result. A return value other than `undefined` or `null`
 * replaces the result.
 */
export type ForwardHook<M> = (
  module: M,
  input: ForwardInput<M>,
  output: ForwardOutput<M>,
) => unknown;

export { RemovableHandle } from '../tensor/removable-handle.js';
export type { FullBackwardHook } from './backward-hook.js';

/** The hooks of one module, in registration order. */
export interface ModuleHooks {
  readonly pre: Map<number, ForwardPreHook<unknown>>;
  readonly post: Map<number, ForwardHook<unknown>>;
  readonly backward: Map<number, FullBackwardHook<unknown>>;
}

/** How many hooks of any kind `hooks` holds. */
export const hookCount = (hooks: ModuleHooks): number =>
  hooks.pre.size + hooks.post.size + hooks.backward.size;

/**
 * Calls `forward` on `args` between the module's hooks, in PyTorch 1.13's
 * order: each pre-hook sees the arguments the previous one left; with
 * backward hooks, the arguments are then wrapped (see BackwardHookCall);
 * each forward hook sees them and the result the previous one left; the
 * result is wrapped last. The hooks are those registered when the call began.
 */
export function callWithHooks(
  module: unknown,
  name: string,
  hooks: ModuleHooks,
  forward: (...args: unknown[]) => unknown,
  args: unknown[],
): unknown {
  let input = args;
  for (const hook of [...hooks.pre.values()]) {
    const r = hook(module, input);
    if (r !== undefined && r !== null) input = Array.isArray(r) ? r : [r];
  }
  const backward =
    hooks.backward.size > 0
      ? new BackwardHookCall(module, name, [...hooks.backward.values()])
      : null;
  if (backward) input = backward.wrapInputs(input);
  let output = forward.apply(module, input);
  for (const hook of [...hooks.post.values()]) {
    const r = hook(module, input, output);
    if (r !== undefined && r !== null) output = r;
  }
  return backward ? backward.wrapOutputs(output) : output;
}
