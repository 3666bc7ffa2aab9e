/**
 * Calls of every declared kernel with two or more sizes where the sizes
 * multiply to 0 but some of them are huge: the kernel has (next to) nothing
 * to write, yet a loop over the nominal rows or planes would run 2^40 times.
 * Each case names the kernel's size arguments; the variants put one huge
 * size (2^40) beside a 0, or two (2^20 each) beside a 0, with every other size
 * 1 (or, for one huge size, 0), and keep those whose arrays (their lengths from the schema's
 * expressions) are at most 2^22 long. test/kernels-nominal-all.test.ts runs them on
 * every backend.
 */
import { KERNELS, type Arg, type KernelName } from '../../src/kernels/schema.js';

/** How one kernel's nominal calls are formed. */
export interface NominalCase {
  /** The count arguments that are sizes (the others are offsets and strides, 0 unless fixed). */
  readonly sizes: readonly string[];
  /** Values of other arguments (enums, ops, geometry a size does not set). */
  readonly fixed?: Readonly<Record<string, unknown>>;
  /** Arguments that follow from the sizes (the strides of a contiguous output). */
  readonly derive?: (s: Readonly<Record<string, number>>) => Readonly<Record<string, number>>;
  /** Whether the sizes make a call the op could make (indices in range). */
  readonly valid?: (s: Readonly<Record<string, number>>) => boolean;
}

const LOSS = {
  sizes: ['outer', 'C', 'inner'],
  fixed: { ignoreIndex: -100, labelSmoothing: 0 },
} as const;
const SHARED_LAYOUT = ['outer', 'size', 'inner'] as const;
const WINDOW = {
  sizes: ['batch', 'channels', 'h', 'w', 'kh', 'kw', 'oh', 'ow'],
  fixed: { sh: 1, sw: 1, dh: 1, dw: 1 },
  // The addon refuses window geometry from 2^31 on (its index arithmetic) unless there are no
  // columns to index.
  valid: (s: Readonly<Record<string, number>>) =>
    s.kh * s.kw * s.oh * s.ow === 0 || [s.h, s.w, s.kh, s.kw, s.oh, s.ow].every((v) => v < 2 ** 31),
  // Columns laid out contiguously, (n, c, tap, window).
  derive: (s: Readonly<Record<string, number>>) => {
    const sC = s.kh * s.kw * s.oh * s.ow;
    return { sL: 1, sK: s.oh * s.ow, sC, sN: s.channels * sC };
  },
} as const;
/** Index 0 selects a real slice unless the selected dimension is empty. */
const INDEX = {
  sizes: ['outer', 'size', 'inner', 'k'],
  valid: (s: Readonly<Record<string, number>>) => s.size > 0 || s.k * s.outer * s.inner === 0,
} as const;
/** One weight per column (layer norm's layout; `run` must divide `size`). */
const LAYER_NORM = {
  sizes: ['batch', 'outer', 'size'],
  fixed: { groups: 1, run: 1, eps: 1e-5 },
  derive: (s: Readonly<Record<string, number>>) => ({ weights: s.size }),
} as const;

/** Every kernel with two or more count arguments, by name. */
export const NOMINAL_CASES: Partial<Record<KernelName, NominalCase>> = {
  binaryForward: { sizes: ['rows', 'n'], fixed: { op: 'add', aStride: 1, bStride: 1 } },
  binaryBackward: {
    sizes: ['rows', 'n'],
    fixed: { op: 'mul', which: 'a', aStride: 1, bStride: 1 },
  },
  softmaxForward: { sizes: SHARED_LAYOUT },
  softmaxBackward: { sizes: SHARED_LAYOUT },
  crossEntropyForward: LOSS,
  crossEntropyBackward: LOSS,
  crossEntropyProbForward: LOSS,
  crossEntropyProbBackward: LOSS,
  nllForward: LOSS,
  nllBackward: LOSS,
  stridedCopy: { sizes: ['d0', 'd1', 'd2'] },
  im2col: WINDOW,
  col2im: WINDOW,
  boxSum: { sizes: ['planes', 'h', 'w', 'oh', 'ow'] },
  boxSpread: { sizes: ['planes', 'h', 'w', 'oh', 'ow'] },
  layerNormForward: LAYER_NORM,
  layerNormBackward: LAYER_NORM,
  layerNormParamGrads: LAYER_NORM,
  reduceDim: { sizes: SHARED_LAYOUT, fixed: { kind: 'sum' } },
  // Declared for size ≥ 1 (an extremum of nothing has no index).
  extremumIndices: { sizes: SHARED_LAYOUT, fixed: { kind: 'max' }, valid: (s) => s.size > 0 },
  indexSelect: INDEX,
  indexAdd: INDEX,
  matmul: { sizes: ['m', 'k', 'n'] },
  linear: { sizes: ['m', 'k', 'n'] },
  linearBackward: { sizes: ['m', 'k', 'n'] },
};

/**
 * Kernels with a single count, which sizes their arrays: a huge count needs
 * arrays as long, so their loops are bounded by the arrays they are handed.
 */
export const SINGLE_COUNT_KERNELS: readonly KernelName[] = (
  Object.keys(KERNELS) as KernelName[]
).filter((k) => countArgs(k).length < 2);

/** The names of a kernel's count arguments. */
export function countArgs(kernel: KernelName): string[] {
  return KERNELS[kernel].args.filter((a) => a.kind === 'count').map((a) => a.name);
}

/**
 * Arrays longer than this are not allocated: the variant is left out. Room for
 * 2^20 rows' results (a batch norm's statistics over 2^20 empty channels).
 */
const SMALL = 2 ** 22;

/** One nominal call: the sizes (for the test's name) and the arguments in order. */
export interface NominalCall {
  readonly sizes: Readonly<Record<string, number>>;
  readonly args: unknown[];
}

/** Where the huge and empty sizes go: one 2^2b beside a 0 (or all 0s), or two 2^b beside a 0. */
function placements(n: number, big: number, huge: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    for (let z = 0; z < n; z++) {
      if (z === i) continue;
      out.push(Array.from({ length: n }, (_, j) => (j === i ? huge : j === z ? 0 : 1)));
    }
    // Every other size 0, where any 1 would make some array huge (a matrix product's).
    if (n > 2) out.push(Array.from({ length: n }, (_, j) => (j === i ? huge : 0)));
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      for (let z = 0; z < n; z++) {
        if (z === i || z === j) continue;
        out.push(Array.from({ length: n }, (_, l) => (l === i || l === j ? big : l === z ? 0 : 1)));
      }
    }
  }
  return out;
}

/** The value of a schema length expression for these arguments. */
function lengthOf(expr: string, scope: Record<string, unknown>): number {
  const names = Object.keys(scope);
  // The expressions are the schema's own (TypeScript and C++ alike): names, + − · ( ), ?:, max.
  const f = new Function('max', ...names, `return (${expr});`) as (...a: unknown[]) => number;
  return f(Math.max, ...names.map((n) => scope[n]));
}

function defaultValue(arg: Arg, fixed: Readonly<Record<string, unknown>>): unknown {
  if (arg.name in fixed) return fixed[arg.name];
  switch (arg.kind) {
    case 'count':
    case 'int':
      return 0;
    case 'number':
      return 1;
    case 'bool':
      return false;
    case 'stride01':
      return 1;
    case 'op':
      return arg.table === 'unary' ? 'relu' : 'add';
    case 'enum':
      return arg.values[0];
    case 'params':
      return [];
    default:
      return undefined;
  }
}

/**
 * The nominal calls of `kernel` (float32 or float64 arrays), with `big` for
 * two huge sizes and `huge` for one (2^20 and 2^40 in the test; smaller to time
 * a kernel that walks them).
 */
export function nominalCalls(
  kernel: KernelName,
  kind: 'float32' | 'float64',
  big = 2 ** 20,
  huge = 2 ** 40,
): NominalCall[] {
  const spec = NOMINAL_CASES[kernel];
  if (!spec) return [];
  const decl = KERNELS[kernel];
  const fixed = spec.fixed ?? {};
  const calls: NominalCall[] = [];
  for (const place of placements(spec.sizes.length, big, huge)) {
    const scope: Record<string, unknown> = {};
    for (const arg of decl.args) {
      if (arg.kind !== 'array' && arg.kind !== 'arrays') scope[arg.name] = defaultValue(arg, fixed);
    }
    const sizes: Record<string, number> = {};
    spec.sizes.forEach((name, i) => (sizes[name] = scope[name] = place[i]));
    if (spec.valid && !spec.valid(sizes)) continue;
    Object.assign(scope, spec.derive?.(sizes));
    const lengths = new Map<string, number>();
    let small = true;
    for (const arg of decl.args as readonly Arg[]) {
      if (arg.kind !== 'array') continue;
      const n = lengthOf(arg.len, scope);
      if (!(n >= 0 && n <= SMALL)) small = false;
      lengths.set(arg.name, n);
    }
    if (!small) continue;
    const args = (decl.args as readonly Arg[]).map((arg) => {
      if (arg.kind === 'arrays') throw new Error(`${kernel}: array lists are not sized by counts`);
      if (arg.kind !== 'array') return scope[arg.name];
      const n = lengths.get(arg.name) as number;
      if (arg.elem === 'int32') {
        // Class indices that are all ignored; other indices 0.
        const fill = arg.indices?.except !== undefined ? (scope[arg.indices.except] as number) : 0;
        return new Int32Array(n).fill(fill);
      }
      if (arg.elem === 'float64') return new Float64Array(n);
      return kind === 'float32' ? new Float32Array(n).fill(0.5) : new Float64Array(n).fill(0.5);
    });
    calls.push({ sizes, args });
  }
  return calls;
}
