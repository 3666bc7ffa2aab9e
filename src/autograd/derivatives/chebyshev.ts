/**
 * Derivative of the Chebyshev activation (forward: src/nn/chebyshev.ts,
 * `chebyshevExpansion`).
 */
import { Tensor } from '../../tensor/tensor.js';
import { allocUninit } from '../../tensor/dtype.js';
import type { TypedArray } from '../../tensor/dtype.js';
import type { Derivatives } from './rule.js';

export interface ChebyshevContexts {
  ChebyshevActivation: {
    input: Tensor;
    /** The coefficients, (C, K + 1). */
    weight: Tensor;
    /** The input's and the weight's data, as the forward read them. */
    xd: TypedArray;
    wd: TypedArray;
    /** `u = x·scale − shift` maps [a, b] onto [−1, 1]. */
    scale: number;
    shift: number;
    /** Elements per channel along the channel dimension (channel of i: ⌊i/inner⌋ mod C). */
    inner: number;
  };
}

export const CHEBYSHEV: Derivatives<ChebyshevContexts> = {
  /**
   * `y = Σ_k w[ch, k]·T_k(u)`, `u = clamp(x·scale − shift, −1, 1)`:
   * `dw[ch, k] = Σ_{i ∈ ch} G_i·T_k(u_i)` and
   * `dx = G · Σ_k k·w[ch, k]·U_{k−1}(u) · scale` inside [a, b], 0 where
   * clamped (T_k′ = k·U_{k−1}, U the Chebyshev polynomials of the second kind).
   */
  ChebyshevActivation: {
    saves: 'inputs',
    backward: (g, c) => {
      const { input, weight: w, xd, wd, scale, shift, inner } = c;
      const C = w.shape[0];
      const K = w.shape[1] - 1;
      const k1 = K + 1;
      const n = input.size;
      const channelOf = (i: number): number => (C === 1 ? 0 : Math.floor(i / inner) % C);
      const T = new Float64Array(k1);
      const gd = g.data;
      const gx = allocUninit(input.dtype, n);
      const gw = new Float64Array(C * k1);
      for (let i = 0; i < n; i++) {
        const x = xd[i];
        const z = x * scale - shift;
        const u = Math.min(Math.max(z, -1), 1);
        const base = channelOf(i) * k1;
        const gi = gd[i];
        // T_k for the weight gradient, U_{k-1} for the input gradient (T_k' = k·U_{k-1}).
        T[0] = 1;
        if (K >= 1) T[1] = u;
        for (let k = 2; k <= K; k++) T[k] = 2 * u * T[k - 1] - T[k - 2];
        for (let k = 0; k <= K; k++) gw[base + k] += gi * T[k];
        let dy = 0;
        let uPrev = 0; // U_{-1}
        let uCur = 1; // U_0
        for (let k = 1; k <= K; k++) {
          dy += wd[base + k] * k * uCur;
          const next = 2 * u * uCur - uPrev;
          uPrev = uCur;
          uCur = next;
        }
        const inside = z >= -1 && z <= 1;
        gx[i] = inside ? gi * dy * scale : Number.isNaN(x) ? NaN : 0;
      }
      const gwOut = allocUninit(w.dtype, C * k1);
      gwOut.set(gw);
      return [new Tensor(gx, input.shape), new Tensor(gwOut, w.shape)];
    },
  },
};
