/**
 * `npm run bench:layout`: the ops whose cost is their memory layout, side by
 * side with PyTorch 1.13 (bench/side-by-side.ts: every backend and PyTorch,
 * one thread, median of 21 calls), float32:
 *
 * - broadcast binary ops: a per-channel scale of [64, 256, 64] (N, C, L)
 *   by [1, 256, 1], of an image batch [32, 64, 32, 32] by [1, 64, 1, 1],
 *   a bias row [4096, 1000] + [1000] and a column [4096, 1000] · [4096, 1];
 *   forward alone, and forward + backward for the channel scale (whose
 *   gradients are reduced over the broadcast dimensions);
 * - strided copies: `contiguous()` of a transposed [4096, 1000], of
 *   [256, 512, 16] permuted (1, 0, 2), and of an image batch [32, 64, 32, 32]
 *   permuted to channels-last (0, 2, 3, 1).
 *
 * Prints a Markdown table and writes bench/results/layout-latest.md.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { noGrad, randn, type Tensor } from '../src/index.js';
import { sideBySide, type Row } from './side-by-side.js';

const HERE = dirname(fileURLToPath(import.meta.url));

const t = (shape: number[], requiresGrad = false): Tensor => randn(shape, { requiresGrad });
const chan = { x: t([64, 256, 64], true), w: t([1, 256, 1], true), g: t([64, 256, 64]) };
const image = { x: t([32, 64, 32, 32]), w: t([1, 64, 1, 1]) };
const wide = { x: t([4096, 1000]), row: t([1000]), col: t([4096, 1]) };
const perm3 = t([256, 512, 16]);

const ROWS: Row[] = [
  {
    id: 'mul [64, 256, 64] · [1, 256, 1]',
    nnkit: () => noGrad(() => chan.x.mul(chan.w)),
    torch: 'nograd(lambda: chan.x * chan.w)',
  },
  {
    id: 'mul [64, 256, 64] · [1, 256, 1] fwd+bwd',
    nnkit: () => {
      chan.x.mul(chan.w).backward(chan.g);
      chan.x.grad = chan.w.grad = null;
    },
    torch: 'step()',
  },
  {
    id: 'mul [32, 64, 32, 32] · [1, 64, 1, 1]',
    nnkit: () => image.x.mul(image.w),
    torch: 'image.x * image.w',
  },
  {
    id: 'add [4096, 1000] + [1000]',
    nnkit: () => wide.x.add(wide.row),
    torch: 'wide.x + wide.row',
  },
  {
    id: 'mul [4096, 1000] · [4096, 1]',
    nnkit: () => wide.x.mul(wide.col),
    torch: 'wide.x * wide.col',
  },
  {
    id: 'contiguous of [4096, 1000].t()',
    nnkit: () => wide.x.t().contiguous(),
    torch: 'wide.x.t().contiguous()',
  },
  {
    id: 'contiguous of [256, 512, 16].permute(1, 0, 2)',
    nnkit: () => perm3.permute(1, 0, 2).contiguous(),
    torch: 'perm3.permute(1, 0, 2).contiguous()',
  },
  {
    id: 'contiguous of [32, 64, 32, 32].permute(0, 2, 3, 1)',
    nnkit: () => image.x.permute(0, 2, 3, 1).contiguous(),
    torch: 'image.x.permute(0, 2, 3, 1).contiguous()',
  },
];

const SETUP = `
from types import SimpleNamespace as NS
def t(*s, g=False): return torch.randn(*s, requires_grad=g)
chan = NS(x=t(64, 256, 64, g=True), w=t(1, 256, 1, g=True), g=t(64, 256, 64))
image = NS(x=t(32, 64, 32, 32), w=t(1, 64, 1, 1))
wide = NS(x=t(4096, 1000), row=t(1000), col=t(4096, 1))
perm3 = t(256, 512, 16)
def nograd(f):
    with torch.no_grad(): return f()
def step():
    (chan.x * chan.w).backward(chan.g)
    chan.x.grad = chan.w.grad = None
`;

const md = await sideBySide(ROWS, SETUP, 'float32', 'workload');
process.stdout.write(md);
writeFileSync(join(HERE, 'results', 'layout-latest.md'), md);
