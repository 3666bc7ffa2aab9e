// The AVX2+FMA build of the optimizer loops, used with the AVX2 kernel table
// (see addon.cc). As in kernels_avx2.cc, the system headers come first and
// the loops live in an anonymous namespace. Contraction is off for the whole
// unit (optim.h says why); only the updates' explicit `fma`s are fused.
#include <cmath>
#include <cstddef>

#include "optim_table.generated.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#if defined(__clang__)
#pragma clang fp contract(off)
#else
#pragma GCC optimize("fp-contract=off")
#endif
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#define NNKIT_ISA_NAME "avx2"
#define NNKIT_OPTIM_HW_FMA 1
namespace {
#include "optim.h"
}  // namespace
#pragma GCC pop_options

const nnkit::OptimTable* nnkit::optimTableAvx2() { return &kOptimTable; }
#else
const nnkit::OptimTable* nnkit::optimTableAvx2() { return nullptr; }
#endif
