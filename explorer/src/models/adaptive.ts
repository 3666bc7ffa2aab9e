/**
 * Full softmax (nn.Linear(d, V) + F.crossEntropy) against nn.AdaptiveLogSoftmaxWithLoss on a
 * Zipf-distributed vocabulary of V classes. Inputs are a fixed random embedding per class plus
 * noise. Each call to `step` advances whichever model has used less time so far, so both get the
 * same wall-clock budget and their losses can be compared against time.
 */
import { F, Generator, manualSeed, nn, optim, tensor, type Tensor } from 'nnkit';

export interface AdaptiveOptions {
  vocab: number;
  dim: number;
  batch: number;
  seed: number;
}

export const DEFAULT_ADAPTIVE: AdaptiveOptions = { vocab: 20_000, dim: 32, batch: 32, seed: 1 };

/** Cut-offs at 2% and 20% of the vocabulary (1,000 and 10,000 for 50,000 classes). */
export function cutoffsFor(v: number): number[] {
  return [Math.max(2, Math.round(v / 50)), Math.max(3, Math.round(v / 5))];
}

function zipf(v: number, s: number, g: Generator): () => number {
  const cdf = new Float64Array(v);
  let acc = 0;
  for (let k = 0; k < v; k++) cdf[k] = acc += 1 / (k + 1) ** s;
  return () => {
    const u = g.uniform() * acc;
    let lo = 0;
    let hi = v - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export interface ModelTrace {
  steps: number;
  ms: number[];
  loss: number[];
  /** Cumulative seconds at each step. */
  time: number[];
  params: number;
}

const median = (v: readonly number[]): number => {
  if (!v.length) return NaN;
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export class AdaptiveRace {
  private readonly g: Generator;
  private readonly sample: () => number;
  private readonly emb: Float32Array;
  private readonly full: nn.Linear;
  private readonly fullOpt: optim.Adam;
  private readonly asm: nn.AdaptiveLogSoftmaxWithLoss;
  private readonly asmOpt: optim.Adam;
  readonly traces: { full: ModelTrace; adaptive: ModelTrace };
  readonly cutoffs: number[];

  constructor(readonly o: AdaptiveOptions) {
    manualSeed(o.seed);
    this.g = new Generator(o.seed);
    this.sample = zipf(o.vocab, 1.1, this.g);
    this.emb = Float32Array.from({ length: o.vocab * o.dim }, () => this.g.normal());
    this.cutoffs = cutoffsFor(o.vocab);
    this.full = new nn.Linear(o.dim, o.vocab);
    this.fullOpt = new optim.Adam(this.full.parameters(), { lr: 0.01 });
    this.asm = new nn.AdaptiveLogSoftmaxWithLoss(o.dim, o.vocab, this.cutoffs, { divValue: 4 });
    this.asmOpt = new optim.Adam(this.asm.parameters(), { lr: 0.01 });
    const count = (m: nn.Module): number => m.parameters().reduce((a, p) => a + p.size, 0);
    const trace = (m: nn.Module): ModelTrace => ({
      steps: 0,
      ms: [],
      loss: [],
      time: [],
      params: count(m),
    });
    this.traces = { full: trace(this.full), adaptive: trace(this.asm) };
  }

  private batch(): { x: Tensor; y: Tensor } {
    const { batch, dim } = this.o;
    const y = Int32Array.from({ length: batch }, this.sample);
    const x = new Float32Array(batch * dim);
    y.forEach((c, i) => {
      for (let j = 0; j < dim; j++) x[i * dim + j] = this.emb[c * dim + j] + 0.5 * this.g.normal();
    });
    return { x: tensor(x).reshape([batch, dim]), y: tensor(y, { dtype: 'int32' }) };
  }

  private record(t: ModelTrace, ms: number, loss: number): void {
    t.steps++;
    t.ms.push(ms);
    t.loss.push(loss);
    t.time.push((t.time.length ? t.time[t.time.length - 1] : 0) + ms / 1000);
  }

  /** One step of the model that is behind in time. */
  step(): void {
    const { full, adaptive } = this.traces;
    const tf = full.time.length ? full.time[full.time.length - 1] : 0;
    const ta = adaptive.time.length ? adaptive.time[adaptive.time.length - 1] : 0;
    const b = this.batch();
    const t0 = performance.now();
    if (tf <= ta) {
      this.fullOpt.zeroGrad();
      const loss = F.crossEntropy(this.full.forward(b.x), b.y);
      loss.backward();
      this.fullOpt.step();
      this.record(full, performance.now() - t0, loss.item());
    } else {
      this.asmOpt.zeroGrad();
      const { loss } = this.asm.forward(b.x, b.y);
      loss.backward();
      this.asmOpt.step();
      this.record(adaptive, performance.now() - t0, loss.item());
    }
  }

  /** Median milliseconds per step over the last 20 steps. */
  msPerStep(t: ModelTrace): number {
    return median(t.ms.slice(-20));
  }
}
