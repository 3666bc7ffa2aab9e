/**
 * Kernel backends and the dispatcher. Every kernel is declared once
 * (schema.ts → the generated `Kernels` interface); the JavaScript backend
 * implements all of them, native and wasm implement subsets. An op calls
 * `dispatch(kernel, ...args)`: the active backend runs it if it has it and
 * does not decline (return `false`), else the JavaScript backend does.
 *
 * The backends are registered by the package's entry files: the Node entry
 * loads the native addon and the wasm module read from disk, the browser
 * entry fetches the wasm module; the JavaScript backend is always here.
 */
import type { Kernels, KernelName } from './signatures.generated.js';
import { jsKernels } from './js/backend.js';
import { setBlockCopy } from '../tensor/strided.js';

/** A kernel backend: the native C++ addon (Node), WebAssembly SIMD, or plain JavaScript. */
export type BackendName = 'native' | 'wasm' | 'js';

/** A backend: its name, any subset of the kernels, and its thread control. */
export type KernelBackend = {
  readonly name: BackendName;
  setNumThreads?(n: number): void;
} & Partial<Kernels>;

/** What a kernel returns when it ran (a declining `false` excluded). */
type Ran<K extends KernelName> = Exclude<ReturnType<Kernels[K]>, false>;

/**
 * Runs kernel `name` on the active backend, or on the JavaScript backend if
 * the active one lacks it or declines the call.
 * For example, `dispatch('softmaxForward', false, rows, size, 1, out, x, 1)`
 * runs the softmax of `rows` rows of `size` logits from `x` into `out`.
 */
export function dispatch<K extends KernelName>(name: K, ...args: Parameters<Kernels[K]>): Ran<K> {
  const fn = active[name] as ((...a: Parameters<Kernels[K]>) => ReturnType<Kernels[K]>) | undefined;
  if (fn && active !== JS) {
    const r = fn.apply(active, args);
    if (r !== false) return r as Ran<K>;
  }
  return (jsKernels[name] as (...a: Parameters<Kernels[K]>) => ReturnType<Kernels[K]>)(
    ...args,
  ) as Ran<K>;
}

const JS: KernelBackend = { name: 'js', ...jsKernels };

// Views' `data` (tensor/strided.ts) copies through the active backend.
setBlockCopy((...args) => dispatch('stridedCopy', ...args));

const registry = new Map<BackendName, KernelBackend>([['js', JS]]);
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
 * @example
 * ```ts
 * import { getBackend, setBackend } from 'nnkit';
 * const before = getBackend();
 * setBackend('js');
 * console.log(getBackend()); // js
 * setBackend(before);
 * ```
 * @param name - `'native'`, `'wasm'` or `'js'`.
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
 * Passes a thread count to every backend. The public `setNumThreads`
 * (`src/threads.ts`) validates it first.
 *
 * @param n - The thread count, a positive integer.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`setNumThreads: n must be a positive integer, got ${n}`);
  }
  numThreads = n;
  for (const b of registry.values()) b.setNumThreads?.(n);
}

/**
 * The number of threads kernels may use, like `torch.get_num_threads()`.
 * @example
 * ```ts
 * import { getNumThreads } from 'nnkit';
 * console.log(getNumThreads() >= 1); // true
 * ```
 */
export function getNumThreads(): number {
  return numThreads;
}
