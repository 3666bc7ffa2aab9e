// nnkit native kernels: dense matrix product C[m×n] = op(A)·op(B) (+ bias)
// (row-major, contiguous; C is overwritten). Included by kernels.h, so it is
// compiled once per ISA build.
//
// Blocking: for each block of NC columns and KC (≤ 256) of the k dimension, a
// panel of B is packed into strips NR = 2 vectors wide (zero-padded at the
// right edge) in the caller's `work` buffer; then every MR-row tile of the
// requested rows is multiplied against every strip with an MR×NR register
// tile, accumulated over the k block in T (float32 stays float32, as in
// PyTorch's BLAS), and the block result is stored (first k block) or added
// into C. The thread pool splits C by rows [m0, m1) or by columns [n0, n1).
//
// Two shortcuts keep the small and skinny products of training cheap:
// - few rows (at most two register tiles) and B not transposed: B is read
//   in place, only a partial last strip is packed (packing would cost as
//   much as the product itself);
// - A stored transposed (the weight gradient gᵀ·x) and several strips of
//   columns: blocks of MC rows of A are packed into MR-row panels first, so
//   the tile reads them contiguously instead of one cache line (or page) per
//   k step.
//
// The epilogue: the first k block's store adds bias[j] to column j, so that
// nn.Linear's y = x·Wᵀ + b is one pass over y. Every product a_ip·b_pj is
// computed (none skipped for a zero operand): 0·∞ and NaN propagate as in
// PyTorch; the zero padding of partial strips is never stored.

// Rows per register tile (NNKIT_GEMM_MR, set by the ISA build): 6×16 floats
// use 12 of the 16 AVX2 registers; the baseline build splits every vector in
// two SSE halves, so it uses 4 rows; AVX-512 (64-byte vectors, 32 registers)
// takes 12×32 floats in 24 registers.
#ifndef NNKIT_GEMM_MR
#define NNKIT_GEMM_MR 4
#endif
constexpr int kGemmMR = NNKIT_GEMM_MR;
#ifndef NNKIT_GEMM_KC
#define NNKIT_GEMM_KC 256
#endif
constexpr size_t kGemmKC = NNKIT_GEMM_KC;

template <class T>
struct GemmBlock {
  typedef typename VecOf<T>::V V;
  static constexpr size_t W = Tr<V>::W;
  static constexpr size_t NR = 2 * W;
  // KC·NC·sizeof(T) = nnkit::kGemmPanelBytes (256 KB): the packed panel of B.
  static constexpr size_t NC = nnkit::kGemmPanelBytes / (kGemmKC * sizeof(T));
  static_assert(NC % NR == 0, "NC must be a multiple of NR");
  // MC·KC·sizeof(T) ≤ the rest of the work buffer: the packed block of A.
  static constexpr size_t MC =
      (nnkit::kGemmWorkBytes - nnkit::kGemmPanelBytes) / (kGemmKC * sizeof(T)) / kGemmMR * kGemmMR;
  static_assert(MC >= size_t(kGemmMR), "the work buffer must hold a panel of A");
};

/**
 * A vector of `*p` in every lane. (GCC turns the lane loop of splat() into
 * eight inserts inside the tile loop; the shuffle is one broadcast load.)
 */
template <class V>
NNKIT_INLINE V gemmBroadcast(const typename Tr<V>::T* p) {
#if defined(__clang__)
  return splat<V>(*p);
#else
  V v = {*p};
  return __builtin_shuffle(v, typename Tr<V>::I{});
#endif
}

/** Stores (first) or adds the first `cols` < NR lanes of v0:v1 to c (masked: nothing past them is
 * touched). */
template <class V>
NNKIT_INLINE void gemmStoreFew(typename Tr<V>::T* c, V v0, V v1, size_t cols, bool first) {
  constexpr size_t W = Tr<V>::W;
  if (cols >= W) {
    store(c, first ? v0 : load<V>(c) + v0);
    c += W;
    cols -= W;
    v0 = v1;
  }
  if (cols > 0) storePartial(c, first ? v0 : loadPartial<V>(c, cols) + v0, cols);
}

/**
 * One R×NR tile: C[r, 0:cols] (=|+=) Σ_p A[r, p] · B[p, 0:NR] (+ bias[0:cols]
 * when first) over p < kc. A[r, p] is a[r·lda + p], or a[p·lda + r] when kTA
 * (A stored transposed, or packed with lda = MR); B[p, :] is at b + p·ldb
 * (a packed strip, ldb = NR, or B itself, ldb = n).
 */
template <class T, int R, bool kTA>
NNKIT_INLINE void gemmTile(size_t kc, const T* a, size_t lda, const T* b, size_t ldb, T* c,
                           size_t ldc, size_t cols, bool first, const T* bias) {
  typedef typename VecOf<T>::V V;
  constexpr size_t W = GemmBlock<T>::W, NR = GemmBlock<T>::NR;
  // Tiles of one to three rows would wait on the adds' latency with 2·R
  // accumulators: U interleaved sets (k steps p, p + 1, …) keep 8 or more in flight.
  constexpr int U = R == 1 ? 4 : R <= 3 ? 2 : 1;
  V acc0[U][R], acc1[U][R];
  for (int u = 0; u < U; u++)
    for (int r = 0; r < R; r++) acc0[u][r] = acc1[u][r] = V{};
  size_t p = 0;
  for (; p + U <= kc; p += U) {
    for (int u = 0; u < U; u++) {
      const T* bq = b + (p + u) * ldb;
      const V b0 = load<V>(bq);
      const V b1 = load<V>(bq + W);
      for (int r = 0; r < R; r++) {
        const V av = gemmBroadcast<V>(kTA ? a + (p + u) * lda + r : a + r * lda + p + u);
        acc0[u][r] += av * b0;
        acc1[u][r] += av * b1;
      }
    }
  }
  for (; p < kc; p++) {
    const V b0 = load<V>(b + p * ldb);
    const V b1 = load<V>(b + p * ldb + W);
    for (int r = 0; r < R; r++) {
      const V av = gemmBroadcast<V>(kTA ? a + p * lda + r : a + r * lda + p);
      acc0[0][r] += av * b0;
      acc1[0][r] += av * b1;
    }
  }
  for (int u = 1; u < U; u++)
    for (int r = 0; r < R; r++) {
      acc0[0][r] += acc0[u][r];
      acc1[0][r] += acc1[u][r];
    }
  V* sum0 = acc0[0];
  V* sum1 = acc1[0];
  if (first && bias) {
    const V bias0 = cols >= W ? load<V>(bias) : loadPartial<V>(bias, cols);
    const V bias1 = cols == NR ? load<V>(bias + W)
                    : cols > W ? loadPartial<V>(bias + W, cols - W)
                               : V{};
    for (int r = 0; r < R; r++) {
      sum0[r] += bias0;
      sum1[r] += bias1;
    }
  }
  if (cols == NR) {
    for (int r = 0; r < R; r++) {
      T* cr = c + r * ldc;
      if (first) {
        store(cr, sum0[r]);
        store(cr + W, sum1[r]);
      } else {
        store(cr, load<V>(cr) + sum0[r]);
        store(cr + W, load<V>(cr + W) + sum1[r]);
      }
    }
    return;
  }
  for (int r = 0; r < R; r++) gemmStoreFew<V>(c + r * ldc, sum0[r], sum1[r], cols, first);
}

/** Where the strips of one k block of B are: full strips, then the partial last one. */
template <class T>
struct GemmStrips {
  const T* full;   // strip at column j (a multiple of NR) starts at full + j·step
  size_t step;     // kc when packed, 1 when read in place
  size_t ld;       // NR when packed, n when read in place
  size_t fullEnd;  // columns [0, fullEnd) are full strips
  const T* edge;   // the packed partial strip (ld NR), if nc > fullEnd
};

template <class T, int R, bool kTA>
void gemmRows(size_t kc, const T* a, size_t lda, const GemmStrips<T>& s, T* c, size_t ldc,
              size_t nc, bool first, const T* bias) {
  constexpr size_t NR = GemmBlock<T>::NR;
  size_t j = 0;
  for (; j < s.fullEnd; j += NR)
    gemmTile<T, R, kTA>(kc, a, lda, s.full + j * s.step, s.ld, c + j, ldc, NR, first,
                        bias ? bias + j : nullptr);
  if (j < nc)
    gemmTile<T, R, kTA>(kc, a, lda, s.edge, NR, c + j, ldc, nc - j, first,
                        bias ? bias + j : nullptr);
}

template <class T, int R, bool kTA>
NNKIT_INLINE void gemmEdge(int rows, size_t kc, const T* a, size_t lda, const GemmStrips<T>& s,
                           T* c, size_t ldc, size_t nc, bool first, const T* bias) {
  if constexpr (R > 0) {
    if (rows == R) return gemmRows<T, R, kTA>(kc, a, lda, s, c, ldc, nc, first, bias);
    gemmEdge<T, R - 1, kTA>(rows, kc, a, lda, s, c, ldc, nc, first, bias);
  }
}

/** Rows [i, i1) in MR-row tiles (and one shorter tile); A as gemmTile reads it. */
template <class T, bool kTA>
NNKIT_INLINE void gemmRowTiles(size_t rows, size_t kc, const T* a, size_t lda, size_t tileStep,
                               const GemmStrips<T>& s, T* c, size_t ldc, size_t nc, bool first,
                               const T* bias) {
  constexpr int MR = kGemmMR;
  size_t t = 0;
  for (; t + MR <= rows; t += MR)
    gemmRows<T, MR, kTA>(kc, a + t * tileStep, lda, s, c + t * ldc, ldc, nc, first, bias);
  if (t < rows)
    gemmEdge<T, MR - 1, kTA>(int(rows - t), kc, a + t * tileStep, lda, s, c + t * ldc, ldc, nc,
                             first, bias);
}

#if defined(NNKIT_HAS_FMA)
typedef float gemmV8 __attribute__((vector_size(32)));
typedef int32_t gemmI8 __attribute__((vector_size(32)));
#if defined(__clang__)
#define NNKIT_SHUFFLE8(a, b, ...) __builtin_shufflevector(a, b, __VA_ARGS__)
#else
#define NNKIT_SHUFFLE8(a, b, ...) __builtin_shuffle(a, b, gemmI8{__VA_ARGS__})
#endif

/** out[c][r] = in[r][c] for r, c < 8 (unpack, shuffle within 128-bit lanes, then exchange lanes).
 */
NNKIT_INLINE void gemmTranspose8(const gemmV8 r[8], gemmV8 out[8]) {
  gemmV8 t[8], u[8];
  for (int i = 0; i < 8; i += 2) {
    t[i] = NNKIT_SHUFFLE8(r[i], r[i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
    t[i + 1] = NNKIT_SHUFFLE8(r[i], r[i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
  }
  for (int i = 0; i < 8; i += 4)
    for (int h = 0; h < 2; h++) {
      u[i + 2 * h] = NNKIT_SHUFFLE8(t[i + h], t[i + h + 2], 0, 1, 8, 9, 4, 5, 12, 13);
      u[i + 2 * h + 1] = NNKIT_SHUFFLE8(t[i + h], t[i + h + 2], 2, 3, 10, 11, 6, 7, 14, 15);
    }
  for (int c = 0; c < 4; c++) {
    out[c] = NNKIT_SHUFFLE8(u[c], u[c + 4], 0, 1, 2, 3, 8, 9, 10, 11);
    out[c + 4] = NNKIT_SHUFFLE8(u[c], u[c + 4], 4, 5, 6, 7, 12, 13, 14, 15);
  }
}

/** dst[c·ldd + r] = src[r·lds + c] for r, c < 8. */
NNKIT_INLINE void gemmTranspose8(const float* src, size_t lds, float* dst, size_t ldd) {
  gemmV8 r[8], out[8];
  for (int i = 0; i < 8; i++) memcpy(&r[i], src + i * lds, sizeof(gemmV8));
  gemmTranspose8(r, out);
  for (int c = 0; c < 8; c++) memcpy(dst + c * ldd, &out[c], sizeof(gemmV8));
}
#undef NNKIT_SHUFFLE8
#endif

/**
 * Packs columns [j, j + cols) of op(B)'s rows [pc, pc + kc) as one strip of
 * kc × NR (element (p, q) at dst[p·NR + q]), columns past `cols` zero.
 */
template <class T>
void gemmPackStrip(const T* B, size_t k, size_t n, bool transB, size_t pc, size_t kc, size_t j,
                   size_t cols, T* dst) {
  constexpr size_t NR = GemmBlock<T>::NR;
  if (!transB) {
    const T* src = B + pc * n + j;
    for (size_t p = 0; p < kc; p++) {
      size_t q = 0;
      for (; q < cols; q++) dst[p * NR + q] = src[p * n + q];
      for (; q < NR; q++) dst[p * NR + q] = T(0);
    }
    return;
  }
  // B stored as [n×k]: column j + q of op(B) is row j + q of the storage.
  size_t p0 = 0;
#if defined(NNKIT_HAS_FMA)
  if constexpr (sizeof(T) == 4) {
    // Full strips in 8×8 blocks transposed in registers: the scalar loop
    // below writes one float per 64-byte line touched and was a sixth of
    // nn.Linear's forward time at 784→512. Eight rows of the storage at a
    // time, each read to the end of the k block: eight sequential streams.
    // (All NR rows per 8 columns of k were NR streams at once; rows 2 KB
    // apart, k = 512, all fell in the same L1 sets and evicted each other:
    // 128×512·512×512 went 391–429 → 356–372 µs, 784 → 512 cold 647–753 →
    // 635–704 µs, d-full's 256×64·64×50,000 11.1–11.4 → 10.6–11.0 ms.)
    if (cols == NR) {
      const size_t kc8 = kc / 8 * 8;
      for (size_t q = 0; q < NR; q += 8)
        for (size_t p = 0; p < kc8; p += 8)
          gemmTranspose8(B + (j + q) * k + pc + p, k, dst + p * NR + q, NR);
      p0 = kc8;
    }
  }
#endif
  for (size_t q = 0; q < NR; q++) {
    if (q < cols) {
      const T* src = B + (j + q) * k + pc;
      for (size_t p = p0; p < kc; p++) dst[p * NR + q] = src[p];
    } else {
      for (size_t p = p0; p < kc; p++) dst[p * NR + q] = T(0);
    }
  }
}

/**
 * Packs op(B)'s rows [pc, pc + kc) × columns [jc, jc + nc) as strips (the
 * strip of column j at dst + j·kc). Untransposed B is copied row by row, so
 * that memory is read in order however far apart its rows are.
 */
template <class T>
void gemmPackPanel(const T* B, size_t k, size_t n, bool transB, size_t pc, size_t kc, size_t jc,
                   size_t nc, T* dst) {
  typedef typename VecOf<T>::V V;
  constexpr size_t W = GemmBlock<T>::W, NR = GemmBlock<T>::NR;
  const size_t fullEnd = nc / NR * NR;
  if (transB) {
    for (size_t j = 0; j < nc; j += NR)
      gemmPackStrip(B, k, n, true, pc, kc, jc + j, nc - j < NR ? nc - j : NR, dst + j * kc);
    return;
  }
  for (size_t p = 0; p < kc; p++) {
    const T* src = B + (pc + p) * n + jc;
    for (size_t j = 0; j < fullEnd; j += NR) {
      T* d = dst + j * kc + p * NR;
      store(d, load<V>(src + j));
      store(d + W, load<V>(src + j + W));
    }
  }
  if (fullEnd < nc)
    gemmPackStrip(B, k, n, false, pc, kc, jc + fullEnd, nc - fullEnd, dst + fullEnd * kc);
}

/**
 * Packs rows [i0, i0 + mc) × k-columns [pc, pc + kc) of op(A), A stored
 * transposed ([k×m]), as panels of MR rows: the panel of row tile t at
 * dst + t·kc, element (r, p) at [p·MR + r]. Each k step's mc values are
 * contiguous in the storage and read in order.
 *
 * Those kc runs of mc values lie m elements apart: for the weight gradient
 * of bench:train d's 50,000-class head (gᵀ·x, g of 256 × 50,000) 256 runs of
 * 768 bytes (MC was 192 rows then, 120 now), 200 KB apart, too many
 * streams for the hardware prefetcher, so every run waited on memory. Each
 * run is requested kPrefetchRows runs ahead (non-temporal: it is read
 * once): that product went from 78–90 to 113–115 GFLOP/s (bench/gemm.ts,
 * AVX-512, alternated three times; 16 runs ahead did no better).
 */
template <class T>
void gemmPackAT(const T* A, size_t m, size_t i0, size_t mc, size_t pc, size_t kc, T* dst) {
  constexpr size_t MR = kGemmMR;
  constexpr size_t kPrefetchRows = 8;
  const size_t full = mc / MR * MR;
  const size_t bytes = mc * sizeof(T);
  for (size_t p = 0; p < kc; p++) {
    const T* src = A + (pc + p) * m + i0;
    if (p + kPrefetchRows < kc) {
      const char* ahead = reinterpret_cast<const char*>(src + kPrefetchRows * m);
      for (size_t b = 0; b < bytes; b += 64) __builtin_prefetch(ahead + b, 0, 0);
    }
    size_t t = 0;
#if defined(NNKIT_HAS_FMA) && NNKIT_VECTOR_BYTES == 64
    if constexpr (sizeof(T) == 4) {
      // One masked load and store of MR lanes per tile instead of MR scalar
      // moves. Harness with both versions in one binary, 1 thread, cold
      // operands: 50,000×256·256×64 (d-full's weight gradient) 14.4–14.6 →
      // 12.6–13.0 ms, 512×128·128×784 621–625 → 575–582 µs; in bench:train
      // b's steps (in-process A/B, both orders) nn.Linear's backward −5 to
      // −6 %; d-adaptive's 1,002-row head unchanged (warm and alone it is
      // 7–17 % slower, cold 5–7 % faster). Not in the AVX2 build: for its
      // 6-row tiles a vector version gained at most 3 % and lost 12 % on
      // the 1,002-row head.
      typedef typename VecOf<T>::V V;
      for (; t < full; t += MR)
        storePartial(dst + t * kc + p * MR, loadPartial<V>(src + t, MR), MR);
    }
#endif
    for (; t < full; t += MR)
      for (size_t r = 0; r < MR; r++) dst[t * kc + p * MR + r] = src[t + r];
    for (size_t r = 0; t + r < mc; r++) dst[t * kc + p * MR + r] = src[t + r];
  }
}

/**
 * Adds a packed block of op(A) (gemmPackAT's layout: rows [0, mc) over the
 * k block [pc, pc + kc)) into the row sums `sums[0, mc)`, or sets them when
 * `first` (pc = 0). The arithmetic is reduceStrided's column sums of A's
 * storage, term for term: in double, four k steps at a time (sumOfFour)
 * from k = 0 (kc is a multiple of 4 but for the
 * last block), then the last k mod 4 one by one, so the sums are the same
 * bits whichever path computes them. nn.Linear's bias gradient is these
 * sums of g: read here from the packed block in the cache, they save a
 * pass over g in memory (bench:train d-full: 51 MB a step). float32 only
 * (gemmPanels): float64 products leave the sums to that pass. This and
 * gemmPanels stay out of line: inlined, with the float64 sums, they changed
 * GCC's inlining of the tile loops and grew the stripped addon by 37 kB
 * (16.4 kB like this).
 */
template <class T>
__attribute__((noinline)) void gemmSumPackedA(const T* __restrict ap, size_t mc, size_t kc,
                                              double* __restrict sums, bool first) {
  constexpr size_t MR = kGemmMR;
  static_assert(kGemmKC % 4 == 0, "k blocks must keep the sums' groups of four");
  for (size_t t = 0; t < mc; t += MR) {
    // The lanes past `rows` of a partial tile were never written.
    const size_t rows = mc - t < MR ? mc - t : MR;
    const T* panel = ap + t * kc;
    double* acc = sums + t;
    if (first)
      for (size_t r = 0; r < rows; r++) acc[r] = 0;
    size_t p = 0;
    for (; p + 4 <= kc; p += 4) {
      const T* q = panel + p * MR;
      for (size_t r = 0; r < rows; r++)
        acc[r] += sumOfFour(q[r], q[MR + r], q[2 * MR + r], q[3 * MR + r]);
    }
    for (; p < kc; p++)
      for (size_t r = 0; r < rows; r++) acc[r] += double(panel[p * MR + r]);
  }
}

/**
 * Rows [m0, m1) × columns [n0, n1) of op(A)·op(B) (+ bias) into C, which
 * points at element (m0, n0) with rows ldc apart. kTA: A stored transposed, [k×m].
 * With `aSums` (indexed by row, [m0, m1) written), A transposed and packed,
 * float32: also the sums over k of op(A)'s rows (gemmSumPackedA); returns
 * whether it wrote them.
 */
template <class T, bool kTA>
__attribute__((noinline)) bool gemmPanels(size_t m0, size_t m1, size_t n0, size_t n1, size_t m,
                                          size_t k, size_t n, const T* A, const T* B, T* C,
                                          size_t ldc, T* work, bool transB, const T* bias,
                                          double* aSums = nullptr) {
  constexpr size_t NR = GemmBlock<T>::NR, NC = GemmBlock<T>::NC, MC = GemmBlock<T>::MC;
  constexpr size_t MR = kGemmMR;
  T* bp = work;
  T* ap = work + kGemmKC * NC;
  const size_t rows = m1 - m0;
  // B in place for at most two row tiles (packing would cost as much as the
  // product) whose rows are at most a page apart (else every k step of a
  // strip is a TLB miss and a cache line the prefetcher did not see coming).
  const bool packB = transB || rows > 2 * MR || n * sizeof(T) > 4096;
  // A transposed: pack it when its panels serve several strips.
  const bool packA = kTA && n1 - n0 > NR;
  for (size_t jc = n0; jc < n1; jc += NC) {
    const size_t nc = n1 - jc < NC ? n1 - jc : NC;
    const size_t fullEnd = nc / NR * NR;
    const T* biasJ = bias ? bias + jc : nullptr;
    T* Cj = C + (jc - n0);
    for (size_t pc = 0; pc < k; pc += kGemmKC) {
      const size_t kc = k - pc < kGemmKC ? k - pc : kGemmKC;
      GemmStrips<T> s;
      s.fullEnd = fullEnd;
      if (packB) {
        gemmPackPanel(B, k, n, transB, pc, kc, jc, nc, bp);
        s.full = bp;
        s.step = kc;
        s.ld = NR;
        s.edge = bp + fullEnd * kc;
      } else {
        if (fullEnd < nc) gemmPackStrip(B, k, n, false, pc, kc, jc + fullEnd, nc - fullEnd, bp);
        s.full = B + pc * n + jc;
        s.step = 1;
        s.ld = n;
        s.edge = bp;
      }
      const bool first = pc == 0;
      if (packA) {
        for (size_t ic = m0; ic < m1; ic += MC) {
          const size_t mc = m1 - ic < MC ? m1 - ic : MC;
          gemmPackAT(A, m, ic, mc, pc, kc, ap);
          if constexpr (sizeof(T) == 4)
            if (aSums && jc == n0) gemmSumPackedA(ap, mc, kc, aSums + ic, first);
          gemmRowTiles<T, true>(mc, kc, ap, MR, kc, s, Cj + (ic - m0) * ldc, ldc, nc, first, biasJ);
        }
      } else if (kTA) {
        gemmRowTiles<T, true>(rows, kc, A + pc * m + m0, m, 1, s, Cj, ldc, nc, first, biasJ);
      } else {
        gemmRowTiles<T, false>(rows, kc, A + m0 * k + pc, k, k, s, Cj, ldc, nc, first, biasJ);
      }
    }
  }
  return sizeof(T) == 4 && aSums && packA;
}

/**
 * C = op(A)·op(B) for A stored transposed and a few columns (n ≤ 4): as
 * Cᵀ = op(B)ᵀ·A, whose rows are long, so that the n columns fill the tile's
 * lanes instead of n of its 2·W, and A (now the right operand, untransposed)
 * is read in place. Cᵀ is computed in chunks of rows of C into a buffer on
 * the stack and stored transposed, with the bias.
 */
template <class T>
void gemmSwapped(size_t m0, size_t m1, size_t n0, size_t n1, size_t m, size_t k, size_t n,
                 const T* A, const T* B, T* C, T* work, bool transB, const T* bias) {
  constexpr size_t NR = GemmBlock<T>::NR;
  constexpr size_t kBuf = 4096;
  T buf[kBuf];
  const size_t cols = n1 - n0;
  const size_t chunk = kBuf / cols / NR * NR;
  for (size_t i0 = m0; i0 < m1; i0 += chunk) {
    const size_t w = m1 - i0 < chunk ? m1 - i0 : chunk;
    // Cᵀ[n×m]: rows n0…n1 (columns of C), columns i0…i0+w; A' = op(B)ᵀ is B's
    // storage read the other way round, B' = op(A)ᵀ is A's storage [k×m].
    if (transB)
      gemmPanels<T, false>(n0, n1, i0, i0 + w, n, k, m, B, A, buf, w, work, false, nullptr);
    else
      gemmPanels<T, true>(n0, n1, i0, i0 + w, n, k, m, B, A, buf, w, work, false, nullptr);
    for (size_t i = 0; i < w; i++)
      for (size_t j = 0; j < cols; j++)
        C[(i0 + i) * n + n0 + j] = buf[j * w + i] + (bias ? bias[n0 + j] : T(0));
  }
}

#if defined(NNKIT_HAS_FMA)
/** The k block in which op(B)ᵀ is packed for gemmNarrow: 4 rows of it fill 128 KB. */
constexpr size_t kGemmNarrowKB = 8192;

/** The sum of a vector's halves down to 8 lanes (a 16-lane AVX-512 vector: lanes l and l + 8). */
NNKIT_INLINE gemmV8 gemmEightLanes(vf32 v) {
  // Lane subscripts, not a memcpy of v's halves: taking an address would
  // keep the accumulators passed here in memory throughout the k loop.
  constexpr size_t W = sizeof(vf32) / sizeof(float);
  gemmV8 r;
  for (size_t l = 0; l < 8; l++) {
    float s = v[l];
    for (size_t h = 8; h < W; h += 8) s += v[l + h];
    r[l] = s;
  }
  return r;
}

/**
 * Rows [i0, i1) of a product with NC ≤ 4 columns, op(A) = A: C[i, j] (=|+=)
 * Σ_p A[i, p]·Bt[j, p] (+ bias[j] when first), over p < k, with Bt rows ldb
 * apart. Each C element is a dot product vectorised along k: lane l sums
 * the products p ≡ l (mod W) of the whole vectors in order, the lanes are
 * folded to 8 (l and l + 8), summed 0…7 in order, and the products of the
 * last k mod W columns are added one by one. The register tiles of gemmTile
 * would fill NC of their 2·W lanes here (3 of 16 for a 3-class head).
 * R·NC ≤ 8 dot products at a time: one 8×8 transpose sums all their lanes.
 */
template <int NC>
void gemmNarrowRows(size_t i0, size_t i1, size_t k, const float* A, size_t lda, const float* Bt,
                    size_t ldb, float* C, size_t ldc, bool first, const float* bias) {
  typedef vf32 V;
  constexpr size_t W = Tr<V>::W;
  constexpr int R = 8 / NC > 4 ? 4 : 8 / NC;
  const size_t kv = k / W * W;
  for (size_t i = i0; i < i1; i += R) {
    const int rows = i1 - i < size_t(R) ? int(i1 - i) : R;
    const float* a[R];
    for (int r = 0; r < R; r++) a[r] = A + (i + (r < rows ? r : 0)) * lda;
    V acc[R][NC] = {};
    for (size_t p = 0; p < kv; p += W) {
      V b[NC];
      for (int j = 0; j < NC; j++) b[j] = load<V>(Bt + j * ldb + p);
      for (int r = 0; r < R; r++) {
        const V av = load<V>(a[r] + p);
        for (int j = 0; j < NC; j++) acc[r][j] += av * b[j];
      }
    }
    // Constant indices only: an accumulator indexed by a run-time value would
    // make GCC keep acc in memory, a store and a reload per FMA in the loop above.
    gemmV8 e[8] = {}, t[8];
    for (int r = 0; r < R; r++)
      for (int j = 0; j < NC; j++) e[r * NC + j] = gemmEightLanes(acc[r][j]);
    gemmTranspose8(e, t);
    gemmV8 s = t[0];
    for (int l = 1; l < 8; l++) s += t[l];
    for (int r = 0; r < rows; r++)
      for (int j = 0; j < NC; j++) {
        float d = s[r * NC + j];
        for (size_t p = kv; p < k; p++) d += a[r][p] * Bt[j * ldb + p];
        float* c = C + (i + r) * ldc + j;
        *c = first ? (bias ? d + bias[j] : d) : *c + d;
      }
  }
}

/**
 * Rows [m0, m1) of C[m×n] = A·op(B) (+ bias) for n ≤ 4 (see gemmNarrowRows).
 * op(B)ᵀ is B's storage when transB (nn.Linear's forward); otherwise it is
 * packed into `work`, kGemmNarrowKB of k at a time, each block's dot
 * products added to C in order of the blocks.
 */
void gemmNarrow(size_t m0, size_t m1, size_t k, size_t n, const float* A, const float* B, float* C,
                float* work, bool transB, const float* bias) {
  void (*rows)(size_t, size_t, size_t, const float*, size_t, const float*, size_t, float*, size_t,
               bool, const float*) = n == 1   ? gemmNarrowRows<1>
                                     : n == 2 ? gemmNarrowRows<2>
                                     : n == 3 ? gemmNarrowRows<3>
                                              : gemmNarrowRows<4>;
  if (transB) {
    rows(0, m1 - m0, k, A + m0 * k, k, B, k, C + m0 * n, n, true, bias);
    return;
  }
  for (size_t pb = 0; pb < k; pb += kGemmNarrowKB) {
    const size_t kb = k - pb < kGemmNarrowKB ? k - pb : kGemmNarrowKB;
    for (size_t q = 0; q < kb; q++)
      for (size_t j = 0; j < n; j++) work[j * kb + q] = B[(pb + q) * n + j];
    rows(0, m1 - m0, kb, A + m0 * k + pb, k, work, kb, C + m0 * n, n, pb == 0, bias);
  }
}
#endif

/**
 * Rows [m0, m1) × columns [n0, n1) of C[m×n] = op(A) · op(B) (+ bias, and
 * op(A)'s row sums where it can: see GemmFn); `work` holds
 * nnkit::kGemmWorkBytes, 64-byte aligned, private to the calling thread.
 */
template <class T>
bool gemm(size_t m0, size_t m1, size_t n0, size_t n1, size_t m, size_t k, size_t n, const void* av,
          const void* bv, void* cv, void* work, bool transA, bool transB, const void* biasv,
          double* aSums) {
  const T* A = static_cast<const T*>(av);
  const T* B = static_cast<const T*>(bv);
  const T* bias = static_cast<const T*>(biasv);
  T* C = static_cast<T*>(cv);
  if (m0 >= m1 || n0 >= n1) return false;
  if (k == 0) {
    for (size_t i = m0; i < m1; i++)
      for (size_t j = n0; j < n1; j++) C[i * n + j] = bias ? bias[j] : T(0);
    return false;
  }
  T* w = static_cast<T*>(work);
#if defined(NNKIT_HAS_FMA)
  if constexpr (sizeof(T) == 4)
    if (!transA && n0 == 0 && n1 == n && n <= 4 && k >= size_t(Tr<vf32>::W)) {
      gemmNarrow(m0, m1, k, n, A, B, C, w, transB, bias);
      return false;
    }
#endif
  if (transA && n1 - n0 <= 4 && m1 - m0 > 2 * size_t(kGemmMR)) {
    gemmSwapped<T>(m0, m1, n0, n1, m, k, n, A, B, C, w, transB, bias);
    return false;
  }
  if (transA)
    return gemmPanels<T, true>(m0, m1, n0, n1, m, k, n, A, B, C + m0 * n + n0, n, w, transB, bias,
                               aSums);
  return gemmPanels<T, false>(m0, m1, n0, n1, m, k, n, A, B, C + m0 * n + n0, n, w, transB, bias);
}
