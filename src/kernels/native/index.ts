/**
 * Loads the native addon and registers it as the `native` backend, preferred
 * over WebAssembly and JavaScript. Node-only (the browser entry never imports
 * this file).
 *
 * The binary is found by node-gyp-build, in this order: `build/Release/`
 * (built from source by `npm rebuild nnkit` or in a clone by `npm ci`), then
 * `prebuilds/<platform>-<arch>/` (shipped in the package: linux-x64 with
 * glibc, a Node-API binary that serves every Node version nnkit supports,
 * with AVX2+FMA kernels or the portable ones chosen at run time).
 * `NNKIT_NATIVE=0` in the environment skips it.
 *
 * When it cannot load, nnkit runs on WebAssembly (or JS) and prints one
 * warning saying so and how to get the addon (see `noticeText`), unless
 * `NNKIT_SILENT=1` is set or the program chose a backend with `setBackend`
 * before the current tick ended.
 *
 * The addon's kernels write into the typed arrays they are given; it never
 * allocates memory visible to JavaScript.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  backendChosenExplicitly,
  getBackend,
  registerBackend,
  type KernelBackend,
} from '../backend.js';
import type { Floats } from '../js/types.js';
import { setLargeBufferAdvice } from '../../tensor/dtype.js';
import { nativeKernels, type NativeKernels } from '../signatures.generated.js';

/**
 * The addon's exports (native/addon.cc): the kernels of the schema (each
 * returns false when it declines; arguments that break the schema's contract
 * throw) and its own controls.
 */
export interface NativeAddon extends NativeKernels {
  setNumThreads(n: number): void;
  getNumThreads(): number;
  /**
   * How long a pool worker spins between jobs before it sleeps, in µs: 1000, 0 with
   * `OMP_WAIT_POLICY=passive` or more threads than CPUs, 100000 with `OMP_WAIT_POLICY=active`
   * (read at each `setNumThreads`).
   */
  poolSpinMicros(): number;
  /** The unary table entries in the addon's op-index order. */
  opNames(): string[];
  /** The binary table entries (those with a gradient) in the addon's op-index order. */
  binaryOpNames(): string[];
  /** One elementary function (0 exp, 1 expm1, 2 log, 3 log1p, 4 tanh, 5 erf, 6 sqrt, 7 floor) over `x` (tests). */
  math(which: number, out: Floats, x: Floats): boolean;
  /** The instruction set in use: 'avx512' (AVX2 kernels with the AVX-512 matrix product, softmax rows and float32 transcendental activations), 'avx2' or 'baseline'. */
  isa(): string;
  /** The instruction sets this CPU can run, best first (the first is the default). */
  isas(): string[];
  /** Switches the instruction set (tests compare the builds); false if this CPU cannot run it. */
  useIsa(isa: string): boolean;
  /** Asks Linux for transparent huge pages under the whole 2 MB pages of an untouched buffer; false where it did not. */
  adviseHugePages(buffer: ArrayBuffer): boolean;
}

/** Why the addon is or is not loaded. */
export type NativeStatus =
  | { readonly loaded: true; readonly path: string }
  | {
      readonly loaded: false;
      /** `disabled`: NNKIT_NATIVE=0; `missing`: no binary for this platform; `failed`: it did not load. */
      readonly reason: 'disabled' | 'missing' | 'failed';
      readonly detail: string;
    };

/** node-gyp-build's loader: `load(dir)` requires the best binary for this runtime, `load.resolve(dir)` finds it. */
interface NodeGypBuild {
  (dir: string): unknown;
  resolve(dir: string): string;
}

const require = createRequire(import.meta.url);
/** src/kernels/native/ and dist/kernels/native/ are both three levels below the package root. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function loadAddon(): { addon: NativeAddon | null; status: NativeStatus } {
  if (process.env.NNKIT_NATIVE === '0') {
    return { addon: null, status: { loaded: false, reason: 'disabled', detail: 'NNKIT_NATIVE=0' } };
  }
  let path: string;
  try {
    path = (require('node-gyp-build') as NodeGypBuild).resolve(ROOT);
  } catch (e) {
    return { addon: null, status: { loaded: false, reason: 'missing', detail: firstLine(e) } };
  }
  try {
    return { addon: require(path) as NativeAddon, status: { loaded: true, path } };
  } catch (e) {
    return { addon: null, status: { loaded: false, reason: 'failed', detail: firstLine(e) } };
  }
}

const firstLine = (e: unknown): string =>
  (e instanceof Error ? e.message : String(e)).split('\n')[0].trim();

const loaded = loadAddon();

/** The loaded addon, or null where it is unavailable (for tests and the benchmark). */
export const nativeAddon: NativeAddon | null = loaded.addon;

/** Whether the addon loaded, from where, or why not. */
export const nativeStatus: NativeStatus = loaded.status;

const BACKEND_WORDS = { native: 'the native addon', wasm: 'WebAssembly', js: 'plain JavaScript' };

/**
 * The one-line notice printed when the addon could not load: which backend
 * runs instead, and what would give the native one.
 */
export function noticeText(status: NativeStatus, running: 'native' | 'wasm' | 'js'): string {
  const where = `${process.platform}-${process.arch}`;
  const why =
    status.loaded || status.reason === 'disabled'
      ? ''
      : status.reason === 'missing'
        ? `no native addon for ${where} (nnkit ships a prebuilt one for linux-x64 with glibc only, and none was built from source here)`
        : `the native addon failed to load (${status.detail})`;
  return (
    `nnkit: ${why}, so it runs on ${BACKEND_WORDS[running]} (${running === 'wasm' ? 'about 3×' : 'many times'} slower). ` +
    'To build the addon from source, run `npm rebuild nnkit` with install scripts allowed ' +
    'and a C++ toolchain (g++ or clang, make, python3). ' +
    'Set NNKIT_SILENT=1, or call setBackend() first, to hide this notice.'
  );
}

/** Fewest elements a reduction must read for the addon to take it. */
const REDUCE_MIN = 4096;

/** Fewest elements a strided copy must move for the addon to take it. */
const COPY_MIN = 4096;

/** Fewest elements of a broadcast binary call the addon takes (about the cost of one N-API call in JS loop steps). */
export const BINARY_ROW_MIN = 256;

/**
 * Fewest elements (over all its tensors) an optimizer step must update for
 * the addon to take it: below, the N-API call and the parsing of its lists
 * (about 1 µs plus 0.1 µs per array) cost more than the JS loops save.
 */
export const OPTIM_NATIVE_MIN = 2048;

/** The elements of the first `tensors` arrays of a list. */
function elements(list: readonly Floats[], tensors: number): number {
  let n = 0;
  for (let t = 0; t < tensors && t < list.length; t++) n += list[t].length;
  return n;
}

/**
 * The `native` backend over an addon's exports: the schema's kernels, with
 * the calls too small to pay for the addon left to JavaScript. Exported for
 * bench/train/kernels.ts, which registers it over a timing wrapper of the addon.
 */
export function makeBackend(addon: NativeAddon): KernelBackend {
  const k = nativeKernels(addon, {
    unary: new Map(addon.opNames().map((name, i) => [name, i])),
    binary: new Map(addon.binaryOpNames().map((name, i) => [name, i])),
  });
  return {
    name: 'native',
    ...k,
    // Short rows and small reductions stay in JavaScript: the call costs more than the loop.
    binaryForward: (op, rows, n, ...rest) =>
      rows * n >= BINARY_ROW_MIN && k.binaryForward(op, rows, n, ...rest),
    binaryBackward: (op, which, rows, n, ...rest) =>
      rows * n >= BINARY_ROW_MIN && k.binaryBackward(op, which, rows, n, ...rest),
    stridedCopy: (d0, d1, d2, ...rest) =>
      d0 * d1 * d2 >= COPY_MIN && k.stridedCopy(d0, d1, d2, ...rest),
    reduceDim: (kind, outer, size, inner, x, out) =>
      outer * size * inner >= REDUCE_MIN && k.reduceDim(kind, outer, size, inner, x, out),
    // Small optimizer steps stay in JavaScript.
    sgdStep: (t, p, ...rest) => elements(p, t) >= OPTIM_NATIVE_MIN && k.sgdStep(t, p, ...rest),
    adamStep: (t, p, ...rest) => elements(p, t) >= OPTIM_NATIVE_MIN && k.adamStep(t, p, ...rest),
    adamwStep: (t, p, ...rest) => elements(p, t) >= OPTIM_NATIVE_MIN && k.adamwStep(t, p, ...rest),
    rmspropStep: (t, p, ...rest) =>
      elements(p, t) >= OPTIM_NATIVE_MIN && k.rmspropStep(t, p, ...rest),
    setNumThreads: (n) => addon.setNumThreads(n),
  };
}

if (nativeAddon) {
  registerBackend(makeBackend(nativeAddon), true);
  // Large tensors on huge pages, whichever backend computes (setLargeBufferAdvice).
  const addon = nativeAddon;
  setLargeBufferAdvice((buf) => addon.adviseHugePages(buf));
} else if (
  !nativeStatus.loaded &&
  nativeStatus.reason !== 'disabled' &&
  process.env.NNKIT_SILENT !== '1'
) {
  // After the importing module has run: a program that picks its backend
  // right after the import has made its choice and needs no notice.
  setImmediate(() => {
    if (backendChosenExplicitly()) return;
    process.emitWarning(noticeText(nativeStatus, getBackend()), { code: 'NNKIT_NO_NATIVE' });
  });
}
