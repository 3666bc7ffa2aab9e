// The portable build of PyTorch's float32 Box–Muller (box_muller.h): no FMA
// instruction, so each fused multiply-add of the AVX2 kernel is computed in
// double and rounded to float (see box_muller.h). Contraction is off.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "table.h"

#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

namespace {
#include "box_muller.h"
}  // namespace

nnkit::BoxMullerFn nnkit::boxMullerBaseline() { return &boxMullerBlocks; }
