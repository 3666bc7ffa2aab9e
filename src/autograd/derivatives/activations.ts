/**
 * Derivatives of the activations that are not one elementwise-table entry
 * (forward: src/functional/activation.ts). The table's entries carry their
 * own derivatives (src/ops/elementwise/table.ts).
 */
import type { Tensor } from '../../tensor/tensor.js';
import type { Derivatives } from './rule.js';

export interface ActivationContexts {
  rrelu: { noise: Tensor };
}

export const ACTIVATIONS: Derivatives<ActivationContexts> = {
  /**
   * In-place RReLU in training, `x ← x·a` with a slope `a` drawn per
   * element (1 where x > 0): `dx = G·a` (PyTorch's `rrelu_with_noise_backward`).
   */
  rrelu: { saves: 'nothing', backward: (g, c) => [g.mul(c.noise)] },
};
