/**
 * The relaxed-SIMD build of the kernels that gain from a fused multiply-add:
 * the GEMM's block kernel and the optimizer steps (wasm/assembly/relaxed.ts,
 * a few kilobytes, inlined as base64 in relaxed.generated.ts). Where the
 * runtime validates it (V8 11.4+: Chromium 114+, Node 22+; Node 20 with
 * `--experimental-wasm-relaxed-simd`), it is instantiated on the memory of
 * the kernels.wasm instance and its functions replace that instance's;
 * elsewhere the plain SIMD kernels stay. The worker pool gets the GEMM's
 * block kernel alone, built for its shared memory (relaxed-pool.ts).
 *
 * Numerics, on CPUs with FMA (x86-64 with FMA3, ARM64), where relaxed SIMD's
 * multiply-add is fused:
 * - the GEMM's sums take their terms in the same order as the plain kernel,
 *   each step rounded once instead of twice;
 * - the optimizers' `fma` nodes (src/optim/kernels/expr.ts) are rounded
 *   once, exactly as specified and as the native backend rounds them; the
 *   plain build rounds twice (to float64, then float32), which differs only
 *   when the float64 sum falls exactly between two floats.
 * On CPUs without FMA relaxed SIMD multiplies and then adds, each rounded.
 * On this project's x86-64 machine the 128×784×512 product runs about 1.2×
 * faster and Adam's arithmetic about 2× (docs/benchmarks-train.md).
 */
import { RELAXED_POOL_WASM, RELAXED_WASM } from './relaxed.generated.js';

/**
 * The relaxed build's exports: its kernels, named as kernels.wasm names the
 * ones they replace (wasm/assembly/relaxed.ts lists them), and the memory
 * they were instantiated on.
 */
export type RelaxedKernels = Readonly<Record<string, unknown>>;

function bytes(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** The build's bytes (`pool`: the shared-memory one) if this runtime accepts relaxed SIMD, else null. */
export function relaxedBytes(pool: boolean): Uint8Array<ArrayBuffer> | null {
  if (typeof WebAssembly !== 'object' || typeof atob !== 'function') return null;
  const b = bytes(pool ? RELAXED_POOL_WASM : RELAXED_WASM);
  try {
    return WebAssembly.validate(b) ? b : null;
  } catch {
    return null;
  }
}

/**
 * The relaxed kernels instantiated synchronously on `memory`, or null where
 * relaxed SIMD is not available (Node: the module is small, so the
 * synchronous compile is cheap).
 */
export function relaxedKernelsSync(memory: WebAssembly.Memory): RelaxedKernels | null {
  const b = relaxedBytes(false);
  if (!b) return null;
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(b), { env: { memory } });
    return instance.exports;
  } catch {
    return null;
  }
}

/** The same, compiled and instantiated asynchronously (browsers' main thread). */
export async function relaxedKernels(memory: WebAssembly.Memory): Promise<RelaxedKernels | null> {
  const b = relaxedBytes(false);
  if (!b) return null;
  try {
    const { instance } = await WebAssembly.instantiate(b, { env: { memory } });
    return instance.exports;
  } catch {
    return null;
  }
}

/** The pool's build (the GEMM block on a shared memory), compiled, or null without relaxed SIMD. */
export async function relaxedPoolModule(): Promise<WebAssembly.Module | null> {
  const b = relaxedBytes(true);
  if (!b) return null;
  try {
    return await WebAssembly.compile(b);
  } catch {
    return null;
  }
}
