/** Helpers of the random-kernel tests: engines at a chosen read position, typed arrays by dtype. */
import type { Floats } from '../../src/kernels/js/types.js';
import { MT19937 } from '../../src/tensor/mt19937.js';

export type DT = 'float32' | 'float64';

/** A zeroed array of `n` elements of the dtype. */
export const make = (dt: DT, n: number): Floats =>
  dt === 'float32' ? new Float32Array(n) : new Float64Array(n);

/** An engine seeded with `seed` that has handed out `drawn` words (its read index is drawn mod 624, or 624). */
export function engine(seed: number, drawn: number): MT19937 {
  const g = new MT19937(seed);
  for (let i = 0; i < drawn; i++) g.nextUint32();
  return g;
}
