// The worker pool's relaxed-SIMD build (shared memory): only the GEMM's block
// kernel, the one relaxed kernel the pool runs (see relaxed.ts).
export { gemm_block } from './gemm';
