/**
 * The wasm backend's random kernels on PyTorch's MT19937 engine
 * (wasm/assembly/random.ts): `bernoulliMask` (dropout's mask), `uniformFill`
 * and `normalFill`. The 625-word engine is copied into the module once per
 * call, the samples are written in chunks into a region of the scratch
 * memory and copied out after each, and the engine is copied back at the
 * end. float32 and float64 both run here, except float64 normals.
 */
import type { Kernels } from '../signatures.generated.js';
import type { WasmModuleExports } from './exports.generated.js';

/** The engine's words: 624 of state and the read index. */
const ENGINE_WORDS = 625;

/**
 * The kernel over the scratch memory: the engine at `statePtr` (2500 bytes),
 * the chunks of the output at `outPtr` (`outBytes` bytes, a multiple of 8).
 */
export function makeWasmRandom(
  ex: WasmModuleExports,
  statePtr: number,
  outPtr: number,
  outBytes: number,
): Pick<Kernels, 'bernoulliMask' | 'uniformFill' | 'normalFill'> {
  const buffer = ex.memory.buffer;
  const engine = new Int32Array(buffer, statePtr, ENGINE_WORDS);
  // Chunks of whole blocks of 16 (normalFill transforms blocks; the others do not mind).
  const out32 = new Float32Array(buffer, outPtr, Math.floor(outBytes / 64) * 16);
  const out64 = new Float64Array(buffer, outPtr, Math.floor(outBytes / 128) * 16);
  /** Copies the engine in after checking its read index. */
  const load = (name: string, state: Int32Array): void => {
    const k = state[ENGINE_WORDS - 1];
    if (!(k >= 0 && k <= ENGINE_WORDS - 1)) {
      throw new Error(
        `nnkit wasm kernel ${name}: state[624] must be an index in [0, 624], got ${k}`,
      );
    }
    engine.set(state.subarray(0, ENGINE_WORDS));
  };
  /** Runs `fill(count)` over chunks of `out`, copying each out of the module. */
  const chunked = (out: Float32Array | Float64Array, n: number, fill: (m: number) => void) => {
    const region = out instanceof Float32Array ? out32 : out64;
    for (let i = 0; i < n; i += region.length) {
      const m = Math.min(region.length, n - i);
      fill(m);
      out.set(region.subarray(0, m), i);
    }
  };
  return {
    uniformFill(state, out, n, from, to) {
      load('uniformFill', state);
      const f = out instanceof Float32Array ? ex.uniform_fill_f32 : ex.uniform_fill_f64;
      chunked(out, n, (m) => f(statePtr, outPtr, m, from, to));
      state.set(engine);
      return true;
    },
    normalFill(state, out, n, mean, std) {
      // float64 declines (the JavaScript kernel runs it): its log, cos and sin would bring
      // AssemblyScript's libm, 1.9 kB gzipped in every page, for a 1.2× faster fill.
      if (!(out instanceof Float32Array)) return false;
      load('normalFill', state);
      if (n < 16) throw new Error(`nnkit wasm kernel normalFill: n must be at least 16, got ${n}`);
      const f = ex.normal_fill_f32;
      // Whole blocks chunk by chunk draw the stream in the same order as one call.
      const whole = n - (n % 16);
      chunked(out, whole, (m) => f(statePtr, outPtr, m, mean, std));
      if (whole < n) {
        // The partial block's uniforms are drawn (and dropped), then the last 16 elements
        // are drawn again and transformed as one block, as one call over n would.
        ex.uniform_fill_f32(statePtr, outPtr, n - whole, 0, 1);
        f(statePtr, outPtr, 16, mean, std);
        out.set(out32.subarray(0, 16), n - 16);
      }
      state.set(engine);
      return true;
    },
    bernoulliMask(state, out, n, threshold, value) {
      load('bernoulliMask', state);
      const f = out instanceof Float32Array ? ex.bernoulli_mask_f32 : ex.bernoulli_mask_f64;
      chunked(out, n, (m) => f(statePtr, outPtr, m, threshold, value));
      state.set(engine);
      return true;
    },
  };
}
