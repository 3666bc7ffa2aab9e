// The AVX2+FMA build of PyTorch's float32 Box–Muller (box_muller.h), chosen
// at run time when the CPU has both (addon.cc). As in optim_avx2.cc, the
// system headers come first, contraction is off for the whole unit, and the
// code lives in an anonymous namespace.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "table.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#if defined(__clang__)
#pragma clang fp contract(off)
#else
#pragma GCC optimize("fp-contract=off")
#endif
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#define NNKIT_BOX_MULLER_HW_FMA 1
namespace {
#include "box_muller.h"
}  // namespace
#pragma GCC pop_options

nnkit::BoxMullerFn nnkit::boxMullerAvx2() { return &boxMullerBlocks; }
#else
nnkit::BoxMullerFn nnkit::boxMullerAvx2() { return nullptr; }
#endif
