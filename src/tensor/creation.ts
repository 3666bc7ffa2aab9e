/** Creating tensors: from values, filled, random, ranges. */
import { Tensor, type NestedArray } from './tensor.js';
import { allocUninit, castArray, dtypeOf, type DType, type TypedArray } from './dtype.js';
import { formatShape, sizeOf } from './shape.js';
import { defaultGenerator } from './random.js';

export interface TensorOptions {
  /** Element type; `'float32'` unless the values are a Float64Array or Int32Array. */
  dtype?: DType;
  /** With `shape`, `values` is flat in row-major order. */
  shape?: readonly number[];
  requiresGrad?: boolean;
}

export interface FactoryOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

type ShapeArg = number | readonly number[];

function toShape(shape: ShapeArg, fn: string): number[] {
  const s = typeof shape === 'number' ? [shape] : [...shape];
  if (s.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(
      `${fn}: invalid shape ${formatShape(s)}: dimensions must be non-negative integers`,
    );
  }
  return s;
}

function finish(t: Tensor, requiresGrad: boolean | undefined): Tensor {
  return requiresGrad ? t.requiresGrad_(true) : t;
}

function isTypedArray(v: unknown): v is TypedArray {
  return v instanceof Float32Array || v instanceof Float64Array || v instanceof Int32Array;
}

/** Flattens nested arrays, checking that they are rectangular. */
function flattenNested(values: NestedArray | readonly NestedArray[]): {
  flat: number[];
  shape: number[];
} {
  const shape: number[] = [];
  let probe: unknown = values;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const flat: number[] = [];
  const walk = (v: unknown, dim: number): void => {
    if (dim === shape.length) {
      if (typeof v !== 'number') throw new Error(`tensor: expected a number, got ${typeof v}`);
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new Error(
        `tensor: nested arrays are not rectangular at dimension ${dim} (expected length ${shape[dim]})`,
      );
    }
    for (const e of v) walk(e, dim + 1);
  };
  walk(values, 0);
  return { flat, shape };
}

/**
 * Creates a tensor from a number, nested arrays, a flat array or a typed
 * array (copied). `tensor(2.5)` is a scalar of shape `[]`.
 * @example tensor([[1, 2], [3, 4]], { dtype: 'float64', requiresGrad: true })
 * @example tensor(new Float32Array(6), { shape: [2, 3] })
 */
export function tensor(
  values: number | NestedArray | readonly NestedArray[] | TypedArray | readonly number[],
  opts: TensorOptions = {},
): Tensor {
  let flat: ArrayLike<number>;
  let shape: number[];
  let dtype: DType = opts.dtype ?? 'float32';
  if (typeof values === 'number') {
    flat = [values];
    shape = [];
  } else if (isTypedArray(values)) {
    flat = values;
    shape = [values.length];
    if (!opts.dtype) dtype = dtypeOf(values);
  } else {
    const r = flattenNested(values as NestedArray[]);
    flat = r.flat;
    shape = r.shape;
  }
  if (opts.shape) {
    const s = toShape(opts.shape, 'tensor');
    if (sizeOf(s) !== flat.length) {
      throw new Error(`tensor: ${flat.length} values do not fill shape ${formatShape(s)}`);
    }
    shape = s;
  }
  return finish(new Tensor(castArray(flat, dtype), shape), opts.requiresGrad);
}

/** A tensor of `shape` filled with `value`, like `torch.full`. */
export function full(shape: ShapeArg, value: number, opts: FactoryOptions = {}): Tensor {
  const s = toShape(shape, 'full');
  const data = allocUninit(opts.dtype ?? 'float32', sizeOf(s));
  data.fill(value);
  return finish(new Tensor(data, s), opts.requiresGrad);
}

/** @example zeros([2, 3]) */
export function zeros(shape: ShapeArg, opts: FactoryOptions = {}): Tensor {
  return full(shape, 0, opts);
}

/** @example ones(4, { dtype: 'float64' }) */
export function ones(shape: ShapeArg, opts: FactoryOptions = {}): Tensor {
  return full(shape, 1, opts);
}

export function zerosLike(t: Tensor, opts: FactoryOptions = {}): Tensor {
  return full(t.shape, 0, { dtype: t.dtype, ...opts });
}

export function onesLike(t: Tensor, opts: FactoryOptions = {}): Tensor {
  return full(t.shape, 1, { dtype: t.dtype, ...opts });
}

/** Uniform samples in [0, 1) from the seeded generator, like `torch.rand`. */
export function rand(shape: ShapeArg, opts: FactoryOptions = {}): Tensor {
  const s = toShape(shape, 'rand');
  const data = allocUninit(opts.dtype ?? 'float32', sizeOf(s));
  for (let i = 0; i < data.length; i++) data[i] = defaultGenerator.uniform();
  return finish(new Tensor(data, s), opts.requiresGrad);
}

/** Standard normal samples from the seeded generator, like `torch.randn`. */
export function randn(shape: ShapeArg, opts: FactoryOptions = {}): Tensor {
  const s = toShape(shape, 'randn');
  const data = allocUninit(opts.dtype ?? 'float32', sizeOf(s));
  for (let i = 0; i < data.length; i++) data[i] = defaultGenerator.normal();
  return finish(new Tensor(data, s), opts.requiresGrad);
}

/**
 * Uniform integers in [low, high), int32 by default, like `torch.randint`.
 * @example randint(0, 10, [5])
 */
export function randint(
  low: number,
  high: number,
  shape: ShapeArg,
  opts: { dtype?: DType } = {},
): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new Error(`randint: expected integers low < high, got low=${low}, high=${high}`);
  }
  const s = toShape(shape, 'randint');
  const data = allocUninit(opts.dtype ?? 'int32', sizeOf(s));
  for (let i = 0; i < data.length; i++) data[i] = defaultGenerator.integer(low, high);
  return new Tensor(data, s);
}

/**
 * Values from `start` to `end` (exclusive) by `step`, like `torch.arange`;
 * `arange(n)` counts from 0. int32 if all arguments are integers, else float32.
 * @example arange(0, 1, 0.25) // [0, 0.25, 0.5, 0.75]
 */
export function arange(start: number, end?: number, step = 1, opts: FactoryOptions = {}): Tensor {
  if (end === undefined) {
    end = start;
    start = 0;
  }
  if (step === 0 || !Number.isFinite(step))
    throw new Error(`arange: step must be finite and non-zero, got ${step}`);
  const n = Math.max(0, Math.ceil((end - start) / step));
  const dtype = opts.dtype ?? ([start, end, step].every(Number.isInteger) ? 'int32' : 'float32');
  const data = allocUninit(dtype, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return finish(new Tensor(data, [n]), opts.requiresGrad);
}

/** `steps` evenly spaced values from `start` to `end` inclusive, like `torch.linspace`. */
export function linspace(
  start: number,
  end: number,
  steps: number,
  opts: FactoryOptions = {},
): Tensor {
  if (!Number.isInteger(steps) || steps < 0)
    throw new Error(`linspace: steps must be a non-negative integer, got ${steps}`);
  const data = allocUninit(opts.dtype ?? 'float32', steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  // Fill from both ends so the last value is exactly `end`, as PyTorch does.
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++)
    data[i] = i < half ? start + step * i : end - step * (steps - 1 - i);
  return finish(new Tensor(data, [steps]), opts.requiresGrad);
}
