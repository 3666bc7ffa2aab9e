// The AVX2+FMA build of the kernels, chosen at run time when the CPU has
// both (see addon.cc). All system headers come before the target pragma and
// the kernels live in an anonymous namespace, so no AVX2 code can be picked
// up by the baseline build through a shared inline symbol.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "table.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#define NNKIT_ISA_NAME "avx2"
#define NNKIT_GEMM_MR 6
// GCC defines no __FMA__ under a target pragma: kernels.h asks this instead.
#define NNKIT_HAS_FMA 1
namespace {
#include "kernels.h"
}  // namespace
#pragma GCC pop_options

const nnkit::KernelTable* nnkit::tableAvx2() { return &kTable; }
#else
const nnkit::KernelTable* nnkit::tableAvx2() { return nullptr; }
#endif
