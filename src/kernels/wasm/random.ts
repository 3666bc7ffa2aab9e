/**
 * The wasm backend's `bernoulliMask` (dropout's mask from the MT19937
 * engine, wasm/assembly/random.ts): the 625-word engine is copied into the
 * module once, the mask is written in chunks into a region of the scratch
 * memory and copied out after each, and the engine is copied back at the
 * end. float32 and float64 both run here (the loop is integer work; the
 * dtype only sets the element written).
 */
import type { Kernels } from '../signatures.generated.js';
import type { WasmModuleExports } from './exports.generated.js';

/** The engine's words: 624 of state and the read index. */
const ENGINE_WORDS = 625;

/**
 * The kernel over the scratch memory: the engine at `statePtr` (2500 bytes),
 * the chunks of the output at `outPtr` (`outBytes` bytes, a multiple of 8).
 */
export function makeWasmBernoulliMask(
  ex: WasmModuleExports,
  statePtr: number,
  outPtr: number,
  outBytes: number,
): Pick<Kernels, 'bernoulliMask'> {
  const buffer = ex.memory.buffer;
  const engine = new Int32Array(buffer, statePtr, ENGINE_WORDS);
  const out32 = new Float32Array(buffer, outPtr, outBytes / 4);
  const out64 = new Float64Array(buffer, outPtr, outBytes / 8);
  return {
    bernoulliMask(state, out, n, threshold, value) {
      const k = state[ENGINE_WORDS - 1];
      if (!(k >= 0 && k <= ENGINE_WORDS - 1)) {
        throw new Error(
          `nnkit wasm kernel bernoulliMask: state[624] must be an index in [0, 624], got ${k}`,
        );
      }
      engine.set(state.subarray(0, ENGINE_WORDS));
      if (out instanceof Float32Array) {
        for (let i = 0; i < n; i += out32.length) {
          const m = Math.min(out32.length, n - i);
          ex.bernoulli_mask_f32(statePtr, outPtr, m, threshold, value);
          out.set(out32.subarray(0, m), i);
        }
      } else {
        for (let i = 0; i < n; i += out64.length) {
          const m = Math.min(out64.length, n - i);
          ex.bernoulli_mask_f64(statePtr, outPtr, m, threshold, value);
          out.set(out64.subarray(0, m), i);
        }
      }
      state.set(engine);
      return true;
    },
  };
}
