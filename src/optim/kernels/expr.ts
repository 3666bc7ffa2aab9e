/**
 * A small language in which each optimizer's per-element update is written
 * once (`updates.ts`); `scripts/gen-optim.ts` turns every definition into one
 * monomorphic JavaScript loop per dtype (`updates.generated.ts`), and the
 * same trees can later be printed as C++ and AssemblyScript.
 *
 * Numerics: every arithmetic node is one operation of the parameter's dtype,
 * rounded to it — in the float32 loop each result passes through
 * `Math.fround`, which reproduces float32 arithmetic exactly for `+ − × ÷ √`
 * (a double holds more than twice float32's precision, so rounding the
 * double result gives the correctly rounded float32 result). `fma(a, b, c)`
 * is `a·b + c` rounded once: what PyTorch's vectorised CPU kernels do for
 * `add(x, alpha=…)` and `addcmul` (measured on the float32 kernels of the
 * installed PyTorch 1.13: 100% bit-identical with a single rounding, 99.8%
 * with two). Scalars are Python floats entering a tensor op, so each
 * kernel rounds them to the dtype once, on entry.
 */

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'max';

export type Expr =
  | { readonly k: 'load'; readonly array: string }
  | { readonly k: 'scalar'; readonly name: string }
  | { readonly k: 'local'; readonly name: string }
  | { readonly k: 'const'; readonly value: number }
  | { readonly k: 'neg'; readonly a: Expr }
  | { readonly k: 'sqrt'; readonly a: Expr }
  | { readonly k: 'binary'; readonly op: BinaryOp; readonly a: Expr; readonly b: Expr }
  | { readonly k: 'fma'; readonly a: Expr; readonly b: Expr; readonly c: Expr }
  | { readonly k: 'select'; readonly flag: string; readonly a: Expr; readonly b: Expr };

export type Stmt =
  /** A new local (a value of the dtype). */
  | { readonly k: 'let'; readonly name: string; readonly e: Expr }
  /** Reassigns a local. */
  | { readonly k: 'set'; readonly name: string; readonly e: Expr }
  /** Writes `array[i]`. */
  | { readonly k: 'store'; readonly array: string; readonly e: Expr }
  /** Runs `then` or `else` on a flag that is the same for every element. */
  | { readonly k: 'when'; readonly flag: string; readonly then: Stmt[]; readonly else: Stmt[] };

/** One fused update: its arrays (one element each per `i`), scalars, flags and body. */
export interface UpdateDef<
  A extends string = string,
  S extends string = string,
  F extends string = string,
> {
  /** The kernel's name: `adam` gives `adamF32`, `adamF64` and the dispatcher `adam`. */
  readonly name: string;
  /** One line for the generated TSDoc. */
  readonly doc: string;
  /** Arrays in argument order; `written` ones are updated in place. */
  readonly arrays: readonly { readonly name: A; readonly written: boolean; readonly doc: string }[];
  /** Scalars in argument order (double on entry; rounded to the dtype by the kernel). */
  readonly scalars: readonly S[];
  /** Booleans in argument order, fixed for the whole call. */
  readonly flags: readonly F[];
  readonly body: readonly Stmt[];
}

type Operand = Expr | number;
const lift = (v: Operand): Expr => (typeof v === 'number' ? { k: 'const', value: v } : v);

export const neg = (a: Operand): Expr => ({ k: 'neg', a: lift(a) });
export const sqrt = (a: Operand): Expr => ({ k: 'sqrt', a: lift(a) });
const bin =
  (op: BinaryOp) =>
  (a: Operand, b: Operand): Expr => ({ k: 'binary', op, a: lift(a), b: lift(b) });
export const add = bin('add');
export const sub = bin('sub');
export const mul = bin('mul');
export const div = bin('div');
/** NaN-propagating maximum, as `torch.maximum`. */
export const max = bin('max');
/** `a·b + c`, rounded once. */
export const fma = (a: Operand, b: Operand, c: Operand): Expr => ({
  k: 'fma',
  a: lift(a),
  b: lift(b),
  c: lift(c),
});
/** `flag ? a : b` for a flag of the call. */
export const select = (flag: string, a: Operand, b: Operand): Expr => ({
  k: 'select',
  flag,
  a: lift(a),
  b: lift(b),
});
export const local = (name: string): Expr => ({ k: 'local', name });

export const let_ = (name: string, e: Expr): Stmt => ({ k: 'let', name, e });
export const set = (name: string, e: Expr): Stmt => ({ k: 'set', name, e });
export const store = (array: Expr, e: Expr): Stmt => {
  if (array.k !== 'load') throw new Error('store: the target must be an array');
  return { k: 'store', array: array.array, e };
};
export const when = (flag: string, then: Stmt[], otherwise: Stmt[] = []): Stmt => ({
  k: 'when',
  flag,
  then,
  else: otherwise,
});

/**
 * Declares an update: the body receives `a.<array>` (the element `array[i]`),
 * `s.<scalar>` and the flag names, typed by the lists.
 */
export function defineUpdate<
  const A extends string,
  const S extends string,
  const F extends string,
>(spec: {
  name: string;
  doc: string;
  arrays: readonly { name: A; written: boolean; doc: string }[];
  scalars: readonly S[];
  flags: readonly F[];
  body: (refs: { a: Record<A, Expr>; s: Record<S, Expr>; f: Record<F, F> }) => Stmt[];
}): UpdateDef<A, S, F> {
  const a = {} as Record<A, Expr>;
  for (const { name } of spec.arrays) a[name] = { k: 'load', array: name };
  const s = {} as Record<S, Expr>;
  for (const name of spec.scalars) s[name] = { k: 'scalar', name };
  const f = {} as Record<F, F>;
  for (const name of spec.flags) f[name] = name;
  return {
    name: spec.name,
    doc: spec.doc,
    arrays: spec.arrays,
    scalars: spec.scalars,
    flags: spec.flags,
    body: spec.body({ a, s, f }),
  };
}
