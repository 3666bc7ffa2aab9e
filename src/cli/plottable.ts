/**
 * What `nnkit plot` can draw, read from the registry: every entry marked `pointwise` (an
 * elementwise activation of one input), with its parameters after the input as the command's
 * options — their types, PyTorch's defaults and the registry's `range` hints. A new pointwise
 * entry is plottable, and listed by `--help`, with no change here.
 *
 * A parameter that the function requires (threshold's `threshold` and `value`, prelu's
 * `weight`) takes the value of the entry's first representative call (its `variants`, which
 * `curveVariants()` gives the gallery) when it is not given. A tensor parameter is given as a
 * number and becomes a one-element tensor (prelu's one shared slope).
 */
import { REGISTRY } from '../registry/index.js';
import {
  callFunction,
  tensorOf,
  variantsOf,
  type FunctionEntry,
  type Param,
} from '../registry/define.js';
import { hasDefault } from '../signature/bind.js';
import { describeValue, isTensor } from '../signature/types.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';

/** An option's value as typed on the command line: a number, true/false, or a string. */
export type OptionValue = number | string | boolean;

export interface PlotOption {
  /** The options key, camelCase: `negativeSlope`. */
  readonly name: string;
  /** How `--help` spells it: `--negative-slope`. */
  readonly flag: string;
  readonly param: Param;
  /**
   * The value used when the option is not given: PyTorch's default, or for a required one the
   * representative call's (none if the entry declares no representative call giving it).
   */
  readonly value?: OptionValue;
  /** The function requires it (it has no default). */
  readonly required: boolean;
  /** Given as a number, passed as a one-element tensor of the input's dtype. */
  readonly tensor: boolean;
}

export interface Plottable {
  /** nnkit's name: `leakyRelu`. */
  readonly name: string;
  readonly entry: FunctionEntry;
  /** The parameters after the input, in PyTorch's order, without `inplace` (no curve changes with it). */
  readonly options: readonly PlotOption[];
}

/** `negativeSlope` → `--negative-slope`. */
export const flagOf = (name: string): string =>
  `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** A tensor argument of a representative call as the number the command line takes. */
function asOptionValue(v: unknown): OptionValue | undefined {
  if (isTensor(v)) {
    const data = (v as Tensor).data;
    return data.length === 1 ? data[0] : undefined;
  }
  return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : undefined;
}

/** An entry as `nnkit plot` sees it: its name, and its parameters after the input as options. */
export function plottableOf(entry: FunctionEntry): Plottable {
  const representative = variantsOf(entry)[0]?.args ?? {};
  const options = entry.params
    .slice(1)
    .filter((p) => p.name !== 'inplace')
    .flatMap((param): PlotOption[] => {
      const required = !hasDefault(param);
      const value = asOptionValue(required ? representative[param.name] : param.default);
      // An option the command line cannot spell (a function, a tensor of several elements)
      // keeps its default, unlisted.
      if (value === undefined && !required) return [];
      return [
        {
          name: param.name,
          flag: flagOf(param.name),
          param,
          value,
          required,
          tensor: param.type.ts === 'Tensor',
        },
      ];
    });
  return { name: entry.name, entry, options };
}

/** Every activation `nnkit plot` draws, in the registry's order. */
export const PLOTTABLE: readonly Plottable[] = REGISTRY.filter((e) => e.pointwise).map(plottableOf);

/**
 * Calls `p`'s function on `x` with the options as typed: the function binds and validates them,
 * so an unknown option or a bad value is its own error naming the function and the option.
 * Required options not given take their representative values; tensor options become
 * one-element tensors of `x`'s dtype.
 */
export function callPlottable(
  p: Plottable,
  x: Tensor,
  given: Readonly<Record<string, OptionValue>>,
): Tensor {
  return tensorOf(callFunction(p.entry, [x, argsOf(p, given, x.dtype)]));
}

/** The arguments beyond the input: what was typed, the required ones filled in, tensors made. */
export function argsOf(
  p: Plottable,
  given: Readonly<Record<string, OptionValue>>,
  dtype: Tensor['dtype'] = 'float64',
): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const o of p.options) {
    if (o.required && o.value !== undefined && !(o.name in given)) args[o.name] = o.value;
  }
  Object.assign(args, given);
  for (const o of p.options) {
    if (!o.tensor || !(o.name in args)) continue;
    const v = args[o.name];
    if (typeof v !== 'number' || Number.isNaN(v)) {
      throw new Error(
        `${p.name}: ${o.name} must be a number (passed as a one-element tensor), got ${describeValue(v)}`,
      );
    }
    args[o.name] = tensor([v], { dtype });
  }
  return args;
}
