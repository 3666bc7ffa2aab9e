/**
 * `npm run bench:train [-- --quick] [-- --only=a,b]`: end-to-end training
 * steps (zeroGrad, forward, loss, backward, optimizer step) of the workloads
 * in bench/train/config.ts, through nnkit native with 1 and 2 threads, nnkit
 * wasm, and PyTorch with 1 and 2 threads (bench/torch_train.py through
 * /usr/bin/python3, multiplying with OpenBLAS), in one run.
 *
 * nnkit runs every workload one after another in this process, and each
 * workload again alone in a fresh process (`--child=<id>`, spawned right
 * after the in-process run of the same workload so that both see the same
 * machine load), so that a dependence on what ran before shows. PyTorch starts from the same initial
 * weights and data and the losses of the first steps are compared.
 * Writes bench/results/train-latest.{md,json} (and a timestamped copy for a full run).
 *
 * Where this Node's wasm backend runs without relaxed SIMD (Node 20: it is
 * behind a flag), the wasm workloads run once more in a child process
 * started with `--experimental-wasm-relaxed-simd` (`--child-wasm`): the
 * fused multiply-add GEMM and optimizer steps that Chromium 114+ and Node
 * 22+ run by default.
 *
 * Profile one workload's native 1-thread steps (`--backend=wasm` or `js`
 * profiles that backend's instead):
 *   npx tsx bench/train.ts --child=b --only=b --cpu-prof=/tmp/b.cpuprofile
 *   npx tsx bench/train/profile-summary.ts /tmp/b.cpuprofile
 */
import { spawnSync } from 'node:child_process';
import { Session } from 'node:inspector';
import { cpus } from 'node:os';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableBackends, setBackend, setNumThreads, wasmReady } from '../src/index.js';
import { nativeAddon } from '../src/kernels/native/index.js';
import { wasmRelaxedSimd } from '../src/kernels/wasm/index.js';
import {
  PARITY_STEPS,
  STEPS,
  WORKLOADS,
  type WorkloadConfig,
  type WorkloadId,
} from './train/config.js';
import { runWorkload, type RunResult } from './train/run-workload.js';
import { writeBundle } from './train/bundle.js';
import {
  fmt,
  renderReport,
  type BlasInfo,
  type Timing,
  type WorkloadResult,
} from './train/report.js';
import { describeTorchEnv, torchEnv, weakOpenblasCore } from './torch-env.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const childId = args.find((a) => a.startsWith('--child='))?.slice('--child='.length);
const childWasm = args.includes('--child-wasm');
/** The V8 flag that turns relaxed SIMD on in Node 20 (V8 11.3); V8 11.4+ (Node 21+) has it on. */
const RELAXED_FLAG = '--experimental-wasm-relaxed-simd';

/**
 * Loss parity. Both sides compute in float32 but sum in different orders
 * (GEMM blocking, reductions, threads), so each step's gradients differ by
 * a few ulps, and the training run amplifies that by how sensitive it is:
 * smooth runs keep it near 1e-7, but in b (ReLU, Adam, random labels)
 * PyTorch's own float32 losses move from its float64 ones, or from a run
 * whose initial weights differ by one ulp, by 4e-7 at step 7 and 6e-4 by
 * step 19. So the bound is relative to PyTorch's own float32 error on the
 * same run: the maximum over the first PARITY_STEPS steps of
 * |l − l_torch32| / |l_torch32| must stay within max(PARITY_FLOOR,
 * PARITY_FACTOR × the same maximum of |l_torch32 − l_torch64| / |l_torch64|),
 * PyTorch float64 starting from the same weights. 1e-5 is also the bound of
 * test/train-parity.test.ts, where a 1 % change of the learning rate moves
 * the losses by 1.7e-3.
 */
const PARITY_FLOOR = 1e-5;
const PARITY_FACTOR = 10;
/**
 * "Agree within noise": in one process no more than 25 % more CPU time per
 * step than alone, the two runs taken back to back. CPU time rather than
 * wall time, which the load of the shared VM moves more (CPU time moves
 * too: b's CPU ms per step ranged from 33 to 83 over one afternoon here).
 */
const ISOLATION_BOUND = 1.25;

/** `--quick`: a fifth of the timed steps, but never fewer than the compared ones. */
function stepsOf(id: WorkloadId): { warmup: number; steps: number } {
  const s = STEPS[id];
  if (!quick) return s;
  return {
    warmup: s.warmup,
    steps: Math.max(PARITY_STEPS - s.warmup, 10, Math.floor(s.steps / 5)),
  };
}

const workloads: WorkloadConfig[] = WORKLOADS.filter((w) => !only || only.includes(w.id));
if (only && workloads.length === 0) {
  console.error(
    `bench:train: --only=${only.join(',')} matches no workload (ids: ${WORKLOADS.map((w) => w.id).join(', ')})`,
  );
  process.exit(1);
}

const toTiming = (r: RunResult): Timing => ({
  medianMs: r.medianMs,
  meanMs: r.meanMs,
  cpuMs: r.cpuMs,
  optimizerMs: r.optimizerMs,
  losses: r.losses,
});

/**
 * `--child=<id>`: one workload, native (or `--backend=`), one thread, in this fresh process;
 * JSON on stdout. With `--cpu-prof=<file>`, the timed steps (not the
 * warm-up, not the set-up) are profiled into a V8 .cpuprofile
 * (summarise it with bench/train/profile-summary.ts).
 */
function child(id: string): void {
  const w = workloads.find((x) => x.id === id);
  if (!w) throw new Error(`bench:train: unknown workload ${id}`);
  const backend = args.find((a) => a.startsWith('--backend='))?.slice('--backend='.length);
  setBackend((backend ?? 'native') as 'native' | 'wasm' | 'js');
  setNumThreads(1);
  const { warmup, steps } = stepsOf(w.id);
  const profFile = args.find((a) => a.startsWith('--cpu-prof='))?.slice('--cpu-prof='.length);
  const session = profFile ? new Session() : null;
  // An in-thread inspector session answers synchronously.
  const post = (method: string): void =>
    session?.post(method, (err, res) => {
      if (err) throw err;
      if (method === 'Profiler.stop' && profFile)
        writeFileSync(profFile, JSON.stringify((res as { profile: unknown }).profile));
    });
  session?.connect();
  const r = runWorkload(w, warmup, steps, {
    beforeTimed: () => {
      post('Profiler.enable');
      post('Profiler.start');
    },
    afterTimed: () => post('Profiler.stop'),
  });
  session?.disconnect();
  process.stdout.write(JSON.stringify(toTiming(r)));
}

/**
 * `--child-wasm`: every selected workload, one after another, on the wasm
 * backend in this fresh process (started with RELAXED_FLAG); JSON on stdout,
 * with whether this process got relaxed SIMD.
 */
async function childWasmRun(): Promise<void> {
  await wasmReady;
  setBackend('wasm');
  const timings: Record<string, Timing> = {};
  for (const w of workloads) {
    const { warmup, steps } = stepsOf(w.id);
    timings[w.id] = toTiming(runWorkload(w, warmup, steps));
  }
  process.stdout.write(JSON.stringify({ relaxed: wasmRelaxedSimd(), timings }));
}

/** The wasm workloads with relaxed SIMD, in a child process, or why not. */
function runWasmRelaxed(): Record<string, Timing> | { error: string } {
  const r = spawnSync(
    process.execPath,
    [
      ...nodeFlags,
      RELAXED_FLAG,
      '--import',
      'tsx',
      join(HERE, 'train.ts'),
      '--child-wasm',
      ...(only ? [`--only=${only.join(',')}`] : []),
      ...(quick ? ['--quick'] : []),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  try {
    const out = JSON.parse(r.stdout) as {
      relaxed: boolean | null;
      timings: Record<string, Timing>;
    };
    if (out.relaxed !== true) return { error: `no relaxed SIMD in the child (${out.relaxed})` };
    return out.timings;
  } catch {
    return { error: `${(r.stderr || r.stdout).slice(0, 300)}` };
  }
}

interface TorchOut {
  version?: string;
  error?: string;
  blas?: BlasInfo;
  openblasThreads?: Record<string, number | null>;
  threads?: Record<string, Record<string, Timing>>;
  /** Losses of the first PARITY_STEPS steps in float64, one thread. */
  float64?: Record<string, number[]>;
}

function runTorch(dir: string): TorchOut {
  const manifest = writeBundle(
    dir,
    workloads.map((config) => ({ config, ...stepsOf(config.id) })),
    [1, 2],
    PARITY_STEPS,
  );
  const r = spawnSync('/usr/bin/python3', [join(HERE, 'torch_train.py')], {
    env: torchEnv(),
    input: JSON.stringify(manifest),
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  if (r.error || r.status !== 0)
    return { error: `python3 failed (${r.error?.message ?? `exit ${r.status}`})` };
  try {
    return JSON.parse(r.stdout) as TorchOut;
  } catch {
    return { error: `python3 printed no JSON: ${r.stdout.slice(0, 300)}` };
  }
}

/**
 * The V8 flags this process was started with (`node --initial-old-space-size=64 --import tsx
 * bench/train.ts`, say: heap settings cannot go through NODE_OPTIONS): the alone runs get them
 * too, so that both columns see the same heap, and the report names them.
 */
const nodeFlags = process.execArgv.filter(
  (a) => a.startsWith('--') && !/^--(import|require|loader|experimental-loader)\b/.test(a),
);

function runAlone(w: WorkloadConfig): Timing | { error: string } {
  const r = spawnSync(
    process.execPath,
    [
      ...nodeFlags,
      '--import',
      'tsx',
      join(HERE, 'train.ts'),
      `--child=${w.id}`,
      `--only=${w.id}`,
      ...(quick ? ['--quick'] : []),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  try {
    return JSON.parse(r.stdout) as Timing;
  } catch {
    return { error: `child process for ${w.id} failed: ${(r.stderr || r.stdout).slice(0, 300)}` };
  }
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const notes: string[] = [];
  await wasmReady;
  const backends = availableBackends();
  console.log(
    `nnkit bench:train${quick ? ' (--quick)' : ''}: workloads ${workloads.map((w) => w.id).join(', ')}; backends ${backends.join(', ')}${nativeAddon ? ` (native ISA ${nativeAddon.isa()})` : ''}; ${cpus().length} cores`,
  );
  const rows: WorkloadResult[] = workloads.map((w) => ({
    id: w.id,
    title: w.title,
    optimizer: w.optimizer,
    ...stepsOf(w.id),
    nnkit: {},
    alone: null,
    torch: {},
    torch64: null,
  }));

  // nnkit, every workload one after another in this process.
  const columns = [
    { key: 'native 1t', backend: 'native', threads: 1 },
    { key: 'native 2t', backend: 'native', threads: 2 },
    { key: 'wasm', backend: 'wasm', threads: 1 },
  ] as const;
  for (const col of columns) {
    if (!backends.includes(col.backend)) {
      notes.push(`nnkit ${col.key}: the ${col.backend} backend is not available here.`);
      rows.forEach((r) => (r.nnkit[col.key] = null));
      continue;
    }
    setBackend(col.backend);
    setNumThreads(col.threads);
    workloads.forEach((w, i) => {
      const { warmup, steps } = stepsOf(w.id);
      const r = runWorkload(w, warmup, steps);
      rows[i].nnkit[col.key] = toTiming(r);
      console.log(`  nnkit ${col.key} ${w.id}: ${r.medianMs.toFixed(2)} ms/step`);
      // The same workload alone in a fresh process, right away, so that both
      // runs see the same load on a shared machine (this process waits idle).
      if (col.key === 'native 1t') {
        const a = runAlone(w);
        if ('error' in a) notes.push(a.error);
        else {
          rows[i].alone = a;
          console.log(`  nnkit native 1t ${w.id} alone: ${a.medianMs.toFixed(2)} ms/step`);
        }
      }
    });
  }
  setBackend(backends.includes('native') ? 'native' : backends[0]);
  setNumThreads(1);

  // The wasm backend with relaxed SIMD (the browsers' path), where this Node has it only behind
  // the flag.
  const relaxedHere = wasmRelaxedSimd();
  if (relaxedHere === false) {
    const relaxed = runWasmRelaxed();
    if ('error' in relaxed) {
      notes.push(`nnkit wasm relaxed: not run (${relaxed.error}).`);
    } else {
      rows.forEach((r) => (r.nnkit['wasm relaxed'] = relaxed[r.id] ?? null));
      for (const w of workloads)
        console.log(`  nnkit wasm relaxed ${w.id}: ${fmt(relaxed[w.id]?.medianMs)} ms/step`);
    }
  }

  // PyTorch, from the same initial weights and data.
  const dir = mkdtempSync(join(tmpdir(), 'nnkit-bench-train-'));
  let torch: TorchOut;
  try {
    torch = runTorch(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (torch.error) {
    notes.push(`PyTorch skipped: ${torch.error}`);
    console.log(`  ${notes[notes.length - 1]}`);
  } else {
    for (const t of ['1', '2']) {
      rows.forEach((r) => (r.torch[`${t}t`] = torch.threads?.[t]?.[r.id] ?? null));
    }
    rows.forEach((r) => (r.torch64 = torch.float64?.[r.id] ?? null));
  }

  // The Python side says which library and core; whether that core is too old is judged here.
  if (torch.blas?.core && weakOpenblasCore(torch.blas.core))
    torch.blas = { ...torch.blas, weakCore: true, valid: false };

  const seconds = (performance.now() - t0) / 1000;
  const date = new Date();
  const { md, summary } = renderReport({
    quick,
    date: date.toISOString(),
    node: [process.version, ...nodeFlags].join(' '),
    cores: cpus().length,
    nativeIsa: nativeAddon ? nativeAddon.isa() : null,
    wasmRelaxed: relaxedHere,
    torchVersion: torch.version ?? null,
    torchError: torch.error ?? null,
    blas: torch.blas ?? null,
    torchEnv: describeTorchEnv(),
    openblasThreads: torch.openblasThreads ?? {},
    rows,
    parity: { floor: PARITY_FLOOR, factor: PARITY_FACTOR },
    isolationBound: ISOLATION_BOUND,
    notes,
    seconds,
  });
  console.log('\n' + md);

  const json = JSON.stringify(
    {
      quick,
      only: only ?? null,
      date: date.toISOString(),
      node: process.version,
      nodeFlags,
      wasmRelaxed: relaxedHere,
      cores: cpus().length,
      torch: torch.version ?? null,
      blas: torch.blas ?? null,
      torchEnv: describeTorchEnv(),
      openblasThreads: torch.openblasThreads ?? null,
      parity: { steps: PARITY_STEPS, floor: PARITY_FLOOR, factor: PARITY_FACTOR },
      isolationBound: ISOLATION_BOUND,
      // Per-step losses are kept for the compared steps and the last step only.
      results: rows.map((r) => ({
        ...r,
        nnkit: Object.fromEntries(Object.entries(r.nnkit).map(([k, v]) => [k, trim(v)])),
        alone: trim(r.alone),
        torch: Object.fromEntries(Object.entries(r.torch).map(([k, v]) => [k, trim(v)])),
      })),
      summary,
      notes,
      seconds,
    },
    null,
    1,
  );
  const outDir = join(HERE, 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'train-latest.md'), md);
  writeFileSync(join(outDir, 'train-latest.json'), json);
  if (!quick && !only) {
    const stamp = date.toISOString().slice(0, 16).replace(':', '');
    writeFileSync(join(outDir, `train-${stamp}.md`), md);
    writeFileSync(join(outDir, `train-${stamp}.json`), json);
  }
}

function trim(
  t: Timing | null,
): (Omit<Timing, 'losses'> & { losses: number[]; lastLoss: number }) | null {
  if (!t) return null;
  return {
    medianMs: t.medianMs,
    meanMs: t.meanMs,
    cpuMs: t.cpuMs,
    optimizerMs: t.optimizerMs,
    losses: t.losses.slice(0, PARITY_STEPS),
    lastLoss: t.losses[t.losses.length - 1],
  };
}

if (childId) child(childId);
else if (childWasm) void childWasmRun();
else void main();
