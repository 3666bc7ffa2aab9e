/**
 * `npm run bench:random`: PyTorch's samplers side by side — nnkit's `rand`,
 * `randn`, `randint`, `randperm`, `exponential_` and dropout on every
 * backend (one thread: the stream is sequential) against PyTorch 1.13 with
 * one thread, same sizes (bench/side-by-side.ts). Both sides allocate the
 * result each call, as users do.
 * Prints a Markdown table and writes bench/results/random-latest.md.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { F, empty, rand, randint, randn, randperm } from '../src/index.js';
import { sideBySide, type Row } from './side-by-side.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const N = 1 << 20;
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

const md = await sideBySide(
  ROWS,
  `N = ${N}\nx = torch.randn(256, 4096)`,
  '2^20 elements (dropout: [256, 4096] float32, p = 0.5; randperm: n = 2^20, int32 here, int64 in PyTorch)',
  'sampler',
);
process.stdout.write(md);
writeFileSync(join(HERE, 'results', 'random-latest.md'), md);
