// The AVX-512 builds, chosen at run time when the CPU has AVX-512F (see
// addon.cc): the AVX2 kernel table with these in place of its own —
//   - the matrix product (gemm.h) with 64-byte vectors and 12-row register
//     tiles;
//   - the softmax, logSoftmax and class-index cross-entropy row kernels
//     (softmax.h), bound by their exponentials rather than by memory, so
//     twice the lanes nearly halve them;
//   - the float32 unary elementwise ops, forward or backward, that call
//     exp, log, tanh or erf (the generator marks them wideFwd/wideBwd), for
//     the same reason: on an AMD EPYC (Zen 5) VM, 4M float32 in 1 thread,
//     sigmoid 2.4–3.0 → 1.4–2.0 ms, gelu 2.6–2.7 → 1.4–1.8, mish 15.5–16 →
//     8.4–10.3, softplus 9.1–9.5 → 5.3–6.2; and the float32 elementary
//     functions on their own (math[0], which the accuracy sweeps test).
// The other elementwise kernels stay AVX2: they are bound by memory (relu
// ran no faster in 16 lanes), and a third copy of them would add megabytes
// to the addon; float64 stays AVX2 throughout, which halves what this file
// adds. Same sources as every other build. An elementwise op computes each
// lane alone, so its results equal the AVX2 build's bit for bit. GEMM: each
// element of C is still one float32 (or float64) accumulation over k in
// blocks of 256, so only the interleaving of short edge tiles (gemmTile's
// U) can round differently from the AVX2 build. Row kernels: a row's Σ exp
// runs in 2 × 16 float lanes instead of 2 × 8, so its rounding differs from
// the AVX2 build's by an ulp or so.
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
#include "elementwise.generated.h"
#include "gemm.h"
#include "unary.h"
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
bool gemmWide(size_t m0, size_t m1, size_t n0, size_t n1, size_t m, size_t k, size_t n,
              const void* a, const void* b, void* c, void* work, bool transA, bool transB,
              const void* bias, double* aSums) {
  const double macs = double(m1 - m0) * double(n1 - n0) * double(k);
  if (k < 16 || macs < double(1 << 20))
    return nnkit::tableAvx2()->gemm[kDtype](m0, m1, n0, n1, m, k, n, a, b, c, work, transA, transB,
                                            bias, aSums);
  return gemm<T>(m0, m1, n0, n1, m, k, n, a, b, c, work, transA, transB, bias, aSums);
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

/**
 * Unary ops: the 512-bit build for at least UNARY_WIDE_MIN elements per
 * part, else the AVX2 build's kernel, kept here per op by widenUnary. A
 * thread runs about four parts of a call one after another (addon.cc's
 * partsForElementwise), so 4,096 per part is a run of 16,384 per thread,
 * as for the row kernels. (With 16,384 per part, the 65,536-element GELU
 * of bench:train e fell back to AVX2 with two threads, in parts of 8,192.)
 */
constexpr size_t UNARY_WIDE_MIN = size_t(1) << 12;
template <class Op, class T>
nnkit::UnaryFwdFn narrowFwd;
template <class Op, class T>
nnkit::UnaryBwdFn narrowBwd;

template <class Op, class T>
void unaryFwdWide(size_t lo, size_t hi, void* out, const void* x, const double* p) {
  if (hi - lo < UNARY_WIDE_MIN) return narrowFwd<Op, T>(lo, hi, out, x, p);
  unaryFwd<Op, T>(lo, hi, out, x, p);
}
template <class Op, class T>
void unaryBwdWide(size_t lo, size_t hi, void* dx, const void* dy, const void* x, const void* y,
                  const double* p) {
  if (hi - lo < UNARY_WIDE_MIN) return narrowBwd<Op, T>(lo, hi, dx, dy, x, y, p);
  unaryBwd<Op, T>(lo, hi, dx, dy, x, y, p);
}

/**
 * Puts the 512-bit float32 kernels of `Op` into `e`, a copy of its AVX2
 * entry, where Op asks for them. float64 keeps the AVX2 kernels: its 512-bit
 * build would add 140 KB of code to these 100 KB, for the rare float64 network.
 */
template <class Op>
void widenUnary(nnkit::UnaryEntry* e) {
  if constexpr (Op::wideFwd) {
    narrowFwd<Op, float> = e->fwd[0];
    e->fwd[0] = unaryFwdWide<Op, float>;
  }
  if constexpr (Op::wideBwd) {
    narrowBwd<Op, float> = e->bwd[0];
    e->bwd[0] = unaryBwdWide<Op, float>;
  }
}
}  // namespace

bool nnkit::useAvx512Kernels(KernelTable* t) {
  // The unary table in the AVX2 table's order (NNKIT_UNARY_OPS is that order).
  static std::vector<UnaryEntry> unary;
  if (unary.empty()) {
    unary.assign(t->unary, t->unary + t->nunary);
    size_t i = 0;
#define NNKIT_WIDEN(op)                                                   \
  if (i >= unary.size() || strcmp(unary[i].name, #op) != 0) return false; \
  widenUnary<op_##op>(&unary[i++]);
    NNKIT_UNARY_OPS(NNKIT_WIDEN)
#undef NNKIT_WIDEN
    if (i != unary.size()) return false;
  }
  t->unary = unary.data();
  t->math[0] = mathFn<float>;
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
