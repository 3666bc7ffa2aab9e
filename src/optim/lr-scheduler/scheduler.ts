/**
 * The learning-rate scheduler base class, after PyTorch 1.13's
 * `torch.optim.lr_scheduler._LRScheduler`: base learning rates from each
 * group's `initialLr`, `lastEpoch`, the initial step taken by the
 * constructor, `step()`, `getLastLr()` and state dicts with PyTorch's keys.
 */
import {
  bindArgs,
  isOptionsObject,
  snakeCase,
  type Param,
  type Signature,
} from '../../signature/bind.js';
import * as T from '../../signature/types.js';
import { describeValue, type ParamType } from '../../signature/types.js';
import { Optimizer } from '../optimizer.js';
import { lastEpochType } from '../params.js';
import type { PyArgs } from '../py-args.js';

/** A value in a scheduler's state dict (plain data: numbers, strings, booleans, lists, records). */
export type StateDictValue =
  | number
  | string
  | boolean
  | null
  | readonly StateDictValue[]
  | { readonly [key: string]: StateDictValue };

/** A scheduler's state dict: PyTorch's attribute names (`last_epoch`, `base_lrs`, `_last_lr`, …). */
export type SchedulerStateDict = Record<string, StateDictValue>;

/** The optimizer argument of every scheduler. */
export const optimizerType: ParamType = {
  ts: 'Optimizer',
  py: 'Optimizer',
  validate: (v) => (v instanceof Optimizer ? null : 'an Optimizer'),
};

/** One saved hyperparameter: its key in the state dict, the property it restores, and its type. */
export interface SavedField {
  readonly key: string;
  /** The scheduler's property; absent for keys that are checked but not restored (LambdaLR's functions). */
  readonly prop?: string;
  readonly type: ParamType;
}

const finiteList = (n: number): ParamType => ({
  ts: 'number[]',
  py: 'List[float]',
  validate: (v) =>
    Array.isArray(v) &&
    v.length === n &&
    v.every((x) => typeof x === 'number' && Number.isFinite(x))
      ? null
      : `an array of ${n} finite number${n === 1 ? '' : 's'} (one per parameter group)`,
});

const stepCountType: ParamType = {
  ts: 'number',
  py: 'int',
  validate: (v) =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? null : 'an integer ≥ 0',
};

/** `step(epoch)`: PyTorch's deprecated epoch argument (`null`: the next step). */
const STEP_PARAMS: readonly Param[] = [
  {
    name: 'epoch',
    type: T.optional(stepCountType),
    default: null,
    doc: 'the step to jump to (deprecated in PyTorch)',
  },
];

/**
 * Base class of the learning-rate schedulers. A scheduler owns no learning
 * rate of its own: each `step()` advances `lastEpoch` and writes the new
 * rate into every parameter group's `lr` (so it composes with anything else
 * that changes `lr`, as in PyTorch). The constructor takes the initial step,
 * so right after construction `lastEpoch` is 0 and the groups hold the
 * schedule's first value. Call `scheduler.step()` after `optimizer.step()`.
 * Matches `torch.optim.lr_scheduler._LRScheduler` of PyTorch 1.13 (without
 * `verbose`, the call-order warnings and `step(epoch)`'s deprecation warning).
 *
 * @example
 * ```ts
 * import { optim, tensor } from 'nnkit';
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.AdamW([w], 1e-3);
 * const sched: optim.lrScheduler.LRScheduler = new optim.lrScheduler.CosineAnnealingLR(opt, 100);
 * for (let epoch = 0; epoch < 50; epoch++) {
 *   opt.zeroGrad();
 *   w.square().sum().backward();
 *   opt.step();
 *   sched.step();
 * }
 * const checkpoint = { optimizer: opt.stateDict(), scheduler: sched.stateDict() };
 * console.log(sched.getLastLr(), checkpoint.scheduler.last_epoch); // [ 0.0005000000000000002 ] 50
 * ```
 */
export abstract class LRScheduler {
  /** Each group's `initialLr` when the scheduler was made (PyTorch's `base_lrs`). */
  baseLrs: number[];
  /** How many times `step()` has run, minus one (PyTorch's `last_epoch`; 0 after the constructor). */
  lastEpoch: number;
  /** PyTorch's `_step_count`: steps including the constructor's. */
  protected stepCount = 0;
  private lastLr: number[] = [];

  /**
   * Called by subclasses (before their own fields and `initialStep()`); sets each group's
   * `initialLr` when starting, and `baseLrs` and `lastEpoch`.
   *
   * @param sig - The subclass's signature; its `name` prefixes error messages.
   * @param optimizer - The optimizer whose groups' `lr` the scheduler sets.
   * @param lastEpoch - The index of the last step taken (PyTorch's `last_epoch`): −1 to start,
   *   which sets each group's `initialLr` to its `lr`; otherwise every group must already hold
   *   `initialLr`.
   */
  protected constructor(
    protected readonly sig: Signature,
    /** The optimizer whose groups' `lr` this scheduler sets. */
    readonly optimizer: Optimizer,
    lastEpoch: number,
  ) {
    const groups = optimizer.paramGroups;
    if (lastEpoch === -1) {
      for (const g of groups) if (g.initialLr === undefined) g.initialLr = g.lr;
    } else {
      groups.forEach((g, i) => {
        if (g.initialLr === undefined)
          throw new Error(
            `${sig.name}: param 'initial_lr' is not specified in paramGroups[${i}] when resuming an optimizer (lastEpoch ${lastEpoch})`,
          );
      });
    }
    this.baseLrs = groups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  /** PyTorch's `_initial_step`: each subclass calls it once its own fields are set. */
  protected initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** The new learning rate of each group, at `lastEpoch` (PyTorch's `get_lr`, chainable form). */
  protected abstract computeLr(): number[];

  /**
   * Each group's learning rate at `lastEpoch` from the base rates, for
   * `step(epoch)`: PyTorch's `_get_closed_form_lr`, where it has one.
   */
  protected closedFormLr?(): number[];

  /** The hyperparameters saved in the state dict, in PyTorch's order. */
  protected abstract savedFields(): readonly SavedField[];

  /**
   * Advances the schedule by one step and sets every group's `lr`. PyTorch's
   * deprecated `step(epoch)` (by position or as `{ epoch }`, an integer ≥ 0)
   * jumps to `epoch` instead: `lastEpoch` becomes `epoch` and the rates come
   * from the closed form where the scheduler has one (StepLR, ExponentialLR,
   * CosineAnnealingLR), else from the usual rule at that step (LambdaLR,
   * OneCycleLR), as in PyTorch 1.13.
   * @example
   * ```ts
   * import { optim, tensor } from 'nnkit';
   * const opt = new optim.SGD([tensor([1], { requiresGrad: true })], 0.1);
   * const sched = new optim.lrScheduler.StepLR(opt, 2, 0.5);
   * sched.step(5); // 0.1 · 0.5^⌊5/2⌋
   * console.log(sched.getLastLr(), sched.lastEpoch); // [ 0.025 ] 5
   * sched.step();
   * console.log(sched.getLastLr(), sched.lastEpoch); // [ 0.0125 ] 6
   * ```
   */
  step(...args: PyArgs<[epoch: number | null], { epoch?: number | null }>): void {
    const { epoch } = bindArgs({ name: `${this.sig.name}.step`, params: STEP_PARAMS }, args) as {
      epoch: number | null;
    };
    const last = this.lastEpoch;
    this.stepCount += 1;
    this.lastEpoch = epoch ?? last + 1;
    let values: number[];
    try {
      values = epoch !== null && this.closedFormLr ? this.closedFormLr() : this.computeLr();
    } catch (e) {
      this.stepCount -= 1;
      this.lastEpoch = last;
      throw e;
    }
    this.optimizer.paramGroups.forEach((g, i) => {
      if (i < values.length) g.lr = values[i];
    });
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The learning rate of each group as this scheduler last set it (PyTorch's `get_last_lr()`). */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /**
   * The scheduler's state with PyTorch's keys: its hyperparameters, then
   * `base_lrs`, `last_epoch`, `verbose` (always false), `_step_count`,
   * `_get_lr_called_within_step` and `_last_lr`.
   */
  stateDict(): SchedulerStateDict {
    const out: SchedulerStateDict = {};
    for (const f of this.savedFields()) out[f.key] = this.savedValue(f);
    Object.assign(out, {
      base_lrs: [...this.baseLrs],
      last_epoch: this.lastEpoch,
      verbose: false,
      _step_count: this.stepCount,
      _get_lr_called_within_step: false,
      _last_lr: [...this.lastLr],
    });
    return out;
  }

  /** What `stateDict()` saves for `f` (a subclass may override for derived values). */
  protected savedValue(f: SavedField): StateDictValue {
    const v = f.prop === undefined ? null : (Reflect.get(this, f.prop) as StateDictValue);
    return Array.isArray(v) ? structuredClone(v) : v;
  }

  /**
   * Restores a state saved by `stateDict()`. Every key is checked (unknown,
   * missing, wrong type, a list of the wrong length) before anything changes.
   * PyTorch's `load_state_dict` copies whatever it is given; nnkit refuses
   * what would break the schedule.
   */
  loadStateDict(stateDict: SchedulerStateDict): void {
    const fn = `${this.sig.name}.loadStateDict`;
    const fail = (m: string): never => {
      throw new Error(`${fn}: ${m}`);
    };
    if (!isOptionsObject(stateDict)) fail(`expected an object, got ${describeValue(stateDict)}`);
    const n = this.optimizer.paramGroups.length;
    const fields: SavedField[] = [
      ...this.savedFields(),
      { key: 'base_lrs', prop: 'baseLrs', type: finiteList(n) },
      { key: 'last_epoch', prop: 'lastEpoch', type: lastEpochType },
      { key: '_step_count', prop: 'stepCount', type: stepCountType },
      { key: '_last_lr', prop: 'lastLr', type: finiteList(n) },
    ];
    const optional = new Set(['verbose', '_get_lr_called_within_step']);
    for (const key of Object.keys(stateDict)) {
      if (!optional.has(key) && !fields.some((f) => f.key === key))
        fail(`unknown key '${key}' (known: ${fields.map((f) => f.key).join(', ')})`);
    }
    for (const f of fields) {
      const v = stateDict[f.key];
      if (v === undefined) fail(`missing key '${f.key}'`);
      const bad = f.type.validate(v);
      if (bad) fail(`${f.key} must be ${bad}, got ${describeValue(v)}`);
    }
    this.checkLoaded(stateDict, fail);
    for (const f of fields) {
      if (f.prop !== undefined) Reflect.set(this, f.prop, structuredClone(stateDict[f.key]));
    }
  }

  /** Checks across saved keys (a subclass may override). */
  protected checkLoaded(_sd: SchedulerStateDict, _fail: (m: string) => never): void {}
}

/** A saved field for a signature parameter: PyTorch's name as the key, the camelCase property. */
export function fieldOf(sig: Signature, name: string): SavedField {
  const p = sig.params.find((q) => q.name === name);
  if (!p) throw new Error(`${sig.name}: no parameter ${name}`);
  return { key: p.torchName ?? snakeCase(name), prop: name, type: p.type };
}
