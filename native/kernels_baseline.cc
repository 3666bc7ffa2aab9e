// The portable build of the kernels (x86-64 baseline SSE2, or whatever the
// target's default is), in 16-byte vectors (see simd.h). Same source as
// kernels_avx2.cc.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "table.h"

#define NNKIT_ISA_NAME "baseline"
#define NNKIT_VECTOR_BYTES 16
namespace {
#include "kernels.h"
}  // namespace

const nnkit::KernelTable* nnkit::tableBaseline() { return &kTable; }
