/**
 * Loads the native addon (`build/Release/nnkit.node`, built from native/ by
 * node-gyp at install time) and registers it as the `native` backend,
 * preferred over WebAssembly and JavaScript. In browsers, in Node without a
 * built addon, or with `NNKIT_NATIVE=0` in the environment, it does nothing.
 *
 * The addon's kernels write into the typed arrays they are given; it never
 * allocates memory visible to JavaScript.
 */
import { registerBackend, type KernelBackend } from '../backend.js';
import type { Floats, Numbers, Params } from '../js/types.js';
import type * as lossKernels from '../js/loss-kernels.js';

/** The addon's exports (native/addon.cc). Each kernel returns false when it declines. */
export interface NativeAddon {
  unaryForward(op: number, n: number, out: Floats, x: Floats, p: Params): boolean;
  unaryBackward(
    op: number,
    n: number,
    dx: Floats,
    dy: Floats,
    x: Floats | null,
    y: Floats | null,
    p: Params,
  ): boolean;
  softmaxForward(
    log: boolean,
    outer: number,
    size: number,
    inner: number,
    out: Floats,
    x: Floats,
    scale: number,
  ): boolean;
  softmaxBackward(
    log: boolean,
    outer: number,
    size: number,
    inner: number,
    dx: Floats,
    dy: Floats,
    y: Floats,
    scale: number,
  ): boolean;
  /** Same arguments as the JS kernel; returns the summed target weight, or false to decline. */
  crossEntropyForward(...args: Parameters<typeof lossKernels.crossEntropyForward>): number | false;
  crossEntropyBackward(...args: Parameters<typeof lossKernels.crossEntropyBackward>): boolean;
  /** Class-probability targets (inner = 1, target of the input's dtype); false to decline. */
  crossEntropyProbForward(...args: Parameters<typeof lossKernels.crossEntropyProbForward>): boolean;
  crossEntropyProbBackward(
    ...args: Parameters<typeof lossKernels.crossEntropyProbBackward>
  ): boolean;
  /** Any inner; returns the summed target weight, or false to decline (also for a target out of range). */
  nllForward(...args: Parameters<typeof lossKernels.nllForward>): number | false;
  nllBackward(...args: Parameters<typeof lossKernels.nllBackward>): boolean;
  /** Σ f(a, b) of binary entry `op` over `n` equal-dtype elements, or false to decline. */
  binarySum(op: number, n: number, a: Floats, b: Floats, p: Params): number | false;
  /** `out = ∂f/∂a (wrtA) or ∂f/∂b, times scale`. */
  binaryBackwardScaled(
    op: number,
    wrtA: boolean,
    n: number,
    out: Floats,
    scale: number,
    a: Floats,
    b: Floats,
    p: Params,
  ): boolean;
  /** One row of a broadcast binary op (see KernelBackend.binaryForward); false to decline. */
  binaryForward(
    op: number,
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
  binaryBackward(
    op: number,
    wrtA: boolean,
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
  /** The binary table entries (those with a gradient) in the addon's op-index order. */
  binaryOpNames(): string[];
  /** Sum (kind 0, in double), max (1) or min (2, NaN wins) over the middle of (outer, size, inner); false to decline. */
  reduceDim(
    kind: number,
    outer: number,
    size: number,
    inner: number,
    x: Numbers,
    out: Numbers,
  ): boolean;
  /** `c[m×n] = op(a) · op(b)` (see KernelBackend.matmul), one float dtype; false to decline. */
  matmul(
    m: number,
    k: number,
    n: number,
    a: Floats,
    b: Floats,
    c: Floats,
    transA?: boolean,
    transB?: boolean,
  ): boolean;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  /** The unary table entries in the addon's op-index order. */
  opNames(): string[];
  /** One elementary function (0 exp, 1 expm1, 2 log, 3 log1p, 4 tanh, 5 erf, 6 sqrt, 7 floor) over `x` (tests). */
  math(which: number, out: Floats, x: Floats): boolean;
  /** The instruction set in use: 'avx2' or 'baseline'. */
  isa(): string;
  /** Switches the instruction set (tests compare the two builds); false if unavailable. */
  useIsa(isa: string): boolean;
}

interface NodeProcess {
  versions?: { node?: string };
  env?: Record<string, string | undefined>;
  getBuiltinModule?: (id: string) => unknown;
}

type CreateRequire = (url: string) => (id: string) => unknown;

function loadAddon(): NativeAddon | null {
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (!proc?.versions?.node || !proc.getBuiltinModule) return null;
  if (proc.env?.NNKIT_NATIVE === '0') return null;
  try {
    const mod = proc.getBuiltinModule('node:module') as { createRequire: CreateRequire };
    const require = mod.createRequire(import.meta.url);
    // src/kernels/native/ and dist/kernels/native/ are both three levels below the package root.
    return require('../../../build/Release/nnkit.node') as NativeAddon;
  } catch {
    return null;
  }
}

/** The loaded addon, or null where it is unavailable (for tests and the benchmark). */
export const nativeAddon: NativeAddon | null = loadAddon();

const REDUCE_KINDS = { sum: 0, max: 1, min: 2 } as const;
/** Fewest elements a reduction must read for the addon to take it. */
const REDUCE_MIN = 4096;

/** Shortest broadcast row the addon takes (about the cost of one N-API call in JS loop steps). */
export const BINARY_ROW_MIN = 256;

function makeBackend(addon: NativeAddon): KernelBackend {
  const ops = new Map(addon.opNames().map((name, i) => [name, i]));
  const binaryOps = new Map(addon.binaryOpNames().map((name, i) => [name, i]));
  return {
    name: 'native',
    unaryForward(name, n, out, x, p) {
      const op = ops.get(name);
      return op !== undefined && addon.unaryForward(op, n, out, x, p);
    },
    unaryBackward(name, n, dx, dy, x, y, p) {
      const op = ops.get(name);
      return op !== undefined && addon.unaryBackward(op, n, dx, dy, x, y, p);
    },
    softmaxForward: (log, outer, size, inner, out, x, scale) =>
      addon.softmaxForward(log, outer, size, inner, out, x, scale),
    softmaxBackward: (log, outer, size, inner, dx, dy, y, scale) =>
      addon.softmaxBackward(log, outer, size, inner, dx, dy, y, scale),
    crossEntropyForward: (...args) => addon.crossEntropyForward(...args),
    crossEntropyBackward: (...args) => addon.crossEntropyBackward(...args) as true | false,
    crossEntropyProbForward: (...args) => addon.crossEntropyProbForward(...args) as true | false,
    crossEntropyProbBackward: (...args) => addon.crossEntropyProbBackward(...args) as true | false,
    nllForward: (...args) => addon.nllForward(...args),
    nllBackward: (...args) => addon.nllBackward(...args) as true | false,
    binarySum(name, n, a, b, p) {
      const op = binaryOps.get(name);
      return op === undefined ? false : addon.binarySum(op, n, a, b, p);
    },
    binaryBackwardScaled(name, which, n, out, scale, a, b, p) {
      const op = binaryOps.get(name);
      return (
        op !== undefined && addon.binaryBackwardScaled(op, which === 'a', n, out, scale, a, b, p)
      );
    },
    // Rows shorter than BINARY_ROW_MIN stay in JavaScript: the call costs more than the loop.
    binaryForward(name, n, out, oo, a, ao, as, b, bo, bs, p) {
      const op = binaryOps.get(name);
      return (
        op !== undefined &&
        n >= BINARY_ROW_MIN &&
        addon.binaryForward(op, n, out, oo, a, ao, as, b, bo, bs, p)
      );
    },
    binaryBackward(name, which, n, out, oo, dy, a, ao, as, b, bo, bs, p) {
      const op = binaryOps.get(name);
      return (
        op !== undefined &&
        n >= BINARY_ROW_MIN &&
        addon.binaryBackward(op, which === 'a', n, out, oo, dy, a, ao, as, b, bo, bs, p)
      );
    },
    // Small reductions stay in JavaScript: the call costs more than the loop.
    reduceDim: (kind, outer, size, inner, x, out) =>
      outer * size * inner >= REDUCE_MIN &&
      addon.reduceDim(REDUCE_KINDS[kind], outer, size, inner, x, out),
    matmul: (m, k, n, a, b, c, transA = false, transB = false) =>
      addon.matmul(m, k, n, a, b, c, transA, transB),
    setNumThreads: (n) => addon.setNumThreads(n),
  };
}

if (nativeAddon) registerBackend(makeBackend(nativeAddon), true);
