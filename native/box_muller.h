// PyTorch's float32 `normal_` transform on an AVX2 CPU (ATen's
// `normal_fill_16_AVX2`): Box–Muller over the pairs (j, j + 8) of each block
// of 16 uniforms, with avx_mathfun's `log256_ps` and `sincos256_ps`
// (Cephes polynomials, Pommier's SSE math widened by Garberoglio). The
// operations, their order and the fused multiply-adds that GCC forms from
// those intrinsics (-mfma -ffp-contract=fast) are the JavaScript body's,
// src/tensor/box-muller-float32.ts, which says where each comes from and is
// bit-exact against PyTorch 1.13 on 1,000,003 samples.
//
// Included by box_muller_avx2.cc and box_muller_baseline.cc inside an
// anonymous namespace, with contraction off: only the `fmaf` below fuse.
// Written lane by lane over j < 8 so the compiler can vectorise each block
// as eight lanes, which is what the AVX2 kernel does.

#if defined(NNKIT_BOX_MULLER_HW_FMA)
inline float fmaf32(float a, float b, float c) { return std::fma(a, b, c); }
#else
// No FMA instruction: the product of two floats is exact in double, and the
// double sum is rounded once more to float (the JavaScript body's rounding;
// it differs from one rounding only when the double sum lies exactly halfway
// between two floats, about once in 2^29).
inline float fmaf32(float a, float b, float c) { return float(double(a) * double(b) + double(c)); }
#endif

inline uint32_t floatBits(float x) {
  uint32_t u;
  std::memcpy(&u, &x, 4);
  return u;
}

inline float bitsFloat(uint32_t u) {
  float x;
  std::memcpy(&x, &u, 4);
  return x;
}

// One block: d[j] = r·cos θ·std + mean, d[j + 8] = r·sin θ·std + mean with
// r = √(−2 log(1 − d[j])), θ = 2π·d[j + 8].
inline void boxMuller16(float* __restrict__ d, float mean, float std) {
  // log256_ps
  const float kSqrtHalf = 0.707106781186547524f;
  const float kP0 = 7.0376836292e-2f, kP1 = -1.1514610310e-1f, kP2 = 1.1676998740e-1f;
  const float kP3 = -1.2420140846e-1f, kP4 = 1.4249322787e-1f, kP5 = -1.6668057665e-1f;
  const float kP6 = 2.0000714765e-1f, kP7 = -2.4999993993e-1f, kP8 = 3.3333331174e-1f;
  const float kQ1 = -2.12194440e-4f, kQ2 = 0.693359375f;
  // sincos256_ps
  const float kMinusDp1 = -0.78515625f, kMinusDp2 = -2.4187564849853515625e-4f;
  const float kMinusDp3 = -3.77489497744594108e-8f;
  const float kSinP0 = -1.9515295891e-4f, kSinP1 = 8.3321608736e-3f, kSinP2 = -1.6666654611e-1f;
  const float kCosP0 = 2.443315711809948e-5f, kCosP1 = -1.388731625493765e-3f;
  const float kCosP2 = 4.166664568298827e-2f;
  const float kFourOverPi = 1.27323954473516f;
  const float kTwoPi = 2.0f * 3.14159265358979323846f;
  float out1[8], out2[8];
  for (int j = 0; j < 8; j++) {
    // log(1 − u1): 1 − u1 is in [2^-24, 1], a normal float; split it into a mantissa
    // x in [0.5, 1) and an exponent e, as the intrinsic does with bit masks.
    const uint32_t bits = floatBits(1.0f - d[j]);
    float e = float(int32_t(bits >> 23) - 0x7f) + 1.0f;
    float x = bitsFloat((bits & 0x807fffffu) | 0x3f000000u);
    // Below √½ the mantissa doubles and the exponent drops by one (branch-free masks,
    // as the intrinsic's, so the loop vectorises).
    const uint32_t small = 0u - uint32_t(x < kSqrtHalf);
    const float tmp = bitsFloat(floatBits(x) & small);
    x = x - 1.0f;
    e = e - bitsFloat(floatBits(1.0f) & small);
    x = x + tmp;
    const float z = x * x;
    float y = fmaf32(kP0, x, kP1);
    y = fmaf32(y, x, kP2);
    y = fmaf32(y, x, kP3);
    y = fmaf32(y, x, kP4);
    y = fmaf32(y, x, kP5);
    y = fmaf32(y, x, kP6);
    y = fmaf32(y, x, kP7);
    y = fmaf32(y, x, kP8);
    y = y * x;
    y = fmaf32(y, z, e * kQ1);
    y = y - z * 0.5f;
    const float log = fmaf32(e, kQ2, x + y);
    const float r = std::sqrt(-2.0f * log);

    // sincos(2π·u2), θ in [0, 2π): the octant, Cody–Waite reduction by π/4 in three
    // parts, then the sine and cosine polynomials, swapped and signed by the octant.
    const float theta = kTwoPi * d[j + 8];
    const int32_t octant = (int32_t(theta * kFourOverPi) + 1) & ~1;
    const float q = float(octant);
    float t = fmaf32(q, kMinusDp1, theta);
    t = fmaf32(q, kMinusDp2, t);
    t = fmaf32(q, kMinusDp3, t);
    const float tt = t * t;
    float c = fmaf32(kCosP0, tt, kCosP1);
    c = fmaf32(c, tt, kCosP2);
    c = c * tt;
    c = fmaf32(c, tt, -(tt * 0.5f));
    c = c + 1.0f;
    float s = fmaf32(kSinP0, tt, kSinP1);
    s = fmaf32(s, tt, kSinP2);
    s = s * tt;
    s = fmaf32(s, t, t);
    // Octants 2 and 3 (mod 4) swap the polynomials; the signs come from the octant's bits.
    const uint32_t swap = 0u - uint32_t((octant & 2) != 0);
    const uint32_t cb = floatBits(c), sb = floatBits(s);
    const float sin = bitsFloat(((cb & swap) | (sb & ~swap)) ^ (uint32_t(octant & 4) << 29));
    const float cos = bitsFloat(((sb & swap) | (cb & ~swap)) ^ (uint32_t(~(octant - 2) & 4) << 29));
    out1[j] = fmaf32(r * cos, std, mean);
    out2[j] = fmaf32(r * sin, std, mean);
  }
  for (int j = 0; j < 8; j++) {
    d[j] = out1[j];
    d[j + 8] = out2[j];
  }
}

void boxMullerBlocks(float* d, size_t blocks, float mean, float std) {
  for (size_t b = 0; b < blocks; b++) boxMuller16(d + 16 * b, mean, std);
}
