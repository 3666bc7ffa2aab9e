// nnkit WebAssembly random sampling: dropout's mask from PyTorch's CPU
// generator (the `bernoulliMask` kernel of src/kernels/schema.ts), bit for
// bit the JavaScript backend's loop (src/kernels/js/bernoulli-mask.ts).
//
// The engine is the 32-bit Mersenne Twister MT19937: 625 words at `state`
// (words 0–623 the state, word 624 the index of the next word to temper;
// 624: twist first). One mask element is PyTorch's `bernoulli_(p)`: two
// tempered words, the first high, whose low 53 bits make an integer u below
// 2^53, compared with threshold = p·2^53: on integers, with a bound that
// accepts exactly the u that `u < threshold` in f64 accepts (see `bound`),
// and the element chosen by `select` rather than by a branch (at p = 0.5 a
// branch would be mispredicted half the time).
//
// The JS side (src/kernels/wasm/random.ts) copies the engine in once, calls
// these for chunks of the output, and copies the engine and each chunk back.

// @ts-ignore: decorator
@inline const N: i32 = 624;
// @ts-ignore: decorator
@inline const M: i32 = 397;
// @ts-ignore: decorator
@inline const UPPER: u32 = 0x80000000;
// @ts-ignore: decorator
@inline const LOWER: u32 = 0x7fffffff;
// @ts-ignore: decorator
@inline const MATRIX_A: u32 = 0x9908b0df;

/** Word k of the state at s. */
// @ts-ignore: decorator
@inline function word(s: usize, k: i32): u32 {
  return load<u32>(s + ((<usize>k) << 2));
}

/** The twist: regenerates the 624 words at s in place, in order. */
function twist(s: usize): void {
  let k = 0;
  for (; k < N - M; k++) {
    const y = (word(s, k) & UPPER) | (word(s, k + 1) & LOWER);
    store<u32>(s + ((<usize>k) << 2), word(s, k + M) ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A));
  }
  for (; k < N - 1; k++) {
    const y = (word(s, k) & UPPER) | (word(s, k + 1) & LOWER);
    store<u32>(s + ((<usize>k) << 2), word(s, k + M - N) ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A));
  }
  const y = (word(s, N - 1) & UPPER) | (word(s, 0) & LOWER);
  store<u32>(s + ((<usize>(N - 1)) << 2), word(s, M - 1) ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A));
}

/** The standard tempering of one state word. */
// @ts-ignore: decorator
@inline function temper(y: u32): u32 {
  y ^= y >>> 11;
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  y ^= y >>> 18;
  return y;
}

/**
 * u < threshold for an integer u in [0, 2^53) ⟺ u < bound(threshold):
 * ceil(threshold) clamped to [0, 2^53] (a fraction of threshold admits no
 * further integer), 0 for a NaN or non-positive threshold (no u passes).
 */
// @ts-ignore: decorator
@inline function bound(threshold: f64): u64 {
  if (!(threshold > 0)) return 0;
  if (threshold >= 9007199254740992.0) return (<u64>1) << 53;
  return <u64>Math.ceil(threshold);
}

/** out[i] = u_i < threshold ? value : 0 for i < n, elements of type T at out. */
// @ts-ignore: decorator
@inline function maskLoop<T>(state: usize, out: usize, n: i32, threshold: f64, value: T): void {
  const b = bound(threshold);
  let k = load<i32>(state + ((<usize>N) << 2));
  for (let i = 0; i < n; i++) {
    if (k == N) {
      twist(state);
      k = 0;
    }
    const hi = temper(word(state, k++));
    if (k == N) {
      twist(state);
      k = 0;
    }
    const lo = temper(word(state, k++));
    const u = ((<u64>(hi & 0x1fffff)) << 32) | (<u64>lo);
    store<T>(out + <usize>i * sizeof<T>(), select<T>(value, <T>0, u < b));
  }
  store<i32>(state + ((<usize>N) << 2), k);
}

/**
 * n float32 mask elements at out from the engine at state (its index
 * state[624] must be in [0, 624]; the caller checks), value rounded to f32.
 */
export function bernoulli_mask_f32(
  state: usize,
  out: usize,
  n: i32,
  threshold: f64,
  value: f64,
): void {
  maskLoop<f32>(state, out, n, threshold, <f32>value);
}

/** The same with float64 elements. */
export function bernoulli_mask_f64(
  state: usize,
  out: usize,
  n: i32,
  threshold: f64,
  value: f64,
): void {
  maskLoop<f64>(state, out, n, threshold, value);
}
