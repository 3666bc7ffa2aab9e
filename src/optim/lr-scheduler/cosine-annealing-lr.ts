/** CosineAnnealingLR, after `torch.optim.lr_scheduler.CosineAnnealingLR`. */
import { bindArgs, type Signature } from '../../signature/bind.js';
import type { Optimizer } from '../optimizer.js';
import { lastEpochType, nonNegative, positiveInt } from '../params.js';
import type { PyArgs } from '../py-args.js';
import { LRScheduler, fieldOf, optimizerType, type SavedField } from './scheduler.js';

const SIG: Signature = {
  name: 'CosineAnnealingLR',
  params: [
    { name: 'optimizer', type: optimizerType, doc: 'the optimizer whose groups it schedules' },
    { name: 'tMax', type: positiveInt, torchName: 'T_max', doc: 'half-period, in steps' },
    { name: 'etaMin', type: nonNegative, default: 0, doc: 'the lowest learning rate' },
    { name: 'lastEpoch', type: lastEpochType, default: -1, doc: 'the last step taken (−1: start)' },
  ],
};

/** Options of {@link CosineAnnealingLR}. */
export interface CosineAnnealingLROptions {
  /** The half-period, in steps (PyTorch's `T_max`). */
  tMax: number;
  /** The lowest learning rate (PyTorch's `eta_min`). Default `0`. */
  etaMin: number;
  /** The index of the last step taken, to resume a schedule (−1: start). Default `-1`. */
  lastEpoch: number;
}

/**
 * Anneals each group's learning rate along a cosine from its initial value
 * `η_max` to `etaMin` over `tMax` steps, then back up (the schedule is
 * periodic with period `2·tMax`; SGDR's restarts are not part of it):
 *
 * ```
 * η_t = η_min + (η_max − η_min)·(1 + cos(π·t / T_max)) / 2
 * ```
 *
 * Computed as PyTorch 1.13's `get_lr` does — recursively from the current
 * `lr`, `η_t = η_min + (η_{t−1} − η_min)·(1 + cos(πt/T))/(1 + cos(π(t−1)/T))`,
 * with its special cases at `t = 0`, at the first step after resuming
 * (`lastEpoch > 0`: closed form) and at `t − 1 − T ≡ 0 (mod 2T)` — so it
 * composes with other changes to `lr` and matches PyTorch's rounding.
 *
 * Arguments bind as in Python: `(optimizer, tMax, etaMin = 0, lastEpoch = −1)`
 * (PyTorch's `T_max`, `eta_min`). Matches
 * `torch.optim.lr_scheduler.CosineAnnealingLR` (without `verbose`);
 * `tMax` must be a positive integer.
 *
 * @example
 * ```ts
 * import { optim, tensor } from 'nnkit';
 * const opt = new optim.SGD([tensor([1], { requiresGrad: true })], 0.1);
 * const sched = new optim.lrScheduler.CosineAnnealingLR(opt, 10, 0.001);
 * for (let t = 0; t < 5; t++) {
 *   opt.step();
 *   sched.step();
 * }
 * console.log(sched.getLastLr()); // [ 0.0505 ]
 * for (let t = 5; t < 10; t++) {
 *   opt.step();
 *   sched.step();
 * }
 * console.log(sched.getLastLr()); // [ 0.001 ]
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Half-period, in steps (PyTorch's `T_max`). */
  tMax: number;
  /** The lowest learning rate (PyTorch's `eta_min`). */
  etaMin: number;

  /**
   * Creates the scheduler and takes its initial step; see {@link CosineAnnealingLROptions} for
   * each argument.
   *
   * @param optimizer - The optimizer whose parameter groups' `lr` it schedules.
   * @param args - `tMax` (PyTorch's `T_max`, required), `etaMin` (PyTorch's `eta_min`,
   *   default 0), `lastEpoch` (PyTorch's `last_epoch`, default −1) by position, or one options
   *   object with those names.
   */
  constructor(
    optimizer: Optimizer,
    ...args: PyArgs<
      [tMax: number, etaMin: number, lastEpoch: number],
      Partial<CosineAnnealingLROptions>
    >
  ) {
    const b = bindArgs(SIG, [optimizer, ...args]);
    super(SIG, b.optimizer as Optimizer, b.lastEpoch as number);
    this.tMax = b.tMax as number;
    this.etaMin = b.etaMin as number;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const { lastEpoch: t, tMax, etaMin } = this;
    if (t === 0) return groups.map((g) => g.lr);
    if (this.stepCount === 1 && t > 0) return this.closedFormLr();
    if ((t - 1 - tMax) % (2 * tMax) === 0) {
      return groups.map(
        (g, i) => g.lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2,
      );
    }
    return groups.map(
      (g) =>
        ((1 + Math.cos((Math.PI * t) / tMax)) / (1 + Math.cos((Math.PI * (t - 1)) / tMax))) *
          (g.lr - etaMin) +
        etaMin,
    );
  }

  protected override closedFormLr(): number[] {
    const { lastEpoch: t, tMax, etaMin } = this;
    return this.baseLrs.map(
      (base) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * t) / tMax))) / 2,
    );
  }

  protected savedFields(): readonly SavedField[] {
    return [fieldOf(SIG, 'tMax'), fieldOf(SIG, 'etaMin')];
  }
}
