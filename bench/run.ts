/**
 * `npm run bench [-- --quick]`: nnkit on every available backend (1 thread
 * and all threads), PyTorch (1 and all threads, through /usr/bin/python3),
 * TensorFlow.js 4.22 (cpu and wasm) and a plain copy of the same bytes, in
 * one run. Prints medians and ratios and writes bench/results/latest.{md,json}.
 * Ends with a memory check: forward+backward steps in a synchronous loop
 * must keep the peak RSS under 1 GB. Then runs the training benchmark
 * (bench/train.ts, `npm run bench:train`, with `--quick` passed on) unless
 * `--skip-train` is given or `--only=` restricts the kernel workloads.
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { buildSync } from 'esbuild';
import {
  F,
  tensor,
  availableBackends,
  setBackend,
  setNumThreads,
  type Tensor,
  type BackendName,
} from '../src/index.js';
import { nativeAddon } from '../src/kernels/native/index.js';
import { curveVariants } from '../src/registry/variants.js';
import { isTensor } from '../src/signature/types.js';
import { snakeCase } from '../src/signature/bind.js';
import { describeTorchEnv, torchEnv } from './torch-env.js';

const HERE = dirname(fileURLToPath(import.meta.url));

// TF.js, bundled once per run (see bench/tfjs-entry.ts).
const TF_BUNDLE = join(HERE, 'results', 'tfjs-bundle.tmp');
mkdirSync(dirname(TF_BUNDLE), { recursive: true });
buildSync({
  entryPoints: [join(HERE, 'tfjs-entry.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: TF_BUNDLE,
  logLevel: 'error',
  // TF.js marks its packages side-effect free, but the backends register themselves on import.
  ignoreAnnotations: true,
});
type TfModule = typeof import('@tensorflow/tfjs-core');
const tfBundle = createRequire(import.meta.url)(TF_BUNDLE) as {
  tf: TfModule;
  setWasmPaths: (prefix: string) => void;
};
const tf = tfBundle.tf;
const setWasmPaths = tfBundle.setWasmPaths;
// eslint-disable-next-line @typescript-eslint/no-namespace -- types for the bundled module
declare namespace tf {
  type Tensor = import('@tensorflow/tfjs-core').Tensor;
  type TensorContainer = import('@tensorflow/tfjs-core').TensorContainer;
}
const quick = process.argv.includes('--quick');
const N = quick ? 1 << 20 : 4 << 20;
const ROWS = quick ? 1024 : 4096;
const COLS = 1000;
const REPS = quick ? 3 : 21;
const SLOW_REPS = quick ? 1 : 3; // the plain JS backend
/** Untimed calls before the timed ones, at most (see `time`); PyTorch's side reads it too. */
const WARMUP = 5;
const ALL = cpus().length;
const THREADS = ALL > 1 ? [1, ALL] : [1];
const MEMORY_STEPS = quick ? 100 : 2000;

type Mode = 'fwd' | 'fwd+bwd';
interface Workload {
  id: string;
  kind: 'act' | 'softmax' | 'loss';
  name: string;
  mode: Mode;
  /** For activations: PyTorch's callable and keyword arguments. */
  torch?: string;
  kwargs?: Record<string, unknown>;
}

// Every one-input activation's representative calls, from the registry (prelu's slope is a
// tensor argument, which the PyTorch side does not build: it is left out).
const VARIANTS = curveVariants().filter((v) => !Object.values(v.args).some((a) => isTensor(a)));
const QUICK_ACTS = ['relu', 'gelu', 'tanh', 'softplus'];
const ACTS = VARIANTS.filter((v) => !quick || QUICK_ACTS.includes(v.label));
// `--only=relu,mseLoss` restricts the run to those functions (for iterating on one kernel).
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const workloads: Workload[] = [];
for (const mode of ['fwd', 'fwd+bwd'] as const) {
  for (const v of ACTS) {
    const kwargs = Object.fromEntries(Object.entries(v.args).map(([k, a]) => [snakeCase(k), a]));
    workloads.push({
      id: `${v.label} ${mode}`,
      kind: 'act',
      name: v.label,
      mode,
      torch: v.entry.torch,
      kwargs,
    });
  }
  for (const name of ['softmax', 'logSoftmax'])
    workloads.push({ id: `${name} ${mode}`, kind: 'softmax', name, mode });
  for (const name of ['crossEntropy', 'mseLoss'])
    workloads.push({ id: `${name} ${mode}`, kind: 'loss', name, mode });
}
if (only) workloads.splice(0, workloads.length, ...workloads.filter((w) => only.includes(w.name)));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}
/**
 * Median of `reps` timed calls after min(WARMUP, reps) untimed ones. One warm-up
 * call was not enough for the forward+backward rows on one thread, the
 * first column of the run: each of their calls leaves two 16 MB arrays for
 * the collector, and until V8 frees them at the rate they come (about 20
 * calls into a fresh process) glibc's heap grows 16 MB at a time, and the
 * call that first writes the new pages takes 10–45 ms instead of 7 (page
 * faults, measured per call). Those calls made up to half of the 21 timed
 * ones and doubled the row's median.
 */
function time(fn: () => void, reps: number): number {
  for (let i = Math.min(WARMUP, reps); i > 0; i--) fn();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

// ---- inputs (same distributions as the PyTorch side) -------------------------
let seed = 1;
const rnd = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const x4m = Float32Array.from({ length: N }, () => (rnd() - 0.5) * 8);
const g4m = Float32Array.from({ length: N }, () => rnd());
const t4m = Float32Array.from({ length: N }, () => rnd());
const logits = Float32Array.from({ length: ROWS * COLS }, () => (rnd() - 0.5) * 6);
const gl = Float32Array.from({ length: ROWS * COLS }, () => rnd());
const labels = Int32Array.from({ length: ROWS }, () => Math.floor(rnd() * COLS));

// ---- nnkit ------------------------------------------------------------------------
type Act = (x: Tensor) => Tensor;
const NN_ACT: Record<string, Act> = Object.fromEntries(VARIANTS.map((v) => [v.label, v.fn]));

function nnkitFn(w: Workload): (() => void) | null {
  const x = tensor(x4m);
  const g = tensor(g4m);
  const lg = tensor(logits, { shape: [ROWS, COLS] });
  const glt = tensor(gl, { shape: [ROWS, COLS] });
  const fb = w.mode === 'fwd+bwd';
  const leaf = (t: Tensor): Tensor => t.detach().requiresGrad_();
  if (w.kind === 'act') {
    const f = NN_ACT[w.name];
    if (!fb) return () => void f(x);
    const xr = leaf(x);
    return () => {
      xr.grad = null;
      f(xr).backward(g);
    };
  }
  if (w.kind === 'softmax') {
    const f = w.name === 'softmax' ? F.softmax : F.logSoftmax;
    if (!fb) return () => void f(lg, 1);
    const lr = leaf(lg);
    return () => {
      lr.grad = null;
      f(lr, 1).backward(glt);
    };
  }
  if (w.name === 'crossEntropy') {
    if (typeof F.crossEntropy !== 'function') return null;
    const target = tensor(labels, { dtype: 'int32' });
    if (!fb) return () => void F.crossEntropy(lg, target);
    const lr = leaf(lg);
    return () => {
      lr.grad = null;
      F.crossEntropy(lr, target).backward();
    };
  }
  if (w.name === 'mseLoss') {
    if (typeof F.mseLoss !== 'function') return null;
    const t = tensor(t4m);
    if (!fb) return () => void F.mseLoss(x, t);
    const xr = leaf(x);
    return () => {
      xr.grad = null;
      F.mseLoss(xr, t).backward();
    };
  }
  return null;
}

// ---- TensorFlow.js -----------------------------------------------------------------
type TfAct = (x: tf.Tensor) => tf.Tensor;
/** Direct TF.js ops; `composite` ones are built from several ops (TF.js has no kernel). */
const TF_ACT: Record<string, { f: TfAct; composite?: boolean }> = {
  relu: { f: (x) => tf.relu(x) },
  leakyRelu: { f: (x) => tf.leakyRelu(x, 0.1) },
  elu: { f: (x) => tf.elu(x) },
  selu: { f: (x) => tf.selu(x) },
  relu6: { f: (x) => tf.relu6(x) },
  sigmoid: { f: (x) => tf.sigmoid(x) },
  tanh: { f: (x) => tf.tanh(x) },
  softplus: { f: (x) => tf.softplus(x) },
  hardtanh: { f: (x) => tf.clipByValue(x, -1, 1) },
  logsigmoid: { f: (x) => tf.logSigmoid(x) },
  gelu: {
    f: (x) => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1)),
    composite: true,
  },
  silu: { f: (x) => tf.mul(x, tf.sigmoid(x)), composite: true },
  mish: { f: (x) => tf.mul(x, tf.tanh(tf.softplus(x))), composite: true },
  softsign: { f: (x) => tf.div(x, tf.add(tf.abs(x), 1)), composite: true },
  tanhshrink: { f: (x) => tf.sub(x, tf.tanh(x)), composite: true },
  hardsigmoid: { f: (x) => tf.clipByValue(tf.add(tf.div(x, 6), 0.5), 0, 1), composite: true },
  hardswish: {
    f: (x) => tf.mul(x, tf.clipByValue(tf.add(tf.div(x, 6), 0.5), 0, 1)),
    composite: true,
  },
};

function tfFn(w: Workload): { fn: () => void; composite: boolean } | null {
  const fb = w.mode === 'fwd+bwd';
  const wrap = (
    f: () => tf.TensorContainer,
    composite = false,
  ): { fn: () => void; composite: boolean } => ({
    fn: () => tf.dispose(tf.tidy(f)),
    composite,
  });
  if (w.kind === 'act') {
    const a = TF_ACT[w.name];
    if (!a) return null;
    const x = tf.tensor1d(x4m);
    const g = tf.tensor1d(g4m);
    const grad = tf.grad(a.f as (x: tf.Tensor) => tf.Tensor);
    return fb ? wrap(() => grad(x, g), a.composite) : wrap(() => a.f(x), a.composite);
  }
  const lg = tf.tensor2d(logits, [ROWS, COLS]);
  if (w.kind === 'softmax') {
    const f = (l: tf.Tensor): tf.Tensor =>
      w.name === 'softmax' ? tf.softmax(l) : tf.logSoftmax(l);
    const g = tf.tensor2d(gl, [ROWS, COLS]);
    const grad = tf.grad(f);
    return fb ? wrap(() => grad(lg, g)) : wrap(() => f(lg));
  }
  if (w.name === 'crossEntropy') {
    const onehot = tf.oneHot(tf.tensor1d(labels, 'int32'), COLS);
    const f = (l: tf.Tensor): tf.Tensor => tf.losses.softmaxCrossEntropy(onehot, l);
    const grad = tf.grad(f);
    return fb ? wrap(() => grad(lg)) : wrap(() => f(lg));
  }
  const x = tf.tensor1d(x4m);
  const t = tf.tensor1d(t4m);
  const f = (a: tf.Tensor): tf.Tensor => tf.losses.meanSquaredError(t, a);
  const grad = tf.grad(f);
  return fb ? wrap(() => grad(x)) : wrap(() => f(x));
}

// ---- PyTorch ------------------------------------------------------------------------
interface TorchOut {
  version?: string;
  error?: string;
  threads?: Record<string, Record<string, number>>;
}
function runTorch(): TorchOut {
  const r = spawnSync('/usr/bin/python3', [join(HERE, 'torch_bench.py')], {
    env: torchEnv(),
    input: JSON.stringify({
      n: N,
      rows: ROWS,
      cols: COLS,
      reps: REPS,
      warmup: WARMUP,
      threads: THREADS,
      workloads,
    }),
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.error || r.status !== 0)
    return { error: `python3 failed: ${r.error?.message ?? r.stderr}` };
  try {
    return JSON.parse(r.stdout) as TorchOut;
  } catch {
    return { error: `python3 printed no JSON: ${r.stderr.slice(0, 300)}` };
  }
}

// ---- main -----------------------------------------------------------------------------
interface Row {
  id: string;
  nnkit: Record<string, number | null>;
  torch: Record<string, number | null>;
  tfjs: Record<string, number | null>;
  tfjsComposite: boolean;
  copy: number;
}

const fmt = (v: number | null | undefined, d = 2): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d);
const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a && b ? a / b : null;
const geomean = (xs: (number | null)[]): number | null => {
  const v = xs.filter((x): x is number => x !== null && x > 0);
  return v.length ? Math.exp(v.reduce((s, x) => s + Math.log(x), 0) / v.length) : null;
};

async function main(): Promise<void> {
  const notes: string[] = [];
  const backends = availableBackends();
  console.log(
    `nnkit bench${quick ? ' (--quick)' : ''}: ${N} elements, ${ROWS}×${COLS} logits, median of ${REPS}; backends ${backends.join(', ')}${nativeAddon ? ` (native ISA ${nativeAddon.isa()})` : ''}; ${ALL} cores`,
  );

  // Plain copies of the same bytes: allocate uninitialised (as nnkit does) and copy.
  const copyOf = (src: Float32Array): number =>
    time(() => {
      const buf = Buffer.allocUnsafeSlow(src.byteLength);
      new Float32Array(buf.buffer, buf.byteOffset, src.length).set(src);
    }, REPS);
  const copy4m = copyOf(x4m);
  const copyLogits = copyOf(logits);

  const rows: Row[] = workloads.map((w) => ({
    id: w.id,
    nnkit: {},
    torch: {},
    tfjs: {},
    tfjsComposite: false,
    copy: w.kind === 'softmax' || w.name === 'crossEntropy' ? copyLogits : copy4m,
  }));

  // nnkit
  const columns: { key: string; backend: BackendName; threads: number }[] = [];
  for (const b of backends) {
    if (b === 'native')
      for (const t of THREADS) columns.push({ key: `native ${t}t`, backend: b, threads: t });
    else columns.push({ key: b, backend: b, threads: 1 });
  }
  for (const col of columns) {
    setBackend(col.backend);
    setNumThreads(col.threads);
    workloads.forEach((w, i) => {
      const fn = nnkitFn(w);
      if (!fn) {
        rows[i].nnkit[col.key] = null;
        return;
      }
      rows[i].nnkit[col.key] = time(fn, col.backend === 'js' ? SLOW_REPS : REPS);
    });
    process.stdout.write(`  nnkit ${col.key} done\n`);
  }
  setNumThreads(1);
  if (workloads.some((w) => nnkitFn(w) === null))
    notes.push('Some nnkit workloads were skipped: F.crossEntropy / F.mseLoss missing.');

  // PyTorch
  const torch = runTorch();
  if (torch.error) {
    notes.push(`PyTorch skipped: ${torch.error}`);
    console.log(`  ${notes[notes.length - 1]}`);
  } else {
    for (const t of THREADS) {
      const res = torch.threads?.[String(t)] ?? {};
      rows.forEach((r) => (r.torch[`${t}t`] = res[r.id] ?? null));
    }
    process.stdout.write(`  PyTorch ${torch.version} done\n`);
  }

  // TensorFlow.js
  setWasmPaths(join(HERE, '..', 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + '/');
  for (const tb of ['cpu', 'wasm']) {
    let ok = false;
    try {
      ok = await tf.setBackend(tb);
      await tf.ready();
    } catch (e) {
      notes.push(`TF.js ${tb} unavailable: ${(e as Error).message}`);
    }
    if (!ok) continue;
    workloads.forEach((w, i) => {
      const t = tfFn(w);
      if (!t) {
        rows[i].tfjs[tb] = null;
        return;
      }
      rows[i].tfjsComposite = t.composite;
      rows[i].tfjs[tb] = time(t.fn, tb === 'cpu' ? SLOW_REPS : REPS);
    });
    process.stdout.write(`  TF.js ${tb} done\n`);
  }

  // Memory check, in a fresh process so that its peak RSS is the loop's own.
  {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(HERE, 'memory.ts'), String(MEMORY_STEPS), String(N)],
      { encoding: 'utf8' },
    );
    try {
      const m = JSON.parse(r.stdout) as {
        steps: number;
        backend: string;
        secs: number;
        beforeMB: number;
        peakMB: number;
      };
      notes.push(
        `Memory check (separate process): ${m.steps} gelu forward+backward steps on ${N} float32 (${m.backend}) in ${m.secs.toFixed(1)} s; peak RSS ${m.peakMB.toFixed(0)} MB (${m.beforeMB.toFixed(0)} MB before the loop) — ${m.peakMB < 1024 ? 'PASS (< 1 GB)' : 'FAIL (≥ 1 GB)'}.`,
      );
    } catch {
      notes.push(`Memory check failed to run: ${r.stderr.slice(0, 300)}`);
    }
  }

  // ---- report -------------------------------------------------------------------------
  const nk = columns.map((c) => c.key);
  const tk = THREADS.map((t) => `${t}t`);
  const header = [
    'workload',
    ...nk.map((k) => `nnkit ${k}`),
    ...tk.map((k) => `torch ${k}`),
    'tfjs cpu',
    'tfjs wasm',
    'copy',
    'native/torch 1t',
    `native/torch ${ALL}t`,
    'native/copy',
    'tfjs-wasm/native',
    'tfjs-wasm/wasm',
  ];
  const table: string[][] = rows.map((r) => [
    r.id + (r.tfjsComposite ? ' †' : ''),
    ...nk.map((k) => fmt(r.nnkit[k])),
    ...tk.map((k) => fmt(r.torch[k])),
    fmt(r.tfjs.cpu),
    fmt(r.tfjs.wasm),
    fmt(r.copy),
    fmt(ratio(r.nnkit['native 1t'], r.torch['1t'])),
    fmt(ratio(r.nnkit[`native ${ALL}t`], r.torch[`${ALL}t`])),
    fmt(ratio(r.nnkit['native 1t'], r.copy)),
    fmt(ratio(r.tfjs.wasm, r.nnkit['native 1t'])),
    fmt(ratio(r.tfjs.wasm, r.nnkit.wasm)),
  ]);
  const summary: string[] = [];
  const nt = rows.map((r) => ratio(r.nnkit['native 1t'], r.torch['1t']));
  summary.push(
    `native 1t / PyTorch 1t: geomean ${fmt(geomean(nt))}, worst ${fmt(Math.max(...nt.filter((x): x is number => x !== null)))}`,
  );
  const ntAll = rows.map((r) => ratio(r.nnkit[`native ${ALL}t`], r.torch[`${ALL}t`]));
  summary.push(`native ${ALL}t / PyTorch ${ALL}t: geomean ${fmt(geomean(ntAll))}`);
  const tw = rows.map((r) => ratio(r.tfjs.wasm, r.nnkit['native 1t']));
  summary.push(
    `TF.js wasm / native 1t: min ${fmt(Math.min(...tw.filter((x): x is number => x !== null)))}, geomean ${fmt(geomean(tw))}`,
  );
  const ww = rows.map((r) => ratio(r.tfjs.wasm, r.nnkit.wasm));
  summary.push(
    `TF.js wasm / nnkit wasm: min ${fmt(Math.min(...ww.filter((x): x is number => x !== null)))}, geomean ${fmt(geomean(ww))}`,
  );
  for (const id of ['relu fwd', 'leakyRelu fwd', 'hardtanh fwd', 'mseLoss fwd']) {
    const r = rows.find((x) => x.id === id);
    if (r) summary.push(`${id}: native 1t / copy ${fmt(ratio(r.nnkit['native 1t'], r.copy))}`);
  }
  if (ALL > 1) {
    for (const id of [
      'gelu fwd',
      'tanh fwd',
      'softplus fwd',
      'crossEntropy fwd',
      'crossEntropy fwd+bwd',
    ]) {
      const r = rows.find((x) => x.id === id);
      if (r)
        summary.push(
          `${id}: native 1t / ${ALL}t speed-up ${fmt(ratio(r.nnkit['native 1t'], r.nnkit[`native ${ALL}t`]))}×`,
        );
    }
  }
  const rss = process.resourceUsage().maxRSS / 1024;
  summary.push(`peak RSS of the whole run: ${rss.toFixed(0)} MB`);

  const md = [
    `# nnkit benchmark${quick ? ' (--quick)' : ''}`,
    '',
    `${new Date().toISOString()} — Node ${process.version}, ${ALL} cores, ${N} float32 elements for elementwise/mseLoss, ${ROWS}×${COLS} for softmax/crossEntropy; median ms of ${REPS} runs (plain JS backend and TF.js cpu: ${SLOW_REPS}). PyTorch ${torch.version ?? 'n/a'}, TF.js ${tf.version_core}. Ratios below 1 mean nnkit is faster. † TF.js has no kernel: composed from its ops.`,
    '',
    describeTorchEnv(),
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...table.map((r) => `| ${r.join(' | ')} |`),
    '',
    '## Summary',
    '',
    ...summary.map((s) => `- ${s}`),
    ...notes.map((s) => `- ${s}`),
    '',
  ].join('\n');
  console.log('\n' + md);
  const outDir = join(HERE, 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'latest.md'), md);
  writeFileSync(
    join(outDir, 'latest.json'),
    JSON.stringify(
      {
        quick,
        n: N,
        rows: ROWS,
        cols: COLS,
        reps: REPS,
        threads: THREADS,
        torch: torch.version ?? null,
        torchEnv: describeTorchEnv(),
        results: rows,
        summary,
        notes,
        peakRssMB: rss,
      },
      null,
      1,
    ),
  );

  // The end-to-end training benchmark, in its own process (its one-process
  // timings must not see what this run did).
  if (!process.argv.includes('--skip-train') && !only) {
    console.log('\nnpm run bench:train' + (quick ? ' -- --quick' : ''));
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(HERE, 'train.ts'), ...(quick ? ['--quick'] : [])],
      { stdio: 'inherit' },
    );
    if (r.status !== 0) process.exitCode = r.status ?? 1;
  }
}

void main();
