/**
 * A line y = w·x + b and a constant c fitted to the same points with four losses at once,
 * each by its own nnkit optimizer from w = b = c = 0. MSE's constant is the mean of y, L1's the
 * median; SmoothL1 and Huber are quadratic near 0 and linear beyond β (δ), so they sit between.
 */
import { F, Generator, optim, tensor, zeros, type Tensor } from 'nnkit';

export const LOSSES = ['MSE', 'L1', 'SmoothL1', 'Huber'] as const;
export type LossName = (typeof LOSSES)[number];

export interface Point {
  x: number;
  y: number;
}

export interface FitOptions {
  optimizer: 'Adam' | 'SGD';
  lr: number;
  /** SmoothL1's beta. */
  beta: number;
  /** Huber's delta. */
  delta: number;
}

export const DEFAULT_FIT: FitOptions = { optimizer: 'Adam', lr: 0.05, beta: 1, delta: 1 };

/** 24 points near y = 1.5x + 0.5, four of them pushed far up (outliers), from a fixed seed. */
export function defaultPoints(seed = 7): Point[] {
  const g = new Generator(seed);
  return Array.from({ length: 24 }, (_v, i) => {
    const x = -2 + (4 * i) / 23 + 0.05 * g.normal();
    const outlier = i % 6 === 5;
    const y = 1.5 * x + 0.5 + 0.3 * g.normal() + (outlier ? 6 + 2 * g.uniform() : 0);
    return { x: Number(x.toFixed(3)), y: Number(y.toFixed(3)) };
  });
}

export function lossFn(name: LossName, o: FitOptions): (a: Tensor, b: Tensor) => Tensor {
  if (name === 'MSE') return (a, b) => F.mseLoss(a, b);
  if (name === 'L1') return (a, b) => F.l1Loss(a, b);
  if (name === 'SmoothL1') return (a, b) => F.smoothL1Loss(a, b, { beta: o.beta });
  return (a, b) => F.huberLoss(a, b, { delta: o.delta });
}

interface Fit {
  name: LossName;
  w: Tensor;
  b: Tensor;
  c: Tensor;
  opt: optim.Adam | optim.SGD;
  loss: (a: Tensor, b: Tensor) => Tensor;
  last: number;
}

export class Fits {
  private fits: Fit[];
  private x: Tensor = zeros([0]);
  private y: Tensor = zeros([0]);

  constructor(
    points: readonly Point[],
    readonly opts: FitOptions,
  ) {
    this.setPoints(points);
    this.fits = LOSSES.map((name) => {
      const w = zeros([1], { requiresGrad: true });
      const b = zeros([1], { requiresGrad: true });
      const c = zeros([1], { requiresGrad: true });
      const opt =
        opts.optimizer === 'Adam'
          ? new optim.Adam([w, b, c], { lr: opts.lr })
          : new optim.SGD([w, b, c], { lr: opts.lr });
      return { name, w, b, c, opt, loss: lossFn(name, opts), last: NaN };
    });
  }

  setPoints(points: readonly Point[]): void {
    this.x = tensor(points.map((p) => p.x));
    this.y = tensor(points.map((p) => p.y));
  }

  /** One step of every fit: the line's loss plus the constant's loss (independent parameters). */
  step(): void {
    const n = this.x.shape[0];
    if (n === 0) return;
    for (const f of this.fits) {
      f.opt.zeroGrad();
      const line = f.loss(this.x.mul(f.w).add(f.b), this.y);
      const constant = f.loss(f.c.expand([n]), this.y);
      line.add(constant).backward();
      f.opt.step();
      f.last = line.item();
    }
  }

  results(): {
    name: LossName;
    slope: number;
    intercept: number;
    constant: number;
    loss: number;
  }[] {
    return this.fits.map((f) => ({
      name: f.name,
      slope: f.w.item(),
      intercept: f.b.item(),
      constant: f.c.item(),
      loss: f.last,
    }));
  }
}

export function mean(v: readonly number[]): number {
  return v.reduce((a, b) => a + b, 0) / v.length;
}

export function median(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
