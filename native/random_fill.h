// PyTorch's `uniform_`, `normal_` and `exponential_` on its CPU generator
// (the `uniformFill`, `normalFill` and `exponentialFill` kernels of
// src/kernels/schema.ts), following the
// JavaScript bodies (src/tensor/sampling.ts, src/tensor/mt19937.ts).
// Included by addon.cc inside its anonymous namespace after mt19937.h.
//
// The stream is sequential, so the word loops are single-threaded; the
// float32 Box–Muller blocks run in box_muller.h's AVX2+FMA build whenever
// the kernel table is not the baseline one (a table above baseline implies
// both).

// The engine's stream of tempered words. The words are tempered a state at a
// time after each twist (and from the read index on at the start), so the
// loops below copy runs of them; `finish` stores the read index back.
class WordStream {
 public:
  explicit WordStream(uint32_t* s) : s_(s), k_(int(s[mt19937::kN])) {
    mt19937::temperFrom(s_, k_, t_);
  }
  void finish() { s_[mt19937::kN] = uint32_t(k_); }

  // The uniforms of uniform_(0, 1) into out[0, n): float32 one word each,
  // its low 24 bits over 2^24 (exact); float64 two words each
  // (`random64()`, the first high), its low 53 bits over 2^53 (exact).
  void uniforms(float* out, size_t n) {
    for (size_t i = 0; i < n;) {
      refill();
      const size_t run = std::min(size_t(mt19937::kN - k_), n - i);
      const uint32_t* t = t_ + k_;
      for (size_t j = 0; j < run; j++)
        out[i + j] = float(t[j] & 0xffffffu) * 5.9604644775390625e-8f;
      i += run;
      k_ += int(run);
    }
  }
  void uniforms(double* out, size_t n) {
    for (size_t i = 0; i < n;) {
      refill();
      const size_t run = std::min(size_t(mt19937::kN - k_) / 2, n - i);
      const uint32_t* t = t_ + k_;
      for (size_t j = 0; j < run; j++) out[i + j] = toDouble(t[2 * j], t[2 * j + 1]);
      i += run;
      k_ += int(2 * run);
      if (i < n && k_ == mt19937::kN - 1) {  // a pair across the twist
        const uint32_t hi = t_[k_++];
        refill();
        out[i++] = toDouble(hi, t_[k_++]);
      }
    }
  }

 private:
  static double toDouble(uint32_t hi, uint32_t lo) {
    return double((uint64_t(hi & 0x1fffffu) << 32) | lo) * 1.1102230246251565e-16;
  }
  void refill() {
    if (k_ < mt19937::kN) return;
    mt19937::twist(s_);
    mt19937::temperFrom(s_, 0, t_);
    k_ = 0;
  }
  uint32_t* s_;
  int k_;
  uint32_t t_[mt19937::kN];
};

// Elements per step of the normal loops: the uniforms are drawn and
// transformed while they are in the L1 cache (the stream's order is the same
// as drawing all n first: the transform draws no words).
constexpr size_t kNormalChunk = 2048;

// x·span + lo over float32 uniforms: the product of two floats is exact in
// double and the sum is rounded to double, then to float, as the JavaScript
// body rounds it (this file is compiled without FMA; PyTorch's one rounding
// differs only when the double sum lies exactly between two floats).
void uniformAffine(float* out, size_t n, double from, double to) {
  const float lo = float(from);
  const float span = float(float(to) - lo);
  for (size_t i = 0; i < n; i++) out[i] = float(double(out[i]) * double(span) + double(lo));
}

// The same in double, fused as GCC fuses ATen's loop (libm's fma: exact).
void uniformAffine(double* out, size_t n, double from, double to) {
  const double span = to - from;
  for (size_t i = 0; i < n; i++) out[i] = std::fma(out[i], span, from);
}

// ATen's scalar `normal_fill_16` in double over `blocks` blocks of 16 at d,
// with glibc's log, cos and sin (PyTorch's on Linux), and the multiply-add
// GCC fuses there.
void boxMullerBlocksDouble(double* d, size_t blocks, double mean, double std) {
  const double kTwoPi = 2.0 * 3.14159265358979323846;
  for (size_t b = 0; b < blocks; b++, d += 16) {
    for (int j = 0; j < 8; j++) {
      const double r = std::sqrt(-2.0 * std::log(1.0 - d[j]));
      const double theta = kTwoPi * d[j + 8];
      d[j] = std::fma(r * std::cos(theta), std, mean);
      d[j + 8] = std::fma(r * std::sin(theta), std, mean);
    }
  }
}

// normal_ over out[0, n): the whole blocks chunk by chunk, then, when n is
// not a multiple of 16, the partial block's uniforms (drawn and dropped) and
// the last 16 elements drawn again and transformed as one block.
template <class T, class Blocks>
void normalLoop(WordStream& words, T* out, size_t n, size_t whole, T mean, T std, Blocks blocks) {
  for (size_t i = 0; i < whole; i += kNormalChunk) {
    const size_t m = std::min(kNormalChunk, whole - i);
    words.uniforms(out + i, m);
    blocks(out + i, m / 16, mean, std);
  }
  if (whole < n) {
    words.uniforms(out + whole, n - whole);
    words.uniforms(out + n - 16, 16);
    blocks(out + n - 16, 1, mean, std);
  }
}

// The engine's read index must be in [0, 624]; else the kernels throw before
// touching anything.
bool engineIndexOk(const int32_t* state) {
  return uint32_t(state[mt19937::kN]) <= uint32_t(mt19937::kN);
}

// uniformFill(state, out, n, from, to) → true.
napi_value UniformFill(napi_env env, napi_callback_info info) {
  nnkit::UniformFillArgs a;
  if (!parseUniformFill(env, info, &a)) return nullptr;
  if (!engineIndexOk(a.state))
    return contractError(env, "uniformFill", "state[624]", "an index in [0, 624]");
  uint32_t* s = reinterpret_cast<uint32_t*>(a.state);
  const bool unit = a.from == 0 && a.to == 1;
  WordStream words(s);
  if (a.outDtype == 0) {
    float* out = static_cast<float*>(a.out);
    words.uniforms(out, a.n);
    if (!unit) uniformAffine(out, a.n, a.from, a.to);
  } else {
    double* out = static_cast<double*>(a.out);
    words.uniforms(out, a.n);
    if (!unit) uniformAffine(out, a.n, a.from, a.to);
  }
  words.finish();
  return boolean(env, true);
}

// normalFill(state, out, n, mean, std) → true, for n ≥ 16.
napi_value NormalFill(napi_env env, napi_callback_info info) {
  nnkit::NormalFillArgs a;
  if (!parseNormalFill(env, info, &a)) return nullptr;
  if (!engineIndexOk(a.state))
    return contractError(env, "normalFill", "state[624]", "an index in [0, 624]");
  if (a.n < 16) return contractError(env, "normalFill", "n", "at least 16");
  WordStream words(reinterpret_cast<uint32_t*>(a.state));
  const size_t n = a.n;
  const size_t whole = n - n % 16;
  if (a.outDtype == 0) {
    nnkit::BoxMullerFn boxMuller = nnkit::boxMullerAvx2();
    if (!boxMuller || strcmp(gTable->isa, "baseline") == 0) boxMuller = nnkit::boxMullerBaseline();
    normalLoop(words, static_cast<float*>(a.out), n, whole, float(a.mean), float(a.std), boxMuller);
  } else {
    normalLoop(words, static_cast<double*>(a.out), n, whole, a.mean, a.std, &boxMullerBlocksDouble);
  }
  words.finish();
  return boolean(env, true);
}

// exponentialFill(state, out, n, lambd) → true: ATen's
// exponential_distribution<double>, −1/λ · log(1 − u) in double with glibc's
// log (PyTorch's on Linux), rounded to the dtype. The uniforms are drawn
// kNormalChunk at a time into a buffer on the stack.
template <class T>
void exponentialLoop(WordStream& words, T* out, size_t n, double lambd) {
  const double scale = -1.0 / lambd;
  double u[kNormalChunk];
  for (size_t i = 0; i < n; i += kNormalChunk) {
    const size_t m = std::min(kNormalChunk, n - i);
    words.uniforms(u, m);
    for (size_t j = 0; j < m; j++) out[i + j] = T(scale * std::log(1.0 - u[j]));
  }
}

napi_value ExponentialFill(napi_env env, napi_callback_info info) {
  nnkit::ExponentialFillArgs a;
  if (!parseExponentialFill(env, info, &a)) return nullptr;
  if (!engineIndexOk(a.state))
    return contractError(env, "exponentialFill", "state[624]", "an index in [0, 624]");
  WordStream words(reinterpret_cast<uint32_t*>(a.state));
  if (a.outDtype == 0)
    exponentialLoop(words, static_cast<float*>(a.out), a.n, a.lambd);
  else
    exponentialLoop(words, static_cast<double*>(a.out), a.n, a.lambd);
  words.finish();
  return boolean(env, true);
}
