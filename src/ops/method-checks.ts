/**
 * Argument checks for the Tensor methods and the free tensor functions
 * (`cat`, `stack`, `where`, `matmul`): each method's parameters in order,
 * with their types, checked before the op runs. A value of the wrong type
 * (a string for a dim, `null` for a tensor, a typed array or a look-alike
 * `{ shape, data }` for a tensor, too many arguments) is an error that names
 * the method and the parameter, as for the `F.*` functions, instead of an
 * internal TypeError from somewhere inside the op.
 *
 * The checks wrap the installed methods (one extra call and a few `typeof`
 * tests per call); ranges that depend on the tensor (a dim against the
 * number of dimensions) stay with the ops, which know the shapes.
 */
import * as T from '../signature/types.js';
import { describeValue, type ParamType } from '../signature/types.js';
import { generatorType } from '../tensor/random.js';
import {
  bindArgs,
  isOptionsObject,
  prefixError,
  type Param,
  type Signature,
} from '../signature/bind.js';

/** A method's parameters: name and type; `optional` ones may be `undefined` (omitted). */
export interface P {
  readonly name: string;
  readonly type: ParamType;
  readonly optional?: boolean;
  /** Keyword-only (after Python's `*`): only by name, in the options object. */
  readonly kwOnly?: boolean;
}

/** One parameter: its (camelCase) name, its type, whether it may be omitted. */
export const p = (name: string, type: ParamType, optional = false): P => ({ name, type, optional });

/** A number or a Tensor: the other operand of arithmetic, comparisons and `where`. */
export const operand = T.either(T.number({ nan: true }), T.tensor);
const dim = T.int();
const dims = T.either(T.int(), T.intList());
const keepdim = T.bool;
const generator: P = { name: 'generator', type: generatorType, optional: true, kwOnly: true };
// A NaN clamp bound is refused: PyTorch 1.13 ignores a lone one and gives NaN everywhere with two.
const nullableNumber = T.optional(T.number());

const UNARY = ['neg', 'abs', 'exp', 'expm1', 'log', 'log1p', 'sqrt', 'sign', 'floor', 'sin', 'cos'];
const UNARY2 = ['reciprocal', 'square', 'sigmoid', 'tanh', 'relu', 't', 'clone', 'contiguous'];
const NO_ARGS = [
  ...UNARY,
  ...UNARY2,
  ...['float', 'double', 'int', 'detach', 'item', 'toArray', 'isContiguous', 'storageOffset'],
];
const BINARY = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'];
const COMPARE = ['lt', 'le', 'gt', 'ge', 'eq', 'ne'];

/** Every checked method's parameters (shape-taking methods are handled by `checkShapeArgs`). */
export const METHOD_PARAMS: Readonly<Record<string, readonly P[]>> = {
  ...Object.fromEntries([...NO_ARGS, 'zero_'].map((n) => [n, []])),
  ...Object.fromEntries(
    ['add_', 'sub_'].map((n) => [
      n,
      [
        p('other', operand),
        { name: 'alpha', type: T.number({ nan: true }), optional: true, kwOnly: true },
      ],
    ]),
  ),
  ...Object.fromEntries(['mul_', 'div_'].map((n) => [n, [p('other', operand)]])),
  clamp_: [p('min', nullableNumber, true), p('max', nullableNumber, true)],
  copy_: [p('src', T.tensor)],
  fill_: [p('value', T.number({ nan: true }))],
  uniform_: [
    p('from', T.number({ nan: true }), true),
    p('to', T.number({ nan: true }), true),
    generator,
  ],
  normal_: [
    p('mean', T.number({ nan: true }), true),
    p('std', T.number({ nan: true }), true),
    generator,
  ],
  bernoulli_: [p('p', T.number({ nan: true }), true), generator],
  exponential_: [p('lambd', T.number({ nan: true }), true), generator],
  multinomial: [p('numSamples', T.int({ min: 1 })), p('replacement', T.bool, true), generator],
  bernoulli: [generator],
  ...Object.fromEntries([...BINARY, ...COMPARE].map((n) => [n, [p('other', operand)]])),
  clamp: [p('min', nullableNumber, true), p('max', nullableNumber, true)],
  sum: [p('dim', dims, true), p('keepdim', keepdim, true)],
  mean: [p('dim', dims, true), p('keepdim', keepdim, true)],
  amax: [p('dim', dims, true), p('keepdim', keepdim, true)],
  amin: [p('dim', dims, true), p('keepdim', keepdim, true)],
  logsumexp: [p('dim', dims), p('keepdim', keepdim, true)],
  ...Object.fromEntries(
    ['var', 'std'].map((n) => [
      n,
      [
        p('dim', T.either(T.optional(dims), T.bool), true),
        p('unbiased', T.bool, true),
        p('keepdim', keepdim, true),
        { name: 'correction', type: T.optional(T.int()), optional: true, kwOnly: true },
      ],
    ]),
  ),
  prod: [p('dim', dim, true), p('keepdim', keepdim, true)],
  cumsum: [p('dim', dim)],
  round: [{ name: 'decimals', type: T.int(), optional: true, kwOnly: true }],
  max: [p('dim', T.either(dim, T.tensor), true), p('keepdim', keepdim, true)],
  min: [p('dim', T.either(dim, T.tensor), true), p('keepdim', keepdim, true)],
  argmax: [p('dim', dim, true), p('keepdim', keepdim, true)],
  argmin: [p('dim', dim, true), p('keepdim', keepdim, true)],
  flatten: [p('startDim', dim, true), p('endDim', dim, true)],
  unsqueeze: [p('dim', dim)],
  squeeze: [p('dim', dim, true)],
  transpose: [p('dim0', dim), p('dim1', dim)],
  narrow: [p('dim', dim), p('start', T.int()), p('length', T.int())],
  select: [p('dim', dim), p('index', T.int())],
  chunk: [p('chunks', T.int({ min: 1 })), p('dim', dim, true)],
  split: [p('splitSize', T.either(T.int(), T.intList())), p('dim', dim, true)],
  unbind: [p('dim', dim, true)],
  sort: [
    p('dim', dim, true),
    p('descending', T.bool, true),
    { name: 'stable', type: T.bool, optional: true, kwOnly: true },
  ],
  argsort: [
    p('dim', dim, true),
    p('descending', T.bool, true),
    { name: 'stable', type: T.bool, optional: true, kwOnly: true },
  ],
  topk: [
    p('k', T.int()),
    p('dim', dim, true),
    p('largest', T.bool, true),
    p('sorted', T.bool, true),
  ],
  to: [p('dtype', T.dtype)],
  gather: [p('dim', dim), p('index', T.tensor)],
  indexSelect: [p('dim', dim), p('index', T.tensor)],
  maskedFill: [p('mask', T.tensor), p('value', T.number({ nan: true }))],
  where: [p('condition', T.tensor), p('other', operand)],
  matmul: [p('other', T.tensor)],
  dimSize: [p('dim', dim)],
  stride: [p('dim', dim, true)],
  numel: [],
  dim: [],
  retainGrad: [],
  requiresGrad_: [p('requiresGrad', T.bool, true)],
};

/** Methods that take a shape as numbers or as one array: `x.reshape(2, 3)`, `x.reshape([2, 3])`. */
export const SHAPE_METHODS = ['reshape', 'view', 'permute', 'expand'];

function fail(fn: string, message: string): never {
  throw new Error(`${fn}: ${message}`);
}

/** Checks positional `args` against `params`; throws naming `fn` and the parameter. */
export function checkArgs(fn: string, params: readonly P[], args: readonly unknown[]): void {
  // The positional slots: every parameter but the keyword-only ones, which come last.
  let slots = params.length;
  while (slots > 0 && params[slots - 1].kwOnly) slots--;
  if (args.length > slots) {
    // Trailing `undefined`s are omitted arguments, as JavaScript passes them.
    let n = args.length;
    while (n > slots && args[n - 1] === undefined) n--;
    if (n > slots) {
      const list = params
        .slice(0, slots)
        .map((q) => q.name)
        .join(', ');
      fail(
        fn,
        `takes ${slots === 0 ? 'no arguments' : `at most ${slots} argument${slots === 1 ? '' : 's'} (${list})`} but ${n} ${n === 1 ? 'was' : 'were'} given`,
      );
    }
  }
  params.forEach((q, i) => {
    const v = args[i];
    if (v === undefined) {
      if (!q.optional) fail(fn, `missing required argument '${q.name}'`);
      return;
    }
    const bad = q.type.validate(v);
    if (bad) fail(fn, `${q.name} must be ${bad}, got ${describeValue(v)}`);
  });
}

/** Each parameter list as `bindArgs` takes it (one list may serve several functions: `cat`, `stack`). */
const BIND_PARAMS = new WeakMap<readonly P[], readonly Param[]>();

/**
 * Binds a call as Python would (SPEC §3): values by position in the
 * parameters' order, then one trailing options object naming the rest
 * (`x.sum(1, { keepdim: true })`, `x.clamp({ max: 0 })`, `cat(ts, { dim: 1 })`),
 * each checked; returns the values by position, `undefined` where omitted.
 * Without a trailing options object this is `checkArgs` and returns `args`.
 */
export function bindPositional(
  fn: string,
  params: readonly P[],
  args: readonly unknown[],
): readonly unknown[] {
  if (args.length === 0 || !isOptionsObject(args[args.length - 1])) {
    checkArgs(fn, params, args);
    return args;
  }
  let bindParams = BIND_PARAMS.get(params);
  if (!bindParams) {
    bindParams = params.map((q) => ({
      name: q.name,
      type: q.type,
      doc: '',
      kwOnly: q.kwOnly,
      ...(q.optional ? { default: undefined } : {}),
    }));
    BIND_PARAMS.set(params, bindParams);
  }
  const sig: Signature = { name: fn, params: bindParams };
  const bound = bindArgs(sig, args);
  const out = params.map((q) => bound[q.name]);
  while (out.length > 0 && out[out.length - 1] === undefined) out.pop();
  return out;
}

/** Checks the shape arguments of `reshape`/`view`/`permute`/`expand`. */
export function checkShapeArgs(fn: string, args: readonly unknown[]): void {
  const what = fn === 'permute' ? 'dims' : 'shape';
  const list = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  list.forEach((d, i) => {
    if (typeof d !== 'number' || !Number.isSafeInteger(d)) {
      fail(
        fn,
        `${what} must be integers (as numbers or one array), got ${describeValue(d)} at position ${i}`,
      );
    }
  });
}

/** `cat` and `stack`: the tensors (checked by `checkTensorList`) and the dim. */
export const TENSORS_DIM: readonly P[] = [
  p('tensors', { ts: 'readonly Tensor[]', py: 'Sequence[Tensor]', validate: () => null }),
  p('dim', T.int(), true),
];

/** A list of tensors, for `cat` and `stack`. */
export function checkTensorList(fn: string, tensors: unknown): void {
  if (!Array.isArray(tensors)) {
    fail(fn, `tensors must be an array of Tensors, got ${describeValue(tensors)}`);
  }
  (tensors as unknown[]).forEach((t, i) => {
    if (!T.isTensor(t)) fail(fn, `tensors[${i}] must be a Tensor, got ${describeValue(t)}`);
  });
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

/** Wraps each checked method on `proto` with its argument check. */
export function installChecks(proto: object): void {
  const target = proto as Record<string, Method>;
  for (const [name, params] of Object.entries(METHOD_PARAMS)) {
    const inner = target[name];
    if (typeof inner !== 'function') continue;
    Object.defineProperty(proto, name, {
      value: function checked(this: unknown, ...args: unknown[]): unknown {
        const values = bindPositional(name, params, args);
        try {
          return inner.apply(this, values as unknown[]);
        } catch (e) {
          // An in-place method computes with its out-of-place twin, whose errors name it.
          throw prefixError(e, name, name.endsWith('_') ? [name.slice(0, -1)] : []);
        }
      },
      writable: true,
      configurable: true,
    });
  }
  for (const name of SHAPE_METHODS) {
    const inner = target[name];
    Object.defineProperty(proto, name, {
      value: function checked(this: unknown, ...args: unknown[]): unknown {
        checkShapeArgs(name, args);
        try {
          return inner.apply(this, args);
        } catch (e) {
          throw prefixError(e, name, name === 'view' ? ['reshape'] : []);
        }
      },
      writable: true,
      configurable: true,
    });
  }
}
