/**
 * The wasm backend's `extremumIndices` (float32; max pooling, `max`/`min`
 * along a dimension with their indices): as many (size, inner) blocks as fit
 * a tile go through the scratch region at once, x in buffer 0, the extrema in
 * buffer 1 and their indices (int32) in buffer 2 (wasm/assembly/extremum.ts).
 * A block larger than a tile, and other dtypes, are declined for the
 * JavaScript kernel.
 */
import type { Kernels } from '../signatures.generated.js';
import type { WasmModuleExports } from './exports.generated.js';
import type { RowScratch } from './row-scratch.js';

export function makeWasmExtremum(
  ex: WasmModuleExports,
  sc: RowScratch,
): Pick<Kernels, 'extremumIndices'> {
  const { tile, ptr } = sc;
  const mem = (): ArrayBuffer => ex.memory.buffer as ArrayBuffer;
  return {
    extremumIndices(kind, outer, size, inner, x, out, indices) {
      if (!(x instanceof Float32Array) || !(out instanceof Float32Array)) return false;
      const block = size * inner;
      if (outer * inner === 0 || size === 0 || block > tile) return false;
      const per = Math.floor(tile / block);
      for (let o = 0; o < outer; o += per) {
        const q = Math.min(per, outer - o);
        new Float32Array(mem(), ptr[0], q * block).set(x.subarray(o * block, (o + q) * block));
        ex.extremum_indices_blocks(kind === 'max' ? 1 : 0, q, size, inner, ptr[0], ptr[1], ptr[2]);
        out.set(new Float32Array(mem(), ptr[1], q * inner), o * inner);
        indices.set(new Int32Array(mem(), ptr[2], q * inner), o * inner);
      }
      return true;
    },
  };
}
