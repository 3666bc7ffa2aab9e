// nnkit native kernels: normalization over the slices of a (batch, outer,
// size) layout (the `layerNormForward` and `layerNormBackward` kernels of
// src/kernels/schema.ts), as the JavaScript kernels compute them
// (src/kernels/js/norm-kernels.ts): statistics and sums in double, each
// output rounded once. Slice r is the batch·size elements
// x[(a·outer + r)·size + j]: a layer norm's row (batch 1), a batch norm's
// channel (size = the positions, 1 for (N, C) inputs). Part of kernels.h,
// built per ISA; threads split the slices, and each walks its slices in
// blocks, sample by sample, so that it reads memory in order. The sums are
// `omp simd` reductions (-fopenmp-simd): vector lanes of partial sums,
// which round differently from the JavaScript kernel's sequential sums by
// an ulp or so of the statistics. Included inside an anonymous namespace.

// Slices per block: their statistics live on the stack.
constexpr size_t kSliceBlock = 256;

/** Σ over each slice k < m of the block starting at slice lo of f(element, k), into acc[k]. */
template <class T, class F>
NNKIT_INLINE void blockSums(const T* x, size_t batch, size_t outer, size_t size, size_t lo,
                            size_t m, double* acc, F f) {
  for (size_t k = 0; k < m; k++) acc[k] = 0;
  for (size_t a = 0; a < batch; a++) {
    const T* xa = x + (a * outer + lo) * size;
    if (size == 1) {
#pragma omp simd
      for (size_t k = 0; k < m; k++) acc[k] += f(double(xa[k]), k);
    } else {
      for (size_t k = 0; k < m; k++) {
        const T* row = xa + k * size;
        double s = 0;
#pragma omp simd reduction(+ : s)
        for (size_t j = 0; j < size; j++) s += f(double(row[j]), k);
        acc[k] += s;
      }
    }
  }
}

template <class T>
void forwardBlock(const nnkit::LayerNormForwardArgs& a, size_t lo, size_t hi) {
  const T* x = static_cast<const T*>(a.x);
  T* out = static_cast<T*>(a.out);
  const T* w = static_cast<const T*>(a.weight);
  const T* b = static_cast<const T*>(a.bias);
  const size_t m = hi - lo, size = a.size;
  const double n = double(a.batch) * double(size);
  double mean[kSliceBlock], rstd[kSliceBlock], acc[kSliceBlock];
  blockSums(x, a.batch, a.outer, size, lo, m, acc, [](double v, size_t) { return v; });
  for (size_t k = 0; k < m; k++) mean[k] = acc[k] / n;
  blockSums(x, a.batch, a.outer, size, lo, m, acc, [&mean](double v, size_t k) {
    const double d = v - mean[k];
    return d * d;
  });
  for (size_t k = 0; k < m; k++) {
    const double variance = acc[k] / n;
    rstd[k] = 1 / std::sqrt(variance + a.eps);
    a.stats[3 * (lo + k)] = mean[k];
    a.stats[3 * (lo + k) + 1] = rstd[k];
    a.stats[3 * (lo + k) + 2] = variance;
  }
  if (a.perSlice) {
    // One weight and bias per slice (a batch norm's channel): y = (x − mean)·scale + shift,
    // which keeps x − mean exact where x·scale − mean·scale would cancel.
    double scale[kSliceBlock], shift[kSliceBlock];
    for (size_t k = 0; k < m; k++) {
      scale[k] = rstd[k] * (w ? double(w[lo + k]) : 1);
      shift[k] = b ? double(b[lo + k]) : 0;
    }
    for (size_t s = 0; s < a.batch; s++) {
      const size_t first = (s * a.outer + lo) * size;
      const T* xa = x + first;
      T* oa = out + first;
      if (size == 1) {
#pragma omp simd
        for (size_t k = 0; k < m; k++) oa[k] = T((double(xa[k]) - mean[k]) * scale[k] + shift[k]);
        continue;
      }
      for (size_t k = 0; k < m; k++) {
        const T* row = xa + k * size;
        T* o = oa + k * size;
        const double mu = mean[k], sc = scale[k], sh = shift[k];
#pragma omp simd
        for (size_t j = 0; j < size; j++) o[j] = T((double(row[j]) - mu) * sc + sh);
      }
    }
    return;
  }
  for (size_t s = 0; s < a.batch; s++) {
    const size_t first = (s * a.outer + lo) * size;
    const T* xa = x + first;
    T* oa = out + first;
    if (size == 1) {
      const double wj = w ? double(w[0]) : 1, bj = b ? double(b[0]) : 0;
#pragma omp simd
      for (size_t k = 0; k < m; k++) oa[k] = T((double(xa[k]) - mean[k]) * rstd[k] * wj + bj);
      continue;
    }
    for (size_t k = 0; k < m; k++) {
      const T* row = xa + k * size;
      T* o = oa + k * size;
      const double mu = mean[k], rs = rstd[k];
      if (w && b) {
#pragma omp simd
        for (size_t j = 0; j < size; j++)
          o[j] = T((double(row[j]) - mu) * rs * double(w[j]) + double(b[j]));
      } else if (w) {
#pragma omp simd
        for (size_t j = 0; j < size; j++) o[j] = T((double(row[j]) - mu) * rs * double(w[j]));
      } else if (b) {
#pragma omp simd
        for (size_t j = 0; j < size; j++) o[j] = T((double(row[j]) - mu) * rs + double(b[j]));
      } else {
#pragma omp simd
        for (size_t j = 0; j < size; j++) o[j] = T((double(row[j]) - mu) * rs);
      }
    }
  }
}

template <class T>
void layerNormFwd(const nnkit::LayerNormForwardArgs& a, size_t lo, size_t hi) {
  for (size_t r = lo; r < hi; r += kSliceBlock)
    forwardBlock<T>(a, r, std::min(hi, r + kSliceBlock));
}

template <class T>
void backwardBlock(const nnkit::LayerNormBackwardArgs& a, size_t lo, size_t hi) {
  const T* x = static_cast<const T*>(a.x);
  const T* dy = static_cast<const T*>(a.dy);
  const T* w = static_cast<const T*>(a.weight);
  T* dx = static_cast<T*>(a.dx);
  const size_t m = hi - lo, size = a.size;
  const double n = double(a.batch) * double(size);
  const bool column = w && !a.perSlice;
  // Per slice: Σ dy and Σ dy·x̂ (the per-slice parameter gradients, and with a per-slice
  // weight w: Σ g = w·Σ dy, Σ g·x̂ = w·Σ dy·x̂), and with per-column weights Σ g, Σ g·x̂.
  double mean[kSliceBlock], rstd[kSliceBlock], sumDy[kSliceBlock], sumDyX[kSliceBlock];
  double sumG[kSliceBlock], sumGX[kSliceBlock];
  for (size_t k = 0; k < m; k++) {
    mean[k] = a.stats[3 * (lo + k)];
    rstd[k] = a.stats[3 * (lo + k) + 1];
    sumDy[k] = sumDyX[k] = sumG[k] = sumGX[k] = 0;
  }
  for (size_t s = 0; s < a.batch; s++) {
    const size_t first = (s * a.outer + lo) * size;
    const T* xa = x + first;
    const T* ga = dy + first;
    if (size == 1) {
      const double wj = column ? double(w[0]) : 1;
#pragma omp simd
      for (size_t k = 0; k < m; k++) {
        const double d = double(ga[k]), xhat = (double(xa[k]) - mean[k]) * rstd[k];
        sumDy[k] += d;
        sumDyX[k] += d * xhat;
        sumG[k] += d * wj;
        sumGX[k] += d * wj * xhat;
      }
      continue;
    }
    for (size_t k = 0; k < m; k++) {
      const T* row = xa + k * size;
      const T* gr = ga + k * size;
      const double mu = mean[k], rs = rstd[k];
      double sd = 0, sdx = 0, sg = 0, sgx = 0;
      if (column) {
#pragma omp simd reduction(+ : sd, sdx, sg, sgx)
        for (size_t j = 0; j < size; j++) {
          const double d = double(gr[j]), xhat = (double(row[j]) - mu) * rs;
          const double g = d * double(w[j]);
          sd += d;
          sdx += d * xhat;
          sg += g;
          sgx += g * xhat;
        }
      } else {
#pragma omp simd reduction(+ : sd, sdx)
        for (size_t j = 0; j < size; j++) {
          const double d = double(gr[j]);
          sd += d;
          sdx += d * ((double(row[j]) - mu) * rs);
        }
        sg = sd;
        sgx = sdx;
      }
      sumDy[k] += sd;
      sumDyX[k] += sdx;
      sumG[k] += sg;
      sumGX[k] += sgx;
    }
  }
  // dx = rstd·(g − mean(g) − x̂·mean(g·x̂)), g = dy·w: with a per-slice (or no) weight
  // dx = c1·dy + c2·(x − mean) + c0 per slice.
  double c1[kSliceBlock], c2[kSliceBlock], c0[kSliceBlock];
  for (size_t k = 0; k < m; k++) {
    a.sums[2 * (lo + k)] = sumDy[k];
    a.sums[2 * (lo + k) + 1] = sumDyX[k];
    const double ws = w && a.perSlice ? double(w[lo + k]) : 1;
    if (!column) {
      sumG[k] = sumDy[k] * ws;
      sumGX[k] = sumDyX[k] * ws;
    }
    const double meanG = sumG[k] / n, meanGX = sumGX[k] / n;
    c1[k] = rstd[k] * ws;
    c2[k] = -rstd[k] * rstd[k] * meanGX;
    c0[k] = -rstd[k] * meanG;
    sumG[k] = meanG;
    sumGX[k] = meanGX;
  }
  for (size_t s = 0; s < a.batch; s++) {
    const size_t first = (s * a.outer + lo) * size;
    const T* xa = x + first;
    const T* ga = dy + first;
    T* da = dx + first;
    if (size == 1 && !column) {
#pragma omp simd
      for (size_t k = 0; k < m; k++)
        da[k] = T(c1[k] * double(ga[k]) + c2[k] * (double(xa[k]) - mean[k]) + c0[k]);
      continue;
    }
    for (size_t k = 0; k < m; k++) {
      const T* row = xa + k * size;
      const T* gr = ga + k * size;
      T* d = da + k * size;
      const double mu = mean[k], rs = rstd[k], mg = sumG[k], mgx = sumGX[k];
      if (column) {
#pragma omp simd
        for (size_t j = 0; j < size; j++)
          d[j] = T(rs * (double(gr[j]) * double(w[j]) - mg - (double(row[j]) - mu) * rs * mgx));
      } else {
        const double k1 = c1[k], k2 = c2[k], k0 = c0[k];
#pragma omp simd
        for (size_t j = 0; j < size; j++)
          d[j] = T(k1 * double(gr[j]) + k2 * (double(row[j]) - mu) + k0);
      }
    }
  }
}

template <class T>
void layerNormBwd(const nnkit::LayerNormBackwardArgs& a, size_t lo, size_t hi) {
  for (size_t r = lo; r < hi; r += kSliceBlock)
    backwardBlock<T>(a, r, std::min(hi, r + kSliceBlock));
}
