/**
 * nnkit's public API, shared by its two entry points: `index.ts` (Node:
 * native addon, then WebAssembly read from disk, then JS) and `browser.ts`
 * (WebAssembly fetched as an asset, then JS). Each entry adds `wasmReady`,
 * the one export whose value depends on how the wasm module is loaded.
 */
export { Tensor, type NestedArray, type Operand } from './tensor/tensor.js';
export type { DType, TypedArray } from './tensor/dtype.js';
export {
  tensor,
  zeros,
  ones,
  full,
  zerosLike,
  onesLike,
  rand,
  randn,
  randint,
  arange,
  linspace,
  type TensorOptions,
  type FactoryOptions,
} from './tensor/creation.js';
export { manualSeed, Generator } from './tensor/random.js';
export { noGrad, enableGrad, isGradEnabled } from './autograd/grad-mode.js';
export { cat, stack } from './ops/shape-ops.js';
export { where } from './ops/index-ops.js';
export { matmul } from './ops/linalg.js';
export {
  setBackend,
  getBackend,
  setNumThreads,
  getNumThreads,
  availableBackends,
  type BackendName,
} from './kernels/backend.js';
export { wasmThreadPool, type WasmPoolStats } from './kernels/wasm/pool.js';
export * as F from './functional/index.js';
export * as nn from './nn/index.js';
export * as optim from './optim/index.js';
export * as data from './data/index.js';
export { gradcheck, type GradcheckOptions } from './autograd/gradcheck.js';
