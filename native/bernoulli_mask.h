// Dropout's mask from PyTorch's CPU generator (the `bernoulliMask` kernel of
// src/kernels/schema.ts), bit-identical to the JavaScript backend's loop
// (src/kernels/js/bernoulli-mask.ts). Included by addon.cc inside its
// anonymous namespace after the argument helpers and bindings.generated.h.
//
// The engine is the 32-bit Mersenne Twister MT19937 (`at::mt19937`), handed
// over as one Int32Array of 625 words: words 0–623 are the state, word 624
// the index of the next word to temper (624: the 624 words are used up, so
// the next read twists first). The words are read as uint32_t: int32_t and
// uint32_t may alias each other, and only their bits matter.
//
// One mask element is PyTorch's `bernoulli_(p)` on a double: `random64()`
// takes two words, the first as the high half, and the uniform is its low 53
// bits times 2^-53. Comparing `u < p` is comparing the 53-bit integer
// `u = (hi & 0x1fffff)·2^32 + lo` with `threshold = p·2^53` (JavaScript
// compares them as doubles, exactly: u < 2^53). Here the comparison is made
// on integers, with the bound of bernoulliBound, which accepts exactly the
// same u for every double threshold (NaN, infinities and fractions included).
//
// The loop is single-threaded: the stream is sequential. About 2 ns per
// element on the development VM (1M float32 elements: 2.2 ms, against 19 ms
// for the JavaScript loop).

namespace mt19937 {

constexpr int kN = 624;  // words of state
constexpr int kM = 397;  // the recurrence's middle offset
constexpr uint32_t kUpper = 0x80000000u;
constexpr uint32_t kLower = 0x7fffffffu;
constexpr uint32_t kMatrixA = 0x9908b0dfu;

// The twist: regenerates all 624 words in place, in order, as the reference
// implementation does (words k + M past the end wrap to already new ones).
inline void twist(uint32_t* s) {
  int k = 0;
  for (; k < kN - kM; k++) {
    const uint32_t y = (s[k] & kUpper) | (s[k + 1] & kLower);
    s[k] = s[k + kM] ^ (y >> 1) ^ ((y & 1u) ? kMatrixA : 0u);
  }
  for (; k < kN - 1; k++) {
    const uint32_t y = (s[k] & kUpper) | (s[k + 1] & kLower);
    s[k] = s[k + kM - kN] ^ (y >> 1) ^ ((y & 1u) ? kMatrixA : 0u);
  }
  const uint32_t y = (s[kN - 1] & kUpper) | (s[0] & kLower);
  s[kN - 1] = s[kM - 1] ^ (y >> 1) ^ ((y & 1u) ? kMatrixA : 0u);
}

// The standard tempering of one state word into an output word.
inline uint32_t temper(uint32_t y) {
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= y >> 18;
  return y;
}

// The tempered words of the state from index k on (a loop the compiler
// vectorises: tempering is shifts, ands and xors on independent words).
inline void temperFrom(const uint32_t* s, int k, uint32_t* t) {
  for (int j = k; j < kN; j++) t[j] = temper(s[j]);
}

}  // namespace mt19937

// u < threshold for an integer u in [0, 2^53) ⟺ u < bound with this bound:
// ceil(threshold) clamped to [0, 2^53] (a fraction of threshold admits no
// further integer), 0 for a NaN or non-positive threshold (no u passes).
inline uint64_t bernoulliBound(double threshold) {
  const double kTwo53 = 9007199254740992.0;
  if (!(threshold > 0)) return 0;
  if (threshold >= kTwo53) return uint64_t(1) << 53;
  return uint64_t(std::ceil(threshold));
}

// out[i] = u_i < threshold ? value : 0 for i < n, `value` already rounded to T.
//
// The words are tempered a block at a time into `t` (after each twist, and
// from the read index on at the start), so the element loop only picks
// them up; the element is chosen from a two-entry table rather than by a
// branch, which at p = 0.5 would be mispredicted half the time.
template <class T>
void bernoulliMaskLoop(uint32_t* s, T* out, size_t n, double threshold, T value) {
  using mt19937::kN;
  const uint64_t bound = bernoulliBound(threshold);
  const T choice[2] = {T(0), value};
  uint32_t t[kN];
  int k = int(s[kN]);
  mt19937::temperFrom(s, k, t);
  for (size_t i = 0; i < n; i++) {
    if (k == kN) {
      mt19937::twist(s);
      mt19937::temperFrom(s, 0, t);
      k = 0;
    }
    const uint32_t hi = t[k++];
    if (k == kN) {
      mt19937::twist(s);
      mt19937::temperFrom(s, 0, t);
      k = 0;
    }
    const uint32_t lo = t[k++];
    const uint64_t u = (uint64_t(hi & 0x1fffffu) << 32) | lo;
    out[i] = choice[u < bound];
  }
  s[kN] = uint32_t(k);
}

// bernoulliMask(state, out, n, threshold, value) → true. The arguments are
// checked by parseBernoulliMask (state an Int32Array of at least 625 words,
// out a float array of at least n elements); the read index must be in
// [0, 624], else the kernel throws before touching anything.
napi_value BernoulliMask(napi_env env, napi_callback_info info) {
  nnkit::BernoulliMaskArgs a;
  if (!parseBernoulliMask(env, info, &a)) return nullptr;
  uint32_t* s = reinterpret_cast<uint32_t*>(a.state);
  if (s[mt19937::kN] > uint32_t(mt19937::kN))
    return contractError(env, "bernoulliMask", "state[624]", "an index in [0, 624]");
  // The value is rounded to the dtype once (round to nearest, as a typed array store).
  if (a.outDtype == 0)
    bernoulliMaskLoop(s, static_cast<float*>(a.out), a.n, a.threshold, float(a.value));
  else
    bernoulliMaskLoop(s, static_cast<double*>(a.out), a.n, a.threshold, a.value);
  return boolean(env, true);
}
