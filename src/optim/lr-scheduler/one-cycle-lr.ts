/** OneCycleLR, after `torch.optim.lr_scheduler.OneCycleLR`. */
import { bindArgs, type Signature } from '../../signature/bind.js';
import * as T from '../../signature/types.js';
import type { Optimizer } from '../optimizer.js';
import {
  inRange,
  lastEpochType,
  nonNegative,
  numberOrList,
  positiveInt,
  type SchedulerKeys,
} from '../params.js';
import type { PyArgs } from '../py-args.js';
import {
  LRScheduler,
  fieldOf,
  optimizerType,
  type SavedField,
  type StateDictValue,
} from './scheduler.js';

const positiveFinite = T.number({ finite: true, gt: 0 });

const SIG: Signature = {
  name: 'OneCycleLR',
  params: [
    { name: 'optimizer', type: optimizerType, doc: 'the optimizer whose groups it schedules' },
    { name: 'maxLr', type: numberOrList(nonNegative), doc: 'peak learning rate (per group)' },
    { name: 'totalSteps', type: T.optional(positiveInt), default: null, doc: 'steps in the cycle' },
    { name: 'epochs', type: T.optional(positiveInt), default: null, doc: 'with stepsPerEpoch' },
    { name: 'stepsPerEpoch', type: T.optional(positiveInt), default: null, doc: 'with epochs' },
    { name: 'pctStart', type: inRange(0, 1), default: 0.3, doc: 'fraction of the cycle rising' },
    { name: 'annealStrategy', type: T.oneOf('cos', 'linear'), default: 'cos', doc: 'annealing' },
    { name: 'cycleMomentum', type: T.bool, default: true, doc: 'cycle momentum inversely' },
    { name: 'baseMomentum', type: numberOrList(nonNegative), default: 0.85, doc: 'lower momentum' },
    { name: 'maxMomentum', type: numberOrList(nonNegative), default: 0.95, doc: 'upper momentum' },
    { name: 'divFactor', type: positiveFinite, default: 25, doc: 'initialLr = maxLr / divFactor' },
    { name: 'finalDivFactor', type: positiveFinite, default: 1e4, doc: 'minLr = initialLr / this' },
    { name: 'threePhase', type: T.bool, default: false, doc: "the paper's three phases" },
    { name: 'lastEpoch', type: lastEpochType, default: -1, doc: 'the last step taken (−1: start)' },
  ],
};

/** Options of {@link OneCycleLR}; the defaults are PyTorch's. */
export interface OneCycleLROptions {
  /** The peak learning rate, one for all groups or one per group. */
  maxLr: number | readonly number[];
  /** Steps in the cycle; or give `epochs` and `stepsPerEpoch`. Default `null`. */
  totalSteps: number | null;
  /** With `stepsPerEpoch`: the cycle lasts `epochs · stepsPerEpoch` steps. Default `null`. */
  epochs: number | null;
  /** With `epochs`. Default `null`. */
  stepsPerEpoch: number | null;
  /** The fraction of the cycle spent raising the learning rate. Default `0.3`. */
  pctStart: number;
  /** How the rate moves within a phase: `'cos'` (default) or `'linear'`. */
  annealStrategy: 'cos' | 'linear';
  /** Cycle the momentum (SGD's `momentum`, Adam's β1) inversely to the rate. Default `true`. */
  cycleMomentum: boolean;
  /** The momentum at the peak learning rate. Default `0.85`. */
  baseMomentum: number | readonly number[];
  /** The momentum at the start and end of the cycle. Default `0.95`. */
  maxMomentum: number | readonly number[];
  /** The initial rate is `maxLr / divFactor`. Default `25`. */
  divFactor: number;
  /** The final rate is `initialLr / finalDivFactor`. Default `1e4`. */
  finalDivFactor: number;
  /** Use the paper's three phases (up, down, annihilate) instead of two. Default `false`. */
  threePhase: boolean;
  /** The index of the last step taken, to resume a schedule (−1: start). Default `-1`. */
  lastEpoch: number;
}

/** A phase of the cycle, as PyTorch saves it: its last step and the group keys it anneals between. */
export interface OneCyclePhase {
  /** The last step of the phase. */
  end_step: number;
  /** The group key holding the rate at the phase's start. */
  start_lr: GroupKey;
  /** The group key holding the rate at the phase's end. */
  end_lr: GroupKey;
  /** The group key holding the momentum at the phase's start. */
  start_momentum: GroupKey;
  /** The group key holding the momentum at the phase's end. */
  end_momentum: GroupKey;
}

/** The parameter-group keys a phase anneals between, as PyTorch names them. */
export type GroupKey = 'initial_lr' | 'max_lr' | 'min_lr' | 'max_momentum' | 'base_momentum';
const GROUP_KEYS: Record<GroupKey, keyof SchedulerKeys> = {
  initial_lr: 'initialLr',
  max_lr: 'maxLr',
  min_lr: 'minLr',
  max_momentum: 'maxMomentum',
  base_momentum: 'baseMomentum',
};

const phasesType: T.ParamType = {
  ts: 'OneCyclePhase[]',
  py: 'List[dict]',
  validate: (v) => {
    const what = 'an array of phases { end_step, start_lr, end_lr, start_momentum, end_momentum }';
    if (!Array.isArray(v) || v.length < 2 || v.length > 3) return what;
    for (const ph of v) {
      if (typeof ph !== 'object' || ph === null) return what;
      const keys = Object.keys(ph).sort().join(',');
      if (keys !== 'end_lr,end_momentum,end_step,start_lr,start_momentum') return what;
      const p = ph as Record<string, unknown>;
      if (typeof p.end_step !== 'number' || !Number.isFinite(p.end_step)) return what;
      for (const k of ['start_lr', 'end_lr', 'start_momentum', 'end_momentum'])
        if (typeof p[k] !== 'string' || !(p[k] in GROUP_KEYS)) return what;
    }
    return null;
  },
};

function perGroup(name: string, v: number | readonly number[], n: number): number[] {
  if (!Array.isArray(v)) return Array.from({ length: n }, () => v as number);
  if (v.length !== n)
    throw new Error(`OneCycleLR: expected ${n} values for ${name}, got ${v.length}`);
  return [...(v as number[])];
}

/**
 * The 1cycle policy (Smith & Topin, "Super-Convergence"): the learning rate
 * rises from `maxLr / divFactor` to `maxLr` over the first `pctStart` of
 * `totalSteps`, then falls to `initialLr / finalDivFactor`; with
 * `threePhase` it first falls back to the initial rate symmetrically, then
 * anneals to the minimum. With `cycleMomentum` the momentum moves inversely
 * between `maxMomentum` and `baseMomentum` — SGD's and RMSprop's `momentum`,
 * Adam's and AdamW's β1. Each phase anneals from `a` to `b` as `pct` goes
 * 0 → 1:
 *
 * ```
 * cos:    b + (a − b)/2 · (1 + cos(π·pct))
 * linear: a + (b − a)·pct
 * ```
 *
 * The constructor writes `initialLr`, `maxLr`, `minLr` (and `maxMomentum`,
 * `baseMomentum`) into every parameter group, as PyTorch does. Stepping
 * past `totalSteps` is an error. Arguments bind as in Python:
 * `(optimizer, maxLr, totalSteps, epochs, stepsPerEpoch, pctStart,
 * annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor,
 * finalDivFactor, threePhase, lastEpoch)`. Matches
 * `torch.optim.lr_scheduler.OneCycleLR` (without `verbose`); its state dict
 * saves the anneal strategy as `_anneal_func_type` (PyTorch ≥ 2.1's key;
 * 1.13 pickles a bound method, `anneal_func`, which has no data form).
 *
 * @example
 * ```ts
 * import { optim, tensor } from 'nnkit';
 * const opt = new optim.SGD([tensor([1], { requiresGrad: true })], 0.1, 0.9);
 * const sched = new optim.lrScheduler.OneCycleLR(opt, 1.0, { totalSteps: 100 });
 * // maxLr / 25, and the momentum at its maximum:
 * console.log(sched.getLastLr(), opt.paramGroups[0].momentum); // [ 0.040000000000000036 ] 0.95
 * for (let t = 0; t < 30; t++) {
 *   opt.step();
 *   sched.step();
 * }
 * console.log(sched.getLastLr(), opt.paramGroups[0].momentum); // [ 0.9994965352845243 ] 0.8500503466729342
 * ```
 */
export class OneCycleLR extends LRScheduler {
  /** Steps in the cycle. */
  totalSteps: number;
  /** The phases, in PyTorch's saved form. */
  schedulePhases: OneCyclePhase[];
  /** `'cos'` or `'linear'`. */
  annealStrategy: 'cos' | 'linear';
  /** Whether momentum (or β1) cycles. */
  cycleMomentum: boolean;
  /** The optimizer has `betas` (Adam, AdamW): β1 cycles instead of `momentum`. */
  useBeta1: boolean;

  /**
   * Creates the scheduler, writes the cycle's keys into every group and takes its initial step;
   * see {@link OneCycleLROptions} for each argument.
   *
   * @param optimizer - The optimizer whose parameter groups' `lr` it schedules.
   * @param args - `maxLr` (required; one value or one per group), `totalSteps`, `epochs`, `stepsPerEpoch` (default null:
   *   give `totalSteps` or both others), `pctStart` (default 0.3), `annealStrategy` (default
   *   `'cos'`), `cycleMomentum` (default true), `baseMomentum` (default 0.85), `maxMomentum`
   *   (default 0.95), `divFactor` (default 25), `finalDivFactor` (default 1e4), `threePhase`
   *   (default false), `lastEpoch` (default −1) by position — PyTorch's names in snake_case —
   *   or one options object with those names.
   */
  constructor(
    optimizer: Optimizer,
    ...args: PyArgs<
      [
        maxLr: number | readonly number[],
        totalSteps: number | null,
        epochs: number | null,
        stepsPerEpoch: number | null,
        pctStart: number,
        annealStrategy: 'cos' | 'linear',
        cycleMomentum: boolean,
        baseMomentum: number | readonly number[],
        maxMomentum: number | readonly number[],
        divFactor: number,
        finalDivFactor: number,
        threePhase: boolean,
        lastEpoch: number,
      ],
      Partial<OneCycleLROptions>
    >
  ) {
    const raw = bindArgs(SIG, [optimizer, ...args]);
    const opt = raw.optimizer as Optimizer;
    const b = {
      maxLr: raw.maxLr as number | number[],
      totalSteps: raw.totalSteps as number | null,
      epochs: raw.epochs as number | null,
      stepsPerEpoch: raw.stepsPerEpoch as number | null,
      pctStart: raw.pctStart as number,
      annealStrategy: raw.annealStrategy as 'cos' | 'linear',
      cycleMomentum: raw.cycleMomentum as boolean,
      baseMomentum: raw.baseMomentum as number | number[],
      maxMomentum: raw.maxMomentum as number | number[],
      divFactor: raw.divFactor as number,
      finalDivFactor: raw.finalDivFactor as number,
      threePhase: raw.threePhase as boolean,
      lastEpoch: raw.lastEpoch as number,
    } satisfies OneCycleLROptions;
    let total: number;
    if (b.totalSteps !== null) total = b.totalSteps;
    else if (b.epochs !== null && b.stepsPerEpoch !== null) total = b.epochs * b.stepsPerEpoch;
    else
      throw new Error(
        'OneCycleLR: you must define either totalSteps or (epochs and stepsPerEpoch)',
      );
    const pct = b.pctStart;
    const phases: OneCyclePhase[] = b.threePhase
      ? [
          {
            end_step: pct * total - 1,
            start_lr: 'initial_lr',
            end_lr: 'max_lr',
            start_momentum: 'max_momentum',
            end_momentum: 'base_momentum',
          },
          {
            end_step: 2 * pct * total - 2,
            start_lr: 'max_lr',
            end_lr: 'initial_lr',
            start_momentum: 'base_momentum',
            end_momentum: 'max_momentum',
          },
          {
            end_step: total - 1,
            start_lr: 'initial_lr',
            end_lr: 'min_lr',
            start_momentum: 'max_momentum',
            end_momentum: 'max_momentum',
          },
        ]
      : [
          {
            end_step: pct * total - 1,
            start_lr: 'initial_lr',
            end_lr: 'max_lr',
            start_momentum: 'max_momentum',
            end_momentum: 'base_momentum',
          },
          {
            end_step: total - 1,
            start_lr: 'max_lr',
            end_lr: 'min_lr',
            start_momentum: 'base_momentum',
            end_momentum: 'max_momentum',
          },
        ];
    const groups = opt.paramGroups;
    const n = groups.length;
    const maxLrs = perGroup('maxLr', b.maxLr, n);
    let useBeta1 = false;
    let maxMomenta: number[] = [];
    let baseMomenta: number[] = [];
    if (b.cycleMomentum) {
      if (!('momentum' in opt.defaults) && !('betas' in opt.defaults))
        throw new Error(
          'OneCycleLR: optimizer must support momentum (momentum or betas) with cycleMomentum enabled',
        );
      useBeta1 = 'betas' in opt.defaults;
      maxMomenta = perGroup('maxMomentum', b.maxMomentum, n);
      baseMomenta = perGroup('baseMomentum', b.baseMomentum, n);
    }
    if (b.lastEpoch === -1) {
      groups.forEach((g, i) => {
        g.initialLr = maxLrs[i] / b.divFactor;
        g.maxLr = maxLrs[i];
        g.minLr = g.initialLr / b.finalDivFactor;
        if (b.cycleMomentum) {
          setMomentum(g, useBeta1, maxMomenta[i]);
          g.maxMomentum = maxMomenta[i];
          g.baseMomentum = baseMomenta[i];
        }
      });
    }
    super(SIG, opt, b.lastEpoch);
    this.totalSteps = total;
    this.schedulePhases = phases;
    this.annealStrategy = b.annealStrategy;
    this.cycleMomentum = b.cycleMomentum;
    this.useBeta1 = useBeta1;
    this.initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    const cosOut = Math.cos(Math.PI * pct) + 1;
    return end + ((start - end) / 2.0) * cosOut;
  }

  protected computeLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps)
      throw new Error(
        `OneCycleLR: tried to step ${stepNum + 1} times; the specified number of total steps is ${this.totalSteps}`,
      );
    const phases = this.schedulePhases;
    return this.optimizer.paramGroups.map((group, gi) => {
      const key = (k: GroupKey): number => {
        const v = group[GROUP_KEYS[k]];
        if (typeof v !== 'number')
          throw new Error(`OneCycleLR: paramGroups[${gi}] has no ${GROUP_KEYS[k]}`);
        return v;
      };
      let startStep = 0;
      for (let i = 0; i < phases.length; i++) {
        const phase = phases[i];
        const endStep = phase.end_step;
        if (stepNum <= endStep || i === phases.length - 1) {
          if (endStep === startStep)
            throw new Error(
              `OneCycleLR: phase ${i} has no steps (totalSteps ${this.totalSteps} is too small for pctStart); PyTorch divides by zero here`,
            );
          const pct = (stepNum - startStep) / (endStep - startStep);
          const lr = this.anneal(key(phase.start_lr), key(phase.end_lr), pct);
          if (this.cycleMomentum) {
            const m = this.anneal(key(phase.start_momentum), key(phase.end_momentum), pct);
            setMomentum(group, this.useBeta1, m);
          }
          return lr;
        }
        startStep = phase.end_step;
      }
      throw new Error('OneCycleLR: unreachable');
    });
  }

  protected savedFields(): readonly SavedField[] {
    const fields: SavedField[] = [
      { key: 'total_steps', prop: 'totalSteps', type: positiveInt },
      { key: '_schedule_phases', prop: 'schedulePhases', type: phasesType },
      { key: '_anneal_func_type', prop: 'annealStrategy', type: T.oneOf('cos', 'linear') },
      fieldOf(SIG, 'cycleMomentum'),
    ];
    if (this.cycleMomentum) fields.push({ key: 'use_beta1', prop: 'useBeta1', type: T.bool });
    return fields;
  }

  protected override savedValue(f: SavedField): StateDictValue {
    if (f.key === '_schedule_phases') return this.schedulePhases.map((p) => ({ ...p }));
    return super.savedValue(f);
  }
}

/** Sets a group's momentum, or β1 of its `betas` (a new pair, as PyTorch makes a new tuple). */
function setMomentum(group: object, useBeta1: boolean, m: number): void {
  const g = group as Record<string, unknown>;
  if (useBeta1) g.betas = [m, ...(g.betas as readonly number[]).slice(1)];
  else g.momentum = m;
}
