/** ExponentialLR, after `torch.optim.lr_scheduler.ExponentialLR`. */
import { bindArgs, type Signature } from '../../signature/bind.js';
import type { Optimizer } from '../optimizer.js';
import { lastEpochType, nonNegative } from '../params.js';
import type { PyArgs } from '../py-args.js';
import { LRScheduler, fieldOf, optimizerType, type SavedField } from './scheduler.js';

const SIG: Signature = {
  name: 'ExponentialLR',
  params: [
    { name: 'optimizer', type: optimizerType, doc: 'the optimizer whose groups it schedules' },
    { name: 'gamma', type: nonNegative, doc: 'multiplicative factor per step' },
    { name: 'lastEpoch', type: lastEpochType, default: -1, doc: 'the last step taken (−1: start)' },
  ],
};

/** Options of {@link ExponentialLR}. */
export interface ExponentialLROptions {
  /** The factor applied every step. */
  gamma: number;
  /** The index of the last step taken, to resume a schedule (−1: start). Default `-1`. */
  lastEpoch: number;
}

/**
 * Multiplies each group's learning rate by `gamma` every step:
 * `lr_t = lr_0 · γ^t` when nothing else changes `lr` (computed as PyTorch
 * does, one multiplication per step, so the values match its rounding).
 *
 * Arguments bind as in Python: `(optimizer, gamma, lastEpoch = −1)`.
 * Matches `torch.optim.lr_scheduler.ExponentialLR` (without `verbose`).
 *
 * @example
 * ```ts
 * import { optim, tensor } from 'nnkit';
 * const opt = new optim.Adam([tensor([1], { requiresGrad: true })], 0.01);
 * const sched = new optim.lrScheduler.ExponentialLR(opt, 0.9);
 * opt.step();
 * sched.step();
 * console.log(sched.getLastLr()); // [ 0.009000000000000001 ]
 * ```
 */
export class ExponentialLR extends LRScheduler {
  /** Multiplicative factor per step. */
  gamma: number;

  /**
   * Creates the scheduler and takes its initial step; see {@link ExponentialLROptions} for each
   * argument.
   *
   * @param optimizer - The optimizer whose parameter groups' `lr` it schedules.
   * @param args - `gamma` (required), `lastEpoch` (PyTorch's `last_epoch`, default −1) by
   *   position, or one options object with those names.
   */
  constructor(
    optimizer: Optimizer,
    ...args: PyArgs<[gamma: number, lastEpoch: number], Partial<ExponentialLROptions>>
  ) {
    const b = bindArgs(SIG, [optimizer, ...args]);
    super(SIG, b.optimizer as Optimizer, b.lastEpoch as number);
    this.gamma = b.gamma as number;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** this.lastEpoch);
  }

  protected savedFields(): readonly SavedField[] {
    return [fieldOf(SIG, 'gamma')];
  }
}
