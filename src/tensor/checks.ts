/**
 * Checks that every way of making a tensor shares: a shape is valid and fits
 * in memory before anything is allocated, int32 receives only integers it
 * can hold, and only floating tensors require gradients. Each error names
 * the function and the argument. Internal: not exported from the package
 * root (the creation functions and the Tensor constructor call them).
 */
import { allocUninit, bytesPerElement, isFloating, type DType } from './dtype.js';
import { describeValue } from '../signature/types.js';

/**
 * The most bytes one tensor's storage may take: 2^32, Node's `Buffer` limit
 * (Node 20's `buffer.constants.MAX_LENGTH`), which nnkit's uninitialised
 * allocation goes through, and V8's typed-array length limit for 1-byte
 * elements. So at most 2^30 float32 or int32 elements, 2^29 float64.
 */
export const MAX_TENSOR_BYTES = 2 ** 32;

/** The most elements a tensor of `dtype` can hold. */
export function maxElements(dtype: DType): number {
  return MAX_TENSOR_BYTES / bytesPerElement(dtype);
}

/** int32's range, which every value stored as int32 must be an integer in. */
export const INT32_MIN = -(2 ** 31);
export const INT32_MAX = 2 ** 31 - 1;

/**
 * Validates a shape and returns it as a fresh array: an array of
 * non-negative safe integers whose element count fits a tensor of `dtype`
 * ({@link maxElements}). Throws before any allocation, naming `fn` and
 * `arg`, e.g. `zeros: trying to create tensor with negative dimension -1:
 * [2, -1]` (PyTorch's words). `[2 ** 40, 0]` passes: it has no elements.
 */
export function checkShape(
  fn: string,
  shape: unknown,
  dtype: DType = 'float32',
  arg = 'size',
): number[] {
  if (!Array.isArray(shape)) {
    throw new Error(`${fn}: ${arg} must be an array of integers, got ${describeValue(shape)}`);
  }
  const dims = shape as unknown[];
  let elements = 1;
  for (let i = 0; i < dims.length; i++) {
    const d = dims[i];
    if (Number.isInteger(d) && !Number.isSafeInteger(d)) {
      throw new Error(
        `${fn}: dimension ${i} of ${arg}, ${String(d)}, is too large (dimensions are integers below 2^53)`,
      );
    }
    if (typeof d !== 'number' || !Number.isSafeInteger(d)) {
      throw new Error(
        `${fn}: ${arg} must contain integers, got ${describeValue(d)} at dimension ${i}`,
      );
    }
    if (d < 0) {
      throw new Error(
        `${fn}: trying to create tensor with negative dimension ${d}: [${dims.join(', ')}]`,
      );
    }
    elements *= d;
  }
  const limit = maxElements(dtype);
  // A zero dimension makes any product zero, however large the others.
  if (elements > limit) {
    throw new Error(
      `${fn}: ${arg} [${dims.join(', ')}] has ${elements} elements, more than the ${limit} ${dtype} elements a tensor can hold (2^32 bytes, the typed-array limit)`,
    );
  }
  return [...(dims as number[])];
}

/**
 * Throws unless `v` is an integer in int32's range, as PyTorch refuses to
 * overflow (`value cannot be converted to type int32 without overflow`).
 * The message reads `${fn}: ${what} ${v}${where} …`, e.g. `full: fillValue
 * 3000000000 cannot be converted to int32 without overflow (…)`.
 */
export function checkInt32Value(fn: string, what: string, v: number, where = ''): void {
  if (Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX) return;
  if (Number.isFinite(v) && !Number.isInteger(v)) {
    throw new Error(
      `${fn}: ${what} ${v}${where} is not an integer, so it cannot be stored as int32`,
    );
  }
  throw new Error(
    `${fn}: ${what} ${v}${where} cannot be converted to int32 without overflow (int32 holds integers in [${INT32_MIN}, ${INT32_MAX}])`,
  );
}

/**
 * Throws unless every value is an integer in int32's range, naming the
 * first offender by its index (row-major; a multi-index when `shape` has
 * two or more dimensions): `tensor: value 3000000000 at index 2 cannot be
 * converted to int32 without overflow (…)`. An Int32Array passes unread.
 */
export function checkInt32Values(
  fn: string,
  values: ArrayLike<number>,
  shape?: readonly number[],
): void {
  if (values instanceof Int32Array) return;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // (v | 0) === v exactly for integers in int32's range (and -0).
    if ((v | 0) !== v) checkInt32Value(fn, 'value', v, ` at ${indexOf(i, shape)}`);
  }
}

/**
 * Copies `values` into a new Int32Array, checking each as it goes (one
 * pass): the int32 path of `tensor()`, with `checkInt32Values`' messages.
 */
export function toInt32Array(
  fn: string,
  values: ArrayLike<number>,
  shape?: readonly number[],
): Int32Array {
  const out = allocUninit('int32', values.length);
  if (values instanceof Int32Array) {
    out.set(values);
    return out;
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if ((v | 0) !== v) checkInt32Value(fn, 'value', v, ` at ${indexOf(i, shape)}`);
    out[i] = v;
  }
  return out;
}

function indexOf(flat: number, shape: readonly number[] | undefined): string {
  if (!shape || shape.length < 2) return `index ${flat}`;
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return `index [${idx.join(', ')}]`;
}

/**
 * Throws if gradients are asked of a non-floating tensor, as PyTorch does
 * (`Only Tensors of floating point and complex dtype can require gradients`).
 */
export function checkRequiresGrad(fn: string, dtype: DType, requiresGrad: boolean): void {
  if (requiresGrad && !isFloating(dtype)) {
    throw new Error(
      `${fn}: only floating-point tensors can require gradients, got requiresGrad: true with dtype '${dtype}'`,
    );
  }
}
