// The GEMM's block kernel alone, built with relaxed SIMD (scripts/codegen/
// emit-as.ts compiles this file with `--enable relaxed-simd`, importing the
// main module's memory): gemm.ts's madd is then f32x4.relaxed_madd. The
// loader swaps it in for kernels.wasm's gemm_block where the runtime
// validates it (src/kernels/wasm/relaxed-gemm.ts).
export { gemm_block } from './gemm';
