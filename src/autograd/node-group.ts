/**
 * Groups of identity nodes that the engine runs as one (`GradFn.group`):
 * PyTorch's multi-output nodes where nnkit needs one, a module backward
 * hook's `BackwardHookFunctionBackward` (src/nn/backward-hook.ts).
 */
import type { Tensor } from '../tensor/tensor.js';
import { GradFn, type NodeGroup } from './node.js';

/**
 * Replaces `values[i]` for each `i` of `positions` (each a tensor) by an
 * alias of it — the same storage, made by one member of a new group of
 * identity nodes named `name`, which runs `run` on the members' gradients —
 * and returns the new values. The aliases may not be written in place while
 * gradients are recorded; `reason` says why.
 */
export function wrapInGroup(
  name: string,
  reason: string,
  values: readonly unknown[],
  positions: readonly number[],
  run: NodeGroup['run'],
): unknown[] {
  const out = [...values];
  const members = positions.map((i, index) => {
    const t = values[i] as Tensor;
    const node = new GradFn(name, [t], (g) => [g], []);
    const alias = t._sameStorage();
    alias._attach(node);
    alias._multiOutput = { fn: name, index, reason };
    out[i] = alias;
    return node;
  });
  const group: NodeGroup = { members, run };
  for (const m of members) m.group = group;
  return out;
}
