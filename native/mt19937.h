// The 32-bit Mersenne Twister MT19937 (`at::mt19937`), the engine of
// PyTorch's CPU generator, on the engine array every random kernel takes
// (src/kernels/schema.ts): one Int32Array of 625 words, words 0–623 the
// state, word 624 the index of the next word to temper (624: the words are
// used up, so the next read twists first). The words are read as uint32_t:
// int32_t and uint32_t may alias each other, and only their bits matter.
// Included by addon.cc inside its anonymous namespace.

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
