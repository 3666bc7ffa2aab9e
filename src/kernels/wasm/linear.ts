/**
 * The wasm backend's `linear` and `linearBackward`, on its SIMD GEMM:
 * `y = x·wᵀ + b` as one GEMM (reading `w` transposed as it copies it in) with
 * the bias added to the first k block's sums as they are stored, as the
 * native GEMM does; `dw = gᵀ·x` by the GEMM and the bias gradient as float64
 * column sums of `g` in the module, bit-identical to the JS backend's.
 * Float32 only: float64 declines and the JS kernels run.
 */
import type { Kernels } from '../signatures.generated.js';
import { columnSumsJs } from '../js/gemm.js';
import type { WasmGemm } from './gemm.js';

export function makeWasmLinear(gemm: WasmGemm): Pick<Kernels, 'linear' | 'linearBackward'> {
  return {
    linear(m, k, n, x, w, b, y) {
      return b ? gemm.linear(m, k, n, x, w, b, y) : gemm.matmul(m, k, n, x, w, y, false, true);
    },
    linearBackward(m, k, n, g, x, dw, db) {
      if (!gemm.matmul(n, m, k, g, x, dw, true, false)) return false;
      if (db && !gemm.columnSums(m, n, g, db)) columnSumsJs(m, n, g, db);
      return true;
    },
  };
}
