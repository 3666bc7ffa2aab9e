/**
 * The handle every hook registration returns (modules' forward hooks,
 * tensors' gradient hooks), after `torch.utils.hooks.RemovableHandle`.
 */

let nextHandleId = 0;

/**
 * What `registerForwardHook`, `registerForwardPreHook` and `Tensor.registerHook` return:
 * `remove()` unregisters the hook (a second call does nothing), like
 * PyTorch's `torch.utils.hooks.RemovableHandle`.
 * @example
 * ```ts
 * import { nn, ones } from 'nnkit';
 * const relu = new nn.ReLU();
 * let calls = 0;
 * const handle = relu.registerForwardHook(() => void calls++);
 * relu.forward(ones([2]));
 * handle.remove();
 * relu.forward(ones([2]));
 * console.log(calls); // 1
 * ```
 */
export class RemovableHandle {
  /** A number unique to this registration in the process. */
  readonly id = nextHandleId++;

  /**
   * Wraps one registration; made by the `register…Hook` methods.
   *
   * @param hooks - The module's or tensor's hook map the registration is in, keyed by
   *   {@link RemovableHandle.id}.
   * @internal
   */
  constructor(private readonly hooks: Map<number, unknown>) {}

  /** Unregisters the hook. */
  remove(): void {
    this.hooks.delete(this.id);
  }
}
