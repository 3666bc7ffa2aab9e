// nnkit native kernels: the loops around the generated elementwise ops, and
// the fused softmax family. Included by kernels_baseline.cc and
// kernels_avx2.cc inside an anonymous namespace (after the system headers),
// so each ISA build has its own copy of every function.

#include "simd.h"
#include "elementwise.generated.h"
#include "gemm.h"
#include "unary.h"
#include "softmax.h"
#include "layer_norm.h"

// ---- fused reductions of binary entries (the pointwise losses) ---------------

// Σ f(a, b): vectors accumulate over blocks of 32 vectors, each block's sum is
// added in double, so float32 keeps about 1e-7 relative accuracy on millions
// of elements (PyTorch's float32 sum is a cascade of float partial sums).
template <class Op, class T>
double binarySum(size_t lo, size_t hi, const void* av, const void* bv, const double* pd) {
  typedef typename VecOf<T>::V V;
  constexpr size_t W = Tr<V>::W;
  const T* a = static_cast<const T*>(av);
  const T* b = static_cast<const T*>(bv);
  V p[Op::nparams > 0 ? Op::nparams : 1];
  for (int k = 0; k < Op::nparams; k++) p[k] = splat<V>(T(pd[k]));
  double total = 0;
  size_t i = lo;
  constexpr size_t kBlock = 32 * W;
  while (i + 2 * W <= hi) {
    const size_t end = i + kBlock <= hi ? i + kBlock : hi - (hi - i) % (2 * W);
    V s0 = splat<V>(T(0)), s1 = splat<V>(T(0));
    for (; i < end; i += 2 * W) {
      s0 += Op::fwd(load<V>(a + i), load<V>(b + i), p);
      s1 += Op::fwd(load<V>(a + i + W), load<V>(b + i + W), p);
    }
    total += hsum(s0 + s1);
  }
  for (; i + W <= hi; i += W) total += hsum(Op::fwd(load<V>(a + i), load<V>(b + i), p));
  if (i < hi) {
    const V r = Op::fwd(loadPartial<V>(a + i, hi - i), loadPartial<V>(b + i, hi - i), p);
    for (size_t l = 0; l < hi - i; l++) total += r[l];
  }
  return total;
}

template <class Op, class T, bool kA>
void binaryBwdScaled(size_t lo, size_t hi, void* outv, double scale, const void* av, const void* bv,
                     const double* pd) {
  typedef typename VecOf<T>::V V;
  constexpr size_t W = Tr<V>::W;
  T* out = static_cast<T*>(outv);
  const T* a = static_cast<const T*>(av);
  const T* b = static_cast<const T*>(bv);
  V p[Op::nparams > 0 ? Op::nparams : 1];
  for (int k = 0; k < Op::nparams; k++) p[k] = splat<V>(T(pd[k]));
  const V dy = splat<V>(T(scale));
  auto g = [&](V x, V y) { return kA ? Op::bwdA(x, y, dy, p) : Op::bwdB(x, y, dy, p); };
  size_t i = lo;
  for (; i + 2 * W <= hi; i += 2 * W) {
    const V r0 = g(load<V>(a + i), load<V>(b + i));
    const V r1 = g(load<V>(a + i + W), load<V>(b + i + W));
    store(out + i, r0);
    store(out + i + W, r1);
  }
  for (; i + W <= hi; i += W) store(out + i, g(load<V>(a + i), load<V>(b + i)));
  if (i < hi) {
    storePartial(out + i, g(loadPartial<V>(a + i, hi - i), loadPartial<V>(b + i, hi - i)), hi - i);
  }
}

// ---- broadcast rows of binary entries --------------------------------------------

/** Operand i of a row: a vector load (stride 1) or the broadcast scalar (stride 0). */
template <bool kVec, class V>
NNKIT_INLINE V rowOperand(const typename Tr<V>::T* p, size_t i, V scalar) {
  if constexpr (kVec) {
    return load<V>(p + i);
  } else {
    (void)p, (void)i;
    return scalar;
  }
}
template <bool kVec, class V>
NNKIT_INLINE V rowOperandPartial(const typename Tr<V>::T* p, size_t i, size_t n, V scalar) {
  if constexpr (kVec) {
    return loadPartial<V>(p + i, n);
  } else {
    (void)p, (void)i, (void)n;
    return scalar;
  }
}

/** out[i] = g(a_i, b_i, dy_i) over [lo, hi); dy is read only with kDy (the backward). */
template <class T, bool kAVec, bool kBVec, bool kDy, class G>
NNKIT_INLINE void binaryRowLoop(size_t lo, size_t hi, T* out, const T* a, const T* b, const T* dy,
                                G g) {
  typedef typename VecOf<T>::V V;
  constexpr size_t W = Tr<V>::W;
  const V sa = splat<V>(kAVec ? T(0) : a[0]);
  const V sb = splat<V>(kBVec ? T(0) : b[0]);
  const V zero = splat<V>(T(0));
  auto at = [&](size_t i) NNKIT_LAMBDA {
    return g(rowOperand<kAVec>(a, i, sa), rowOperand<kBVec>(b, i, sb),
             kDy ? load<V>(dy + i) : zero);
  };
  size_t i = lo;
  // Both vectors are computed before either is stored: out may alias a or b.
  for (; i + 2 * W <= hi; i += 2 * W) {
    const V r0 = at(i), r1 = at(i + W);
    store(out + i, r0);
    store(out + i + W, r1);
  }
  for (; i + W <= hi; i += W) store(out + i, at(i));
  if (i < hi) {
    const size_t n = hi - i;
    storePartial(out + i,
                 g(rowOperandPartial<kAVec>(a, i, n, sa), rowOperandPartial<kBVec>(b, i, n, sb),
                   kDy ? loadPartial<V>(dy + i, n) : zero),
                 n);
  }
}

/** binaryRowLoop specialised for the four stride combinations. */
template <class T, bool kDy, class G>
NNKIT_INLINE void binaryRow(size_t lo, size_t hi, T* out, const T* a, size_t aStride, const T* b,
                            size_t bStride, const T* dy, G g) {
  if (aStride && bStride)
    binaryRowLoop<T, true, true, kDy>(lo, hi, out, a, b, dy, g);
  else if (aStride)
    binaryRowLoop<T, true, false, kDy>(lo, hi, out, a, b, dy, g);
  else if (bStride)
    binaryRowLoop<T, false, true, kDy>(lo, hi, out, a, b, dy, g);
  else
    binaryRowLoop<T, false, false, kDy>(lo, hi, out, a, b, dy, g);
}

template <class Op, class T>
void binaryRowFwd(size_t lo, size_t hi, void* outv, const void* av, size_t aStride, const void* bv,
                  size_t bStride, const double* pd) {
  typedef typename VecOf<T>::V V;
  V p[Op::nparams > 0 ? Op::nparams : 1];
  for (int k = 0; k < Op::nparams; k++) p[k] = splat<V>(T(pd[k]));
  binaryRow<T, false>(lo, hi, static_cast<T*>(outv), static_cast<const T*>(av), aStride,
                      static_cast<const T*>(bv), bStride, static_cast<const T*>(nullptr),
                      [&](V x, V y, V) NNKIT_LAMBDA { return Op::fwd(x, y, p); });
}

template <class Op, class T, bool kA>
void binaryRowBwd(size_t lo, size_t hi, void* outv, const void* dyv, const void* av, size_t aStride,
                  const void* bv, size_t bStride, const double* pd) {
  typedef typename VecOf<T>::V V;
  V p[Op::nparams > 0 ? Op::nparams : 1];
  for (int k = 0; k < Op::nparams; k++) p[k] = splat<V>(T(pd[k]));
  binaryRow<T, true>(lo, hi, static_cast<T*>(outv), static_cast<const T*>(av), aStride,
                     static_cast<const T*>(bv), bStride, static_cast<const T*>(dyv),
                     [&](V x, V y, V d)
                         NNKIT_LAMBDA { return kA ? Op::bwdA(x, y, d, p) : Op::bwdB(x, y, d, p); });
}

// ---- negative log-likelihood (any inner) ---------------------------------------
// Follows src/kernels/js/loss-kernels.ts: products in double, rounded once.

template <class T>
double nllFwd(const nnkit::NllForwardArgs& a, size_t lo, size_t hi) {
  const size_t C = a.C, inner = a.inner;
  const int32_t* target = a.target;
  const int32_t ignoreIndex = a.ignoreIndex;
  const T* x = static_cast<const T*>(a.x);
  const T* weight = static_cast<const T*>(a.weight);
  T* loss = static_cast<T*>(a.loss);
  double total = 0;
  for (size_t n = lo; n < hi; n++) {
    for (size_t i = 0; i < inner; i++) {
      const size_t p = n * inner + i;
      const int32_t t = target[p];
      if (t == ignoreIndex) {
        loss[p] = T(0);
        continue;
      }
      const double wt = weight ? double(weight[t]) : 1.0;
      total += wt;
      loss[p] = T(-wt * double(x[(n * C + size_t(t)) * inner + i]));
    }
  }
  return total;
}

template <class T>
void nllBwd(const nnkit::NllBackwardArgs& a, size_t lo, size_t hi) {
  const size_t C = a.C, inner = a.inner, gradStride = a.gradStride;
  const int32_t* target = a.target;
  const int32_t ignoreIndex = a.ignoreIndex;
  const double divisor = a.divisor;
  const T* weight = static_cast<const T*>(a.weight);
  const T* grad = static_cast<const T*>(a.grad);
  T* dx = static_cast<T*>(a.dx);
  for (size_t n = lo; n < hi; n++) {
    for (size_t i = 0; i < inner; i++) {
      const size_t p = n * inner + i;
      const int32_t t = target[p];
      if (t == ignoreIndex) continue;
      const double wt = weight ? double(weight[t]) : 1.0;
      dx[(n * C + size_t(t)) * inner + i] = T(-wt * (double(grad[p * gradStride]) / divisor));
    }
  }
}

// ---- cross-entropy with class-probability targets (inner = 1) --------------------

template <class T>
void crossEntropyProbRowsFwd(size_t lo, size_t hi, size_t C, const void* xv, const void* tv,
                             const void* wv, double eps, void* lossv, double* lse) {
  const T* xAll = static_cast<const T*>(xv);
  const T* tAll = static_cast<const T*>(tv);
  const T* weight = static_cast<const T*>(wv);
  T* loss = static_cast<T*>(lossv);
  const bool smooth = eps > 0;
  const double k = eps / double(C);
  for (size_t n = lo; n < hi; n++) {
    const T* x = xAll + n * C;
    const T* tg = tAll + n * C;
    double logSum;
    const T m = rowMaxLogSumExp(x, C, &logSum);
    lse[2 * n] = logSum;
    lse[2 * n + 1] = double(m);
    // −Σ logp·t'·w, each product rounded to T as PyTorch's float kernels
    // (logp = (x − max) − log Σ, rounded at each step), the sum rounded to T.
    const T ls = T(logSum), keep = T(1 - eps), kk = T(k);
    double acc = 0;
    for (size_t j = 0; j < C; j++) {
      const T tc = smooth ? rounded(T(tg[j] * keep)) + kk : tg[j];
      const T term = (T(x[j] - m) - ls) * tc;
      acc += weight ? double(T(term * weight[j])) : double(term);
    }
    loss[n] = -T(acc);
  }
}

// One class's gradient term of cross-entropy with probability targets, as
// PyTorch's autograd forms it from −(log_softmax(x)·t'·w).sum(): ((−s)·w)·t',
// each product rounded to T (t' = t·(1 − ε) + ε/C with smoothing), so that
// gl − softmax·Σ gl cancels exactly where PyTorch's does (one class: 0).
template <class T>
NNKIT_INLINE T probGradTerm(T t, T w, T s, bool smooth, T keep, T kk) {
  const T tc = smooth ? T(rounded(t * keep) + kk) : t;
  return T(rounded(T(-s * w)) * tc);
}

template <class T>
void crossEntropyProbRowsBwd(size_t lo, size_t hi, size_t C, const void* xv, const void* tv,
                             const void* wv, double eps, const double* lse, const void* gradv,
                             size_t gradStride, double divisor, void* dxv, void* dtv) {
  typedef typename VecOf<T>::V V;
  constexpr size_t W = Tr<V>::W;
  const T* xAll = static_cast<const T*>(xv);
  const T* tAll = static_cast<const T*>(tv);
  const T* weight = static_cast<const T*>(wv);
  const T* grad = static_cast<const T*>(gradv);
  T* dxAll = static_cast<T*>(dxv);
  T* dtAll = static_cast<T*>(dtv);
  const bool smooth = eps > 0;
  const double k = eps / double(C);
  for (size_t n = lo; n < hi; n++) {
    const T* x = xAll + n * C;
    const T* tg = tAll + n * C;
    // logp = (x − max) − log Σ rounded to T at each step.
    const T ls = T(lse[2 * n]);
    const T m = T(lse[2 * n + 1]);
    const double s = double(grad[n * gradStride]) / divisor;
    const T ss = T(s);
    const T keep = T(1 - eps), kk = T(k);
    // Σ gl over the row, each gl = ((−s)·w)·t' rounded as below; dtarget = −logp·w·s·(1 − ε).
    double total = 0;
    for (size_t j = 0; j < C; j++)
      total += double(probGradTerm<T>(tg[j], weight ? weight[j] : T(1), ss, smooth, keep, kk));
    if (dtAll) {
      T* dt = dtAll + n * C;
      for (size_t j = 0; j < C; j++) {
        const double g = -double(T(x[j] - m) - ls) * (weight ? double(weight[j]) : 1.0) * s;
        dt[j] = T(smooth ? g * (1 - eps) : g);
      }
    }
    if (!dxAll) continue;
    T* dx = dxAll + n * C;
    const T tot = T(total);
    auto gl = [&](V t, V w) {
      const V tc = smooth ? rounded(t * keep) + kk : t;
      return rounded(rounded(splat<V>(-ss) * w) * tc);
    };
    size_t c = 0;
    for (; c + W <= C; c += W) {
      const V w = weight ? load<V>(weight + c) : splat<V>(T(1));
      store(dx + c, gl(load<V>(tg + c), w) - rounded(vexp((load<V>(x + c) - m) - ls) * tot));
    }
    if (c < C) {
      const size_t r = C - c;
      const V w = weight ? loadPartial<V>(weight + c, r) : splat<V>(T(1));
      storePartial(dx + c,
                   gl(loadPartial<V>(tg + c, r), w) -
                       rounded(vexpLanes((loadPartial<V>(x + c, r) - m) - ls, r) * tot),
                   r);
    }
  }
}

// Class-probability targets with the class dimension not last (inner > 1):
// vectors along inner, as crossEntropyStridedFwd; the target has x's layout.
template <class T>
void crossEntropyProbStridedFwd(size_t lo, size_t hi, size_t C, size_t inner, const T* xAll,
                                const T* tAll, const T* weight, double eps, T* loss, double* lse) {
  typedef typename VecOf<T>::V V;
  constexpr size_t W = Tr<V>::W;
  const bool smooth = eps > 0;
  const double k = eps / double(C);
  for (size_t o = lo; o < hi; o++) {
    for (size_t i = 0; i < inner; i += W) {
      const size_t n = inner - i < W ? inner - i : W;
      const T* x = xAll + o * C * inner + i;
      const T* tg = tAll + o * C * inner + i;
      V m, sum;
      stridedMaxSumExp(x, C, inner, n, &m, &sum);
      for (size_t l = 0; l < n; l++) {
        const size_t p = o * inner + i + l;
        const T mx = m[l];
        const double logSum = std::log(double(sum[l]));
        lse[2 * p] = logSum;
        lse[2 * p + 1] = double(mx);
        const T ls = T(logSum), keep = T(1 - eps), kk = T(k);
        double acc = 0;
        for (size_t c = 0; c < C; c++) {
          const T t = tg[c * inner + l];
          const T tc = smooth ? rounded(T(t * keep)) + kk : t;
          const T term = (T(x[c * inner + l] - mx) - ls) * tc;
          acc += weight ? double(T(term * weight[c])) : double(term);
        }
        loss[p] = -T(acc);
      }
    }
  }
}

template <class T>
void crossEntropyProbStridedBwd(size_t lo, size_t hi, size_t C, size_t inner, const T* xAll,
                                const T* tAll, const T* weight, double eps, const double* lse,
                                const T* grad, size_t gradStride, double divisor, T* dxAll,
                                T* dtAll) {
  typedef typename VecOf<T>::V V;
  constexpr size_t W = Tr<V>::W;
  const bool smooth = eps > 0;
  const double k = eps / double(C);
  const T keep = T(1 - eps), kk = T(k);
  for (size_t o = lo; o < hi; o++) {
    for (size_t i = 0; i < inner; i += W) {
      const size_t n = inner - i < W ? inner - i : W;
      const size_t base = o * C * inner + i;
      const T* x = xAll + base;
      const T* tg = tAll + base;
      V mx = splat<V>(T(0)), ls = mx, tot = mx, ss = mx;
      for (size_t q = 0; q < n; q++) {
        const size_t p = o * inner + i + q;
        ls[q] = T(lse[2 * p]);
        mx[q] = T(lse[2 * p + 1]);
        const double s = double(grad[p * gradStride]) / divisor;
        double total = 0;
        for (size_t c = 0; c < C; c++)
          total += double(probGradTerm<T>(tg[c * inner + q], weight ? weight[c] : T(1), T(s),
                                          smooth, keep, kk));
        if (dtAll) {
          for (size_t c = 0; c < C; c++) {
            const double g = -double(T(x[c * inner + q] - mx[q]) - ls[q]) *
                             (weight ? double(weight[c]) : 1.0) * s;
            dtAll[base + c * inner + q] = T(smooth ? g * (1 - eps) : g);
          }
        }
        tot[q] = T(total);
        ss[q] = T(s);
      }
      if (!dxAll) continue;
      T* dx = dxAll + base;
      for (size_t c = 0; c < C; c++) {
        const V t = loadPositions<V>(tg + c * inner, n, T(0));
        const V w = weight ? splat<V>(weight[c]) : splat<V>(T(1));
        const V tc = smooth ? rounded(t * keep) + kk : t;
        const V g = rounded(rounded(-ss * w) * tc) -
                    rounded(vexp((loadPositions<V>(x + c * inner, n, T(0)) - mx) - ls) * tot);
        if (n == W)
          store(dx + c * inner, g);
        else
          storePartial(dx + c * inner, g, n);
      }
    }
  }
}

template <class T>
void crossEntropyProbFwd(const nnkit::CrossEntropyProbForwardArgs& a, size_t lo, size_t hi) {
  if (a.inner == 1)
    return crossEntropyProbRowsFwd<T>(lo, hi, a.C, a.x, a.target, a.weight, a.labelSmoothing,
                                      a.loss, a.lse);
  crossEntropyProbStridedFwd<T>(lo, hi, a.C, a.inner, static_cast<const T*>(a.x),
                                static_cast<const T*>(a.target), static_cast<const T*>(a.weight),
                                a.labelSmoothing, static_cast<T*>(a.loss), a.lse);
}

template <class T>
void crossEntropyProbBwd(const nnkit::CrossEntropyProbBackwardArgs& a, size_t lo, size_t hi) {
  if (a.inner == 1)
    return crossEntropyProbRowsBwd<T>(lo, hi, a.C, a.x, a.target, a.weight, a.labelSmoothing, a.lse,
                                      a.grad, a.gradStride, a.divisor, a.dx, a.dtarget);
  crossEntropyProbStridedBwd<T>(
      lo, hi, a.C, a.inner, static_cast<const T*>(a.x), static_cast<const T*>(a.target),
      static_cast<const T*>(a.weight), a.labelSmoothing, a.lse, static_cast<const T*>(a.grad),
      a.gradStride, a.divisor, static_cast<T*>(a.dx), static_cast<T*>(a.dtarget));
}

// ---- reductions over one dimension ---------------------------------------------
//
// kind 0 sums in double (as the JS kernel does), 1 and 2 are max and min with
// NaN winning, as PyTorch's. The layout is (outer, size, inner); the result is
// outer × inner values.

/** Combines a running extremum with v; NaN sticks. */
template <class T>
NNKIT_INLINE T extremumStep(int kind, T acc, T v) {
  if (v != v) return v;
  return kind == 1 ? (v > acc ? v : acc) : (v < acc ? v : acc);
}

/** Σ x[lo, hi) in double, or its extremum (kind 1/2; lo < hi), over contiguous elements. */
template <class T>
double reduceSpan(int kind, const void* xv, size_t lo, size_t hi) {
  typedef typename VecOf<T>::V V;
  constexpr size_t W = Tr<V>::W;
  const T* x = static_cast<const T*>(xv);
  size_t i = lo;
  if (kind == 0) {
    // Four independent double accumulators per lane group keep the adds pipelined.
    typedef double D4 __attribute__((vector_size(32)));
    typedef T T4 __attribute__((vector_size(4 * sizeof(T))));
    D4 a0 = {0, 0, 0, 0}, a1 = a0;
    for (; i + 8 <= hi; i += 8) {
      T4 u, v;
      memcpy(&u, x + i, sizeof u);
      memcpy(&v, x + i + 4, sizeof v);
      a0 += __builtin_convertvector(u, D4);
      a1 += __builtin_convertvector(v, D4);
    }
    const D4 a = a0 + a1;
    double total = (a[0] + a[1]) + (a[2] + a[3]);
    for (; i < hi; i++) total += double(x[i]);
    return total;
  }
  V m = splat<V>(x[lo]);
  for (; i + W <= hi; i += W) {
    const V v = load<V>(x + i);
    m = kind == 1 ? vmax(v, m) : vmin(v, m);  // vmax(a, b) keeps a NaN a
  }
  T r = m[0];
  for (int l = 1; l < int(W); l++) r = extremumStep<T>(kind, r, m[l]);
  for (; i < hi; i++) r = extremumStep<T>(kind, r, x[i]);
  return double(r);
}

/** Rows [oLo, oHi) of the outer dimension, columns [iLo, iHi) of inner (inner > 1). */
template <class T>
void reduceStrided(int kind, size_t oLo, size_t oHi, size_t size, size_t inner, size_t iLo,
                   size_t iHi, const void* xv, void* outv) {
  const T* x = static_cast<const T*>(xv);
  T* out = static_cast<T*>(outv);
  if (inner == 1) {
    // Contiguous rows: the vectorised span reduction per row.
    for (size_t o = oLo; o < oHi; o++)
      out[o] = size ? T(reduceSpan<T>(kind, xv, o * size, (o + 1) * size)) : T(0);
    return;
  }
  // Columns per block: each row's run of a block (16 KB of float32) is long
  // enough for the hardware prefetcher, and the sums (32 KB) stay near L1.
  // Sums add four rows at a time, ((r0 + r1) + (r2 + r3)) in double, so
  // that they are loaded and stored once per four rows; they can differ from
  // row-by-row double sums in the last bit of a double (float32 inputs:
  // a pair sum is exact unless exponents lie 29 binades apart). With
  // 256-column blocks and one row at a time, the column sums of a
  // 256 × 50,000 float32 matrix (nn.Linear's bias gradient in bench:train
  // d-full) took 4.4–5.3 ms against 2.1 ms for its row sums; now 2.5–2.7.
  constexpr size_t B = 4096;
  double acc[B];
  for (size_t o = oLo; o < oHi; o++) {
    for (size_t i0 = iLo; i0 < iHi; i0 += B) {
      const size_t nb = iHi - i0 < B ? iHi - i0 : B;
      const T* base = x + o * size * inner + i0;
      if (kind == 0) {
        for (size_t i = 0; i < nb; i++) acc[i] = 0;
        size_t s = 0;
        for (; s + 4 <= size; s += 4) {
          const T* r0 = base + s * inner;
          const T* r1 = r0 + inner;
          const T* r2 = r1 + inner;
          const T* r3 = r2 + inner;
          for (size_t i = 0; i < nb; i++) acc[i] += sumOfFour(r0[i], r1[i], r2[i], r3[i]);
        }
        for (; s < size; s++)
          for (size_t i = 0; i < nb; i++) acc[i] += double(base[s * inner + i]);
        for (size_t i = 0; i < nb; i++) out[o * inner + i0 + i] = T(acc[i]);
      } else {
        T* dst = out + o * inner + i0;
        for (size_t i = 0; i < nb; i++) dst[i] = base[i];
        for (size_t s = 1; s < size; s++)
          for (size_t i = 0; i < nb; i++)
            dst[i] = extremumStep<T>(kind, dst[i], base[s * inner + i]);
      }
    }
  }
}

#define NNKIT_ENTRY(name)                                     \
  {#name,                                                     \
   op_##name::nparams,                                        \
   op_##name::hasBackward,                                    \
   op_##name::needsX,                                         \
   op_##name::needsY,                                         \
   {unaryFwd<op_##name, float>, unaryFwd<op_##name, double>}, \
   {unaryBwd<op_##name, float>, unaryBwd<op_##name, double>}},

const nnkit::UnaryEntry kUnary[] = {NNKIT_UNARY_OPS(NNKIT_ENTRY)};

#define NNKIT_BINARY_ENTRY(name)                                                            \
  {#name,                                                                                   \
   bop_##name::nparams,                                                                     \
   {binarySum<bop_##name, float>, binarySum<bop_##name, double>},                           \
   {binaryBwdScaled<bop_##name, float, true>, binaryBwdScaled<bop_##name, double, true>},   \
   {binaryBwdScaled<bop_##name, float, false>, binaryBwdScaled<bop_##name, double, false>}, \
   {binaryRowFwd<bop_##name, float>, binaryRowFwd<bop_##name, double>},                     \
   {binaryRowBwd<bop_##name, float, true>, binaryRowBwd<bop_##name, double, true>},         \
   {binaryRowBwd<bop_##name, float, false>, binaryRowBwd<bop_##name, double, false>}},

const nnkit::BinaryEntry kBinary[] = {NNKIT_BINARY_OPS(NNKIT_BINARY_ENTRY)};

const nnkit::KernelTable kTable = {NNKIT_ISA_NAME,
                                   kUnary,
                                   int(sizeof(kUnary) / sizeof(kUnary[0])),
                                   {softmaxFwd<float>, softmaxFwd<double>},
                                   {softmaxBwd<float>, softmaxBwd<double>},
                                   {mathFn<float>, mathFn<double>},
                                   {crossEntropyFwd<float>, crossEntropyFwd<double>},
                                   {crossEntropyBwd<float>, crossEntropyBwd<double>},
                                   kBinary,
                                   int(sizeof(kBinary) / sizeof(kBinary[0])),
                                   {nllFwd<float>, nllFwd<double>},
                                   {nllBwd<float>, nllBwd<double>},
                                   {crossEntropyProbFwd<float>, crossEntropyProbFwd<double>},
                                   {crossEntropyProbBwd<float>, crossEntropyProbBwd<double>},
                                   {gemm<float>, gemm<double>},
                                   {reduceSpan<float>, reduceSpan<double>},
                                   {reduceStrided<float>, reduceStrided<double>},
                                   {layerNormFwd<float>, layerNormFwd<double>},
                                   {layerNormBwd<float>, layerNormBwd<double>}};
