/**
 * Where the row kernels (softmax, cross-entropy) stream their arrays through
 * the wasm module: the four scratch buffers of `tile` floats (each followed
 * by 64 floats of slack), and 64 bytes of running sums in buffer 3's slack.
 */
export interface RowScratch {
  /** Floats per scratch buffer. */
  tile: number;
  /** Columns per chunk of a longer row: a multiple of 16, at most `tile`. */
  rowChunk: number;
  /** The buffers' addresses in the module's memory. */
  ptr: readonly number[];
  /** Views of the buffers, slack included. */
  buf: readonly Float32Array[];
  /** The running sums' address (buffer 3's slack, which no kernel writes). */
  acc: number;
}

/** Zeroes the running sums (16 floats at `acc`). */
export function zeroAcc(sc: RowScratch): void {
  sc.buf[3].fill(0, sc.tile, sc.tile + 16);
}

/**
 * Copies the rows at inner positions [i0, i0 + k) of one (size, inner) block
 * of an (outer, size, inner) layout, starting at `base` in `src`, into `dst`
 * as k contiguous rows of `size`.
 */
export function gather(
  dst: Float32Array,
  src: Float32Array,
  base: number,
  size: number,
  inner: number,
  i0: number,
  k: number,
): void {
  for (let c = 0; c < size; c++) {
    const from = base + c * inner + i0;
    for (let j = 0; j < k; j++) dst[j * size + c] = src[from + j];
  }
}

/** The inverse of {@link gather}: k contiguous rows of `src` back into the block at `base` of `dst`. */
export function scatter(
  dst: Float32Array,
  src: Float32Array,
  base: number,
  size: number,
  inner: number,
  i0: number,
  k: number,
): void {
  for (let c = 0; c < size; c++) {
    const to = base + c * inner + i0;
    for (let j = 0; j < k; j++) dst[to + j] = src[j * size + c];
  }
}

/** A tile's worth of rows of an (outer, size, inner) layout: positions p0 .. p0 + k − 1 (p = o·inner + i). */
export interface RowBlock {
  p0: number;
  k: number;
  /** Where the block's (size, inner) slab starts (inner = 1: the first row). */
  base: number;
  /** The first inner position (0 when inner = 1). */
  i0: number;
}

/**
 * The blocks of at most `per` rows covering an (outer, size, inner) layout:
 * consecutive rows when inner = 1, else runs of inner positions of one outer index.
 */
export function rowBlocks(outer: number, size: number, inner: number, per: number): RowBlock[] {
  const out: RowBlock[] = [];
  if (inner === 1) {
    for (let p0 = 0; p0 < outer; p0 += per) {
      out.push({ p0, k: Math.min(per, outer - p0), base: p0 * size, i0: 0 });
    }
    return out;
  }
  for (let o = 0; o < outer; o++) {
    for (let i0 = 0; i0 < inner; i0 += per) {
      out.push({ p0: o * inner + i0, k: Math.min(per, inner - i0), base: o * size * inner, i0 });
    }
  }
  return out;
}

/** Copies a block's rows from `src` into the tile `dst`, contiguous. */
export function loadRows(
  dst: Float32Array,
  src: Float32Array,
  size: number,
  inner: number,
  b: RowBlock,
): void {
  if (inner === 1) dst.set(src.subarray(b.base, b.base + b.k * size));
  else gather(dst, src, b.base, size, inner, b.i0, b.k);
}

/** Copies a block's rows from the tile `src` back into `dst`. */
export function storeRows(
  dst: Float32Array,
  src: Float32Array,
  size: number,
  inner: number,
  b: RowBlock,
): void {
  if (inner === 1) dst.set(src.subarray(0, b.k * size), b.base);
  else scatter(dst, src, b.base, size, inner, b.i0, b.k);
}
