// The portable build of the optimizer loops (x86-64 baseline SSE2, or the
// target's default). Same source as optim_avx2.cc, with contraction off.
#include <cmath>
#include <cstddef>

#include "optim_table.generated.h"

#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#define NNKIT_ISA_NAME "baseline"
namespace {
#include "optim.h"
}  // namespace

const nnkit::OptimTable* nnkit::optimTableBaseline() { return &kOptimTable; }
