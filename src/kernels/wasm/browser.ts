/**
 * Loads the wasm backend in browsers: `kernels.wasm` is referenced as
 * `new URL('./kernels.wasm', import.meta.url)`, which bundlers (Vite, Rollup,
 * webpack 5, esbuild with a loader, Parcel) emit as an asset and rewrite to
 * its final URL; it is fetched and compiled asynchronously (browsers do not
 * allow synchronous compilation of large modules on the main thread), and
 * the backend registers itself when `wasmReady` resolves. Until then the
 * JS kernels run. Where the browser accepts relaxed SIMD (Chromium 114+),
 * the fused multiply-add build of the GEMM and the optimizer steps joins it
 * (relaxed.ts).
 */
import { registerWasm } from './index.js';
import { compileUrl } from './fetch.js';
import { relaxedKernels } from './relaxed.js';

async function loadAsync(): Promise<boolean> {
  if (typeof WebAssembly === 'undefined' || typeof fetch !== 'function') return false;
  try {
    const module = await compileUrl(new URL('./kernels.wasm', import.meta.url));
    const instance = await WebAssembly.instantiate(module, {});
    registerWasm(instance, await relaxedKernels(instance.exports.memory as WebAssembly.Memory));
    return true;
  } catch {
    return false; // no WebAssembly SIMD, or the asset could not be fetched: the JS kernels remain
  }
}

/**
 * Resolves to whether the WebAssembly backend is available. In browsers,
 * await it before relying on `getBackend() === 'wasm'`.
 * @example
 * ```ts
 * import { availableBackends, wasmReady } from 'nnkit';
 * const ok = await wasmReady;
 * console.log(ok, availableBackends().includes('wasm')); // true true
 * ```
 */
export const wasmReady: Promise<boolean> = loadAsync();
