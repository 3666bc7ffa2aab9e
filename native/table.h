// nnkit native kernels: the function table each ISA build exports.
#pragma once
#include <cstddef>
#include <cstdint>

#include "kernel_args.generated.h"

namespace nnkit {

// Kernels work on the element range [lo, hi) so the thread pool can split them.
typedef void (*UnaryFwdFn)(size_t lo, size_t hi, void* out, const void* x, const double* p);
typedef void (*UnaryBwdFn)(size_t lo, size_t hi, void* dx, const void* dy, const void* x,
                           const void* y, const double* p);
// The softmax family, cross-entropy and NLL take their checked argument
// struct and a row range [lo, hi) of `outer` (kernel_args.generated.h, from
// src/kernels/schema.ts); the forward losses return the rows' summed target weight.

typedef void (*MathFn)(int which, size_t n, void* out, const void* x);

// Matrix product: rows [m0, m1) × columns [n0, n1) of C[m×n] = op(A) · op(B)
// (row-major, contiguous, C overwritten), where op(A) is A[m×k], or the
// transpose of A stored as [k×m] (transA), and op(B) is B[k×n], or the
// transpose of B stored as [n×k] (transB): no transposed copy is made.
// `bias` (n elements, or null) is added to every row of C. `work` is a
// private buffer of kGemmWorkBytes, 64-byte aligned, for the packed panel of
// B (kGemmPanelBytes) and a packed block of A (the rest). `aSums` (or null):
// where a float32 product packs a transposed A anyway, it also writes the sums
// over k of op(A)'s rows [m0, m1) there (in double, as reduceStrided sums A's
// columns, to the bit) and returns true; false where it wrote none.
typedef bool (*GemmFn)(size_t m0, size_t m1, size_t n0, size_t n1, size_t m, size_t k, size_t n,
                       const void* a, const void* b, void* c, void* work, bool transA, bool transB,
                       const void* bias, double* aSums);
constexpr size_t kGemmPanelBytes = 256 * 1024;
// The packed block of A, 120 KB: MC = 120 float32 rows of a 256-long k block
// (used only where A is stored transposed). bench/gemm-ab.ts, AVX-512, 1
// thread, against 192 KB: gᵀ·x of 50,000×256·256×64 (bench:train d-full's
// weight gradient, cold) −14 to −15 %, 1,002×256·256×64 (d-adaptive's
// head, warm) −22 %, b's 512×128·128×784 unchanged; 48, 96, 144 and 168 KB
// were each slower than 120 on one of them. AVX2 build: −5 to −6 %.
constexpr size_t kGemmWorkBytes = kGemmPanelBytes + 120 * 1024;

// Elementwise kernels write a range [lo, hi) of at least this many bytes with
// streaming stores, past the caches (simd.h's storeStream); the thread pool
// keeps a thread's share in one part when it is that large (addon.cc).
constexpr size_t kStreamMinBytes = size_t(8) << 20;

// Reductions (kind 0 sum in double, 1 max, 2 min; NaN wins): Σ or extremum of
// x[lo, hi), and rows [oLo, oHi) × columns [iLo, iHi) of an (outer, size,
// inner) layout reduced over size into out[outer × inner].
typedef double (*ReduceSpanFn)(int kind, const void* x, size_t lo, size_t hi);
typedef void (*ReduceStridedFn)(int kind, size_t oLo, size_t oHi, size_t size, size_t inner,
                                size_t iLo, size_t iHi, const void* x, void* out);

struct UnaryEntry {
  const char* name;
  int nparams;
  bool hasBackward, needsX, needsY;
  UnaryFwdFn fwd[2];  // [float32, float64]
  UnaryBwdFn bwd[2];
};

// Fused reductions of binary entries over [lo, hi): Σ f(a, b) (accumulated in
// double), and out = ∂f/∂a (or ∂b) · scale.
typedef double (*BinarySumFn)(size_t lo, size_t hi, const void* a, const void* b, const double* p);
typedef void (*BinaryBwdScaledFn)(size_t lo, size_t hi, void* out, double scale, const void* a,
                                  const void* b, const double* p);

// Elements [lo, hi) of one row of a broadcast binary op: element i reads
// a[i·aStride] and b[i·bStride], each stride 0 (a broadcast scalar) or 1.
// The forward writes out[i] = f(a, b); the backward out[i] = ∂f/∂a (or ∂b) · dy[i].
typedef void (*BinaryRowFwdFn)(size_t lo, size_t hi, void* out, const void* a, size_t aStride,
                               const void* b, size_t bStride, const double* p);
typedef void (*BinaryRowBwdFn)(size_t lo, size_t hi, void* out, const void* dy, const void* a,
                               size_t aStride, const void* b, size_t bStride, const double* p);

struct BinaryEntry {
  const char* name;
  int nparams;
  BinarySumFn sum[2];  // [float32, float64]
  BinaryBwdScaledFn bwdA[2];
  BinaryBwdScaledFn bwdB[2];
  BinaryRowFwdFn rowFwd[2];
  BinaryRowBwdFn rowBwdA[2];
  BinaryRowBwdFn rowBwdB[2];
};

struct KernelTable {
  const char* isa;
  const UnaryEntry* unary;
  int nunary;
  SoftmaxForwardFn softmaxFwd[2];
  SoftmaxBackwardFn softmaxBwd[2];
  MathFn math[2];  // exp, expm1, log, log1p, tanh, erf, sqrt, floor (for tests)
  CrossEntropyForwardFn ceFwd[2];
  CrossEntropyBackwardFn ceBwd[2];
  const BinaryEntry* binary;
  int nbinary;
  NllForwardFn nllFwd[2];
  NllBackwardFn nllBwd[2];
  CrossEntropyProbForwardFn ceProbFwd[2];
  CrossEntropyProbBackwardFn ceProbBwd[2];
  GemmFn gemm[2];
  ReduceSpanFn reduceSpan[2];
  ReduceStridedFn reduceStrided[2];
  LayerNormForwardFn layerNormFwd[2];
  LayerNormBackwardFn layerNormBwd[2];
};

const KernelTable* tableBaseline();
const KernelTable* tableAvx2();  // null when not built for x86-64
// Puts the AVX-512 builds (matrix product, softmax and cross-entropy rows,
// the float32 unary ops that call exp, log, tanh or erf) into `t`, a copy
// of the AVX2 table; false when not built for x86-64.
bool useAvx512Kernels(KernelTable* t);

// PyTorch's float32 Box–Muller over `blocks` consecutive blocks of 16
// uniforms at d (box_muller.h), built twice: with the FMA instruction
// (avx2,fma) and without (baseline, where a fused multiply-add rounds twice).
typedef void (*BoxMullerFn)(float* d, size_t blocks, float mean, float std);
BoxMullerFn boxMullerBaseline();
BoxMullerFn boxMullerAvx2();  // null when not built for x86-64

}  // namespace nnkit
