/** Softmax at inverse temperature β: the distribution, its entropy, and entropy along a β grid. */
import { F, tensor, type Tensor } from 'nnkit';

/** softmax(β·z) for one row of logits, via nnkit's temperature option (T = 1/β). */
export function distribution(logits: readonly number[], beta: number): number[] {
  return Array.from(F.softmax(tensor([[...logits]]), 1, { temperature: 1 / beta }).data);
}

/** Entropy −Σ p log p of each row of softmax(x), from logSoftmax (no log of a 0). */
function rowEntropies(x: Tensor): number[] {
  const logp = F.logSoftmax(x, 1);
  return Array.from(logp.exp().mul(logp).sum(1).neg().data);
}

/** The entropy of softmax(β·z), in nats. */
export function entropy(logits: readonly number[], beta: number): number {
  return rowEntropies(tensor([[...logits]]).mul(beta))[0];
}

/** Entropy at each β of `betas`, in one batched call: rows β_k·z. */
export function entropyCurve(logits: readonly number[], betas: readonly number[]): number[] {
  const z = tensor([[...logits]]);
  const b = tensor(betas.map((v) => [v]));
  return rowEntropies(b.mul(z));
}

export function logGrid(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_v, i) => lo * (hi / lo) ** (i / (n - 1)));
}
