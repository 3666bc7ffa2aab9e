/**
 * A small language in which each optimizer's per-element update is written
 * once (`updates.ts`), as the body of a fused kernel declared in
 * src/kernels/schema.ts; `scripts/gen-optim.ts` prints every definition as
 * one monomorphic JavaScript loop per dtype, C++ loops (float32 and
 * float64, for each instruction-set build of the addon) and an
 * AssemblyScript SIMD loop (float32).
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

import { OPTIMIZER_KERNELS, type Arg, type OptimizerKernelName } from '../../kernels/schema.js';

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

/** One optimizer's per-element update, and the fused kernel it is the body of. */
export interface UpdateDef {
  /** The kernel in src/kernels/schema.ts (`adamStep`), whose arguments the body uses. */
  readonly kernel: OptimizerKernelName;
  /** The loops' prefix: `adam` gives `adamF32` and `adamF64` (one tensor each). */
  readonly name: string;
  /** One line for the generated TSDoc. */
  readonly doc: string;
  /**
   * The kernel's lists in argument order: `name` is the element's name in the
   * body (`expAvg` for the list `expAvgs`); `when` the flag without which the
   * list is neither read nor written.
   */
  readonly arrays: readonly {
    readonly name: string;
    readonly list: string;
    readonly written: boolean;
    readonly when?: string;
    readonly doc: string;
  }[];
  /** Scalars in argument order (double on entry; rounded to the dtype by the kernel). */
  readonly scalars: readonly string[];
  /** Booleans in argument order, fixed for the whole call. */
  readonly flags: readonly string[];
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

type ArgOf<K extends OptimizerKernelName> = (typeof OPTIMIZER_KERNELS)[K]['args'][number];
/** A list's element name: `expAvgs` → `expAvg`. */
type Element<N> = N extends `${infer S}s` ? S : never;
type ArrayName<K extends OptimizerKernelName> = Element<
  Extract<ArgOf<K>, { kind: 'arrays' }>['name']
>;
type ScalarName<K extends OptimizerKernelName> = Extract<ArgOf<K>, { kind: 'number' }>['name'];
type FlagName<K extends OptimizerKernelName> = Extract<ArgOf<K>, { kind: 'bool' }>['name'];

/**
 * Declares the update that is the body of optimizer kernel `kernel`: the
 * body receives `a.<element>` (`a.expAvg` is element i of the tensor's entry
 * of the list `expAvgs`), `s.<scalar>` and the flag names, typed by the
 * kernel's declaration in src/kernels/schema.ts.
 */
export function defineUpdate<const K extends OptimizerKernelName>(spec: {
  kernel: K;
  doc: string;
  body: (refs: {
    a: Record<ArrayName<K>, Expr>;
    s: Record<ScalarName<K>, Expr>;
    f: Record<FlagName<K>, FlagName<K>>;
  }) => Stmt[];
}): UpdateDef {
  const args: readonly Arg[] = OPTIMIZER_KERNELS[spec.kernel].args;
  const arrays: UpdateDef['arrays'][number][] = [];
  const scalars: string[] = [];
  const flags: string[] = [];
  for (const arg of args) {
    if (arg.kind === 'arrays') {
      if (!arg.name.endsWith('s'))
        throw new Error(`${spec.kernel}: list ${arg.name} must be a plural`);
      arrays.push({
        name: arg.name.slice(0, -1),
        list: arg.name,
        written: arg.out === true,
        ...(arg.when === undefined ? {} : { when: arg.when }),
        doc: arg.doc,
      });
    } else if (arg.kind === 'number') scalars.push(arg.name);
    else if (arg.kind === 'bool') flags.push(arg.name);
  }
  const a: Record<string, Expr> = {};
  for (const { name } of arrays) a[name] = { k: 'load', array: name };
  const s: Record<string, Expr> = {};
  for (const name of scalars) s[name] = { k: 'scalar', name };
  const f: Record<string, string> = {};
  for (const name of flags) f[name] = name;
  return {
    kernel: spec.kernel,
    name: spec.kernel.replace(/Step$/, ''),
    doc: spec.doc,
    arrays,
    scalars,
    flags,
    body: spec.body({
      a: a as Record<ArrayName<K>, Expr>,
      s: s as Record<ScalarName<K>, Expr>,
      f: f as Record<FlagName<K>, FlagName<K>>,
    }),
  };
}
