/**
 * Inverse-temperature (β) schedules for softmax-based layers.
 *
 * The lecture writes softmax with an inverse temperature β:
 * `softmax(βx)_i = exp(βx_i) / Σ_j exp(βx_j)`. Small β gives a soft, nearly
 * uniform distribution (high entropy); large β approaches a hard argmax.
 * Annealing β upwards during training lets a model start soft and end hard.
 * nnkit's `F.softmax(x, dim, { temperature })` takes the temperature
 * T = 1/β; a schedule hands out either.
 */
import type { Tensor } from '../tensor/tensor.js';
import * as F from '../functional/index.js';

type CrossEntropyOptions = NonNullable<Parameters<typeof F.crossEntropy>[2]>;

function checkPositive(fn: string, name: string, v: number): void {
  if (!(v > 0) || !Number.isFinite(v))
    throw new Error(`${fn}: ${name} must be finite and > 0, got ${v}`);
}

function checkSteps(fn: string, steps: number): void {
  if (!Number.isInteger(steps) || steps < 1)
    throw new Error(`${fn}: steps must be a positive integer, got ${steps}`);
}

/**
 * A β schedule: a pure function of the step, `betaAt(t)`, plus a cursor
 * (`step()`, `beta`, `temperature`) for use inside a training loop, like a
 * learning-rate scheduler. The softmax helpers apply the current β.
 *
 * @example
 * ```ts
 * import { manualSeed, nn, optim, randint, randn } from 'nnkit';
 * manualSeed(0);
 * const model = new nn.Linear(4, 3);
 * const opt = new optim.SGD(model.parameters(), 0.1);
 * const [x, y] = [randn([16, 4]), randint(0, 3, [16])];
 * const beta = optim.linearBeta({ start: 0.1, end: 5, steps: 100 });
 * for (let t = 0; t < 100; t++) {
 *   opt.zeroGrad();
 *   beta.crossEntropy(model.forward(x), y).backward(); // cross-entropy of β·logits
 *   opt.step();
 *   beta.step();
 * }
 * console.log(beta.lastStep, beta.beta, beta.temperature); // 100 5 0.2
 * ```
 */
export abstract class BetaSchedule {
  private t = 0;

  /** Called by subclasses, which define `betaAt(t)`; the cursor starts at step 0. */
  constructor() {}

  /** β at step `t` (t ≥ 0; steps past the end keep the final value). */
  abstract betaAt(t: number): number;

  /** T = 1/β at step `t`. */
  temperatureAt(t: number): number {
    return 1 / this.betaAt(t);
  }

  /** The cursor: how many times `step()` has been called. */
  get lastStep(): number {
    return this.t;
  }

  /** β at the cursor. */
  get beta(): number {
    return this.betaAt(this.t);
  }

  /** T = 1/β at the cursor. */
  get temperature(): number {
    return 1 / this.beta;
  }

  /** Advances the cursor by one step. */
  step(): void {
    this.t += 1;
  }

  /** Moves the cursor back to step 0 (or to `t`). */
  reset(t = 0): void {
    this.t = t;
  }

  /** `F.softmax(x, dim, { temperature: 1/β })` at the cursor: softmax(βx). */
  softmax(x: Tensor, dim: number): Tensor {
    return F.softmax(x, dim, { temperature: this.temperature });
  }

  /** `F.logSoftmax(x, dim, { temperature: 1/β })` at the cursor: logSoftmax(βx). */
  logSoftmax(x: Tensor, dim: number): Tensor {
    return F.logSoftmax(x, dim, { temperature: this.temperature });
  }

  /** `F.crossEntropy(β·input, target, opts)` at the cursor. */
  crossEntropy(input: Tensor, target: Tensor, opts?: CrossEntropyOptions): Tensor {
    const b = this.beta;
    return F.crossEntropy(b === 1 ? input : input.mul(b), target, opts);
  }

  /** The values β(0..steps−1), e.g. for a plot. */
  values(steps: number): number[] {
    return Array.from({ length: steps }, (_v, t) => this.betaAt(t));
  }
}

class ConstantBeta extends BetaSchedule {
  constructor(readonly value: number) {
    super();
    checkPositive('constantBeta', 'beta', value);
  }
  betaAt(): number {
    return this.value;
  }
}

/** Options of {@link linearBeta} and {@link exponentialBeta}. */
export interface BetaRampOptions {
  /** β at step 0. */
  start: number;
  /** β at step `steps` and after. */
  end: number;
  /** Length of the ramp in steps. */
  steps: number;
}

class LinearBeta extends BetaSchedule {
  constructor(readonly opts: BetaRampOptions) {
    super();
    checkPositive('linearBeta', 'start', opts.start);
    checkPositive('linearBeta', 'end', opts.end);
    checkSteps('linearBeta', opts.steps);
  }
  betaAt(t: number): number {
    const { start, end, steps } = this.opts;
    const f = Math.min(Math.max(t / steps, 0), 1);
    return start + (end - start) * f;
  }
}

class ExponentialBeta extends BetaSchedule {
  constructor(readonly opts: BetaRampOptions) {
    super();
    checkPositive('exponentialBeta', 'start', opts.start);
    checkPositive('exponentialBeta', 'end', opts.end);
    checkSteps('exponentialBeta', opts.steps);
  }
  betaAt(t: number): number {
    const { start, end, steps } = this.opts;
    const f = Math.min(Math.max(t / steps, 0), 1);
    return start * (end / start) ** f;
  }
}

/**
 * A constant β: `β(t) = beta`.
 * @example
 * ```ts
 * import { optim, tensor } from 'nnkit';
 * const x = tensor([[0, 1]]);
 * // softmax(2x):
 * console.log(optim.constantBeta(2).softmax(x, 1)); // tensor([[0.1192, 0.8808]])
 * ```
 * @param beta - The inverse temperature β at every step: finite and > 0.
 */
export function constantBeta(beta: number): BetaSchedule {
  return new ConstantBeta(beta);
}

/**
 * β rising (or falling) linearly: `β(t) = start + (end − start)·min(t/steps, 1)`.
 * @example
 * ```ts
 * import { optim } from 'nnkit';
 * const beta = optim.linearBeta({ start: 0.5, end: 10, steps: 200 });
 * console.log(beta.betaAt(0), beta.betaAt(100), beta.betaAt(500)); // 0.5 5.25 10
 * ```
 * @param opts - By name: `start`, `end` (β at step 0 and from step `steps` on; finite, > 0),
 *   `steps` (a positive integer).
 */
export function linearBeta(opts: BetaRampOptions): BetaSchedule {
  return new LinearBeta(opts);
}

/**
 * β changing geometrically, the classic annealing schedule:
 * `β(t) = start·(end/start)^min(t/steps, 1)`, i.e. a constant factor per step.
 * @example
 * ```ts
 * import { optim } from 'nnkit';
 * const beta = optim.exponentialBeta({ start: 0.1, end: 10, steps: 100 });
 * console.log(beta.betaAt(0), beta.betaAt(50), beta.betaAt(100)); // 0.1 1 10
 * ```
 * @param opts - By name: `start`, `end` (β at step 0 and from step `steps` on; finite, > 0),
 *   `steps` (a positive integer).
 */
export function exponentialBeta(opts: BetaRampOptions): BetaSchedule {
  return new ExponentialBeta(opts);
}
