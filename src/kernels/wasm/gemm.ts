/**
 * The wasm backend's `matmul` hook: `c[m×n] = op(a)·op(b)` in float32 with
 * the module's SIMD GEMM (wasm/assembly/gemm.ts); the same with a bias for
 * nn.Linear, and the float64 column sums of its bias gradient.
 *
 * The operands live in JavaScript arrays, so they are copied into the
 * module's memory block by block, GotoBLAS-style: for every panel of NC
 * columns of C and every chunk of its rows that fits the C region, and for
 * every block of KC along k, the kc×nc block of op(b) is copied in and
 * packed (gemm_pack_b), then each block of MC rows of op(a) is copied in and
 * multiplied into the resident C chunk (gemm_block); the chunk is copied
 * out once its k blocks are done. Each element of c is copied out once;
 * each element of b is copied in once per row chunk (one chunk unless m·nc
 * exceeds the C region), each element of a once per column panel. The
 * workspace (2.5 MB) is added to the module's memory when the backend
 * loads, so the memory never grows afterwards and the scratch tiles of the
 * other kernels keep their views.
 *
 * In a cross-origin isolated page with the worker pool started, C's row
 * chunks are split between the main thread and the workers instead (each
 * thread's slot of the shared memory holds its rows of a and c; one more
 * slot holds the packed b block). The sums are the same in either case
 * (their order depends only on k and KC), so the results are bit-identical.
 */
import type { WasmModuleExports } from './exports.generated.js';
import type { Floats } from '../js/types.js';
import type { WasmPool } from './pool.js';

/** The GEMM's part of the module's exports (wasm/assembly/gemm.ts; addresses in bytes). */
export type GemmExports = Pick<
  WasmModuleExports,
  'memory' | 'GEMM_KC' | 'GEMM_MR' | 'gemm_pack_b' | 'gemm_block' | 'column_sums'
>;

export type MatmulHook = (
  m: number,
  k: number,
  n: number,
  a: Floats,
  b: Floats,
  c: Floats,
  transA?: boolean,
  transB?: boolean,
) => boolean;

/** What `makeWasmGemm` returns: the kernels that run on the GEMM's workspace. */
export interface WasmGemm {
  /** The `matmul` kernel. */
  matmul: MatmulHook;
  /**
   * `c[m×n] = a·bᵀ + bias` (nn.Linear's forward, `a` `[m×k]`, `b` `[n×k]`): the
   * bias is added to the first k block's sums as they are stored, as the
   * native GEMM does; false to decline (float64, arrays too short).
   */
  linear(m: number, k: number, n: number, a: Floats, b: Floats, bias: Floats, c: Floats): boolean;
  /**
   * `sums[j] = Σ_i g[i, j]` over the m rows of `g` `[m×n]`, in float64 in row
   * order, rounded once: bit-identical to the JavaScript column sums.
   */
  columnSums(m: number, n: number, g: Floats, sums: Floats): boolean;
}

/** Columns of C per panel: the packed kc×NC block of b (512 KB) stays in L2. */
const NC = 512;
/** Rows of op(a) per block on one thread. */
const MC = 256;
/** Floats of the single-threaded C region (1 MB). */
const C_FLOATS = 1 << 18;
/**
 * Multiply-adds m·k·n below which the pool is not worth its dispatches (about
 * 1 ms on one thread): a worker sleeping in Atomics.wait takes tens of
 * microseconds to wake when the machine is idle, milliseconds when it is not.
 */
const PARALLEL_MACS = 1 << 24;

const PAGE = 65536;

interface Dims {
  m: number;
  k: number;
  n: number;
  a: Float32Array;
  b: Float32Array;
  c: Float32Array;
  transA: boolean;
  transB: boolean;
  /** Added to every row of c (n floats), or null. */
  bias: Float32Array | null;
}

/** Checks the hook's arguments; null to decline (float64, a mix, arrays too short). */
function dims(
  m: number,
  k: number,
  n: number,
  a: Floats,
  b: Floats,
  c: Floats,
  transA: boolean,
  transB: boolean,
): Dims | null {
  if (!(a instanceof Float32Array) || !(b instanceof Float32Array)) return null;
  if (!(c instanceof Float32Array)) return null;
  for (const d of [m, k, n]) if (!Number.isSafeInteger(d) || d < 0) return null;
  if (m * k > a.length || k * n > b.length || m * n > c.length) return null;
  return { m, k, n, a, b, c, transA, transB, bias: null };
}

const roundUp = (x: number, q: number): number => Math.ceil(x / q) * q;

/**
 * Copies rows r0…r0+nr, columns c0…c0+nc of the row-major matrix `src`
 * (rows of `cols` floats) to `to` (a float index in `mem`), one row after
 * another; returns the copied rows' stride: `cols` when whole rows go in one
 * copy, else nc.
 */
function stageBlock(
  src: Float32Array,
  cols: number,
  r0: number,
  nr: number,
  c0: number,
  nc: number,
  mem: Float32Array,
  to: number,
): number {
  if (nc === cols) {
    mem.set(src.subarray(r0 * cols, (r0 + nr) * cols), to);
    return cols;
  }
  for (let r = 0; r < nr; r++)
    mem.set(src.subarray((r0 + r) * cols + c0, (r0 + r) * cols + c0 + nc), to + r * nc);
  return nc;
}

/**
 * Copies the kc×nc block of op(b) at (pc, jc) to `to` as rows that
 * gemm_pack_b reads: rows of op(b) when b is [k×n], its columns when b is
 * [n×k]; returns their stride in floats.
 */
function stageB(
  d: Dims,
  mem: Float32Array,
  to: number,
  pc: number,
  kc: number,
  jc: number,
  nc: number,
): number {
  return d.transB
    ? stageBlock(d.b, d.k, jc, nc, pc, kc, mem, to)
    : stageBlock(d.b, d.n, pc, kc, jc, nc, mem, to);
}

/** Likewise the mc×kc block of op(a) at (ic, pc), as rows (or columns, a being [k×m]) that gemm_block reads. */
function stageA(
  d: Dims,
  mem: Float32Array,
  to: number,
  ic: number,
  mc: number,
  pc: number,
  kc: number,
): number {
  return d.transA
    ? stageBlock(d.a, d.m, pc, kc, ic, mc, mem, to)
    : stageBlock(d.a, d.k, ic, mc, pc, kc, mem, to);
}

/** Copies rows×nc of a C chunk (rows of ldc floats at `from` in `mem`) to c at (i0, jc). */
function unstageC(
  d: Dims,
  mem: Float32Array,
  from: number,
  ldc: number,
  i0: number,
  rows: number,
  jc: number,
  nc: number,
): void {
  const { c, n } = d;
  if (nc === n && ldc === n) {
    c.set(mem.subarray(from, from + rows * n), i0 * n);
    return;
  }
  for (let r = 0; r < rows; r++)
    c.set(mem.subarray(from + r * ldc, from + r * ldc + nc), (i0 + r) * n + jc);
}

/**
 * Adds the GEMM's workspace to the module's memory (call before making any
 * view of it: growing detaches them) and returns the kernels that use it;
 * the GEMM uses `pool()` when that returns a pool.
 */
export function makeWasmGemm(ex: GemmExports, pool: () => WasmPool | null): WasmGemm {
  const KC = ex.GEMM_KC.value as number;
  const MR = ex.GEMM_MR.value as number;
  const base = roundUp(ex.memory.buffer.byteLength, PAGE);
  const bs = base; // staged b block: KC·NC floats
  const bp = bs + KC * NC * 4; // packed b block
  const as = bp + KC * NC * 4; // staged a block: MC·KC floats
  const ap = as + MC * KC * 4; // packed a block
  const cr = ap + MC * KC * 4; // the C chunk: C_FLOATS
  const br = cr + (C_FLOATS + 16) * 4; // slack: a partial tile's loads read past its columns
  const end = br + (NC + 16) * 4; // a panel's bias, with the same slack
  ex.memory.grow((roundUp(end, PAGE) - ex.memory.buffer.byteLength) / PAGE);
  let mem = new Float32Array(ex.memory.buffer);

  function single(d: Dims): void {
    if (mem.buffer !== ex.memory.buffer) mem = new Float32Array(ex.memory.buffer);
    const { m, k, n } = d;
    for (let jc = 0; jc < n; jc += NC) {
      const nc = Math.min(NC, n - jc);
      const ldc = nc;
      const chunk = Math.floor(C_FLOATS / ldc / MC) * MC;
      if (d.bias) mem.set(d.bias.subarray(jc, jc + nc), br >> 2);
      for (let i0 = 0; i0 < m; i0 += chunk) {
        const rows = Math.min(chunk, m - i0);
        for (let pc = 0; pc < k; pc += KC) {
          const kc = Math.min(KC, k - pc);
          const ldb = stageB(d, mem, bs >> 2, pc, kc, jc, nc);
          ex.gemm_pack_b(kc, nc, bs, ldb, d.transB ? 1 : 0, bp);
          for (let ic = i0; ic < i0 + rows; ic += MC) {
            const mc = Math.min(MC, i0 + rows - ic);
            const lda = stageA(d, mem, as >> 2, ic, mc, pc, kc);
            const c0 = cr + (ic - i0) * ldc * 4;
            const first = pc === 0 ? 1 : 0;
            const bias = first && d.bias ? br : 0;
            ex.gemm_block(mc, nc, kc, as, lda, d.transA ? 1 : 0, ap, bp, c0, ldc, first, bias);
          }
        }
        unstageC(d, mem, cr >> 2, ldc, i0, rows, jc, nc);
      }
    }
  }

  function run(d: Dims): void {
    const { m, k, n } = d;
    if (m === 0 || n === 0) return;
    if (k === 0) {
      for (let i = 0; i < m; i++)
        if (d.bias) d.c.set(d.bias.subarray(0, n), i * n);
        else d.c.fill(0, i * n, (i + 1) * n);
      return;
    }
    const p = m * k * n >= PARALLEL_MACS ? pool() : null;
    if (p && m >= 2 * MR) pooled(p, d, KC, MR);
    else single(d);
  }

  /** Float64 sums of up to SUM_COLS columns fill the staged-b region. */
  const SUM_COLS = (KC * NC) / 2;

  return {
    matmul(m, k, n, a, b, c, transA = false, transB = false) {
      const d = dims(m, k, n, a, b, c, transA, transB);
      if (!d) return false;
      run(d);
      return true;
    },
    linear(m, k, n, a, b, bias, c) {
      const d = dims(m, k, n, a, b, c, false, true);
      if (!d || !(bias instanceof Float32Array) || bias.length < n) return false;
      d.bias = bias;
      run(d);
      return true;
    },
    columnSums(m, n, g, sums) {
      if (!(g instanceof Float32Array) || !(sums instanceof Float32Array)) return false;
      if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 0 || n < 0) return false;
      if (m * n > g.length || n > sums.length) return false;
      if (mem.buffer !== ex.memory.buffer) mem = new Float32Array(ex.memory.buffer);
      const acc = new Float64Array(ex.memory.buffer, bs, SUM_COLS);
      for (let j0 = 0; j0 < n; j0 += SUM_COLS) {
        const w = Math.min(SUM_COLS, n - j0);
        acc.fill(0, 0, w);
        const chunk = Math.floor(C_FLOATS / w);
        for (let i0 = 0; i0 < m; i0 += chunk) {
          const rows = Math.min(chunk, m - i0);
          if (w === n) mem.set(g.subarray(i0 * n, (i0 + rows) * n), cr >> 2);
          else
            for (let r = 0; r < rows; r++) {
              const from = (i0 + r) * n + j0;
              mem.set(g.subarray(from, from + w), (cr >> 2) + r * w);
            }
          ex.column_sums(rows, w, cr, bs);
        }
        sums.set(acc.subarray(0, w), j0);
      }
      return true;
    },
  };
}

/** Adds bias[jc…jc+nc) to every C row of the round's parts, in their slots. */
function addBias(
  bias: Float32Array,
  jc: number,
  nc: number,
  mem: Float32Array,
  parts: [number, number][],
  slots: readonly { ptr: readonly number[] }[],
  ldc: number,
): void {
  parts.forEach(([, mc], s) => {
    const c0 = slots[s].ptr[2] >> 2;
    for (let r = 0; r < mc; r++) {
      const row = c0 + r * ldc;
      for (let q = 0; q < nc; q++) mem[row + q] += bias[jc + q];
    }
  });
}

/**
 * The pool's version: per column panel and round of rows, the main thread
 * packs each k block of b into the slot after the threads' slots, copies
 * every thread's rows of a into its slot and runs gemm_block on all of them
 * at once; the C rows stay in the slots (their tiles 2 and 3, contiguous)
 * until the round's k blocks are done.
 */
function pooled(pool: WasmPool, d: Dims, KC: number, MR: number): void {
  const { m, k, n } = d;
  const threads = Math.min(pool.threads(), pool.maxSlots() - 1, Math.ceil(m / MR));
  const slots = pool.slots(threads + 1);
  const bSlot = slots[threads];
  const tileFloats = bSlot.buf[0].length;
  // The shared memory as it was when the highest slot used here was made: it covers them all.
  const mem = new Float32Array(bSlot.buf[0].buffer);
  const bs = bSlot.ptr[0];
  const bpk = bSlot.ptr[2];
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    const ldc = nc;
    // Rows per thread per round: the staged and packed a rows fit a tile, the C rows two (less slack).
    const perKc = Math.floor(tileFloats / Math.min(KC, k) / MR) * MR;
    const perC = Math.floor((2 * tileFloats - 16) / ldc / MR) * MR;
    const per = Math.min(perKc, perC, roundUp(Math.ceil(m / threads), MR));
    for (let i0 = 0; i0 < m; i0 += per * threads) {
      const parts: [number, number][] = [];
      for (let s = 0, i = i0; s < threads && i < m; s++, i += per)
        parts.push([i, Math.min(per, m - i)]);
      for (let pc = 0; pc < k; pc += KC) {
        const kc = Math.min(KC, k - pc);
        const ldb = stageB(d, mem, bs >> 2, pc, kc, jc, nc);
        pool.call('gemm_pack_b', [kc, nc, bs, ldb, d.transB ? 1 : 0, bpk]);
        const args = parts.map(([ic, mc], s) => {
          const lda = stageA(d, mem, slots[s].ptr[0] >> 2, ic, mc, pc, kc);
          const sl = slots[s].ptr;
          return [
            mc,
            nc,
            kc,
            sl[0],
            lda,
            d.transA ? 1 : 0,
            sl[1],
            bpk,
            sl[2],
            ldc,
            pc === 0 ? 1 : 0,
            0,
          ];
        });
        pool.run('gemm_block', args);
        // The bias is added to the first k block's sums, as gemm_block adds it
        // on one thread: float32 + float32 rounded from float64 is the float32 sum.
        if (pc === 0 && d.bias) addBias(d.bias, jc, nc, mem, parts, slots, ldc);
      }
      parts.forEach(([ic, mc], s) => unstageC(d, mem, slots[s].ptr[2] >> 2, ldc, ic, mc, jc, nc));
    }
  }
}
