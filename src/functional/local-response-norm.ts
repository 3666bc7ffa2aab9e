/**
 * `F.localResponseNorm`, as `torch.nn.functional.local_response_norm`
 * (AlexNet's normalisation across channels). Signature and docs:
 * src/registry/normalization.ts.
 *
 * Numerics follow PyTorch's composition: the squares are averaged over a
 * window of `size` channels that reaches `⌊size/2⌋` back and `⌊(size−1)/2⌋`
 * ahead, with zeros beyond the edges counted in (PyTorch pads, then average
 * pools with stride 1), so every window sum is divided by `size`; then
 * `(k + α·mean)^β` divides the input. The window sums run in channel order,
 * as the pooling kernel adds them; the gradient follows from the same ops.
 */
import type { Tensor } from '../tensor/tensor.js';
import { requireFloating } from '../ops/elementwise/apply.js';
import { boxMean, type AxisBoxes } from './box-pool.js';
import { fail } from './validate.js';

/** The arguments of `F.localResponseNorm`, as bound. */
export interface LocalResponseNormArgs {
  input: Tensor;
  size: number;
  alpha: number;
  beta: number;
  k: number;
}

/** `F.localResponseNorm` on an input `(N, C, *)` with at least one spatial dimension. */
export function localResponseNormImpl(a: LocalResponseNormArgs): Tensor {
  const { input: x, size } = a;
  if (x.ndim < 3) {
    fail(
      'localResponseNorm',
      `input must have 3 or more dimensions (N, C, *), got shape [${x.shape.join(', ')}]`,
    );
  }
  requireFloating(x, 'localResponseNorm');
  if (x.size === 0) return x;
  const [n, c] = x.shape;
  const rest = x.size / (n * c);
  const back = Math.floor(size / 2);
  const ahead = Math.floor((size - 1) / 2);
  const channels: AxisBoxes = {
    lo: Array.from({ length: c }, (_, j) => Math.max(j - back, 0)),
    hi: Array.from({ length: c }, (_, j) => Math.min(j + ahead + 1, c)),
    divisor: new Array<number>(c).fill(size),
  };
  // Every other position is its own box: the sums run over channels only.
  const positions: AxisBoxes = {
    lo: Array.from({ length: rest }, (_, i) => i),
    hi: Array.from({ length: rest }, (_, i) => i + 1),
    divisor: new Array<number>(rest).fill(1),
  };
  const mean = boxMean(x.mul(x).reshape([n, c, rest]), [channels, positions], size);
  return x.div(mean.reshape(x.shape).mul(a.alpha).add(a.k).pow(a.beta));
}
