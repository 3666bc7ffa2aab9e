/**
 * Creating tensors with PyTorch's signatures: from values (`tensor`), filled
 * (`zeros`, `ones`, `full`, `empty`), random integers (`randint`, `randperm`;
 * the float samplers `rand` and `randn` are in src/ops/random-factories.ts),
 * ranges (`arange`, `linspace`) and shaped like another tensor (`zerosLike`,
 * …). Sizes bind as PyTorch's `*size` varargs (`zeros(2, 3)` or
 * `zeros([2, 3])`), keyword arguments go into one trailing options object
 * with camelCase names, and every argument is checked before anything is
 * allocated.
 *
 * Differences from PyTorch, because JavaScript numbers do not tell `1` from
 * `1.0`: `tensor([1, 2])` and `full([2], 1)` are float32 (PyTorch infers
 * int64 from Python ints); `arange` infers int32 from integer arguments as
 * PyTorch infers int64. Values that become int32 must be integers in
 * int32's range: PyTorch raises on overflow but truncates fractions; nnkit
 * refuses both.
 */
import { Tensor } from './tensor.js';
import {
  allocUninit,
  castArray,
  dtypeOf,
  isFloating,
  type DType,
  type TypedArray,
} from './dtype.js';
import { defaultGenerator, Generator, generatorType } from './random.js';
import { fillInteger, fillPermutation } from './sampling.js';
import { bindArgs, isOptionsObject, type Param, type Signature } from '../signature/bind.js';
import * as T from '../signature/types.js';
import { describeValue, type ParamType } from '../signature/types.js';
import {
  INT32_MAX,
  INT32_MIN,
  checkInt32Value,
  checkInt32Values,
  checkRequiresGrad,
  checkShape,
  toInt32Array,
} from './checks.js';

/** What `tensor()` accepts: a number, a typed array, or (nested) arrays of them. */
export type TensorLike = number | TypedArray | readonly TensorLike[];

/** `tensor()`'s keyword arguments. */
export interface TensorOptions {
  /** Element type; `'float32'` unless the values are a Float64Array or an Int32Array. */
  dtype?: DType | null;
  /** nnkit's addition: the values' elements, row-major, are laid out in this shape. */
  shape?: readonly number[] | null;
  /** Make the tensor a leaf that records gradients (floating dtypes only). */
  requiresGrad?: boolean;
}

/** Keyword arguments of the factories: PyTorch's `dtype` and `requires_grad`. */
export interface FactoryOptions {
  /** Element type (default `'float32'`; for `*Like`, the input's). */
  dtype?: DType | null;
  /** Make the tensor a leaf that records gradients (floating dtypes only). */
  requiresGrad?: boolean;
}

/** Options of the `*size` factories; `size` may be named, as PyTorch's `size=`. */
export interface SizeOptions extends FactoryOptions {
  /** The shape, by name (PyTorch's `size=`), instead of positionally. */
  size?: readonly number[];
}

/** Options of the random factories: a `Generator` instead of the global one. */
export interface RandomOptions extends SizeOptions {
  /** The generator to draw from (default `null`: the global one, seeded by `manualSeed`). */
  generator?: Generator | null;
}

/** `randint`'s options. */
export interface RandintOptions extends FactoryOptions {
  /** The generator to draw from (default `null`: the global one, seeded by `manualSeed`). */
  generator?: Generator | null;
}

/**
 * The arguments of a `*size` factory: integers (`zeros(2, 3)`) or one array
 * (`zeros([2, 3])`), then optionally the options object.
 */
export type SizeArgs<O> =
  [size: readonly number[], options?: O] | number[] | [...size: number[], options: O];

// ---- parameter types ----------------------------------------------------

/** A shape: any array here; `checkShape` then says exactly what is wrong with it. */
const sizeType: ParamType<readonly number[]> = {
  ts: 'readonly number[]',
  py: 'Sequence[int]',
  validate: (v) => (Array.isArray(v) ? null : "an array of integers (PyTorch's tuple)"),
};

const anyType: ParamType<unknown> = { ts: 'unknown', py: 'Any', validate: () => null };

const dtypeParam: Param = {
  name: 'dtype',
  type: T.optional(T.dtype),
  default: null,
  kwOnly: true,
  doc: 'element type',
};
export const floatDtypeParam: Param = { ...dtypeParam, type: T.optional(T.floatDtype) };
const requiresGradParam: Param = {
  name: 'requiresGrad',
  type: T.bool,
  default: false,
  kwOnly: true,
  doc: 'record gradients for this leaf',
};
export const generatorParam: Param = {
  name: 'generator',
  type: generatorType,
  default: null,
  kwOnly: true,
  doc: 'the random generator (default: the global one)',
};
const sizeParam: Param = { name: 'size', type: sizeType, doc: 'the shape' };
const inputParam: Param = { name: 'input', type: T.tensor, doc: 'the tensor whose shape to take' };

export const sizeSig = (name: string, ...kw: Param[]): Signature => ({
  name,
  params: [sizeParam, ...kw, requiresGradParam],
});

// ---- binding helpers ----------------------------------------------------

/** Splits a trailing options object off `args`. */
function splitOptions(args: readonly unknown[]): [unknown[], Record<string, unknown> | null] {
  const last = args[args.length - 1];
  return args.length > 0 && isOptionsObject(last) ? [args.slice(0, -1), last] : [[...args], null];
}

/** Binds PyTorch's `*size` varargs: integers become one size array. */
export function bindSize(sig: Signature, args: readonly unknown[]): Record<string, unknown> {
  const [rest, opts] = splitOptions(args);
  let positional: unknown[];
  if (rest.length > 1 || (rest.length === 1 && typeof rest[0] === 'number')) {
    if (!rest.every((v) => typeof v === 'number')) {
      throw new Error(
        `${sig.name}: size must be integers (${sig.name}(2, 3)) or one array (${sig.name}([2, 3])), got ${rest.map(describeValue).join(', ')}`,
      );
    }
    positional = [rest];
  } else {
    positional = rest;
  }
  return bindArgs(sig, opts ? [...positional, opts] : positional);
}

/** Checks the shape for `dtype` and `requiresGrad`, then allocates a tensor filled by `fill`. */
export function create(
  fn: string,
  size: unknown,
  dtype: DType,
  requiresGrad: boolean,
  fill: (data: TypedArray) => void,
): Tensor {
  const shape = checkShape(fn, size, dtype);
  checkRequiresGrad(fn, dtype, requiresGrad);
  let n = 1;
  for (const d of shape) n *= d;
  const data = allocUninit(dtype, n);
  fill(data);
  const t = new Tensor(data, shape);
  return requiresGrad ? t.requiresGrad_(true) : t;
}

// ---- from values --------------------------------------------------------

const TENSOR_SIG: Signature = {
  name: 'tensor',
  params: [
    { name: 'data', type: anyType, doc: 'a number, a typed array or nested arrays' },
    dtypeParam,
    {
      name: 'shape',
      type: T.optional(sizeType),
      default: null,
      kwOnly: true,
      doc: 'lay the values out in this shape',
      torchName: null,
    },
    requiresGradParam,
  ],
};

function isSequence(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

const path = (idx: readonly number[]): string => `[${idx.join(', ')}]`;

/** The deepest nesting `tensor()` reads: far beyond any real tensor, far below the call stack's limit. */
const MAX_NESTING = 1000;

/** Flattens nested sequences, checking that they are rectangular and hold numbers. */
function flattenNested(values: ArrayLike<unknown>): { flat: number[]; shape: number[] } {
  const shape: number[] = [];
  let probe: unknown = values;
  while (isSequence(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0];
    // The walk below recurses once per dimension: refuse before the stack runs out.
    if (shape.length > MAX_NESTING) {
      throw new Error(
        `tensor: values nest more than ${MAX_NESTING} levels deep (one dimension per level)`,
      );
    }
  }
  const flat: number[] = [];
  const idx: number[] = [];
  const walk = (v: unknown, dim: number): void => {
    if (dim === shape.length) {
      if (typeof v !== 'number') {
        throw new Error(`tensor: element ${path(idx)} must be a number, got ${describeValue(v)}`);
      }
      flat.push(v);
      return;
    }
    if (!isSequence(v)) {
      throw new Error(
        `tensor: expected a sequence of length ${shape[dim]} at dim ${dim}, got ${describeValue(v)} at index ${path(idx)}`,
      );
    }
    if (v.length !== shape[dim]) {
      throw new Error(
        `tensor: expected sequence of length ${shape[dim]} at dim ${dim} (got ${v.length}) at index ${path(idx)}`,
      );
    }
    if (dim === shape.length - 1) {
      // The innermost rows: one tight loop, the index path only on error.
      for (let i = 0; i < v.length; i++) {
        const e = v[i];
        if (typeof e !== 'number') {
          throw new Error(
            `tensor: element ${path([...idx, i])} must be a number, got ${describeValue(e)}`,
          );
        }
        flat.push(e);
      }
      return;
    }
    for (let i = 0; i < v.length; i++) {
      idx.push(i);
      walk(v[i], dim + 1);
      idx.pop();
    }
  };
  walk(values, 0);
  return { flat, shape };
}

/**
 * Creates a tensor from a number (shape `[]`), nested arrays, a flat array
 * or a typed array (always copied), like `torch.tensor(data, *, dtype,
 * requires_grad)`. The dtype is float32 unless given, or taken from a
 * Float64Array or Int32Array. nnkit's `shape` option lays flat values out
 * in a shape. Ragged arrays, non-numbers, and values that int32 cannot
 * hold exactly are errors.
 * @example
 * ```ts
 * import { tensor } from 'nnkit';
 * console.log(tensor(2.5)); // tensor(2.5000)
 * console.log(tensor([[1, 2], [3, 4]]).shape); // [ 2, 2 ]
 * console.log(tensor([1, 2, 3], { dtype: 'int32' })); // tensor([1, 2, 3], dtype=torch.int32)
 * console.log(tensor(new Float64Array([0.5, 1]))); // tensor([0.5000, 1.0000], dtype=torch.float64)
 * console.log(tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2] }).shape); // [ 3, 2 ]
 * ```
 * @param data - A number, a typed array, or (nested) arrays of numbers; always copied.
 * @param options - By name: `dtype` (default float32, or the typed array's), `shape` (nnkit's; default `null`), `requiresGrad` (default `false`).
 */
export function tensor(data: TensorLike, options?: TensorOptions): Tensor;
export function tensor(...args: unknown[]): Tensor {
  const b = bindArgs(TENSOR_SIG, args);
  const values = b.data;
  let flat: ArrayLike<number>;
  let shape: number[];
  let dtype: DType = 'float32';
  if (typeof values === 'number') {
    flat = [values];
    shape = [];
  } else if (
    values instanceof Float32Array ||
    values instanceof Float64Array ||
    values instanceof Int32Array
  ) {
    flat = values;
    shape = [values.length];
    dtype = dtypeOf(values);
  } else if (isSequence(values)) {
    ({ flat, shape } = flattenNested(values));
  } else {
    throw new Error(
      `tensor: data must be a number, a typed array or (nested) arrays of numbers, got ${describeValue(values)}`,
    );
  }
  dtype = (b.dtype as DType | null) ?? dtype;
  if (b.shape !== null) {
    const s = checkShape('tensor', b.shape, dtype, 'shape');
    let n = 1;
    for (const d of s) n *= d;
    if (n !== flat.length) {
      throw new Error(
        `tensor: ${flat.length} values do not fill shape [${s.join(', ')}] (${n} elements)`,
      );
    }
    shape = s;
  } else {
    checkShape('tensor', shape, dtype, 'data');
  }
  checkRequiresGrad('tensor', dtype, b.requiresGrad as boolean);
  const data = dtype === 'int32' ? toInt32Array('tensor', flat, shape) : castArray(flat, dtype);
  const t = new Tensor(data, shape);
  return b.requiresGrad ? t.requiresGrad_(true) : t;
}

// ---- filled -------------------------------------------------------------

const ZEROS_SIG = sizeSig('zeros', dtypeParam);
const ONES_SIG = sizeSig('ones', dtypeParam);
const EMPTY_SIG = sizeSig('empty', dtypeParam);

/**
 * A tensor of zeros, like `torch.zeros(*size, *, dtype, requires_grad)`.
 * @example
 * ```ts
 * import { zeros } from 'nnkit';
 * console.log(zeros(2)); // tensor([0., 0.])
 * console.log(zeros(2, 3).shape); // [ 2, 3 ]
 * console.log(zeros([2, 3], { dtype: 'int32' }).dtype); // int32
 * console.log(zeros(0, 3)); // tensor([], size=(0, 3))
 * ```
 * @param args - `size` as integers (`2, 3`) or one array (`[2, 3]`), then optionally one options object, by name: `dtype` (default `'float32'`), `requiresGrad` (default `false`), or `size` itself.
 */
export function zeros(...args: SizeArgs<SizeOptions>): Tensor {
  const b = bindSize(ZEROS_SIG, args);
  const dtype = (b.dtype as DType | null) ?? 'float32';
  return create('zeros', b.size, dtype, b.requiresGrad as boolean, (d) => d.fill(0));
}

/**
 * A tensor of ones, like `torch.ones(*size, *, dtype, requires_grad)`.
 * @example
 * ```ts
 * import { ones } from 'nnkit';
 * console.log(ones(3, { dtype: 'float64' })); // tensor([1., 1., 1.], dtype=torch.float64)
 * console.log(ones([2, 2]).shape); // [ 2, 2 ]
 * ```
 * @param args - `size` as integers (`2, 3`) or one array (`[2, 3]`), then optionally one options object, by name: `dtype` (default `'float32'`), `requiresGrad` (default `false`), or `size` itself.
 */
export function ones(...args: SizeArgs<SizeOptions>): Tensor {
  const b = bindSize(ONES_SIG, args);
  const dtype = (b.dtype as DType | null) ?? 'float32';
  return create('ones', b.size, dtype, b.requiresGrad as boolean, (d) => d.fill(1));
}

/**
 * An uninitialised tensor, like `torch.empty(*size, *, dtype,
 * requires_grad)`: write every element before reading (in Node it holds
 * whatever the memory held; in browsers it is zero-filled).
 * @example
 * ```ts
 * import { empty } from 'nnkit';
 * console.log(empty(2, 3).shape); // [ 2, 3 ]
 * ```
 * @param args - `size` as integers (`2, 3`) or one array (`[2, 3]`), then optionally one options object, by name: `dtype` (default `'float32'`), `requiresGrad` (default `false`), or `size` itself.
 */
export function empty(...args: SizeArgs<SizeOptions>): Tensor {
  const b = bindSize(EMPTY_SIG, args);
  const dtype = (b.dtype as DType | null) ?? 'float32';
  return create('empty', b.size, dtype, b.requiresGrad as boolean, () => {});
}

const FULL_SIG: Signature = {
  name: 'full',
  params: [
    sizeParam,
    { name: 'fillValue', type: T.number({ nan: true }), doc: 'the value of every element' },
    dtypeParam,
    requiresGradParam,
  ],
};

/**
 * A tensor of `size` filled with `fillValue`, like `torch.full(size,
 * fill_value, *, dtype, requires_grad)`; `size` is an array, as PyTorch's
 * tuple. float32 unless `dtype` says otherwise (PyTorch infers int64 from
 * an integer fill value; JavaScript cannot tell `1` from `1.0`).
 * @example
 * ```ts
 * import { full } from 'nnkit';
 * console.log(full([2], 7)); // tensor([7., 7.])
 * console.log(full([2], 7, { dtype: 'int32' })); // tensor([7, 7], dtype=torch.int32)
 * ```
 * @param size - The shape, an array of integers (PyTorch's tuple).
 * @param fillValue - The value of every element (PyTorch's `fill_value`); an integer for int32.
 * @param options - One options object, by name: `dtype` (default `'float32'`), `requiresGrad` (default `false`).
 */
export function full(size: readonly number[], fillValue: number, options?: FactoryOptions): Tensor;
export function full(...args: unknown[]): Tensor {
  const b = bindArgs(FULL_SIG, args);
  const dtype = (b.dtype as DType | null) ?? 'float32';
  const value = b.fillValue as number;
  checkShape('full', b.size, dtype);
  if (dtype === 'int32') checkInt32Value('full', 'fillValue', value);
  return create('full', b.size, dtype, b.requiresGrad as boolean, (d) => d.fill(value));
}

// ---- random -------------------------------------------------------------

export function generatorOf(b: Record<string, unknown>): Generator {
  return (b.generator as Generator | null) ?? defaultGenerator;
}

const RANDINT_SIG: Signature = {
  name: 'randint',
  params: [
    { name: 'low', type: T.int(), default: 0, doc: 'smallest value (inclusive)' },
    { name: 'high', type: T.int(), doc: 'one above the largest value' },
    sizeParam,
    generatorParam,
    dtypeParam,
    requiresGradParam,
  ],
};

/** The largest magnitude whose integers a dtype represents exactly (PyTorch's bounds). */
const EXACT_INTEGERS: Record<DType, [number, number]> = {
  int32: [INT32_MIN, INT32_MAX],
  float32: [-(2 ** 24), 2 ** 24],
  float64: [-(2 ** 53), 2 ** 53],
};

/**
 * Uniform integers in [low, high), int32 unless `dtype` says otherwise,
 * like `torch.randint(low=0, high, size, *, generator, dtype,
 * requires_grad)`: `randint(high, size)` or `randint(low, high, size)`,
 * `size` an array as PyTorch's tuple. `low` and `high − 1` must be exact
 * in the dtype (int32's range; ±2^24 for float32, ±2^53 for float64,
 * where PyTorch only warns).
 * @example
 * ```ts
 * import { randint } from 'nnkit';
 * console.log(randint(10, [3]).shape); // [ 3 ]
 * console.log(randint(5, 6, [2])); // tensor([5, 5], dtype=torch.int32)
 * console.log(randint(0, 2, [2], { dtype: 'float32' }).dtype); // float32
 * ```
 * @param high - One above the largest value; `low` is 0.
 * @param size - The shape, an array of integers (PyTorch's tuple).
 * @param options - One options object, by name: `generator` (default the global one, seeded by `manualSeed`), `dtype` (default `'int32'`), `requiresGrad` (default `false`).
 */
export function randint(high: number, size: readonly number[], options?: RandintOptions): Tensor;
/**
 * Uniform integers in [low, high), like `torch.randint(low, high, size)`.
 *
 * @param low - The smallest value (inclusive). Default `0`.
 * @param high - One above the largest value.
 * @param size - The shape, an array of integers (PyTorch's tuple).
 * @param options - One options object, by name: `generator` (default the global one, seeded by `manualSeed`), `dtype` (default `'int32'`), `requiresGrad` (default `false`).
 */
export function randint(
  low: number,
  high: number,
  size: readonly number[],
  options?: RandintOptions,
): Tensor;
export function randint(...args: unknown[]): Tensor {
  const [rest, opts] = splitOptions(args);
  if (rest.length === 2 && typeof rest[1] === 'number') {
    throw new Error(
      `randint: size must be an array of integers (PyTorch's tuple), e.g. randint(${String(rest[0])}, ${String(rest[1])}, [3]); got ${String(rest[1])}`,
    );
  }
  // randint(high, size): PyTorch's overload without low.
  const positional =
    rest.length === 1 || (rest.length === 2 && Array.isArray(rest[1]))
      ? [undefined, ...rest]
      : rest;
  const b = bindArgs(RANDINT_SIG, opts ? [...positional, opts] : positional);
  const low = b.low as number;
  const high = b.high as number;
  const dtype = (b.dtype as DType | null) ?? 'int32';
  if (high <= low) {
    throw new Error(`randint: high must be greater than low, got low=${low}, high=${high}`);
  }
  const [min, max] = EXACT_INTEGERS[dtype];
  if (low < min || high - 1 > max) {
    throw new Error(
      `randint: [${low}, ${high}) is out of bounds for ${dtype}, which holds integers exactly in [${min}, ${max}]`,
    );
  }
  const g = generatorOf(b);
  return create('randint', b.size, dtype, b.requiresGrad as boolean, (d) =>
    fillInteger(d, low, high, g),
  );
}

const RANDPERM_SIG: Signature = {
  name: 'randperm',
  params: [
    { name: 'n', type: T.int({ min: 0 }), doc: 'the number of elements to permute' },
    generatorParam,
    dtypeParam,
    requiresGradParam,
  ],
};

/** Options of {@link randperm}. */
export interface RandpermOptions extends FactoryOptions {
  /** The generator to draw from (default `null`: the global one, seeded by `manualSeed`). */
  generator?: Generator | null;
}

/**
 * A random permutation of `0 … n − 1`, int32 unless `dtype` says otherwise,
 * like `torch.randperm(n, *, generator, dtype, requires_grad)`; the same seed
 * gives PyTorch's permutation (ATen's CPU shuffle: for each i < n − 1, swap
 * with position `i + (word mod (n − i))`). `n` must be exact in the dtype.
 * @example
 * ```ts
 * import { manualSeed, randperm } from 'nnkit';
 * manualSeed(0);
 * console.log(randperm(5)); // tensor([4, 0, 1, 3, 2], dtype=torch.int32)
 * ```
 * @param n - The number of elements, a non-negative integer.
 * @param options - One options object, by name: `generator` (default the global one, seeded by `manualSeed`), `dtype` (default `'int32'`), `requiresGrad` (default `false`).
 */
export function randperm(n: number, options?: RandpermOptions): Tensor;
export function randperm(...args: unknown[]): Tensor {
  const b = bindArgs(RANDPERM_SIG, args);
  const n = b.n as number;
  const dtype = (b.dtype as DType | null) ?? 'int32';
  const max = EXACT_INTEGERS[dtype][1];
  if (n - 1 > max) {
    throw new Error(
      `randperm: n = ${n} is too large for ${dtype}, which holds integers exactly up to ${max}`,
    );
  }
  const g = generatorOf(b);
  return create('randperm', [n], dtype, b.requiresGrad as boolean, (d) => fillPermutation(d, g));
}

// ---- ranges -------------------------------------------------------------

const ARANGE_SIG: Signature = {
  name: 'arange',
  params: [
    { name: 'start', type: T.number(), default: 0, doc: 'first value' },
    { name: 'end', type: T.number(), doc: 'bound (exclusive)' },
    { name: 'step', type: T.number(), default: 1, doc: 'gap between values' },
    dtypeParam,
    requiresGradParam,
  ],
};

/** `arange`'s and `linspace`'s options. */
export type RangeOptions = FactoryOptions;

/**
 * Values from `start` (default 0) towards `end` (exclusive) by `step`
 * (default 1), like `torch.arange(start=0, end, step=1, *, dtype,
 * requires_grad)`: `arange(end)` or `arange(start, end, step?)`; there are
 * ⌈(end − start) / step⌉ of them, each `start + i·step` computed in float64.
 * int32 if all three are integers (PyTorch's int64), else float32. A step
 * of 0 or of the wrong sign, non-finite bounds, and int32 values outside
 * int32's range are errors.
 * @example
 * ```ts
 * import { arange } from 'nnkit';
 * console.log(arange(5)); // tensor([0, 1, 2, 3, 4], dtype=torch.int32)
 * console.log(arange(1, 4)); // tensor([1, 2, 3], dtype=torch.int32)
 * console.log(arange(0, 1, 0.25)); // tensor([0.0000, 0.2500, 0.5000, 0.7500])
 * console.log(arange(3, { dtype: 'float64' })); // tensor([0., 1., 2.], dtype=torch.float64)
 * ```
 * @param end - The bound (exclusive); `start` is 0 and `step` 1.
 * @param options - One options object, by name: `dtype` (default int32 if `start`, `end` and `step` are integers, else float32), `requiresGrad` (default `false`).
 */
export function arange(end: number, options?: RangeOptions): Tensor;
/**
 * Values from `start` towards `end` (exclusive) by 1, like `torch.arange(start, end)`.
 *
 * @param start - The first value. Default `0`.
 * @param end - The bound (exclusive).
 * @param options - One options object, by name: `dtype` (default int32 if `start`, `end` and `step` are integers, else float32), `requiresGrad` (default `false`).
 */
export function arange(start: number, end: number, options?: RangeOptions): Tensor;
/**
 * Values from `start` towards `end` (exclusive) by `step`, like `torch.arange(start, end, step)`.
 *
 * @param start - The first value. Default `0`.
 * @param end - The bound (exclusive).
 * @param step - The gap between values, nonzero, with the sign of `end − start`. Default `1`.
 * @param options - One options object, by name: `dtype` (default int32 if `start`, `end` and `step` are integers, else float32), `requiresGrad` (default `false`).
 */
export function arange(start: number, end: number, step: number, options?: RangeOptions): Tensor;
export function arange(...args: unknown[]): Tensor {
  const [rest, opts] = splitOptions(args);
  // arange(end): PyTorch's overload without start.
  const positional = rest.length === 1 ? [undefined, rest[0]] : rest;
  const b = bindArgs(ARANGE_SIG, opts ? [...positional, opts] : positional);
  const start = b.start as number;
  const end = b.end as number;
  const step = b.step as number;
  if (!Number.isFinite(start) || !Number.isFinite(end)) {
    throw new Error(`arange: unsupported range: ${start} -> ${end} (start and end must be finite)`);
  }
  if (step === 0) throw new Error('arange: step must be nonzero');
  if (!Number.isFinite(step)) throw new Error(`arange: step must be finite, got ${step}`);
  if ((step > 0 && end < start) || (step < 0 && end > start)) {
    throw new Error(
      `arange: upper bound and larger bound inconsistent with step sign (start=${start}, end=${end}, step=${step})`,
    );
  }
  const n = Math.ceil((end - start) / step);
  const dtype =
    (b.dtype as DType | null) ??
    (Number.isInteger(start) && Number.isInteger(end) && Number.isInteger(step)
      ? 'int32'
      : 'float32');
  checkShape('arange', [n], dtype, 'result size');
  if (dtype === 'int32' && n > 0) {
    checkInt32Value('arange', 'start', start);
    if (n > 1) checkInt32Value('arange', 'step', step);
    checkInt32Value('arange', 'value', start + (n - 1) * step, ` (element ${n - 1})`);
  }
  return create('arange', [n], dtype, b.requiresGrad as boolean, (d) => {
    for (let i = 0; i < n; i++) d[i] = start + i * step;
  });
}

const LINSPACE_SIG: Signature = {
  name: 'linspace',
  params: [
    { name: 'start', type: T.number(), doc: 'first value' },
    { name: 'end', type: T.number(), doc: 'last value' },
    { name: 'steps', type: T.int({ min: 0 }), doc: 'number of values' },
    dtypeParam,
    requiresGradParam,
  ],
};

/**
 * `steps` evenly spaced values from `start` to `end` inclusive, like
 * `torch.linspace(start, end, steps, *, dtype, requires_grad)`, rounding for
 * rounding: the first half counts up from `start`, the second half down from
 * `end` (so the last value is exactly `end`); an int32 result truncates
 * `start`, `end` and every value towards zero, as PyTorch does.
 * @example
 * ```ts
 * import { linspace } from 'nnkit';
 * console.log(linspace(-1, 1, 5)); // tensor([-1.0000, -0.5000,  0.0000,  0.5000,  1.0000])
 * console.log(linspace(0, 10, 4, { dtype: 'int32' })); // tensor([ 0,  3,  6, 10], dtype=torch.int32)
 * ```
 * @param start - The first value.
 * @param end - The last value (included).
 * @param steps - The number of values, a non-negative integer.
 * @param options - One options object, by name: `dtype` (default `'float32'`), `requiresGrad` (default `false`).
 */
export function linspace(start: number, end: number, steps: number, options?: RangeOptions): Tensor;
export function linspace(...args: unknown[]): Tensor {
  const b = bindArgs(LINSPACE_SIG, args);
  const steps = b.steps as number;
  const dtype = (b.dtype as DType | null) ?? 'float32';
  checkShape('linspace', [steps], dtype, 'steps');
  const values = linspaceValues(b.start as number, b.end as number, steps, dtype);
  if (dtype === 'int32') checkInt32Values('linspace', values);
  return create('linspace', [steps], dtype, b.requiresGrad as boolean, (d) => d.set(values));
}

/**
 * The values of ATen's CPU linspace kernel (its AVX2 build, which PyTorch
 * runs on x86-64), bit for bit: with `step = (end − start) / (steps − 1)` in
 * the dtype (float64 for int32), element i is `start + step·i` below
 * `steps / 2` and `end − step·(steps − 1 − i)` from there, each one fused
 * multiply-add (GCC contracts it). Whole vectors (8 float32 or int32, 4
 * float64 lanes), two at a time, take that value at their first lane and add
 * `lane·step` (a multiply, then an add) in the others; the elements after
 * the last pair of vectors are computed one by one.
 */
function linspaceValues(start: number, end: number, steps: number, dtype: DType): Float64Array {
  const out = new Float64Array(steps);
  const round = dtype === 'float32' ? Math.fround : dtype === 'int32' ? Math.trunc : Number;
  const s = round(start);
  const e = round(end);
  if (steps === 1) out[0] = s;
  if (steps <= 1) return out;
  const step =
    dtype === 'float32' ? Math.fround(Math.fround(e - s) / (steps - 1)) : (e - s) / (steps - 1);
  // float32: the product of a float and an integer below 2^29 is exact in float64, so one
  // rounding of the float64 sum to float32 is the fused result (but for a double rounding
  // in ~2^-29 of cases). int32 truncates, so its contraction does not matter.
  const fused =
    dtype === 'float32'
      ? (a: number, b: number, c: number) => Math.fround(a * b + c)
      : dtype === 'float64'
        ? fma64
        : (a: number, b: number, c: number) => Math.trunc(a * b + c);
  const half = Math.floor(steps / 2);
  const at = (i: number): number => (i < half ? fused(step, i, s) : fused(-step, steps - 1 - i, e));
  const lanes = dtype === 'float64' ? 4 : 8;
  const pairs = Math.floor(steps / (2 * lanes)) * 2 * lanes;
  for (let v = 0; v < pairs; v += lanes) {
    const base = at(v);
    out[v] = base;
    for (let j = 1; j < lanes; j++) {
      out[v + j] =
        dtype === 'float32' ? Math.fround(base + Math.fround(j * step)) : round(base + j * step);
    }
  }
  for (let i = pairs; i < steps; i++) out[i] = at(i);
  return out;
}

/**
 * a·b + c with one rounding, in float64 (JavaScript has no fma): Dekker's
 * exact product and Knuth's two-sum, the error terms added last — correctly
 * rounded but for ties between errors of opposite sign, far below any tolerance.
 */
function fma64(a: number, b: number, c: number): number {
  const p = a * b;
  const SPLIT = 134217729; // 2^27 + 1: Veltkamp's split into two 26-bit halves
  const ca = SPLIT * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = SPLIT * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  const pErr = ah * bh - p + ah * bl + al * bh + al * bl;
  const sum = p + c;
  const z = sum - p;
  const sErr = p - (sum - z) + (c - z);
  return sum + (sErr + pErr);
}

// ---- shaped like another tensor -----------------------------------------

export const likeSig = (name: string, dtype: Param, ...extra: Param[]): Signature => ({
  name,
  params: [inputParam, ...extra, dtype, requiresGradParam],
});
const ZEROS_LIKE_SIG = likeSig('zerosLike', dtypeParam);
const ONES_LIKE_SIG = likeSig('onesLike', dtypeParam);
const FULL_LIKE_SIG = likeSig('fullLike', dtypeParam, FULL_SIG.params[1]);

/** Binds a `*Like` call; the dtype defaults to the input's. */
export function bindLike(
  sig: Signature,
  args: readonly unknown[],
): [Tensor, DType, boolean, Record<string, unknown>] {
  const b = bindArgs(sig, args);
  const input = b.input as Tensor;
  return [input, (b.dtype as DType | null) ?? input.dtype, b.requiresGrad as boolean, b];
}

/**
 * Zeros of `input`'s shape and (unless given) dtype, like `torch.zeros_like`.
 * @example
 * ```ts
 * import { tensor, zerosLike } from 'nnkit';
 * console.log(zerosLike(tensor([[1, 2]], { dtype: 'float64' }))); // tensor([[0., 0.]], dtype=torch.float64)
 * ```
 * @param input - The tensor whose shape (and dtype) to take.
 * @param options - One options object, by name: `dtype` (default `input`'s), `requiresGrad` (default `false`).
 */
export function zerosLike(input: Tensor, options?: FactoryOptions): Tensor;
export function zerosLike(...args: unknown[]): Tensor {
  const [input, dtype, rg] = bindLike(ZEROS_LIKE_SIG, args);
  return create('zerosLike', input.shape, dtype, rg, (d) => d.fill(0));
}

/**
 * Ones of `input`'s shape and (unless given) dtype, like `torch.ones_like`.
 * @example
 * ```ts
 * import { onesLike, tensor } from 'nnkit';
 * console.log(onesLike(tensor([3, 4], { dtype: 'int32' }))); // tensor([1, 1], dtype=torch.int32)
 * ```
 * @param input - The tensor whose shape (and dtype) to take.
 * @param options - One options object, by name: `dtype` (default `input`'s), `requiresGrad` (default `false`).
 */
export function onesLike(input: Tensor, options?: FactoryOptions): Tensor;
export function onesLike(...args: unknown[]): Tensor {
  const [input, dtype, rg] = bindLike(ONES_LIKE_SIG, args);
  return create('onesLike', input.shape, dtype, rg, (d) => d.fill(1));
}

/**
 * `fillValue` in `input`'s shape and (unless given) dtype, like
 * `torch.full_like(input, fill_value, *, dtype, requires_grad)`.
 * @example
 * ```ts
 * import { fullLike, zeros } from 'nnkit';
 * console.log(fullLike(zeros(2), 0.5)); // tensor([0.5000, 0.5000])
 * ```
 * @param input - The tensor whose shape (and dtype) to take.
 * @param fillValue - The value of every element (PyTorch's `fill_value`); an integer for int32.
 * @param options - One options object, by name: `dtype` (default `input`'s), `requiresGrad` (default `false`).
 */
export function fullLike(input: Tensor, fillValue: number, options?: FactoryOptions): Tensor;
export function fullLike(...args: unknown[]): Tensor {
  const [input, dtype, rg, b] = bindLike(FULL_LIKE_SIG, args);
  const value = b.fillValue as number;
  if (dtype === 'int32') checkInt32Value('fullLike', 'fillValue', value);
  return create('fullLike', input.shape, dtype, rg, (d) => d.fill(value));
}

/** The floating dtype a random `*Like` samples in, or a clear error for an int32 input. */
export function floatLike(fn: string, input: Tensor, dtype: DType): DType {
  if (!isFloating(dtype)) {
    throw new Error(
      `${fn}: samples are floating-point, but the input is ${input.dtype}; pass { dtype: 'float32' } or 'float64'`,
    );
  }
  return dtype;
}
