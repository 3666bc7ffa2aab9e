/**
 * Shared pieces of the loss functions: option checks and reductions.
 * Every check runs before any work, and every message names the function,
 * the argument and the value.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { formatShape, broadcastShapes, sameShape } from '../../tensor/shape.js';
import {
  type Reduction,
  checkFloating,
  checkOptions,
  checkReduction,
  checkSameShape,
  checkTensor,
  fail,
} from '../validate.js';

export type { Reduction };

/** The `reduction` option shared by every loss. */
export interface ReductionOptions {
  /** `'mean'` (default), `'sum'` or `'none'`. */
  reduction?: Reduction;
}

/** Checks an options object (an object, known keys only) and its `reduction`; returns the reduction. */
export function lossOptions(
  fn: string,
  opts: object | undefined,
  known: readonly string[],
  allowed: readonly string[] = ['none', 'mean', 'sum'],
): string {
  if (opts === undefined) return 'mean';
  if (opts === null || typeof opts !== 'object')
    fail(fn, `options must be an object, got ${String(opts)}`);
  checkOptions(fn, opts, [...known, 'reduction']);
  const r = (opts as { reduction?: unknown }).reduction ?? 'mean';
  checkReduction(fn, r, allowed);
  return r as string;
}

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
  w: unknown,
  shape: readonly number[],
): void {
  if (w === undefined || w === null) return;
  checkTensor(fn, arg, w);
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

/** Checks a finite number option. */
export function checkFinite(fn: string, arg: string, v: unknown): asserts v is number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    fail(fn, `${arg} must be a finite number, got ${String(v)}`);
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
