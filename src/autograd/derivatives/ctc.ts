/**
 * Derivative of the CTC loss (forward: src/functional/loss/ctc.ts), with
 * PyTorch's CPU algorithm: the forward saves the α recursion (log space);
 * the backward runs the β recursion and PyTorch's gradient formula.
 */
import { Tensor } from '../../tensor/tensor.js';
import { allocUninit } from '../../tensor/dtype.js';
import type { Floats } from '../../kernels/js/types.js';
import type { Derivatives } from './rule.js';

const NEG_INF = -Infinity;

/** log(exp(a) + exp(b) + exp(c)) with PyTorch's max handling (a max of −∞ is replaced by 0). */
export function logAdd3(a: number, b: number, c: number): number {
  let m = a;
  if (b > m) m = b;
  if (c > m) m = c;
  if (m === NEG_INF) m = 0;
  return Math.log(Math.exp(a - m) + Math.exp(b - m) + Math.exp(c - m)) + m;
}

export interface CtcContexts {
  ctcLoss: {
    /** The log-probabilities, (T, N, C). */
    logProbs: Tensor;
    /** Their data, as the forward read it. */
    lp: Floats;
    T: number;
    N: number;
    C: number;
    blank: number;
    /** The targets' data and where each batch element's sequence starts in it. */
    targets: ArrayLike<number>;
    offsets: readonly number[];
    inputLengths: readonly number[];
    targetLengths: readonly number[];
    /** Each batch element's α (log space, T × (2·targetLength + 1)), from the forward. */
    alphas: readonly Float64Array[];
    /** Each batch element's negative log-likelihood, from the forward. */
    nll: Float64Array;
    zeroInfinity: boolean;
  };
}

export const CTC: Derivatives<CtcContexts> = {
  /**
   * `ℓ_b = −log p(target_b | x_b)`:
   * `dx[t, b, c] = G_b · (exp(x[t, b, c]) − exp(log Σ_{s: l′_s = c} α_t(s)β_t(s) + ℓ_b − x[t, b, c]))`
   * for t below the input length, 0 beyond it (and everywhere for an
   * infinite loss with `zeroInfinity`); `l′` is the target with blanks
   * interleaved, β the backward recursion (Graves et al., 2006, eq. 16;
   * PyTorch's `ctc_loss_backward_cpu`).
   */
  ctcLoss: {
    saves: 'inputs',
    backward: (g, c) => [ctcBackward(c, g.to(c.logProbs.dtype).data as Floats)],
  },
};

function ctcBackward(c: CtcContexts['ctcLoss'], gradOut: Floats): Tensor {
  const { logProbs: x, lp, T, N, C, blank, targets: tg, offsets, alphas, nll } = c;
  const inLen = c.inputLengths;
  const tgLen = c.targetLengths;
  const at = (t: number, b: number, k: number): number => lp[(t * N + b) * C + k];
  const prime = (b: number, s: number): number =>
    s % 2 === 0 ? blank : tg[offsets[b] + (s - 1) / 2];
  const grad = allocUninit(x.dtype, x.size) as Floats;
  grad.fill(NEG_INF);
  for (let b = 0; b < N; b++) {
    const idx = (t: number, k: number): number => (t * N + b) * C + k;
    if (c.zeroInfinity && nll[b] === Infinity) {
      for (let t = 0; t < T; t++) for (let k = 0; k < C; k++) grad[idx(t, k)] = 0;
      continue;
    }
    const L = 2 * tgLen[b] + 1;
    const alpha = alphas[b];
    const beta = new Float64Array(T * L).fill(NEG_INF);
    // Log-sums of α·β per (t, label), accumulated in float64 and written out at the end.
    const lcab = new Float64Array(T * C).fill(NEG_INF);
    const il = inLen[b];
    const tl = tgLen[b];
    beta[(il - 1) * L + 2 * tl] = at(il - 1, b, blank);
    lcab[(il - 1) * C + blank] = alpha[(il - 1) * L + 2 * tl] + beta[(il - 1) * L + 2 * tl];
    if (tl > 0) {
      const cur = prime(b, 2 * tl - 1);
      beta[(il - 1) * L + 2 * tl - 1] = at(il - 1, b, cur);
      lcab[(il - 1) * C + cur] = alpha[(il - 1) * L + 2 * tl - 1] + beta[(il - 1) * L + 2 * tl - 1];
    }
    for (let t = il - 2; t >= 0; t--) {
      for (let s = 2 * tl; s >= 0; s--) {
        const cur = prime(b, s);
        const lb1 = beta[(t + 1) * L + s];
        const lb2 = s < 2 * tl ? beta[(t + 1) * L + s + 1] : NEG_INF;
        const lb3 = s < 2 * tl - 1 && prime(b, s + 2) !== cur ? beta[(t + 1) * L + s + 2] : NEG_INF;
        beta[t * L + s] = logAdd3(lb1, lb2, lb3) + at(t, b, cur);
        const lab = alpha[t * L + s] + beta[t * L + s];
        const k = t * C + cur;
        if (lcab[k] === NEG_INF) lcab[k] = lab;
        else {
          const m = Math.max(lcab[k], lab);
          lcab[k] = Math.log(Math.exp(lcab[k] - m) + Math.exp(lab - m)) + m;
        }
      }
    }
    const gr = gradOut[b];
    for (let t = 0; t < T; t++) {
      for (let k = 0; k < C; k++) {
        if (t >= il) {
          grad[idx(t, k)] = 0;
          continue;
        }
        const l = at(t, b, k);
        grad[idx(t, k)] = (Math.exp(l) - Math.exp(lcab[t * C + k] + nll[b] - l)) * gr;
      }
    }
  }
  return new Tensor(grad, x.shape);
}
