/**
 * Parameter types of nnkit's public signatures: each knows how to validate a
 * value (with a message that names what was expected and what came), how to
 * print itself as a TypeScript type for the generated API, and as the
 * Python type of PyTorch's documentation.
 *
 * This module is the bottom layer: it imports nothing from nnkit. Tensors
 * are recognised by a brand that the Tensor class sets on its prototype, not
 * by their shape, so duck-typed `{ shape, data }` objects are refused.
 */
import type { Tensor } from '../tensor/tensor.js';

/** The brand on `Tensor.prototype`; a plain object with `shape` and `data` does not carry it. */
export const TENSOR_BRAND: unique symbol = Symbol.for('nnkit.Tensor') as never;

/** True for nnkit tensors (of this copy of nnkit or another). */
export function isTensor(v: unknown): boolean {
  return (
    typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[TENSOR_BRAND] === true
  );
}

/** Describes a value for an error message: `got 'abc'`, `got null`, `got an object`. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'symbol') return 'a symbol';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (isTensor(v)) return 'a Tensor';
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  return 'an object';
}

/** A parameter type: a validator plus its TypeScript and Python spellings. `T` is the accepted value's type. */
export interface ParamType<T = unknown> {
  /** Phantom: the TypeScript type of accepted values (never set at run time). */
  readonly _type?: T;
  /** TypeScript type of the generated signature, e.g. `number`, `'none' | 'tanh'`. */
  readonly ts: string;
  /** Python type as PyTorch documents it, e.g. `float`, `Optional[Tensor]`. */
  readonly py: string;
  /** `null` if `v` is acceptable, else what was expected (`"a number"`). */
  validate(v: unknown): string | null;
  /** The accepted strings, for a choice among a few (`oneOf`, `dtype`). */
  readonly values?: readonly string[];
}

const type = <T>(
  ts: string,
  py: string,
  validate: (v: unknown) => string | null,
): ParamType<T> => ({ ts, py, validate });

/** A real number; NaN is refused unless `nan`, ±Infinity unless `finite` is false (default allows them). */
/* #__NO_SIDE_EFFECTS__ */
export function number(
  opts: { finite?: boolean; nan?: boolean; min?: number; max?: number; gt?: number } = {},
): ParamType<number> {
  return type('number', 'float', (v) => {
    if (typeof v !== 'number') return 'a number';
    if (Number.isNaN(v)) return opts.nan ? null : 'a number (not NaN)';
    if (opts.finite && !Number.isFinite(v)) return 'a finite number';
    const outOfRange =
      (opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max);
    if (outOfRange) {
      if (opts.min !== undefined && opts.max !== undefined)
        return `a number in [${opts.min}, ${opts.max}]`;
      return opts.min !== undefined ? `a number ≥ ${opts.min}` : `a number ≤ ${opts.max}`;
    }
    if (opts.gt !== undefined && !(v > opts.gt)) return `a number > ${opts.gt}`;
    return null;
  });
}

/** An integer (a safe integer, as JavaScript stores it), optionally bounded. */
/* #__NO_SIDE_EFFECTS__ */
export function int(opts: { min?: number; max?: number } = {}): ParamType<number> {
  return type('number', 'int', (v) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v))
      return Number.isInteger(v) ? 'a safe integer (at most 2^53 − 1 in magnitude)' : 'an integer';
    const outOfRange =
      (opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max);
    if (!outOfRange) return null;
    if (opts.min !== undefined && opts.max !== undefined) {
      return opts.max - opts.min === 1
        ? `${opts.min} or ${opts.max}`
        : `an integer in [${opts.min}, ${opts.max}]`;
    }
    return opts.min !== undefined ? `an integer ≥ ${opts.min}` : `an integer ≤ ${opts.max}`;
  });
}

/** `true` or `false` (no truthy stand-ins: `1`, `'yes'` are refused). */
export const bool: ParamType<boolean> = type('boolean', 'bool', (v) =>
  typeof v === 'boolean' ? null : 'true or false',
);

/** A string. */
export const string: ParamType<string> = type('string', 'str', (v) =>
  typeof v === 'string' ? null : 'a string',
);

/** One of a fixed set of strings (`reduction`, `approximate`). */
/* #__NO_SIDE_EFFECTS__ */
export function oneOf<const S extends string>(...values: readonly S[]): ParamType<S> {
  const list = values.map((s) => `'${s}'`).join(', ');
  const t = type<S>(values.map((s) => `'${s}'`).join(' | '), 'str', (v) =>
    typeof v === 'string' && (values as readonly string[]).includes(v) ? null : `one of ${list}`,
  );
  return { ...t, values };
}

/** An nnkit Tensor (by brand: a look-alike object is refused). */
export const tensor: ParamType<Tensor> = type('Tensor', 'Tensor', (v) =>
  isTensor(v) ? null : 'a Tensor',
);

/** A function (`distanceFunction`, schedules' lambdas). */
/* #__NO_SIDE_EFFECTS__ */
export function fn<F>(ts: string): ParamType<F> {
  return type(ts, 'Callable', (v) => (typeof v === 'function' ? null : 'a function'));
}

/** An array of integers (`cutoffs`, shapes); `minLength` and a bound on each element. */
/* #__NO_SIDE_EFFECTS__ */
export function intList(
  opts: { min?: number; minLength?: number } = {},
): ParamType<readonly number[]> {
  return type('readonly number[]', 'Sequence[int]', (v) => {
    const what = `an array of integers${opts.min !== undefined ? ` ≥ ${opts.min}` : ''}`;
    if (!Array.isArray(v)) return what;
    if (opts.minLength !== undefined && v.length < opts.minLength)
      return `${what} with at least ${opts.minLength} element${opts.minLength === 1 ? '' : 's'}`;
    for (const e of v) {
      if (typeof e !== 'number' || !Number.isSafeInteger(e)) return what;
      if (opts.min !== undefined && e < opts.min) return what;
    }
    return null;
  });
}

/** A pair of numbers such as Adam's `betas`. */
/* #__NO_SIDE_EFFECTS__ */
export function numberPair(
  opts: { min?: number; max?: number } = {},
): ParamType<readonly [number, number]> {
  const inner = number({ min: opts.min, max: opts.max });
  return type('readonly [number, number]', 'Tuple[float, float]', (v) => {
    if (!Array.isArray(v) || v.length !== 2) return 'a pair of numbers [a, b]';
    for (const e of v) {
      const bad = inner.validate(e);
      if (bad) return `a pair of numbers, each ${bad}`;
    }
    return null;
  });
}

/** The dtype names nnkit has. */
export const DTYPE_NAMES = ['float32', 'float64', 'int32'] as const;
type DTypeName = (typeof DTYPE_NAMES)[number];

/** PyTorch's dtype names and what nnkit makes of them, for helpful errors. */
const DTYPE_HINTS: Record<string, string> = {
  int64: "int64 is not supported: nnkit's class indices are 'int32'",
  long: "int64 is not supported: nnkit's class indices are 'int32'",
  float16: "float16 is not supported: use 'float32'",
  half: "float16 is not supported: use 'float32'",
  bfloat16: "bfloat16 is not supported: use 'float32'",
  bool: "bool is not supported: masks are 'int32' 0/1 tensors",
  float: "write 'float32' (PyTorch's torch.float)",
  double: "write 'float64' (PyTorch's torch.double)",
  int: "write 'int32'",
};

function dtypeOf<D extends string>(which: readonly D[]): ParamType<D> {
  const t = type<D>(which.map((s) => `'${s}'`).join(' | '), 'torch.dtype', (v) => {
    if (typeof v === 'string' && (which as readonly string[]).includes(v)) return null;
    const hint = typeof v === 'string' ? DTYPE_HINTS[v] : undefined;
    const list = which.map((s) => `'${s}'`).join(', ');
    return hint ? `one of ${list} (${hint})` : `one of ${list}`;
  });
  return { ...t, values: which };
}

/** `'float32' | 'float64' | 'int32'`; PyTorch's other names get a message saying what to use. */
export const dtype: ParamType<DTypeName> = dtypeOf(DTYPE_NAMES);

/** `'float32' | 'float64'`: for options that only make sense in floating point. */
export const floatDtype: ParamType<'float32' | 'float64'> = dtypeOf([
  'float32',
  'float64',
] as const);

/** Python's `Optional[T]`: `null` is accepted too. */
/* #__NO_SIDE_EFFECTS__ */
export function optional<T>(t: ParamType<T>): ParamType<T | null> {
  const ts = t.ts.includes('=>') ? `(${t.ts})` : t.ts;
  const opt = type<T | null>(`${ts} | null`, `Optional[${t.py}]`, (v) =>
    v === null ? null : t.validate(v),
  );
  return t.values ? { ...opt, values: t.values } : opt;
}

/** An integer ≥ `min`, or an array of them: a size given once or per dimension (`kernelSize`). */
/* #__NO_SIDE_EFFECTS__ */
export function intOrList(min: number): ParamType<number | readonly number[]> {
  return either(int({ min }), intList({ min }));
}

/** A finite number > 0, or an array of them: a factor given once or per dimension (`scaleFactor`). */
/* #__NO_SIDE_EFFECTS__ */
export function positiveOrList(): ParamType<number | readonly number[]> {
  const each = number({ gt: 0, finite: true });
  const list = type<readonly number[]>('readonly number[]', 'Sequence[float]', (v) =>
    Array.isArray(v) && v.every((e) => each.validate(e) === null)
      ? null
      : 'an array of finite numbers > 0',
  );
  return either(each, list);
}

/**
 * An integer ≥ `min`, or an array of integers ≥ `min` and nulls: a size per
 * dimension where null keeps the input's (adaptive pooling's `outputSize`).
 */
/* #__NO_SIDE_EFFECTS__ */
export function intOrNullableList(min: number): ParamType<number | readonly (number | null)[]> {
  const each = optional(int({ min }));
  const list = type<readonly (number | null)[]>(
    'readonly (number | null)[]',
    'Sequence[Optional[int]]',
    (v) =>
      Array.isArray(v) && v.every((e) => each.validate(e) === null)
        ? null
        : `an array of integers ≥ ${min} or nulls`,
  );
  return either(int({ min }), list);
}

/** A value of either type (`number | Tensor`). */
/* #__NO_SIDE_EFFECTS__ */
export function either<A, B>(a: ParamType<A>, b: ParamType<B>): ParamType<A | B> {
  return type(`${a.ts} | ${b.ts}`, `Union[${a.py}, ${b.py}]`, (v) => {
    const x = a.validate(v);
    if (x === null) return null;
    const y = b.validate(v);
    return y === null ? null : `${x} or ${y}`;
  });
}
