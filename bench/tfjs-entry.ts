// Bundled by bench/run.ts with esbuild: TF.js core with every gradient, and
// its cpu and wasm backends, as one module (tfjs-core's ESM build uses
// directory imports that Node cannot load directly, and its CJS build lacks
// the gradients).
export * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
export { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
