/** The Markdown report of `npm run bench:train`: timings, ratios, process isolation, loss parity, targets. */
import { PARITY_STEPS, type OptimizerConfig, type WorkloadId } from './config.js';

/** Median and mean ms per step and the losses of one run (nnkit or PyTorch). */
export interface Timing {
  medianMs: number;
  meanMs: number;
  /** Process CPU time per timed step, all threads. */
  cpuMs: number;
  /** nnkit: median ms of the optimizer's `step()` alone (absent for PyTorch). */
  optimizerMs?: number;
  losses: number[];
}

export interface WorkloadResult {
  id: WorkloadId;
  title: string;
  optimizer: OptimizerConfig;
  warmup: number;
  steps: number;
  /**
   * 'native 1t', 'native 2t', 'wasm': all workloads one after another in the bench process;
   * 'wasm relaxed': the same on wasm in a child process with relaxed SIMD turned on.
   */
  nnkit: Record<string, Timing | null>;
  /** nnkit native 1 thread, this workload alone in a fresh process. */
  alone: Timing | null;
  /** '1t', '2t'. */
  torch: Record<string, Timing | null>;
  /** PyTorch float64, 1 thread, same initial weights: the first PARITY_STEPS losses. */
  torch64: number[] | null;
}

export interface BlasInfo {
  kind: string;
  valid: boolean;
  sgemm: string | null;
  config?: string;
  core?: string;
  torchBuild: string | null;
  /** OpenBLAS runs pre-AVX2 kernels on a CPU with AVX2 (it did not recognise the CPU model). */
  weakCore?: boolean;
  error?: string;
}

export interface ReportInput {
  quick: boolean;
  date: string;
  node: string;
  cores: number;
  nativeIsa: string | null;
  /** Whether the bench process's wasm backend has relaxed SIMD (null without wasm). */
  wasmRelaxed: boolean | null;
  torchVersion: string | null;
  torchError: string | null;
  blas: BlasInfo | null;
  /** What the PyTorch process's environment held (bench/torch-env.ts `describeTorchEnv`). */
  torchEnv: string;
  openblasThreads: Record<string, number | null>;
  rows: WorkloadResult[];
  /** Allowed loss difference: max(floor, factor × PyTorch's own float32 error), see bench/train.ts. */
  parity: { floor: number; factor: number };
  /** One process vs alone: more CPU per step than this factor counts as "depends on what ran before". */
  isolationBound: number;
  notes: string[];
  seconds: number;
}

export const fmt = (v: number | null | undefined, d = 2): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d);
export const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a && b ? a / b : null;
const sci = (v: number | null): string => (v === null ? '—' : v === 0 ? '0' : v.toExponential(1));

/** The maximum over the first `n` steps of |a − b| / |b|. */
export function lossDiff(
  a: readonly number[] | null | undefined,
  b: readonly number[] | null | undefined,
  n = PARITY_STEPS,
): number | null {
  if (!a || !b || a.length < n || b.length < n) return null;
  let max = 0;
  for (let k = 0; k < n; k++) max = Math.max(max, Math.abs(a[k] - b[k]) / Math.abs(b[k]));
  return max;
}

const SPEEDUP_IDS: readonly WorkloadId[] = ['b', 'd-full', 'd-adaptive', 'e'];

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

function blasLine(r: ReportInput): string[] {
  const b = r.blas;
  if (!b) return [`PyTorch's BLAS: unknown (${r.torchError ?? 'not reported'}).`];
  const threads = Object.entries(r.openblasThreads)
    .map(([t, n]) => `${n ?? '?'} with torch.set_num_threads(${t})`)
    .join(', ');
  const line = `PyTorch ${r.torchVersion} (build BLAS_INFO=${b.torchBuild ?? '?'}) multiplies with **${b.kind}**: its sgemm_ comes from \`${b.sgemm ?? '?'}\`${b.config ? ` (${b.config}, core ${b.core})` : ''}${b.kind === 'OpenBLAS' ? `; OpenBLAS threads ${threads}` : ''}.`;
  if (b.valid) return [line];
  return [
    line,
    '',
    b.weakCore
      ? `**⚠ COMPARISON WEAK: OpenBLAS runs its ${b.core} kernels (pre-AVX2) on a CPU with AVX2 (it does not know this CPU model, or \`OPENBLAS_CORETYPE\` chose them). Its matrix products are several times slower than they can be, and so is PyTorch's training step. Set \`OPENBLAS_CORETYPE\` (SkylakeX with AVX-512, Haswell with AVX2), as bench/torch-env.ts does unless it is already set.**`
      : b.kind === 'reference'
        ? '**⚠ COMPARISON INVALID: PyTorch is using the netlib reference BLAS, which is many times slower than OpenBLAS. Every ratio against PyTorch below is meaningless. Install OpenBLAS (`apt-get install libopenblas0-pthread`) and select it with `update-alternatives --config libblas.so.3-x86_64-linux-gnu`.**'
        : `**⚠ COMPARISON NOT AS SPECIFIED: PyTorch must multiply with OpenBLAS, but it uses ${b.kind}. The ratios against PyTorch below do not measure what the targets are about.**`,
  ];
}

/** The report's Markdown and its summary lines (also stored in the JSON). */
export function renderReport(r: ReportInput): { md: string; summary: string[] } {
  const rows = r.rows;
  const med = (t: Timing | null | undefined): number | null => t?.medianMs ?? null;
  const relaxed = rows.some((w) => w.nnkit['wasm relaxed']);
  const NN_COLS = ['native 1t', 'native 2t', 'wasm', ...(relaxed ? ['wasm relaxed'] : [])];

  // ---- timings --------------------------------------------------------------------
  const timeHeader = [
    'workload',
    'nnkit native 1t',
    'nnkit native 2t',
    'nnkit wasm',
    ...(relaxed ? ['nnkit wasm, relaxed SIMD'] : []),
    'torch 1t',
    'torch 2t',
    'native/torch 1t',
    'native/torch 2t',
    'native 2t speed-up',
    'wasm/native 1t',
    ...(relaxed ? ['wasm relaxed/native 1t'] : []),
  ];
  const timeRows = rows.map((w) => [
    w.id,
    ...NN_COLS.map((c) => fmt(med(w.nnkit[c]))),
    fmt(med(w.torch['1t'])),
    fmt(med(w.torch['2t'])),
    fmt(ratio(med(w.nnkit['native 1t']), med(w.torch['1t']))),
    fmt(ratio(med(w.nnkit['native 2t']), med(w.torch['2t']))),
    fmt(ratio(med(w.nnkit['native 1t']), med(w.nnkit['native 2t']))) + '×',
    fmt(ratio(med(w.nnkit.wasm), med(w.nnkit['native 1t']))),
    ...(relaxed ? [fmt(ratio(med(w.nnkit['wasm relaxed']), med(w.nnkit['native 1t'])))] : []),
  ]);

  // ---- process isolation --------------------------------------------------------------
  const cpu = (t: Timing | null | undefined): number | null => t?.cpuMs ?? null;
  const optim = (t: Timing | null | undefined): number | null => t?.optimizerMs ?? null;
  const isoHeader = [
    'workload',
    'one process: median ms',
    'alone: median ms',
    'one process / alone (wall)',
    'one process: CPU ms',
    'alone: CPU ms',
    'one process / alone (CPU)',
    'optimizer step: one process / alone (median ms)',
    'one process / alone (optimizer)',
  ];
  const isoRows = rows.map((w) => [
    w.id,
    fmt(med(w.nnkit['native 1t'])),
    fmt(med(w.alone)),
    fmt(ratio(med(w.nnkit['native 1t']), med(w.alone))),
    fmt(cpu(w.nnkit['native 1t'])),
    fmt(cpu(w.alone)),
    fmt(ratio(cpu(w.nnkit['native 1t']), cpu(w.alone))),
    `${fmt(optim(w.nnkit['native 1t']))} / ${fmt(optim(w.alone))}`,
    fmt(ratio(optim(w.nnkit['native 1t']), optim(w.alone))),
  ]);

  // ---- one thread in CPU time --------------------------------------------------------------
  const cpu1Header = [
    'workload',
    'nnkit native 1t: CPU ms',
    'native 1t alone: CPU ms',
    'torch 1t: CPU ms',
    'native/torch 1t (CPU)',
    'native alone/torch 1t (CPU)',
  ];
  const cpu1Rows = rows.map((w) => [
    w.id,
    fmt(cpu(w.nnkit['native 1t'])),
    fmt(cpu(w.alone)),
    fmt(cpu(w.torch['1t'])),
    fmt(ratio(cpu(w.nnkit['native 1t']), cpu(w.torch['1t']))),
    fmt(ratio(cpu(w.alone), cpu(w.torch['1t']))),
  ]);

  // ---- CPU share ---------------------------------------------------------------------
  const share = (t: Timing | null | undefined): string => (t ? fmt(t.cpuMs / t.meanMs) : '—');
  const cpuHeader = [
    'workload',
    ...NN_COLS.map((c) => `nnkit ${c}`),
    'native 1t alone',
    'torch 1t',
    'torch 2t',
  ];
  const cpuRows = rows.map((w) => [
    w.id,
    ...NN_COLS.map((c) => share(w.nnkit[c])),
    share(w.alone),
    share(w.torch['1t']),
    share(w.torch['2t']),
  ]);

  // ---- parity ----------------------------------------------------------------------------
  const t1 = (w: WorkloadResult): number[] | undefined => w.torch['1t']?.losses;
  const ownError = (w: WorkloadResult): number | null => lossDiff(t1(w), w.torch64);
  const boundOf = (w: WorkloadResult): number | null => {
    const e = ownError(w);
    return e === null ? null : Math.max(r.parity.floor, r.parity.factor * e);
  };
  const parityRuns = (w: WorkloadResult): { key: string; d: number | null }[] => [
    ...NN_COLS.map((c) => ({ key: c, d: lossDiff(w.nnkit[c]?.losses, t1(w)) })),
    { key: 'native 1t alone', d: lossDiff(w.alone?.losses, t1(w)) },
  ];
  const parityHeader = [
    'workload',
    'torch 1t loss, step 1',
    `step ${PARITY_STEPS}`,
    'PyTorch float32 vs float64',
    'bound',
    'nnkit native 1t',
    'native 2t',
    'wasm',
    ...(relaxed ? ['wasm relaxed'] : []),
    'native 1t alone',
    'torch 2t',
  ];
  const parityRows = rows.map((w) => {
    const bound = boundOf(w);
    const mark = (d: number | null): string =>
      d === null ? '—' : `${sci(d)}${bound !== null && d > bound ? ' ✗' : ''}`;
    return [
      w.id,
      fmt(t1(w)?.[0], 5),
      fmt(t1(w)?.[PARITY_STEPS - 1], 5),
      sci(ownError(w)),
      sci(bound),
      ...parityRuns(w).map((p) => mark(p.d)),
      sci(lossDiff(w.torch['2t']?.losses, t1(w))),
    ];
  });

  // ---- targets ---------------------------------------------------------------------------
  const summary: string[] = [];
  const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  const check = (
    label: string,
    ids: readonly WorkloadId[],
    value: (w: WorkloadResult) => number | null,
    ok: (v: number) => boolean,
    unit = '',
  ): void => {
    const vals = rows
      .filter((w) => ids.includes(w.id))
      .map((w) => ({ id: w.id, v: value(w) }))
      .filter((x): x is { id: WorkloadId; v: number } => x.v !== null);
    if (vals.length === 0) return;
    const bad = vals.filter((x) => !ok(x.v));
    summary.push(
      `${label}: ${verdict(bad.length === 0)} — ${vals.map((x) => `${x.id} ${fmt(x.v)}${unit}`).join(', ')}`,
    );
  };
  const all = rows.map((w) => w.id);
  check(
    'native 1t ≤ 0.8× PyTorch 1t on every workload',
    all,
    (w) => ratio(med(w.nnkit['native 1t']), med(w.torch['1t'])),
    (v) => v <= 0.8,
  );
  check(
    'native 2t ≤ 0.8× PyTorch 2t on every workload',
    all,
    (w) => ratio(med(w.nnkit['native 2t']), med(w.torch['2t'])),
    (v) => v <= 0.8,
  );
  check(
    'native 2t ≥ 1.5× faster than native 1t on b, d, e',
    SPEEDUP_IDS,
    (w) => ratio(med(w.nnkit['native 1t']), med(w.nnkit['native 2t'])),
    (v) => v >= 1.5,
    '×',
  );
  check(
    'wasm ≤ 2.5× native 1t on every workload',
    all,
    (w) => ratio(med(w.nnkit.wasm), med(w.nnkit['native 1t'])),
    (v) => v <= 2.5,
  );
  if (relaxed) {
    check(
      'wasm with relaxed SIMD (as in Chromium 114+ and Node 22+) ≤ 2.5× native 1t',
      all,
      (w) => ratio(med(w.nnkit['wasm relaxed']), med(w.nnkit['native 1t'])),
      (v) => v <= 2.5,
    );
  }
  check(
    `one process / alone ≤ ${r.isolationBound} in CPU time per step (speed independent of what ran before)`,
    all,
    (w) => ratio(cpu(w.nnkit['native 1t']), cpu(w.alone)),
    (v) => v <= r.isolationBound,
  );
  check(
    `optimizer step one process / alone ≤ ${r.isolationBound} (median ms of step(); the optimizer's speed independent of what ran before)`,
    all,
    (w) => ratio(optim(w.nnkit['native 1t']), optim(w.alone)),
    (v) => v <= r.isolationBound,
  );
  const parity = rows
    .map((w) => ({ w, bound: boundOf(w), runs: parityRuns(w).filter((p) => p.d !== null) }))
    .filter((x) => x.bound !== null && x.runs.length > 0);
  if (parity.length) {
    const bad = parity.flatMap((x) =>
      x.runs.filter((p) => (p.d ?? 0) > (x.bound ?? 0)).map((p) => `${x.w.id} ${p.key}`),
    );
    summary.push(
      `losses of the first ${PARITY_STEPS} steps equal PyTorch 1t's within max(${sci(r.parity.floor)}, ${r.parity.factor} × PyTorch's own float32 error): ${verdict(bad.length === 0)} — ${parity
        .map(
          (x) =>
            `${x.w.id} ${sci(Math.max(...x.runs.map((p) => p.d ?? 0)))} (bound ${sci(x.bound)})`,
        )
        .join(', ')}${bad.length ? `; over the bound: ${bad.join(', ')}` : ''}`,
    );
  }

  const notes = r.notes;

  const stepsLine = rows.map((w) => `${w.id} ${w.warmup}+${w.steps}`).join(', ');
  const md = [
    `# nnkit training benchmark${r.quick ? ' (--quick)' : ''}`,
    '',
    `${r.date} — Node ${r.node}, ${r.cores} cores${r.nativeIsa ? `, native ISA ${r.nativeIsa}` : ''}; float32; median ms per training step (zeroGrad, forward, loss, backward, optimizer step) after a warm-up (warm-up + timed steps: ${stepsLine}). Ratios below 1 mean nnkit is faster. The run took ${r.seconds.toFixed(0)} s.`,
    '',
    ...blasLine(r),
    '',
    r.torchEnv,
    '',
    'Workloads:',
    '',
    ...rows.map((w) => `- **${w.id}**: ${w.title}`),
    '',
    '## Time per step',
    '',
    `nnkit columns: all workloads one after another in this one process, in the order of the table, first native 1 thread, then native 2 threads (\`setNumThreads(2)\`), then wasm (\`setBackend('wasm')\`, one thread; here ${r.wasmRelaxed === true ? 'with relaxed SIMD: fused multiply-adds in the GEMM and the optimizer' : r.wasmRelaxed === false ? 'plain SIMD: the GEMM multiplies then adds' : 'not available'}).${relaxed ? ' "wasm, relaxed SIMD": the wasm runs again, all workloads one after another in a child process started with `--experimental-wasm-relaxed-simd`, whose GEMM and optimizer steps then use fused multiply-adds, as in Chromium 114+ and Node 22+ by default (Node 20 has relaxed SIMD only behind that flag); it runs after the other columns, so it may see another machine load.' : ''} PyTorch: one process, \`torch.set_num_threads(n)\` with OpenBLAS set to the same n threads.`,
    '',
    ...table(timeHeader, timeRows),
    '',
    '## One thread, in CPU time',
    '',
    'The same 1-thread runs measured in process CPU ms per timed step (mean) instead of wall time: a one-thread run that loses its core to another process loses wall time but not CPU time, so on a shared machine these ratios move less than the wall-clock ones above (they still move: a busy sibling hyperthread or a stolen vCPU slows a thread without taking its CPU time).',
    '',
    ...table(cpu1Header, cpu1Rows),
    '',
    '## Does the speed depend on what ran before?',
    '',
    'The native 1-thread runs of the table above (every workload one after another in one process) against the same workload alone in a fresh Node process, spawned right after the in-process run so that both see about the same machine load: median wall-clock ms per step, and process CPU ms per timed step (mean). The target is judged on CPU time. The last two columns time the optimizer’s `step()` alone (median wall-clock ms), the part of which the issue first asked that its speed not depend on what ran before: the rest of a step is the model, autograd and V8’s collections of their garbage.',
    '',
    ...table(isoHeader, isoRows),
    '',
    '## Loss parity with PyTorch',
    '',
    `Every run starts from the same initial weights and data (generated by nnkit with \`manualSeed\`, handed to PyTorch as raw float32/int32). Each cell is the largest relative difference |l − l_torch| / |l_torch| over the first ${PARITY_STEPS} steps, against PyTorch float32 with 1 thread. "PyTorch float32 vs float64" is the same measure between PyTorch's float32 run and its float64 run from the same weights: the float32 error the run itself accumulates (a run that crosses ReLU kinks or Adam's ε amplifies ulp-level differences). Bound: max(${sci(r.parity.floor)}, ${r.parity.factor} × that); ✗ marks a cell over it.`,
    '',
    ...table(parityHeader, parityRows),
    '',
    '## How much CPU the runs got',
    '',
    'Process CPU time over wall time during the timed steps: 1.00 is one full core (2.00 both cores for a 2-thread run). Well below that, other processes on this shared machine took the cores and the timings of that cell are inflated. PyTorch’s 2-thread runs suffer most from a busy machine: its OpenMP and OpenBLAS threads wait for each other at every parallel region, so when another process holds one of the two cores, each region waits for a descheduled thread.',
    '',
    ...table(cpuHeader, cpuRows),
    '',
    '## Targets',
    '',
    ...summary.map((s) => `- ${s}`),
    '',
    ...(notes.length ? ['## Notes', '', ...notes.map((s) => `- ${s}`), ''] : []),
  ].join('\n');
  return { md, summary };
}
