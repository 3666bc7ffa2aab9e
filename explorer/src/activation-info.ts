/**
 * The activations the explorer shows, with one control per PyTorch option:
 * a mapping from nnkit's registry (`registry`, the same entries from which
 * `F.*`, `nn.*`, the docs and the tests are generated), so a new activation
 * appears here with no change to the explorer.
 */
import { registry, type FunctionInfo, type ParamInfo } from 'nnkit';

/** One argument of an activation, as a control. */
export interface OptionInfo {
  /** nnkit's name (camelCase), the key in the options object unless `positional`. */
  name: string;
  /** PyTorch's name (snake_case). */
  torchName: string;
  kind: 'number' | 'bool' | 'enum';
  /** PyTorch's default (for required arguments, a sensible starting value). */
  default: number | boolean | string;
  /** Range of the control for numbers. */
  range?: readonly [number, number];
  /** A slider on a log scale (for scale-like options). */
  logScale?: boolean;
  /** Choices for enums. */
  values?: readonly (string | number)[];
  /** Passed positionally, in order, before the options object (PyTorch requires it). */
  positional?: boolean;
  /** Passed as a one-element tensor (PReLU's learnable weight). */
  tensor?: boolean;
  /** Changes no value on screen (e.g. `inplace`): shown, and passed, for completeness. */
  noVisibleEffect?: boolean;
  /** The value that means "not given" for an enum (PyTorch's None). */
  none?: string;
}

/** How the plotted x becomes the function's input. */
export type InputLayout =
  /** f applied to x elementwise. */
  | 'elementwise'
  /** x is the first of three logits [x, 0, 0]; the plot shows output element 0. */
  | 'row'
  /** Both halves of the input are x: GLU([x, x]) = x·σ(x). */
  | 'glu';

export interface ActivationInfo {
  /** nnkit's functional name, `F.<name>`. */
  name: string;
  /** The module, `nn.<module>`. */
  module: string;
  /** PyTorch's functional counterpart. */
  torch: string;
  options: readonly OptionInfo[];
  /** The formula, in plain text. */
  formula: string;
  layout: InputLayout;
}

/** The activations of the registry shown as curves: pointwise ones, GLU and the softmax family. */
const SHOWN = (f: FunctionInfo): boolean =>
  f.functional &&
  (f.pointwise ||
    f.name === 'glu' ||
    (f.category === 'softmax' && ['softmin', 'softmax', 'logSoftmax'].includes(f.name)));

function layoutOf(f: FunctionInfo): InputLayout {
  if (f.category === 'softmax') return 'row';
  return f.name === 'glu' ? 'glu' : 'elementwise';
}

/** A control for one parameter; `start` is the value of a required one (from the entry's variant). */
function option(p: ParamInfo, start: unknown): OptionInfo {
  const torchName = p.torchName ?? p.name;
  if (p.name === 'dim') {
    // The curve is one row (or both GLU halves): its last dimension.
    return {
      name: 'dim',
      torchName,
      kind: 'enum',
      default: -1,
      values: [-1],
      positional: p.required,
    };
  }
  if (p.type === 'Tensor') {
    // PReLU's learnable slope, shown as a number and passed as a one-element tensor.
    const v = (start as { data?: ArrayLike<number> } | undefined)?.data?.[0] ?? 0.25;
    return {
      name: p.name,
      torchName,
      kind: 'number',
      default: v,
      range: p.range ?? [-1, 1],
      positional: true,
      tensor: true,
    };
  }
  if (p.type === 'boolean') {
    return {
      name: p.name,
      torchName,
      kind: 'bool',
      default: (p.default as boolean) ?? false,
      noVisibleEffect: p.name === 'inplace',
    };
  }
  if (p.values) {
    const nullable = p.type.endsWith('| null');
    return {
      name: p.name,
      torchName,
      kind: 'enum',
      default: (p.default as string | null) ?? 'none',
      values: nullable ? ['none', ...p.values] : p.values,
      none: nullable ? 'none' : undefined,
    };
  }
  const value = p.required ? (start as number) : (p.default as number);
  return {
    name: p.name,
    torchName,
    kind: 'number',
    default: value,
    range: p.range ?? [Math.min(-3, value), Math.max(3, value)],
    logScale: p.logScale,
    positional: p.required,
  };
}

export const ACTIVATIONS: readonly ActivationInfo[] = registry.filter(SHOWN).map((f) => {
  const layout = layoutOf(f);
  const start = f.variants[0]?.args ?? {};
  return {
    name: f.name,
    module: f.module?.name ?? f.name,
    torch: f.torch.split('.').pop() ?? f.torch,
    options: f.params.filter((p) => p.name !== 'input').map((p) => option(p, start[p.name])),
    formula: f.docs.formula ?? f.docs.summary,
    layout,
  };
});
