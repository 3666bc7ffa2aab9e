/**
 * PyTorch's float32 `normal_` for 16 or more contiguous elements on an AVX2
 * CPU (`normal_fill_16_AVX2`): Box–Muller over pairs (j, j + 8) of each block
 * of 16 uniforms, with the Cephes-derived `log256_ps` and `sincos256_ps` of
 * `avx_mathfun.h` (Pommier's SSE math, widened by Garberoglio). Reproduced
 * operation by operation in float32 (`Math.fround` after each step), with
 * the fused multiply-adds GCC 12 forms from those intrinsics under
 * `-mfma -ffp-contract=fast`: 1,000,003 samples after `manual_seed(0)`
 * equal Debian's PyTorch 1.13 bit for bit (without the fusions, 1% differ
 * by an ulp).
 *
 * A fused `a·b + c` of floats is computed here as `fround(a·b + c)` in
 * double: the product is exact, but the sum is rounded twice (to double,
 * then float), which differs from one rounding only when the double sum
 * lands exactly halfway between two floats, about once in 2^29.
 *
 * PyTorch on a CPU without AVX2 (or with AVX-512, which 1.13 dispatches to
 * the scalar loop) uses libm's `logf`/`cosf`/`sinf` instead; those samples
 * differ from these by an ulp or so.
 */

const fr = Math.fround;

// log256_ps: log(x) = log(m) + e·ln 2 with m in [√½, √2), a degree-8 polynomial in m − 1.
const SQRTHF = fr(Math.SQRT1_2);
const P0 = fr(7.0376836292e-2);
const P1 = fr(-1.151461031e-1);
const P2 = fr(1.167699874e-1);
const P3 = fr(-1.2420140846e-1);
const P4 = fr(1.4249322787e-1);
const P5 = fr(-1.6668057665e-1);
const P6 = fr(2.0000714765e-1);
const P7 = fr(-2.4999993993e-1);
const P8 = fr(3.3333331174e-1);
/** ln 2 split in two: Q2 exact in few bits, Q1 the remainder, so e·ln 2 adds without error. */
const Q1 = fr(-2.1219444e-4);
const Q2 = fr(0.693359375);

// sincos256_ps: reduce by multiples of π/4 in three parts (Cody–Waite), then a
// cosine or sine polynomial on [−π/4, π/4] chosen by the octant.
const MINUS_DP1 = fr(-0.78515625);
const MINUS_DP2 = fr(-2.4187564849853515625e-4);
const MINUS_DP3 = fr(-3.774894977445941e-8);
const SIN_P0 = fr(-1.9515295891e-4);
const SIN_P1 = fr(8.3321608736e-3);
const SIN_P2 = fr(-1.6666654611e-1);
const COS_P0 = fr(2.443315711809948e-5);
const COS_P1 = fr(-1.388731625493765e-3);
const COS_P2 = fr(4.166664568298827e-2);
const FOUR_OVER_PI = fr(1.27323954473516);
const TWO_PI = fr(2 * Math.PI);
/** 2^-k for k = 0 … 25. */
const INV_POW2 = Float64Array.from({ length: 26 }, (_, k) => 2 ** -k);

/** Lanes of the eight Box–Muller pairs, stage by stage (eight independent chains per loop). */
const X = new Float64Array(8);
const E = new Float64Array(8);
const Y = new Float64Array(8);
const Z = new Float64Array(8);
const R = new Float64Array(8);
const T = new Float64Array(8);
const Q = new Int32Array(8);

/**
 * `normal_fill_16_AVX2` on `d[o .. o + 16)`, which hold uniforms `k / 2^24`:
 * for j < 8, `r = √(−2 log(1 − d[j]))`, `θ = 2π·d[j + 8]`, then
 * `d[j] = r cos θ · std + mean` and `d[j + 8] = r sin θ · std + mean`.
 * A fused `a·b + c` is written `fr(a * b + c)` (see the file's note). The
 * eight lanes go through each stage together, as the AVX2 kernel's do, so
 * the CPU overlaps their (long, dependent) chains of float32 roundings.
 */
export function boxMuller16Float32(d: Float32Array, o: number, mean: number, std: number): void {
  // log256_ps(1 − d[j]). The argument is m / 2^24 for an integer m in [1, 2^24], so its
  // exponent and mantissa come from m's bit length: v = x · 2^e with x in [0.5, 1),
  // exactly what the intrinsic's bit manipulation gives.
  for (let j = 0; j < 8; j++) {
    const m = (1 - d[o + j]) * 16777216;
    const q = 31 - Math.clz32(m); // m in [2^q, 2^(q+1))
    const x = m * INV_POW2[q + 1];
    const small = x < SQRTHF;
    E[j] = q - 23 - (small ? 1 : 0);
    X[j] = small ? fr(fr(x - 1) + x) : fr(x - 1);
  }
  for (let j = 0; j < 8; j++) {
    const x = X[j];
    let y = fr(P0 * x + P1);
    y = fr(y * x + P2);
    y = fr(y * x + P3);
    y = fr(y * x + P4);
    Y[j] = y;
  }
  for (let j = 0; j < 8; j++) {
    const x = X[j];
    let y = Y[j];
    y = fr(y * x + P5);
    y = fr(y * x + P6);
    y = fr(y * x + P7);
    y = fr(y * x + P8);
    Y[j] = fr(y * x);
  }
  for (let j = 0; j < 8; j++) {
    const x = X[j];
    const e = E[j];
    const z = fr(x * x);
    let y = fr(Y[j] * z + fr(e * Q1)); // GCC fuses y·z, the first product, into the add
    y = fr(y - z * 0.5);
    const log = fr(e * Q2 + fr(x + y));
    R[j] = fr(Math.sqrt(fr(-2 * log)));
  }
  // sincos256_ps(2π · d[j + 8]), θ in [0, 2π).
  for (let j = 0; j < 8; j++) {
    const theta = fr(TWO_PI * d[o + j + 8]);
    const octant = (Math.trunc(fr(theta * FOUR_OVER_PI)) + 1) & ~1;
    let t = fr(octant * MINUS_DP1 + theta);
    t = fr(octant * MINUS_DP2 + t);
    T[j] = fr(octant * MINUS_DP3 + t);
    Q[j] = octant;
  }
  for (let j = 0; j < 8; j++) {
    const t = T[j];
    const tt = fr(t * t);
    Z[j] = tt;
    let c = fr(COS_P0 * tt + COS_P1);
    c = fr(c * tt + COS_P2);
    c = fr(c * tt);
    c = fr(c * tt - fr(tt * 0.5)); // the second c·tt is the fused one
    X[j] = fr(c + 1);
  }
  for (let j = 0; j < 8; j++) {
    const t = T[j];
    const tt = Z[j];
    let s = fr(SIN_P0 * tt + SIN_P1);
    s = fr(s * tt + SIN_P2);
    s = fr(s * tt);
    Y[j] = fr(s * t + t);
  }
  for (let j = 0; j < 8; j++) {
    const octant = Q[j];
    const swap = (octant & 2) !== 0; // octants 2, 3 (mod 4) swap the polynomials
    let sin = swap ? X[j] : Y[j];
    let cos = swap ? Y[j] : X[j];
    if ((octant & 4) !== 0) sin = -sin;
    if ((~(octant - 2) & 4) !== 0) cos = -cos;
    const r = R[j];
    d[o + j] = fr(fr(r * cos) * std + mean);
    d[o + j + 8] = fr(fr(r * sin) * std + mean);
  }
}
