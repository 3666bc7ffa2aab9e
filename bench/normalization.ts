/**
 * `npm run bench:norm`: the normalization functions side by side with
 * PyTorch 1.13 (bench/side-by-side.ts: every backend and PyTorch, one
 * thread, median of 21 calls): layer norm of [4096, 1000] (a transformer's
 * 4096 tokens of width 1000) with weight and bias, batch norm in training
 * of [256, 512, 16] and [4096, 1000], group norm of [64, 256, 64] in 32
 * groups, forward alone and forward + backward, float32. Prints a Markdown
 * table and writes bench/results/norm-latest.md.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { F, noGrad, ones, randn, zeros, type Tensor } from '../src/index.js';
import { sideBySide, type Row } from './side-by-side.js';

const HERE = dirname(fileURLToPath(import.meta.url));

const leaf = (shape: number[]): Tensor => randn(shape, { requiresGrad: true });
const ln = { x: leaf([4096, 1000]), w: leaf([1000]), b: leaf([1000]), g: randn([4096, 1000]) };
const bn3 = { x: leaf([256, 512, 16]), w: leaf([512]), b: leaf([512]), g: randn([256, 512, 16]) };
const bn2 = { x: leaf([4096, 1000]), w: leaf([1000]), b: leaf([1000]), g: randn([4096, 1000]) };
const gn = { x: leaf([64, 256, 64]), w: leaf([256]), b: leaf([256]), g: randn([64, 256, 64]) };
const stats = (c: number) => ({ mean: zeros([c]), var: ones([c]) });
const s3 = stats(512);
const s2 = stats(1000);

/** Forward + backward, the gradients cleared after each call. */
function step(p: { x: Tensor; w: Tensor; b: Tensor; g: Tensor }, f: () => Tensor): () => void {
  return () => {
    f().backward(p.g);
    p.x.grad = p.w.grad = p.b.grad = null;
  };
}

const layerNorm = () => F.layerNorm(ln.x, [1000], ln.w, ln.b);
const batchNorm3 = () => F.batchNorm(bn3.x, s3.mean, s3.var, bn3.w, bn3.b, true);
const batchNorm2 = () => F.batchNorm(bn2.x, s2.mean, s2.var, bn2.w, bn2.b, true);
const groupNorm = () => F.groupNorm(gn.x, 32, gn.w, gn.b);

const ROWS: Row[] = [
  {
    id: 'layerNorm [4096, 1000] fwd',
    nnkit: () => noGrad(layerNorm),
    torch: 'nograd(lambda: F.layer_norm(ln.x, [1000], ln.w, ln.b))',
  },
  {
    id: 'layerNorm [4096, 1000] fwd+bwd',
    nnkit: step(ln, layerNorm),
    torch: 'step(ln, lambda: F.layer_norm(ln.x, [1000], ln.w, ln.b))',
  },
  {
    id: 'batchNorm [256, 512, 16] train fwd',
    nnkit: () => noGrad(batchNorm3),
    torch: 'nograd(lambda: F.batch_norm(bn3.x, s3m, s3v, bn3.w, bn3.b, True))',
  },
  {
    id: 'batchNorm [256, 512, 16] train fwd+bwd',
    nnkit: step(bn3, batchNorm3),
    torch: 'step(bn3, lambda: F.batch_norm(bn3.x, s3m, s3v, bn3.w, bn3.b, True))',
  },
  {
    id: 'batchNorm [4096, 1000] train fwd+bwd',
    nnkit: step(bn2, batchNorm2),
    torch: 'step(bn2, lambda: F.batch_norm(bn2.x, s2m, s2v, bn2.w, bn2.b, True))',
  },
  {
    id: 'groupNorm [64, 256, 64] / 32 fwd+bwd',
    nnkit: step(gn, groupNorm),
    torch: 'step(gn, lambda: F.group_norm(gn.x, 32, gn.w, gn.b))',
  },
];

const SETUP = `
from types import SimpleNamespace as NS
def leaf(*s): return torch.randn(*s, requires_grad=True)
ln = NS(x=leaf(4096, 1000), w=leaf(1000), b=leaf(1000), g=torch.randn(4096, 1000))
bn3 = NS(x=leaf(256, 512, 16), w=leaf(512), b=leaf(512), g=torch.randn(256, 512, 16))
bn2 = NS(x=leaf(4096, 1000), w=leaf(1000), b=leaf(1000), g=torch.randn(4096, 1000))
gn = NS(x=leaf(64, 256, 64), w=leaf(256), b=leaf(256), g=torch.randn(64, 256, 64))
s3m, s3v, s2m, s2v = torch.zeros(512), torch.ones(512), torch.zeros(1000), torch.ones(1000)
def nograd(f):
    with torch.no_grad(): return f()
def step(p, f):
    f().backward(p.g)
    p.x.grad = p.w.grad = p.b.grad = None
`;

const md = await sideBySide(ROWS, SETUP, 'float32 with weight and bias', 'workload');
process.stdout.write(md);
writeFileSync(join(HERE, 'results', 'norm-latest.md'), md);
