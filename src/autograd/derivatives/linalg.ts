/**
 * Derivatives of the matrix product and of the fused linear layer (forward:
 * src/ops/linalg.ts, `matmul`, `matmulTransposed` and `linear`, which
 * `nn.Linear` runs).
 */
import { Tensor } from '../../tensor/tensor.js';
import { allocUninit } from '../../tensor/dtype.js';
import { dispatch } from '../../kernels/backend.js';
import type { Floats } from '../../kernels/js/types.js';
import type { Derivatives } from './rule.js';

export interface LinalgContexts {
  matmul: {
    a: Tensor;
    b: Tensor;
    /** Whether the forward read `a` transposed (`op(a) = aᵀ`). */
    transA: boolean;
    /** Whether the forward read `b` transposed (`op(b) = bᵀ`). */
    transB: boolean;
  };
  linear: {
    /** The input, `[m×k]`. */
    x: Tensor;
    /** The weight, `[n×k]`. */
    w: Tensor;
    /** The bias, `[n]`, or null. */
    b: Tensor | null;
  };
}

export const LINALG: Derivatives<LinalgContexts> = {
  /**
   * `C = op(A)·op(B)`: `d op(A) = G·op(B)ᵀ`, `d op(B) = op(A)ᵀ·G` — for plain
   * operands `dA = G·Bᵀ`, `dB = Aᵀ·G`; a transposed operand's gradient is
   * transposed back (`dA = op(B)·Gᵀ` when `op(A) = Aᵀ`, `dB = Gᵀ·op(A)` when
   * `op(B) = Bᵀ`). The transposes are read in place by the GEMM, not copied.
   */
  matmul: {
    saves: 'inputs',
    backward: (g, { a, b, transA, transB }) => [
      a.requiresGrad
        ? transA
          ? b._matmulTransposed(g, transB, true)
          : g._matmulTransposed(b, false, !transB)
        : null,
      b.requiresGrad
        ? transB
          ? g._matmulTransposed(a, true, transA)
          : a._matmulTransposed(g, !transA, false)
        : null,
    ],
  },
  /**
   * `Y = X·Wᵀ + b`: `dX = G·W`, `dW = Gᵀ·X`, `db = Σ_rows G`. `dW` and `db`
   * come from one `linearBackward` kernel call (`G` read transposed in
   * place; the column sums in float64, equal to `G.sum(0)`).
   */
  linear: {
    saves: 'inputs',
    backward: (g, { x, w, b }) => {
      const [m, k] = x.shape;
      const n = w.shape[0];
      const dx = x.requiresGrad ? g._matmulTransposed(w, false, false) : null;
      let dw: Tensor | null = null;
      let db: Tensor | null = null;
      const wantB = b !== null && b.requiresGrad;
      if (w.requiresGrad) {
        const dwd = allocUninit(x.dtype, n * k) as Floats;
        const dbd = wantB ? (allocUninit(x.dtype, n) as Floats) : null;
        dispatch('linearBackward', m, k, n, g.data as Floats, x.data as Floats, dwd, dbd);
        dw = new Tensor(dwd, [n, k]);
        if (dbd) db = new Tensor(dbd, [n]);
      } else if (wantB) {
        db = g.sum(0);
      }
      return b ? [dx, dw, db] : [dx, dw];
    },
  },
};
