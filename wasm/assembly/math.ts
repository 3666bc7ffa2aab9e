// AssemblyScript, compiled by scripts/codegen/emit-as.ts (buildWasm); not part of the TS program.
// nnkit WebAssembly kernels: the elementary functions on f32x4, written once
// for AssemblyScript. The schemes are those of native/simd.h (float32):
//   exp/expm1  n = round(x·log2 e) by the 1.5·2^23 trick, r = x − n·ln2 in two
//              parts, e^r − 1 = r·q(r) with q of degree 5, scaled by 2^n1·2^n2
//   log/log1p  fdlibm's f/(2+f) scheme with its Lg1..Lg4 coefficients
//   tanh       copysign(−t/(t+2), x), t = expm1(−2|x|)
//   erf        x·P(x²)/Q(x²) on [−3.92, 3.92], ±1 beyond
// WebAssembly's f32x4.min/max propagate NaN, as PyTorch's clamp does.

const SIGN: i32 = 0x80000000;
const MAGIC: f32 = 12582912.0; // 1.5·2^23
const MAGIC_BITS: i32 = 0x4b400000;

@inline function splat(c: f32): v128 {
  return f32x4.splat(c);
}

@inline export function vabs(a: v128): v128 {
  return f32x4.abs(a);
}

@inline export function copysign(a: v128, s: v128): v128 {
  const m = i32x4.splat(SIGN);
  return v128.or(v128.andnot(a, m), v128.and(s, m));
}

/**
 * Clamps to [lo, hi]; NaN passes through. pmax(a, l) is `a < l ? l : a` and
 * pmin(a, h) is `h < a ? h : a`: both keep a NaN `a`, and each is a single
 * maxps/minps in V8 (a compare and a bitselect would be four or five).
 */
@inline function clampKeepNaN(a: v128, lo: f32, hi: f32): v128 {
  return f32x4.pmin(f32x4.pmax(a, splat(lo)), splat(hi));
}

@inline export function vsign(a: v128): v128 {
  const r = v128.bitselect(splat(1), a, f32x4.gt(a, splat(0)));
  return v128.bitselect(splat(-1), r, f32x4.lt(a, splat(0)));
}

@inline export function vpow(a: v128, b: v128): v128 {
  let r = f32x4.splat(0);
  r = f32x4.replace_lane(r, 0, Mathf.pow(f32x4.extract_lane(a, 0), f32x4.extract_lane(b, 0)));
  r = f32x4.replace_lane(r, 1, Mathf.pow(f32x4.extract_lane(a, 1), f32x4.extract_lane(b, 1)));
  r = f32x4.replace_lane(r, 2, Mathf.pow(f32x4.extract_lane(a, 2), f32x4.extract_lane(b, 2)));
  r = f32x4.replace_lane(r, 3, Mathf.pow(f32x4.extract_lane(a, 3), f32x4.extract_lane(b, 3)));
  // C's pow, which PyTorch calls: pow(1, y) = 1 for every y (NaN included) and
  // pow(−1, ±inf) = 1, where AssemblyScript's Mathf.pow (JavaScript's rules) gives NaN.
  const one = splat(1);
  const minusOneInf = v128.and(f32x4.eq(a, splat(-1)), f32x4.eq(f32x4.abs(b), splat(Infinity)));
  return v128.bitselect(one, r, v128.or(f32x4.eq(a, one), minusOneInf));
}

// q(r) ≈ (e^r − 1)/r on [−ln2/2, ln2/2] (weighted least-squares fit, 1.1e-8).
@inline function expQ(r: v128): v128 {
  let p = splat(0.0013888856628909707);
  p = f32x4.add(f32x4.mul(p, r), splat(0.00836906861513853));
  p = f32x4.add(f32x4.mul(p, r), splat(0.041667137295007706));
  p = f32x4.add(f32x4.mul(p, r), splat(0.16666506230831146));
  p = f32x4.add(f32x4.mul(p, r), splat(0.4999999701976776));
  p = f32x4.add(f32x4.mul(p, r), splat(1.0));
  return p;
}

/** 2^k for integer lanes k (as i32x4), normal range only. */
@inline function pow2(k: v128): v128 {
  return i32x4.shl(i32x4.add(k, i32x4.splat(127)), 23);
}

@inline export function vexp(x: v128): v128 {
  x = clampKeepNaN(x, -104, 89);
  const t = f32x4.add(f32x4.mul(x, splat(1.4426950408889634)), splat(MAGIC));
  const n = f32x4.sub(t, splat(MAGIC));
  const r = f32x4.sub(
    f32x4.sub(x, f32x4.mul(n, splat(0.693145751953125))),
    f32x4.mul(n, splat(1.428606765330187045e-6)),
  );
  const ni = i32x4.sub(t, i32x4.splat(MAGIC_BITS));
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  const p = f32x4.add(f32x4.mul(r, expQ(r)), splat(1));
  return f32x4.mul(f32x4.mul(p, pow2(n1)), pow2(n2));
}

@inline export function vexpm1(x: v128): v128 {
  const xc = clampKeepNaN(x, -30, 89);
  const t = f32x4.add(f32x4.mul(xc, splat(1.4426950408889634)), splat(MAGIC));
  const n = f32x4.sub(t, splat(MAGIC));
  const r = f32x4.sub(
    f32x4.sub(xc, f32x4.mul(n, splat(0.693145751953125))),
    f32x4.mul(n, splat(1.428606765330187045e-6)),
  );
  const ni = i32x4.sub(t, i32x4.splat(MAGIC_BITS));
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  const s1 = pow2(n1);
  const s2 = pow2(n2);
  const inv1 = pow2(i32x4.neg(n1));
  const rq = f32x4.mul(r, expQ(r));
  // 2^n1·((2^n2 − 2^−n1) + 2^n2·rq): exactly rq when n = 0.
  const res = f32x4.mul(s1, f32x4.add(f32x4.sub(s2, inv1), f32x4.mul(s2, rq)));
  return v128.bitselect(x, res, f32x4.eq(x, splat(0)));
}

/** log(u) + c/u for positive normal u; kAdj is added to the exponent. */
@inline function logCore(u: v128, kAdj: v128, c: v128): v128 {
  let ix = i32x4.add(u, i32x4.splat(0x3f800000 - 0x3f3504f3));
  const k = i32x4.add(i32x4.sub(i32x4.shr_u(ix, 23), i32x4.splat(127)), kAdj);
  ix = i32x4.add(v128.and(ix, i32x4.splat(0x007fffff)), i32x4.splat(0x3f3504f3));
  const f = f32x4.sub(ix, splat(1));
  const dk = f32x4.convert_i32x4_s(k);
  const s = f32x4.div(f, f32x4.add(f, splat(2)));
  const z = f32x4.mul(s, s);
  const w = f32x4.mul(z, z);
  const t1 = f32x4.mul(w, f32x4.add(splat(4.0000972152e-1), f32x4.mul(w, splat(2.4279078841e-1))));
  const t2 = f32x4.mul(z, f32x4.add(splat(6.6666662693e-1), f32x4.mul(w, splat(2.8498786688e-1))));
  const R = f32x4.add(t2, t1);
  const hfsq = f32x4.mul(f32x4.mul(splat(0.5), f), f);
  const lo = f32x4.add(f32x4.mul(dk, splat(9.0580006145e-6)), c);
  const inner = f32x4.sub(f32x4.sub(hfsq, f32x4.add(f32x4.mul(s, f32x4.add(hfsq, R)), lo)), f);
  return f32x4.sub(f32x4.mul(dk, splat(6.9313812256e-1)), inner);
}

@inline export function vlog(x: v128): v128 {
  const sub = f32x4.lt(x, splat(1.17549435e-38));
  const u = v128.bitselect(f32x4.mul(x, splat(8388608.0)), x, sub);
  const kAdj = v128.and(sub, i32x4.splat(-23));
  let r = logCore(u, kAdj, splat(0));
  r = v128.bitselect(x, r, f32x4.eq(x, splat(Infinity)));
  r = v128.bitselect(splat(-Infinity), r, f32x4.eq(x, splat(0)));
  r = v128.bitselect(splat(NaN), r, f32x4.lt(x, splat(0)));
  return v128.bitselect(x, r, f32x4.ne(x, x));
}

@inline export function vlog1p(x: v128): v128 {
  const u = f32x4.add(x, splat(1));
  // The rounding error of u = 1 + x, exactly (fdlibm's s_log1p).
  const cBig = f32x4.sub(splat(1), f32x4.sub(u, x));
  const cSmall = f32x4.sub(x, f32x4.sub(u, splat(1)));
  const c = f32x4.div(v128.bitselect(cBig, cSmall, f32x4.ge(u, splat(2))), u);
  let r = logCore(u, i32x4.splat(0), c);
  r = v128.bitselect(x, r, f32x4.lt(f32x4.abs(x), splat(5.9604644775390625e-8)));
  // PyTorch's float log1p (Sleef) is +inf above 1e38.
  r = v128.bitselect(splat(Infinity), r, f32x4.gt(x, splat(1e38)));
  r = v128.bitselect(splat(-Infinity), r, f32x4.eq(u, splat(0)));
  r = v128.bitselect(splat(NaN), r, f32x4.lt(u, splat(0)));
  return v128.bitselect(x, r, f32x4.ne(x, x));
}

@inline export function vtanh(x: v128): v128 {
  const t = vexpm1(f32x4.mul(f32x4.abs(x), splat(-2)));
  return copysign(f32x4.div(f32x4.neg(t), f32x4.add(t, splat(2))), x);
}

@inline export function verf(x: v128): v128 {
  const xc = clampKeepNaN(x, -3.92, 3.92);
  const z = f32x4.mul(xc, xc);
  let p = splat(1.9110688143086918e-8);
  p = f32x4.add(f32x4.mul(p, z), splat(-1.9423039248067653e-6));
  p = f32x4.add(f32x4.mul(p, z), splat(0.0001472870062571019));
  p = f32x4.add(f32x4.mul(p, z), splat(0.003990617580711842));
  p = f32x4.add(f32x4.mul(p, z), splat(0.051525045186281204));
  p = f32x4.add(f32x4.mul(p, z), splat(0.20712651312351227));
  p = f32x4.add(f32x4.mul(p, z), splat(1.1283791065216064));
  let q = splat(0.0010211217449977994);
  q = f32x4.add(f32x4.mul(q, z), splat(0.014958170242607594));
  q = f32x4.add(f32x4.mul(q, z), splat(0.1179712638258934));
  q = f32x4.add(f32x4.mul(q, z), splat(0.5168923139572144));
  q = f32x4.add(f32x4.mul(q, z), splat(1.0));
  const r = f32x4.div(f32x4.mul(xc, p), q);
  return v128.bitselect(copysign(splat(1), x), r, f32x4.ge(f32x4.abs(x), splat(3.92)));
}
