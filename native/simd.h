// nnkit native kernels: portable SIMD vectors and the elementary math, written once.
//
// Vectors are GCC/Clang vector extensions NNKIT_VECTOR_BYTES wide: 32 bytes
// (8 floats or 4 doubles) for the kernels compiled with `#pragma GCC
// target("avx2,fma")`, chosen at run time; 16 for the baseline x86-64 build
// (SSE2's own width: with 32, GCC split every vector into halves and
// scalarised much of the rest, which made that build 2.6 times the AVX2
// one's size and 2–6 times slower than with 16); 64 for the AVX-512 build of
// the matrix product, the softmax and cross-entropy rows and the float32
// unary ops bound by exp, log, tanh or erf (kernels_avx512.cc).
// Nothing here calls libm per element except `vpow` (see there).
//
// This header is included inside an anonymous namespace by each ISA's
// translation unit, after all system headers, so the two compilations never
// share a symbol.
//
// Math functions (error bounds are measured in test/kernels-math.test.ts):
//   exp    n = round(x·log2 e), r = x − n·ln2 (Cody–Waite, two parts),
//          e^r = 1 + r·q(r) with q a degree-5 (float) / degree-11 (double)
//          polynomial, scaled by 2^n as two factors 2^n1·2^n2 so that results
//          near overflow and in the subnormal range need no special case.
//   expm1  the same reduction; 2^n1·((2^n2 − 2^−n1) + 2^n2·r·q(r)), which is
//          exactly r·q(r) for n = 0, so tiny arguments keep full precision.
//   log    fdlibm's scheme: x = 2^k·(1+f), 1+f in [√2/2, √2), s = f/(2+f),
//          log(1+f) = f − (hf² − s·(hf² + R(s²))), with fdlibm's coefficients.
//   log1p  log of u = 1+x with fdlibm's correction term c/u for the rounding of u.
//   tanh   copysign(−t/(t+2), x) with t = expm1(−2|x|): no overflow, no cancellation.
//   erf    float: a rational x·P(x²)/Q(x²) of our own fitting on [−3.92, 3.92];
//          double: fdlibm's four rational pieces, evaluated for every lane
//          and selected.

#define NNKIT_INLINE inline __attribute__((always_inline))

#ifndef NNKIT_VECTOR_BYTES
#define NNKIT_VECTOR_BYTES 32
#endif
typedef float vf32 __attribute__((vector_size(NNKIT_VECTOR_BYTES)));
typedef int32_t vi32 __attribute__((vector_size(NNKIT_VECTOR_BYTES)));
typedef uint32_t vu32 __attribute__((vector_size(NNKIT_VECTOR_BYTES)));
typedef double vf64 __attribute__((vector_size(NNKIT_VECTOR_BYTES)));
typedef int64_t vi64 __attribute__((vector_size(NNKIT_VECTOR_BYTES)));
typedef uint64_t vu64 __attribute__((vector_size(NNKIT_VECTOR_BYTES)));

template <class V>
struct Tr;
template <>
struct Tr<vf32> {
  typedef float T;
  typedef vi32 I;
  typedef vu32 U;
  static constexpr int W = NNKIT_VECTOR_BYTES / 4;
  static constexpr int MANT = 23;
  static constexpr int BIAS = 127;
};
template <>
struct Tr<vf64> {
  typedef double T;
  typedef vi64 I;
  typedef vu64 U;
  static constexpr int W = NNKIT_VECTOR_BYTES / 8;
  static constexpr int MANT = 52;
  static constexpr int BIAS = 1023;
};
template <class T>
struct VecOf;
template <>
struct VecOf<float> {
  typedef vf32 V;
};
template <>
struct VecOf<double> {
  typedef vf64 V;
};

/**
 * Four rows' terms of a column sum, in double, as ((a0 + a1) + (a2 + a3)):
 * the grouping of reduceStrided's sums and of the sums gemmSumPackedA takes
 * from a packed block, so that a bias gradient has the same bits whichever
 * computes it.
 */
template <class T>
NNKIT_INLINE double sumOfFour(T a0, T a1, T a2, T a3) {
  return (double(a0) + double(a1)) + (double(a2) + double(a3));
}

template <class V>
NNKIT_INLINE V splat(typename Tr<V>::T s) {
  V r;
  for (int i = 0; i < Tr<V>::W; i++) r[i] = s;
  return r;
}
/**
 * A product kept out of fused multiply-adds: the FMA build would contract
 * `a·b ± c` into one operation that rounds once, where PyTorch's separate
 * kernels round a·b first (an overflowing product stays inf, not absorbed).
 * The empty asm "changes" the register, so the compiler cannot fuse across
 * it; it costs no instruction. Without FMA nothing is contracted.
 */
template <class V>
NNKIT_INLINE V rounded(V z) {
#if defined(NNKIT_HAS_FMA)
  __asm__("" : "+x"(z));
#endif
  return z;
}
template <class V>
NNKIT_INLINE typename Tr<V>::I splati(int64_t s) {
  typename Tr<V>::I r;
  for (int i = 0; i < Tr<V>::W; i++) r[i] = (decltype(r[0] + 0))s;
  return r;
}
template <class V>
NNKIT_INLINE V load(const typename Tr<V>::T* p) {
  V v;
  memcpy(&v, p, sizeof v);
  return v;
}
template <class V>
NNKIT_INLINE void store(typename Tr<V>::T* p, V v) {
  memcpy(p, &v, sizeof v);
}
/**
 * A store that bypasses the caches (non-temporal; `p` aligned to the vector)
 * in the AVX2 and AVX-512 builds, an ordinary one in the baseline build.
 * An ordinary store first reads the line it writes into the cache; for an
 * output far larger than the cache that read is wasted memory traffic, a
 * third of a unary kernel's. Measured here on 16 MB: relu 2.5 → 1.4 ms
 * with a fresh output, and still 3.7 → 2.8 ms with a pass reading the
 * output right after; below 8 MB that pass lost more than the store gained
 * (4 MB: 0.55 → 0.65 ms). Follow a run of these with streamFence().
 */
template <class V>
NNKIT_INLINE void storeStream(typename Tr<V>::T* p, V v) {
#if defined(NNKIT_HAS_FMA)
  __asm__("vmovntps %1, %0" : "=m"(*reinterpret_cast<V*>(p)) : "x"(v));
#else
  store(p, v);
#endif
}
/** Orders the streaming stores before what follows (the pool's completion signal). */
NNKIT_INLINE void streamFence() {
#if defined(NNKIT_HAS_FMA)
  __asm__ __volatile__("sfence" ::: "memory");
#endif
}
/** Outputs of at least this many bytes per call are written with storeStream (see table.h). */
constexpr size_t kStreamMinBytes = nnkit::kStreamMinBytes;
/** Whether this build streams (the baseline build has no such store, and skips the loops). */
#if defined(NNKIT_HAS_FMA)
constexpr bool kStreams = true;
#else
constexpr bool kStreams = false;
#endif
/** Elements from p to the next address aligned to the vector V (0 if p is aligned). */
template <class V>
NNKIT_INLINE size_t toVectorAlignment(const typename Tr<V>::T* p) {
  const size_t mis = reinterpret_cast<uintptr_t>(p) % sizeof(V);
  return mis == 0 ? 0 : (sizeof(V) - mis) / sizeof(typename Tr<V>::T);
}
// Partial vectors (the tail of a row, the edge of a GEMM tile) move with the
// AVX2 and AVX-512 masked loads and stores, which never touch the memory of
// their masked-out lanes; the baseline build has none and copies through
// memcpy, a library call per tail (the AVX2 GEMM spent 10 % of bench:train
// c's steps in it, storing tiles 14 or 16 columns wide lane by lane).
#if defined(NNKIT_HAS_FMA) && NNKIT_VECTOR_BYTES == 64
/** Lanes [0, n) as an AVX-512 write mask. */
NNKIT_INLINE unsigned laneBits(size_t n) { return (1u << n) - 1; }
#elif defined(NNKIT_HAS_FMA) && NNKIT_VECTOR_BYTES == 32
typedef long long vll4 __attribute__((vector_size(32)));
/** All ones in lanes [0, n) of V's integer vector, zero above: an AVX2 lane mask. */
template <class V>
NNKIT_INLINE typename Tr<V>::I laneMask(size_t n) {
  typename Tr<V>::I lane;
  for (int l = 0; l < Tr<V>::W; l++) lane[l] = l;
  return lane < splati<V>(int64_t(n));
}
#endif

/** Loads `n` < W elements; the other lanes are zero. */
template <class V>
NNKIT_INLINE V loadPartial(const typename Tr<V>::T* p, size_t n) {
#if defined(NNKIT_HAS_FMA) && NNKIT_VECTOR_BYTES == 64
  if constexpr (sizeof(typename Tr<V>::T) == 4)
    return __builtin_ia32_loadups512_mask(p, V{}, (unsigned short)laneBits(n));
  if constexpr (sizeof(typename Tr<V>::T) == 8)
    return __builtin_ia32_loadupd512_mask(p, V{}, (unsigned char)laneBits(n));
#elif defined(NNKIT_HAS_FMA) && NNKIT_VECTOR_BYTES == 32
  if constexpr (sizeof(typename Tr<V>::T) == 4)
    return __builtin_ia32_maskloadps256(reinterpret_cast<const V*>(p), laneMask<V>(n));
  if constexpr (sizeof(typename Tr<V>::T) == 8)
    return __builtin_ia32_maskloadpd256(reinterpret_cast<const V*>(p), (vll4)laneMask<V>(n));
#endif
  V v = splat<V>(0);
  memcpy(&v, p, n * sizeof(typename Tr<V>::T));
  return v;
}
/** Stores the first `n` < W lanes of v; the memory past them is not touched. */
template <class V>
NNKIT_INLINE void storePartial(typename Tr<V>::T* p, V v, size_t n) {
#if defined(NNKIT_HAS_FMA) && NNKIT_VECTOR_BYTES == 64
  if constexpr (sizeof(typename Tr<V>::T) == 4)
    return __builtin_ia32_storeups512_mask(p, v, (unsigned short)laneBits(n));
  if constexpr (sizeof(typename Tr<V>::T) == 8)
    return __builtin_ia32_storeupd512_mask(p, v, (unsigned char)laneBits(n));
#elif defined(NNKIT_HAS_FMA) && NNKIT_VECTOR_BYTES == 32
  if constexpr (sizeof(typename Tr<V>::T) == 4)
    return __builtin_ia32_maskstoreps256(reinterpret_cast<V*>(p), laneMask<V>(n), v);
  if constexpr (sizeof(typename Tr<V>::T) == 8)
    return __builtin_ia32_maskstorepd256(reinterpret_cast<V*>(p), (vll4)laneMask<V>(n), v);
#endif
  memcpy(p, &v, n * sizeof(typename Tr<V>::T));
}

/** Marks a lambda always-inline (some kernels' loop bodies are lambdas). */
#define NNKIT_LAMBDA __attribute__((always_inline))

template <class V>
NNKIT_INLINE V bitsToFloat(typename Tr<V>::I i) {
  return (V)i;
}
template <class V>
NNKIT_INLINE typename Tr<V>::I floatToBits(V v) {
  return (typename Tr<V>::I)v;
}

// ---- basic lanewise operations --------------------------------------------

template <class V>
NNKIT_INLINE V vabs(V a) {
  using I = typename Tr<V>::I;
  return (V)((I)a & ~floatToBits(splat<V>(-0.0)));
}
/** The sign bit of `s` on the magnitude of `a`. */
template <class V>
NNKIT_INLINE V copysignv(V a, V s) {
  using I = typename Tr<V>::I;
  const I sign = floatToBits(splat<V>(-0.0));
  return (V)(((I)a & ~sign) | ((I)s & sign));
}
/** NaN-propagating maximum, like PyTorch's `maximum`/`clamp_min`: NaN if either is NaN. */
template <class V>
NNKIT_INLINE V vmax(V a, V b) {
  return ((a > b) | (a != a)) ? a : b;
}
template <class V>
NNKIT_INLINE V vmin(V a, V b) {
  return ((a < b) | (a != a)) ? a : b;
}
/** Math.sign: ±1, and ±0 and NaN unchanged. */
template <class V>
NNKIT_INLINE V vsign(V a) {
  using T = typename Tr<V>::T;
  return a > 0 ? splat<V>(T(1)) : (a < 0 ? splat<V>(T(-1)) : a);
}
/** Clamps to [lo, hi]; NaN passes through (the comparisons are false). */
template <class V>
NNKIT_INLINE V clampKeepNaN(V a, typename Tr<V>::T lo, typename Tr<V>::T hi) {
  a = a < lo ? splat<V>(lo) : a;
  return a > hi ? splat<V>(hi) : a;
}
/** floor by adding and subtracting 2^mant with the sign of x (exact below 2^mant). */
template <class V>
NNKIT_INLINE V vfloor(V x) {
  using T = typename Tr<V>::T;
  const T big = sizeof(T) == 4 ? T(8388608.0) : T(4503599627370496.0);
  const V m = copysignv(splat<V>(big), x);
  V t = (x + m) - m;
  t = t > x ? t - T(1) : t;
  using I = typename Tr<V>::I;
  const I sign = floatToBits(splat<V>(-0.0));
  const V signed_t = (V)((I)t | ((I)x & sign));  // floor(-0) = -0, floor(-0.3) = -1
  return vabs(x) < big ? signed_t : x;
}
template <class V>
NNKIT_INLINE V vsqrt(V a) {
  V r;
  for (int i = 0; i < Tr<V>::W; i++) r[i] = __builtin_sqrt(a[i]);
  return r;
}
template <>
NNKIT_INLINE vf32 vsqrt<vf32>(vf32 a) {
  vf32 r;
  for (int i = 0; i < Tr<vf32>::W; i++) r[i] = __builtin_sqrtf(a[i]);
  return r;
}
/**
 * Power. libm per lane (pow is not on any hot path); an exponent that is 2,
 * 1 or 0 in every lane — the common cases — is done inline.
 */
template <class V>
NNKIT_INLINE V vpow(V a, V b) {
  using T = typename Tr<V>::T;
  bool all2 = true, all1 = true, all0 = true;
  for (int i = 0; i < Tr<V>::W; i++) {
    all2 &= b[i] == T(2);
    all1 &= b[i] == T(1);
    all0 &= b[i] == T(0);
  }
  if (all2) return a * a;
  if (all1) return a;
  if (all0) return splat<V>(T(1));
  V r;
  for (int i = 0; i < Tr<V>::W; i++) r[i] = std::pow(a[i], b[i]);
  return r;
}

// ---- exp and expm1 ----------------------------------------------------------

template <class V>
NNKIT_INLINE V polyHorner(V r, const double* c, int n) {
  using T = typename Tr<V>::T;
  V p = splat<V>(T(c[n - 1]));
  for (int i = n - 2; i >= 0; i--) p = p * r + T(c[i]);
  return p;
}

// q(r) ≈ (e^r − 1)/r on [−ln2/2, ln2/2]. float: weighted least-squares fit
// (max relative error 1.1e-8); double: the Taylor coefficients 1/(k+1)!.
static const double EXP_Q32[6] = {1.0,
                                  0.4999999701976776,
                                  0.16666506230831146,
                                  0.041667137295007706,
                                  0.00836906861513853,
                                  0.0013888856628909707};
static const double EXP_Q64[12] = {1.0,          1.0 / 2,       1.0 / 6,        1.0 / 24,
                                   1.0 / 120,    1.0 / 720,     1.0 / 5040,     1.0 / 40320,
                                   1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600};

/** x = n·ln2 + r with 2^n = s1·s2; `inv1` = 1/s1. x must be clamped first. */
template <class V>
NNKIT_INLINE V expReduce(V x, V& s1, V& s2, V& inv1) {
  using T = typename Tr<V>::T;
  using I = typename Tr<V>::I;
  using U = typename Tr<V>::U;
  constexpr bool F = sizeof(T) == 4;
  const T log2e = T(1.4426950408889634);
  const T magic = F ? T(12582912.0) : T(6755399441055744.0);  // 1.5·2^mant
  const T ln2hi = F ? T(0.693145751953125) : T(6.93147180369123816490e-01);
  const T ln2lo = F ? T(1.428606765330187045e-06) : T(1.90821492927058770002e-10);
  const V t = x * log2e + magic;
  const V n = t - magic;
  const V r = (x - n * ln2hi) - n * ln2lo;
  // The low bits of t hold n as an integer.
  const I ni = floatToBits(t) - floatToBits(splat<V>(magic));
  // n1 = floor(n/2) with a logical shift of a positive offset value.
  const I off = splati<V>(4096);
  const I n1 = (I)((U)(ni + off) >> 1) - splati<V>(2048);
  const I n2 = ni - n1;
  const I bias = splati<V>(Tr<V>::BIAS);
  s1 = bitsToFloat<V>((n1 + bias) << Tr<V>::MANT);
  s2 = bitsToFloat<V>((n2 + bias) << Tr<V>::MANT);
  inv1 = bitsToFloat<V>((bias - n1) << Tr<V>::MANT);
  return r;
}

template <class V>
NNKIT_INLINE V vexp(V x) {
  using T = typename Tr<V>::T;
  constexpr bool F = sizeof(T) == 4;
  x = F ? clampKeepNaN(x, T(-104), T(89)) : clampKeepNaN(x, T(-746), T(710));
  V s1, s2, inv1;
  const V r = expReduce(x, s1, s2, inv1);
  const V q = F ? polyHorner(r, EXP_Q32, 6) : polyHorner(r, EXP_Q64, 12);
  return ((r * q + T(1)) * s1) * s2;
}

template <class V>
NNKIT_INLINE V vexpm1(V x) {
  using T = typename Tr<V>::T;
  constexpr bool F = sizeof(T) == 4;
  // Below −30 (float) / −40 (double) expm1 is −1 to working precision.
  x = F ? clampKeepNaN(x, T(-30), T(89)) : clampKeepNaN(x, T(-40), T(710));
  V s1, s2, inv1;
  const V r = expReduce(x, s1, s2, inv1);
  const V q = F ? polyHorner(r, EXP_Q32, 6) : polyHorner(r, EXP_Q64, 12);
  const V rq = r * q;
  const V res = s1 * ((s2 - inv1) + s2 * rq);
  return x == T(0) ? x : res;  // expm1(−0) = −0
}

// ---- log and log1p -----------------------------------------------------------

// fdlibm's Lg1..Lg4 (e_logf.c) and Lg1..Lg7 (e_log.c).
static const double LOG_LG32[4] = {6.6666662693e-01, 4.0000972152e-01, 2.8498786688e-01,
                                   2.4279078841e-01};
static const double LOG_LG64[7] = {6.666666666666735130e-01, 3.999999999940941908e-01,
                                   2.857142874366239149e-01, 2.222219843214978396e-01,
                                   1.818357216161805012e-01, 1.531383769920937332e-01,
                                   1.479819860511658591e-01};

/** log(u) + c/u for positive finite normal u (specials handled by the callers). */
template <class V>
NNKIT_INLINE V logCore(V u, typename Tr<V>::I kAdjust, V c, bool withC) {
  using T = typename Tr<V>::T;
  using I = typename Tr<V>::I;
  using U = typename Tr<V>::U;
  constexpr bool F = sizeof(T) == 4;
  // Shift the mantissa range to [√2/2, √2): add (1 − √2/2)'s exponent offset.
  const int64_t one = F ? 0x3f800000LL : 0x3ff0000000000000LL;
  const int64_t sqrthalf = F ? 0x3f3504f3LL : 0x3fe6a09e667f3bcdLL;
  const int64_t mantMask = F ? 0x007fffffLL : 0x000fffffffffffffLL;
  I ix = floatToBits(u) + splati<V>(one - sqrthalf);
  const I k = (I)((U)ix >> Tr<V>::MANT) - splati<V>(Tr<V>::BIAS) + kAdjust;
  ix = (ix & splati<V>(mantMask)) + splati<V>(sqrthalf);
  const V f = bitsToFloat<V>(ix) - T(1);
  // k as floating point, via the magic-number trick (no int64 → double conversion in AVX2).
  const T magic = F ? T(12582912.0) : T(6755399441055744.0);
  const V dk = bitsToFloat<V>(k + floatToBits(splat<V>(magic))) - magic;
  const V s = f / (f + T(2));
  const V z = s * s;
  const V w = z * z;
  V R;
  if (F) {
    const V t1 = w * (T(LOG_LG32[1]) + w * T(LOG_LG32[3]));
    const V t2 = z * (T(LOG_LG32[0]) + w * T(LOG_LG32[2]));
    R = t2 + t1;
  } else {
    const V t1 = w * (T(LOG_LG64[1]) + w * (T(LOG_LG64[3]) + w * T(LOG_LG64[5])));
    const V t2 =
        z * (T(LOG_LG64[0]) + w * (T(LOG_LG64[2]) + w * (T(LOG_LG64[4]) + w * T(LOG_LG64[6]))));
    R = t2 + t1;
  }
  const T ln2hi = F ? T(6.9313812256e-01) : T(6.93147180369123816490e-01);
  const T ln2lo = F ? T(9.0580006145e-06) : T(1.90821492927058770002e-10);
  const V hfsq = T(0.5) * f * f;
  V lo = dk * ln2lo;
  if (withC) lo = lo + c;
  return dk * ln2hi - ((hfsq - (s * (hfsq + R) + lo)) - f);
}

template <class V>
NNKIT_INLINE V vlog(V x) {
  using T = typename Tr<V>::T;
  using I = typename Tr<V>::I;
  constexpr bool F = sizeof(T) == 4;
  const T minNormal = F ? T(1.17549435e-38f) : T(2.2250738585072014e-308);
  const T upScale = F ? T(8388608.0) : T(18014398509481984.0);  // 2^23, 2^54
  const auto sub = x < minNormal;
  const V u = sub ? x * upScale : x;
  const I kAdj = sub ? splati<V>(F ? -23 : -54) : splati<V>(0);
  V r = logCore(u, kAdj, u, false);
  const T inf = __builtin_inf();
  r = x == inf ? x : r;
  r = x == 0 ? splat<V>(-inf) : r;
  r = x < 0 ? splat<V>(__builtin_nan("")) : r;
  return x != x ? x : r;
}

template <class V>
NNKIT_INLINE V vlog1p(V x) {
  using T = typename Tr<V>::T;
  constexpr bool F = sizeof(T) == 4;
  const V u = x + T(1);
  // c = the rounding error of u = 1 + x, exact in either form (fdlibm's s_log1p).
  const V c = (u >= T(2) ? T(1) - (u - x) : x - (u - T(1))) / u;
  V r = logCore(u, splati<V>(0), c, true);
  const T inf = __builtin_inf();
  const T tiny = F ? T(5.9604644775390625e-08) : T(5.551115123125783e-17);  // 2^-24, 2^-54
  r = vabs(x) < tiny ? x : r;  // log1p(x) = x here; keeps −0
  // PyTorch's log1p (Sleef) is +inf above 1e38 in float, 1e307 in double.
  r = x > (F ? T(1e38f) : T(1e307)) ? splat<V>(inf) : r;
  r = x == inf ? x : r;
  r = u == 0 ? splat<V>(-inf) : r;
  r = u < 0 ? splat<V>(__builtin_nan("")) : r;
  return x != x ? x : r;
}

// ---- tanh -------------------------------------------------------------------

template <class V>
NNKIT_INLINE V vtanh(V x) {
  using T = typename Tr<V>::T;
  const V t = vexpm1(vabs(x) * T(-2));
  return copysignv(-t / (t + T(2)), x);
}

// ---- erf --------------------------------------------------------------------

// float: erf(x) ≈ x·P(x²)/Q(x²) on [−3.92, 3.92] (our weighted least-squares
// rational fit, relative error 6.5e-8 before rounding), ±1 beyond, where
// erf rounds to ±1 in float32.
static const double ERF_P32[7] = {
    1.1283791065216064,    0.20712651312351227,     0.051525045186281204,  0.003990617580711842,
    0.0001472870062571019, -1.9423039248067653e-06, 1.9110688143086918e-08};
static const double ERF_Q32[5] = {1.0, 0.5168923139572144, 0.1179712638258934, 0.014958170242607594,
                                  0.0010211217449977994};
// double: fdlibm's s_erf.c coefficients (the same as src/kernels/js/math.ts).
static const double ERF_PP[5] = {1.28379167095512558561e-1, -3.25042107247001499370e-1,
                                 -2.84817495755985104766e-2, -5.77027029648944159157e-3,
                                 -2.37630166566501626084e-5};
static const double ERF_QQ[6] = {1.0,
                                 3.97917223959155352819e-1,
                                 6.50222499887672944485e-2,
                                 5.08130628187576562776e-3,
                                 1.32494738004321644526e-4,
                                 -3.96022827877536812320e-6};
static const double ERF_PA[7] = {-2.36211856075265944077e-3, 4.14856118683748331666e-1,
                                 -3.72207876035701323847e-1, 3.18346619901161753674e-1,
                                 -1.10894694282396677476e-1, 3.54783043256182359371e-2,
                                 -2.16637559486879084300e-3};
static const double ERF_QA[7] = {1.0,
                                 1.06420880400844228286e-1,
                                 5.40397917702171048937e-1,
                                 7.18286544141962662868e-2,
                                 1.26171219808761642112e-1,
                                 1.36370839120290507362e-2,
                                 1.19844998467991074170e-2};
static const double ERF_RA[8] = {-9.86494403484714822705e-3, -6.93858572707181764372e-1,
                                 -1.05586262253232909814e1,  -6.23753324503260060396e1,
                                 -1.62396669462573470355e2,  -1.84605092906711035994e2,
                                 -8.12874355063065934246e1,  -9.81432934416914548592};
static const double ERF_SA[9] = {1.0,
                                 1.96512716674392571292e1,
                                 1.37657754143519042600e2,
                                 4.34565877475229228821e2,
                                 6.45387271733267880336e2,
                                 4.29008140027567833386e2,
                                 1.08635005541779435134e2,
                                 6.57024977031928170135,
                                 -6.04244152148580987438e-2};
static const double ERF_RB[8] = {-9.86494292470009928597e-3, -7.99283237680523006574e-1,
                                 -1.77579549177547519889e1,  -1.60636384855821916062e2,
                                 -6.37566443368389627722e2,  -1.02509513161107724954e3,
                                 -4.83519191608651397019e2,  0.0};
static const double ERF_SB[9] = {1.0,
                                 3.03380607434824582924e1,
                                 3.25792512996573918826e2,
                                 1.53672958608443695994e3,
                                 3.19985821950859553908e3,
                                 2.55305040643316442583e3,
                                 4.74528541206955367215e2,
                                 -2.24409524465858183362e1,
                                 0.0};

/** Horner with per-lane choice between two coefficient sets. */
template <class V, class M>
NNKIT_INLINE V polySelect(V r, M useA, const double* a, const double* b, int n) {
  using T = typename Tr<V>::T;
  V p = useA ? splat<V>(T(a[n - 1])) : splat<V>(T(b[n - 1]));
  for (int i = n - 2; i >= 0; i--) p = p * r + (useA ? splat<V>(T(a[i])) : splat<V>(T(b[i])));
  return p;
}

template <class V>
NNKIT_INLINE V verf(V x) {
  using T = typename Tr<V>::T;
  const V ax = vabs(x);
  if constexpr (sizeof(T) == 4) {
    const V xc = clampKeepNaN(x, T(-3.92), T(3.92));
    const V z = xc * xc;
    const V r = xc * polyHorner(z, ERF_P32, 7) / polyHorner(z, ERF_Q32, 5);
    return ax >= T(3.92) ? copysignv(splat<V>(T(1)), x) : r;
  } else {
    const V z = x * x;
    const V r1 = x + x * (polyHorner(z, ERF_PP, 5) / polyHorner(z, ERF_QQ, 6));
    const V s2 = ax - T(1);
    const V r2 =
        T(8.45062911510467529297e-1) + polyHorner(s2, ERF_PA, 7) / polyHorner(s2, ERF_QA, 7);
    const V a = clampKeepNaN(ax, T(1.25), T(6));
    const V s3 = T(1) / (a * a);
    const auto useA = a < T(1 / 0.35);
    const V ratio =
        polySelect(s3, useA, ERF_RA, ERF_RB, 8) / polySelect(s3, useA, ERF_SA, ERF_SB, 9);
    const V r3 = T(1) - vexp(-(a * a) - T(0.5625) + ratio) / a;
    const V mag = ax < T(1.25) ? r2 : (ax < T(6) ? r3 : splat<V>(T(1)));
    const V r = ax < T(0.84375) ? r1 : copysignv(mag, x);
    return x != x ? x : r;
  }
}
