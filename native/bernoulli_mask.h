// Dropout's mask from PyTorch's CPU generator (the `bernoulliMask` kernel of
// src/kernels/schema.ts), bit-identical to the JavaScript backend's loop
// (src/kernels/js/bernoulli-mask.ts). Included by addon.cc inside its
// anonymous namespace after the argument helpers, bindings.generated.h and
// mt19937.h (the engine and its 625-word layout).
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
