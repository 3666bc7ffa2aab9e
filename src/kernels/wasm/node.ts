/**
 * Loads the wasm backend in Node: `kernels.wasm` (beside this file in src/
 * and in dist/) is read and compiled synchronously at import, so
 * `import 'nnkit'` has the backend ready at once and `wasmReady` is already
 * settled. Where Node accepts relaxed SIMD (22+), the fused multiply-add
 * build of the GEMM and the optimizer steps joins it (relaxed.ts). Node-only (imports `node:fs`); the browser entry uses browser.ts.
 */
import { readFileSync } from 'node:fs';
import { registerWasm } from './index.js';
import { relaxedKernelsSync } from './relaxed.js';

function loadSync(): boolean {
  if (typeof WebAssembly === 'undefined') return false;
  try {
    const bytes = readFileSync(new URL('./kernels.wasm', import.meta.url));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    const memory = instance.exports.memory as WebAssembly.Memory;
    registerWasm(instance, relaxedKernelsSync(memory));
    return true;
  } catch {
    return false; // no WebAssembly SIMD here (or the file is missing): the JS kernels remain
  }
}

/**
 * Resolves to whether the WebAssembly backend is available. In Node it is
 * already settled when `import 'nnkit'` returns.
 * @example
 * ```ts
 * import { availableBackends, wasmReady } from 'nnkit';
 * const ok = await wasmReady;
 * console.log(ok, availableBackends().includes('wasm')); // true true
 * ```
 */
export const wasmReady: Promise<boolean> = Promise.resolve(loadSync());
