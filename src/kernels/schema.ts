/**
 * Every kernel that is not an elementwise-table entry, declared once: its
 * arguments in order, with their kinds, and for each array the element
 * types it may hold, whether the kernel writes it, and how many elements it
 * must have. From these declarations `scripts/gen-kernels.ts` writes
 *
 * - the TypeScript signatures every backend implements
 *   (`signatures.generated.ts`: the `Kernels` interface that `dispatch` and
 *   the JS backend use);
 * - the addon's argument structs and the kernels' C++ signatures
 *   (`native/kernel_args.generated.h`), and the N-API argument parsing
 *   (`native/bindings.generated.h`), which checks every value it is handed —
 *   typed-array kind, dtype agreement, length against the declared
 *   expression (computed in float64, so no size_t overflow), integer counts,
 *   op indices, class indices — and throws a JavaScript error naming the
 *   kernel and the argument otherwise. A bug in nnkit's TypeScript can then
 *   never become an out-of-bounds access in C++.
 *
 * Length expressions use the arguments' names, `+ − · ( )`, `max(a, b)` and
 * `c ? a : b`; they are valid TypeScript and C++ alike. `sameAs` states a
 * dtype agreement the callers guarantee (a violation throws); where dtypes may
 * legitimately differ (mixed-dtype binary ops), a backend declines instead.
 */

/** Element types an array argument may hold. */
export type Elem =
  /** float32 or float64, the kernel's dtype. */
  | 'float'
  /** float32, float64 or int32 (binary ops on integer tensors). */
  | 'number'
  | 'int32'
  /** always float64 (the cross-entropy's saved `log Σ exp(x − max)` and max). */
  | 'float64';

export type Arg =
  /** A non-negative integer below 2^53 (sizes, counts, strides). */
  | { readonly name: string; readonly kind: 'count' }
  /** Any integer in int32 (ignoreIndex). */
  | { readonly name: string; readonly kind: 'int' }
  | { readonly name: string; readonly kind: 'number' }
  | { readonly name: string; readonly kind: 'bool' }
  /** 0 (broadcast) or 1 (contiguous). */
  | { readonly name: string; readonly kind: 'stride01' }
  /** The name of an elementwise-table entry (the addon takes its index). */
  | { readonly name: string; readonly kind: 'op'; readonly table: 'unary' | 'binary' }
  /** One of a few strings (the addon takes its index). */
  | { readonly name: string; readonly kind: 'enum'; readonly values: readonly string[] }
  /** The table entry's parameters: at most 8 numbers. */
  | { readonly name: string; readonly kind: 'params' }
  | {
      readonly name: string;
      readonly kind: 'array';
      readonly elem: Elem;
      /** The minimum number of elements. */
      readonly len: string;
      /** The kernel writes it. */
      readonly out?: boolean;
      /** May be `null` (the kernel then does without it). */
      readonly nullable?: boolean;
      /** Must have the same dtype as this other array argument. */
      readonly sameAs?: string;
      /** Holds class indices, each in [0, max) or equal to `except`, checked by the addon. */
      readonly indices?: { readonly max: string; readonly except?: string };
    }
  | ArrayListArg;

/**
 * A JavaScript array of `count` float arrays, one per tensor of a parameter
 * group (the fused optimizer steps), all of one dtype. The list without
 * `like` sets each entry's size (its length); a list `like` it must have, at
 * every index, at least that many elements. A list with `when` is read only
 * when that bool argument is true (it may then be empty).
 */
export interface ArrayListArg {
  readonly name: string;
  readonly kind: 'arrays';
  /** The count argument giving the number of entries. */
  readonly count: string;
  /** The list whose entries' lengths this one's entries must reach. */
  readonly like?: string;
  /** Read (and checked) only when this bool argument is true. */
  readonly when?: string;
  /** The kernel writes its entries. */
  readonly out?: boolean;
  /** Every entry has the dtype of this other list's entries. */
  readonly sameAs?: string;
  /** What an entry holds (for the TSDoc and the generated loops). */
  readonly doc: string;
}

export interface KernelDecl {
  /** What it computes (for the TSDoc and the C++ comment). */
  readonly doc: string;
  readonly args: readonly Arg[];
  /** `bool`: `false` declines (JS runs it). `total`: a number, or `false` to decline. */
  readonly returns: 'bool' | 'total';
  /** Split over threads by this count argument (rows); the C++ kernel takes [lo, hi) of it. */
  readonly split?: string;
}

const count = (name: string): Arg => ({ name, kind: 'count' });
const floats = (
  name: string,
  len: string,
  opts: Partial<Extract<Arg, { kind: 'array' }>> = {},
): Arg => ({
  name,
  kind: 'array',
  elem: 'float',
  len,
  ...opts,
});

/**
 * The elements an operand of a broadcast binary op must hold: its last row
 * starts at `off + (rows − 1)·rowStride` and reads n elements (stride 1) or one
 * (stride 0). No rows read nothing.
 */
const ROW_OPERAND = (x: string): string => `rows?${x}Off+(rows-1)*${x}RowStride+(${x}Stride?n:1):0`;

/** The (outer, C, inner) layout of the class-dimension losses. */
const lossLayout = [count('outer'), count('C'), count('inner')];
const classIndices: Arg = {
  name: 'target',
  kind: 'array',
  elem: 'int32',
  len: 'outer*inner',
  indices: { max: 'C', except: 'ignoreIndex' },
};

// ---- optimizer steps ----------------------------------------------------------------
//
// One kernel per optimizer, fused over the tensors of a parameter group that
// share a dtype and the step's scalars (PyTorch's per-tensor bias corrections
// differ when a tensor skipped steps: the optimizer makes one call per such
// set). The per-element body of each is written once in
// src/optim/kernels/updates.ts, from these argument lists: the `arrays`
// lists, the `number` scalars (double; the kernel rounds them to the dtype)
// and the `bool` flags, in order. `scripts/gen-optim.ts` prints the loops.

const tensors = { name: 'tensors', kind: 'count' } as const;
const num = <const N extends string>(name: N) => ({ name, kind: 'number' }) as const;
const flag = <const N extends string>(name: N) => ({ name, kind: 'bool' }) as const;
const PARAMS = {
  name: 'params',
  kind: 'arrays',
  count: 'tensors',
  out: true,
  doc: 'the parameters θ, updated in place; entry t has the size of tensor t',
} as const;
const GRADS = {
  name: 'grads',
  kind: 'arrays',
  count: 'tensors',
  like: 'params',
  sameAs: 'params',
  doc: 'their gradients',
} as const;
/** A state list written by the kernel, read only when `when` is true (if given). */
const state = <const N extends string, const W extends string | undefined = undefined>(
  name: N,
  doc: string,
  when?: W,
) =>
  ({
    name,
    kind: 'arrays',
    count: 'tensors',
    like: 'params',
    sameAs: 'params',
    out: true,
    doc,
    ...(when === undefined ? {} : { when }),
  }) as {
    name: N;
    kind: 'arrays';
    count: 'tensors';
    like: 'params';
    sameAs: 'params';
    out: true;
    doc: string;
    when?: W;
  };
const ADAM_STATE = [
  state('expAvgs', 'the first moments m'),
  state('expAvgSqs', 'the second moments v'),
  state('maxExpAvgSqs', 'the running maxima of v (AMSGrad)', 'amsgrad'),
] as const;
const ADAM_SCALARS = [
  num('beta1'),
  num('oneMinusBeta1'),
  num('beta2'),
  num('oneMinusBeta2'),
  num('biasCorrection2Sqrt'),
  num('eps'),
  num('negStepSize'),
] as const;
const ADAM_FLAGS = [flag('maximize'), flag('decay'), flag('amsgrad')] as const;

/** The optimizers' fused steps; their bodies are in src/optim/kernels/updates.ts. */
export const OPTIMIZER_KERNELS = {
  sgdStep: {
    doc: 'One SGD step (PyTorch 1.13 `_single_tensor_sgd`) on every tensor of the lists; `first` when their momentum buffers are new (then only written).',
    args: [
      tensors,
      PARAMS,
      GRADS,
      state('momentumBuffers', 'the momentum buffers b', 'useMomentum'),
      num('weightDecay'),
      num('momentum'),
      num('oneMinusDampening'),
      num('negLr'),
      flag('maximize'),
      flag('decay'),
      flag('useMomentum'),
      flag('first'),
      flag('nesterov'),
    ],
    returns: 'bool',
  },
  adamStep: {
    doc: 'One Adam step (PyTorch 1.13 `_single_tensor_adam`, not capturable) on every tensor of the lists, which share a step count.',
    args: [
      tensors,
      PARAMS,
      GRADS,
      ...ADAM_STATE,
      num('weightDecay'),
      ...ADAM_SCALARS,
      ...ADAM_FLAGS,
    ],
    returns: 'bool',
  },
  adamwStep: {
    doc: 'One AdamW step (PyTorch 1.13 `_single_tensor_adamw`, not capturable) on every tensor of the lists, which share a step count.',
    args: [
      tensors,
      PARAMS,
      GRADS,
      ...ADAM_STATE,
      num('decayFactor'),
      ...ADAM_SCALARS,
      ...ADAM_FLAGS,
    ],
    returns: 'bool',
  },
  rmspropStep: {
    doc: 'One RMSprop step (PyTorch 1.13 `_single_tensor_rmsprop`) on every tensor of the lists.',
    args: [
      tensors,
      PARAMS,
      GRADS,
      state('squareAvgs', 'the running means of g², v'),
      state('gradAvgs', 'the running means of g (centered)', 'centered'),
      state('momentumBuffers', 'the momentum buffers b', 'useMomentum'),
      num('weightDecay'),
      num('alpha'),
      num('oneMinusAlpha'),
      num('eps'),
      num('momentum'),
      num('negLr'),
      flag('maximize'),
      flag('decay'),
      flag('centered'),
      flag('useMomentum'),
    ],
    returns: 'bool',
  },
} as const satisfies Record<string, KernelDecl>;

export type OptimizerKernelName = keyof typeof OPTIMIZER_KERNELS;

/**
 * The window geometry of `im2col` and `col2im`: `batch·channels` planes of
 * `h × w`; windows of `kh × kw` taps `dh`, `dw` apart, `sh`, `sw` apart, the
 * first at row `−ph`, column `−pw` (the padding before); `oh × ow` windows.
 * The columns' layout is given by strides: tap `t = a·kw + b` of window
 * `l = y·ow + z` in plane (n, c) is element `n·sN + c·sC + t·sK + l·sL`.
 */
const WINDOWS: Arg[] = [
  count('batch'),
  count('channels'),
  ...['h', 'w', 'kh', 'kw', 'sh', 'sw', 'ph', 'pw', 'dh', 'dw', 'oh', 'ow'].map(count),
];
const COLUMNS_LEN =
  'batch*channels*kh*kw*oh*ow>0?(batch-1)*sN+(channels-1)*sC+(kh*kw-1)*sK+(oh*ow-1)*sL+1:0';
const COLUMN_STRIDES: Arg[] = ['sN', 'sC', 'sK', 'sL'].map(count);

export const KERNELS = {
  unaryForward: {
    doc: '`out[i] = f(x[i])` for elementwise-table entry `op`, i < n.',
    args: [
      { name: 'op', kind: 'op', table: 'unary' },
      count('n'),
      floats('out', 'n', { out: true }),
      floats('x', 'n', { sameAs: 'out' }),
      { name: 'p', kind: 'params' },
    ],
    returns: 'bool',
  },
  unaryBackward: {
    doc: "`dx[i] = dy[i] · f'(x[i])`, reading the saved input `x` and/or output `y` (null when the formula needs no such value).",
    args: [
      { name: 'op', kind: 'op', table: 'unary' },
      count('n'),
      floats('dx', 'n', { out: true }),
      floats('dy', 'n', { sameAs: 'dx' }),
      floats('x', 'n', { sameAs: 'dx', nullable: true }),
      floats('y', 'n', { sameAs: 'dx', nullable: true }),
      { name: 'p', kind: 'params' },
    ],
    returns: 'bool',
  },
  binaryForward: {
    doc: '`rows` rows of a broadcast binary op: `out[outOff + r·n + i] = f(a[aOff + r·aRowStride + i·aStride], b[bOff + r·bRowStride + i·bStride])`, r < rows, i < n.',
    args: [
      { name: 'op', kind: 'op', table: 'binary' },
      count('rows'),
      count('n'),
      { name: 'out', kind: 'array', elem: 'number', len: 'outOff+rows*n', out: true },
      count('outOff'),
      { name: 'a', kind: 'array', elem: 'number', len: ROW_OPERAND('a') },
      count('aOff'),
      count('aRowStride'),
      { name: 'aStride', kind: 'stride01' },
      { name: 'b', kind: 'array', elem: 'number', len: ROW_OPERAND('b') },
      count('bOff'),
      count('bRowStride'),
      { name: 'bStride', kind: 'stride01' },
      { name: 'p', kind: 'params' },
    ],
    returns: 'bool',
  },
  binaryBackward: {
    doc: '`out[outOff + r·n + i] = ∂f/∂a (or ∂b) · dy[outOff + r·n + i]` over such rows.',
    args: [
      { name: 'op', kind: 'op', table: 'binary' },
      { name: 'which', kind: 'enum', values: ['a', 'b'] },
      count('rows'),
      count('n'),
      floats('out', 'outOff+rows*n', { out: true }),
      count('outOff'),
      floats('dy', 'outOff+rows*n', { sameAs: 'out' }),
      { name: 'a', kind: 'array', elem: 'number', len: ROW_OPERAND('a') },
      count('aOff'),
      count('aRowStride'),
      { name: 'aStride', kind: 'stride01' },
      { name: 'b', kind: 'array', elem: 'number', len: ROW_OPERAND('b') },
      count('bOff'),
      count('bRowStride'),
      { name: 'bStride', kind: 'stride01' },
      { name: 'p', kind: 'params' },
    ],
    returns: 'bool',
  },
  binarySum: {
    doc: 'Σ f(a[i], b[i]) over n equal-shaped elements, accumulated in float64 (a fused loss reduction).',
    args: [
      { name: 'op', kind: 'op', table: 'binary' },
      count('n'),
      { name: 'a', kind: 'array', elem: 'number', len: 'n' },
      { name: 'b', kind: 'array', elem: 'number', len: 'n', sameAs: 'a' },
      { name: 'p', kind: 'params' },
    ],
    returns: 'total',
  },
  binaryBackwardScaled: {
    doc: '`out[i] = ∂f/∂a (or ∂b)(a[i], b[i]) · scale`: the gradient of a fused sum (scale = dy) or mean (dy/n).',
    args: [
      { name: 'op', kind: 'op', table: 'binary' },
      { name: 'which', kind: 'enum', values: ['a', 'b'] },
      count('n'),
      floats('out', 'n', { out: true }),
      { name: 'scale', kind: 'number' },
      { name: 'a', kind: 'array', elem: 'number', len: 'n' },
      { name: 'b', kind: 'array', elem: 'number', len: 'n', sameAs: 'a' },
      { name: 'p', kind: 'params' },
    ],
    returns: 'bool',
  },
  softmaxForward: {
    doc: 'Softmax (or, with `log`, log-softmax) of `scale·x` along the middle dimension of an (outer, size, inner) layout.',
    args: [
      { name: 'log', kind: 'bool' },
      count('outer'),
      count('size'),
      count('inner'),
      floats('out', 'outer*size*inner', { out: true }),
      floats('x', 'outer*size*inner', { sameAs: 'out' }),
      { name: 'scale', kind: 'number' },
    ],
    returns: 'bool',
    split: 'outer',
  },
  softmaxBackward: {
    doc: 'The softmax family’s backward from the saved output `y`: `dx = scale·y·(dy − Σdy·y)`, or `scale·(dy − exp(y)·Σdy)` with `log`.',
    args: [
      { name: 'log', kind: 'bool' },
      count('outer'),
      count('size'),
      count('inner'),
      floats('dx', 'outer*size*inner', { out: true }),
      floats('dy', 'outer*size*inner', { sameAs: 'dx' }),
      floats('y', 'outer*size*inner', { sameAs: 'dx' }),
      { name: 'scale', kind: 'number' },
    ],
    returns: 'bool',
    split: 'outer',
  },
  crossEntropyForward: {
    doc: 'Cross-entropy with class-index targets: per-position losses and, per position p, `lse[2p] = log Σ exp(x − max)` and `lse[2p + 1] = max`, kept apart so that huge logits keep the log Σ term; returns Σ w[t] over the targets not ignored.',
    args: [
      ...lossLayout,
      floats('x', 'outer*C*inner'),
      classIndices,
      floats('weight', 'C', { nullable: true }),
      { name: 'ignoreIndex', kind: 'int' },
      { name: 'labelSmoothing', kind: 'number' },
      floats('loss', 'outer*inner', { out: true, sameAs: 'x' }),
      { name: 'lse', kind: 'array', elem: 'float64', len: '2*outer*inner', out: true },
    ],
    returns: 'total',
    split: 'outer',
  },
  crossEntropyBackward: {
    doc: 'Its backward: `dx = (softmax − smoothed one-hot)·w·grad/divisor`, `grad` read with stride `gradStride` (0 for a reduced loss).',
    args: [
      ...lossLayout,
      floats('x', 'outer*C*inner'),
      classIndices,
      floats('weight', 'C', { nullable: true }),
      { name: 'ignoreIndex', kind: 'int' },
      { name: 'labelSmoothing', kind: 'number' },
      { name: 'lse', kind: 'array', elem: 'float64', len: '2*outer*inner' },
      floats('grad', 'outer*inner>0?gradStride*(outer*inner-1)+1:0', { sameAs: 'x' }),
      count('gradStride'),
      { name: 'divisor', kind: 'number' },
      floats('dx', 'outer*C*inner', { out: true, sameAs: 'x' }),
    ],
    returns: 'bool',
    split: 'outer',
  },
  crossEntropyProbForward: {
    doc: 'Cross-entropy with class-probability targets (the input’s layout): per-position losses and the pairs `lse[2p] = log Σ exp(x − max)`, `lse[2p + 1] = max`.',
    args: [
      ...lossLayout,
      floats('x', 'outer*C*inner'),
      floats('target', 'outer*C*inner'),
      floats('weight', 'C', { nullable: true }),
      { name: 'labelSmoothing', kind: 'number' },
      floats('loss', 'outer*inner', { out: true, sameAs: 'x' }),
      { name: 'lse', kind: 'array', elem: 'float64', len: '2*outer*inner', out: true },
    ],
    returns: 'bool',
    split: 'outer',
  },
  crossEntropyProbBackward: {
    doc: 'Its backward, to the logits and/or the target (either may be null).',
    args: [
      ...lossLayout,
      floats('x', 'outer*C*inner'),
      floats('target', 'outer*C*inner'),
      floats('weight', 'C', { nullable: true }),
      { name: 'labelSmoothing', kind: 'number' },
      { name: 'lse', kind: 'array', elem: 'float64', len: '2*outer*inner' },
      floats('grad', 'outer*inner>0?gradStride*(outer*inner-1)+1:0', { sameAs: 'x' }),
      count('gradStride'),
      { name: 'divisor', kind: 'number' },
      floats('dx', 'outer*C*inner', { out: true, nullable: true, sameAs: 'x' }),
      floats('dtarget', 'outer*C*inner', { out: true, nullable: true, sameAs: 'target' }),
    ],
    returns: 'bool',
    split: 'outer',
  },
  nllForward: {
    doc: 'Negative log-likelihood: per-position losses `−w[t]·x[t]`; returns Σ w[t] over the targets not ignored.',
    args: [
      ...lossLayout,
      floats('x', 'outer*C*inner'),
      classIndices,
      floats('weight', 'C', { nullable: true }),
      { name: 'ignoreIndex', kind: 'int' },
      floats('loss', 'outer*inner', { out: true, sameAs: 'x' }),
    ],
    returns: 'total',
    split: 'outer',
  },
  nllBackward: {
    doc: 'Its backward: writes `−w[t]·grad/divisor` at each target element of `dx` (zero-filled by the caller).',
    args: [
      ...lossLayout,
      classIndices,
      floats('weight', 'C', { nullable: true }),
      { name: 'ignoreIndex', kind: 'int' },
      floats('grad', 'outer*inner>0?gradStride*(outer*inner-1)+1:0'),
      count('gradStride'),
      { name: 'divisor', kind: 'number' },
      floats('dx', 'outer*C*inner', { out: true, sameAs: 'grad' }),
    ],
    returns: 'bool',
    split: 'outer',
  },
  stridedCopy: {
    doc: 'Copies a strided (d0, d1, d2) layout into contiguous memory: `out[outOff + (i·d1 + j)·d2 + k] = src[offset + i·s0 + j·s1 + k·s2]`.',
    args: [
      count('d0'),
      count('d1'),
      count('d2'),
      { name: 'out', kind: 'array', elem: 'number', len: 'outOff+d0*d1*d2', out: true },
      count('outOff'),
      {
        name: 'src',
        kind: 'array',
        elem: 'number',
        len: 'd0*d1*d2>0?offset+(d0-1)*s0+(d1-1)*s1+(d2-1)*s2+1:0',
        sameAs: 'out',
      },
      count('offset'),
      count('s0'),
      count('s1'),
      count('s2'),
    ],
    returns: 'bool',
  },
  im2col: {
    doc: 'Cuts windows into columns (`F.unfold`, the convolutions, pooling): `out[n·sN + c·sC + (a·kw + b)·sK + (y·ow + z)·sL] = x[(n·channels + c)·h·w + i·w + j]` with `i = y·sh − ph + a·dh`, `j = z·sw − pw + b·dw`, or `padValue` where (i, j) lies outside the plane.',
    args: [
      ...WINDOWS,
      floats('out', COLUMNS_LEN, { out: true }),
      ...COLUMN_STRIDES,
      floats('x', 'batch*channels*h*w', { sameAs: 'out' }),
      { name: 'padValue', kind: 'number' },
    ],
    returns: 'bool',
  },
  col2im: {
    doc: "Sums columns back into planes (`F.fold`, `im2col`'s gradient): `dx[(n·channels + c)·h·w + i·w + j] = Σ cols[n·sN + c·sC + (a·kw + b)·sK + (y·ow + z)·sL]` over the taps and windows that read (i, j) (see `im2col`), taps outer and windows inner as PyTorch's `col2im` adds them; padding reads are dropped.",
    args: [
      ...WINDOWS,
      floats('dx', 'batch*channels*h*w', { out: true }),
      floats('cols', COLUMNS_LEN, { sameAs: 'dx' }),
      ...COLUMN_STRIDES,
    ],
    returns: 'bool',
  },
  boxSum: {
    doc: 'Sums boxes of planes (average and adaptive average pooling): `out[(p·oh + y)·ow + z] = Σ x[(p·h + i)·w + j]` over rows `i ∈ [rows[2y], rows[2y + 1])` and columns `j ∈ [cols[2z], cols[2z + 1])`, in float64, rounded once; boxes may overlap or differ in size, and an empty one sums to 0.',
    args: [
      count('planes'),
      count('h'),
      count('w'),
      count('oh'),
      count('ow'),
      floats('out', 'planes*oh*ow', { out: true }),
      floats('x', 'planes*h*w', { sameAs: 'out' }),
      { name: 'rows', kind: 'array', elem: 'int32', len: '2*oh', indices: { max: 'h+1' } },
      { name: 'cols', kind: 'array', elem: 'int32', len: '2*ow', indices: { max: 'w+1' } },
    ],
    returns: 'bool',
  },
  boxSpread: {
    doc: "boxSum's adjoint (its gradient): `dx` zeroed, then `g[(p·oh + y)·ow + z]` added to every element of box (y, z) (see `boxSum`), boxes in row-major order, each sum rounded to the dtype as PyTorch's average-pooling backward adds.",
    args: [
      count('planes'),
      count('h'),
      count('w'),
      count('oh'),
      count('ow'),
      floats('dx', 'planes*h*w', { out: true }),
      floats('g', 'planes*oh*ow', { sameAs: 'dx' }),
      { name: 'rows', kind: 'array', elem: 'int32', len: '2*oh', indices: { max: 'h+1' } },
      { name: 'cols', kind: 'array', elem: 'int32', len: '2*ow', indices: { max: 'w+1' } },
    ],
    returns: 'bool',
  },
  layerNormForward: {
    doc: 'Normalises each slice `r` of a (batch, outer, size) layout, its `batch·size` elements `x[(a·outer + r)·size + j]`: `out = (x − mean)·rstd·weight[k] + bias[k]` (each may be null; without a bias nothing is added, so an x̂ of −0 stays −0), mean and biased variance in float64, `rstd = 1/√(var + eps)`, where `k = (r mod groups)·(size/run) + ⌊j/run⌋` (`run` divides `size`; `weights` ≥ `groups·size/run` elements); saves `stats[3r] = mean`, `stats[3r + 1] = rstd`, `stats[3r + 2] = var`. Layer norm: batch 1, rows as slices, groups 1, run 1 (a weight per column); batch norm: channels as slices, groups C, run size (a weight per slice); group norm: (sample, group) rows, groups G, run the positions (a weight per channel).',
    args: [
      count('batch'),
      count('outer'),
      count('size'),
      floats('out', 'batch*outer*size', { out: true }),
      floats('x', 'batch*outer*size', { sameAs: 'out' }),
      count('groups'),
      count('run'),
      count('weights'),
      floats('weight', 'weights', { nullable: true, sameAs: 'out' }),
      floats('bias', 'weights', { nullable: true, sameAs: 'out' }),
      { name: 'eps', kind: 'number' },
      { name: 'stats', kind: 'array', elem: 'float64', len: '3*outer', out: true },
    ],
    returns: 'bool',
    split: 'outer',
  },
  layerNormBackward: {
    doc: 'The input gradient of layerNormForward, per slice: `dx = rstd·(g − mean(g) − x̂·mean(g·x̂))` with `g = dy·weight[k]` (dy where weight is null) and `x̂ = (x − mean)·rstd` from `stats`, in float64; writes `sums[2r] = Σ dy`, `sums[2r + 1] = Σ dy·x̂` over each slice (with one weight per slice, its bias and weight gradients).',
    args: [
      count('batch'),
      count('outer'),
      count('size'),
      floats('dx', 'batch*outer*size', { out: true }),
      floats('dy', 'batch*outer*size', { sameAs: 'dx' }),
      floats('x', 'batch*outer*size', { sameAs: 'dx' }),
      count('groups'),
      count('run'),
      count('weights'),
      floats('weight', 'weights', { nullable: true, sameAs: 'dx' }),
      { name: 'stats', kind: 'array', elem: 'float64', len: '3*outer' },
      { name: 'sums', kind: 'array', elem: 'float64', len: '2*outer', out: true },
    ],
    returns: 'bool',
    split: 'outer',
  },
  layerNormParamGrads: {
    doc: 'The weight and bias gradients of layerNormForward, sums in float64 over every element that weight `k` scales: `dw[k] = Σ dy·x̂`, `db[k] = Σ dy`.',
    args: [
      count('batch'),
      count('outer'),
      count('size'),
      count('groups'),
      count('run'),
      count('weights'),
      floats('dw', 'weights', { out: true }),
      floats('db', 'weights', { out: true, sameAs: 'dw' }),
      floats('dy', 'batch*outer*size', { sameAs: 'dw' }),
      floats('x', 'batch*outer*size', { sameAs: 'dw' }),
      { name: 'stats', kind: 'array', elem: 'float64', len: '3*outer' },
    ],
    returns: 'bool',
  },
  reduceDim: {
    doc: 'Reduces the middle dimension of an (outer, size, inner) layout into `out[outer·inner]`: the sum (in float64), or the maximum or minimum with NaN winning.',
    args: [
      { name: 'kind', kind: 'enum', values: ['sum', 'max', 'min'] },
      count('outer'),
      count('size'),
      count('inner'),
      { name: 'x', kind: 'array', elem: 'number', len: 'outer*size*inner' },
      { name: 'out', kind: 'array', elem: 'number', len: 'outer*inner', out: true },
    ],
    returns: 'bool',
  },
  extremumIndices: {
    doc: 'The maximum or minimum over the middle dimension of an (outer, size, inner) layout and where it is: `out[o·inner + i]` is the first extreme element `x[(o·size + s)·inner + i]` over s (the first NaN, if any) and `indices[o·inner + i] = s`; size ≥ 1.',
    args: [
      { name: 'kind', kind: 'enum', values: ['max', 'min'] },
      count('outer'),
      count('size'),
      count('inner'),
      { name: 'x', kind: 'array', elem: 'number', len: 'outer*size*inner' },
      { name: 'out', kind: 'array', elem: 'number', len: 'outer*inner', out: true, sameAs: 'x' },
      { name: 'indices', kind: 'array', elem: 'int32', len: 'outer*inner', out: true },
    ],
    returns: 'bool',
  },
  indexSelect: {
    doc: 'Selects slices along the middle dimension of an (outer, size, inner) layout: `out[(o·k + j)·inner + i] = x[(o·size + index[j])·inner + i]`.',
    args: [
      count('outer'),
      count('size'),
      count('inner'),
      count('k'),
      { name: 'x', kind: 'array', elem: 'number', len: 'outer*size*inner' },
      { name: 'index', kind: 'array', elem: 'int32', len: 'k', indices: { max: 'size' } },
      { name: 'out', kind: 'array', elem: 'number', len: 'outer*k*inner', out: true, sameAs: 'x' },
    ],
    returns: 'bool',
  },
  indexAdd: {
    doc: "indexSelect's gradient: `dx` zeroed, then `dx[(o·size + index[j])·inner + i] += g[(o·k + j)·inner + i]` for j in order, each sum rounded to the dtype.",
    args: [
      count('outer'),
      count('size'),
      count('inner'),
      count('k'),
      floats('dx', 'outer*size*inner', { out: true }),
      { name: 'index', kind: 'array', elem: 'int32', len: 'k', indices: { max: 'size' } },
      floats('g', 'outer*k*inner', { sameAs: 'dx' }),
    ],
    returns: 'bool',
  },
  matmul: {
    doc: '`c[m×n] = op(a)·op(b)` (row-major, `c` overwritten): `a` is `[m×k]`, or with `transA` the transpose of a `[k×m]` array; likewise `b`.',
    args: [
      count('m'),
      count('k'),
      count('n'),
      floats('a', 'm*k'),
      floats('b', 'k*n'),
      floats('c', 'm*n', { out: true }),
      { name: 'transA', kind: 'bool' },
      { name: 'transB', kind: 'bool' },
    ],
    returns: 'bool',
  },
  // ---- linear layers (nn.Linear, F.linear) ----
  linear: {
    doc: '`y[m×n] = x·wᵀ + b` (row-major, `y` overwritten): `x` is `[m×k]`, `w` is `[n×k]` read transposed in place, and the bias `b` (null: none) is added to every row in the GEMM’s store of `y`, not in a second pass.',
    args: [
      count('m'),
      count('k'),
      count('n'),
      floats('x', 'm*k'),
      floats('w', 'n*k', { sameAs: 'x' }),
      floats('b', 'n', { nullable: true, sameAs: 'x' }),
      floats('y', 'm*n', { out: true, sameAs: 'x' }),
    ],
    returns: 'bool',
  },
  linearBackward: {
    doc: 'The parameter gradients of `y = x·wᵀ + b` from `g = ∂L/∂y` (`[m×n]`, row-major): `dw[n×k] = gᵀ·x` (overwritten; `g` read transposed in place) and, unless `db` is null, the bias gradient `db[n] = Σ_i g[i, :]` (column sums accumulated in float64, as reduceDim sums), in the same call.',
    args: [
      count('m'),
      count('k'),
      count('n'),
      floats('g', 'm*n'),
      floats('x', 'm*k', { sameAs: 'g' }),
      floats('dw', 'n*k', { out: true, sameAs: 'g' }),
      floats('db', 'n', { out: true, nullable: true, sameAs: 'g' }),
    ],
    returns: 'bool',
  },
  // ---- random sampling ----
  bernoulliMask: {
    doc: 'Dropout’s mask, PyTorch’s `bernoulli_(p)` on its CPU generator: `state` is an MT19937 engine (words 0–623 the state, word 624 the index of the next word to temper, in [0, 624], 624: twist first). For i < n two tempered words, `hi` then `lo`, give the 53-bit integer `u = (hi & 0x1fffff)·2^32 + lo`, and `out[i] = u < threshold ? value : 0` (`threshold` = p·2^53; `value` rounded to the dtype of `out`); the new index is stored in `state[624]`.',
    args: [
      { name: 'state', kind: 'array', elem: 'int32', len: '625', out: true },
      floats('out', 'n', { out: true }),
      count('n'),
      { name: 'threshold', kind: 'number' },
      { name: 'value', kind: 'number' },
    ],
    returns: 'bool',
  },
  uniformFill: {
    doc: 'PyTorch’s `uniform_(from, to)` on its CPU generator (`state` as in bernoulliMask), element i from the stream in order. float32: one tempered word `w`, `u = (w & 0xffffff)·2^-24`, `out[i] = fma(u, span, lo)` with `lo = float(from)` and `span = float(float(to) − lo)`, one rounding; float64: two words, `hi` then `lo`, `u = ((hi & 0x1fffff)·2^32 + lo)·2^-53`, `out[i] = fma(u, to − from, from)` in double. A backend without a fused multiply-add may round the float32 sum twice (double, then float: a different float only when the double lands exactly between two, about once in 2^29).',
    args: [
      { name: 'state', kind: 'array', elem: 'int32', len: '625', out: true },
      floats('out', 'n', { out: true }),
      count('n'),
      { name: 'from', kind: 'number' },
      { name: 'to', kind: 'number' },
    ],
    returns: 'bool',
  },
  normalFill: {
    doc: 'PyTorch’s `normal_(mean, std)` of a contiguous tensor of n ≥ 16 elements on its CPU generator (`state` as in bernoulliMask): `out` gets the uniforms of uniformFill(0, 1), then each block of 16, `d[j]` and `d[j + 8]` for j < 8, becomes `r·cos θ·std + mean` and `r·sin θ·std + mean` with `r = √(−2 log(1 − d[j]))`, `θ = 2π·d[j + 8]`; when n is not a multiple of 16 the last 16 elements are drawn again and transformed as one more block. float32 follows ATen’s `normal_fill_16_AVX2` (avx_mathfun’s `log256_ps` and `sincos256_ps`, with the fused multiply-adds GCC forms there; a backend without a fused multiply-add rounds them as uniformFill does); float64 follows the scalar `normal_fill_16` with the backend’s libm `log`, `cos` and `sin` (the last bit may differ between backends) and, as GCC compiles it, `fma(r·cos θ, std, mean)`. The kernels throw for n < 16: PyTorch draws fewer one pair at a time and keeps the spare in the generator, which the engine state does not hold.',
    args: [
      { name: 'state', kind: 'array', elem: 'int32', len: '625', out: true },
      floats('out', 'n', { out: true }),
      count('n'),
      { name: 'mean', kind: 'number' },
      { name: 'std', kind: 'number' },
    ],
    returns: 'bool',
  },
  exponentialFill: {
    doc: 'PyTorch’s `exponential_(lambd)` on its CPU generator (`state` as in bernoulliMask): for i < n, a double uniform `u` from two words as in uniformFill, and `out[i] = (−1 / lambd)·log(1 − u)` in double, rounded to the dtype of `out` (the backend’s libm `log`: the last bit of a float64 may differ between backends).',
    args: [
      { name: 'state', kind: 'array', elem: 'int32', len: '625', out: true },
      floats('out', 'n', { out: true }),
      count('n'),
      { name: 'lambd', kind: 'number' },
    ],
    returns: 'bool',
  },
  // The optimizer steps (above).
  ...OPTIMIZER_KERNELS,
} as const satisfies Record<string, KernelDecl>;

export type KernelName = keyof typeof KERNELS;
