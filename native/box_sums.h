// The `boxSum` and `boxSpread` kernels (declared in src/kernels/schema.ts; the
// JavaScript bodies, in the same loop order, are src/kernels/js/box-kernels.ts):
// average pooling and adaptive average pooling without cutting windows into
// columns. Each output position (y, z) of a plane owns the box of input rows
// [rows[2y], rows[2y+1]) and columns [cols[2z], cols[2z+1]); boxes may overlap
// (a stride below the kernel) and differ in size (adaptive pooling's uneven
// windows, padding clipped away). The bounds are checked by the addon (each in
// [0, h] or [0, w]); a box whose end lies before its start is empty.
//
// Both walk a row of boxes one column offset t at a time, t outer and boxes
// inner, so that consecutive steps touch different boxes' elements and never
// wait on each other: a box's t-th column is cols[2z] + t, if inside the box.
// boxSum adds each box's elements in row-major order, in double, rounded
// once. boxSpread, its adjoint, adds in the dtype and takes t from the widest
// offset down: where box starts do not decrease along the row (pooling's
// boxes) an element gets its boxes' gradients in their row-major order, the
// order of PyTorch's CPU average-pooling backward.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernel_args.generated.h"

namespace nnkit {

/** The widest box of `n` [lo, hi) bounds, interleaved. */
inline int64_t widestBox(const int32_t* bounds, size_t n) {
  int64_t widest = 0;
  for (size_t z = 0; z < n; z++)
    widest = std::max<int64_t>(widest, bounds[2 * z + 1] - bounds[2 * z]);
  return widest;
}

/** Planes [lo, hi) of `boxSum`. */
template <class T>
void boxSumPlanes(const BoxSumArgs& a, size_t lo, size_t hi) {
  const T* x = static_cast<const T*>(a.x);
  T* out = static_cast<T*>(a.out);
  const size_t w = a.w, oh = a.oh, ow = a.ow;
  const int32_t* cols = a.cols;
  const int64_t widest = widestBox(cols, ow);
  std::vector<double> acc(ow);
  for (size_t p = lo; p < hi; p++) {
    const T* plane = x + p * a.h * w;
    T* o = out + p * oh * ow;
    for (size_t y = 0; y < oh; y++) {
      std::fill(acc.begin(), acc.end(), 0.0);
      for (int64_t i = a.rows[2 * y]; i < a.rows[2 * y + 1]; i++) {
        const T* row = plane + size_t(i) * w;
        for (int64_t t = 0; t < widest; t++)
          for (size_t z = 0; z < ow; z++) {
            const int64_t j = cols[2 * z] + t;
            if (j < cols[2 * z + 1]) acc[z] += double(row[j]);
          }
      }
      for (size_t z = 0; z < ow; z++) o[y * ow + z] = T(acc[z]);
    }
  }
}

/** Planes [lo, hi) of `boxSpread`. */
template <class T>
void boxSpreadPlanes(const BoxSpreadArgs& a, size_t lo, size_t hi) {
  const T* g = static_cast<const T*>(a.g);
  T* dx = static_cast<T*>(a.dx);
  const size_t w = a.w, oh = a.oh, ow = a.ow;
  const int32_t* cols = a.cols;
  const int64_t widest = widestBox(cols, ow);
  std::fill(dx + lo * a.h * w, dx + hi * a.h * w, T(0));
  for (size_t p = lo; p < hi; p++) {
    T* plane = dx + p * a.h * w;
    const T* gp = g + p * oh * ow;
    for (size_t y = 0; y < oh; y++) {
      const T* gy = gp + y * ow;
      for (int64_t i = a.rows[2 * y]; i < a.rows[2 * y + 1]; i++) {
        T* row = plane + size_t(i) * w;
        for (int64_t t = widest - 1; t >= 0; t--)
          for (size_t z = 0; z < ow; z++) {
            const int64_t j = cols[2 * z] + t;
            if (j < cols[2 * z + 1]) row[j] += gy[z];
          }
      }
    }
  }
}

}  // namespace nnkit
