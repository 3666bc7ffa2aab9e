/**
 * The GEMM's fused multiply-add build: gemm_block compiled with relaxed SIMD
 * (wasm/assembly/gemm-relaxed.ts, a few kilobytes, inlined as base64 in
 * relaxed-gemm.generated.ts). Where the runtime validates it (V8 11.4+:
 * Chromium 114+, Node 22+; Node 20 with `--experimental-wasm-relaxed-simd`),
 * it is instantiated on the memory of the kernels.wasm instance and replaces
 * that instance's gemm_block; elsewhere the plain SIMD kernel stays.
 *
 * Numerics: each step of a dot product is then one fused multiply-add (one
 * rounding) on CPUs with FMA (x86-64 with FMA3, ARM64), a multiply and an add
 * (two roundings) on the others, as relaxed SIMD allows; the order of the
 * sums is the same as the plain kernel's. On this project's x86-64 machine
 * the 128×784×512 product runs about 1.25× faster (docs/benchmarks-train.md).
 */
import { RELAXED_GEMM, RELAXED_GEMM_SHARED } from './relaxed-gemm.generated.js';

/** Which multiply-add the wasm GEMM uses: fused (relaxed SIMD) or a multiply then an add. */
export type WasmGemmKind = 'relaxed-simd' | 'simd';

function bytes(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** The relaxed build's bytes if this runtime accepts relaxed SIMD, else null. */
export function relaxedGemmBytes(shared: boolean): Uint8Array<ArrayBuffer> | null {
  if (typeof WebAssembly !== 'object' || typeof atob !== 'function') return null;
  const b = bytes(shared ? RELAXED_GEMM_SHARED : RELAXED_GEMM);
  try {
    return WebAssembly.validate(b) ? b : null;
  } catch {
    return null;
  }
}

/** A gemm_block export (the signature of kernels.wasm's). */
export type GemmBlock = (...args: number[]) => void;

/**
 * The relaxed gemm_block instantiated synchronously on `memory`, or null
 * where relaxed SIMD is not available (Node: the module is small, so the
 * synchronous compile is cheap).
 */
export function relaxedGemmSync(memory: WebAssembly.Memory): GemmBlock | null {
  const b = relaxedGemmBytes(false);
  if (!b) return null;
  try {
    const inst = new WebAssembly.Instance(new WebAssembly.Module(b), { env: { memory } });
    return inst.exports.gemm_block as GemmBlock;
  } catch {
    return null;
  }
}

/** The same, compiled and instantiated asynchronously (browsers' main thread). */
export async function relaxedGemm(memory: WebAssembly.Memory): Promise<GemmBlock | null> {
  const b = relaxedGemmBytes(false);
  if (!b) return null;
  try {
    const { instance } = await WebAssembly.instantiate(b, { env: { memory } });
    return instance.exports.gemm_block as GemmBlock;
  } catch {
    return null;
  }
}

/** The pool's build (shared memory), compiled, or null without relaxed SIMD. */
export async function relaxedGemmSharedModule(): Promise<WebAssembly.Module | null> {
  const b = relaxedGemmBytes(true);
  if (!b) return null;
  try {
    return await WebAssembly.compile(b);
  } catch {
    return null;
  }
}
