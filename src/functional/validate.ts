/**
 * Argument checks shared by the functional API. Every message names the
 * function, the argument and the offending value; checks run before any work.
 */
import type { Tensor } from '../tensor/tensor.js';
import { isFloating } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';

/** How a loss reduces its elementwise values: not at all, their mean, or their sum. */
export type Reduction = 'none' | 'mean' | 'sum';

export function fail(fn: string, message: string): never {
  throw new Error(`${fn}: ${message}`);
}

/**
 * The input of a function over its last `dims` dimensions: `(C, …)` unbatched
 * or `(N, C, …)` batched, as PyTorch's pooling and convolutions take.
 */
export function checkSpatialInput(fn: string, input: Tensor, dims: number): void {
  if (input.ndim !== dims + 1 && input.ndim !== dims + 2) {
    fail(
      fn,
      `expected a ${dims + 1}-D (unbatched) or ${dims + 2}-D (batched) input, got shape ${formatShape(input.shape)}`,
    );
  }
}

export function checkTensor(fn: string, arg: string, t: unknown): asserts t is Tensor {
  if (t === null || typeof t !== 'object' || !('shape' in t) || !('data' in t)) {
    fail(fn, `${arg} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
  }
}

export function checkFloating(fn: string, arg: string, t: Tensor): void {
  checkTensor(fn, arg, t);
  if (!isFloating(t.dtype))
    fail(fn, `${arg} must be a floating-point tensor (float32 or float64), got ${t.dtype}`);
}

export function checkIntegerTensor(fn: string, arg: string, t: Tensor): void {
  checkTensor(fn, arg, t);
  if (t.dtype !== 'int32')
    fail(fn, `${arg} must be an int32 tensor of class indices, got ${t.dtype}`);
}

export function checkNumber(fn: string, arg: string, v: unknown): asserts v is number {
  if (typeof v !== 'number' || Number.isNaN(v))
    fail(fn, `${arg} must be a number, got ${String(v)}`);
}

export function checkReduction(
  fn: string,
  reduction: unknown,
  allowed: readonly string[] = ['none', 'mean', 'sum'],
): void {
  if (typeof reduction !== 'string' || !allowed.includes(reduction)) {
    fail(
      fn,
      `reduction '${String(reduction)}' is not valid (expected one of ${allowed.map((r) => `'${r}'`).join(', ')})`,
    );
  }
}

export function checkSameShape(
  fn: string,
  aName: string,
  a: Tensor,
  bName: string,
  b: Tensor,
): void {
  if (a.ndim !== b.ndim || a.shape.some((d, i) => d !== b.shape[i])) {
    fail(
      fn,
      `${aName} shape ${formatShape(a.shape)} does not match ${bName} shape ${formatShape(b.shape)}`,
    );
  }
}

/** Rejects option keys the function does not know (a typo would otherwise be silently ignored). */
export function checkOptions(fn: string, opts: object, known: readonly string[]): void {
  for (const k of Object.keys(opts)) {
    if (!known.includes(k))
      fail(fn, `unknown option '${k}' (known: ${known.join(', ') || 'none'})`);
  }
}
