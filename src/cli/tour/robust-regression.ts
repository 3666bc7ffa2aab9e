/**
 * b) L1 versus L2 with outliers. Minimising squared error fits the mean,
 * absolute error the median; SmoothL1 (Huber-like) is quadratic near zero and
 * linear beyond `beta`, so its fit lies between the two. With outliers, the
 * mean — and an L2 regression line — is dragged towards them.
 */
import * as F from '../../functional/index.js';
import * as nn from '../../nn/index.js';
import { Adam } from '../../optim/index.js';
import { Tensor } from '../../tensor/tensor.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { lineChart } from '../svg.js';
import { scatterLineChart } from './plot.js';
import type { Section } from './types.js';
import { fmt, mean, median, sectionGenerator } from './util.js';

type LossName = 'L2 (mseLoss)' | 'L1 (l1Loss)' | 'SmoothL1 (β=1)';
const LOSSES: readonly [LossName, (a: Tensor, b: Tensor) => Tensor][] = [
  ['L2 (mseLoss)', (a, b) => F.mseLoss(a, b)],
  ['L1 (l1Loss)', (a, b) => F.l1Loss(a, b)],
  ['SmoothL1 (β=1)', (a, b) => F.smoothL1Loss(a, b, { beta: 1 })],
];

/** Adam with a geometrically decaying learning rate, so sign-like L1 gradients settle. */
function fit(
  params: Tensor[],
  steps: number,
  lossOf: () => Tensor,
  lr0: number,
  onStep?: () => void,
): void {
  const opt = new Adam(params, { lr: lr0 });
  const decay = 1e-3 ** (1 / steps);
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    lossOf().backward();
    opt.step();
    opt.paramGroups[0].lr *= decay;
    onStep?.();
  }
}

export const robustRegression: Section = (ctx) => {
  const gen = sectionGenerator(ctx.seed, 2);
  const steps = ctx.quick ? 300 : 800;
  const bar = ctx.progress('b) L1 vs L2 with outliers', 2 * LOSSES.length);

  // 1. A constant fitted to a sample with 10% outliers.
  const n = 200;
  const sample = Array.from({ length: n }, (_v, i) =>
    i < n * 0.9 ? gen.normal() : 12 + 3 * gen.normal(),
  );
  const y = new Tensor(Float32Array.from(sample), [n]);
  const sMean = mean(sample);
  const sMedian = median(sample);
  const constFits = new Map<LossName, number>();
  const traces: { label: string; xs: number[]; ys: number[] }[] = [];
  for (const [name, loss] of LOSSES) {
    const c = new Tensor(new Float32Array([0]), [1]).requiresGrad_();
    const trace: number[] = [];
    fit(
      [c],
      steps,
      () => loss(c.expand([n]), y),
      0.5,
      () => trace.push(c.item()),
    );
    constFits.set(name, c.item());
    traces.push({ label: name, xs: trace.map((_v, i) => i + 1), ys: trace });
    bar.tick();
  }

  // 2. A line fitted to data with one-sided outliers.
  const m = 160;
  const truth = { slope: 1.5, intercept: 0.5 };
  const xs = Array.from({ length: m }, () => -2 + 4 * gen.uniform());
  const ys = xs.map(
    (x, i) =>
      truth.slope * x +
      truth.intercept +
      0.3 * gen.normal() +
      (i % 8 === 0 && x > -0.5 ? 6 + 4 * gen.uniform() : 0),
  );
  const X = new Tensor(Float32Array.from(xs), [m, 1]);
  const Y = new Tensor(Float32Array.from(ys), [m, 1]);
  const lineFits = new Map<LossName, { slope: number; intercept: number; error: number }>();
  const initState = new nn.Linear(1, 1).stateDict();
  for (const [name, loss] of LOSSES) {
    const lin = new nn.Linear(1, 1);
    lin.loadStateDict(initState);
    fit(lin.parameters(), steps, () => loss(lin.forward(X), Y), 0.1);
    const slope = lin.weight.item();
    const intercept = (lin.bias as Tensor).item();
    // Distance from the true line, averaged over the data's x range.
    const error = noGrad(() =>
      Math.sqrt(
        mean(xs.map((x) => ((slope - truth.slope) * x + intercept - truth.intercept) ** 2)),
      ),
    );
    lineFits.set(name, { slope, intercept, error });
    bar.tick();
  }
  bar.finish();

  const c2 = constFits.get('L2 (mseLoss)') ?? NaN;
  const c1 = constFits.get('L1 (l1Loss)') ?? NaN;
  const cs = constFits.get('SmoothL1 (β=1)') ?? NaN;
  const spread = Math.abs(sMean - sMedian);
  const e2 = lineFits.get('L2 (mseLoss)')?.error ?? NaN;
  const e1 = lineFits.get('L1 (l1Loss)')?.error ?? NaN;
  const es = lineFits.get('SmoothL1 (β=1)')?.error ?? NaN;
  const holds =
    Math.abs(c2 - sMean) < 0.02 * spread &&
    Math.abs(c1 - sMedian) < 0.05 * spread &&
    cs > Math.min(c1, c2) &&
    cs < Math.max(c1, c2) &&
    e1 < e2 &&
    es < e2;
  const lineX = [-2, 2];
  return {
    id: 'robust-regression',
    title: 'b) L1 versus L2 with outliers',
    claim:
      'L2 fits the mean and is dragged by outliers; L1 fits the median and ignores them; SmoothL1 lies between.',
    holds,
    evidence: `constant fit: L2 ${fmt(c2)} (sample mean ${fmt(sMean)}), L1 ${fmt(c1)} (sample median ${fmt(sMedian)}), SmoothL1 ${fmt(cs)}; line fit error: L2 ${fmt(e2)}, SmoothL1 ${fmt(es)}, L1 ${fmt(e1)}`,
    setup: [
      `A constant c fitted to ${n} values: 90% standard normal, 10% outliers around 12. Then a line fitted to ${m} points of y = 1.5x + 0.5 + noise, where one point in eight with x > −0.5 is pushed up by 6–10. Each fit: Adam with the learning rate decaying geometrically by 1000× over ${steps} full-batch steps, from the same start for every loss.`,
      'Line error is the root-mean-square distance between the fitted and the true line over the data.',
    ],
    tables: [
      {
        columns: ['loss', 'fitted constant', 'line slope', 'line intercept', 'line error'],
        rows: LOSSES.map(([name]) => {
          const l = lineFits.get(name);
          return [
            name,
            fmt(constFits.get(name) ?? NaN),
            fmt(l?.slope ?? NaN),
            fmt(l?.intercept ?? NaN),
            fmt(l?.error ?? NaN),
          ];
        }),
      },
      {
        columns: ['statistic', 'value'],
        rows: [
          ['sample mean', fmt(sMean)],
          ['sample median', fmt(sMedian)],
        ],
      },
    ],
    figures: [
      {
        file: 'robust-line.svg',
        caption:
          'Lines fitted with each loss to data with one-sided outliers; dashed: the true line.',
        svg: scatterLineChart(
          { title: 'Line fits with outliers', xLabel: 'x', yLabel: 'y', pointsLabel: 'data' },
          { xs, ys },
          [
            ...LOSSES.map(([name]) => {
              const l = lineFits.get(name) ?? { slope: NaN, intercept: NaN };
              return { label: name, xs: lineX, ys: lineX.map((x) => l.slope * x + l.intercept) };
            }),
            {
              label: 'truth',
              xs: lineX,
              ys: lineX.map((x) => truth.slope * x + truth.intercept),
              dashed: true,
              color: '#000',
            },
          ],
        ),
      },
      {
        file: 'robust-constant.svg',
        caption:
          'The fitted constant during training, against the sample mean and median (dashed).',
        svg: lineChart({ title: 'Fitting a constant', xLabel: 'step', yLabel: 'c' }, [
          ...traces,
          { label: 'mean', xs: [1, steps], ys: [sMean, sMean], dashed: true, color: '#444' },
          { label: 'median', xs: [1, steps], ys: [sMedian, sMedian], dashed: true, color: '#aaa' },
        ]),
      },
    ],
    metrics: {
      c2,
      c1,
      cs,
      sampleMean: sMean,
      sampleMedian: sMedian,
      lineErrorL2: e2,
      lineErrorL1: e1,
      lineErrorSmoothL1: es,
    },
  };
};
