/**
 * Learning-rate schedulers against PyTorch 1.13: each scheduler's lr
 * sequence over 30 steps from the constructor on (and OneCycleLR's momentum
 * or β1 sequence), its state dict, resuming from a state dict, and errors.
 */
import { describe, expect, it } from 'vitest';
import { optim, tensor, type Tensor } from '../src/index.js';
import { decodeNumber, loadGolden } from './helpers/golden.js';

interface SchedulerCase {
  name: string;
  optimizer: 'SGD' | 'Adam' | 'RMSprop';
  optimizer_options: Record<string, number>;
  initial_lr: number[] | null;
  scheduler: 'StepLR' | 'ExponentialLR' | 'CosineAnnealingLR' | 'LambdaLR' | 'OneCycleLR';
  options: Record<string, unknown>;
  lrs: number[][];
  momenta: (number | null)[][];
  state_dict: Record<string, unknown>;
}

/** What builds a case's optimizer and scheduler. */
type Setup = Omit<SchedulerCase, 'state_dict'>;

/** The deprecated `step(epoch)` mixed with `step()` (`null` in `calls`): the values after each call. */
interface EpochCase extends Setup {
  calls: (number | null)[];
  last_epochs: number[];
}

const golden = loadGolden<never>('optim') as unknown as {
  schedulers: SchedulerCase[];
  scheduler_epochs: EpochCase[];
};

const LAMBDAS: Record<string, optim.lrScheduler.LrLambda> = {
  pow095: (t) => 0.95 ** t,
  warmup5: (t) => Math.min(1, (t + 1) / 5),
};

/** PyTorch's keyword names to nnkit's: snake_case to camelCase, `T_max` to `tMax`. */
const camelKey = (k: string): string =>
  k === 'T_max' ? 'tMax' : k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

function makeOptimizer(c: Setup): optim.Optimizer {
  const lr = c.optimizer_options.lr;
  const groups = [
    { params: [tensor([0, 0], { requiresGrad: true })] },
    { params: [tensor([0, 0, 0], { requiresGrad: true })], lr: lr / 2 },
  ];
  const o = c.optimizer_options;
  if (c.optimizer === 'SGD') return new optim.SGD(groups, o);
  if (c.optimizer === 'Adam') return new optim.Adam(groups, o);
  return new optim.RMSprop(groups, o);
}

function makeScheduler(c: Setup, opt: optim.Optimizer): optim.lrScheduler.LRScheduler {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.options)) o[camelKey(k)] = v;
  if (o.lrLambda !== undefined)
    o.lrLambda = Array.isArray(o.lrLambda)
      ? (o.lrLambda as string[]).map((n) => LAMBDAS[n])
      : LAMBDAS[o.lrLambda as string];
  const S = optim.lrScheduler;
  switch (c.scheduler) {
    case 'StepLR':
      return new S.StepLR(opt, o as unknown as optim.lrScheduler.StepLROptions);
    case 'ExponentialLR':
      return new S.ExponentialLR(opt, o as unknown as optim.lrScheduler.ExponentialLROptions);
    case 'CosineAnnealingLR':
      return new S.CosineAnnealingLR(
        opt,
        o as unknown as optim.lrScheduler.CosineAnnealingLROptions,
      );
    case 'LambdaLR':
      return new S.LambdaLR(opt, o as unknown as optim.lrScheduler.LambdaLROptions);
    case 'OneCycleLR':
      return new S.OneCycleLR(opt, o as unknown as optim.lrScheduler.OneCycleLROptions);
  }
}

function momenta(opt: optim.Optimizer): (number | null)[] {
  return opt.paramGroups.map((g) => {
    const r = g as unknown as { betas?: number[]; momentum?: number };
    return r.betas ? r.betas[0] : (r.momentum ?? null);
  });
}

/** SPEC §6 float64: the schedules are Python floats. */
function close(actual: number | null, expected: number | null, label: string): void {
  if (expected === null) {
    expect(actual, label).toBeNull();
    return;
  }
  const e = decodeNumber(expected);
  expect(Math.abs((actual as number) - e), `${label}: ${actual} vs ${e}`).toBeLessThanOrEqual(
    1e-12 + 1e-9 * Math.abs(e),
  );
}

function build(c: Setup): {
  opt: optim.Optimizer;
  sched: optim.lrScheduler.LRScheduler;
} {
  const opt = makeOptimizer(c);
  if (c.initial_lr) opt.paramGroups.forEach((g, i) => (g.initialLr = c.initial_lr?.[i]));
  return { opt, sched: makeScheduler(c, opt) };
}

describe('learning-rate schedulers against PyTorch', () => {
  for (const c of golden.schedulers) {
    it(`${c.name}: ${c.lrs.length - 1} steps of lr${c.scheduler === 'OneCycleLR' ? ' and momentum' : ''}`, () => {
      const { opt, sched } = build(c);
      c.lrs.forEach((lrs, t) => {
        if (t > 0) {
          opt.step();
          sched.step();
        }
        sched.getLastLr().forEach((lr, i) => close(lr, lrs[i], `step ${t} group ${i} lr`));
        opt.paramGroups.forEach((g, i) =>
          close(g.lr, lrs[i], `step ${t} group ${i} paramGroups lr`),
        );
        momenta(opt).forEach((m, i) => close(m, c.momenta[t][i], `step ${t} group ${i} momentum`));
      });
      expect(sched.lastEpoch).toBe(c.state_dict.last_epoch);
    });

    it(`${c.name}: stateDict has PyTorch's keys and values, and resumes`, () => {
      const { opt, sched } = build(c);
      for (let t = 1; t < c.lrs.length; t++) {
        opt.step();
        sched.step();
      }
      const sd = sched.stateDict();
      // PyTorch 1.13 saves OneCycleLR's bound method `anneal_func`; nnkit its name, as PyTorch ≥ 2.1 does.
      const torchKeys = Object.keys(c.state_dict).map((k) =>
        k === 'anneal_func' ? '_anneal_func_type' : k,
      );
      expect(Object.keys(sd).sort()).toEqual(torchKeys.sort());
      for (const [k, v] of Object.entries(c.state_dict)) {
        if (k === 'anneal_func') {
          expect(sd._anneal_func_type).toBe(v === '_annealing_cos' ? 'cos' : 'linear');
        } else if (k === 'base_lrs' || k === '_last_lr') {
          (v as number[]).forEach((x, i) => close((sd[k] as number[])[i], x, k));
        } else if (typeof v === 'number') {
          close(sd[k] as number, v, k);
        } else {
          expect(sd[k], k).toEqual(v);
        }
      }
      // A fresh scheduler on a fresh optimizer, loaded, continues the same sequence.
      const again = build(c);
      again.opt.paramGroups.forEach((g, i) =>
        Object.assign(g, opt.paramGroups[i], { params: g.params }),
      );
      again.sched.loadStateDict(sd);
      expect(again.sched.stateDict()).toEqual(sd);
      if (c.scheduler !== 'OneCycleLR') {
        for (let t = 0; t < 5; t++) {
          opt.step();
          sched.step();
          again.opt.step();
          again.sched.step();
          expect(again.sched.getLastLr()).toEqual(sched.getLastLr());
        }
      }
    });
  }
});

describe('the deprecated step(epoch) against PyTorch', () => {
  for (const c of golden.scheduler_epochs) {
    it(`${c.name}: step(${c.calls.map((e) => e ?? '').join(', ')})`, () => {
      const { opt, sched } = build(c);
      c.calls.forEach((epoch, k) => {
        opt.step();
        if (epoch === null) sched.step();
        else if (k % 2) sched.step({ epoch });
        else sched.step(epoch);
        const t = k + 1;
        expect(sched.lastEpoch, `call ${t}`).toBe(c.last_epochs[t]);
        sched.getLastLr().forEach((lr, i) => close(lr, c.lrs[t][i], `call ${t} group ${i} lr`));
        momenta(opt).forEach((m, i) => close(m, c.momenta[t][i], `call ${t} group ${i} momentum`));
      });
    });
  }

  it('validates the epoch and changes nothing when it is bad', () => {
    const opt = new optim.SGD([tensor([1], { requiresGrad: true })], 0.1);
    const sched = new optim.lrScheduler.ExponentialLR(opt, 0.5);
    const before = sched.stateDict();
    for (const [bad, got] of [
      [-1, '-1'],
      [1.5, '1.5'],
      ['3', "'3'"],
      [NaN, 'NaN'],
    ] as const) {
      expect(() => sched.step(bad as never)).toThrow(
        `ExponentialLR.step: epoch must be an integer ≥ 0, got ${got}`,
      );
    }
    expect(() => sched.step({ epoc: 3 } as never)).toThrow(
      "ExponentialLR.step: unknown option 'epoc'",
    );
    expect(sched.stateDict()).toEqual(before);
    sched.step(null); // Python's None: the next step
    expect(sched.lastEpoch).toBe(1);
    const cycle = new optim.lrScheduler.OneCycleLR(opt, 0.1, 10);
    const saved = cycle.stateDict();
    expect(() => cycle.step(11)).toThrow('OneCycleLR: tried to step 12 times');
    expect(cycle.stateDict()).toEqual(saved);
  });
});

describe('scheduler arguments and errors', () => {
  const sgd = (lr = 0.1): optim.SGD =>
    new optim.SGD([tensor([1], { requiresGrad: true })], lr, 0.9);
  const S = optim.lrScheduler;

  it('binds as Python does and validates', () => {
    expect(new S.StepLR(sgd(), 30, 0.5).gamma).toBe(0.5);
    expect(new S.StepLR(sgd(), { stepSize: 30 }).gamma).toBe(0.1);
    expect(() => new S.StepLR(sgd(), 0)).toThrow(
      'StepLR: stepSize must be a positive integer, got 0',
    );
    expect(() => new S.StepLR({} as optim.Optimizer, 3)).toThrow(
      'StepLR: optimizer must be an Optimizer',
    );
    expect(() => new S.ExponentialLR(sgd(), -0.5)).toThrow(
      'ExponentialLR: gamma must be a number ≥ 0',
    );
    expect(() => new S.CosineAnnealingLR(sgd(), 10, { eta_min: 0 } as never)).toThrow(
      "CosineAnnealingLR: unknown option 'eta_min' (did you mean 'etaMin'?)",
    );
    expect(() => new S.OneCycleLR(sgd(), 0.1)).toThrow(
      'OneCycleLR: you must define either totalSteps or (epochs and stepsPerEpoch)',
    );
    expect(
      () => new S.OneCycleLR(sgd(), 0.1, { totalSteps: 10, annealStrategy: 'exp' as never }),
    ).toThrow("OneCycleLR: annealStrategy must be one of 'cos', 'linear', got 'exp'");
    expect(() => new S.OneCycleLR(sgd(), [0.1, 0.2], { totalSteps: 10 })).toThrow(
      'OneCycleLR: expected 1 values for maxLr, got 2',
    );
    expect(() => new S.OneCycleLR(sgd(), 0.1, { totalSteps: 10, pctStart: 0.1 })).toThrow(
      'OneCycleLR: phase 0 has no steps',
    );
    expect(() => new S.LambdaLR(sgd(), [(t: number) => t, (t: number) => t])).toThrow(
      'LambdaLR: expected 1 lrLambdas (one per parameter group), got 2',
    );
    expect(() => new S.StepLR(sgd(), 3, 0.1, 4)).toThrow(
      "StepLR: param 'initial_lr' is not specified in paramGroups[0] when resuming an optimizer",
    );
  });

  it('OneCycleLR refuses to step past totalSteps and changes nothing', () => {
    const opt = sgd();
    const sched = new S.OneCycleLR(opt, 0.1, 4);
    for (let i = 0; i < 4; i++) sched.step();
    const before = sched.stateDict();
    expect(() => sched.step()).toThrow(
      'OneCycleLR: tried to step 6 times; the specified number of total steps is 4',
    );
    expect(sched.stateDict()).toEqual(before);
  });

  it('LambdaLR names a factor that is not a finite number', () => {
    const opt = sgd();
    const sched = new S.LambdaLR(opt, (t) => (t < 2 ? 1 : NaN));
    sched.step();
    expect(() => sched.step()).toThrow(
      'LambdaLR: lrLambda[0](2) returned NaN, not a finite number',
    );
    expect(sched.lastEpoch).toBe(1);
    expect(opt.paramGroups[0].lr).toBe(0.1);
  });

  it('loadStateDict checks keys and values first', () => {
    const sched = new S.StepLR(sgd(), 3);
    const sd = sched.stateDict();
    expect(() => sched.loadStateDict({ ...sd, step_size: 0 })).toThrow(
      'StepLR.loadStateDict: step_size must be a positive integer, got 0',
    );
    expect(() => sched.loadStateDict({ ...sd, base_lrs: [0.1, 0.2] })).toThrow(
      'base_lrs must be an array of 1 finite number',
    );
    expect(() => sched.loadStateDict({ ...sd, gama: 0.1 })).toThrow("unknown key 'gama'");
    const { gamma: _gamma, ...missing } = sd;
    expect(() => sched.loadStateDict(missing)).toThrow("missing key 'gamma'");
    expect(sched.stateDict()).toEqual(sd);
  });

  it('the scheduler writes lr that the optimizer then uses', () => {
    const p: Tensor = tensor([1], { requiresGrad: true });
    const opt = new optim.SGD([p], 1);
    const sched = new S.StepLR(opt, 1, 0.5);
    for (const expected of [0, -1, -1.5]) {
      p.grad = tensor([1]);
      expect(p.item()).toBe(1 + expected);
      opt.step();
      sched.step();
    }
    expect(p.item()).toBe(-0.75);
  });
});
