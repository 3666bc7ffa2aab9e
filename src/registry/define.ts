/**
 * The registry's entry type: one declaration per public function of `F`
 * (and its `nn` module), after PyTorch's `native_functions.yaml`.
 *
 * An entry gives the PyTorch name, the parameters in PyTorch's order (each
 * with its type, default, check and one line of docs), the implementation
 * (a table kernel or a composition of ops) and the module class that wraps
 * it. Its docs (formula, details, runnable example) and golden samples follow it in the same
 * file as a plain object, `export const <name>Docs: Docs = { … }`,
 * which src/registry/docs.ts collects: only `registry` (public.ts) and the
 * generators read them, so a page that does not import `registry` is
 * bundled without their text. From the entries and their docs
 * `scripts/gen-api.ts` writes the typed `F.*` functions and `nn.*` classes
 * with their TSDoc, docs/functions.md's tables, the README's list of names and the golden case list;
 * the tests iterate the same entries.
 */
import type { Tensor } from '../tensor/tensor.js';
// Every entry computes with Tensor methods: make sure the layers below have installed them,
// whichever module of nnkit was imported first.
import '../autograd/tensor-methods.js';
import '../ops/tensor-methods.js';
import {
  bindArgs,
  prefixError,
  type Bound,
  type Param,
  type Signature,
} from '../signature/bind.js';
import type { ParamType } from '../signature/types.js';

export type { Bound, Param };

/**
 * PyTorch's tuple `(output, indices)`: what max pooling returns with
 * `return_indices=True` (a plain array, as `MultiheadAttention.forward`'s pair).
 */
export type TensorPair = [output: Tensor, indices: Tensor];

/** What an entry computes: a tensor, or a pair where the entry declares {@link FunctionDef.pairWhen}. */
export type EntryResult = Tensor | TensorPair;

/** Which family an entry belongs to: it decides the gallery, the benchmark and the table in docs/functions.md. */
export type Category =
  | 'activation'
  | 'softmax'
  | 'loss'
  | 'distance'
  | 'dropout'
  | 'normalization'
  | 'padding'
  | 'linear'
  | 'convolution'
  | 'pooling'
  | 'upsampling';

/**
 * Documentation of an entry, rendered into TSDoc, docs/functions.md and the API site, and the
 * entry's golden samples: what only the generators, the tests and `registry` read. Declared beside
 * the entry as `export const <name>Docs: Docs = { … }`, not inside it, so that a page
 * using `F` or `nn` is bundled without any of it (see src/registry/docs.ts).
 */
export interface Docs {
  /** One sentence: what the function computes. */
  readonly summary: string;
  /** The formula in plain math (Unicode), one or more lines. */
  readonly formula?: string;
  /** Further paragraphs: shapes, special values, gradients. */
  readonly details?: string;
  /** Where nnkit deliberately differs from PyTorch, and why. */
  readonly differences?: string;
  /**
   * A runnable example (the body of a script that imports from 'nnkit');
   * `console.log(...)` lines end with `// <expected output>`, which the
   * doc tests execute and compare.
   */
  readonly example: string;
  /**
   * Calls that scripts/golden/registry.py records PyTorch's results for, and the registry tests
   * replay on every backend (the first also gives the module's TSDoc example its arguments).
   */
  readonly samples?: readonly Sample[];
  /**
   * The deep golden fixtures of a pointwise activation (scripts/golden/activations.py):
   * the option sets to record (default: the defaults only) and the kinks whose
   * neighbourhoods are probed besides the common edge values.
   */
  readonly golden?: {
    readonly options?: readonly Readonly<Record<string, unknown>>[];
    readonly kinks: readonly number[];
  };
}

/**
 * A golden sample: inputs as Python expressions over the golden script's
 * generators (`randn(4, 3)`, `randint(0, 3, (4,))`, `rand(4)`), and values
 * for the other parameters. `positional` lists how many of those values the
 * binding test passes by position (PyTorch's order) instead of by name.
 */
export interface Sample {
  readonly inputs: Readonly<Record<string, string>>;
  readonly args?: Readonly<Record<string, unknown>>;
  readonly positional?: number;
  readonly label?: string;
  /** Values of the module's own constructor parameters (GroupNorm's `numChannels`), by name. */
  readonly moduleArgs?: Readonly<Record<string, unknown>>;
}

/**
 * A representative call of a one-input function, for the gallery, the
 * benchmark, the explorer's presets and the CLI: a label and the arguments
 * beyond the input (by name).
 */
export interface Variant {
  readonly label: string;
  readonly args?: Readonly<Record<string, unknown>>;
}

/** How a module's `toString()` prints one parameter, after PyTorch's `extra_repr`. */
export interface ReprItem {
  readonly param: string;
  /** Print only when the value is `true` (PyTorch's `inplace=True`). */
  readonly ifTrue?: boolean;
  /** Print the value without `name=` (PyTorch's `Hardshrink(0.5)`). */
  readonly bare?: boolean;
  /** Print only when the value differs from the default (nnkit's additions, absent from PyTorch's repr). */
  readonly ifNotDefault?: boolean;
  /** Print as a Python tuple, a number as a 1-tuple (`LayerNorm((4,), …)`, which stores a tuple). */
  readonly tuple?: boolean;
}

/** The `nn` module class that wraps a function. */
export interface ModuleSpec {
  /** PyTorch's class name, verbatim: `LeakyReLU`. */
  readonly name: string;
  /**
   * Constructor parameters in PyTorch's order: names of the function's
   * parameters, parameters of the module's own (`numParameters` of PReLU),
   * {@link skipped} placeholders, and `'*'` where PyTorch's keyword-only
   * parameters begin. Default: every function parameter that `forward` does
   * not take, with the function's keyword-only marks.
   */
  readonly params?: readonly (string | Param | Skipped)[];
  /** The function's parameters that `forward` takes, in order. Default: the required tensors. */
  readonly inputs?: readonly string[];
  /** A function parameter that the module takes from its mode (`rrelu`'s `training`). */
  readonly fromMode?: string;
  /**
   * Constructor options the module keeps (and prints) but does not pass to the
   * function, as PyTorch's `AlphaDropout.forward` ignores its `inplace`.
   */
  readonly unforwarded?: readonly string[];
  /** Tensor parameters the module keeps as buffers (class weights), so `to()` and state dicts see them. */
  readonly buffers?: readonly string[];
  /** Learnable parameters the module creates, with PyTorch's state-dict names. */
  readonly parameters?: readonly string[];
  /** Creates the learnable parameters from the constructor's bound arguments. */
  setup?(ctor: Readonly<Record<string, unknown>>): Readonly<Record<string, Tensor>>;
  /**
   * A child module PyTorch creates when parameter `param` is left at None
   * (TripletMarginWithDistanceLoss's default `PairwiseDistance()`), shown in
   * the repr under `name`.
   */
  readonly defaultChild?: { param: string; name: string; entry: () => FunctionEntry };
  /** PyTorch's `extra_repr`, item by item. Default: nothing (`MSELoss()`). */
  readonly repr?: readonly (string | ReprItem)[];
}

/** A registry entry as declared. */
export interface FunctionDef<P extends readonly Param[]> {
  /** nnkit's name: PyTorch's functional name in camelCase (`leakyRelu`). */
  readonly name: string;
  /** The PyTorch callable it matches, e.g. `torch.nn.functional.leaky_relu`. */
  readonly torch: string;
  readonly category: Category;
  /**
   * Parameters in PyTorch's order. PyTorch parameters that nnkit leaves out
   * (deprecated `size_average`, `reduce`; `_stacklevel`) are listed with
   * {@link skipped}: every parameter after one is keyword-only, so positions
   * keep meaning what they mean in PyTorch.
   */
  readonly params: P;
  // Method syntax on purpose: an entry with specific parameters is then usable where any entry is.
  /** Checks between parameters, after each has passed its own (`minVal ≤ maxVal`). */
  check?(a: Bound<P>): void;
  /**
   * The computation, on validated arguments: a tensor, or with {@link pairWhen} set to true,
   * the pair `[output, indices]`.
   */
  impl(a: Bound<P>): EntryResult;
  /**
   * A boolean parameter that, when true, makes the result PyTorch's tuple
   * `[output, indices]` (max pooling's `returnIndices`): the generated
   * overloads return `[Tensor, Tensor]` where it is the literal `true`,
   * `Tensor` where it is `false` or left out, and either where it is a
   * `boolean`; the module class is generic in it.
   */
  readonly pairWhen?: string;
  /** `false` for module-only entries such as `Softmax2d` (PyTorch has no functional form). */
  readonly functional?: boolean;
  /** Also export PyTorch's in-place variant `F.<name>_` (`relu_`), which sets `inplace`. */
  readonly inplaceVariant?: boolean;
  readonly module?: ModuleSpec;
  /** An elementwise activation of one input (PReLU's slope is an argument): plotted, benchmarked. */
  readonly pointwise?: boolean;
  /** Representative calls (default: one with the defaults, labelled with the name). */
  readonly variants?: readonly Variant[];
}

/** A placeholder for a PyTorch parameter that nnkit leaves out. */
export interface Skipped {
  readonly skipped: string;
}

/** Marks PyTorch's parameter `torchName` as absent from nnkit; later parameters become keyword-only. */
export const skipped = (torchName: string): Skipped => ({ skipped: torchName });

/** An entry with its resolved signature. */
export interface FunctionEntry<P extends readonly Param[] = readonly Param[]> extends Omit<
  FunctionDef<P>,
  'params'
> {
  /** The parameters nnkit has, in PyTorch's order, keyword-only marked. */
  readonly params: readonly Param[];
  /** PyTorch's parameter list, skipped ones included, for the signature checks against PyTorch. */
  readonly torchParams: readonly string[];
  /** The parameters as declared, skipped placeholders included. */
  readonly declared: readonly (Param | Skipped)[];
  readonly signature: Signature;
}

/** Declares a parameter: `param('negativeSlope', T.number(), { default: 0.01, doc: '…' })`. */
export function param<const N extends string, T>(
  name: N,
  type: ParamType<T>,
  opts: Omit<Param<N, T>, 'name' | 'type'>,
): Param<N, T> {
  return { name, type, ...opts };
}

/** Resolves an entry: keyword-only after a skipped parameter, the signature for binding. */
export function defineFunction<const P extends readonly (Param | Skipped)[]>(
  def: Omit<FunctionDef<Extract<P[number], Param>[]>, 'params'> & { readonly params: P },
): FunctionEntry {
  const params: Param[] = [];
  const torchParams: string[] = [];
  let kwOnlyFromHere = false;
  for (const p of def.params) {
    if ('skipped' in p) {
      kwOnlyFromHere = true;
      torchParams.push(p.skipped);
      continue;
    }
    // As after Python's `*`, every parameter after a keyword-only one is keyword-only.
    if (p.kwOnly) kwOnlyFromHere = true;
    params.push(kwOnlyFromHere && !p.kwOnly ? { ...p, kwOnly: true } : p);
    if (p.torchName !== null) torchParams.push(p.torchName ?? snake(p.name));
  }
  const { params: declared, ...rest } = def;
  return { ...rest, params, torchParams, declared, signature: { name: def.name, params } };
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Calls an entry the way `F.<name>(...args)` does: bind, check, compute. */
export function callFunction(entry: FunctionEntry, args: readonly unknown[]): EntryResult {
  const a = bindArgs(entry.signature, args);
  entry.check?.(a as never);
  try {
    return entry.impl(a as never);
  } catch (e) {
    throw prefixError(e, entry.name);
  }
}

/** A module class's constructor and forward, derived from its entry. */
export interface ModuleShape {
  readonly spec: ModuleSpec;
  /** The constructor's signature (named after the class). */
  readonly signature: Signature;
  /** The function parameters `forward` takes, in order. */
  readonly inputs: readonly Param[];
  /** PyTorch's constructor parameter names, skipped ones included. */
  readonly torchParams: readonly string[];
}

const shapes = new WeakMap<FunctionEntry, ModuleShape>();

/** The module shape of an entry that has a module. */
export function moduleShape(entry: FunctionEntry): ModuleShape {
  const cached = shapes.get(entry);
  if (cached) return cached;
  const spec = entry.module;
  if (!spec) throw new Error(`registry: ${entry.name} has no module`);
  const byName = new Map(entry.params.map((p) => [p.name, p]));
  const inputNames =
    spec.inputs ??
    entry.params.filter((p) => !hasDefaultValue(p) && p.type.ts === 'Tensor').map((p) => p.name);
  const inputs = inputNames.map((n) => {
    const p = byName.get(n);
    if (!p) throw new Error(`registry: ${entry.name}'s module input '${n}' is not a parameter`);
    return p;
  });
  const explicit = spec.params !== undefined;
  const items =
    spec.params ??
    entry.declared.filter(
      (p) => 'skipped' in p || (!inputNames.includes(p.name) && p.name !== spec.fromMode),
    );
  const params: Param[] = [];
  const torchParams: string[] = [];
  let kwOnly = false;
  for (const item of items) {
    if (item === '*') {
      kwOnly = true;
    } else if (typeof item !== 'string' && 'skipped' in item) {
      kwOnly = true;
      torchParams.push(item.skipped);
    } else {
      const p =
        typeof item === 'string' ? byName.get(item) : explicit ? item : byName.get(item.name);
      if (!p) throw new Error(`registry: ${spec.name} parameter '${String(item)}' is not declared`);
      if (!explicit && p.kwOnly) kwOnly = true;
      params.push({ ...p, kwOnly });
      if (p.torchName !== null) torchParams.push(p.torchName ?? snake(p.name));
    }
  }
  const shape = { spec, signature: { name: spec.name, params }, inputs, torchParams };
  shapes.set(entry, shape);
  return shape;
}

function hasDefaultValue(p: Param): boolean {
  return Object.prototype.hasOwnProperty.call(p, 'default');
}

const inplaceSignatures = new WeakMap<FunctionEntry, Signature>();

/** Calls an entry's in-place variant, `F.<name>_(...args)`: bound without `inplace`, run with it set. */
export function callInplace(entry: FunctionEntry, args: readonly unknown[]): EntryResult {
  let sig = inplaceSignatures.get(entry);
  if (!sig) {
    sig = { name: `${entry.name}_`, params: entry.params.filter((p) => p.name !== 'inplace') };
    inplaceSignatures.set(entry, sig);
  }
  const a = bindArgs(sig, args);
  a.inplace = true;
  entry.check?.(a as never);
  try {
    return entry.impl(a as never);
  } catch (e) {
    throw prefixError(e, sig.name, [entry.name]);
  }
}

/** A call's result that must be a tensor (an entry called without its {@link FunctionDef.pairWhen}). */
export function tensorOf(result: EntryResult): Tensor {
  if (Array.isArray(result)) throw new Error('registry: expected a tensor, got a pair');
  return result;
}

/** An entry's representative calls: its declared variants, or one with the defaults. */
export function variantsOf(entry: FunctionEntry): readonly Variant[] {
  return entry.variants ?? [{ label: entry.name }];
}
