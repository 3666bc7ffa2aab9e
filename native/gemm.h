// nnkit native kernels: dense matrix product C[m×n] = A[m×k] · B[k×n]
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

// Rows per register tile: 6×16 floats use 12 of the 16 AVX2 registers; the
// baseline build splits every vector in two SSE halves, so it uses 4 rows.
constexpr int kGemmMR = NNKIT_ISA_NAME[0] == 'a' ? 6 : 4;
constexpr size_t kGemmKC = 256;

template <class T>
struct GemmBlock {
  typedef typename VecOf<T>::V V;
  static constexpr size_t W = Tr<V>::W;
  static constexpr size_t NR = 2 * W;
  // KC·NC·sizeof(T) = nnkit::kGemmWorkBytes (256 KB).
  static constexpr size_t NC = nnkit::kGemmWorkBytes / (kGemmKC * sizeof(T));
  static_assert(NC % NR == 0, "NC must be a multiple of NR");
};

/**
 * One R×NR tile: C[r, 0:cols] (=|+=) Σ_p A[r, p] · Bp[p, :] over p < kc, with
 * A[r, p] at a[r·lda + p], or at a[p·lda + r] when kTA (A stored transposed).
 */
template <class T, int R, bool kTA>
NNKIT_INLINE void gemmTile(size_t kc, const T* a, size_t lda, const T* bp, T* c, size_t ldc,
                           size_t cols, bool first) {
  typedef typename VecOf<T>::V V;
  constexpr size_t W = GemmBlock<T>::W, NR = GemmBlock<T>::NR;
  V acc0[R], acc1[R];
  for (int r = 0; r < R; r++) acc0[r] = acc1[r] = splat<V>(T(0));
  for (size_t p = 0; p < kc; p++) {
    const V b0 = load<V>(bp + p * NR);
    const V b1 = load<V>(bp + p * NR + W);
    for (int r = 0; r < R; r++) {
      const V av = splat<V>(kTA ? a[p * lda + r] : a[r * lda + p]);
      acc0[r] += av * b0;
      acc1[r] += av * b1;
    }
  }
  if (cols == NR) {
    for (int r = 0; r < R; r++) {
      T* cr = c + r * ldc;
      if (first) {
        store(cr, acc0[r]);
        store(cr + W, acc1[r]);
      } else {
        store(cr, load<V>(cr) + acc0[r]);
        store(cr + W, load<V>(cr + W) + acc1[r]);
      }
    }
    return;
  }
  for (int r = 0; r < R; r++) {
    T* cr = c + r * ldc;
    if (cols >= W) {
      store(cr, first ? acc0[r] : load<V>(cr) + acc0[r]);
      const size_t rest = cols - W;
      if (rest > 0)
        storePartial(cr + W, first ? acc1[r] : loadPartial<V>(cr + W, rest) + acc1[r], rest);
    } else {
      storePartial(cr, first ? acc0[r] : loadPartial<V>(cr, cols) + acc0[r], cols);
    }
  }
}

template <class T, int R, bool kTA>
void gemmRows(size_t kc, const T* a, size_t lda, const T* bp, T* c, size_t ldc, size_t nc,
              bool first) {
  constexpr size_t NR = GemmBlock<T>::NR;
  for (size_t j = 0; j < nc; j += NR) {
    const size_t cols = nc - j < NR ? nc - j : NR;
    gemmTile<T, R, kTA>(kc, a, lda, bp + j * kc, c + j, ldc, cols, first);
  }
}

template <class T, int R, bool kTA>
NNKIT_INLINE void gemmEdge(int rows, size_t kc, const T* a, size_t lda, const T* bp, T* c,
                           size_t ldc, size_t nc, bool first) {
  if constexpr (R > 0) {
    if (rows == R) return gemmRows<T, R, kTA>(kc, a, lda, bp, c, ldc, nc, first);
    gemmEdge<T, R - 1, kTA>(rows, kc, a, lda, bp, c, ldc, nc, first);
  }
}

/** gemm for one storage of A (kTA: stored transposed, [k×m]). */
template <class T, bool kTA>
void gemmPanels(size_t m0, size_t m1, size_t n0, size_t n1, size_t m, size_t k, size_t n,
                const T* A, const T* B, T* C, T* bp, bool transB) {
  constexpr size_t NR = GemmBlock<T>::NR, NC = GemmBlock<T>::NC;
  constexpr int MR = kGemmMR;
  // A[i, p] for the tile kernels: a row-major A starts row i at i·k; a transposed one at column i.
  const size_t lda = kTA ? m : k;
  auto aAt = [&](size_t i, size_t pc) { return kTA ? A + pc * m + i : A + i * k + pc; };
  for (size_t jc = n0; jc < n1; jc += NC) {
    const size_t nc = n1 - jc < NC ? n1 - jc : NC;
    for (size_t pc = 0; pc < k; pc += kGemmKC) {
      const size_t kc = k - pc < kGemmKC ? k - pc : kGemmKC;
      // Pack B[pc:pc+kc, jc:jc+nc] as strips of NR columns, each kc × NR.
      for (size_t j = 0; j < nc; j += NR) {
        const size_t cols = nc - j < NR ? nc - j : NR;
        T* dst = bp + j * kc;
        if (!transB) {
          const T* src = B + pc * n + jc + j;
          for (size_t p = 0; p < kc; p++) {
            size_t q = 0;
            for (; q < cols; q++) dst[p * NR + q] = src[p * n + q];
            for (; q < NR; q++) dst[p * NR + q] = T(0);
          }
        } else {
          // B stored as [n×k]: column jc + j + q of op(B) is row jc + j + q of the storage.
          for (size_t q = 0; q < NR; q++) {
            if (q < cols) {
              const T* src = B + (jc + j + q) * k + pc;
              for (size_t p = 0; p < kc; p++) dst[p * NR + q] = src[p];
            } else {
              for (size_t p = 0; p < kc; p++) dst[p * NR + q] = T(0);
            }
          }
        }
      }
      const bool first = pc == 0;
      size_t i = m0;
      for (; i + MR <= m1; i += MR)
        gemmRows<T, MR, kTA>(kc, aAt(i, pc), lda, bp, C + i * n + jc, n, nc, first);
      if (i < m1)
        gemmEdge<T, MR - 1, kTA>(int(m1 - i), kc, aAt(i, pc), lda, bp, C + i * n + jc, n, nc,
                                 first);
    }
  }
}

/**
 * Rows [m0, m1) × columns [n0, n1) of C[m×n] = op(A) · op(B) (see GemmFn);
 * `work` holds nnkit::kGemmWorkBytes, 32-byte aligned, private to the calling thread.
 */
template <class T>
void gemm(size_t m0, size_t m1, size_t n0, size_t n1, size_t m, size_t k, size_t n, const void* av,
          const void* bv, void* cv, void* work, bool transA, bool transB) {
  const T* A = static_cast<const T*>(av);
  const T* B = static_cast<const T*>(bv);
  T* C = static_cast<T*>(cv);
  if (m0 >= m1 || n0 >= n1) return;
  if (k == 0) {
    for (size_t i = m0; i < m1; i++)
      for (size_t j = n0; j < n1; j++) C[i * n + j] = T(0);
    return;
  }
  T* bp = static_cast<T*>(work);
  if (transA)
    gemmPanels<T, true>(m0, m1, n0, n1, m, k, n, A, B, C, bp, transB);
  else
    gemmPanels<T, false>(m0, m1, n0, n1, m, k, n, A, B, C, bp, transB);
}
