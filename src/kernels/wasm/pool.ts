/**
 * The wasm backend's worker pool, for browsers whose page is cross-origin
 * isolated (`crossOriginIsolated`, SharedArrayBuffer, Worker): the module's
 * shared-memory variant (kernels-shared.wasm, an asset beside this file) is
 * fetched and compiled only on the first `setNumThreads(n > 1)` in such a
 * page, then instantiated once on the main thread and once in each dedicated
 * worker, all on one shared WebAssembly.Memory, each with the relaxed-SIMD
 * gemm_block where the browser has relaxed SIMD (relaxed.ts), as the
 * single-threaded backend has. Workers are created then and
 * reused; their code is a Blob URL, so no worker file or bundler
 * configuration is needed.
 *
 * Each thread owns a slot of four tile buffers in the shared memory. Workers
 * cannot see the caller's typed arrays, so the main thread copies every
 * slot's inputs in, signals the workers (Atomics.store + notify; they sleep in
 * Atomics.wait), computes slot 0 itself, spins on Atomics.load until the
 * workers are done (the main thread may not Atomics.wait) and copies the
 * outputs back. Only the compute runs in parallel, which pays for
 * transcendental kernels; callers keep cheap kernels single-threaded.
 *
 * Anything that fails (no isolation, a worker that does not start, a worker
 * that stops answering) leaves or puts the backend on its single-threaded
 * path; results are bit-identical either way (the same kernels, per element
 * or per row).
 */
import { compileUrl } from './fetch.js';
import { relaxedPoolModule } from './relaxed.js';

/** Elements per tile buffer in a thread's slot. */
export const SLOT_TILE = 65536;
const SLOT_FLOATS = SLOT_TILE + 64; // slack: the last vector may run over
const SLOT_BYTES = 4 * SLOT_FLOATS * 4;
/** The module's own data and scratch live below 8 pages (its --initialMemory). */
const BASE = 8 * 65536;
const PAGE = 65536;
/** The module's --maximumMemory (scripts/codegen/emit-as.ts WASM_SHARED_MAX_PAGES). */
const MAX_PAGES = 256;
export const MAX_THREADS = Math.min(16, Math.floor(((MAX_PAGES - 8) * PAGE) / SLOT_BYTES));
const CTL = 4; // Int32 words per worker: seq, done, function index, argc
const ARGS = 12; // Float64 arguments per worker (gemm_block takes 12)
/** A worker that takes longer than this on one tile is given up on. */
const STALL_MS = 10_000;

type Fn = (...args: number[]) => unknown;

const WORKER_SOURCE = `
onmessage = (e) => {
  const d = e.data;
  let ex, relaxed = {};
  try {
    ex = new WebAssembly.Instance(d.module, { env: { memory: d.memory } }).exports;
    if (d.relaxed) relaxed = new WebAssembly.Instance(d.relaxed, { env: { memory: d.memory } }).exports;
  } catch (err) {
    postMessage('failed: ' + err);
    return;
  }
  const fns = d.names.map((k) => relaxed[k] ?? ex[k]);
  const ctl = new Int32Array(d.ctl);
  const args = new Float64Array(d.args);
  const b = d.index * ${CTL};
  const a0 = d.index * ${ARGS};
  postMessage('ready');
  let seen = 0;
  for (;;) {
    Atomics.wait(ctl, b, seen);
    const seq = Atomics.load(ctl, b);
    if (seq === seen) continue;
    seen = seq;
    const f = ctl[b + 2];
    if (f < 0) break;
    const v = [];
    for (let i = 0; i < ctl[b + 3]; i++) v.push(args[a0 + i]);
    fns[f](...v);
    Atomics.store(ctl, b + 1, seq);
  }
  close();
};
`;

/** Whether this is a browser page where the pool can work. */
export function poolSupported(): boolean {
  const g = globalThis as {
    crossOriginIsolated?: boolean;
    process?: { versions?: { node?: string } };
  };
  return (
    typeof g.process?.versions?.node !== 'string' &&
    g.crossOriginIsolated === true &&
    typeof SharedArrayBuffer === 'function' &&
    typeof Worker === 'function' &&
    typeof Blob === 'function' &&
    typeof URL?.createObjectURL === 'function' &&
    typeof WebAssembly === 'object'
  );
}

/** One thread's slot: four tile buffers and their addresses. */
export interface Slot {
  readonly ptr: readonly number[];
  readonly buf: readonly Float32Array[];
}

/** Introspection: workers started and ready, and tiles run on them. */
export interface WasmPoolStats {
  /** Workers that are ready (0 without a pool). */
  workers: number;
  /** Threads a kernel uses now: 1 + workers in use, per `setNumThreads`. */
  threads: number;
  /** Parallel dispatches so far (each runs one tile per thread). */
  dispatches: number;
}

export class WasmPool {
  private readonly memory: WebAssembly.Memory;
  private readonly ctl: Int32Array<SharedArrayBuffer>;
  private readonly args: Float64Array<SharedArrayBuffer>;
  private readonly fns: Fn[];
  private readonly index = new Map<string, number>();
  private readonly names: string[];
  private readonly workers: Worker[] = [];
  private readonly ready: boolean[] = [];
  private readonly slotList: Slot[] = [];
  private readonly seq: number[] = [];
  private wanted = 1;
  private broken = false;
  private pending: Promise<unknown> = Promise.resolve();
  dispatches = 0;

  /** Whether every thread's instance runs the relaxed-SIMD gemm_block (where the browser has it). */
  readonly relaxed: boolean;

  private constructor(
    private readonly module: WebAssembly.Module,
    instance: WebAssembly.Instance,
    memory: WebAssembly.Memory,
    private readonly relaxedModule: WebAssembly.Module | null,
    relaxedInstance: WebAssembly.Instance | null,
  ) {
    this.relaxed = relaxedInstance !== null;
    this.memory = memory;
    this.ctl = new Int32Array(new SharedArrayBuffer(MAX_THREADS * CTL * 4));
    this.args = new Float64Array(new SharedArrayBuffer(MAX_THREADS * ARGS * 8));
    const ex = instance.exports as Record<string, unknown>;
    this.names = WebAssembly.Module.exports(module)
      .filter((d) => d.kind === 'function')
      .map((d) => d.name);
    // The relaxed build's kernels replace the module's of the same name.
    const relaxedEx = (relaxedInstance?.exports ?? {}) as Record<string, unknown>;
    this.fns = this.names.map((k) => (relaxedEx[k] ?? ex[k]) as Fn);
    this.names.forEach((k, i) => this.index.set(k, i));
  }

  static async create(): Promise<WasmPool> {
    // Written out here (not passed in) so that bundlers see the asset reference.
    const module = await compileUrl(new URL('./kernels-shared.wasm', import.meta.url));
    const memory = new WebAssembly.Memory({
      initial: 8 + Math.ceil((2 * SLOT_BYTES) / PAGE),
      maximum: MAX_PAGES,
      shared: true,
    });
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    const relaxed = await relaxedPoolModule();
    const relaxedInstance = relaxed
      ? await WebAssembly.instantiate(relaxed, { env: { memory } }).catch(() => null)
      : null;
    return new WasmPool(module, instance, memory, relaxedInstance && relaxed, relaxedInstance);
  }

  /** Asks for `n` threads in all (workers are started as needed, never stopped). */
  setThreads(n: number): Promise<unknown> {
    if (this.broken) return this.pending;
    this.wanted = Math.max(1, Math.min(n, MAX_THREADS));
    const need = this.wanted - 1;
    const starts: Promise<void>[] = [];
    for (let w = this.workers.length; w < need; w++) starts.push(this.startWorker(w));
    if (starts.length) this.pending = Promise.all([this.pending, ...starts]);
    return this.pending;
  }

  private slot(s: number): Slot {
    while (this.slotList.length <= s) {
      const k = this.slotList.length;
      const lo = BASE + k * SLOT_BYTES;
      const pages = Math.ceil((lo + SLOT_BYTES) / PAGE);
      const have = this.memory.buffer.byteLength / PAGE;
      if (pages > have) this.memory.grow(pages - have);
      const ptr = [0, 1, 2, 3].map((j) => lo + j * SLOT_FLOATS * 4);
      const buf = ptr.map((p) => new Float32Array(this.memory.buffer, p, SLOT_FLOATS));
      this.slotList.push({ ptr, buf });
    }
    return this.slotList[s];
  }

  private startWorker(w: number): Promise<void> {
    this.ready[w] = false;
    this.seq[w] = 0;
    this.slot(w + 1);
    const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
    let worker: Worker;
    try {
      worker = new Worker(url);
    } catch {
      URL.revokeObjectURL(url);
      this.broken = true;
      return Promise.resolve();
    }
    this.workers[w] = worker;
    return new Promise<void>((resolve) => {
      worker.onerror = () => {
        URL.revokeObjectURL(url);
        this.broken = true;
        resolve();
      };
      worker.onmessage = (e: MessageEvent<unknown>) => {
        URL.revokeObjectURL(url);
        if (e.data === 'ready') this.ready[w] = true;
        else this.broken = true;
        resolve();
      };
      worker.postMessage({
        module: this.module,
        memory: this.memory,
        ctl: this.ctl.buffer,
        args: this.args.buffer,
        index: w,
        names: this.names,
        relaxed: this.relaxedModule,
      });
    });
  }

  /** Threads usable now: the main thread plus the ready workers, up to the wanted count. */
  threads(): number {
    if (this.broken) return 1;
    let t = 1;
    while (t < this.wanted && this.ready[t - 1]) t++;
    return t;
  }

  stats(): WasmPoolStats {
    return {
      workers: this.ready.filter(Boolean).length,
      threads: this.threads(),
      dispatches: this.dispatches,
    };
  }

  has(fn: string): boolean {
    return this.index.has(fn);
  }

  /** Slots the shared memory can hold (threads plus any slot a kernel uses for shared data). */
  maxSlots(): number {
    return MAX_THREADS;
  }

  /** Runs `fn(...args)` on the main thread's instance only (no dispatch). */
  call(fn: string, args: number[]): void {
    const f = this.index.get(fn);
    if (f === undefined) throw new Error(`nnkit wasm pool: no kernel ${fn}`);
    this.fns[f](...args);
  }

  /** The slots of the first `threads` threads (slot 0 is the main thread's). */
  slots(threads: number): Slot[] {
    return Array.from({ length: threads }, (_, s) => this.slot(s));
  }

  /**
   * Runs `fn(...args[s])` for every slot s: slot 0 here, the others on the
   * workers, and returns when all are done. A worker that stalls is given up
   * on (its tile is computed here) and the pool is not used again.
   */
  run(fn: string, args: number[][]): void {
    const f = this.index.get(fn);
    if (f === undefined) throw new Error(`nnkit wasm pool: no kernel ${fn}`);
    const ctl = this.ctl;
    for (let s = 1; s < args.length; s++) {
      const w = s - 1;
      const b = w * CTL;
      const a = args[s];
      ctl[b + 2] = f;
      ctl[b + 3] = a.length;
      this.args.set(a, w * ARGS);
      this.seq[w] = (this.seq[w] + 1) | 0 || 1;
      Atomics.store(ctl, b, this.seq[w]);
      Atomics.notify(ctl, b);
    }
    this.fns[f](...args[0]);
    this.dispatches++;
    for (let s = 1; s < args.length; s++) {
      const w = s - 1;
      const b = w * CTL;
      const want = this.seq[w];
      let spins = 0;
      const t0 = performance.now();
      while (Atomics.load(ctl, b + 1) !== want) {
        if (++spins % 4096 === 0 && performance.now() - t0 > STALL_MS) {
          this.broken = true;
          this.fns[f](...args[s]);
          break;
        }
      }
    }
  }
}

let pool: WasmPool | null = null;
let creating: Promise<WasmPool | null> | null = null;
let requested = 1;
let ready: Promise<unknown> = Promise.resolve();

/** Called by the wasm backend's setNumThreads hook (browsers only). */
export function requestThreads(n: number): void {
  requested = n;
  if (n <= 1 && !pool) return;
  if (!poolSupported()) return;
  if (!creating) {
    creating = WasmPool.create().catch(() => null);
  }
  ready = creating.then((p) => {
    pool = p;
    return p?.setThreads(requested);
  });
}

/** The pool when more than one thread can be used right now, else null. */
export function activePool(): WasmPool | null {
  return pool && requested > 1 && pool.threads() > 1 ? pool : null;
}

/**
 * Resolves, once the workers asked for by the last `setNumThreads` have
 * started (or failed to), to the pool's statistics.
 * @example
 * ```ts
 * import { wasmThreadPool } from 'nnkit';
 * const { workers, threads } = await wasmThreadPool();
 * console.log(threads >= 1, workers >= 0); // true true
 * ```
 */
export async function wasmThreadPool(): Promise<WasmPoolStats> {
  await ready;
  await ready; // a setNumThreads while waiting
  return pool ? pool.stats() : { workers: 0, threads: 1, dispatches: 0 };
}
