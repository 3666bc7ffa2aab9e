/**
 * Derivatives of the softmax family (forward: src/functional/softmax.ts,
 * `softmaxFamily`), on the fused backward kernel.
 */
import { Tensor } from '../../tensor/tensor.js';
import { allocUninit } from '../../tensor/dtype.js';
import type { Shape } from '../../tensor/shape.js';
import { dispatch } from '../../kernels/backend.js';
import type { Floats } from '../../kernels/js/types.js';
import type { Derivative, Derivatives } from './rule.js';

/** What softmaxFamily saves: the output, the (outer, size, inner) layout, and the input's scale. */
interface SoftmaxContext {
  /** The output (read by the backward, so version-checked). */
  y: Tensor;
  /** The output's data, as the forward wrote it. */
  out: Floats;
  shape: Shape;
  log: boolean;
  outer: number;
  size: number;
  inner: number;
  /** sign/temperature, the factor the input was multiplied by. */
  scale: number;
}

export interface SoftmaxContexts {
  softmax: SoftmaxContext;
  logSoftmax: SoftmaxContext;
  softmin: SoftmaxContext;
  Softmax2d: SoftmaxContext;
  gumbelSoftmax: SoftmaxContext;
}

/** The names softmaxFamily records under (its public function's name). */
export type SoftmaxName = keyof SoftmaxContexts;

/**
 * `y = softmax(s·x)` along a dim: `dx = s · y ⊙ (G − Σ G⊙y)`; for
 * `y = logSoftmax(s·x)`: `dx = s · (G − exp(y) · Σ G)` (one fused kernel,
 * `softmaxBackward`). An empty input has no row and gets an uninitialised
 * empty gradient.
 */
const softmaxRule: Derivative<SoftmaxContext> = {
  saves: (c) => [c.y],
  backward: (g, c) => {
    const dx = allocUninit(g.dtype, g.size) as Floats;
    const dy = g.data as Floats;
    if (c.out.length !== 0) {
      dispatch('softmaxBackward', c.log, c.outer, c.size, c.inner, dx, dy, c.out, c.scale);
    }
    return [new Tensor(dx, c.shape)];
  },
};

export const SOFTMAX: Derivatives<SoftmaxContexts> = {
  /** `y = softmax(x/T)`: `dx = (1/T) · y ⊙ (G − Σ G⊙y)`. */
  softmax: softmaxRule,
  /** `y = logSoftmax(x/T)`: `dx = (1/T) · (G − exp(y) · Σ G)`. */
  logSoftmax: softmaxRule,
  /** `y = softmax(−x/T)`: `dx = −(1/T) · y ⊙ (G − Σ G⊙y)`. */
  softmin: softmaxRule,
  /** `y = softmax(x)` over the channels: `dx = y ⊙ (G − Σ G⊙y)`. */
  Softmax2d: softmaxRule,
  /** `y = softmax((logits + g)/τ)` (its soft part): `dx = y ⊙ (G − Σ G⊙y)`. */
  gumbelSoftmax: softmaxRule,
};
