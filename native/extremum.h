// The `extremumIndices` kernel (declared in src/kernels/schema.ts; the
// JavaScript body is extremumIndicesJs in src/kernels/js/reduce-kernels.ts):
// the first maximum or minimum over the middle dimension of an
// (outer, size, inner) layout, and its index. Each row s updates all inner
// positions with selects rather than branches (random data would mispredict
// every other comparison), which the compiler turns into vector blends; a
// position that has met a NaN keeps it.
#pragma once
#include <cstddef>
#include <cstdint>

namespace nnkit {

/** Outer rows [lo, hi), inner positions [ilo, ihi). */
template <class T, bool kMax>
void extremumIndexRows(const T* x, T* out, int32_t* indices, size_t size, size_t inner, size_t lo,
                       size_t hi, size_t ilo, size_t ihi) {
  for (size_t o = lo; o < hi; o++) {
    const T* block = x + o * size * inner;
    T* best = out + o * inner;
    int32_t* at = indices + o * inner;
    for (size_t i = ilo; i < ihi; i++) {
      best[i] = block[i];
      at[i] = 0;
    }
    for (size_t s = 1; s < size; s++) {
      const T* row = block + s * inner;
      const int32_t si = int32_t(s);
      for (size_t i = ilo; i < ihi; i++) {
        const T v = row[i];
        const T b = best[i];
        const bool take = (b == b) & ((v != v) | (kMax ? v > b : v < b));
        best[i] = take ? v : b;
        at[i] = take ? si : at[i];
      }
    }
  }
}

}  // namespace nnkit
