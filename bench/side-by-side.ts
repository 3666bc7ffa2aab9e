/**
 * The machinery of the small side-by-side benchmarks (`bench:random`,
 * `bench:norm`): nnkit's calls on every backend against the same calls in
 * PyTorch 1.13 with one thread (through /usr/bin/python3), median ms of 21
 * calls after 5 warm-up ones, in one run, as a Markdown table.
 */
import { spawnSync } from 'node:child_process';
import { availableBackends, setBackend, setNumThreads, wasmReady } from '../src/index.js';
import { torchEnv } from './torch-env.js';

export const REPS = 21;
export const WARMUP = 5;

/** One workload: nnkit's call and PyTorch's, a Python expression over the setup's names. */
export interface Row {
  id: string;
  nnkit: () => unknown;
  torch: string;
}

/** Median ms of REPS calls of `f`, after WARMUP. */
export function median(f: () => unknown): number {
  for (let i = 0; i < WARMUP; i++) f();
  const ts: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    f();
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  return ts[REPS >> 1];
}

/** PyTorch's medians by row id (and its version), or why it did not run. */
function torchTimes(rows: readonly Row[], setup: string): Record<string, number> | string {
  const script = `
import json, time, torch
import torch.nn.functional as F
torch.set_num_threads(1)
${setup}
rows = ${JSON.stringify(Object.fromEntries(rows.map((r) => [r.id, r.torch])))}
out = {}
for k, src in rows.items():
    f = eval('lambda: ' + src)
    for _ in range(${WARMUP}): f()
    ts = []
    for _ in range(${REPS}):
        s = time.perf_counter(); f(); ts.append((time.perf_counter() - s) * 1000)
    ts.sort()
    out[k] = ts[len(ts) // 2]
out['version'] = torch.__version__
print(json.dumps(out))
`;
  const r = spawnSync('/usr/bin/python3', ['-c', script], {
    encoding: 'utf8',
    env: torchEnv(),
  });
  if (r.status !== 0) return `PyTorch not run: ${r.error?.message ?? r.stderr.slice(0, 300)}`;
  return JSON.parse(r.stdout) as Record<string, number>;
}

/**
 * Times `rows` on every backend (one thread) and in PyTorch (`setup`: the
 * Python that defines the names the rows use); returns the Markdown: `what`
 * describes the sizes, `column` names the first column.
 */
export async function sideBySide(
  rows: readonly Row[],
  setup: string,
  what: string,
  column: string,
): Promise<string> {
  await wasmReady;
  setNumThreads(1);
  const backends = availableBackends();
  const ours: Record<string, Record<string, number>> = {};
  for (const b of backends) {
    setBackend(b);
    ours[b] = Object.fromEntries(rows.map((r) => [r.id, median(r.nnkit)]));
  }
  const torch = torchTimes(rows, setup);
  const fmt = (v: number | undefined): string => (v === undefined ? '–' : v.toFixed(2));
  const head = [
    ...backends.map((b) => `nnkit ${b}`),
    'torch 1t',
    ...backends.filter((b) => b !== 'js').map((b) => `${b}/torch`),
  ];
  const lines = [
    `Median ms of ${REPS} calls, ${what}, one thread; ${new Date().toISOString()}.`,
    typeof torch === 'string' ? torch : `PyTorch ${String(torch.version)}.`,
    '',
    `| ${column} | ${head.join(' | ')} |`,
    `| --- | ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => {
      const t = typeof torch === 'string' ? undefined : torch[r.id];
      const cells = [
        ...backends.map((b) => fmt(ours[b][r.id])),
        fmt(t),
        ...backends
          .filter((b) => b !== 'js')
          .map((b) => (t ? (ours[b][r.id] / t).toFixed(2) : '–')),
      ];
      return `| ${r.id} | ${cells.join(' | ')} |`;
    }),
  ];
  return lines.join('\n') + '\n';
}
