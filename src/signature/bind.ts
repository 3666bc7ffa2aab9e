/**
 * Python's argument binding for JavaScript calls.
 *
 * A PyTorch signature such as `leaky_relu(input, negative_slope=0.01,
 * inplace=False)` is declared once as a list of parameters. A call binds as
 * Python binds it: parameters are given positionally, in PyTorch's order, up
 * to the first one the caller names; the rest go into one trailing options
 * object with camelCase keys. So `F.leakyRelu(x, 0.2)`,
 * `F.leakyRelu(x, { negativeSlope: 0.2 })` and `F.leakyRelu(x, 0.2, { inplace:
 * true })` all bind, and every way that cannot bind is an error naming the
 * function and the parameter: too many positional values, a parameter given
 * twice, an unknown key, a missing required parameter, a value of the wrong
 * type. Keyword-only parameters (after Python's `*`) can only be named.
 *
 * JavaScript's `undefined` means "not given" (the default applies), in a
 * position or as an option's value; `null` is Python's `None`, accepted only
 * where the parameter's type is optional.
 */
import { describeValue, type ParamType } from './types.js';

/** One parameter of a public signature; `T` is the type of its accepted values. */
export interface Param<N extends string = string, T = unknown> {
  /** camelCase name: the options key (PyTorch's snake_case name, mechanically converted). */
  readonly name: N;
  readonly type: ParamType<T>;
  /** The default; a parameter without one is required. */
  readonly default?: T;
  /** How PyTorch's repr prints the default when it differs from the value's own spelling (`'1'` for an int default). */
  readonly pyDefault?: string;
  /** Keyword-only (Python's parameters after `*`): only by name, in the options object. */
  readonly kwOnly?: boolean;
  /** One line for the docs: what the parameter does. */
  readonly doc: string;
  /** PyTorch's name when it is not the mechanical snake_case of `name` (nnkit additions: `null`). */
  readonly torchName?: string | null;
  /** Sensible range for interactive controls and samples (the explorer, the CLI). */
  readonly range?: readonly [number, number];
  /** Shown on a log scale. */
  readonly logScale?: boolean;
}

/** A callable's name (as the user types it) and its parameters in PyTorch's order. */
export interface Signature {
  readonly name: string;
  readonly params: readonly Param[];
}

/** The bound arguments of a parameter list: every parameter by name, with its value type. */
export type Bound<P extends readonly Param[]> = {
  -readonly [K in P[number] as K['name']]: K extends Param<string, infer T> ? T : never;
};

/** True when `p` has a default (possibly `null`), so it may be omitted. */
export function hasDefault(p: Param): boolean {
  return Object.prototype.hasOwnProperty.call(p, 'default');
}

/** A plain `{ ... }` object: the only thing that can stand as the trailing options object. */
export function isOptionsObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** PyTorch's snake_case spelling of a camelCase name: `negativeSlope` → `negative_slope`. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function fail(sig: Signature, message: string): never {
  throw new Error(`${sig.name}: ${message}`);
}

function closest(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase().replace(/_/g, '');
  return known.find((k) => k.toLowerCase() === lower);
}

/**
 * Binds `args` to `sig` as Python would and validates each value; returns
 * every parameter by name, defaults filled in. With leaky ReLU's signature,
 * `bindArgs(sig, [x, 0.2])` gives `{ input: x, negativeSlope: 0.2, inplace: false }`
 * and `bindArgs(sig, [x, { inplace: true }])` gives
 * `{ input: x, negativeSlope: 0.01, inplace: true }`.
 */
/**
 * Per parameter list (a constant of its function, even where the signature
 * object around it is built per call), what every call needs: the positional
 * slots and the known names.
 */
interface Layout {
  /** The positional slots: every parameter that is not keyword-only, in order. */
  readonly slots: readonly Param[];
  /** Every parameter's name. */
  readonly known: readonly string[];
  /** Whether each parameter (in `sig.params` order) has a default. */
  readonly defaulted: readonly boolean[];
}
const LAYOUTS = new WeakMap<readonly Param[], Layout>();
function layoutOf(sig: Signature): Layout {
  let layout = LAYOUTS.get(sig.params);
  if (!layout) {
    layout = {
      slots: sig.params.filter((p) => !p.kwOnly),
      known: sig.params.map((p) => p.name),
      defaulted: sig.params.map(hasDefault),
    };
    LAYOUTS.set(sig.params, layout);
  }
  return layout;
}

export function bindArgs(sig: Signature, args: readonly unknown[]): Record<string, unknown> {
  let positional = args;
  let named: Record<string, unknown> = {};
  const last = args[args.length - 1];
  // A lone object with none of the parameter names, where a required
  // parameter comes first, is a wrong value for that parameter (a look-alike
  // tensor `{ shape, data }`), not an options object full of typos.
  const lookAlike =
    args.length === 1 &&
    sig.params.length > 0 &&
    !hasDefault(sig.params[0]) &&
    isOptionsObject(last) &&
    !Object.keys(last).some((k) => sig.params.some((p) => p.name === k));
  if (args.length > 0 && isOptionsObject(last) && !lookAlike) {
    positional = args.slice(0, -1);
    named = last;
  }
  const { slots, known, defaulted } = layoutOf(sig);
  if (positional.length > slots.length) {
    const list = slots.map((p) => p.name).join(', ');
    const kw = sig.params.filter((p) => p.kwOnly).map((p) => p.name);
    fail(
      sig,
      `takes ${slots.length === 0 ? 'no' : `at most ${slots.length}`} positional argument${slots.length === 1 ? '' : 's'}${list ? ` (${list})` : ''} but ${positional.length} ${positional.length === 1 ? 'was' : 'were'} given` +
        (kw.length ? `; ${kw.join(', ')} can only be given by name in the options object` : ''),
    );
  }
  // A value that is given is never undefined (undefined means "not given"), so `out[k] !==
  // undefined` is "k was given" until the defaults are filled in.
  const out: Record<string, unknown> = {};
  for (let i = 0; i < positional.length; i++) {
    const v = positional[i];
    if (v !== undefined) out[slots[i].name] = v;
  }
  for (const key in named) {
    if (!Object.prototype.hasOwnProperty.call(named, key)) continue;
    const v = named[key];
    if (!known.includes(key)) {
      const hint = closest(key, known);
      // The options that could still be given: not those already given by position.
      const open = known.filter(
        (k) =>
          !slots.some(
            (p, i) => p.name === k && i < positional.length && positional[i] !== undefined,
          ),
      );
      fail(
        sig,
        `unknown option '${key}'${hint ? ` (did you mean '${hint}'?)` : ''} (known: ${open.join(', ') || 'none'})`,
      );
    }
    if (v === undefined) continue;
    if (out[key] !== undefined)
      fail(sig, `got multiple values for '${key}' (by position and by name)`);
    out[key] = v;
  }
  const params = sig.params;
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    const v = out[p.name];
    if (v !== undefined) {
      const bad = p.type.validate(v);
      if (bad) fail(sig, `${p.name} must be ${bad}, got ${describeValue(v)}`);
    } else if (defaulted[i]) {
      out[p.name] = p.default;
    } else {
      fail(sig, `missing required argument '${p.name}'`);
    }
  }
  return out;
}

/**
 * Makes an error raised inside a public function name that function: an
 * nnkit `Error` whose message starts with neither `name` nor one of
 * `aliases` gets `name: ` in front (`pairwiseDistance: sum: result shape …`),
 * so every error a user sees begins with the function they called. Other
 * throwables (a TypeError is a bug, not a message) pass unchanged.
 */
export function prefixError(e: unknown, name: string, aliases: readonly string[] = []): unknown {
  if (
    e instanceof Error &&
    e.constructor === Error &&
    !e.message.startsWith(`${name}: `) &&
    !aliases.some((a) => e.message.startsWith(`${a}: `))
  ) {
    e.message = `${name}: ${e.message}`;
  }
  return e;
}

/** The arguments of a call, as bound, in PyTorch's order: for reprs and docs. */
export function boundEntries(
  sig: Signature,
  bound: Readonly<Record<string, unknown>>,
): [Param, unknown][] {
  return sig.params.map((p) => [p, bound[p.name]]);
}
