/**
 * Derivative of the matrix product (forward: src/ops/linalg.ts, `matmul`
 * and `matmulTransposed`, which `nn.Linear` runs).
 */
import type { Tensor } from '../../tensor/tensor.js';
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
};
