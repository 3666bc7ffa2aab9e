/**
 * The registry as public data: every function of `F` and module of `nn` with
 * its PyTorch counterpart, parameters (type, default, docs, sensible range),
 * module class and docs — for tools built on nnkit (the explorer, the CLI,
 * documentation) to enumerate the library instead of listing it again.
 */
import { REGISTRY } from './index.js';
import { moduleShape, type Category, type FunctionEntry } from './define.js';

export type { Category };
import { docsOf } from './docs.js';

/** One parameter, as data. */
export interface ParamInfo {
  /** nnkit's name (camelCase): the options key. */
  readonly name: string;
  /** PyTorch's name, or null for nnkit's own additions (`temperature`). */
  readonly torchName: string | null;
  /** TypeScript type, e.g. `number`, `'none' | 'tanh'`, `Tensor | null`. */
  readonly type: string;
  /** The choices, for a choice among strings. */
  readonly values?: readonly string[];
  /** True when the parameter has no default (it must be passed). */
  readonly required: boolean;
  /** PyTorch's default (absent when `required`). */
  readonly default?: unknown;
  /** True when it can only be passed by name (after `*` in PyTorch's signature). */
  readonly keywordOnly: boolean;
  /** One line on what it does. */
  readonly doc: string;
  /** A sensible range for an interactive control. */
  readonly range?: readonly [number, number];
  /** True when a control should move on a log scale (temperatures, β). */
  readonly logScale?: boolean;
}

/** One public function (and its module), as data. */
export interface FunctionInfo {
  /** The function's name: `leakyRelu` for `F.leakyRelu`. */
  readonly name: string;
  /** False for module-only entries (`nn.Softmax2d`), which have no `F.*` function. */
  readonly functional: boolean;
  /** The PyTorch callable it matches, e.g. `torch.nn.functional.leaky_relu`. */
  readonly torch: string;
  /** Which family it belongs to, as docs/functions.md's tables group them. */
  readonly category: Category;
  /** An elementwise activation of one input: plottable as a curve. */
  readonly pointwise: boolean;
  /** The function's parameters in PyTorch's order, the input(s) first. */
  readonly params: readonly ParamInfo[];
  /** The `nn` module, or null when there is none. */
  readonly module: {
    /** Its class name, e.g. `LeakyReLU`. */
    readonly name: string;
    /** The constructor's parameters in PyTorch's order. */
    readonly params: readonly ParamInfo[];
    /** The names of `forward`'s inputs. */
    readonly inputs: readonly string[];
  } | null;
  /** Representative calls (label and arguments beyond the input). */
  readonly variants: readonly {
    /** A legend label, e.g. `leakyRelu(0.2)`. */
    readonly label: string;
    /** Named arguments beyond the input. */
    readonly args: Readonly<Record<string, unknown>>;
  }[];
  /** The documentation the API reference and docs/functions.md are generated from. */
  readonly docs: {
    /** One sentence. */
    readonly summary: string;
    /** The formula in plain math. */
    readonly formula?: string;
    /** Shapes, options and numerics. */
    readonly details?: string;
    /** Where nnkit deliberately differs from PyTorch. */
    readonly differences?: string;
    /** A runnable example whose comments state its output. */
    readonly example: string;
  };
}

function info(e: FunctionEntry): FunctionInfo {
  const param = (p: FunctionEntry['params'][number]): ParamInfo => ({
    name: p.name,
    torchName:
      p.torchName === null
        ? null
        : (p.torchName ?? p.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)),
    type: p.type.ts,
    values: p.type.values,
    required: !Object.prototype.hasOwnProperty.call(p, 'default'),
    default: p.default,
    keywordOnly: p.kwOnly === true,
    doc: p.doc,
    range: p.range,
    logScale: p.logScale,
  });
  const shape = e.module ? moduleShape(e) : null;
  return Object.freeze({
    name: e.name,
    functional: e.functional !== false,
    torch: e.torch,
    category: e.category,
    pointwise: e.pointwise === true,
    params: e.params.map(param),
    module: shape && {
      name: shape.spec.name,
      params: shape.signature.params.map(param),
      inputs: shape.inputs.map((p) => p.name),
    },
    variants: (e.variants ?? [{ label: e.name }]).map((v) => ({
      label: v.label,
      args: v.args ?? {},
    })),
    docs: docsOf(e),
  });
}

/**
 * Builds {@link registry}. The call is marked pure, so that a bundle that does not use `registry`
 * drops it, and with it the docs' text (src/registry/docs.ts).
 */
function build(): readonly FunctionInfo[] {
  return Object.freeze(REGISTRY.map(info));
}

/**
 * Every public function of `F` (and module of `nn`), in the docs' order,
 * as read-only data.
 * @example
 * ```ts
 * import { registry } from 'nnkit';
 * const acts = registry.filter((f) => f.category === 'activation');
 * console.log(acts.find((f) => f.name === 'leakyRelu')?.params[1].default); // 0.01
 * ```
 */
export const registry: readonly FunctionInfo[] = /* @__PURE__ */ build();
