/**
 * nnkit's public API, shared by its two entry points: `index.ts` (Node:
 * native addon, then WebAssembly read from disk, then JS) and `browser.ts`
 * (WebAssembly fetched as an asset, then JS). Each entry adds `wasmReady`,
 * the one export whose value depends on how the wasm module is loaded.
 */
// The Tensor methods, installed by the layers that implement them.
import './autograd/tensor-methods.js';
import './ops/tensor-methods.js';
import './functional/tensor-methods.js';
export { Tensor, type NestedArray, type Operand } from './tensor/tensor.js';
export type { Shape } from './tensor/shape.js';
export type { SortOptions, ValuesIndices, VarOptions } from './ops/tensor-methods.js';
export type { GeneratorOption } from './ops/random-methods.js';
export type { GradFn } from './autograd/node.js';
export type { TensorHook } from './autograd/tensor-methods.js';
export type { RemovableHandle } from './tensor/removable-handle.js';
export type { DType, TypedArray } from './tensor/dtype.js';
export {
  tensor,
  zeros,
  ones,
  empty,
  full,
  zerosLike,
  onesLike,
  fullLike,
  randint,
  randperm,
  arange,
  linspace,
  type TensorLike,
  type TensorOptions,
  type FactoryOptions,
  type SizeOptions,
  type SizeArgs,
  type RandomOptions,
  type RandintOptions,
  type RandpermOptions,
  type RangeOptions,
} from './tensor/creation.js';
export { rand, randn, randLike, randnLike } from './ops/random-factories.js';
export {
  setPrintOptions,
  getPrintOptions,
  gradFnName,
  type PrintOptions,
  type SetPrintOptions,
} from './tensor/format.js';
export { manualSeed, initialSeed, Generator } from './tensor/random.js';
export { noGrad, enableGrad, isGradEnabled } from './autograd/grad-mode.js';
export { cat, stack } from './ops/shape-ops.js';
export { where } from './ops/index-ops.js';
export { multinomial, bernoulli } from './ops/multinomial.js';
export { matmul } from './ops/linalg.js';
export {
  setBackend,
  getBackend,
  getNumThreads,
  availableBackends,
  type BackendName,
} from './kernels/backend.js';
export { setNumThreads } from './threads.js';
export { wasmThreadPool, type WasmPoolStats } from './kernels/wasm/pool.js';
export { wasmRelaxedSimd } from './kernels/wasm/index.js';
export * as F from './functional/index.js';
export * as nn from './nn/index.js';
export * as optim from './optim/index.js';
export * as autograd from './autograd/public.js';
export * as data from './data/index.js';
export * as io from './io/index.js';
export { registry, type Category, type FunctionInfo, type ParamInfo } from './registry/public.js';
export { gradcheck, type GradcheckOptions } from './autograd/gradcheck.js';
