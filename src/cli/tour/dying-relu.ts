/**
 * a) Dying ReLU: a skinny, deep network with ReLU versus LeakyReLU and PReLU.
 * In a network a few units wide, a ReLU unit whose pre-activation is negative
 * on every input outputs 0 and receives no gradient, for good; once enough of
 * a layer dies the whole network outputs a constant. A leaky unit keeps a
 * small slope, so it always receives gradient and can come back.
 */
import * as F from '../../functional/index.js';
import * as nn from '../../nn/index.js';
import { Adam } from '../../optim/index.js';
import { Tensor } from '../../tensor/tensor.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { lineChart } from '../svg.js';
import type { Section } from './types.js';
import { fmt, mean, pct, sectionGenerator } from './util.js';

type Kind = 'ReLU' | 'LeakyReLU' | 'PReLU';
const KINDS: readonly Kind[] = ['ReLU', 'LeakyReLU', 'PReLU'];

/** `depth` hidden layers of `width` units, each a Linear then the activation, and a Linear to 1. */
function skinnyNet(kind: Kind, width: number, depth: number): nn.Sequential {
  const layers: nn.TensorModule[] = [];
  for (let i = 0; i <= depth; i++) {
    layers.push(new nn.Linear(i === 0 ? 1 : width, i === depth ? 1 : width));
    if (i < depth) {
      layers.push(
        kind === 'ReLU'
          ? new nn.ReLU()
          : kind === 'LeakyReLU'
            ? new nn.LeakyReLU({ negativeSlope: 0.1 })
            : new nn.PReLU(),
      );
    }
  }
  return new nn.Sequential(...layers);
}

/** The output, and every hidden layer's pre-activation (recorded by forward pre-hooks on the activations). */
function runRecording(net: nn.Sequential, x: Tensor): { y: Tensor; pre: Tensor[] } {
  const pre: Tensor[] = [];
  const handles = net
    .children()
    .filter((m) => !(m instanceof nn.Linear))
    .map((act) => act.registerForwardPreHook((_m, input) => void pre.push(input[0] as Tensor)));
  const y = net.forward(x);
  for (const h of handles) h.remove();
  return { y, pre };
}

/** Fraction of hidden units whose pre-activation is ≤ 0 for every input. */
function deadFraction(pre: readonly Tensor[]): number {
  let dead = 0;
  let total = 0;
  for (const p of pre) {
    const [n, w] = p.shape;
    for (let j = 0; j < w; j++) {
      let alive = false;
      for (let i = 0; i < n && !alive; i++) alive = p.data[i * w + j] > 0;
      if (!alive) dead++;
      total++;
    }
  }
  return dead / total;
}

export const dyingRelu: Section = (ctx) => {
  const gen = sectionGenerator(ctx.seed, 1);
  const width = 3;
  const depth = ctx.quick ? 8 : 10;
  const trials = ctx.quick ? 4 : 10;
  const steps = ctx.quick ? 150 : 400;
  const n = 128;
  const xs = Array.from({ length: n }, (_v, i) => -3 + (6 * i) / (n - 1));
  const x = new Tensor(Float32Array.from(xs), [n, 1]);
  const target = new Tensor(
    Float32Array.from(xs, (v) => Math.sin(1.5 * v) + 0.3 * v),
    [n, 1],
  );
  const variance = noGrad(() => target.sub(target.mean()).square().mean().item());
  const results = new Map<Kind, { loss: number[]; dead: number[]; curves: number[][] }>();
  const bar = ctx.progress(`a) dying ReLU: ${trials}×3 nets`, trials * KINDS.length);
  for (let t = 0; t < trials; t++) {
    const initSeed = gen.nextUint32();
    for (const kind of KINDS) {
      // The same initial weights for each kind within a trial.
      sectionGenerator(initSeed, 0);
      const net = skinnyNet(kind, width, depth);
      const opt = new Adam(net.parameters(), { lr: 0.01 });
      const curve: number[] = [];
      for (let s = 0; s < steps; s++) {
        opt.zeroGrad();
        const loss = F.mseLoss(net.forward(x), target);
        loss.backward();
        opt.step();
        curve.push(loss.item() / variance);
      }
      const final = noGrad(() => runRecording(net, x));
      const r = results.get(kind) ?? { loss: [], dead: [], curves: [] };
      r.loss.push(noGrad(() => F.mseLoss(final.y, target).item()) / variance);
      r.dead.push(deadFraction(final.pre));
      r.curves.push(curve);
      results.set(kind, r);
      bar.tick(1, kind);
    }
  }
  bar.finish();
  const get = (k: Kind): { loss: number[]; dead: number[]; curves: number[][] } =>
    results.get(k) ?? { loss: [], dead: [], curves: [] };
  const collapsed = (k: Kind): number => get(k).loss.filter((l) => l > 0.9).length;
  const rows = KINDS.map((k) => [
    k,
    pct(mean(get(k).dead)),
    fmt(mean(get(k).loss)),
    `${collapsed(k)}/${trials}`,
  ]);
  const relu = get('ReLU');
  const leaky = get('LeakyReLU');
  const prelu = get('PReLU');
  const holds =
    mean(relu.dead) > mean(leaky.dead) &&
    mean(relu.loss) > mean(leaky.loss) &&
    mean(relu.loss) > mean(prelu.loss);
  const stepsAxis = Array.from({ length: steps }, (_v, i) => i + 1);
  const meanCurve = (k: Kind): number[] =>
    stepsAxis.map((_s, i) => mean(get(k).curves.map((c) => c[i])));
  return {
    id: 'dying-relu',
    title: 'a) Dying ReLU in a skinny deep network',
    claim:
      'In a skinny network, ReLU units die (negative on every input, so no gradient ever reaches them) and the network stalls; LeakyReLU and PReLU keep learning.',
    holds,
    evidence: `dead/always-negative units: ReLU ${pct(mean(relu.dead))} vs LeakyReLU ${pct(mean(leaky.dead))}, PReLU ${pct(mean(prelu.dead))}; final loss (fraction of target variance): ReLU ${fmt(mean(relu.loss))} vs LeakyReLU ${fmt(mean(leaky.loss))}, PReLU ${fmt(mean(prelu.loss))}`,
    setup: [
      `Regression of y = sin(1.5x) + 0.3x on ${n} points in [−3, 3] with a network ${depth} hidden layers deep and ${width} units wide, trained by Adam (lr 0.01, ${steps} full-batch steps, MSE loss). ${trials} trials; in each, the three networks start from identical weights (PyTorch's default nn.Linear initialisation). LeakyReLU uses negative slope 0.1; PReLU starts at 0.25 and learns one slope per layer.`,
      'A unit counts as dead when its pre-activation is ≤ 0 for every training input at the end of training. For ReLU that means zero output and zero gradient forever; a leaky unit in that state still passes gradient. Loss is the MSE divided by the target variance, so 1 means the network predicts a constant; a trial counts as collapsed above 0.9.',
    ],
    tables: [{ columns: ['activation', 'dead units', 'final loss / var', 'collapsed'], rows }],
    figures: [
      {
        file: 'dying-relu-loss.svg',
        caption: `Training loss (MSE / variance), mean over ${trials} trials.`,
        svg: lineChart(
          {
            title: 'Skinny deep network: training loss',
            xLabel: 'step',
            yLabel: 'MSE / variance',
            logY: true,
          },
          KINDS.map((k) => ({ label: k, xs: stepsAxis, ys: meanCurve(k) })),
        ),
      },
    ],
    metrics: {
      reluDead: mean(relu.dead),
      leakyDead: mean(leaky.dead),
      preluDead: mean(prelu.dead),
      reluLoss: mean(relu.loss),
      leakyLoss: mean(leaky.loss),
      preluLoss: mean(prelu.loss),
    },
  };
};
