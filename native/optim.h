// The optimizer loops' numerics, shared by optim_avx2.cc and
// optim_baseline.cc, which include this inside an anonymous namespace after
// turning floating-point contraction off: every `a·b + c` of an update is two
// roundings unless the update says `fma`, as in PyTorch's kernels (its
// `add(alpha=…)` and `addcmul` are fused multiply-adds; nothing else is).
// The loops themselves are generated (optim_loops.generated.h).

#define NNKIT_RESTRICT __restrict__

#if defined(NNKIT_OPTIM_HW_FMA)
// The FMA instruction: one rounding, vectorised.
inline float optimFma(float a, float b, float c) { return std::fma(a, b, c); }
inline double optimFma(double a, double b, double c) { return std::fma(a, b, c); }
#else
// No FMA instruction. float32: the product of two floats is exact in double,
// the double sum is rounded once more to float (as the JS loops do; it
// differs from one rounding only when the double sum lies exactly halfway
// between two floats). float64: libm's exact fma, slow without the instruction.
inline float optimFma(float a, float b, float c) {
  return float(double(a) * double(b) + double(c));
}
inline double optimFma(double a, double b, double c) { return std::fma(a, b, c); }
#endif

// torch.maximum: NaN if either operand is NaN, else the larger.
template <class T>
inline T optimMax(T a, T b) {
  return a != a ? a : b != b ? b : a > b ? a : b;
}

#include "optim_loops.generated.h"
