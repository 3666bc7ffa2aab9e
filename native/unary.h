// The loops around the generated unary elementwise ops (elementwise.generated.h)
// and the elementary functions on their own. Included inside an anonymous
// namespace after simd.h and elementwise.generated.h, by kernels.h (the
// baseline and AVX2 builds) and by kernels_avx512.cc, which builds the ops
// marked wideFwd/wideBwd a third time in 16-lane vectors.

template <class Op, class T>
void unaryFwd(size_t lo, size_t hi, void* outv, const void* xv, const double* pd) {
  typedef typename VecOf<T>::V V;
  constexpr size_t W = Tr<V>::W;
  T* out = static_cast<T*>(outv);
  const T* x = static_cast<const T*>(xv);
  V p[Op::nparams > 0 ? Op::nparams : 1];
  for (int k = 0; k < Op::nparams; k++) p[k] = splat<V>(T(pd[k]));
  size_t i = lo;
  // Two independent vectors per pass, written by `put`; all loads precede the
  // stores, so out may alias x.
  const auto pairs = [&](auto put) NNKIT_LAMBDA {
    for (; i + 2 * W <= hi; i += 2 * W) {
      const V a = load<V>(x + i);
      const V b = load<V>(x + i + W);
      put(out + i, Op::fwd(a, p));
      put(out + i + W, Op::fwd(b, p));
    }
  };
  if (kStreams && (hi - lo) * sizeof(T) >= kStreamMinBytes) {
    // Large: the output streams past the caches (see storeStream).
    const size_t head = toVectorAlignment<V>(out + i);
    if (head > 0) storePartial(out + i, Op::fwd(loadPartial<V>(x + i, head), p), head);
    i += head;
    pairs([](T* q, V v) NNKIT_LAMBDA { storeStream(q, v); });
    streamFence();
  }
  pairs([](T* q, V v) NNKIT_LAMBDA { store(q, v); });
  for (; i + W <= hi; i += W) store(out + i, Op::fwd(load<V>(x + i), p));
  if (i < hi) storePartial(out + i, Op::fwd(loadPartial<V>(x + i, hi - i), p), hi - i);
}

template <class Op, class T>
void unaryBwd(size_t lo, size_t hi, void* dxv, const void* dyv, const void* xv, const void* yv,
              const double* pd) {
  typedef typename VecOf<T>::V V;
  constexpr size_t W = Tr<V>::W;
  T* dx = static_cast<T*>(dxv);
  const T* dy = static_cast<const T*>(dyv);
  const T* x = static_cast<const T*>(xv);
  const T* y = static_cast<const T*>(yv);
  V p[Op::nparams > 0 ? Op::nparams : 1];
  for (int k = 0; k < Op::nparams; k++) p[k] = splat<V>(T(pd[k]));
  const V zero = splat<V>(T(0));
  size_t i = lo;
  // Two vectors per pass, written by `put`.
  const auto pairs = [&](auto put) NNKIT_LAMBDA {
    for (; i + 2 * W <= hi; i += 2 * W) {
      const V dya = load<V>(dy + i), dyb = load<V>(dy + i + W);
      V xa = zero, xb = zero, ya = zero, yb = zero;
      if constexpr (Op::needsX) xa = load<V>(x + i), xb = load<V>(x + i + W);
      if constexpr (Op::needsY) ya = load<V>(y + i), yb = load<V>(y + i + W);
      put(dx + i, Op::bwd(xa, ya, dya, p));
      put(dx + i + W, Op::bwd(xb, yb, dyb, p));
    }
  };
  if (kStreams && (hi - lo) * sizeof(T) >= kStreamMinBytes) {
    // Large: dx streams past the caches (see storeStream).
    const size_t head = toVectorAlignment<V>(dx + i);
    if (head > 0) {
      V xa = zero, ya = zero;
      if constexpr (Op::needsX) xa = loadPartial<V>(x + i, head);
      if constexpr (Op::needsY) ya = loadPartial<V>(y + i, head);
      storePartial(dx + i, Op::bwd(xa, ya, loadPartial<V>(dy + i, head), p), head);
    }
    i += head;
    pairs([](T* q, V v) NNKIT_LAMBDA { storeStream(q, v); });
    streamFence();
  }
  pairs([](T* q, V v) NNKIT_LAMBDA { store(q, v); });
  for (; i + W <= hi; i += W) {
    V xa = zero, ya = zero;
    if constexpr (Op::needsX) xa = load<V>(x + i);
    if constexpr (Op::needsY) ya = load<V>(y + i);
    store(dx + i, Op::bwd(xa, ya, load<V>(dy + i), p));
  }
  if (i < hi) {
    const size_t n = hi - i;
    V xa = zero, ya = zero;
    if constexpr (Op::needsX) xa = loadPartial<V>(x + i, n);
    if constexpr (Op::needsY) ya = loadPartial<V>(y + i, n);
    storePartial(dx + i, Op::bwd(xa, ya, loadPartial<V>(dy + i, n), p), n);
  }
}

// The elementary functions on their own, for the accuracy sweeps in the tests.
template <class T>
void mathFn(int which, size_t n, void* outv, const void* xv) {
  typedef typename VecOf<T>::V V;
  constexpr size_t W = Tr<V>::W;
  T* out = static_cast<T*>(outv);
  const T* x = static_cast<const T*>(xv);
  for (size_t i = 0; i < n; i += W) {
    const size_t k = n - i < W ? n - i : W;
    const V a = loadPartial<V>(x + i, k);
    V r;
    switch (which) {
      case 0: r = vexp(a); break;
      case 1: r = vexpm1(a); break;
      case 2: r = vlog(a); break;
      case 3: r = vlog1p(a); break;
      case 4: r = vtanh(a); break;
      case 5: r = verf(a); break;
      case 6: r = vsqrt(a); break;
      case 7: r = vfloor(a); break;
      default: r = a;
    }
    storePartial(out + i, r, k);
  }
}
