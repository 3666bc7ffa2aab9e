/**
 * Shared pieces of the loss implementations: tensor checks and reductions.
 * Option types and ranges are checked by the registry's binding before an
 * implementation runs; what is checked here is what depends on the tensors.
 * Every message names the function, the argument and the value.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { formatShape, broadcastShapes, sameShape } from '../../tensor/shape.js';
import { type Reduction, checkFloating, checkSameShape, fail } from '../validate.js';

export type { Reduction };

/** Checks an `input`/`target` pair of floating tensors with identical shapes. */
export function checkPair(fn: string, input: Tensor, target: Tensor, targetName = 'target'): void {
  checkFloating(fn, 'input', input);
  checkFloating(fn, targetName, target);
  checkSameShape(fn, 'input', input, targetName, target);
}

/** Checks that an optional per-element weight broadcasts to `shape` (the result keeps `shape`). */
export function checkBroadcastWeight(
  fn: string,
  arg: string,
  w: Tensor | null,
  shape: readonly number[],
): void {
  if (w === null) return;
  checkFloating(fn, arg, w);
  let out: number[] | null;
  try {
    out = broadcastShapes(w.shape, shape, fn);
  } catch {
    out = null;
  }
  if (!out || !sameShape(out, shape)) {
    fail(
      fn,
      `${arg} of shape ${formatShape(w.shape)} does not broadcast to the input's shape ${formatShape(shape)}`,
    );
  }
}

/** Broadcasts the shapes of several tensors as PyTorch does, or fails naming them. */
export function broadcastAll(fn: string, named: Readonly<Record<string, Tensor>>): number[] {
  const entries = Object.entries(named);
  let shape: number[] = [...entries[0][1].shape];
  for (const [, t] of entries.slice(1)) {
    try {
      shape = broadcastShapes(shape, t.shape, fn);
    } catch {
      fail(
        fn,
        `the shapes of ${entries.map(([k, v]) => `${k} ${formatShape(v.shape)}`).join(', ')} do not broadcast`,
      );
    }
  }
  return shape;
}

/** Applies 'none' | 'mean' | 'sum' to elementwise losses ('mean' of nothing is NaN, as in PyTorch). */
export function applyReduction(loss: Tensor, reduction: string): Tensor {
  switch (reduction) {
    case 'none':
      return loss;
    case 'sum':
      return loss.sum();
    case 'mean':
      return loss.mean();
    default:
      throw new Error(`loss: unknown reduction '${reduction}'`);
  }
}
