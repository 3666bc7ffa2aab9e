/**
 * Tensors as JSON: `{ dtype, shape, data }` with `data` flat in row-major
 * order. JSON numbers cannot hold NaN, ±Infinity or the sign of −0, so those
 * four values are written as the strings `'NaN'`, `'Infinity'`,
 * `'-Infinity'` and `'-0'` (the encoding of the golden fixtures); every other
 * element is a plain number, which JavaScript prints with enough digits to
 * read back to the same float32 or float64. So a tensor survives
 * `JSON.parse(JSON.stringify(t))` bit for bit, NaN payloads aside.
 *
 * This file imports nothing from the Tensor class at run time, so
 * `Tensor.prototype.toJSON` can delegate here without an import cycle.
 */
import type { DType, TypedArray } from './dtype.js';

/** One element of {@link TensorJSON}'s `data`: a number, or one of the four strings JSON needs. */
export type JSONNumber = number | 'NaN' | 'Infinity' | '-Infinity' | '-0';

/** The JSON form of a tensor, as `Tensor.prototype.toJSON()` returns it. */
export interface TensorJSON {
  /** The tensor's dtype. */
  dtype: DType;
  /** The tensor's shape. */
  shape: number[];
  /** The elements in row-major order; NaN, ±Infinity and −0 as strings. */
  data: JSONNumber[];
}

const DTYPES: readonly DType[] = ['float32', 'float64', 'int32'];

function encodeNumber(v: number): JSONNumber {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (v === 0 && 1 / v < 0) return '-0';
  return v;
}

/**
 * The JSON form of a tensor: `{ dtype, shape, data }`, `data` flat, NaN,
 * ±Infinity and −0 as strings. `JSON.stringify` calls it through
 * `Tensor.prototype.toJSON`.
 * @example
 * ```ts
 * import { io, tensor } from 'nnkit';
 * console.log(io.tensorToJSON(tensor([[1, NaN]]))); // { dtype: 'float32', shape: [ 1, 2 ], data: [ 1, 'NaN' ] }
 * ```
 * @param t - The tensor (anything with `dtype`, `shape` and `data`).
 */
export function tensorToJSON(t: {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: TypedArray;
}): TensorJSON {
  // Read once: a non-contiguous view's `data` is a fresh copy on each access.
  const src = t.data;
  const data = new Array<JSONNumber>(src.length);
  for (let i = 0; i < data.length; i++) data[i] = encodeNumber(src[i]);
  return { dtype: t.dtype, shape: [...t.shape], data };
}

/** True for a plain object with `dtype`, `shape` and `data`: what {@link parseTensorJSON} reads. */
export function isTensorJSON(v: unknown): v is TensorJSON {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !ArrayBuffer.isView(v) &&
    'dtype' in v &&
    'shape' in v &&
    'data' in v
  );
}

function decodeNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  switch (v) {
    case 'NaN':
      return NaN;
    case 'Infinity':
      return Infinity;
    case '-Infinity':
      return -Infinity;
    case '-0':
      return -0;
    default:
      return undefined;
  }
}

function show(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (v === undefined) return 'undefined';
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/**
 * Reads the JSON form back into storage: checks the dtype, that the shape is
 * a list of non-negative integers, and that `data` holds exactly its
 * product of numbers (or the four strings); int32 elements must be integers
 * in int32's range. Every error starts with `where`.
 */
export function parseTensorJSON(
  v: unknown,
  where: string,
): { dtype: DType; shape: number[]; data: TypedArray } {
  if (!isTensorJSON(v)) {
    throw new Error(
      `${where}: expected a Tensor or its JSON form { dtype, shape, data }, got ${show(v)}`,
    );
  }
  const { dtype, shape, data } = v as { dtype: unknown; shape: unknown; data: unknown };
  if (typeof dtype !== 'string' || !(DTYPES as readonly string[]).includes(dtype)) {
    throw new Error(
      `${where}: dtype must be one of 'float32', 'float64', 'int32', got ${show(dtype)}`,
    );
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new Error(
      `${where}: shape must be an array of non-negative integers, got ${show(shape)}`,
    );
  }
  let size = 1;
  for (const d of shape as number[]) size *= d;
  if (!Array.isArray(data) || data.length !== size) {
    throw new Error(
      `${where}: data must be a flat array of ${size} element${size === 1 ? '' : 's'} for shape [${shape.join(', ')}], got ${Array.isArray(data) ? `${data.length}` : show(data)}`,
    );
  }
  const out =
    dtype === 'float32'
      ? new Float32Array(size)
      : dtype === 'float64'
        ? new Float64Array(size)
        : new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const x = decodeNumber(data[i]);
    if (x === undefined) {
      throw new Error(
        `${where}: data[${i}] is ${show(data[i])}; elements are numbers or 'NaN', 'Infinity', '-Infinity', '-0'`,
      );
    }
    if (dtype === 'int32' && !(Number.isInteger(x) && x >= -(2 ** 31) && x < 2 ** 31)) {
      throw new Error(`${where}: data[${i}] is ${show(data[i])}, not an int32 value`);
    }
    out[i] = x;
  }
  return { dtype: dtype as DType, shape: shape as number[], data: out };
}
