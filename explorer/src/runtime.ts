/**
 * Starts nnkit in the page: waits for the WebAssembly module, selects the wasm backend, and
 * where the page is cross-origin isolated starts its worker threads.
 */
import {
  availableBackends,
  getBackend,
  getNumThreads,
  setBackend,
  setNumThreads,
  wasmReady,
  wasmRelaxedSimd,
  wasmThreadPool,
} from 'nnkit';

export interface RuntimeInfo {
  backend: string;
  available: string[];
  isolated: boolean;
  /** Whether the wasm backend runs its products and optimizer steps with relaxed SIMD. */
  relaxed: boolean;
  threads: number;
  workers: number;
}

export async function startNnkit(): Promise<RuntimeInfo> {
  await wasmReady;
  if (availableBackends().includes('wasm')) setBackend('wasm');
  const isolated = globalThis.crossOriginIsolated === true;
  let workers = 0;
  if (isolated) {
    setNumThreads(Math.max(2, Math.min(4, navigator.hardwareConcurrency || 2)));
    workers = (await wasmThreadPool()).workers;
  }
  return {
    backend: getBackend(),
    available: availableBackends(),
    isolated,
    relaxed: getBackend() === 'wasm' && wasmRelaxedSimd() === true,
    threads: getNumThreads(),
    workers,
  };
}
