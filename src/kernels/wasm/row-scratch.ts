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
