/**
 * Derivatives of the elementwise functions evaluated in JavaScript (forwards: src/ops/math.ts),
 * and of `addScaled`, the single-rounding `x + alpha·o` of `add_`/`sub_` (src/ops/inplace.ts).
 */
import { Tensor } from '../../tensor/tensor.js';
import { allocZeroed } from '../../tensor/dtype.js';
import type { Derivatives } from './rule.js';

export interface MathContexts {
  sin: { x: Tensor };
  cos: { x: Tensor };
  round: { x: Tensor };
  addScaled: { other: Tensor; alpha: number };
}

export const MATH: Derivatives<MathContexts> = {
  /** `y = sin x`: `dx = G · cos x` (PyTorch: `grad * self.cos()`). */
  sin: { saves: (c) => [c.x], backward: (g, c) => [g.mul(c.x.cos())] },
  /** `y = cos x`: `dx = G · (−sin x)` (PyTorch: `grad * -self.sin()`). */
  cos: { saves: (c) => [c.x], backward: (g, c) => [g.mul(c.x.sin().neg())] },
  /** `y = x + alpha·o` (PyTorch's `add(x, o, alpha)`): `dx = G`, `do = alpha·G`. */
  addScaled: {
    saves: 'nothing',
    backward: (g, c) => [g, c.other.requiresGrad ? g.mul(c.alpha) : null],
  },
  /** `y = round(x, decimals)`: `dx = 0`, even where G is NaN or ∞ (PyTorch's `zeros_like(grad)`). */
  round: {
    saves: 'nothing',
    backward: (g) => [new Tensor(allocZeroed(g.dtype, g.size), g.shape)],
  },
};
