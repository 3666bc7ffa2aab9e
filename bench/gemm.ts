/**
 * GEMM micro-benchmark (not the benchmark of record): the native addon's
 * float32 GEMM in each instruction set this CPU runs (one thread), the wasm
 * backend's and the JS fallback, on the products of the training workloads,
 * then whole training steps (forward, backward, SGD) of those workloads on
 * native and wasm.
 *
 * `npx tsx bench/gemm.ts [--quick] [--no-js] [--no-steps] [--cpu] [--threads]`. Prints the median
 * time and GFLOP/s (2·m·k·n per product) of each, interleaving the backends
 * rep by rep so that the load of a shared machine hits them alike. `--cpu`
 * times with the process's CPU time (user + system) instead of the wall
 * clock: everything here runs on one thread, and on a machine whose cores
 * are oversubscribed the wall clock mostly measures the waiting.
 * `--threads` compares the native GEMM (this CPU's best instruction set) on
 * one thread and on two instead, in wall time, implying --no-js.
 */
import {
  F,
  nn,
  optim,
  randn,
  setBackend,
  setNumThreads,
  availableBackends,
  wasmReady,
  tensor,
  type BackendName,
  type Tensor,
} from '../src/index.js';
import { activeBackend } from '../src/kernels/backend.js';
import { nativeAddon } from '../src/kernels/native/index.js';
import { matmulTransposed } from '../src/ops/linalg.js';

await wasmReady;
const quick = process.argv.includes('--quick');
const threads = process.argv.includes('--threads');
const withJs = !threads && !process.argv.includes('--no-js');
const withSteps = !process.argv.includes('--no-steps');
const cpu = process.argv.includes('--cpu');
/** Milliseconds, of CPU time with --cpu. */
function now(): number {
  if (!cpu) return performance.now();
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
const REPS = quick ? 5 : 15;
setNumThreads(1);
const have = availableBackends();
const backends = (['native', 'wasm'] as BackendName[]).filter((b) => have.includes(b));

/** [name, m, k, n, transA, transB]: c = op(a)·op(b). */
const SHAPES: [string, number, number, number, boolean, boolean][] = [
  ['784-512 fwd  x·Wᵀ', 128, 784, 512, false, true],
  ['784-512 dx   g·W', 128, 512, 784, false, false],
  ['784-512 dW   gᵀ·x', 512, 128, 784, true, false],
  ['512-512 fwd  x·Wᵀ', 128, 512, 512, false, true],
  ['2-100 fwd    x·Wᵀ', 3000, 2, 100, false, true],
  ['100-3 dx     g·W', 3000, 3, 100, false, false],
  ['100-3 dW     gᵀ·x', 3, 3000, 100, true, false],
  ['head fwd     x·Wᵀ', 256, 64, 50000, false, true],
  ['head dx      g·W', 256, 50000, 64, false, false],
  ['head dW      gᵀ·x', 50000, 256, 64, true, false],
];

const median = (t: number[]): number => [...t].sort((a, b) => a - b)[t.length >> 1];
const fmt = (ms: number, flops: number): string =>
  `${ms.toFixed(2).padStart(8)} ms ${(flops / ms / 1e6).toFixed(1).padStart(6)} GF/s`;

function random(n: number): Float32Array {
  return randn([n]).data as Float32Array;
}

/** A column of the GEMM table: a backend, and for native an instruction set. */
interface Variant {
  label: string;
  backend: BackendName;
  isa?: string;
  threads?: number;
}
const nativeIsas = have.includes('native') && nativeAddon ? nativeAddon.isas() : [];
const defaultIsa = nativeAddon?.isa();
const variants: Variant[] = threads
  ? [1, 2].map((t): Variant => ({ label: `native ${t}t`, backend: 'native', threads: t }))
  : [
      ...nativeIsas.map((isa): Variant => ({ label: `native ${isa}`, backend: 'native', isa })),
      ...(have.includes('wasm') ? [{ label: 'wasm', backend: 'wasm' as BackendName }] : []),
    ];
function use(v: Variant): void {
  setBackend(v.backend);
  if (v.isa) nativeAddon!.useIsa(v.isa);
  setNumThreads(v.threads ?? 1);
}
if (threads && cpu) throw new Error('--threads times in wall time: two threads use twice the CPU');

console.log(
  `GEMM, float32, ${threads ? 'one thread against two' : 'one thread'} (${REPS} reps, median, ${cpu ? 'CPU' : 'wall'} time)`,
);
console.log(
  `${'product'.padEnd(18)} ${'m×k×n'.padEnd(16)} ${variants.map((v) => v.label.padEnd(24)).join(' ')} ${withJs ? 'js'.padEnd(24) : ''} time / ${variants[0]?.label}`,
);
for (const [name, m, k, n, tA, tB] of SHAPES) {
  const a = random(m * k);
  const b = random(k * n);
  const c = new Float32Array(m * n);
  const flops = 2 * m * k * n;
  const times = variants.map((): number[] => []);
  for (let r = 0; r < REPS; r++) {
    variants.forEach((v, i) => {
      use(v);
      const hook = activeBackend().matmul!;
      // setNumThreads starts new workers: let them start (and fault in
      // their packing buffers), then time products back to back, as a
      // training step runs them (the workers spin between them).
      if (threads) hook(m, k, n, a, b, c, tA, tB);
      const calls: number[] = [];
      for (let call = 0; call < (threads ? 50 : 1); call++) {
        const t0 = now();
        if (!hook(m, k, n, a, b, c, tA, tB)) throw new Error(`${v.label} declined ${name}`);
        calls.push(now() - t0);
      }
      times[i].push(median(calls));
    });
  }
  if (defaultIsa) nativeAddon!.useIsa(defaultIsa);
  setNumThreads(1);
  let js = '';
  if (withJs) {
    // The fallback as an op sees it: the transposed copy and the JS loop.
    setBackend('js');
    const at = tensor(a).reshape(tA ? [k, m] : [m, k]);
    const bt = tensor(b).reshape(tB ? [n, k] : [k, n]);
    const t: number[] = [];
    for (let r = 0; r < (flops > 2e8 ? 1 : 3); r++) {
      const t0 = now();
      matmulTransposed(at, bt, tA, tB);
      t.push(now() - t0);
    }
    js = fmt(median(t), flops);
  }
  const med = times.map(median);
  const ratios = med.slice(1).map((t) => (t / med[0]).toFixed(2));
  console.log(
    `${name.padEnd(18)} ${`${m}×${k}×${n}`.padEnd(16)} ${med.map((t) => fmt(t, flops)).join(' ')} ${js} ${ratios.join(' ')}`,
  );
}

/** One training step of a model on a batch: forward, loss, backward, SGD. */
function stepper(sizes: number[], batch: number, classes: number): () => void {
  const layers: (nn.Linear | nn.ReLU)[] = [];
  sizes.slice(1).forEach((out, i) => {
    layers.push(new nn.Linear(sizes[i], out));
    if (i < sizes.length - 2) layers.push(new nn.ReLU());
  });
  const model = new nn.Sequential(...layers);
  const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
  const x = randn([batch, sizes[0]]);
  const y = tensor(
    Int32Array.from({ length: batch }, (_, i) => (i * 7919) % classes),
    { dtype: 'int32' },
  );
  return () => {
    opt.zeroGrad();
    const loss: Tensor = F.crossEntropy(model.forward(x), y);
    loss.backward();
    opt.step();
  };
}

if (withSteps) {
  const WORKLOADS: [string, number[], number][] = [
    ['MLP 2-100-3, 3000 points', [2, 100, 3], 3000],
    ['MLP 784-512-512-10, batch 128', [784, 512, 512, 10], 128],
    ['linear head 64→50,000, batch 256', [64, 50000], 256],
  ];
  console.log(
    `\nTraining steps (forward, cross-entropy, backward, SGD), one thread, median ${cpu ? 'CPU' : 'wall'} ms`,
  );
  console.log(
    `${'workload'.padEnd(34)} ${backends.map((b) => b.padStart(9)).join(' ')} wasm/native`,
  );
  for (const [name, sizes, batch] of WORKLOADS) {
    const steps = new Map<BackendName, () => void>();
    for (const be of backends) {
      setBackend(be);
      steps.set(be, stepper(sizes, batch, sizes[sizes.length - 1]));
    }
    const times = new Map<BackendName, number[]>(backends.map((be) => [be, []]));
    for (let r = 0; r < REPS + 2; r++) {
      for (const be of backends) {
        setBackend(be);
        const t0 = now();
        steps.get(be)!();
        if (r >= 2) times.get(be)!.push(now() - t0);
      }
    }
    const med = backends.map((be) => median(times.get(be)!));
    const ratio = backends.length === 2 ? (med[1] / med[0]).toFixed(2) : '';
    console.log(
      `${name.padEnd(34)} ${med.map((t) => t.toFixed(2).padStart(9)).join(' ')} ${ratio.padStart(11)}`,
    );
  }
}
