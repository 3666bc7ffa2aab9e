// nnkit WebAssembly GEMM: C = op(A)·op(B) in float32, f32x4 SIMD.
//
// The JS side (src/kernels/wasm/gemm.ts) copies blocks of the operands into
// the module's memory and calls these three functions:
//   gemm_pack_b   packs a kc×nc block of op(B) into strips NR columns wide;
//   gemm_block    packs an mc×kc block of op(A) into panels MR rows high and
//                 multiplies it with the packed B block into a C block.
//   column_sums   adds the columns of a block of rows into float64 sums
//                 (nn.Linear's bias gradient).
// Block edges are padded (A rows and B columns with zeros), so the
// micro-kernel always computes whole tiles; only the rows and columns inside
// the block are stored (a zero times an infinity in the padding gives a NaN
// that is never written).
//
// Numerics: each output element is Σ_p a_ip·b_pj, summed in float32 in
// order of p within a k block of at most GEMM_KC, each block's sum added
// to C in order of the blocks, as in BLAS; a bias (nn.Linear's) is added to
// the first block's sums before they are stored, as BLAS adds its products to
// a C that holds the bias, and as the native GEMM does. No product is ever skipped, so
// 0·∞ and NaN propagate. The order depends only on k and GEMM_KC, not on
// the other block sizes or on how rows are split between threads.
//
// Each step of a sum is a multiply then an add (two roundings) in the
// module built with plain SIMD (kernels.wasm). relaxed.ts builds
// gemm_block again with relaxed SIMD, whose f32x4.relaxed_madd is one fused
// multiply-add (one rounding) where the CPU has FMA, as on x86-64 with FMA3
// and on ARM64. Runtimes that accept relaxed SIMD (V8 11.4+: Chromium 114+,
// Node 22+) use that build, others this one; the order of the sums is the
// same in both.

/** Rows per register tile. */
export const GEMM_MR: i32 = 4;
/** Columns per register tile (two f32x4 vectors). */
export const GEMM_NR: i32 = 8;
/** The k dimension is summed in blocks of at most this many products. */
export const GEMM_KC: i32 = 256;

// @ts-ignore: decorator
@inline const MR: i32 = 4;
// @ts-ignore: decorator
@inline const NR: i32 = 8;

/**
 * a·b + c: fused (one rounding) when built with relaxed SIMD on a CPU with
 * FMA, else a multiply and an add.
 */
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * Packs a kc×nc block of op(B) at dst as ⌈nc/NR⌉ strips of kc×NR floats
 * (strip s at dst + s·kc·NR floats, element (p, q) at p·NR + q), the
 * missing columns of the last strip zero. The block is read at src: rows p
 * of ld floats (op(B) = B, trans = 0), or with trans = 1 rows q of ld
 * floats holding column q of op(B) (B stored transposed).
 */
export function gemm_pack_b(kc: i32, nc: i32, src: usize, ld: i32, trans: i32, dst: usize): void {
  const ldb = (<usize>ld) << 2;
  const zero = f32x4.splat(0);
  for (let j = 0; j < nc; j += NR) {
    const cols = min(NR, nc - j);
    const d = dst + ((<usize>(j * kc)) << 2);
    if (!trans) {
      const s = src + ((<usize>j) << 2);
      if (cols == NR) {
        for (let p = 0; p < kc; p++) {
          const sp = s + <usize>p * ldb;
          v128.store(d + ((<usize>p) << 5), v128.load(sp));
          v128.store(d + ((<usize>p) << 5), v128.load(sp, 16), 16);
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const sp = s + <usize>p * ldb;
          const dp = d + ((<usize>p) << 5);
          v128.store(dp, zero);
          v128.store(dp, zero, 16);
          for (let q = 0; q < cols; q++)
            store<f32>(dp + ((<usize>q) << 2), load<f32>(sp + ((<usize>q) << 2)));
        }
      }
    } else {
      // Column q of op(B) is the row at src + (j + q)·ld: 4×4 transposes of
      // four rows × four k-steps.
      const s = src + <usize>j * ldb;
      if (cols == NR) {
        let p = 0;
        for (; p + 4 <= kc; p += 4) {
          const sp = s + ((<usize>p) << 2);
          const dp = d + ((<usize>p) << 5);
          transpose4(dp, sp, ldb);
          transpose4(dp + 16, sp + 4 * ldb, ldb);
        }
        for (; p < kc; p++) {
          const sp = s + ((<usize>p) << 2);
          const dp = d + ((<usize>p) << 5);
          for (let q = 0; q < NR; q++)
            store<f32>(dp + ((<usize>q) << 2), load<f32>(sp + <usize>q * ldb));
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const sp = s + ((<usize>p) << 2);
          const dp = d + ((<usize>p) << 5);
          v128.store(dp, zero);
          v128.store(dp, zero, 16);
          for (let q = 0; q < cols; q++)
            store<f32>(dp + ((<usize>q) << 2), load<f32>(sp + <usize>q * ldb));
        }
      }
    }
  }
}

/**
 * Reads four rows of four floats at s, s + ld, s + 2·ld, s + 3·ld and stores
 * their transpose as four vectors 32 bytes apart at d (row r of the input
 * becomes lane r of each stored vector).
 */
// @ts-ignore: decorator
@inline function transpose4(d: usize, s: usize, ld: usize): void {
  const r0 = v128.load(s);
  const r1 = v128.load(s + ld);
  const r2 = v128.load(s + 2 * ld);
  const r3 = v128.load(s + 3 * ld);
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5); // a0 b0 a1 b1
  const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5); // c0 d0 c1 d1
  const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7); // a2 b2 a3 b3
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7); // c2 d2 c3 d3
  v128.store(d, i64x2.shuffle(t0, t1, 0, 2));
  v128.store(d, i64x2.shuffle(t0, t1, 1, 3), 32);
  v128.store(d, i64x2.shuffle(t2, t3, 0, 2), 64);
  v128.store(d, i64x2.shuffle(t2, t3, 1, 3), 96);
}

/**
 * Packs an mc×kc block of op(A) at dst as ⌈mc/MR⌉ panels of kc×MR floats
 * (panel at dst + i·kc floats for its first row i, element (r, p) at
 * p·MR + r), the missing rows of the last panel zero. The block is read at
 * src: rows i of ld floats (trans = 0), or with trans = 1 rows p of ld
 * floats holding row p of A's storage (column p of op(A)).
 */
function packA(mc: i32, kc: i32, src: usize, ld: i32, trans: i32, dst: usize): void {
  const lda = (<usize>ld) << 2;
  for (let i = 0; i < mc; i += MR) {
    const rows = min(MR, mc - i);
    const d = dst + ((<usize>(i * kc)) << 2);
    if (trans) {
      const s = src + ((<usize>i) << 2);
      if (rows == MR) {
        for (let p = 0; p < kc; p++)
          v128.store(d + ((<usize>p) << 4), v128.load(s + <usize>p * lda));
      } else {
        for (let p = 0; p < kc; p++) {
          const dp = d + ((<usize>p) << 4);
          v128.store(dp, f32x4.splat(0));
          for (let r = 0; r < rows; r++)
            store<f32>(dp + ((<usize>r) << 2), load<f32>(s + <usize>p * lda + ((<usize>r) << 2)));
        }
      }
    } else {
      const s = src + <usize>i * lda;
      if (rows == MR) {
        let p = 0;
        for (; p + 4 <= kc; p += 4) {
          const sp = s + ((<usize>p) << 2);
          const r0 = v128.load(sp);
          const r1 = v128.load(sp + lda);
          const r2 = v128.load(sp + 2 * lda);
          const r3 = v128.load(sp + 3 * lda);
          const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
          const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
          const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
          const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
          const dp = d + ((<usize>p) << 4);
          v128.store(dp, i64x2.shuffle(t0, t1, 0, 2));
          v128.store(dp, i64x2.shuffle(t0, t1, 1, 3), 16);
          v128.store(dp, i64x2.shuffle(t2, t3, 0, 2), 32);
          v128.store(dp, i64x2.shuffle(t2, t3, 1, 3), 48);
        }
        for (; p < kc; p++) {
          const dp = d + ((<usize>p) << 4);
          for (let r = 0; r < MR; r++)
            store<f32>(dp + ((<usize>r) << 2), load<f32>(s + <usize>r * lda + ((<usize>p) << 2)));
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const dp = d + ((<usize>p) << 4);
          v128.store(dp, f32x4.splat(0));
          for (let r = 0; r < rows; r++)
            store<f32>(dp + ((<usize>r) << 2), load<f32>(s + <usize>r * lda + ((<usize>p) << 2)));
        }
      }
    }
  }
}

/**
 * Stores (first) or adds a row of a tile, v0 and v1, to its first `cols`
 * floats at c; with fewer than NR columns the lanes past `cols` are not
 * written (a partial tile's loads may read them: the C regions have slack).
 * With `first`, the bias vectors b0 and b1 (zeros when there is none) are
 * added to the sums first.
 */
// @ts-ignore: decorator
@inline function storeRow(
  c: usize,
  v0: v128,
  v1: v128,
  cols: i32,
  first: bool,
  b0: v128,
  b1: v128,
): void {
  if (first) {
    v0 = f32x4.add(v0, b0);
    v1 = f32x4.add(v1, b1);
  } else {
    v0 = f32x4.add(v128.load(c), v0);
    v1 = f32x4.add(v128.load(c, 16), v1);
  }
  if (cols == NR) {
    v128.store(c, v0);
    v128.store(c, v1, 16);
  } else if (cols >= 4) {
    v128.store(c, v0);
    storePart(c + 16, v1, cols - 4);
  } else {
    storePart(c, v0, cols);
  }
}

/** Stores lanes 0…n−1 (n < 4) of v at c. */
// @ts-ignore: decorator
@inline function storePart(c: usize, v: v128, n: i32): void {
  if (n & 2) {
    v128.store64_lane(c, v, 0);
    if (n & 1) v128.store32_lane(c, v, 2, 8);
  } else if (n & 1) {
    v128.store32_lane(c, v, 0);
  }
}

/**
 * One MR×NR tile: C[r, 0:cols] (=|+=) Σ_p a[p·MR + r]·b[p·NR + 0:cols] over
 * p < kc, with madd, for the first `rows` rows; `ldc` in bytes.
 * With `first` and a bias address (not 0), bias[0:cols] is added to the sums
 * (the bias region has slack: the lanes past `cols` are read, not stored).
 */
// @ts-ignore: decorator
@inline function tile(
  kc: i32,
  a: usize,
  b: usize,
  c: usize,
  ldc: usize,
  rows: i32,
  cols: i32,
  first: bool,
  bias: usize,
): void {
  let c00 = f32x4.splat(0),
    c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0),
    c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0),
    c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0),
    c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let av = v128.load32_splat(a);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(a, 4);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(a, 8);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(a, 12);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    a += 16;
    b += 32;
  }
  let b0 = f32x4.splat(0),
    b1 = f32x4.splat(0);
  if (first && bias) {
    b0 = v128.load(bias);
    b1 = v128.load(bias, 16);
  }
  storeRow(c, c00, c01, cols, first, b0, b1);
  if (rows > 1) storeRow(c + ldc, c10, c11, cols, first, b0, b1);
  if (rows > 2) storeRow(c + 2 * ldc, c20, c21, cols, first, b0, b1);
  if (rows > 3) storeRow(c + 3 * ldc, c30, c31, cols, first, b0, b1);
}

/**
 * C block (=|+=) op(A) block · packed B block: packs the mc×kc block of
 * op(A) read at a (see packA) into ap, then computes the mc×nc block of C at
 * c (rows of ldc ≥ nc floats, and 8 floats of slack after the last row)
 * tile by tile; first = 1 stores, 0 adds to what C holds. With first = 1
 * and bias ≠ 0, bias[j] (nc floats, then 8 floats of slack) is added to
 * column j's sums.
 */
export function gemm_block(
  mc: i32,
  nc: i32,
  kc: i32,
  a: usize,
  lda: i32,
  transA: i32,
  ap: usize,
  bp: usize,
  c: usize,
  ldc: i32,
  first: i32,
  bias: usize,
): void {
  packA(mc, kc, a, lda, transA, ap);
  const ldcb = (<usize>ldc) << 2;
  const astep = (<usize>(MR * kc)) << 2;
  const bstep = (<usize>(NR * kc)) << 2;
  for (let i = 0; i < mc; i += MR) {
    const ai = ap + <usize>(i / MR) * astep;
    const ci = c + <usize>i * ldcb;
    const rows = min(MR, mc - i);
    let bj = bp;
    for (let j = 0; j < nc; j += NR) {
      const bias_j = bias ? bias + ((<usize>j) << 2) : 0;
      tile(kc, ai, bj, ci + ((<usize>j) << 2), ldcb, rows, min(NR, nc - j), first != 0, bias_j);
      bj += bstep;
    }
  }
}

/**
 * sums[j] += Σ_i src[i·n + j] over `rows` rows of n floats at src, into n
 * float64 sums at `sums`, one row after another: each column's sum takes its
 * rows in order, as the JavaScript column sums do, so the two agree bit for
 * bit whatever the blocking of the rows.
 */
export function column_sums(rows: i32, n: i32, src: usize, sums: usize): void {
  const rowBytes = (<usize>n) << 2;
  for (let i = 0; i < rows; i++) {
    const s = src + <usize>i * rowBytes;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const v = v128.load(s + ((<usize>j) << 2));
      const d = sums + ((<usize>j) << 3);
      v128.store(d, f64x2.add(v128.load(d), f64x2.promote_low_f32x4(v)));
      const hi = i32x4.shuffle(v, v, 2, 3, 2, 3);
      v128.store(d, f64x2.add(v128.load(d, 16), f64x2.promote_low_f32x4(hi)), 16);
    }
    for (; j < n; j++) {
      const d = sums + ((<usize>j) << 3);
      store<f64>(d, load<f64>(d) + <f64>load<f32>(s + ((<usize>j) << 2)));
    }
  }
}
