/**
 * e) Learnable nonlinearities. PReLU learns the slope of its negative part;
 * nn.ChebyshevActivation learns a whole shape as a Chebyshev expansion.
 */
import * as F from '../../functional/index.js';
import * as nn from '../../nn/index.js';
import { Adam } from '../../optim/index.js';
import { Tensor } from '../../tensor/tensor.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { lineChart } from '../svg.js';
import type { Section } from './types.js';
import { fmt, sectionGenerator } from './util.js';

export const learnable: Section = (ctx) => {
  const gen = sectionGenerator(ctx.seed, 5);
  const steps = ctx.quick ? 300 : 800;
  const bar = ctx.progress('e) PReLU slope, Chebyshev shape', 2 * steps);

  // 1. PReLU: a teacher y = prelu(w·x + b, a*) with a* = −0.4 (an abs-like unit a ReLU cannot express).
  const aTrue = -0.4;
  const n = 256;
  const din = 4;
  const wTrue = Array.from({ length: din }, () => gen.normal());
  const xs = Float32Array.from({ length: n * din }, () => gen.normal());
  const X = new Tensor(xs, [n, din]);
  const teacher = new Tensor(
    Float32Array.from({ length: n }, (_v, i) => {
      const z = wTrue.reduce((a, w, j) => a + w * xs[i * din + j], 0.3);
      return z > 0 ? z : aTrue * z;
    }),
    [n, 1],
  );
  const lin = new nn.Linear(din, 1);
  const prelu = new nn.PReLU({ init: 0.25 });
  const opt = new Adam([...lin.parameters(), ...prelu.parameters()], { lr: 0.02 });
  const slopeTrace: number[] = [];
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    F.mseLoss(prelu.forward(lin.forward(X)), teacher).backward();
    opt.step();
    slopeTrace.push(prelu.weight.item());
    bar.tick();
  }
  const slope = prelu.weight.item();

  // 2. Chebyshev: one activation, initialised as the identity, learns a target shape.
  const target = (x: number): number =>
    Math.sin(2.5 * x) * Math.exp(-0.3 * x * x) + 0.2 * Math.abs(x);
  const m = 200;
  const grid = Array.from({ length: m }, (_v, i) => -2 + (4 * i) / (m - 1));
  const gx = new Tensor(Float32Array.from(grid), [m]);
  const gy = new Tensor(Float32Array.from(grid, target), [m]);
  const cheb = new nn.ChebyshevActivation({ degree: 12, range: [-2, 2], init: 'identity' });
  const initialShape = cheb.evaluate(grid);
  const copt = new Adam(cheb.parameters(), { lr: 0.02 });
  const mseOf = (): number => noGrad(() => F.mseLoss(cheb.forward(gx), gy).item());
  const initialMse = mseOf();
  const mseTrace: number[] = [];
  for (let s = 0; s < steps; s++) {
    copt.zeroGrad();
    const loss = F.mseLoss(cheb.forward(gx), gy);
    loss.backward();
    copt.step();
    mseTrace.push(loss.item());
    bar.tick();
  }
  bar.finish();
  const finalMse = mseOf();
  const holds = Math.abs(slope - aTrue) < 0.05 && finalMse < 0.01 * initialMse;
  const stepAxis = Array.from({ length: steps }, (_v, i) => i + 1);
  return {
    id: 'learnable-activations',
    title:
      'e) Learnable activations: PReLU learns its slope, a Chebyshev activation learns a shape',
    claim:
      'A PReLU recovers the negative slope that generated the data; a learnable Chebyshev activation fits a shape no fixed activation has.',
    holds,
    evidence: `PReLU slope ${fmt(0.25)} → ${fmt(slope)} (teacher ${aTrue}); Chebyshev fit MSE ${fmt(initialMse)} → ${fmt(finalMse)} (${fmt(finalMse / initialMse)} of the start)`,
    setup: [
      `PReLU: ${n} inputs in R^${din}, targets from a teacher prelu(w·x + 0.3) with slope ${aTrue}; the student Linear(${din}, 1) → nn.PReLU (init 0.25) is trained by Adam (lr 0.02, ${steps} steps, MSE).`,
      `Chebyshev: nn.ChebyshevActivation({ degree: 12, range: [−2, 2], init: 'identity' }) trained alone (Adam, lr 0.02, ${steps} steps) to match sin(2.5x)·exp(−0.3x²) + 0.2|x| on ${m} points.`,
    ],
    tables: [
      {
        columns: ['experiment', 'start', 'end', 'target'],
        rows: [
          ['PReLU slope', fmt(0.25), fmt(slope), fmt(aTrue)],
          ['Chebyshev fit MSE', fmt(initialMse), fmt(finalMse), '0'],
        ],
      },
    ],
    figures: [
      {
        file: 'prelu-slope.svg',
        caption: 'The PReLU slope during training; dashed: the teacher’s slope.',
        svg: lineChart({ title: 'PReLU learning its slope', xLabel: 'step', yLabel: 'slope a' }, [
          { label: 'learned slope', xs: stepAxis, ys: slopeTrace },
          { label: 'teacher', xs: [1, steps], ys: [aTrue, aTrue], dashed: true, color: '#444' },
        ]),
      },
      {
        file: 'chebyshev-shape.svg',
        caption:
          'The Chebyshev activation at initialisation (identity), after training, and the target.',
        svg: lineChart(
          { title: 'Chebyshev activation learning a shape', xLabel: 'x', yLabel: 'f(x)' },
          [
            {
              label: 'initial (identity)',
              xs: grid,
              ys: initialShape,
              dashed: true,
              color: '#999',
            },
            { label: 'learned', xs: grid, ys: cheb.evaluate(grid) },
            { label: 'target', xs: grid, ys: grid.map(target), dashed: true, color: '#000' },
          ],
        ),
      },
      {
        file: 'chebyshev-loss.svg',
        caption: 'Chebyshev fit: training MSE.',
        svg: lineChart(
          {
            title: 'Chebyshev activation: training loss',
            xLabel: 'step',
            yLabel: 'MSE',
            logY: true,
          },
          [{ label: 'MSE', xs: stepAxis, ys: mseTrace }],
        ),
      },
    ],
    metrics: {
      preluSlope: slope,
      preluTarget: aTrue,
      chebInitialMse: initialMse,
      chebFinalMse: finalMse,
    },
  };
};
