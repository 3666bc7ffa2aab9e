/** StepLR, after `torch.optim.lr_scheduler.StepLR`. */
import { bindArgs, type Signature } from '../../signature/bind.js';
import type { Optimizer } from '../optimizer.js';
import { lastEpochType, nonNegative, positiveInt } from '../params.js';
import type { PyArgs } from '../py-args.js';
import { LRScheduler, fieldOf, optimizerType, type SavedField } from './scheduler.js';

const SIG: Signature = {
  name: 'StepLR',
  params: [
    { name: 'optimizer', type: optimizerType, doc: 'the optimizer whose groups it schedules' },
    { name: 'stepSize', type: positiveInt, doc: 'period of the decay, in steps' },
    { name: 'gamma', type: nonNegative, default: 0.1, doc: 'multiplicative factor' },
    { name: 'lastEpoch', type: lastEpochType, default: -1, doc: 'the last step taken (−1: start)' },
  ],
};

/** Options of {@link StepLR}. */
export interface StepLROptions {
  /** The period of the decay, in steps. */
  stepSize: number;
  /** The factor applied every `stepSize` steps. Default `0.1`. */
  gamma: number;
  /** The index of the last step taken, to resume a schedule (−1: start). Default `-1`. */
  lastEpoch: number;
}

/**
 * Multiplies each group's learning rate by `gamma` every `stepSize` steps:
 * `lr_t = lr_0 · γ^⌊t / stepSize⌋` when nothing else changes `lr`.
 * Chainable, as PyTorch's `get_lr`: at steps that are multiples of
 * `stepSize` the current `lr` is multiplied by γ, otherwise left alone.
 *
 * Arguments bind as in Python: `(optimizer, stepSize, gamma = 0.1, lastEpoch = −1)`.
 * Matches `torch.optim.lr_scheduler.StepLR`; PyTorch's `verbose` is not
 * provided, and `stepSize` must be a positive integer (PyTorch accepts 0,
 * then fails with a division by zero at the first step).
 *
 * @example
 * ```ts
 * import { optim, tensor } from 'nnkit';
 * const opt = new optim.SGD([tensor([1], { requiresGrad: true })], 0.1);
 * const sched = new optim.lrScheduler.StepLR(opt, 30, 0.1);
 * for (let epoch = 0; epoch < 100; epoch++) {
 *   opt.step();
 *   sched.step();
 * }
 * // 0.1 · 0.1³, rounded as in PyTorch:
 * console.log(sched.getLastLr()); // [ 0.00010000000000000003 ]
 * ```
 */
export class StepLR extends LRScheduler {
  /** Period of the decay, in steps. */
  stepSize: number;
  /** Multiplicative factor. */
  gamma: number;

  /**
   * Creates the scheduler and takes its initial step; see {@link StepLROptions} for each argument.
   *
   * @param optimizer - The optimizer whose parameter groups' `lr` it schedules.
   * @param args - `stepSize` (PyTorch's `step_size`, required), `gamma` (default 0.1),
   *   `lastEpoch` (PyTorch's `last_epoch`, default −1) by position, or one options object with
   *   those names.
   */
  constructor(
    optimizer: Optimizer,
    ...args: PyArgs<[stepSize: number, gamma: number, lastEpoch: number], Partial<StepLROptions>>
  ) {
    const b = bindArgs(SIG, [optimizer, ...args]);
    super(SIG, b.optimizer as Optimizer, b.lastEpoch as number);
    this.stepSize = b.stepSize as number;
    this.gamma = b.gamma as number;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0)
      return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map(
      (base) => base * this.gamma ** Math.floor(this.lastEpoch / this.stepSize),
    );
  }

  protected savedFields(): readonly SavedField[] {
    return [fieldOf(SIG, 'stepSize'), fieldOf(SIG, 'gamma')];
  }
}
