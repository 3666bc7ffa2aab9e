/** Derivative of the Euclidean norm (forward: src/functional/distance.ts, `euclideanNorm`). */
import type { Tensor } from '../../tensor/tensor.js';
import type { Derivatives } from './rule.js';

export interface DistanceContexts {
  norm: {
    x: Tensor;
    dim: number;
    keepdim: boolean;
    /** The norm (raised to `clampMin`), with `dim` kept. */
    normKeep: Tensor;
  };
}

export const DISTANCE: Derivatives<DistanceContexts> = {
  /**
   * `y = max(‖x‖₂, m)` over `dim`: `dx = x · G / y`, and 0 where the norm
   * is 0 (PyTorch's subgradient; composing `sqrt(Σx²)` would give 0/0).
   */
  norm: {
    saves: 'inputs',
    backward: (g, { x, dim, keepdim, normKeep }) => {
      const gk = keepdim ? g : g.unsqueeze(dim);
      const scale = gk.div(normKeep).detach();
      const sc = scale.data;
      const nd = normKeep.data;
      for (let i = 0; i < sc.length; i++) if (nd[i] === 0) sc[i] = 0;
      return [x.detach().mul(scale)];
    },
  },
};
