/**
 * The registry as public data: every function of `F` and module of `nn` with
 * its PyTorch counterpart, parameters (type, default, docs, sensible range),
 * module class and docs — for tools built on nnkit (the explorer, the CLI,
 * documentation) to enumerate the library instead of listing it again.
 */
import { REGISTRY } from './index.js';
import { moduleShape, type FunctionEntry } from './define.js';

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
  readonly required: boolean;
  readonly default?: unknown;
  readonly keywordOnly: boolean;
  readonly doc: string;
  /** A sensible range for an interactive control. */
  readonly range?: readonly [number, number];
  readonly logScale?: boolean;
}

/** One public function (and its module), as data. */
export interface FunctionInfo {
  /** `leakyRelu`: `F.leakyRelu` (null `functional` for module-only entries). */
  readonly name: string;
  readonly functional: boolean;
  /** The PyTorch callable it matches, e.g. `torch.nn.functional.leaky_relu`. */
  readonly torch: string;
  readonly category: 'activation' | 'softmax' | 'loss' | 'distance';
  /** An elementwise activation of one input: plottable as a curve. */
  readonly pointwise: boolean;
  readonly params: readonly ParamInfo[];
  /** The `nn` module: class name, constructor parameters, forward's inputs. */
  readonly module: {
    readonly name: string;
    readonly params: readonly ParamInfo[];
    readonly inputs: readonly string[];
  } | null;
  /** Representative calls (label and arguments beyond the input). */
  readonly variants: readonly {
    readonly label: string;
    readonly args: Readonly<Record<string, unknown>>;
  }[];
  readonly docs: {
    readonly summary: string;
    readonly formula?: string;
    readonly details?: string;
    readonly differences?: string;
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
    docs: e.docs,
  });
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
export const registry: readonly FunctionInfo[] = Object.freeze(REGISTRY.map(info));
