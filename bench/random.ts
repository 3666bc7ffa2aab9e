/**
 * `npm run bench:random`: PyTorch's samplers side by side — nnkit's `rand`,
 * `randn`, `randint`, `randperm`, `exponential_` and dropout on every
 * backend (one thread: the stream is sequential) against PyTorch 1.13 with one thread (through
 * /usr/bin/python3), same sizes, median ms of 21 calls after 5 warm-up ones,
 * in one run. Both sides allocate the result each call, as users do.
 * Prints a Markdown table and writes bench/results/random-latest.md.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  F,
  availableBackends,
  empty,
  rand,
  randint,
  randn,
  randperm,
  setBackend,
  wasmReady,
  type Tensor,
} from '../src/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPS = 21;
const WARMUP = 5;
const N = 1 << 20;

interface Row {
  id: string;
  nnkit: () => Tensor;
  torch: string;
}
const x = randn([256, 4096]);
const ROWS: Row[] = [
  { id: 'rand float32', nnkit: () => rand([N]), torch: 'torch.rand(N)' },
  {
    id: 'rand float64',
    nnkit: () => rand([N], { dtype: 'float64' }),
    torch: 'torch.rand(N, dtype=torch.float64)',
  },
  { id: 'randn float32', nnkit: () => randn([N]), torch: 'torch.randn(N)' },
  {
    id: 'randn float64',
    nnkit: () => randn([N], { dtype: 'float64' }),
    torch: 'torch.randn(N, dtype=torch.float64)',
  },
  {
    id: 'randint [0, 1000)',
    nnkit: () => randint(0, 1000, [N]),
    torch: 'torch.randint(0, 1000, (N,), dtype=torch.int32)',
  },
  { id: 'randperm', nnkit: () => randperm(N), torch: 'torch.randperm(N)' },
  {
    id: 'exponential_ float32',
    nnkit: () => empty([N]).exponential_(),
    torch: 'torch.empty(N).exponential_()',
  },
  {
    id: 'dropout [256, 4096]',
    nnkit: () => F.dropout(x, 0.5, true),
    torch: 'F.dropout(x, 0.5, True)',
  },
];

function median(f: () => unknown): number {
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

function torchTimes(): Record<string, number> | string {
  const script = `
import json, time, torch
import torch.nn.functional as F
torch.set_num_threads(1)
N = ${N}
x = torch.randn(256, 4096)
rows = ${JSON.stringify(Object.fromEntries(ROWS.map((r) => [r.id, r.torch])))}
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
  const r = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' });
  if (r.status !== 0) return `PyTorch not run: ${r.error?.message ?? r.stderr.slice(0, 300)}`;
  return JSON.parse(r.stdout) as Record<string, number>;
}

await wasmReady;
const backends = availableBackends();
const ours: Record<string, Record<string, number>> = {};
for (const b of backends) {
  setBackend(b);
  ours[b] = Object.fromEntries(ROWS.map((r) => [r.id, median(r.nnkit)]));
}
const torch = torchTimes();
const fmt = (v: number | undefined): string => (v === undefined ? '–' : v.toFixed(2));
const head = [
  ...backends.map((b) => `nnkit ${b}`),
  'torch 1t',
  ...backends.filter((b) => b !== 'js').map((b) => `${b}/torch`),
];
const lines = [
  `Median ms of ${REPS} calls, 2^20 elements (dropout: [256, 4096] float32, p = 0.5; randperm: n = 2^20, int32 here, int64 in PyTorch), one thread; ${new Date().toISOString()}.`,
  typeof torch === 'string' ? torch : `PyTorch ${String(torch.version)}.`,
  '',
  `| sampler | ${head.join(' | ')} |`,
  `| --- | ${head.map(() => '---').join(' | ')} |`,
  ...ROWS.map((r) => {
    const t = typeof torch === 'string' ? undefined : torch[r.id];
    const cells = [
      ...backends.map((b) => fmt(ours[b][r.id])),
      fmt(t),
      ...backends.filter((b) => b !== 'js').map((b) => (t ? (ours[b][r.id] / t).toFixed(2) : '–')),
    ];
    return `| ${r.id} | ${cells.join(' | ')} |`;
  }),
];
const md = lines.join('\n') + '\n';
process.stdout.write(md);
writeFileSync(join(HERE, 'results', 'random-latest.md'), md);
