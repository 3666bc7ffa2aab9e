/**
 * `npm run bench:conv`: convolutions, pooling and their im2col/col2im side by
 * side with PyTorch 1.13 (bench/side-by-side.ts: every backend and PyTorch,
 * one thread, median of 21 calls), float32, forward alone (no gradient
 * recorded) and forward + backward (the gradients of the input and of the
 * weights, for an upstream gradient of ones):
 *
 * - `Conv2d(16, 32, 3, padding=1)` on [8, 16, 32, 32], a small CNN's layer;
 * - `Conv1d(64, 64, 5, padding=2)` on [16, 64, 256];
 * - `ConvTranspose2d(32, 16, 4, stride=2, padding=1)` on [8, 32, 16, 16], a
 *   decoder's upsampling layer;
 * - `MaxPool2d(2)` and `AvgPool2d(3, stride=2, padding=1)` on [8, 32, 32, 32];
 * - `AdaptiveAvgPool2d((6, 6))` on [8, 256, 13, 13], AlexNet's head (uneven,
 *   overlapping windows), forward + backward;
 * - `F.unfold` of [8, 16, 32, 32] with 3 × 3 windows and padding 1, and
 *   `F.fold` of its columns back.
 *
 * Prints a Markdown table and writes bench/results/conv-latest.md.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { F, manualSeed, nn, noGrad, randn, type Tensor } from '../src/index.js';
import { sideBySide, type Row } from './side-by-side.js';

const HERE = dirname(fileURLToPath(import.meta.url));

manualSeed(0);
const leaf = (shape: number[]): Tensor => randn(shape, { requiresGrad: true });
const conv2 = { m: new nn.Conv2d(16, 32, 3, { padding: 1 }), x: leaf([8, 16, 32, 32]) };
const conv1 = { m: new nn.Conv1d(64, 64, 5, { padding: 2 }), x: leaf([16, 64, 256]) };
const pool = { x: leaf([8, 32, 32, 32]) };
const head = { x: leaf([8, 256, 13, 13]) };
const up = {
  m: new nn.ConvTranspose2d(32, 16, 4, { stride: 2, padding: 1 }),
  x: leaf([8, 32, 16, 16]),
};
const cols = noGrad(() => F.unfold(conv2.x, 3, 1, 1));

/** Forward and backward of `y`'s sum, then the gradients cleared. */
function step(y: Tensor, ...leaves: Tensor[]): void {
  y.sum().backward();
  for (const t of leaves) t.grad = null;
}
const params = (m: nn.Module) => m.parameters();

const ROWS: Row[] = [
  {
    id: 'Conv2d(16, 32, 3, padding=1) [8, 16, 32, 32]',
    nnkit: () => noGrad(() => conv2.m.forward(conv2.x)),
    torch: 'nograd(lambda: conv2.m(conv2.x))',
  },
  {
    id: 'Conv2d forward + backward',
    nnkit: () => step(conv2.m.forward(conv2.x), conv2.x, ...params(conv2.m)),
    torch: 'step(conv2.m(conv2.x), conv2.x, *conv2.m.parameters())',
  },
  {
    id: 'Conv1d(64, 64, 5, padding=2) [16, 64, 256]',
    nnkit: () => noGrad(() => conv1.m.forward(conv1.x)),
    torch: 'nograd(lambda: conv1.m(conv1.x))',
  },
  {
    id: 'Conv1d forward + backward',
    nnkit: () => step(conv1.m.forward(conv1.x), conv1.x, ...params(conv1.m)),
    torch: 'step(conv1.m(conv1.x), conv1.x, *conv1.m.parameters())',
  },
  {
    id: 'ConvTranspose2d(32, 16, 4, stride=2, padding=1) [8, 32, 16, 16]',
    nnkit: () => noGrad(() => up.m.forward(up.x)),
    torch: 'nograd(lambda: up.m(up.x))',
  },
  {
    id: 'ConvTranspose2d forward + backward',
    nnkit: () => step(up.m.forward(up.x), up.x, ...params(up.m)),
    torch: 'step(up.m(up.x), up.x, *up.m.parameters())',
  },
  {
    id: 'MaxPool2d(2) [8, 32, 32, 32]',
    nnkit: () => noGrad(() => F.maxPool2d(pool.x, 2)),
    torch: 'nograd(lambda: F.max_pool2d(pool.x, 2))',
  },
  {
    id: 'MaxPool2d forward + backward',
    nnkit: () => step(F.maxPool2d(pool.x, 2), pool.x),
    torch: 'step(F.max_pool2d(pool.x, 2), pool.x)',
  },
  {
    id: 'AvgPool2d(3, stride=2, padding=1) [8, 32, 32, 32]',
    nnkit: () => noGrad(() => F.avgPool2d(pool.x, 3, 2, 1)),
    torch: 'nograd(lambda: F.avg_pool2d(pool.x, 3, 2, 1))',
  },
  {
    id: 'AvgPool2d forward + backward',
    nnkit: () => step(F.avgPool2d(pool.x, 3, 2, 1), pool.x),
    torch: 'step(F.avg_pool2d(pool.x, 3, 2, 1), pool.x)',
  },
  {
    id: 'AdaptiveAvgPool2d((6, 6)) [8, 256, 13, 13] forward + backward',
    nnkit: () => step(F.adaptiveAvgPool2d(head.x, [6, 6]), head.x),
    torch: 'step(F.adaptive_avg_pool2d(head.x, (6, 6)), head.x)',
  },
  {
    id: 'F.unfold [8, 16, 32, 32], 3 × 3, padding 1',
    nnkit: () => noGrad(() => F.unfold(conv2.x, 3, 1, 1)),
    torch: 'nograd(lambda: F.unfold(conv2.x, 3, 1, 1))',
  },
  {
    id: 'F.fold of its columns',
    nnkit: () => F.fold(cols, [32, 32], 3, 1, 1),
    torch: 'F.fold(cols, (32, 32), 3, 1, 1)',
  },
];

const SETUP = `
from types import SimpleNamespace as NS
import torch.nn as nn
torch.manual_seed(0)
def leaf(*s): return torch.randn(*s, requires_grad=True)
conv2 = NS(m=nn.Conv2d(16, 32, 3, padding=1), x=leaf(8, 16, 32, 32))
conv1 = NS(m=nn.Conv1d(64, 64, 5, padding=2), x=leaf(16, 64, 256))
pool = NS(x=leaf(8, 32, 32, 32))
head = NS(x=leaf(8, 256, 13, 13))
up = NS(m=nn.ConvTranspose2d(32, 16, 4, stride=2, padding=1), x=leaf(8, 32, 16, 16))
cols = F.unfold(conv2.x.detach(), 3, 1, 1)
def nograd(f):
    with torch.no_grad(): return f()
def step(y, *leaves):
    y.sum().backward()
    for t in leaves: t.grad = None
`;

const md = await sideBySide(ROWS, SETUP, 'float32', 'workload');
process.stdout.write(md);
writeFileSync(join(HERE, 'results', 'conv-latest.md'), md);
