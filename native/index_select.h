// The `indexSelect` and `indexAdd` kernels (declared in src/kernels/schema.ts;
// the JavaScript bodies are src/kernels/js/index-kernels.ts): slices of the
// middle dimension of an (outer, size, inner) layout selected, and their
// gradients added back in index order (so each sum rounds as the JavaScript
// body's and PyTorch's index_add do). Both take outer rows [lo, hi) and inner
// columns [ilo, ihi), so a single row can still be split over threads; the
// addon has checked every index against `size`.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace nnkit {

/** T is the element's width (uint32_t or uint64_t): selection copies bits. */
template <class T>
void indexSelectRows(const T* x, const int32_t* index, T* out, size_t size, size_t inner, size_t k,
                     size_t lo, size_t hi, size_t ilo, size_t ihi) {
  for (size_t o = lo; o < hi; o++)
    for (size_t j = 0; j < k; j++) {
      const T* from = x + (o * size + size_t(index[j])) * inner;
      T* to = out + (o * k + j) * inner;
      std::copy(from + ilo, from + ihi, to + ilo);
    }
}

template <class T>
void indexAddRows(T* dx, const int32_t* index, const T* g, size_t size, size_t inner, size_t k,
                  size_t lo, size_t hi, size_t ilo, size_t ihi) {
  for (size_t o = lo; o < hi; o++) {
    T* block = dx + o * size * inner;
    for (size_t s = 0; s < size; s++)
      std::fill(block + s * inner + ilo, block + s * inner + ihi, T(0));
    for (size_t j = 0; j < k; j++) {
      T* to = block + size_t(index[j]) * inner;
      const T* from = g + (o * k + j) * inner;
      for (size_t i = ilo; i < ihi; i++) to[i] += from[i];
    }
  }
}

}  // namespace nnkit
