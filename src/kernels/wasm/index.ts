/**
 * The WebAssembly SIMD backend (`wasm`): kernels generated from the same
 * table as every other backend, compiled from AssemblyScript (wasm/assembly)
 * into `kernels.wasm` beside this file (rebuilt by `npm run gen`, checked by
 * `npm run gen:check`). This module turns an instance's exports into a
 * backend; it loads nothing itself. The loaders are `node.ts` (reads the file
 * synchronously at import, so Node has the backend at once) and `browser.ts`
 * (fetches it as an asset bundlers understand; registers when `wasmReady`
 * resolves). The backend takes whatever kernels the module exports.
 *
 * Typed arrays are streamed through a fixed scratch region inside the
 * module's memory in tiles of 16K elements, so memory never grows and no
 * allocation happens per call; softmax and cross-entropy rows longer than a
 * tile go through in chunks, their sums carried from chunk to chunk
 * (cross-entropy.ts). `matmul` (float32) copies its operands block by block
 * through a fixed workspace added once at load (gemm.ts). The
 * optimizer steps (optim.generated.ts) stream each tensor's arrays through
 * the same region, cut into one tile per array; `im2col` and `col2im`
 * (windows.ts), `boxSum` and `boxSpread` (boxes.ts) pass whole planes
 * through it, the normalization kernels whole slices (norm.ts), and
 * `extremumIndices` whole blocks (extremum.ts). Float32 only; float64 and anything
 * else the module lacks falls back to the JS kernels.
 *
 * In a cross-origin isolated browser page, `setNumThreads(n > 1)` starts a
 * pool of n − 1 workers on a shared memory (pool.ts, which fetches the
 * shared-memory build only then); large elementwise kernels other than the
 * cheap ones, the softmax family and the GEMM (its rows), then split their
 * tiles between the main thread and the workers. `wasmThreadPool()` resolves to the pool's state once
 * its workers have started. Node keeps the single-threaded path (the native
 * addon has its own threads).
 */
import { registerBackend, type KernelBackend } from '../backend.js';
import { checkedKernels } from '../checks.generated.js';
import type { Floats, Numbers, Params } from '../js/types.js';
import { activePool, requestThreads, type Slot, SLOT_TILE, type WasmPool } from './pool.js';
import { makeWasmGemm } from './gemm.js';
import type { WasmModuleExports } from './exports.generated.js';
import { OPTIM_ARRAYS, wasmOptimKernels } from './optim.generated.js';
import { makeWasmLinear } from './linear.js';
import { makeWasmCrossEntropy } from './cross-entropy.js';
import { makeSoftmaxRows } from './softmax-rows.js';
import { makeWasmRandom } from './random.js';
import { makeWasmWindows } from './windows.js';
import { makeWasmBoxes } from './boxes.js';
import { makeWasmNorm } from './norm.js';
import { makeWasmExtremum } from './extremum.js';
import type { RelaxedKernels } from './relaxed.js';

export { wasmThreadPool, type WasmPoolStats } from './pool.js';

/** Kernels too cheap to pay for the copies to and from the pool's shared memory. */
const CHEAP = new Set([
  'relu',
  'hardtanh',
  'threshold',
  'softshrink',
  'hardshrink',
  'hardsigmoid',
  'hardswish',
  'neg',
  'abs',
  'sign',
  'floor',
  'clamp',
]);
/** Smaller reductions stay in JavaScript. */
const REDUCE_MIN = 4096;
/** Shorter broadcast rows of binary ops stay in JavaScript (the tile copies cost more). */
const BINARY_ROW_MIN = 256;
/** Fewer elements than this stay on the main thread. */
const PARALLEL_MIN = 1 << 15;

/** The pool for a kernel over `n` elements, or null to stay single-threaded. */
function poolFor(n: number, name?: string): WasmPool | null {
  if (n < PARALLEL_MIN || (name !== undefined && CHEAP.has(name))) return null;
  return activePool();
}

/**
 * Splits `total` units (elements or rows) into one round of per-thread parts
 * of at most `max` units, multiples of `gran` except the last.
 */
function parts(total: number, threads: number, max: number, gran: number): number[] {
  const per = Math.min(max, Math.ceil(total / threads / gran) * gran);
  const out: number[] = [];
  for (let left = total; left > 0 && out.length < threads; left -= per) {
    out.push(Math.min(per, left));
  }
  return out;
}

/**
 * Runs `fn` over `total` units in rounds on the pool: `load` copies a part
 * into a slot and returns the kernel's arguments, `store` copies it back.
 */
function pooled(
  pool: WasmPool,
  fn: string,
  total: number,
  max: number,
  gran: number,
  load: (slot: Slot, start: number, count: number) => number[],
  store: (slot: Slot, start: number, count: number) => void,
): void {
  const slots = pool.slots(pool.threads());
  for (let start = 0; start < total;) {
    const ps = parts(total - start, slots.length, max, gran);
    const args: number[][] = [];
    let at = start;
    ps.forEach((count, s) => {
      args.push(load(slots[s], at, count));
      at += count;
    });
    pool.run(fn, args);
    at = start;
    ps.forEach((count, s) => {
      store(slots[s], at, count);
      at += count;
    });
    start = at;
  }
}

// The generated kernels come in families of one signature each, found by
// their suffix at load time; relu's and add's stand for every entry's.
type Fwd = WasmModuleExports['relu_forward'];
type Bwd = WasmModuleExports['relu_backward'];
type Sum = WasmModuleExports['add_sum'];
type Map2 = WasmModuleExports['add_map'];
type BwdMap = WasmModuleExports['add_backward_a_map'];
type BwdScaled = WasmModuleExports['add_backward_a_scaled'];

/**
 * What the module exports (src/kernels/wasm/exports.generated.ts, from the
 * AssemblyScript's own declarations), indexable by name for the families above.
 */
export interface WasmExports extends WasmModuleExports {
  [kernel: string]: unknown;
}

/** Internal sizes a test may shrink to reach the paths of large inputs with small ones. */
export interface WasmTuning {
  /** Columns per chunk of a softmax or cross-entropy row longer than this (default TILE): a multiple of 16, at most TILE. */
  rowChunk?: number;
}

/**
 * The backend over one instance of the module. `relaxed` says whether `ex`
 * holds the relaxed-SIMD kernels (relaxed.ts); the GEMM uses the worker pool
 * only when the pool's instances hold the same build, so that splitting rows
 * between threads never changes a result.
 */
export function makeBackend(
  ex: WasmExports,
  tuning: WasmTuning = {},
  relaxed = false,
): KernelBackend {
  const gemmPool = (): WasmPool | null => {
    const p = activePool();
    return p && p.relaxed === relaxed ? p : null;
  };
  // First: it adds the GEMM's workspace to the memory, which detaches earlier views.
  const gemm = makeWasmGemm(ex, gemmPool);
  const tile = ex.TILE.value as number;
  const rowChunk = tuning.rowChunk ?? tile;
  if (rowChunk % 16 !== 0 || rowChunk < 16 || rowChunk > tile) {
    throw new Error(
      `nnkit wasm: rowChunk must be a multiple of 16 in [16, ${tile}], got ${rowChunk}`,
    );
  }
  const stride = (tile + 64) * 4;
  const base = ex.scratch();
  const ptr = [0, 1, 2, 3].map((k) => base + k * stride);
  const buf = ptr.map((p) => new Float32Array(ex.memory.buffer, p, tile + 64));
  const fwd = new Map<string, Fwd>();
  const bwd = new Map<string, Bwd>();
  for (const [key, fn] of Object.entries(ex)) {
    if (key.endsWith('_forward') && key !== 'softmax_forward') fwd.set(key.slice(0, -8), fn as Fwd);
    if (key.endsWith('_backward') && key !== 'softmax_backward')
      bwd.set(key.slice(0, -9), fn as Bwd);
  }
  const sums = new Map<string, Sum>();
  const scaled = new Map<string, BwdScaled>();
  const maps = new Map<string, Map2>();
  const bwdMaps = new Map<string, BwdMap>();
  for (const [key, fn] of Object.entries(ex)) {
    if (key.endsWith('_sum')) sums.set(key.slice(0, -4), fn as Sum);
    if (key.endsWith('_scaled')) scaled.set(key.slice(0, -7), fn as BwdScaled);
    if (key.endsWith('_backward_a_map') || key.endsWith('_backward_b_map'))
      bwdMaps.set(key.slice(0, -4), fn as BwdMap);
    else if (key.endsWith('_map')) maps.set(key.slice(0, -4), fn as Map2);
  }
  /** Whether a row of n elements read at `off` with `stride` (0 or 1) lies inside `arr`. */
  const inRow = (arr: Float32Array, off: number, stride: number, n: number): boolean =>
    off >= 0 && (stride === 0 || stride === 1) && off + (stride ? n : 1) <= arr.length;
  /** Copies elements [i, i + m) of a broadcast-row operand into a tile (a stride-0 operand fills it). */
  const operand = (
    tileBuf: Float32Array,
    src: Float32Array,
    off: number,
    stride: number,
    i: number,
    m: number,
  ): void => {
    if (stride) tileBuf.set(src.subarray(off + i, off + i + m));
    else tileBuf.fill(src[off], 0, m);
  };
  /**
   * A block of broadcast binary rows (the binaryForward/binaryBackward
   * arguments) through the tiles: a and b into tiles 0 and 1, dy (backward)
   * into 2, `run(m)` computes m elements into tile 3, copied out. Declines
   * short rows, other dtypes and operands the block would overrun.
   */
  const broadcastBlock = (
    k: {
      rows: number;
      n: number;
      out: Numbers;
      oo: number;
      a: Numbers;
      ao: number;
      ars: number;
      as: number;
      b: Numbers;
      bo: number;
      brs: number;
      bs: number;
      dy: Numbers | null;
    },
    run: (m: number) => void,
  ): boolean => {
    const { rows, n, out, a, b, dy } = k;
    if (n < BINARY_ROW_MIN || !(out instanceof Float32Array)) return false;
    if (!(a instanceof Float32Array) || !(b instanceof Float32Array)) return false;
    if (dy !== null && !(dy instanceof Float32Array)) return false;
    const last = rows - 1;
    if (!inRow(out, k.oo + last * n, 1, n) || (dy && !inRow(dy, k.oo + last * n, 1, n))) {
      return false;
    }
    if (!inRow(a, k.ao + last * k.ars, k.as, n) || !inRow(b, k.bo + last * k.brs, k.bs, n)) {
      return false;
    }
    for (let r = 0; r < rows; r++) {
      const o = k.oo + r * n;
      for (let i = 0; i < n; i += tile) {
        const m = Math.min(tile, n - i);
        operand(buf[0], a, k.ao + r * k.ars, k.as, i, m);
        operand(buf[1], b, k.bo + r * k.brs, k.bs, i, m);
        if (dy) buf[2].set(dy.subarray(o + i, o + i + m));
        run(m);
        out.set(buf[3].subarray(0, m), o + i);
      }
    }
    return true;
  };
  // The partial sums of a row's reductions (softmax, cross-entropy): 64
  // bytes in buffer 3's slack, which no kernel writes (buffer 3 holds the
  // cross-entropy's f64 pairs, at most TILE/2 of them, and nothing else).
  const rowAcc = ptr[3] + tile * 4;
  const rowScratch = { tile, rowChunk, ptr, buf, acc: rowAcc };
  const softmaxRows = makeSoftmaxRows(ex, rowScratch);
  const p3 = (p: Params): [number, number, number] => [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0];
  // The optimizer steps: the four buffers cut into OPTIM_ARRAYS tiles, each
  // with a vector of slack (the loop rounds n up to whole vectors).
  const optimRegion = Math.floor((4 * (tile + 64)) / OPTIM_ARRAYS / 16) * 16;
  const optimPtr = [...Array(OPTIM_ARRAYS).keys()].map((k) => base + k * optimRegion * 4);
  const optimBuf = optimPtr.map((p) => new Float32Array(ex.memory.buffer, p, optimRegion));
  const optim = wasmOptimKernels(ex, optimPtr, optimBuf, optimRegion - 16);
  // The random kernels: the MT19937 engine in buffer 0, the chunks of the
  // samples in buffers 1–3 taken as one region.
  const random = makeWasmRandom(ex, ptr[0], ptr[1], 3 * stride);

  const backend: KernelBackend = {
    name: 'wasm',
    unaryForward(name: string, n: number, out: Floats, x: Floats, p: Params): boolean {
      const f = fwd.get(name);
      if (!f || !(out instanceof Float32Array) || !(x instanceof Float32Array)) return false;
      const [a, b, c] = p3(p);
      const pool = poolFor(n, name);
      if (pool) {
        pooled(
          pool,
          `${name}_forward`,
          n,
          SLOT_TILE,
          16,
          ({ ptr, buf }, i, m) => {
            buf[0].set(x.subarray(i, i + m));
            return [m, ptr[1], ptr[0], a, b, c];
          },
          ({ buf }, i, m) => out.set(buf[1].subarray(0, m), i),
        );
        return true;
      }
      for (let i = 0; i < n; i += tile) {
        const m = Math.min(tile, n - i);
        buf[0].set(x.subarray(i, i + m));
        f(m, ptr[1], ptr[0], a, b, c);
        out.set(buf[1].subarray(0, m), i);
      }
      return true;
    },
    unaryBackward(name, n, dx, dy, x, y, p): boolean {
      const f = bwd.get(name);
      if (!f || !(dx instanceof Float32Array) || !(dy instanceof Float32Array)) return false;
      if ((x && !(x instanceof Float32Array)) || (y && !(y instanceof Float32Array))) return false;
      const [a, b, c] = p3(p);
      const pool = poolFor(n, name);
      if (pool) {
        pooled(
          pool,
          `${name}_backward`,
          n,
          SLOT_TILE,
          16,
          ({ ptr, buf }, i, m) => {
            buf[0].set(dy.subarray(i, i + m));
            if (x) buf[1].set(x.subarray(i, i + m));
            if (y) buf[2].set(y.subarray(i, i + m));
            return [m, ptr[3], ptr[0], ptr[1], ptr[2], a, b, c];
          },
          ({ buf }, i, m) => dx.set(buf[3].subarray(0, m), i),
        );
        return true;
      }
      for (let i = 0; i < n; i += tile) {
        const m = Math.min(tile, n - i);
        buf[0].set(dy.subarray(i, i + m));
        if (x) buf[1].set(x.subarray(i, i + m));
        if (y) buf[2].set(y.subarray(i, i + m));
        f(m, ptr[3], ptr[0], ptr[1], ptr[2], a, b, c);
        dx.set(buf[3].subarray(0, m), i);
      }
      return true;
    },
    binarySum(name, n, a, b, p): number | false {
      const f = sums.get(name);
      if (!f || !(a instanceof Float32Array) || !(b instanceof Float32Array)) return false;
      const [q0, q1, q2] = p3(p);
      let total = 0;
      for (let i = 0; i < n; i += tile) {
        const m = Math.min(tile, n - i);
        buf[0].set(a.subarray(i, i + m));
        buf[1].set(b.subarray(i, i + m));
        total += f(m, ptr[0], ptr[1], q0, q1, q2);
      }
      return total;
    },
    // Reductions over contiguous rows (inner = 1), streamed through tile 0;
    // partial results combine in order (sums in f64, NaN wins the extrema).
    reduceDim(kind, outer, size, inner, x, out): boolean {
      if (inner !== 1 || outer * size < REDUCE_MIN || size === 0) return false;
      if (!(x instanceof Float32Array) || !(out instanceof Float32Array)) return false;
      const k = kind === 'sum' ? 0 : kind === 'max' ? 1 : 2;
      for (let o = 0; o < outer; o++) {
        let r = k === 0 ? 0 : NaN;
        for (let i = 0; i < size; i += tile) {
          const m = Math.min(tile, size - i);
          buf[0].set(x.subarray(o * size + i, o * size + i + m));
          if (k === 0) {
            r += ex.sum_span(m, ptr[0]);
            continue;
          }
          const v = ex.extremum_span(k, m, ptr[0]);
          if (i === 0) r = v;
          else if (v !== v || r !== r) r = NaN;
          else r = k === 1 ? Math.max(r, v) : Math.min(r, v);
        }
        out[o] = r;
      }
      return true;
    },
    binaryForward(name, rows, n, out, oo, a, ao, ars, as, b, bo, brs, bs, p): boolean {
      const f = maps.get(name);
      if (!f) return false;
      const [q0, q1, q2] = p3(p);
      const blk = { rows, n, out, oo, a, ao, ars, as, b, bo, brs, bs, dy: null };
      return broadcastBlock(blk, (m) => f(m, ptr[3], ptr[0], ptr[1], q0, q1, q2));
    },
    binaryBackward(name, which, rows, n, out, oo, dy, a, ao, ars, as, b, bo, brs, bs, p): boolean {
      const f = bwdMaps.get(`${name}_backward_${which}`);
      if (!f) return false;
      const [q0, q1, q2] = p3(p);
      const blk = { rows, n, out, oo, a, ao, ars, as, b, bo, brs, bs, dy };
      return broadcastBlock(blk, (m) => f(m, ptr[3], ptr[0], ptr[1], ptr[2], q0, q1, q2));
    },
    binaryBackwardScaled(name, which, n, out, scale, a, b, p): boolean {
      const f = scaled.get(`${name}_backward_${which}`);
      if (!f || !(out instanceof Float32Array)) return false;
      if (!(a instanceof Float32Array) || !(b instanceof Float32Array)) return false;
      const [q0, q1, q2] = p3(p);
      for (let i = 0; i < n; i += tile) {
        const m = Math.min(tile, n - i);
        buf[0].set(a.subarray(i, i + m));
        buf[1].set(b.subarray(i, i + m));
        f(m, ptr[2], ptr[0], ptr[1], scale, q0, q1, q2);
        out.set(buf[2].subarray(0, m), i);
      }
      return true;
    },
    softmaxForward(log, outer, size, inner, out, x, scale): boolean {
      // Nothing to write: no row is walked (empty rows may come with 2^40 nominal ones).
      if (outer * size * inner === 0) return true;
      if (size === 0 || !(out instanceof Float32Array)) return false;
      if (!(x instanceof Float32Array)) return false;
      if (inner !== 1)
        return (
          size <= rowChunk && softmaxRows.stridedForward(log, outer, size, inner, out, x, scale)
        );
      if (size > rowChunk) return softmaxRows.wideForward(log, outer, size, out, x, scale);
      const pool = poolFor(outer * size);
      if (pool) {
        pooled(
          pool,
          'softmax_forward',
          outer,
          Math.floor(SLOT_TILE / size),
          1,
          ({ ptr, buf }, r, rows) => {
            buf[0].set(x.subarray(r * size, (r + rows) * size));
            return [log ? 1 : 0, rows, size, ptr[1], ptr[0], scale, ptr[3] + SLOT_TILE * 4];
          },
          ({ buf }, r, rows) => out.set(buf[1].subarray(0, rows * size), r * size),
        );
        return true;
      }
      const rowsPerTile = Math.floor(tile / size);
      for (let r = 0; r < outer; r += rowsPerTile) {
        const rows = Math.min(rowsPerTile, outer - r);
        const lo = r * size;
        const hi = lo + rows * size;
        buf[0].set(x.subarray(lo, hi));
        ex.softmax_forward(log ? 1 : 0, rows, size, ptr[1], ptr[0], scale, rowAcc);
        out.set(buf[1].subarray(0, hi - lo), lo);
      }
      return true;
    },
    softmaxBackward(log, outer, size, inner, dx, dy, y, scale): boolean {
      if (outer * size * inner === 0) return true;
      if (size === 0 || !(dx instanceof Float32Array)) return false;
      if (!(dy instanceof Float32Array) || !(y instanceof Float32Array)) return false;
      if (inner !== 1) {
        return (
          size <= rowChunk && softmaxRows.stridedBackward(log, outer, size, inner, dx, dy, y, scale)
        );
      }
      if (size > rowChunk) return softmaxRows.wideBackward(log, outer, size, dx, dy, y, scale);
      const pool = poolFor(outer * size);
      if (pool) {
        pooled(
          pool,
          'softmax_backward',
          outer,
          Math.floor(SLOT_TILE / size),
          1,
          ({ ptr, buf }, r, rows) => {
            buf[0].set(dy.subarray(r * size, (r + rows) * size));
            buf[1].set(y.subarray(r * size, (r + rows) * size));
            return [log ? 1 : 0, rows, size, ptr[2], ptr[0], ptr[1], scale, ptr[3] + SLOT_TILE * 4];
          },
          ({ buf }, r, rows) => dx.set(buf[2].subarray(0, rows * size), r * size),
        );
        return true;
      }
      const rowsPerTile = Math.floor(tile / size);
      for (let r = 0; r < outer; r += rowsPerTile) {
        const rows = Math.min(rowsPerTile, outer - r);
        const lo = r * size;
        const hi = lo + rows * size;
        buf[0].set(dy.subarray(lo, hi));
        buf[1].set(y.subarray(lo, hi));
        ex.softmax_backward(log ? 1 : 0, rows, size, ptr[2], ptr[0], ptr[1], scale, rowAcc);
        dx.set(buf[2].subarray(0, hi - lo), lo);
      }
      return true;
    },
    matmul: gemm.matmul,
    ...makeWasmCrossEntropy(ex, rowScratch),
    ...optim,
    ...makeWasmLinear(gemm),
    ...random,
    ...makeWasmWindows(ex, rowScratch),
    ...makeWasmBoxes(ex, rowScratch),
    ...makeWasmNorm(ex, rowScratch),
    ...makeWasmExtremum(ex, rowScratch),
    setNumThreads(n: number): void {
      if (!isNode) requestThreads(n);
    },
  };
  // Every kernel checks its arguments against the schema first: the copies into
  // wasm memory would otherwise truncate a short array silently.
  return { ...backend, ...checkedKernels('wasm', backend) };
}

const isNode =
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node ===
  'string';

let registeredRelaxed: boolean | null = null;

/**
 * Registers the backend over an instance of kernels.wasm (preferred over JS
 * unless the user chose), with the relaxed-SIMD kernels instantiated on its
 * memory in place of its own where the runtime has them (relaxed.ts).
 */
export function registerWasm(instance: WebAssembly.Instance, relaxed: RelaxedKernels | null): void {
  const own = instance.exports as unknown as WasmExports;
  // Every kernel the relaxed build exports replaces kernels.wasm's of that name.
  const ex: WasmExports = relaxed ? { ...own, ...relaxed, memory: own.memory } : own;
  registeredRelaxed = relaxed !== null;
  registerBackend(makeBackend(ex, {}, registeredRelaxed), true);
}

/**
 * Whether the wasm backend runs its matrix products (`matmul`, `nn.Linear`)
 * and optimizer steps with WebAssembly relaxed SIMD; null before the backend
 * is registered (await `wasmReady` first in browsers) or where WebAssembly
 * SIMD is missing.
 *
 * - `true`: the runtime accepts relaxed SIMD (Chromium 114+, Node 22+; Node
 *   20 with `--experimental-wasm-relaxed-simd`). On CPUs with FMA (x86-64
 *   with FMA3, ARM64) each multiply-add a·b + c is then fused, rounded once:
 *   the GEMM sums in the same order, and the optimizers round their
 *   multiply-adds once, as PyTorch and the native backend do. On x86-64 the
 *   products run about 1.2× faster and Adam's arithmetic about 2×.
 * - `false`: plain SIMD. The GEMM multiplies then adds, each rounded; the
 *   optimizers' multiply-adds are computed in float64 and rounded to float32,
 *   which differs from one rounding only when the float64 sum falls exactly
 *   between two floats.
 * @example
 * ```ts
 * import { wasmRelaxedSimd, wasmReady } from 'nnkit';
 * await wasmReady;
 * console.log(typeof wasmRelaxedSimd()); // boolean
 * ```
 */
export function wasmRelaxedSimd(): boolean | null {
  return registeredRelaxed;
}
