/**
 * Three 2-D Gaussian classes at frequencies the user sets, and three trainings from the same
 * initial weights: natural-frequency minibatches, the balanced sampler, and the balanced sampler
 * followed by natural-frequency fine-tuning at a lower learning rate (the lecture's recipe).
 * Recall per class is measured on a test set with equal counts; accuracy at the true
 * frequencies is Σ_c freq_c · recall_c.
 */
import { F, Generator, data, manualSeed, nn, noGrad, optim, tensor, type Tensor } from 'nnkit';

export const CENTERS = [
  [0, 0],
  [1.6, 0.4],
  [0.3, 1.7],
] as const;
export const METHODS = ['natural', 'balanced', 'balanced → natural'] as const;
export type Method = (typeof METHODS)[number];

export interface ImbalanceOptions {
  /** Relative class frequencies (normalised here). */
  freqs: readonly number[];
  total: number;
  lr: number;
  samplesPerClass: number;
  /** Step at which the third run switches from balanced to natural sampling. */
  switchStep: number;
  seed: number;
}

export const DEFAULT_IMBALANCE: ImbalanceOptions = {
  freqs: [90, 9, 1],
  total: 2000,
  lr: 0.003,
  samplesPerClass: 10,
  switchStep: 400,
  seed: 1,
};

export interface Sample {
  x: Tensor;
  y: Int32Array;
  points: { x1: number; x2: number; cls: number }[];
}

function sample(gen: Generator, counts: readonly number[]): Sample {
  const n = counts.reduce((a, b) => a + b, 0);
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  const points: Sample['points'] = [];
  let i = 0;
  counts.forEach((cnt, c) => {
    for (let k = 0; k < cnt; k++, i++) {
      x[2 * i] = CENTERS[c][0] + gen.normal();
      x[2 * i + 1] = CENTERS[c][1] + gen.normal();
      y[i] = c;
      points.push({ x1: x[2 * i], x2: x[2 * i + 1], cls: c });
    }
  });
  return { x: tensor(x).reshape([n, 2]), y, points };
}

export function classCounts(o: ImbalanceOptions): number[] {
  const sum = o.freqs.reduce((a, b) => a + b, 0);
  return o.freqs.map((f) => Math.max(1, Math.round((f / sum) * o.total)));
}

const makeModel = (): nn.Sequential =>
  new nn.Sequential(new nn.Linear(2, 32), new nn.LeakyReLU(), new nn.Linear(32, 3));

class Run {
  readonly model = makeModel();
  readonly opt: optim.Adam;
  private it: Iterator<Int32Array> | null = null;
  steps = 0;
  constructor(
    readonly method: Method,
    init: Record<string, Tensor>,
    private readonly o: ImbalanceOptions,
    private readonly labels: Tensor,
    private readonly seed: number,
  ) {
    this.model.loadStateDict(init);
    this.opt = new optim.Adam(this.model.parameters(), { lr: o.lr });
  }
  private balancedPhase(): boolean {
    return (
      this.method === 'balanced' || (this.method !== 'natural' && this.steps < this.o.switchStep)
    );
  }
  private sampler(): Iterable<Int32Array> {
    const generator = new Generator(this.seed + 1000 * this.steps);
    return this.balancedPhase()
      ? new data.BalancedBatchSampler(this.labels, {
          samplesPerClass: this.o.samplesPerClass,
          generator,
        })
      : new data.NaturalBatchSampler(this.labels, {
          batchSize: 3 * this.o.samplesPerClass,
          generator,
        });
  }
  next(): Int32Array {
    if (this.method === 'balanced → natural' && this.steps === this.o.switchStep) {
      this.it = null;
      for (const g of this.opt.paramGroups) g.lr = this.o.lr / 20;
    }
    let r = this.it?.next();
    if (!r || r.done) {
      this.it = this.sampler()[Symbol.iterator]();
      r = this.it.next();
    }
    return r.value as Int32Array;
  }
}

export interface Metrics {
  recall: number[];
  accuracy: number;
}

export class ImbalanceExperiment {
  readonly train: Sample;
  readonly test: Sample;
  readonly counts: number[];
  readonly freqs: number[];
  readonly runs: Run[];
  private readonly labels: Tensor;

  constructor(readonly o: ImbalanceOptions) {
    manualSeed(o.seed);
    const gen = new Generator(o.seed);
    this.counts = classCounts(o);
    const n = this.counts.reduce((a, b) => a + b, 0);
    this.freqs = this.counts.map((c) => c / n);
    this.train = sample(gen, this.counts);
    this.test = sample(gen, [400, 400, 400]);
    this.labels = tensor(this.train.y, { dtype: 'int32' });
    const init = makeModel().stateDict();
    this.runs = METHODS.map((m, k) => new Run(m, init, o, this.labels, o.seed * 31 + k));
  }

  /** One minibatch step of each run. */
  step(): number[] {
    return this.runs.map((r) => {
      const idx = tensor(r.next(), { dtype: 'int32' });
      r.opt.zeroGrad();
      const loss = F.crossEntropy(
        r.model.forward(this.train.x.indexSelect(0, idx)),
        this.labels.indexSelect(0, idx),
      );
      loss.backward();
      r.opt.step();
      r.steps++;
      return loss.item();
    });
  }

  metrics(): Metrics[] {
    return this.runs.map((r) => {
      const pred = noGrad(() => r.model.forward(this.test.x).argmax(1)).data;
      const hit = [0, 0, 0];
      const tot = [0, 0, 0];
      this.test.y.forEach((c, i) => {
        tot[c]++;
        if (pred[i] === c) hit[c]++;
      });
      const recall = hit.map((h, c) => h / tot[c]);
      return { recall, accuracy: recall.reduce((a, v, c) => a + this.freqs[c] * v, 0) };
    });
  }
}
