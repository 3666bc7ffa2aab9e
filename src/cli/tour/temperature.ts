/**
 * d) Softmax temperature. softmax(βx): as β → 0 the output tends to the
 * uniform distribution (entropy log C), as β → ∞ to a one-hot argmax
 * (entropy 0). An annealed run raises β during training: here, soft
 * clustering by deterministic annealing, where a constant large β from a
 * collapsed start leaves prototypes stranded, and annealing from a small β
 * lets them split one by one.
 */
import { SGD, constantBeta, exponentialBeta, type BetaSchedule } from '../../optim/index.js';
import { Tensor } from '../../tensor/tensor.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { lineChart } from '../svg.js';
import { scatterLineChart } from './plot.js';
import type { Section } from './types.js';
import { fmt, sectionGenerator } from './util.js';

/** Mean entropy (nats) of the rows of a probability matrix. */
function rowEntropy(p: Tensor): number {
  const [n, c] = p.shape;
  let h = 0;
  for (let i = 0; i < n * c; i++) if (p.data[i] > 0) h -= p.data[i] * Math.log(p.data[i]);
  return h / n;
}

/** Squared distances (N, K) between points (N, 2) and centres (K, 2). */
function sqDist(x: Tensor, c: Tensor): Tensor {
  return x.unsqueeze(1).sub(c.unsqueeze(0)).square().sum(2);
}

export const temperature: Section = (ctx) => {
  const gen = sectionGenerator(ctx.seed, 4);
  const bar = ctx.progress('d) softmax temperature', 3);

  // 1. Entropy of softmax(βx) against β, for random logits.
  const C = 10;
  const rows = 64;
  const logits = new Tensor(
    Float64Array.from({ length: rows * C }, () => 2 * gen.normal()),
    [rows, C],
  );
  const betas = Array.from({ length: 61 }, (_v, i) => 10 ** (-2 + (4 * i) / 60));
  const entropies = betas.map((b) => rowEntropy(constantBeta(b).softmax(logits, 1)));
  const pMax = betas.map((b) =>
    noGrad(() => constantBeta(b).softmax(logits, 1).amax(1).mean().item()),
  );
  const monotone = entropies.every((h, i) => i === 0 || h < entropies[i - 1]);
  bar.tick();

  // 2. Deterministic annealing: K prototypes, all starting at the data's mean.
  const K = 5;
  const perCluster = ctx.quick ? 60 : 120;
  const centres = Array.from({ length: K }, (_v, k) => [
    3 * Math.cos((2 * Math.PI * k) / K),
    3 * Math.sin((2 * Math.PI * k) / K),
  ]);
  const pts: number[] = [];
  for (const [cx, cy] of centres)
    for (let i = 0; i < perCluster; i++) pts.push(cx + 0.5 * gen.normal(), cy + 0.5 * gen.normal());
  const n = pts.length / 2;
  const X = new Tensor(Float32Array.from(pts), [n, 2]);
  const start = Float32Array.from({ length: 2 * K }, () => 6 + 0.01 * gen.normal());
  const steps = ctx.quick ? 250 : 600;
  const betaEnd = 20;
  const run = (schedule: BetaSchedule) => {
    const c = new Tensor(start.slice(), [K, 2]).requiresGrad_();
    const opt = new SGD([c], { lr: 0.2 });
    const entropyTrace: number[] = [];
    for (let s = 0; s < steps; s++) {
      opt.zeroGrad();
      // Free energy −(1/β)·log Σ_k exp(−β d_ik): its gradient moves each prototype
      // towards the points, weighted by the soft assignment softmax(−β d).
      const d = sqDist(X, c);
      const b = schedule.beta;
      const loss = d.neg().mul(b).logsumexp(1).div(-b).mean();
      loss.backward();
      opt.step();
      entropyTrace.push(rowEntropy(noGrad(() => schedule.softmax(d.detach().neg(), 1))));
      schedule.step();
    }
    const d = noGrad(() => sqDist(X, c));
    const distortion = noGrad(() => d.amin(1).mean().item());
    const used = new Set(Array.from(noGrad(() => d.min(1).indices).data)).size;
    return { centres: Array.from(c.data), distortion, used, entropyTrace };
  };
  const hard = run(constantBeta(betaEnd));
  bar.tick();
  const annealed = run(
    exponentialBeta({ start: 0.02, end: betaEnd, steps: Math.round(steps * 0.8) }),
  );
  bar.finish();

  const holds =
    monotone &&
    entropies[0] > 0.99 * Math.log(C) &&
    entropies[entropies.length - 1] < 0.05 * Math.log(C) &&
    annealed.distortion < hard.distortion &&
    annealed.entropyTrace[steps - 1] < annealed.entropyTrace[0];
  const stepAxis = Array.from({ length: steps }, (_v, i) => i + 1);
  const proto = (r: { centres: number[] }, label: string, color: string) => ({
    label,
    color,
    xs: Array.from({ length: K }, (_v, k) => r.centres[2 * k]),
    ys: Array.from({ length: K }, (_v, k) => r.centres[2 * k + 1]),
  });
  return {
    id: 'softmax-temperature',
    title: 'd) Softmax temperature: entropy against β, and an annealed run',
    claim:
      'Raising β (lowering the temperature) takes softmax from uniform (entropy log C) to argmax (entropy 0); annealing β upwards during training avoids the poor solutions a hard softmax falls into (here: prototypes that never win a point and never move).',
    holds,
    evidence: `entropy falls monotonically from ${fmt(entropies[0])} (log ${C} = ${fmt(Math.log(C))}) at β=0.01 to ${fmt(entropies[entropies.length - 1])} at β=100; clustering distortion: constant β=${betaEnd} ${fmt(hard.distortion)} (${hard.used}/${K} prototypes used) vs annealed ${fmt(annealed.distortion)} (${annealed.used}/${K} used)`,
    setup: [
      `Entropy: ${rows} rows of ${C} logits drawn from N(0, 4), softmax(βx) via optim.constantBeta(β).softmax, mean entropy over rows.`,
      `Annealing: ${K} prototypes fitted to ${n} points in ${K} clusters by minimising the free energy −(1/β)·log Σ_k exp(−β‖x − c_k‖²) with plain SGD (lr 0.2, ${steps} full-batch steps), all prototypes starting within 0.01 of the point (6, 6), away from the data (a ring of radius 3 around the origin). Constant: β = ${betaEnd} throughout. Annealed: optim.exponentialBeta from 0.02 to ${betaEnd} over ${Math.round(steps * 0.8)} steps. Distortion is the k-means objective, mean squared distance to the nearest prototype.`,
    ],
    tables: [
      {
        columns: ['β', 'mean entropy (nats)', 'mean max probability'],
        rows: [0, 15, 30, 45, 60].map((i) => [fmt(betas[i]), fmt(entropies[i]), fmt(pMax[i])]),
      },
      {
        columns: ['schedule', 'distortion', 'prototypes used', 'final assignment entropy'],
        rows: [
          [
            `constant β=${betaEnd}`,
            fmt(hard.distortion),
            `${hard.used}/${K}`,
            fmt(hard.entropyTrace[steps - 1]),
          ],
          [
            'annealed (exponential)',
            fmt(annealed.distortion),
            `${annealed.used}/${K}`,
            fmt(annealed.entropyTrace[steps - 1]),
          ],
        ],
      },
    ],
    figures: [
      {
        file: 'temperature-entropy.svg',
        caption: 'Mean entropy of softmax(βx) against β (log scale); dashed: log C.',
        svg: lineChart(
          {
            title: 'Softmax entropy against β',
            xLabel: 'β = 1/T (log scale)',
            yLabel: 'entropy (nats)',
            logX: true,
          },
          [
            { label: 'entropy', xs: betas, ys: entropies },
            {
              label: 'log C',
              xs: [0.01, 100],
              ys: [Math.log(C), Math.log(C)],
              dashed: true,
              color: '#888',
            },
          ],
        ),
      },
      {
        file: 'temperature-annealing.svg',
        caption: 'Entropy of the soft assignments during training, constant versus annealed β.',
        svg: lineChart(
          { title: 'Assignment entropy during training', xLabel: 'step', yLabel: 'entropy (nats)' },
          [
            { label: `constant β=${betaEnd}`, xs: stepAxis, ys: hard.entropyTrace },
            { label: 'annealed β', xs: stepAxis, ys: annealed.entropyTrace },
          ],
        ),
      },
      {
        file: 'temperature-prototypes.svg',
        caption:
          'Final prototypes (connected in order) over the data: constant β versus annealed β.',
        svg: scatterLineChart(
          { title: 'Prototypes after training', xLabel: 'x₁', yLabel: 'x₂', pointsLabel: 'data' },
          { xs: pts.filter((_v, i) => i % 2 === 0), ys: pts.filter((_v, i) => i % 2 === 1) },
          [
            proto(hard, `constant β=${betaEnd}`, '#d62728'),
            proto(annealed, 'annealed β', '#2ca02c'),
          ],
        ),
      },
    ],
    metrics: {
      entropyAtSmallBeta: entropies[0],
      entropyAtLargeBeta: entropies[entropies.length - 1],
      logC: Math.log(C),
      monotone: monotone ? 1 : 0,
      distortionConstant: hard.distortion,
      distortionAnnealed: annealed.distortion,
      prototypesUsedConstant: hard.used,
      prototypesUsedAnnealed: annealed.used,
    },
  };
};
