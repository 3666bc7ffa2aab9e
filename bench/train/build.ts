/**
 * The nnkit side of a training workload: model, data and one training step
 * (zeroGrad, forward, loss, backward, optimizer step), built from a
 * {@link WorkloadConfig}. bench/torch_train.py builds the same from the same JSON.
 */
import { F, nn, optim, rand, randn, manualSeed, tensor, type Tensor } from '../../src/index.js';
import type { OptimizerConfig, WorkloadConfig } from './config.js';

/** A pool of batches; step k trains on batch k mod pool size. */
export interface Batches {
  x: Tensor[];
  y: Tensor[];
}

export type Model =
  { kind: 'mlp'; net: nn.Sequential } | { kind: 'adaptive'; net: nn.AdaptiveLogSoftmaxWithLoss };

/** What a training step needs of an optimizer. */
interface StepOptimizer {
  zeroGrad(): void;
  step(): unknown;
}

export function makeOptimizer(o: OptimizerConfig, params: Tensor[]): StepOptimizer {
  switch (o.name) {
    case 'SGD':
      return new optim.SGD(params, {
        lr: o.lr,
        momentum: o.momentum ?? 0,
        weightDecay: o.weightDecay,
      });
    case 'Adam':
      return new optim.Adam(params, { lr: o.lr, weightDecay: o.weightDecay });
    case 'AdamW':
      return new optim.AdamW(params, { lr: o.lr, weightDecay: o.weightDecay });
  }
}

/** The model with nnkit's (PyTorch-distributed) initialisation from the current seed. */
export function buildModel(w: WorkloadConfig): Model {
  const m = w.model;
  if (m.kind === 'adaptive') {
    return {
      kind: 'adaptive',
      net: new nn.AdaptiveLogSoftmaxWithLoss(m.inFeatures, m.nClasses, m.cutoffs),
    };
  }
  const layers: nn.TensorModule[] = [];
  for (let i = 0; i + 1 < m.dims.length; i++) {
    if (i > 0) {
      layers.push(
        m.activation === 'ReLU'
          ? new nn.ReLU()
          : m.activation === 'GELU'
            ? new nn.GELU()
            : new nn.LeakyReLU({ negativeSlope: m.negativeSlope ?? 0.01 }),
      );
    }
    layers.push(new nn.Linear(m.dims[i], m.dims[i + 1]));
  }
  return { kind: 'mlp', net: new nn.Sequential(...layers) };
}

/** `n` samples of P(k) ∝ 1/(k+1)^s, k < classes, by inverting the CDF on seeded uniforms. */
function zipf(n: number, classes: number, s: number): Tensor {
  const cdf = new Float64Array(classes);
  let total = 0;
  for (let k = 0; k < classes; k++) cdf[k] = total += (k + 1) ** -s;
  const u = rand([n], { dtype: 'float64' }).data;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const target = u[i] * total;
    let lo = 0;
    let hi = classes - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    out[i] = lo;
  }
  return tensor(out, { dtype: 'int32' });
}

/** The workload's batches, drawn from nnkit's seeded generator (after the model). */
export function makeData(w: WorkloadConfig): Batches {
  const d = w.data;
  switch (d.kind) {
    case 'spiral': {
      const n = d.perClass * d.classes;
      const noise = randn([n], { dtype: 'float64' }).data;
      const x = new Float32Array(2 * n);
      const y = new Int32Array(n);
      for (let c = 0; c < d.classes; c++) {
        for (let i = 0; i < d.perClass; i++) {
          const j = c * d.perClass + i;
          const r = i / (d.perClass - 1);
          const t = c * 4 + (4 * i) / (d.perClass - 1) + d.noise * noise[j];
          x[2 * j] = r * Math.sin(t);
          x[2 * j + 1] = r * Math.cos(t);
          y[j] = c;
        }
      }
      return { x: [tensor(x, { shape: [n, 2] })], y: [tensor(y, { dtype: 'int32' })] };
    }
    case 'regression': {
      const x = new Float32Array(d.n);
      const y = new Float32Array(d.n);
      for (let i = 0; i < d.n; i++) {
        const v = -3 + (6 * i) / (d.n - 1);
        x[i] = v;
        y[i] = Math.sin(1.5 * v) + 0.3 * v;
      }
      return { x: [tensor(x, { shape: [d.n, 1] })], y: [tensor(y, { shape: [d.n, 1] })] };
    }
    case 'classify':
    case 'zipf': {
      const out: Batches = { x: [], y: [] };
      for (let p = 0; p < d.pool; p++) {
        if (d.kind === 'classify') {
          out.x.push(rand([d.batch, d.features]));
          const u = rand([d.batch], { dtype: 'float64' }).data;
          out.y.push(
            tensor(
              Int32Array.from(u, (v) => Math.floor(v * d.classes)),
              { dtype: 'int32' },
            ),
          );
        } else {
          out.x.push(randn([d.batch, d.features]));
          out.y.push(zipf(d.batch, d.classes, d.s));
        }
      }
      return out;
    }
  }
}

/** Seeds, then builds the model and its data: the same initial state every time. */
export function instantiate(w: WorkloadConfig): { model: Model; data: Batches } {
  manualSeed(w.seed);
  const model = buildModel(w);
  const data = makeData(w);
  return { model, data };
}

/** The trainable parameters by PyTorch's state-dict keys. */
export function stateDict(model: Model): Record<string, Tensor> {
  return model.net.stateDict();
}

/** The workload's loss of one batch: the model's forward pass and its loss function. */
export function lossOf(w: WorkloadConfig, model: Model, x: Tensor, y: Tensor): Tensor {
  if (model.kind === 'adaptive') return model.net.forward(x, y).loss;
  const out = model.net.forward(x);
  return w.loss === 'mseLoss' ? F.mseLoss(out, y) : F.crossEntropy(out, y);
}

/**
 * One training step per call: `zeroGrad`, forward, loss, `backward`,
 * optimizer `step`; returns the loss before the update (as PyTorch's loop
 * would print it). Step k uses batch k mod pool size. With `optimizerMs`,
 * each call appends the milliseconds its optimizer `step` took.
 */
export function makeTrainer(
  w: WorkloadConfig,
  model: Model,
  data: Batches,
  optimizerMs?: number[],
): (k: number) => number {
  const opt = makeOptimizer(w.optimizer, model.net.parameters());
  return (k) => {
    const i = k % data.x.length;
    opt.zeroGrad();
    const loss = lossOf(w, model, data.x[i], data.y[i]);
    loss.backward();
    if (optimizerMs) {
      const t0 = performance.now();
      opt.step();
      optimizerMs.push(performance.now() - t0);
    } else opt.step();
    return loss.item();
  };
}
