/**
 * The wasm backend's relaxed-SIMD build (src/kernels/wasm/relaxed.ts) in a
 * test process. Node 20 accepts relaxed SIMD only behind a V8 flag, read
 * when a module is validated, so a test file can turn it on for itself
 * (vitest runs each file in its own process); Node 22+ has it on and no
 * longer knows the flag.
 */
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { registerWasm } from '../../src/kernels/wasm/index.js';
import { relaxedBytes, relaxedKernelsSync } from '../../src/kernels/wasm/relaxed.js';

/** Whether this runtime validated the relaxed build before any flag was set. */
export const relaxedByDefault = relaxedBytes(false) !== null;

/** Turns relaxed SIMD on in this process where it is behind the flag. */
export function enableRelaxedSimd(): void {
  if (!relaxedBytes(false)) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
}

/** Registers the wasm backend anew, on a fresh kernels.wasm instance, with the relaxed kernels. */
export function registerRelaxedWasm(): void {
  enableRelaxedSimd();
  const url = new URL('../../src/kernels/wasm/kernels.wasm', import.meta.url);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(url)), {});
  const relaxed = relaxedKernelsSync(instance.exports.memory as WebAssembly.Memory);
  if (!relaxed) throw new Error('relaxed SIMD is not available in this Node, even with the flag');
  registerWasm(instance, relaxed);
}

/**
 * Whether relaxed SIMD's multiply-add is fused on this CPU: x86-64 with FMA3
 * (Linux's /proc/cpuinfo says), or ARM64.
 */
export function cpuHasFma(): boolean {
  if (process.arch === 'arm64') return true;
  try {
    return /^flags\s*:.*\bfma\b/m.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
}
