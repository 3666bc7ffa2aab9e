/**
 * The argument types of the optimizers' and schedulers' signatures: what
 * PyTorch checks (`lr ≥ 0`, betas in `[0, 1)`, …) and what it lets through
 * but nnkit refuses (an infinite or NaN learning rate, a string, `betas` of
 * the wrong length), each with a message that says what was expected.
 */
import type { Tensor } from '../tensor/tensor.js';
import { describeValue, isTensor, number, type ParamType } from '../signature/types.js';

/** Keys that learning-rate schedulers add to a parameter group, as PyTorch's do (`initial_lr`, …). */
export interface SchedulerKeys {
  /** The learning rate a scheduler started from (PyTorch's `initial_lr`). */
  initialLr?: number;
  /** OneCycleLR's peak learning rate (`max_lr`). */
  maxLr?: number;
  /** OneCycleLR's final learning rate (`min_lr`). */
  minLr?: number;
  /** OneCycleLR's upper momentum (`max_momentum`). */
  maxMomentum?: number;
  /** OneCycleLR's lower momentum (`base_momentum`). */
  baseMomentum?: number;
}

/** The scheduler keys, camelCase, in PyTorch's order of appearance. */
export const SCHEDULER_KEYS = [
  'initialLr',
  'maxLr',
  'minLr',
  'maxMomentum',
  'baseMomentum',
] as const satisfies readonly (keyof SchedulerKeys)[];

/** One parameter group as the optimizer keeps it: its tensors and every option. */
export type ParamGroup<O> = {
  /** The group's parameters. */
  params: Tensor[];
} & O &
  SchedulerKeys;

/** A parameter group as given to a constructor or `addParamGroup`: options left out take the defaults. */
export type ParamGroupSpec<O> = {
  /** The group's parameters. */
  params: Iterable<Tensor> | Tensor;
} & Partial<O> &
  SchedulerKeys;

/** What an optimizer accepts: parameters, or a list of parameter groups with their own options. */
export type ParamsArg<O> = Iterable<Tensor> | readonly ParamGroupSpec<O>[];

/**
 * An optimizer's first argument: its parameters (or groups), or — Python's
 * all-by-name call — one object holding `params` and any options.
 */
export type OptimizerParams<O> =
  | ParamsArg<O>
  | ({
      /** The parameters or groups. */
      params: ParamsArg<O>;
    } & Partial<O>);

function isIterable(v: unknown): v is Iterable<unknown> {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function'
  );
}

/** An optimizer's `params`: an iterable of tensors or of groups (a lone Tensor is refused, as in PyTorch). */
export const paramsType: ParamType = {
  ts: 'Iterable<Tensor> | ParamGroupSpec[]',
  py: 'Iterable[Tensor] | Iterable[dict]',
  validate: (v) =>
    !isTensor(v) && isIterable(v) && !ArrayBuffer.isView(v)
      ? null
      : 'an iterable of Tensors or of parameter groups { params, ... } (wrap a single Tensor in [ ])',
};

/** A learning rate, momentum, weight decay, ε: finite and ≥ 0. */
export const nonNegative: ParamType = number({ min: 0, finite: true });

/** Any finite number (SGD's dampening). */
export const finite: ParamType = number({ finite: true });

/** A number in [lo, hi] (RMSprop's α, OneCycleLR's pctStart). */
export function inRange(lo: number, hi: number): ParamType {
  const base = number({ finite: true });
  return {
    ts: 'number',
    py: 'float',
    validate: (v) => {
      if (base.validate(v) !== null || (v as number) < lo || (v as number) > hi)
        return `a number in [${lo}, ${hi}]`;
      return null;
    },
  };
}

/** Adam's `betas`: a pair (β1, β2), each in [0, 1). */
export const betasType: ParamType = {
  ts: 'readonly [number, number]',
  py: 'Tuple[float, float]',
  validate: (v) => {
    const what = 'a pair [beta1, beta2] of numbers in [0, 1)';
    if (!Array.isArray(v) || v.length !== 2) return what;
    for (let i = 0; i < 2; i++) {
      const b: unknown = v[i];
      if (typeof b !== 'number' || !(b >= 0 && b < 1))
        return `${what} (betas[${i}] is ${describeValue(b)})`;
    }
    return null;
  },
};

/** A positive integer (step counts). */
export const positiveInt: ParamType = {
  ts: 'number',
  py: 'int',
  validate: (v) =>
    typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? null : 'a positive integer',
};

/** A scheduler's `lastEpoch`: −1 (start) or a step already taken. */
export const lastEpochType: ParamType = {
  ts: 'number',
  py: 'int',
  validate: (v) =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= -1 ? null : 'an integer ≥ -1',
};

/** A number, or one number per parameter group (OneCycleLR's `maxLr`, momenta). */
export function numberOrList(elem: ParamType): ParamType {
  return {
    ts: 'number | readonly number[]',
    py: 'float | List[float]',
    validate: (v) => {
      if (Array.isArray(v)) {
        for (const e of v)
          if (elem.validate(e) !== null) return `${elem.validate(e)} or a list of them`;
        return null;
      }
      const bad = elem.validate(v);
      return bad === null ? null : `${bad} or a list of them`;
    },
  };
}
