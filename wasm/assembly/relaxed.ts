// The kernels that gain from relaxed SIMD's fused multiply-add, built alone
// (scripts/codegen/emit-as.ts compiles this file with `--enable relaxed-simd`,
// importing the main module's memory): gemm.ts's madd and the optimizers'
// vfma are then f32x4.relaxed_madd. The loader swaps them in for kernels.wasm's
// where the runtime validates this build (src/kernels/wasm/relaxed.ts).
export { gemm_block } from './gemm';
export { sgd_step, adam_step, adamw_step, rmsprop_step } from './optim.generated';
