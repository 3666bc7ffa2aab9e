// nnkit native kernels: softmax and logSoftmax (forward, backward) and
// cross-entropy with class-index targets, with the helpers they share. Part
// of kernels.h; also compiled alone with 64-byte vectors by
// kernels_avx512.cc, where these exp-bound row loops run twice as wide.
// Included inside an anonymous namespace after simd.h.

// ---- softmax family ---------------------------------------------------------

/** Loads lanes at base, base+stride, … (n ≤ W of them); the rest are `fill`. */
template <class V>
NNKIT_INLINE V loadLanes(const typename Tr<V>::T* p, size_t n, typename Tr<V>::T fill) {
  V v = splat<V>(fill);
  for (size_t l = 0; l < n; l++) v[l] = p[l];
  return v;
}

/**
 * exp of the first n ≤ W lanes of v; the other lanes are +0, as exp(−∞)
 * would give them, but without evaluating exp there: vexp clamps −∞ to
 * −104 (float) / −746 (double) and scales into the subnormal range, and
 * every instruction that produces a subnormal costs a microcode assist on
 * x86 (about 150 cycles). A 3-class cross-entropy paid that on every row.
 */
template <class V>
NNKIT_INLINE V vexpLanes(V v, size_t n) {
  typedef typename Tr<V>::I I;
  I lane;
  for (int l = 0; l < Tr<V>::W; l++) lane[l] = l;
  const I keep = lane < splati<V>(int64_t(n));
  const V e = vexp(bitsToFloat<V>(floatToBits(v) & keep));  // padding: exp(+0)
  return bitsToFloat<V>(floatToBits(e) & keep);
}

template <class V>
NNKIT_INLINE typename Tr<V>::T hmaxNaN(V v) {
  typename Tr<V>::T m = v[0];
  for (int l = 1; l < Tr<V>::W; l++) m = (v[l] > m || v[l] != v[l]) ? v[l] : m;
  return m;
}
template <class V>
NNKIT_INLINE double hsum(V v) {
  double s = 0;
  for (int l = 0; l < Tr<V>::W; l++) s += v[l];
  return s;
}

// The softmax forward kernels compute z = x·scale in the max pass and again in
// the exp pass. With FMA contraction `x·scale − max` would be fused into one
// exactly-rounded operation, so at the maximum it yields the rounding error of
// x·scale instead of 0 (±1024 for z ≈ 3e10: exp overflows and the row turns
// NaN at temperature 1e-10). `scaled` rounds the product to T and hides it
// from the optimiser (an empty asm that "changes" the register), so both
// passes see the same float z, as PyTorch's softmax(x / T) does. Only the
// FMA build needs it: without FMA nothing can be contracted. (A per-region
// `#pragma GCC optimize("fp-contract=off")` did the same but slowed the whole
// region: softmax forward on 4096×1000 float32 took 6.2 ms against 5.2.)
template <class V>
NNKIT_INLINE V scaled(V x, typename Tr<V>::T scale) {
  V z = x * scale;
#if defined(NNKIT_HAS_FMA)
  __asm__("" : "+x"(z));
#endif
  return z;
}

/**
 * The last n < W elements of a row, scaled, with −∞ in the lanes beyond
 * them (set after scaling: no padding value survives a scale of ±0, the
 * float32 1/temperature of a temperature above ~1e45, where −∞·0 is NaN).
 */
template <class V>
NNKIT_INLINE V scaledTail(const typename Tr<V>::T* x, size_t n, typename Tr<V>::T scale) {
  V z = scaled(loadLanes<V>(x, n, 0), scale);
  for (size_t k = n; k < size_t(Tr<V>::W); k++) z[k] = -__builtin_inf();
  return z;
}

/** Element c of W consecutive rows of `size` elements: row l's in lane l (few-class row blocks). */
template <class V>
NNKIT_INLINE V columnOfRows(const typename Tr<V>::T* x, size_t size, size_t c) {
  V v;
  for (size_t l = 0; l < size_t(Tr<V>::W); l++) v[l] = x[l * size + c];
  return v;
}
/** Stores lane l of v as element c of row l of W consecutive rows of `size` elements. */
template <class V>
NNKIT_INLINE void storeColumnOfRows(typename Tr<V>::T* out, size_t size, size_t c, V v) {
  for (size_t l = 0; l < size_t(Tr<V>::W); l++) out[l * size + c] = v[l];
}

/**
 * Rows of few classes (size ≤ W) in blocks of W rows, row l in lane l, as
 * the cross-entropy rows do (smallRowsMaxLogSumExp): one vexp then serves W
 * rows instead of one row and W − size padding lanes, and no row has a
 * partial vector. Each element is computed as softmaxRows computes it: the
 * maximum with NaN winning in hmaxNaN's order, exp(z − max) in T, the sum
 * in double in class order (hsum's), then ·T(1/Σ) or − T(log Σ). Returns
 * the first row left for softmaxRows (fewer than W remain). size ≥ 1.
 */
template <class T, bool Unit>
size_t softmaxFewClasses(bool log, size_t lo, size_t hi, size_t size, T* outAll, const T* xAll,
                         T scale) {
  typedef typename VecOf<T>::V V;
  constexpr size_t W = Tr<V>::W;
  const auto z = [scale](V v) NNKIT_LAMBDA { return Unit ? v : v * scale; };
  const auto zs = [scale](V v) NNKIT_LAMBDA { return Unit ? v : scaled(v, scale); };
  size_t o = lo;
  for (; o + W <= hi; o += W) {
    const T* x = xAll + o * size;
    T* out = outAll + o * size;
    V xc[W] = {};
    for (size_t c = 0; c < size; c++) xc[c] = columnOfRows<V>(x, size, c);
    V m = z(xc[0]);
    for (size_t c = 1; c < size; c++) m = vmax(z(xc[c]), m);
    double sum[W] = {};
    V e[W];
    for (size_t c = 0; c < size; c++) {
      e[c] = vexp(zs(xc[c]) - m);
      for (size_t l = 0; l < W; l++) sum[l] += double(e[c][l]);
    }
    V k;  // per row: T(1 / Σ), or T(log Σ)
    for (size_t l = 0; l < W; l++) k[l] = log ? T(std::log(sum[l])) : T(1 / sum[l]);
    for (size_t c = 0; c < size; c++) {
      const V r = log ? (zs(xc[c]) - m) - k : e[c] * k;
      storeColumnOfRows(out, size, c, r);
    }
  }
  return o;
}

// Rows along the last dimension (inner = 1): one pass for the maximum, one
// for Σ exp(z − max) (softmax stores the exponentials on the way), one to
// scale or shift. A row is at most a few KB, so the later passes hit L1.
// `Unit`: scale is 1 (the default temperature), and x·1 = x needs no multiply.
template <class T, bool Unit>
void softmaxRows(bool log, size_t lo, size_t hi, size_t size, T* outAll, const T* xAll, T scale) {
  typedef typename VecOf<T>::V V;
  constexpr size_t W = Tr<V>::W;
  const T ninf = -__builtin_inf();
  const auto z = [scale](V v) NNKIT_LAMBDA { return Unit ? v : v * scale; };
  const auto zs = [scale](V v) NNKIT_LAMBDA { return Unit ? v : scaled(v, scale); };
  size_t o = lo;
  if (size > 0 && size <= W) o = softmaxFewClasses<T, Unit>(log, lo, hi, size, outAll, xAll, scale);
  for (; o < hi; o++) {
    const T* x = xAll + o * size;
    T* out = outAll + o * size;
    V m0 = splat<V>(ninf), m1 = m0;
    size_t i = 0;
    for (; i + 2 * W <= size; i += 2 * W) {
      m0 = vmax(m0, z(load<V>(x + i)));
      m1 = vmax(m1, z(load<V>(x + i + W)));
    }
    for (; i + W <= size; i += W) m0 = vmax(m0, z(load<V>(x + i)));
    if (i < size) m1 = vmax(m1, scaledTail<V>(x + i, size - i, scale));
    const T mx = hmaxNaN(vmax(m0, m1));
    V s0 = splat<V>(T(0)), s1 = s0;
    i = 0;
    for (; i + 2 * W <= size; i += 2 * W) {
      const V e0 = vexp(zs(load<V>(x + i)) - mx);
      const V e1 = vexp(zs(load<V>(x + i + W)) - mx);
      if (!log) store(out + i, e0), store(out + i + W, e1);
      s0 += e0;
      s1 += e1;
    }
    for (; i + W <= size; i += W) {
      const V e0 = vexp(zs(load<V>(x + i)) - mx);
      if (!log) store(out + i, e0);
      s0 += e0;
    }
    if (i < size) {
      // Padding lanes are −∞, whose exponential is 0.
      const V e1 = vexpLanes(scaledTail<V>(x + i, size - i, scale) - mx, size - i);
      if (!log) storePartial(out + i, e1, size - i);
      s1 += e1;
    }
    const double sum = hsum(s0 + s1);
    if (log) {
      const T lse = T(std::log(sum));
      i = 0;
      for (; i + W <= size; i += W) store(out + i, (zs(load<V>(x + i)) - mx) - lse);
      if (i < size)
        storePartial(out + i, (zs(loadPartial<V>(x + i, size - i)) - mx) - lse, size - i);
    } else {
      const T inv = T(1 / sum);
      i = 0;
      for (; i + W <= size; i += W) store(out + i, load<V>(out + i) * inv);
      if (i < size) storePartial(out + i, loadPartial<V>(out + i, size - i) * inv, size - i);
    }
  }
}

// Any other dimension (inner > 1): the reduced elements of W neighbouring
// positions sit `inner` apart, so vectors run along inner.
template <class T, bool Unit>
void softmaxStrided(bool log, size_t lo, size_t hi, size_t size, size_t inner, T* outAll,
                    const T* xAll, T scale) {
  typedef typename VecOf<T>::V V;
  constexpr size_t W = Tr<V>::W;
  const T ninf = -__builtin_inf();
  const T pad = ninf / scale;  // −∞ after scaling
  const auto z = [scale](V v) NNKIT_LAMBDA { return Unit ? v : v * scale; };
  const auto zs = [scale](V v) NNKIT_LAMBDA { return Unit ? v : scaled(v, scale); };
  for (size_t o = lo; o < hi; o++) {
    for (size_t i = 0; i < inner; i += W) {
      const size_t n = inner - i < W ? inner - i : W;
      const T* x = xAll + o * size * inner + i;
      T* out = outAll + o * size * inner + i;
      V m = splat<V>(ninf);
      for (size_t s = 0; s < size; s++) m = vmax(m, z(loadLanes<V>(x + s * inner, n, pad)));
      V sum = splat<V>(T(0));
      for (size_t s = 0; s < size; s++) {
        const V e = vexp(zs(loadLanes<V>(x + s * inner, n, pad)) - m);
        if (!log) storePartial(out + s * inner, e, n);
        sum += e;
      }
      if (log) {
        V lse;
        for (int l = 0; l < Tr<V>::W; l++) lse[l] = T(std::log(double(sum[l])));
        for (size_t s = 0; s < size; s++)
          storePartial(out + s * inner, (zs(loadLanes<V>(x + s * inner, n, 0)) - m) - lse, n);
      } else {
        const V inv = T(1) / sum;
        for (size_t s = 0; s < size; s++)
          storePartial(out + s * inner, loadLanes<V>(out + s * inner, n, 0) * inv, n);
      }
    }
  }
}

template <class T>
void softmaxFwd(const nnkit::SoftmaxForwardArgs& a, size_t lo, size_t hi) {
  T* out = static_cast<T*>(a.out);
  const T* x = static_cast<const T*>(a.x);
  const T scale = T(a.scale);
  if (a.inner == 1) {
    if (scale == T(1))
      softmaxRows<T, true>(a.log, lo, hi, a.size, out, x, scale);
    else
      softmaxRows<T, false>(a.log, lo, hi, a.size, out, x, scale);
  } else {
    if (scale == T(1))
      softmaxStrided<T, true>(a.log, lo, hi, a.size, a.inner, out, x, scale);
    else
      softmaxStrided<T, false>(a.log, lo, hi, a.size, a.inner, out, x, scale);
  }
}

// Backward from the saved output y:
//   softmax:    dx = scale · y · (dy − Σ dy·y)
//   logSoftmax: dx = scale · (dy − exp(y) · Σ dy)
template <class T>
void softmaxBwd(const nnkit::SoftmaxBackwardArgs& a, size_t lo, size_t hi) {
  typedef typename VecOf<T>::V V;
  constexpr size_t W = Tr<V>::W;
  const bool log = a.log;
  const size_t size = a.size, inner = a.inner;
  const T scale = T(a.scale);
  T* dxAll = static_cast<T*>(a.dx);
  const T* dyAll = static_cast<const T*>(a.dy);
  const T* yAll = static_cast<const T*>(a.y);
  size_t first = lo;
  if (inner == 1 && size > 0 && size <= W) {
    // Few classes: W rows at a time, row l in lane l (see softmaxFewClasses),
    // each element as the row loop below computes it: Σ dy (or Σ dy·y, the
    // products in T) summed in double in class order, then rounded to T.
    for (; first + W <= hi; first += W) {
      const T* dy = dyAll + first * size;
      const T* y = yAll + first * size;
      T* dx = dxAll + first * size;
      V d[W] = {}, yy[W] = {};
      double sum[W] = {};
      for (size_t c = 0; c < size; c++) {
        d[c] = columnOfRows<V>(dy, size, c);
        yy[c] = columnOfRows<V>(y, size, c);
        V term = log ? d[c] : d[c] * yy[c];
#if defined(NNKIT_HAS_FMA)
        // The product rounded to T, as the row loop's is: not fused into the double sum.
        __asm__("" : "+x"(term));
#endif
        for (size_t l = 0; l < W; l++) sum[l] += double(term[l]);
      }
      V acc;
      for (size_t l = 0; l < W; l++) acc[l] = T(sum[l]);
      for (size_t c = 0; c < size; c++) {
        const V r = log ? (d[c] - vexp(yy[c]) * acc) * scale : yy[c] * (d[c] - acc) * scale;
        storeColumnOfRows(dx, size, c, r);
      }
    }
  }
  for (size_t o = first; o < hi; o++) {
    for (size_t i = 0; i < inner; i += (inner == 1 ? 1 : W)) {
      const size_t base = o * size * inner + i;
      const T* dy = dyAll + base;
      const T* y = yAll + base;
      T* dx = dxAll + base;
      if (inner == 1) {
        V a0 = splat<V>(T(0)), a1 = a0;
        size_t s = 0;
        for (; s + 2 * W <= size; s += 2 * W) {
          if (log) {
            a0 += load<V>(dy + s);
            a1 += load<V>(dy + s + W);
          } else {
            a0 += load<V>(dy + s) * load<V>(y + s);
            a1 += load<V>(dy + s + W) * load<V>(y + s + W);
          }
        }
        for (; s + W <= size; s += W)
          a0 += log ? load<V>(dy + s) : load<V>(dy + s) * load<V>(y + s);
        if (s < size) {
          const V d = loadPartial<V>(dy + s, size - s);
          a1 += log ? d : d * loadPartial<V>(y + s, size - s);
        }
        const T acc = T(hsum(a0 + a1));
        s = 0;
        for (; s + W <= size; s += W) {
          const V d = load<V>(dy + s), yy = load<V>(y + s);
          store(dx + s, log ? (d - vexp(yy) * acc) * scale : yy * (d - acc) * scale);
        }
        if (s < size) {
          const size_t n = size - s;
          const V d = loadPartial<V>(dy + s, n), yy = loadPartial<V>(y + s, n);
          storePartial(dx + s, log ? (d - vexp(yy) * acc) * scale : yy * (d - acc) * scale, n);
        }
      } else {
        const size_t n = inner - i < W ? inner - i : W;
        V acc = splat<V>(T(0));
        for (size_t s = 0; s < size; s++) {
          const V d = loadLanes<V>(dy + s * inner, n, 0);
          acc += log ? d : d * loadLanes<V>(y + s * inner, n, 0);
        }
        for (size_t s = 0; s < size; s++) {
          const V d = loadLanes<V>(dy + s * inner, n, 0);
          const V yy = loadLanes<V>(y + s * inner, n, 0);
          storePartial(dx + s * inner, log ? (d - vexp(yy) * acc) * scale : yy * (d - acc) * scale,
                       n);
        }
      }
    }
  }
}

// ---- cross-entropy with class-index targets (inner = 1) ------------------------
// Follows src/kernels/js/loss-kernels.ts term for term; rows [lo, hi).

/** A row's maximum (NaN wins), two vector accumulators. */
template <class T>
NNKIT_INLINE T rowMax(const T* x, size_t C) {
  typedef typename VecOf<T>::V V;
  constexpr size_t W = Tr<V>::W;
  const T ninf = -__builtin_inf();
  V m0 = splat<V>(ninf), m1 = m0;
  size_t c = 0;
  for (; c + 2 * W <= C; c += 2 * W) {
    m0 = vmax(m0, load<V>(x + c));
    m1 = vmax(m1, load<V>(x + c + W));
  }
  for (; c + W <= C; c += W) m0 = vmax(m0, load<V>(x + c));
  if (c < C) m1 = vmax(m1, loadLanes<V>(x + c, C - c, ninf));
  return hmaxNaN(vmax(m0, m1));
}

/**
 * A row's maximum (NaN wins) and log Σ exp(x − max), the cross-entropy
 * kernels' prologue: two vector accumulators per pass, the sum in double.
 * With `next` (the following row, when rows are long), the exp pass, which
 * computes more than it reads, requests that row from memory as it goes:
 * the next maximum pass then reads it from the cache instead of waiting on
 * memory (a row of 50,000 float32 logits is 200 KB; the prefetches change
 * no result).
 */
template <class T>
NNKIT_INLINE T rowMaxLogSumExp(const T* x, size_t C, double* logSum, const T* next = nullptr) {
  typedef typename VecOf<T>::V V;
  constexpr size_t W = Tr<V>::W;
  const T ninf = -__builtin_inf();
  const T m = rowMax(x, C);
  V s0 = splat<V>(T(0)), s1 = s0;
  size_t c = 0;
  for (; c + 2 * W <= C; c += 2 * W) {
    if (next) {
      // 2·W elements are one or two 64-byte lines.
      __builtin_prefetch(next + c, 0, 2);
      if (2 * W * sizeof(T) > 64) __builtin_prefetch(next + c + 64 / sizeof(T), 0, 2);
    }
    s0 += vexp(load<V>(x + c) - m);
    s1 += vexp(load<V>(x + c + W) - m);
  }
  for (; c + W <= C; c += W) s0 += vexp(load<V>(x + c) - m);
  if (c < C) s1 += vexpLanes(loadLanes<V>(x + c, C - c, ninf) - m, C - c);
  *logSum = std::log(hsum(s0 + s1));
  return m;
}

/** W neighbouring positions' elements of class c (n ≤ W valid lanes, the rest `fill`). */
template <class V>
NNKIT_INLINE V loadPositions(const typename Tr<V>::T* p, size_t n, typename Tr<V>::T fill) {
  return n == size_t(Tr<V>::W) ? load<V>(p) : loadLanes<V>(p, n, fill);
}

/**
 * The strided prologue (class c of position l at x[c·inner + l], n ≤ W
 * positions): each position's maximum over the C classes (NaN wins) and
 * Σ exp(x − max), lane by lane.
 */
template <class V>
NNKIT_INLINE void stridedMaxSumExp(const typename Tr<V>::T* x, size_t C, size_t inner, size_t n,
                                   V* m, V* sum) {
  typedef typename Tr<V>::T T;
  const T ninf = -__builtin_inf();
  V mx = splat<V>(ninf);
  for (size_t c = 0; c < C; c++) mx = vmax(mx, loadPositions<V>(x + c * inner, n, ninf));
  V s = splat<V>(T(0));
  for (size_t c = 0; c < C; c++) s += vexp(loadPositions<V>(x + c * inner, n, ninf) - mx);
  *m = mx;
  *sum = s;
}

/**
 * Few classes (C ≤ W): W rows at once, row l in lane l, so that one vexp
 * serves W rows instead of one row and W − C padding lanes. The same
 * arithmetic as rowMaxLogSumExp on each row: the maximum with NaN winning
 * (hmaxNaN's order), each exp(x − max) in T, summed in double in class
 * order, as hsum adds the lanes. `x` holds W rows of C.
 */
template <class T>
NNKIT_INLINE void smallRowsMaxLogSumExp(const T* x, size_t C,
                                        typename VecOf<T>::V (&xc)[Tr<typename VecOf<T>::V>::W],
                                        typename VecOf<T>::V* mOut, double* logSum) {
  typedef typename VecOf<T>::V V;
  constexpr size_t W = Tr<V>::W;
  for (size_t c = 0; c < C; c++) xc[c] = columnOfRows<V>(x, C, c);
  V m = xc[0];
  for (size_t c = 1; c < C; c++) m = vmax(xc[c], m);
  double s[W];
  for (size_t l = 0; l < W; l++) s[l] = 0;
  for (size_t c = 0; c < C; c++) {
    const V e = vexp(xc[c] - m);
    for (size_t l = 0; l < W; l++) s[l] += double(e[l]);
  }
  for (size_t l = 0; l < W; l++) logSum[l] = std::log(s[l]);
  *mOut = m;
}

/**
 * Whether rows [lo, hi) of C elements each should have the next row
 * prefetched (rowMaxLogSumExp): long rows, and more of them than the caches
 * hold (below that the next row is usually cached and the prefetches only
 * cost: 27 × 40,000 float32 logits took 3–7 % longer).
 */
template <class T>
NNKIT_INLINE bool prefetchRows(size_t lo, size_t hi, size_t C) {
  return C >= 8192 && (hi - lo) * C * sizeof(T) >= kStreamMinBytes;
}

template <class T>
double crossEntropyRowsFwd(size_t lo, size_t hi, size_t C, const void* xv, const int32_t* target,
                           const void* wv, int32_t ignoreIndex, double eps, void* lossv,
                           double* lse) {
  typedef typename VecOf<T>::V V;
  constexpr size_t W = Tr<V>::W;
  const T* xAll = static_cast<const T*>(xv);
  const T* weight = static_cast<const T*>(wv);
  T* loss = static_cast<T*>(lossv);
  const bool smooth = eps > 0;
  double total = 0;
  V xc[W];
  V mBlock = splat<V>(T(0));
  double lsBlock[W];
  const bool prefetch = prefetchRows<T>(lo, hi, C);
  for (size_t n = lo; n < hi; n++) {
    const T* x = xAll + n * C;
    double logSum;
    T m;
    if (C <= W && (n - lo) % W == 0 && n + W <= hi)
      smallRowsMaxLogSumExp<T>(x, C, xc, &mBlock, lsBlock);
    if (C <= W && n - (n - lo) % W + W <= hi) {
      m = mBlock[(n - lo) % W];
      logSum = lsBlock[(n - lo) % W];
    } else {
      m = rowMaxLogSumExp(x, C, &logSum, prefetch && n + 1 < hi ? x + C : nullptr);
    }
    lse[2 * n] = logSum;
    lse[2 * n + 1] = double(m);
    const int32_t t = target[n];
    if (t == ignoreIndex) {
      loss[n] = T(0);
      continue;
    }
    // logp = (x − max) − log Σ rounded to T at each step, as PyTorch's log_softmax.
    const T ls = T(logSum);
    const double wt = weight ? double(weight[t]) : 1.0;
    total += wt;
    const double nll = -wt * double(T(x[t] - m) - ls);
    if (!smooth) {
      loss[n] = T(nll);
      continue;
    }
    double sm = 0;
    for (size_t k = 0; k < C; k++) {
      const T lp = T(x[k] - m) - ls;
      sm += weight ? double(T(lp * weight[k])) : double(lp);
    }
    // The sum in T: it overflows to ±inf where PyTorch's does.
    loss[n] = T((1 - eps) * nll + (eps / double(C)) * -double(T(sm)));
  }
  return total;
}

template <class T>
void crossEntropyRowsBwd(size_t lo, size_t hi, size_t C, const void* xv, const int32_t* target,
                         const void* wv, int32_t ignoreIndex, double eps, const double* lse,
                         const void* gradv, size_t gradStride, double divisor, void* dxv) {
  typedef typename VecOf<T>::V V;
  constexpr size_t W = Tr<V>::W;
  const T* xAll = static_cast<const T*>(xv);
  const T* weight = static_cast<const T*>(wv);
  const T* grad = static_cast<const T*>(gradv);
  T* dxAll = static_cast<T*>(dxv);
  const bool smooth = eps > 0;
  const double k = eps / double(C);
  size_t n = lo;
  // Few classes, no smoothing: W rows at once, row l in lane l (see
  // smallRowsMaxLogSumExp), each element as the row loop below computes it.
  if (C <= W && !smooth) {
    for (; n + W <= hi; n += W) {
      V m, ls, tot;
      double glTarget[W];
      for (size_t l = 0; l < W; l++) {
        const size_t r = n + l;
        ls[l] = T(lse[2 * r]);
        m[l] = T(lse[2 * r + 1]);
        glTarget[l] = 0;
        if (target[r] != ignoreIndex) {
          const double s = double(grad[r * gradStride]) / divisor;
          glTarget[l] = -(weight ? double(weight[target[r]]) : 1.0) * s;
        }
        tot[l] = T(glTarget[l]);
      }
      const T* x = xAll + n * C;
      T* dx = dxAll + n * C;
      for (size_t c = 0; c < C; c++) {
        const V xc = columnOfRows<V>(x, C, c);
        const V g = -(vexp((xc - m) - ls) * tot);
        storeColumnOfRows(dx, C, c, g);
      }
      for (size_t l = 0; l < W; l++) {
        const int32_t t = target[n + l];
        if (t != ignoreIndex) dx[l * C + t] = T(double(dx[l * C + t]) + glTarget[l]);
      }
    }
  }
  for (; n < hi; n++) {
    const T* x = xAll + n * C;
    T* dx = dxAll + n * C;
    const int32_t t = target[n];
    // softmax = exp((x − max) − log Σ), rounded to T as PyTorch's log_softmax.
    const T ls = T(lse[2 * n]);
    const T m = T(lse[2 * n + 1]);
    // dx = gl − softmax·Σgl, gl = −(1−ε)·w[t]·s at t, −(ε/C)·w[c]·s everywhere when smoothing.
    double s = 0, glTarget = 0, total = 0;
    if (t != ignoreIndex) {
      s = double(grad[n * gradStride]) / divisor;
      const double wt = weight ? double(weight[t]) : 1.0;
      glTarget = smooth ? -(1 - eps) * wt * s : -wt * s;
      total = glTarget;
      if (smooth)
        for (size_t c = 0; c < C; c++) total += -k * (weight ? double(weight[c]) : 1.0) * s;
    }
    const T tot = T(total);
    const T ks = T(-k * s);
    const bool useSmooth = smooth && t != ignoreIndex;
    size_t c = 0;
    for (; c + W <= C; c += W) {
      V g = -(vexp((load<V>(x + c) - m) - ls) * tot);
      if (useSmooth) g += (weight ? load<V>(weight + c) : splat<V>(T(1))) * ks;
      store(dx + c, g);
    }
    if (c < C) {
      const size_t r = C - c;
      V g = -(vexpLanes((loadPartial<V>(x + c, r) - m) - ls, r) * tot);
      if (useSmooth) g += (weight ? loadPartial<V>(weight + c, r) : splat<V>(T(1))) * ks;
      storePartial(dx + c, g, r);
    }
    if (t != ignoreIndex) dx[t] = T(double(dx[t]) + glTarget);
  }
}

// Class dimension not last (inner > 1, e.g. [N, C, H, W]): the C logits of a
// position sit `inner` apart, so vectors run along inner, W positions at a
// time, as in softmaxStrided. Same arithmetic per position as the row kernels.
template <class T>
double crossEntropyStridedFwd(size_t lo, size_t hi, size_t C, size_t inner, const T* xAll,
                              const int32_t* target, const T* weight, int32_t ignoreIndex,
                              double eps, T* loss, double* lse) {
  typedef typename VecOf<T>::V V;
  constexpr size_t W = Tr<V>::W;
  double total = 0;
  for (size_t o = lo; o < hi; o++) {
    for (size_t i = 0; i < inner; i += W) {
      const size_t n = inner - i < W ? inner - i : W;
      const T* x = xAll + o * C * inner + i;
      V m, sum;
      stridedMaxSumExp(x, C, inner, n, &m, &sum);
      for (size_t l = 0; l < n; l++) {
        const size_t p = o * inner + i + l;
        const double logSum = std::log(double(sum[l]));
        const T mx = m[l];
        lse[2 * p] = logSum;
        lse[2 * p + 1] = double(mx);
        const int32_t t = target[p];
        if (t == ignoreIndex) {
          loss[p] = T(0);
          continue;
        }
        const T ls = T(logSum);
        const double wt = weight ? double(weight[t]) : 1.0;
        total += wt;
        const double nll = -wt * double(T(x[size_t(t) * inner + l] - mx) - ls);
        if (!(eps > 0)) {
          loss[p] = T(nll);
          continue;
        }
        double sm = 0;
        for (size_t k = 0; k < C; k++) {
          const T lp = T(x[k * inner + l] - mx) - ls;
          sm += weight ? double(T(lp * weight[k])) : double(lp);
        }
        loss[p] = T((1 - eps) * nll + (eps / double(C)) * -double(T(sm)));
      }
    }
  }
  return total;
}

template <class T>
void crossEntropyStridedBwd(size_t lo, size_t hi, size_t C, size_t inner, const T* xAll,
                            const int32_t* target, const T* weight, int32_t ignoreIndex, double eps,
                            const double* lse, const T* grad, size_t gradStride, double divisor,
                            T* dxAll) {
  typedef typename VecOf<T>::V V;
  typedef typename Tr<V>::I I;
  constexpr size_t W = Tr<V>::W;
  const bool smooth = eps > 0;
  const double k = eps / double(C);
  double weightSum = double(C);
  if (weight) {
    weightSum = 0;
    for (size_t c = 0; c < C; c++) weightSum += double(weight[c]);
  }
  for (size_t o = lo; o < hi; o++) {
    for (size_t i = 0; i < inner; i += W) {
      const size_t n = inner - i < W ? inner - i : W;
      const T* x = xAll + o * C * inner + i;
      T* dx = dxAll + o * C * inner + i;
      // Per position: the max and log Σ (see crossEntropyRowsBwd), Σgl,
      // −(ε/C)·s, gl at the target.
      V mx = splat<V>(T(0)), ls = mx, tot = mx, ks = mx;
      I active = splati<V>(0);
      double glTarget[W];
      for (size_t q = 0; q < n; q++) {
        const size_t p = o * inner + i + q;
        ls[q] = T(lse[2 * p]);
        mx[q] = T(lse[2 * p + 1]);
        glTarget[q] = 0;
        if (target[p] == ignoreIndex) continue;
        const double s = double(grad[p * gradStride]) / divisor;
        const double wt = weight ? double(weight[target[p]]) : 1.0;
        glTarget[q] = smooth ? -(1 - eps) * wt * s : -wt * s;
        tot[q] = T(glTarget[q] + (smooth ? -k * s * weightSum : 0.0));
        ks[q] = T(-k * s);
        active[q] = -1;
      }
      for (size_t c = 0; c < C; c++) {
        V g = -(vexp((loadPositions<V>(x + c * inner, n, T(0)) - mx) - ls) * tot);
        // Ignored positions get no smoothing term (their gradient stays −0, as in the JS kernel).
        if (smooth) g = active ? g + (weight ? splat<V>(weight[c]) : splat<V>(T(1))) * ks : g;
        if (n == W)
          store(dx + c * inner, g);
        else
          storePartial(dx + c * inner, g, n);
      }
      for (size_t q = 0; q < n; q++) {
        const int32_t t = target[o * inner + i + q];
        if (t == ignoreIndex) continue;
        T& d = dx[size_t(t) * inner + q];
        d = T(double(d) + glTarget[q]);
      }
    }
  }
}

/** Cross-entropy with class-index targets over positions of outer rows [lo, hi). */
template <class T>
double crossEntropyFwd(const nnkit::CrossEntropyForwardArgs& a, size_t lo, size_t hi) {
  if (a.inner == 1)
    return crossEntropyRowsFwd<T>(lo, hi, a.C, a.x, a.target, a.weight, a.ignoreIndex,
                                  a.labelSmoothing, a.loss, a.lse);
  return crossEntropyStridedFwd<T>(lo, hi, a.C, a.inner, static_cast<const T*>(a.x), a.target,
                                   static_cast<const T*>(a.weight), a.ignoreIndex, a.labelSmoothing,
                                   static_cast<T*>(a.loss), a.lse);
}

template <class T>
void crossEntropyBwd(const nnkit::CrossEntropyBackwardArgs& a, size_t lo, size_t hi) {
  if (a.inner == 1)
    return crossEntropyRowsBwd<T>(lo, hi, a.C, a.x, a.target, a.weight, a.ignoreIndex,
                                  a.labelSmoothing, a.lse, a.grad, a.gradStride, a.divisor, a.dx);
  crossEntropyStridedBwd<T>(lo, hi, a.C, a.inner, static_cast<const T*>(a.x), a.target,
                            static_cast<const T*>(a.weight), a.ignoreIndex, a.labelSmoothing, a.lse,
                            static_cast<const T*>(a.grad), a.gradStride, a.divisor,
                            static_cast<T*>(a.dx));
}
