/**
 * The JavaScript `bernoulliMask` kernel: dropout's mask from PyTorch's CPU
 * generator, the 32-bit Mersenne Twister (MT19937) whose engine comes as one
 * Int32Array of 625 words (words 0–623 the state, word 624 the index of the
 * next word to temper; 624: twist first), the layout of
 * src/tensor/mt19937.ts. The native (native/bernoulli_mask.h) and wasm
 * (wasm/assembly/random.ts) kernels run the same loop, bit for bit.
 * The loop itself is src/tensor/mt19937.ts's `fillBernoulli53`.
 */
import type { Floats } from './types.js';
import { fillBernoulli53 } from '../../tensor/mt19937.js';

/**
 * For i < n: two words, the first high, make PyTorch's `random64()`; its low
 * 53 bits `u` give `out[i] = u < threshold ? value : 0`. With threshold =
 * p·2^53 this is `bernoulli_(p)`, a double uniform `u / 2^53 < p`, without
 * the division. Throws if `state[624]` is not an index in [0, 624].
 */
export function bernoulliMaskJs(
  state: Int32Array,
  out: Floats,
  n: number,
  threshold: number,
  value: number,
): true {
  const s = state;
  const k = s[624];
  if (!(k >= 0 && k <= 624)) {
    throw new Error(
      `nnkit js kernel bernoulliMask: state[624] must be an index in [0, 624], got ${k}`,
    );
  }
  fillBernoulli53(s, out, n, threshold, value);
  return true;
}
