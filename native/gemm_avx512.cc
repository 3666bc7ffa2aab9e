// The AVX-512 build of the matrix product alone, chosen at run time when the
// CPU has AVX-512F (see addon.cc): the AVX2 kernel table with this GEMM in
// place of its own. Same source as every other build (gemm.h), with 64-byte
// vectors and 12-row register tiles. The elementwise kernels stay AVX2: they
// are bound by memory, and a third copy of them would add megabytes to the
// addon. Each element of C is still one float32 (or float64) accumulation
// over k in blocks of 256, so only the interleaving of short edge tiles
// (gemmTile's U) can round differently from the AVX2 build.
#include <cmath>
#include <cstdint>
#include <cstring>

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
}  // namespace

const nnkit::GemmFn* nnkit::gemmAvx512() {
  static const GemmFn fns[2] = {gemmWide<float, 0>, gemmWide<double, 1>};
  return fns;
}
#else
const nnkit::GemmFn* nnkit::gemmAvx512() { return nullptr; }
#endif
