/**
 * Kernel backends. Every backend implements the same generated elementwise
 * kernels (and, where it has them, the fused softmax and loss kernels); an
 * op asks the active backend first and falls back to the JavaScript kernels
 * for anything the backend lacks, so every backend is always complete.
 */
import type { Floats, Numbers, Params } from './js/types.js';
import { unaryKernels as jsUnary } from './js/elementwise.generated.js';
import type * as lossKernels from './js/loss-kernels.js';

/**
 * A backend's version of a fused loss kernel from `js/loss-kernels.ts`: the
 * same arguments; it returns what the JS kernel returns (the total weight for
 * forward kernels), or `false` to decline; backward hooks return `true` when done.
 */
export type LossKernelHook<F extends (...args: never[]) => unknown> = (
  ...args: Parameters<F>
) => (ReturnType<F> extends void ? true : ReturnType<F>) | false;

export type BackendName = 'native' | 'wasm' | 'js';

/** What a non-JS backend can take over. Each method returns false if it declines (unsupported dtype, size, op). */
export interface KernelBackend {
  readonly name: BackendName;
  unaryForward?(name: string, n: number, out: Floats, x: Floats, p: Params): boolean;
  unaryBackward?(
    name: string,
    n: number,
    dx: Floats,
    dy: Floats,
    x: Floats | null,
    y: Floats | null,
    p: Params,
  ): boolean;
  /** Softmax-family forward over (outer, size, inner) layout; `log` selects logSoftmax. */
  softmaxForward?(
    log: boolean,
    outer: number,
    size: number,
    inner: number,
    out: Floats,
    x: Floats,
    scale: number,
  ): boolean;
  softmaxBackward?(
    log: boolean,
    outer: number,
    size: number,
    inner: number,
    dx: Floats,
    dy: Floats,
    y: Floats,
    scale: number,
  ): boolean;
  /** Fused cross-entropy / NLL kernels (issue 3); contracts in `js/loss-kernels.ts`. */
  crossEntropyForward?: LossKernelHook<typeof lossKernels.crossEntropyForward>;
  crossEntropyBackward?: LossKernelHook<typeof lossKernels.crossEntropyBackward>;
  crossEntropyProbForward?: LossKernelHook<typeof lossKernels.crossEntropyProbForward>;
  crossEntropyProbBackward?: LossKernelHook<typeof lossKernels.crossEntropyProbBackward>;
  nllForward?: LossKernelHook<typeof lossKernels.nllForward>;
  nllBackward?: LossKernelHook<typeof lossKernels.nllBackward>;
  /** Σ f(a, b) of a binary table entry over equal-shaped operands (a fused loss reduction); `false` to decline. */
  binarySum?(name: string, n: number, a: Floats, b: Floats, p: Params): number | false;
  /** `out = ∂f/∂a (or ∂b) · scale` for the fused reduction's gradient; `false` to decline. */
  binaryBackwardScaled?(
    name: string,
    which: 'a' | 'b',
    n: number,
    out: Floats,
    scale: number,
    a: Floats,
    b: Floats,
    p: Params,
  ): boolean;
  /**
   * One row of a broadcast binary table entry, as the JS kernels take it:
   * `out[outOff + i] = f(a[aOff + i·aStride], b[bOff + i·bStride])` for
   * `i < n`, strides 0 or 1; `false` to decline.
   */
  binaryForward?(
    name: string,
    n: number,
    out: Numbers,
    outOff: number,
    a: Numbers,
    aOff: number,
    aStride: number,
    b: Numbers,
    bOff: number,
    bStride: number,
    p: Params,
  ): boolean;
  /** `out[outOff + i] = ∂f/∂a (or ∂b) · dy[outOff + i]` over one such row; `false` to decline. */
  binaryBackward?(
    name: string,
    which: 'a' | 'b',
    n: number,
    out: Floats,
    outOff: number,
    dy: Floats,
    a: Numbers,
    aOff: number,
    aStride: number,
    b: Numbers,
    bOff: number,
    bStride: number,
    p: Params,
  ): boolean;
  /**
   * Reduces the middle dimension of an (outer, size, inner) layout into
   * `out[outer·inner]`: the sum accumulated in float64, or the maximum or
   * minimum with NaN winning; `false` to decline.
   */
  reduceDim?(
    kind: 'sum' | 'max' | 'min',
    outer: number,
    size: number,
    inner: number,
    x: Numbers,
    out: Numbers,
  ): boolean;
  /**
   * `c[m×n] = op(a) · op(b)` (row-major, contiguous, `c` overwritten) for
   * operands of one floating dtype, where op(a) is `a[m×k]`, or with `transA`
   * the transpose of `a` stored as `[k×m]` (likewise `b`: `[k×n]`, or `[n×k]`
   * with `transB`); `false` to decline.
   */
  matmul?(
    m: number,
    k: number,
    n: number,
    a: Floats,
    b: Floats,
    c: Floats,
    transA?: boolean,
    transB?: boolean,
  ): boolean;
  setNumThreads?(n: number): void;
}

const registry = new Map<BackendName, KernelBackend>([['js', { name: 'js' }]]);
let active: KernelBackend = registry.get('js') as KernelBackend;
let explicitlyChosen = false;
let numThreads = 1;

const PREFERENCE: Record<BackendName, number> = { js: 0, wasm: 1, native: 2 };

/**
 * Makes a backend available (called by the native and wasm loaders). Unless
 * the user chose one with `setBackend`, the most preferred registered backend
 * with `preferIfAuto` is active: native, then wasm, then js, whatever the
 * order in which the loaders run.
 */
export function registerBackend(backend: KernelBackend, preferIfAuto: boolean): void {
  registry.set(backend.name, backend);
  backend.setNumThreads?.(numThreads);
  if (preferIfAuto && !explicitlyChosen && PREFERENCE[backend.name] >= PREFERENCE[active.name]) {
    active = backend;
  }
}

/** The backends available on this platform. */
export function availableBackends(): BackendName[] {
  return (['native', 'wasm', 'js'] as const).filter((n) => registry.has(n));
}

/**
 * Selects the kernel backend: `'native'` (C++ addon, Node), `'wasm'`
 * (WebAssembly SIMD) or `'js'`. Throws if it is not available here.
 * @example setBackend('js');
 */
export function setBackend(name: BackendName): void {
  const b = registry.get(name);
  if (!b) {
    throw new Error(
      `setBackend: backend '${name}' is not available here (available: ${availableBackends().join(', ')})`,
    );
  }
  active = b;
  explicitlyChosen = true;
  b.setNumThreads?.(numThreads);
}

/** The name of the active kernel backend. */
export function getBackend(): BackendName {
  return active.name;
}

/** Whether the program has chosen a backend with `setBackend` (internal: the loaders' notice). */
export function backendChosenExplicitly(): boolean {
  return explicitlyChosen;
}

/** The active backend object (internal). */
export function activeBackend(): KernelBackend {
  return active;
}

/**
 * Sets the number of threads kernels may use, like `torch.set_num_threads`.
 * @example setNumThreads(2);
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`setNumThreads: n must be a positive integer, got ${n}`);
  }
  numThreads = n;
  for (const b of registry.values()) b.setNumThreads?.(n);
}

/** The number of threads kernels may use. */
export function getNumThreads(): number {
  return numThreads;
}

/** Runs a table entry's forward kernel on the active backend, falling back to JS. */
export function runUnaryForward(name: string, n: number, out: Floats, x: Floats, p: Params): void {
  if (active.unaryForward?.(name, n, out, x, p)) return;
  const k = jsUnary[name];
  (out instanceof Float32Array ? k.forward.float32 : k.forward.float64)(n, out, x, p);
}

/** Runs a table entry's backward kernel on the active backend, falling back to JS. */
export function runUnaryBackward(
  name: string,
  n: number,
  dx: Floats,
  dy: Floats,
  x: Floats | null,
  y: Floats | null,
  p: Params,
): void {
  if (active.unaryBackward?.(name, n, dx, dy, x, y, p)) return;
  const k = jsUnary[name].backward;
  if (!k) throw new Error(`nnkit: ${name} has no gradient`);
  // The generated kernel only reads the arrays its formula uses.
  (dx instanceof Float32Array ? k.float32 : k.float64)(n, dx, dy, x ?? dx, y ?? dx, p);
}
