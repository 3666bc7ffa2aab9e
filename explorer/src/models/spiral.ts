/**
 * The course's spiral data (K arms, points along r ∈ [0, 1] with angle noise), an MLP with a
 * chosen activation trained full-batch by Adam, the decision regions on a grid, and the count of
 * dead units: hidden units whose pre-activation is ≤ 0 on every training input (for ReLU they
 * output 0 and get no gradient, for good).
 */
import { F, Generator, manualSeed, nn, noGrad, optim, tensor, type Tensor } from 'nnkit';

export const SPIRAL_ACTIVATIONS = [
  'ReLU',
  'LeakyReLU',
  'PReLU',
  'GELU',
  'ELU',
  'SiLU',
  'Mish',
  'Tanh',
  'Sigmoid',
] as const;
export type SpiralActivation = (typeof SPIRAL_ACTIVATIONS)[number];

export interface SpiralOptions {
  activation: SpiralActivation;
  hidden: number;
  layers: number;
  lr: number;
  classes: number;
  perClass: number;
  seed: number;
}

export const DEFAULT_SPIRAL: SpiralOptions = {
  activation: 'ReLU',
  hidden: 32,
  layers: 2,
  lr: 0.01,
  classes: 3,
  perClass: 100,
  seed: 1,
};

export const EXTENT = 1.1;

export function spiral(o: SpiralOptions): {
  x: Tensor;
  y: Tensor;
  points: { x1: number; x2: number; cls: number }[];
} {
  const g = new Generator(o.seed);
  const n = o.classes * o.perClass;
  const xs = new Float32Array(2 * n);
  const ys = new Int32Array(n);
  const points: { x1: number; x2: number; cls: number }[] = [];
  for (let k = 0; k < o.classes; k++) {
    for (let i = 0; i < o.perClass; i++) {
      const j = k * o.perClass + i;
      const r = i / (o.perClass - 1);
      const t = ((k * 4 + (4 * i) / (o.perClass - 1)) * 3) / o.classes + 0.2 * g.normal();
      xs[2 * j] = r * Math.sin(t);
      xs[2 * j + 1] = r * Math.cos(t);
      ys[j] = k;
      points.push({ x1: xs[2 * j], x2: xs[2 * j + 1], cls: k });
    }
  }
  return { x: tensor(xs).reshape([n, 2]), y: tensor(ys, { dtype: 'int32' }), points };
}

/** A module with a forward pass from tensor to tensor. */
type Layer = nn.Module & { forward(x: Tensor): Tensor };

function activation(name: SpiralActivation): Layer {
  switch (name) {
    case 'ReLU':
      return new nn.ReLU();
    case 'LeakyReLU':
      return new nn.LeakyReLU({ negativeSlope: 0.1 });
    case 'PReLU':
      return new nn.PReLU();
    case 'GELU':
      return new nn.GELU();
    case 'ELU':
      return new nn.ELU();
    case 'SiLU':
      return new nn.SiLU();
    case 'Mish':
      return new nn.Mish();
    case 'Tanh':
      return new nn.Tanh();
    case 'Sigmoid':
      return new nn.Sigmoid();
  }
}

export class SpiralRun {
  readonly data: ReturnType<typeof spiral>;
  /** Linear, activation, …, Linear: `layers` hidden layers of `hidden` units. */
  readonly net: nn.Sequential;
  private readonly opt: optim.Adam;
  readonly losses: number[] = [];

  constructor(readonly o: SpiralOptions) {
    this.data = spiral(o);
    manualSeed(o.seed);
    const layers: Layer[] = [];
    for (let i = 0; i <= o.layers; i++) {
      layers.push(new nn.Linear(i === 0 ? 2 : o.hidden, i === o.layers ? o.classes : o.hidden));
      if (i < o.layers) layers.push(activation(o.activation));
    }
    this.net = new nn.Sequential(...layers);
    this.opt = new optim.Adam(this.net.parameters(), { lr: o.lr });
  }

  /** The logits, and each hidden layer's pre-activation (recorded by forward pre-hooks on the activations). */
  run(x: Tensor): { logits: Tensor; pre: Tensor[] } {
    const pre: Tensor[] = [];
    const handles = this.net
      .children()
      .filter((m) => !(m instanceof nn.Linear))
      .map((act) => act.registerForwardPreHook((_m, input) => void pre.push(input[0] as Tensor)));
    const logits = this.net.forward(x);
    for (const h of handles) h.remove();
    return { logits, pre };
  }

  step(): number {
    this.opt.zeroGrad();
    const loss = F.crossEntropy(this.net.forward(this.data.x), this.data.y);
    loss.backward();
    this.opt.step();
    const v = loss.item();
    this.losses.push(v);
    return v;
  }

  /** Training accuracy and dead units (pre-activation ≤ 0 on every training input). */
  stats(): { accuracy: number; dead: number; units: number } {
    return noGrad(() => {
      const { logits, pre } = this.run(this.data.x);
      const pred = logits.argmax(1).data;
      let hit = 0;
      this.data.y.data.forEach((c, i) => (hit += pred[i] === c ? 1 : 0));
      let dead = 0;
      let units = 0;
      for (const p of pre) {
        const alive = p.amax(0).data;
        for (const a of alive) {
          units++;
          if (a <= 0) dead++;
        }
      }
      return { accuracy: hit / this.data.y.size, dead, units };
    });
  }

  /** Class probabilities on a g×g grid over [−EXTENT, EXTENT]², row 0 at the top. */
  regions(g: number): { probs: Float32Array | Float64Array; classes: number } {
    const pts = new Float32Array(2 * g * g);
    for (let r = 0; r < g; r++) {
      for (let c = 0; c < g; c++) {
        const i = r * g + c;
        pts[2 * i] = -EXTENT + ((c + 0.5) * 2 * EXTENT) / g;
        pts[2 * i + 1] = EXTENT - ((r + 0.5) * 2 * EXTENT) / g;
      }
    }
    const p = noGrad(() => F.softmax(this.net.forward(tensor(pts).reshape([g * g, 2])), 1));
    return { probs: p.data as Float32Array | Float64Array, classes: this.o.classes };
  }
}
