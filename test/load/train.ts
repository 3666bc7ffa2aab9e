/**
 * A training loop for the memory tests (test/hardening/load.test.ts), run in
 * its own process with `--expose-gc` so that nothing else allocates:
 *
 *   node --expose-gc --import tsx test/load/train.ts --mode small --steps 20000 --backend native
 *   node --expose-gc --import tsx test/load/train.ts --mode big --steps 500
 *
 * `small`: an MLP 8→32→4 with Adam on a batch of 16 (PyTorch's usual
 * synchronous step: zeroGrad, forward, crossEntropy, backward, step).
 * `big`: a 4M-element parameter through elementwise ops and mseLoss, SGD
 * with momentum. After a warm-up it samples, after a full GC, the heap, the
 * array buffers and the RSS; prints one JSON line with the samples.
 * `--leak` keeps a 4 KB copy of every step's output, so that the test can
 * show that its bound catches a leak of that size.
 */
import {
  F,
  manualSeed,
  nn,
  optim,
  randint,
  randn,
  setBackend,
  wasmReady,
} from '../../src/index.js';
import type { BackendName } from '../../src/index.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('train.ts: run with node --expose-gc');

await wasmReady;
setBackend(arg('backend', 'native') as BackendName);
manualSeed(0);
const mode = arg('mode', 'small');
const steps = Number(arg('steps', '20000'));
const warmup = Number(arg('warmup', String(Math.max(1, Math.floor(steps / 10)))));
const samples = Number(arg('samples', '5'));
const leak = process.argv.includes('--leak');
const kept: Float32Array[] = [];

let step: () => number;
if (mode === 'small') {
  const model = new nn.Sequential(new nn.Linear(8, 32), new nn.ReLU(), new nn.Linear(32, 4));
  const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const x = randn([16, 8]);
  const y = randint(0, 4, [16], { dtype: 'int32' });
  step = () => {
    opt.zeroGrad();
    const loss = F.crossEntropy(model.forward(x), y);
    loss.backward();
    opt.step();
    if (leak) kept.push(new Float32Array(1024));
    return loss.item();
  };
} else {
  const n = 4 * 1024 * 1024;
  const p = randn([n]).mul(0.1).requiresGrad_(true);
  const x = randn([n]);
  const target = randn([n]);
  const opt = new optim.SGD([p], { lr: 0.1, momentum: 0.9 });
  step = () => {
    opt.zeroGrad();
    const h = F.tanh(p.mul(x));
    const loss = F.mseLoss(F.silu(h), target);
    loss.backward();
    opt.step();
    if (leak) kept.push(new Float32Array(1024 * 1024));
    return loss.item();
  };
}

interface Sample {
  step: number;
  heapUsed: number;
  arrayBuffers: number;
  rss: number;
}
const out: Sample[] = [];
const measure = (s: number): void => {
  gc();
  gc();
  const m = process.memoryUsage();
  out.push({ step: s, heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers, rss: m.rss });
};
let last = 0;
const t0 = performance.now();
for (let s = 1; s <= steps; s++) {
  last = step();
  // The big loop frees 16 MB tensors, which glibc keeps mapped up to the addon's
  // M_TRIM_THRESHOLD (256 MB) for the next ones: without a collection after each
  // step, RSS records the high-water mark of garbage awaiting V8's collector, which
  // varies with its timing (0–64 MB over 16 steps, measured), not what is retained.
  if (mode === 'big') gc();
  if (s === warmup || (s > warmup && (s - warmup) % Math.ceil((steps - warmup) / samples) === 0))
    measure(s);
  if (s === steps && out[out.length - 1].step !== s) measure(s);
}
const ms = performance.now() - t0;
process.stdout.write(
  `${JSON.stringify({ mode, steps, warmup, ms, loss: last, kept: kept.length, samples: out })}\n`,
);
