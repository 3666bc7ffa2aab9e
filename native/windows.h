// The `im2col` and `col2im` kernels (declared in src/kernels/schema.ts; the
// JavaScript bodies, in the same loop order, are
// src/kernels/js/window-kernels.ts). Both are bound by memory: per plane, tap
// and row of windows, the windows whose column lies inside the plane form one
// run [lo, hi), found by division, and the rest read the padding. With stride
// 1 a run reads adjacent elements; in the columns' layout of F.unfold it also
// writes adjacent ones (sL = 1), so the compiler turns it into a block copy.
// col2im adds taps outer and windows inner, as PyTorch's col2im does, so each
// input element's sum is rounded in PyTorch's order.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "kernel_args.generated.h"

namespace nnkit {

/** The windows [lo, hi) of n whose position z·stride + off lies in [0, size). */
inline void insideRun(int64_t n, int64_t stride, int64_t off, int64_t size, int64_t* lo,
                      int64_t* hi) {
  if (stride == 0) {
    *lo = 0;
    *hi = off >= 0 && off < size ? n : 0;
    return;
  }
  const int64_t first = off >= 0 ? 0 : (-off + stride - 1) / stride;
  const int64_t end = off >= size ? 0 : (size - 1 - off) / stride + 1;
  *lo = std::min(first, n);
  *hi = std::max(*lo, std::min(end, n));
}

/**
 * Calls `row(col, from, inside, zlo, zhi)` for every tap and row of windows of
 * planes [lo, hi), taps outer and rows inner (col2im's order of addition):
 * `col` is the columns' offset of the row's first window, `from` the planes'
 * offset of its first window's element (it may lie before the row, in its
 * left padding), `inside` whether the row is inside the plane, and windows
 * [zlo, zhi) read inside it. Args is Im2colArgs or Col2imArgs.
 */
template <class Args, class Row>
inline void forEachWindowRow(const Args& a, size_t lo, size_t hi, Row row) {
  const int64_t h = int64_t(a.h), w = int64_t(a.w), ow = int64_t(a.ow);
  for (size_t p = lo; p < hi; p++) {
    const size_t n = p / a.channels, c = p % a.channels;
    const int64_t plane = int64_t(p * a.h * a.w);
    for (size_t t = 0; t < a.kh * a.kw; t++) {
      const int64_t ta = int64_t(t / a.kw), tb = int64_t(t % a.kw);
      const int64_t tap = int64_t(n * a.sN + c * a.sC + t * a.sK);
      const int64_t off = tb * int64_t(a.dw) - int64_t(a.pw);
      int64_t zlo, zhi;
      insideRun(ow, int64_t(a.sw), off, w, &zlo, &zhi);
      for (int64_t y = 0; y < int64_t(a.oh); y++) {
        const int64_t i = y * int64_t(a.sh) - int64_t(a.ph) + ta * int64_t(a.dh);
        const bool inside = i >= 0 && i < h;
        row(tap + y * ow * int64_t(a.sL), plane + i * w + off, inside, zlo, zhi);
      }
    }
  }
}

/** Planes [lo, hi) of the batch·channels planes, as `im2col` declares. */
template <class T>
void im2colPlanes(const Im2colArgs& a, size_t lo, size_t hi) {
  T* out = static_cast<T*>(a.out);
  const T* x = static_cast<const T*>(a.x);
  const T pad = T(a.padValue);
  const int64_t ow = int64_t(a.ow), sw = int64_t(a.sw), sL = int64_t(a.sL);
  forEachWindowRow(a, lo, hi,
                   [&](int64_t col, int64_t from, bool inside, int64_t zlo, int64_t zhi) {
                     T* row = out + col;
                     if (!inside) zlo = zhi = 0;
                     for (int64_t z = 0; z < zlo; z++) row[z * sL] = pad;
                     if (sL == 1 && sw == 1)
                       std::copy(x + from + zlo, x + from + zhi, row + zlo);
                     else
                       for (int64_t z = zlo; z < zhi; z++) row[z * sL] = x[from + z * sw];
                     for (int64_t z = std::max(zhi, zlo); z < ow; z++) row[z * sL] = pad;
                   });
}

/** Planes [lo, hi) of the batch·channels planes, as `col2im` declares. */
template <class T>
void col2imPlanes(const Col2imArgs& a, size_t lo, size_t hi) {
  T* dx = static_cast<T*>(a.dx);
  const T* cols = static_cast<const T*>(a.cols);
  std::fill(dx + lo * a.h * a.w, dx + hi * a.h * a.w, T(0));
  const int64_t sw = int64_t(a.sw), sL = int64_t(a.sL);
  forEachWindowRow(a, lo, hi,
                   [&](int64_t col, int64_t from, bool inside, int64_t zlo, int64_t zhi) {
                     if (!inside) return;
                     if (sw == 1 && sL == 1) {
                       // Adjacent elements from adjacent columns (a stride-1 convolution's
                       // gradient): a loop the compiler vectorizes.
                       T* __restrict d = dx + from;
                       const T* __restrict c = cols + col;
                       for (int64_t z = zlo; z < zhi; z++) d[z] += c[z];
                       return;
                     }
                     for (int64_t z = zlo; z < zhi; z++) dx[from + z * sw] += cols[col + z * sL];
                   });
}

}  // namespace nnkit
