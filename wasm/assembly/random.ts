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

// ---- uniform_ and normal_ (the `uniformFill` and `normalFill` kernels) ----
//
// The JavaScript bodies are src/tensor/sampling.ts and
// src/tensor/box-muller-float32.ts; these give their bits. A fused
// multiply-add of floats is computed as the JavaScript one is: the product
// in f64 (exact), the sum rounded to f64, then to f32.

/**
 * The uniforms of uniform_(0, 1) into n elements of type T at out: f32 one
 * tempered word each, its low 24 bits over 2^24; f64 two words each (the
 * first high), its low 53 bits over 2^53.
 */
// @ts-ignore: decorator
@inline function uniformWords<T>(state: usize, out: usize, n: i32): void {
  let k = load<i32>(state + ((<usize>N) << 2));
  for (let i = 0; i < n; i++) {
    if (k == N) {
      twist(state);
      k = 0;
    }
    const hi = temper(word(state, k++));
    if (sizeof<T>() == 4) {
      store<f32>(out + ((<usize>i) << 2), <f32>(hi & 0xffffff) * 5.9604644775390625e-8);
      continue;
    }
    if (k == N) {
      twist(state);
      k = 0;
    }
    const lo = temper(word(state, k++));
    const u = ((<u64>(hi & 0x1fffff)) << 32) | (<u64>lo);
    store<f64>(out + ((<usize>i) << 3), <f64>u * 1.1102230246251565e-16);
  }
  store<i32>(state + ((<usize>N) << 2), k);
}

/**
 * uniform_(from, to) on n f32 elements at out: u·span + lo with
 * lo = f32(from), span = f32(f32(to) − lo), fused (see above).
 */
export function uniform_fill_f32(state: usize, out: usize, n: i32, from: f64, to: f64): void {
  uniformWords<f32>(state, out, n);
  if (from == 0 && to == 1) return;
  const lo = <f64>(<f32>from);
  const span = <f64>(<f32>(<f32>to - <f32>lo));
  for (let i = 0; i < n; i++) {
    const p = out + ((<usize>i) << 2);
    store<f32>(p, <f32>(<f64>load<f32>(p) * span + lo));
  }
}

/** Veltkamp's splitter for f64, 2^27 + 1. */
// @ts-ignore: decorator
@inline const SPLITTER: f64 = 134217729;

/**
 * a·b + c with (nearly always) one rounding: Dekker's exact product and
 * Knuth's exact sum, the JavaScript `fmaDouble` (src/tensor/sampling.ts),
 * including its scaling where the split would overflow.
 */
function fmaDouble(a: f64, b: f64, c: f64): f64 {
  const p = a * b;
  if (!isFinite(p) || p == 0) return p + c;
  if (Math.abs(a) > 1e290 || Math.abs(b) > 1e290) {
    if (c != 0 && Math.abs(c) < 1e-120) return p + c;
    const down = 2.409919865102884e-181; // 2^-600
    const up = 4.149515568880993e180; // 2^600
    return Math.abs(a) > 1e290
      ? fmaDouble(a * down, b, c * down) * up
      : fmaDouble(a, b * down, c * down) * up;
  }
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const e = al * bl - (p - ah * bh - al * bh - ah * bl);
  const s = p + c;
  const bb = s - p;
  const err = p - (s - bb) + (c - bb);
  return s + (err + e);
}

/** uniform_(from, to) on n f64 elements at out: fma(u, to − from, from). */
export function uniform_fill_f64(state: usize, out: usize, n: i32, from: f64, to: f64): void {
  uniformWords<f64>(state, out, n);
  if (from == 0 && to == 1) return;
  const span = to - from;
  for (let i = 0; i < n; i++) {
    const p = out + ((<usize>i) << 3);
    store<f64>(p, fmaDouble(load<f64>(p), span, from));
  }
}

/** a·b + c on four f32 lanes, the product and sum in f64, then rounded to f32. */
// @ts-ignore: decorator
@inline function fma4(a: v128, b: v128, c: v128): v128 {
  const lo = f64x2.add(
    f64x2.mul(f64x2.promote_low_f32x4(a), f64x2.promote_low_f32x4(b)),
    f64x2.promote_low_f32x4(c),
  );
  const ah = v128.shuffle<f32>(a, a, 2, 3, 2, 3);
  const bh = v128.shuffle<f32>(b, b, 2, 3, 2, 3);
  const ch = v128.shuffle<f32>(c, c, 2, 3, 2, 3);
  const hi = f64x2.add(
    f64x2.mul(f64x2.promote_low_f32x4(ah), f64x2.promote_low_f32x4(bh)),
    f64x2.promote_low_f32x4(ch),
  );
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** A float32 constant in four lanes. */
// @ts-ignore: decorator
@inline function k4(x: f32): v128 {
  return f32x4.splat(x);
}

/**
 * ATen's `normal_fill_16_AVX2` on four of a block's eight pairs: u1 at p,
 * u2 at p + 32 bytes, overwritten by r·cos θ·std + mean and r·sin θ·std +
 * mean (src/tensor/box-muller-float32.ts gives the source of every step).
 */
// @ts-ignore: decorator
@inline function boxMuller4(p: usize, mean: v128, std: v128): void {
  const one = k4(1);
  // log256_ps(1 − u1): exponent and mantissa in [0.5, 1) from the bits.
  const v = f32x4.sub(one, v128.load(p));
  let e = f32x4.add(f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(v, 23), i32x4.splat(0x7f))), one);
  let x = v128.or(v128.and(v, i32x4.splat(0x807fffff)), i32x4.splat(0x3f000000));
  const small = f32x4.lt(x, k4(<f32>Math.SQRT1_2));
  const tmp = v128.and(x, small);
  x = f32x4.sub(x, one);
  e = f32x4.sub(e, v128.and(one, small));
  x = f32x4.add(x, tmp);
  const z = f32x4.mul(x, x);
  let y = fma4(k4(7.0376836292e-2), x, k4(-1.151461031e-1));
  y = fma4(y, x, k4(1.167699874e-1));
  y = fma4(y, x, k4(-1.2420140846e-1));
  y = fma4(y, x, k4(1.4249322787e-1));
  y = fma4(y, x, k4(-1.6668057665e-1));
  y = fma4(y, x, k4(2.0000714765e-1));
  y = fma4(y, x, k4(-2.4999993993e-1));
  y = fma4(y, x, k4(3.3333331174e-1));
  y = f32x4.mul(y, x);
  y = fma4(y, z, f32x4.mul(e, k4(-2.1219444e-4)));
  y = f32x4.sub(y, f32x4.mul(z, k4(0.5)));
  const log = fma4(e, k4(0.693359375), f32x4.add(x, y));
  const r = f32x4.sqrt(f32x4.mul(k4(-2), log));

  // sincos256_ps(2π·u2): octant, three-part reduction, both polynomials.
  const theta = f32x4.mul(k4(<f32>(2 * Math.PI)), v128.load(p, 32));
  const octant = v128.and(
    i32x4.add(i32x4.trunc_sat_f32x4_s(f32x4.mul(theta, k4(1.27323954473516))), i32x4.splat(1)),
    i32x4.splat(~1),
  );
  const q = f32x4.convert_i32x4_s(octant);
  let t = fma4(q, k4(-0.78515625), theta);
  t = fma4(q, k4(-2.4187564849853515625e-4), t);
  t = fma4(q, k4(-3.774894977445941e-8), t);
  const tt = f32x4.mul(t, t);
  let c = fma4(k4(2.443315711809948e-5), tt, k4(-1.388731625493765e-3));
  c = fma4(c, tt, k4(4.166664568298827e-2));
  c = f32x4.mul(c, tt);
  c = fma4(c, tt, f32x4.neg(f32x4.mul(tt, k4(0.5))));
  c = f32x4.add(c, one);
  let s = fma4(k4(-1.9515295891e-4), tt, k4(8.3321608736e-3));
  s = fma4(s, tt, k4(-1.6666654611e-1));
  s = f32x4.mul(s, tt);
  s = fma4(s, t, t);
  // Octants 2 and 3 (mod 4) swap the polynomials; the signs come from the octant's bits.
  const swap = i32x4.ne(v128.and(octant, i32x4.splat(2)), i32x4.splat(0));
  const sinSign = i32x4.shl(v128.and(octant, i32x4.splat(4)), 29);
  const cosSign = i32x4.shl(v128.andnot(i32x4.splat(4), i32x4.sub(octant, i32x4.splat(2))), 29);
  const sin = v128.xor(v128.bitselect(c, s, swap), sinSign);
  const cos = v128.xor(v128.bitselect(s, c, swap), cosSign);
  v128.store(p, fma4(f32x4.mul(r, cos), std, mean));
  v128.store(p, fma4(f32x4.mul(r, sin), std, mean), 32);
}

/** The blocks of 16 at d: both halves of each block's eight pairs. */
function boxMullerBlocks(d: usize, blocks: i32, mean: f32, std: f32): void {
  const m = f32x4.splat(mean);
  const s = f32x4.splat(std);
  for (let b = 0; b < blocks; b++) {
    const p = d + ((<usize>b) << 6);
    boxMuller4(p, m, s);
    boxMuller4(p + 16, m, s);
  }
}

/**
 * normal_(mean, std) on n ≥ 16 f32 elements at out (the caller checks n):
 * uniforms, Box–Muller in blocks of 16, the last 16 drawn again and
 * transformed when n is not a multiple of 16.
 */
export function normal_fill_f32(state: usize, out: usize, n: i32, mean: f64, std: f64): void {
  const m = <f32>mean;
  const s = <f32>std;
  uniformWords<f32>(state, out, n);
  boxMullerBlocks(out, n >> 4, m, s);
  if ((n & 15) != 0) {
    const tail = out + ((<usize>(n - 16)) << 2);
    uniformWords<f32>(state, tail, 16);
    boxMullerBlocks(tail, 1, m, s);
  }
}
