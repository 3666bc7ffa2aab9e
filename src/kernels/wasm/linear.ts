/**
 * The wasm backend's `linear` and `linearBackward`, on its `matmul` hook:
 * `y = x·wᵀ` by the SIMD GEMM (reading `w` transposed as it copies it in),
 * then the bias added row by row in JavaScript; `dw = gᵀ·x` by the GEMM and
 * the bias gradient as float64 column sums of `g` (the JS backend's, so the
 * sums agree bit for bit). Float32 only, like the hook: float64 declines
 * and the JS kernels run.
 */
import type { Kernels } from '../signatures.generated.js';
import { columnSumsJs } from '../js/gemm.js';
import type { MatmulHook } from './gemm.js';

export function makeWasmLinear(matmul: MatmulHook): Pick<Kernels, 'linear' | 'linearBackward'> {
  return {
    linear(m, k, n, x, w, b, y) {
      if (!matmul(m, k, n, x, w, y, false, true)) return false;
      if (b)
        for (let i = 0; i < m; i++) {
          const row = i * n;
          for (let j = 0; j < n; j++) y[row + j] += b[j];
        }
      return true;
    },
    linearBackward(m, k, n, g, x, dw, db) {
      if (!matmul(n, m, k, g, x, dw, true, false)) return false;
      if (db) columnSumsJs(m, n, g, db);
      return true;
    },
  };
}
