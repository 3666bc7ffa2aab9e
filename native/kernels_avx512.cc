// The AVX-512 builds, chosen at run time when the CPU has AVX-512F (see
// addon.cc): the AVX2 kernel table with these in place of its own —
//   - the matrix product (gemm.h) with 64-byte vectors and 12-row register
//     tiles;
//   - the softmax, logSoftmax and class-index cross-entropy row kernels
//     (softmax.h), bound by their exponentials rather than by memory, so
//     twice the lanes nearly halve them.
// The other elementwise kernels stay AVX2: they are bound by memory, and a
// third copy of them would add megabytes to the addon. Same sources as every
// other build. GEMM: each element of C is still one float32 (or float64)
// accumulation over k in blocks of 256, so only the interleaving of short
// edge tiles (gemmTile's U) can round differently from the AVX2 build. Row
// kernels: a row's Σ exp runs in 2 × 16 float lanes instead of 2 × 8, so
// its rounding differs from the AVX2 build's by an ulp or so.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "table.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#pragma GCC push_options
#pragma GCC target("avx512f,avx2,fma")
#define NNKIT_ISA_NAME "avx512"
#define NNKIT_HAS_FMA 1
#define NNKIT_VECTOR_BYTES 64
#define NNKIT_GEMM_MR 12
namespace {
#include "simd.h"
#include "gemm.h"
#include "softmax.h"
}  // namespace
#pragma GCC pop_options

namespace {
/**
 * The AVX-512 product where it pays, else the AVX2 build's: a product with a
 * short k (a few multiply-adds per stored element: bound by the stores) or
 * fewer than about a million multiply-adds (over in microseconds, while
 * the 512-bit units, powered down after a pause, come up to speed) runs
 * no faster in 64-byte vectors, and its edges waste more lanes.
 */
template <class T, int kDtype>
void gemmWide(size_t m0, size_t m1, size_t n0, size_t n1, size_t m, size_t k, size_t n,
              const void* a, const void* b, void* c, void* work, bool transA, bool transB,
              const void* bias) {
  const double macs = double(m1 - m0) * double(n1 - n0) * double(k);
  if (k < 16 || macs < double(1 << 20))
    return nnkit::tableAvx2()->gemm[kDtype](m0, m1, n0, n1, m, k, n, a, b, c, work, transA, transB,
                                            bias);
  gemm<T>(m0, m1, n0, n1, m, k, n, a, b, c, work, transA, transB, bias);
}

/**
 * Row kernels: the 512-bit build for at least ROWS_WIDE_MIN elements per
 * call (a thread's share), else the AVX2 one, for the same reason as the
 * product's threshold.
 */
constexpr size_t ROWS_WIDE_MIN = size_t(1) << 14;

template <class T, int kDtype>
void softmaxFwdWide(const nnkit::SoftmaxForwardArgs& a, size_t lo, size_t hi) {
  if ((hi - lo) * a.size * a.inner < ROWS_WIDE_MIN)
    return nnkit::tableAvx2()->softmaxFwd[kDtype](a, lo, hi);
  softmaxFwd<T>(a, lo, hi);
}
template <class T, int kDtype>
void softmaxBwdWide(const nnkit::SoftmaxBackwardArgs& a, size_t lo, size_t hi) {
  if ((hi - lo) * a.size * a.inner < ROWS_WIDE_MIN)
    return nnkit::tableAvx2()->softmaxBwd[kDtype](a, lo, hi);
  softmaxBwd<T>(a, lo, hi);
}
template <class T, int kDtype>
double crossEntropyFwdWide(const nnkit::CrossEntropyForwardArgs& a, size_t lo, size_t hi) {
  if ((hi - lo) * a.C * a.inner < ROWS_WIDE_MIN)
    return nnkit::tableAvx2()->ceFwd[kDtype](a, lo, hi);
  return crossEntropyFwd<T>(a, lo, hi);
}
template <class T, int kDtype>
void crossEntropyBwdWide(const nnkit::CrossEntropyBackwardArgs& a, size_t lo, size_t hi) {
  if ((hi - lo) * a.C * a.inner < ROWS_WIDE_MIN)
    return nnkit::tableAvx2()->ceBwd[kDtype](a, lo, hi);
  crossEntropyBwd<T>(a, lo, hi);
}
}  // namespace

bool nnkit::useAvx512Kernels(KernelTable* t) {
  t->isa = "avx512";
  t->gemm[0] = gemmWide<float, 0>;
  t->gemm[1] = gemmWide<double, 1>;
  t->softmaxFwd[0] = softmaxFwdWide<float, 0>;
  t->softmaxFwd[1] = softmaxFwdWide<double, 1>;
  t->softmaxBwd[0] = softmaxBwdWide<float, 0>;
  t->softmaxBwd[1] = softmaxBwdWide<double, 1>;
  t->ceFwd[0] = crossEntropyFwdWide<float, 0>;
  t->ceFwd[1] = crossEntropyFwdWide<double, 1>;
  t->ceBwd[0] = crossEntropyBwdWide<float, 0>;
  t->ceBwd[1] = crossEntropyBwdWide<double, 1>;
  return true;
}
#else
bool nnkit::useAvx512Kernels(KernelTable*) { return false; }
#endif
