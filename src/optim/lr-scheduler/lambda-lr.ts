/** LambdaLR, after `torch.optim.lr_scheduler.LambdaLR`. */
import { bindArgs, type Signature } from '../../signature/bind.js';
import { describeValue, type ParamType } from '../../signature/types.js';
import type { Optimizer } from '../optimizer.js';
import { lastEpochType } from '../params.js';
import type { PyArgs } from '../py-args.js';
import { LRScheduler, optimizerType, type SavedField } from './scheduler.js';

/** A learning-rate factor as a function of the step. */
export type LrLambda = (epoch: number) => number;

const lambdaType: ParamType = {
  ts: 'LrLambda | readonly LrLambda[]',
  py: 'Callable | List[Callable]',
  validate: (v) =>
    typeof v === 'function' || (Array.isArray(v) && v.every((f) => typeof f === 'function'))
      ? null
      : 'a function or an array of functions (one per parameter group)',
};

const SIG: Signature = {
  name: 'LambdaLR',
  params: [
    { name: 'optimizer', type: optimizerType, doc: 'the optimizer whose groups it schedules' },
    { name: 'lrLambda', type: lambdaType, doc: 'factor of the initial lr at each step' },
    { name: 'lastEpoch', type: lastEpochType, default: -1, doc: 'the last step taken (−1: start)' },
  ],
};

/** Options of {@link LambdaLR}. */
export interface LambdaLROptions {
  /** The factor λ(t) as a function of the step: one for every group, or one per group. */
  lrLambda: LrLambda | readonly LrLambda[];
  /** The index of the last step taken, to resume a schedule (−1: start). Default `-1`. */
  lastEpoch: number;
}

/**
 * Sets each group's learning rate to its initial value times a function of
 * the step: `lr_t = lr_0 · λ(t)` — one function for every group, or one per
 * group. Not chainable: it overwrites `lr`.
 *
 * Arguments bind as in Python: `(optimizer, lrLambda, lastEpoch = −1)`.
 * Matches `torch.optim.lr_scheduler.LambdaLR` (without `verbose`). The
 * state dict holds `lr_lambdas: [null, …]`, as PyTorch's does for plain
 * functions: functions are not saved. Beyond PyTorch, a factor that is not a
 * finite number is an error naming the step, not a NaN learning rate.
 *
 * @example
 * ```ts
 * import { optim, tensor } from 'nnkit';
 * const opt = new optim.SGD([tensor([1], { requiresGrad: true })], 0.1);
 * const warmup = new optim.lrScheduler.LambdaLR(opt, (t) => Math.min(1, (t + 1) / 5));
 * // 0.1 · 1/5:
 * console.log(warmup.getLastLr()); // [ 0.020000000000000004 ]
 * for (let t = 0; t < 5; t++) {
 *   opt.step();
 *   warmup.step();
 * }
 * console.log(warmup.getLastLr()); // [ 0.1 ]
 * ```
 */
export class LambdaLR extends LRScheduler {
  /** The functions, one per parameter group. */
  readonly lrLambdas: LrLambda[];

  /**
   * Creates the scheduler and takes its initial step; see {@link LambdaLROptions} for each
   * argument.
   *
   * @param optimizer - The optimizer whose parameter groups' `lr` it schedules.
   * @param args - `lrLambda` (PyTorch's `lr_lambda`, required: one function of the step, or
   *   one per group), `lastEpoch` (PyTorch's `last_epoch`, default −1) by position, or one
   *   options object with those names.
   */
  constructor(
    optimizer: Optimizer,
    ...args: PyArgs<
      [lrLambda: LrLambda | readonly LrLambda[], lastEpoch: number],
      Partial<LambdaLROptions>
    >
  ) {
    const b = bindArgs(SIG, [optimizer, ...args]);
    const opt = b.optimizer as Optimizer;
    const n = opt.paramGroups.length;
    const fns = b.lrLambda as LrLambda | LrLambda[];
    if (Array.isArray(fns) && fns.length !== n)
      throw new Error(
        `LambdaLR: expected ${n} lrLambdas (one per parameter group), got ${fns.length}`,
      );
    super(SIG, opt, b.lastEpoch as number);
    this.lrLambdas = Array.isArray(fns)
      ? [...fns]
      : Array.from({ length: n }, () => fns as LrLambda);
    this.initialStep();
  }

  protected computeLr(): number[] {
    return this.lrLambdas.map((fn, i) => {
      const f: unknown = fn(this.lastEpoch);
      if (typeof f !== 'number' || !Number.isFinite(f))
        throw new Error(
          `LambdaLR: lrLambda[${i}](${this.lastEpoch}) returned ${describeValue(f)}, not a finite number`,
        );
      return this.baseLrs[i] * f;
    });
  }

  protected savedFields(): readonly SavedField[] {
    const n = this.lrLambdas.length;
    return [
      {
        key: 'lr_lambdas',
        type: {
          ts: 'null[]',
          py: 'List[None]',
          validate: (v) =>
            Array.isArray(v) && v.length === n && v.every((x) => x === null)
              ? null
              : `an array of ${n} nulls (functions are not saved)`,
        },
      },
    ];
  }

  protected override savedValue(f: SavedField): null[] | null {
    return f.key === 'lr_lambdas' ? this.lrLambdas.map(() => null) : null;
  }
}
