/**
 * Does an optimizer's step slow down after another model has trained in the
 * same process? (Not the benchmark of record: a quick check of V8's
 * monomorphism.) Trains a 2-100-3 model on a spiral for a few hundred steps
 * (`--only-mlp` skips this), then times `opt.step()` on a 784-512-512-10 MLP.
 *
 *   npx tsx bench/optim-warmup.ts [adam|adamw|sgd|rmsprop] [--only-mlp] [--f64-first] [--steps=40]
 *
 * Prints the median and minimum of the last three quarters of the steps.
 */
import { F, nn, optim, randn, randint, manualSeed, tensor, type Tensor } from '../src/index.js';

const args = process.argv.slice(2);
const which = args.find((a) => !a.startsWith('--')) ?? 'adam';
const onlyMlp = args.includes('--only-mlp');
const f64First = args.includes('--f64-first');
const stepsArg = args.find((a) => a.startsWith('--steps='));
const STEPS = stepsArg ? Number(stepsArg.slice(8)) : 40;

type Opt = { step(): unknown; zeroGrad(): void };
function makeOpt(params: Tensor[]): Opt {
  switch (which) {
    case 'adamw':
      return new optim.AdamW(params, 1e-3);
    case 'sgd':
      return new optim.SGD(params, 0.01, 0.9);
    case 'rmsprop':
      return new optim.RMSprop(params, 1e-3);
    default:
      return new optim.Adam(params, 1e-3);
  }
}

function spiral(n: number): { x: Tensor; y: Tensor } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < n; i++) {
      const r = i / n;
      const t = (c * 4 + 4 * r) * 1.0 + Math.sin(i * 12.9898) * 0.2;
      xs.push(r * Math.sin(t), r * Math.cos(t));
      ys.push(c);
    }
  }
  return { x: tensor(xs, { shape: [3 * n, 2] }), y: tensor(ys, { dtype: 'int32' }) };
}

manualSeed(0);
if (!onlyMlp) {
  const dtype = f64First ? 'float64' : 'float32';
  const small = new nn.Sequential(
    new nn.Linear(2, 100, { dtype }),
    new nn.ReLU(),
    new nn.Linear(100, 3, { dtype }),
  );
  const { x, y } = spiral(100);
  const xd = x.to(dtype);
  const opt = makeOpt(small.parameters());
  for (let i = 0; i < 300; i++) {
    opt.zeroGrad();
    F.crossEntropy(small.forward(xd), y).backward();
    opt.step();
  }
}

const mlp = new nn.Sequential(
  new nn.Linear(784, 512),
  new nn.ReLU(),
  new nn.Linear(512, 512),
  new nn.ReLU(),
  new nn.Linear(512, 10),
);
const opt = makeOpt(mlp.parameters());
const x = randn([64, 784]);
const y = randint(0, 10, [64]);
const times: number[] = [];
for (let i = 0; i < STEPS; i++) {
  opt.zeroGrad();
  F.crossEntropy(mlp.forward(x), y).backward();
  const t0 = performance.now();
  opt.step();
  times.push(performance.now() - t0);
}
const tail = times.slice(Math.floor(STEPS / 4)).sort((a, b) => a - b);
const n = mlp.parameters().reduce((s, p) => s + p.size, 0);
console.log(
  `${which}${onlyMlp ? ' (MLP only)' : f64First ? ' (after a float64 spiral model)' : ' (after the spiral model)'}: ` +
    `${n} parameters, step median ${tail[tail.length >> 1].toFixed(2)} ms, min ${tail[0].toFixed(2)} ms`,
);
