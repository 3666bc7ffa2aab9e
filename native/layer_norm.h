// nnkit native kernels: normalization over the slices of a (batch, outer,
// size) layout (the `layerNormForward` and `layerNormBackward` kernels of
// src/kernels/schema.ts), as the JavaScript kernels compute them
// (src/kernels/js/norm-kernels.ts): statistics and sums in double, each
// output rounded once. Slice r is the batch·size elements
// x[(a·outer + r)·size + j]: a layer norm's row (batch 1), a batch norm's
// channel (size = the positions, 1 for (N, C) inputs), a group norm's
// (sample, group) row. Element j of slice r takes weight k = (r mod groups)
// ·(size/run) + ⌊j/run⌋: per column (groups 1, run 1), per slice (run =
// size) or per run of `run` elements (a group norm's channels). Part of
// kernels.h, built per ISA; the addon checks `run` and `weights` first.
// Threads split the slices, and each walks its slices in blocks, sample by
// sample, so that it reads memory in order. The sums are `omp simd`
// reductions (-fopenmp-simd): vector lanes of partial sums, which round
// differently from the JavaScript kernel's sequential sums by an ulp or so
// of the statistics. Without a bias nothing is added, so an x̂ of −0 stays −0 (PyTorch's group
// norm without weight and bias); callers that want ATen's β = 0 (+0 out) pass a bias of zeros.
// Included inside an anonymous namespace.

// Slices per block: their statistics live on the stack.
constexpr size_t kSliceBlock = 256;
// Slices per block of a batch norm of (N, C) (size 1): the channels of a sample are adjacent, and
// a block as wide as the row reads each sample's row whole, in order; blocks of 256 read 1 KB of
// every row per pass (about 3x slower on [4096, 1000]). Their statistics live on the heap.
constexpr size_t kWideBlock = 8192;

/** `count` arrays of m doubles for a block's statistics: on the stack up to kSliceBlock slices. */
struct SliceScratch {
  double local[9 * kSliceBlock];
  std::vector<double> heap;
  double* at(size_t m, size_t count) {
    if (m <= kSliceBlock) return local;
    heap.resize(count * m);
    return heap.data();
  }
};

// Floats of contiguous slices per block (a layer norm's rows, a group norm's (sample, group)
// rows: batch 1): 32 KB, so the passes over a block after its first read it from L1.
constexpr size_t kCachedFloats = 8192;

/** The block of slices a call walks at a time (see kWideBlock and kCachedFloats). */
inline size_t sliceBlock(size_t batch, size_t size) {
  if (size == 1) return kWideBlock;
  if (batch == 1) return std::max<size_t>(1, std::min(kSliceBlock, kCachedFloats / size));
  return kSliceBlock;
}

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

/** How a slice's elements find their weight: per column, per slice, or per run of elements. */
enum class Weights { Column, Slice, Runs };

template <class Args>
Weights weightsOf(const Args& a) {
  if (a.run == a.size) return Weights::Slice;
  if (a.run == 1 && a.groups == 1) return Weights::Column;
  return Weights::Runs;
}

template <class T>
void forwardBlock(const nnkit::LayerNormForwardArgs& a, size_t lo, size_t hi) {
  const T* x = static_cast<const T*>(a.x);
  T* out = static_cast<T*>(a.out);
  const T* w = static_cast<const T*>(a.weight);
  const T* b = static_cast<const T*>(a.bias);
  const size_t m = hi - lo, size = a.size, run = a.run, perGroup = size / run;
  const double n = double(a.batch) * double(size);
  SliceScratch scratch;
  double* mean = scratch.at(m, 5);
  double* rstd = mean + m;
  double* acc = rstd + m;
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
  const Weights mode = weightsOf(a);
  // Per run of elements (per slice when run = size): y = (x − mean)·scale + shift, which keeps
  // x − mean exact where x·scale − mean·scale would cancel.
  const auto runs = [&](size_t k, const T* row, T* o) {
    const size_t first = ((lo + k) % a.groups) * perGroup;
    const double mu = mean[k];
    for (size_t q = 0; q < perGroup; q++) {
      const double sc = rstd[k] * (w ? double(w[first + q]) : 1);
      const double sh = b ? double(b[first + q]) : -0.0;
      const T* rq = row + q * run;
      T* oq = o + q * run;
#pragma omp simd
      for (size_t t = 0; t < run; t++) oq[t] = T((double(rq[t]) - mu) * sc + sh);
    }
  };
  if (mode == Weights::Slice && size == 1) {
    // A batch norm of (N, C): one element per sample and channel, vectorised across channels.
    double* scale = acc + m;
    double* shift = scale + m;
    for (size_t k = 0; k < m; k++) {
      const size_t i = (lo + k) % a.groups;
      scale[k] = rstd[k] * (w ? double(w[i]) : 1);
      shift[k] = b ? double(b[i]) : -0.0;
    }
    for (size_t s = 0; s < a.batch; s++) {
      const T* xa = x + s * a.outer + lo;
      T* oa = out + s * a.outer + lo;
#pragma omp simd
      for (size_t k = 0; k < m; k++) oa[k] = T((double(xa[k]) - mean[k]) * scale[k] + shift[k]);
    }
    return;
  }
  for (size_t s = 0; s < a.batch; s++) {
    const size_t first = (s * a.outer + lo) * size;
    const T* xa = x + first;
    T* oa = out + first;
    if (mode != Weights::Column) {
      for (size_t k = 0; k < m; k++) runs(k, xa + k * size, oa + k * size);
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
  const size_t block = sliceBlock(a.batch, a.size);
  for (size_t r = lo; r < hi; r += block) forwardBlock<T>(a, r, std::min(hi, r + block));
}

template <class T>
void backwardBlock(const nnkit::LayerNormBackwardArgs& a, size_t lo, size_t hi) {
  const T* x = static_cast<const T*>(a.x);
  const T* dy = static_cast<const T*>(a.dy);
  const T* w = static_cast<const T*>(a.weight);
  T* dx = static_cast<T*>(a.dx);
  const size_t m = hi - lo, size = a.size, run = a.run, perGroup = size / run;
  const double n = double(a.batch) * double(size);
  const Weights mode = w ? weightsOf(a) : Weights::Slice;
  // A weight per element (per column or per run): Σ g and Σ g·x̂ need it element by element.
  const bool perElement = mode != Weights::Slice;
  // Per slice: Σ dy and Σ dy·x̂ (the per-slice parameter gradients; with one weight w per
  // slice, Σ g = w·Σ dy and Σ g·x̂ = w·Σ dy·x̂), and Σ g, Σ g·x̂ where weights vary.
  SliceScratch scratch;
  double* mean = scratch.at(m, 9);
  double* rstd = mean + m;
  double* sumDy = rstd + m;
  double* sumDyX = sumDy + m;
  double* sumG = sumDyX + m;
  double* sumGX = sumG + m;
  for (size_t k = 0; k < m; k++) {
    mean[k] = a.stats[3 * (lo + k)];
    rstd[k] = a.stats[3 * (lo + k) + 1];
    sumDy[k] = sumDyX[k] = sumG[k] = sumGX[k] = 0;
  }
  for (size_t s = 0; s < a.batch; s++) {
    const size_t first = (s * a.outer + lo) * size;
    const T* xa = x + first;
    const T* ga = dy + first;
    if (size == 1 && !perElement) {
#pragma omp simd
      for (size_t k = 0; k < m; k++) {
        const double d = double(ga[k]);
        sumDy[k] += d;
        sumDyX[k] += d * ((double(xa[k]) - mean[k]) * rstd[k]);
      }
      continue;
    }
    for (size_t k = 0; k < m; k++) {
      const T* row = xa + k * size;
      const T* gr = ga + k * size;
      const double mu = mean[k], rs = rstd[k];
      if (mode == Weights::Column) {
        // A weight per column (layer norm): the four sums in one pass over the row.
        double sd = 0, sdx = 0, sg = 0, sgx = 0;
#pragma omp simd reduction(+ : sd, sdx, sg, sgx)
        for (size_t j = 0; j < size; j++) {
          const double d = double(gr[j]);
          const double xh = (double(row[j]) - mu) * rs;
          const double g = d * double(w[j]);
          sd += d;
          sdx += d * xh;
          sg += g;
          sgx += g * xh;
        }
        sumDy[k] += sd;
        sumDyX[k] += sdx;
        sumG[k] += sg;
        sumGX[k] += sgx;
        continue;
      }
      double sd = 0, sdx = 0;
      if (!perElement) {
#pragma omp simd reduction(+ : sd, sdx)
        for (size_t j = 0; j < size; j++) {
          const double d = double(gr[j]);
          sd += d;
          sdx += d * ((double(row[j]) - mu) * rs);
        }
        sumDy[k] += sd;
        sumDyX[k] += sdx;
        continue;
      }
      // A weight per run (a group norm's channels): the slice's sums are its runs' sums,
      // added run by run in one pass over the slice.
      double sg = 0, sgx = 0;
      const size_t wFirst = ((lo + k) % a.groups) * perGroup;
      for (size_t q = 0; q < perGroup; q++) {
        const double wq = double(w[wFirst + q]);
        double qd = 0, qdx = 0;
#pragma omp simd reduction(+ : qd, qdx)
        for (size_t t = q * run; t < (q + 1) * run; t++) {
          const double d = double(gr[t]);
          qd += d;
          qdx += d * ((double(row[t]) - mu) * rs);
        }
        sd += qd;
        sdx += qdx;
        sg += wq * qd;
        sgx += wq * qdx;
      }
      sumDy[k] += sd;
      sumDyX[k] += sdx;
      sumG[k] += sg;
      sumGX[k] += sgx;
    }
  }
  // dx = rstd·(g − mean(g) − x̂·mean(g·x̂)), g = dy·w: with one weight ws per slice (1 without
  // weights) dx = c1·dy + c2·(x − mean) + c0; else element by element.
  double* c1 = sumGX + m;
  double* c2 = c1 + m;
  double* c0 = c2 + m;
  for (size_t k = 0; k < m; k++) {
    a.sums[2 * (lo + k)] = sumDy[k];
    a.sums[2 * (lo + k) + 1] = sumDyX[k];
    const double ws = w && !perElement ? double(w[(lo + k) % a.groups]) : 1;
    if (!perElement) {
      sumG[k] = sumDy[k] * ws;
      sumGX[k] = sumDyX[k] * ws;
    }
    sumG[k] /= n;
    sumGX[k] /= n;
    c1[k] = rstd[k] * ws;
    c2[k] = -rstd[k] * rstd[k] * sumGX[k];
    c0[k] = -rstd[k] * sumG[k];
  }
  for (size_t s = 0; s < a.batch; s++) {
    const size_t first = (s * a.outer + lo) * size;
    const T* xa = x + first;
    const T* ga = dy + first;
    T* da = dx + first;
    if (size == 1 && !perElement) {
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
      if (!perElement) {
        const double k1 = c1[k], k2 = c2[k], k0 = c0[k];
#pragma omp simd
        for (size_t j = 0; j < size; j++)
          d[j] = T(k1 * double(gr[j]) + k2 * (double(row[j]) - mu) + k0);
      } else if (mode == Weights::Column) {
#pragma omp simd
        for (size_t j = 0; j < size; j++)
          d[j] = T(rs * (double(gr[j]) * double(w[j]) - mg - (double(row[j]) - mu) * rs * mgx));
      } else {
        const size_t wFirst = ((lo + k) % a.groups) * perGroup;
        for (size_t q = 0; q < perGroup; q++) {
          const double wq = double(w[wFirst + q]);
#pragma omp simd
          for (size_t t = q * run; t < (q + 1) * run; t++)
            d[t] = T(rs * (double(gr[t]) * wq - mg - (double(row[t]) - mu) * rs * mgx));
        }
      }
    }
  }
}

template <class T>
void layerNormBwd(const nnkit::LayerNormBackwardArgs& a, size_t lo, size_t hi) {
  const size_t block = sliceBlock(a.batch, a.size);
  for (size_t r = lo; r < hi; r += block) backwardBlock<T>(a, r, std::min(hi, r + block));
}
