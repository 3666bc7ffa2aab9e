/**
 * Reductions over dimensions: sum, mean, amax/amin, max/min with indices,
 * argmax, logsumexp, var/std, prod, and the scan cumsum.
 */
import { Tensor } from '../tensor/tensor.js';
import { allocUninit, allocZeroed, isFloating, type DType } from '../tensor/dtype.js';
import type { Numbers } from '../kernels/js/types.js';
import { normalizeDim, sameShape, sizeOf, splitAtDim, type Shape } from '../tensor/shape.js';
import { recordOp } from '../autograd/derivatives/index.js';
import { where } from './index-ops.js';
import { dispatch } from '../kernels/backend.js';
import { checkShape } from '../tensor/checks.js';
import { full } from './shape-ops.js';

type Dims = number | readonly number[] | undefined;

/**
 * Normalised, sorted dims; all dims when omitted or an empty list (PyTorch
 * 1.13's `sum(dim=[])`). A dim named twice (`[0, -2]` of a 2-D tensor) is an
 * error, as in PyTorch.
 */
function resolveDims(x: Tensor, dim: Dims, fn: string): number[] {
  if (dim === undefined || (typeof dim !== 'number' && dim.length === 0)) {
    return x.shape.map((_s, i) => i);
  }
  const list = (typeof dim === 'number' ? [dim] : [...dim]).map((d) => normalizeDim(d, x.ndim, fn));
  const out = [...new Set(list)].sort((a, b) => a - b);
  if (out.length < list.length) {
    const twice = list.find((d, i) => list.indexOf(d) !== i);
    throw new Error(`${fn}: dim ${twice} appears multiple times in the list of dims`);
  }
  return x.ndim === 0 ? [] : out;
}

function keptShape(shape: Shape, dims: readonly number[]): number[] {
  return shape.map((s, i) => (dims.includes(i) ? 1 : s));
}

function finalShape(shape: Shape, dims: readonly number[], keepdim: boolean): number[] {
  return keepdim ? keptShape(shape, dims) : shape.filter((_s, i) => !dims.includes(i));
}

/**
 * Reduces one dimension of an (outer, size, inner) layout with a float64
 * accumulator; `kind` selects the combination.
 */
function reduceDim(x: Tensor, dim: number, kind: 'sum' | 'max' | 'min'): Tensor {
  const { outer, size, inner } = splitAtDim(x.shape, dim);
  const dtype = kind === 'sum' && x.dtype === 'int32' ? 'int32' : x.dtype;
  const out = allocUninit(dtype, outer * inner);
  const src = x.data;
  if (kind !== 'sum' && size === 0) {
    throw new Error(
      `${kind === 'max' ? 'amax' : 'amin'}: cannot reduce over an empty dimension ${dim}`,
    );
  }
  const shape = [...x.shape];
  if (shape.length > 0) shape[dim] = 1;
  if (src.length === 0) {
    // Nothing to read (the empty dims may be nominally huge): the identity of the reduction.
    out.fill(kind === 'sum' ? 0 : NaN);
    return new Tensor(out, shape);
  }
  dispatch('reduceDim', kind, outer, size, inner, src, out);
  return new Tensor(out, shape);
}

/** Reduces `dims` one after another, keeping them as size-1 dimensions. */
function reduceKeep(x: Tensor, dims: readonly number[], kind: 'sum' | 'max' | 'min'): Tensor {
  // The sum of nothing is 0, whatever the order: reducing one dimension at a time could build
  // a huge intermediate ([4, 5, 0, 2^40] summed to [4, 5, 1, 1] passes [4, 5, 1, 2^40]).
  if (kind === 'sum' && x.size === 0) {
    const shape = keptShape(x.shape, dims);
    return new Tensor(allocZeroed(x.dtype, sizeOf(shape)), shape);
  }
  let t = x;
  if (dims.length === x.ndim && x.ndim > 1) {
    // Whole-tensor reduction: one pass over the flat data.
    t = reduceDim(new Tensor(x.data, [x.size]), 0, kind);
    return new Tensor(t.data, keptShape(x.shape, dims));
  }
  for (const d of dims) t = reduceDim(t, d, kind);
  return t;
}

/** Sum over `dim` (all if omitted). Sums accumulate in float64. */
export function sum(x: Tensor, dim?: Dims, keepdim = false, fn = 'sum'): Tensor {
  const dims = resolveDims(x, dim, fn);
  // Only an empty x can reduce to more elements than a tensor can hold ([2^40, 0].sum(1)).
  if (x.size === 0) checkShape(fn, keptShape(x.shape, dims), x.dtype, 'result shape');
  const kept = reduceKeep(x, dims, 'sum');
  const out = new Tensor(kept.data, finalShape(x.shape, dims, keepdim));
  return recordOp(out, 'sum', [x], { shape: x.shape, keptShape: kept.shape });
}

export function mean(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  if (!isFloating(x.dtype))
    throw new Error(`mean: input must be a floating-point tensor, got ${x.dtype}`);
  const dims = resolveDims(x, dim, 'mean');
  const count = dims.reduce((p, d) => p * x.shape[d], 1);
  return sum(x, dims, keepdim, 'mean').div(count);
}

function extremum(x: Tensor, dim: Dims, keepdim: boolean, kind: 'max' | 'min'): Tensor {
  const fn = kind === 'max' ? 'amax' : 'amin';
  const dims = resolveDims(x, dim, fn);
  if (x.size === 0) checkShape(fn, keptShape(x.shape, dims), x.dtype, 'result shape');
  const kept = reduceKeep(x, dims, kind);
  const out = new Tensor(kept.data, finalShape(x.shape, dims, keepdim));
  return recordOp(out, fn, [x], { x, out, kept, dims });
}

export function amax(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  return extremum(x, dim, keepdim, 'max');
}
export function amin(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  return extremum(x, dim, keepdim, 'min');
}

/** Values and first indices of the extremum along `dim` (NaN counts as the extremum). */
export function maxWithIndices(
  x: Tensor,
  dim: number,
  keepdim: boolean,
  kind: 'max' | 'min',
  fn: string = kind,
): { values: Tensor; indices: Tensor } {
  const d = normalizeDim(dim, x.ndim, fn);
  const { outer, size, inner } = splitAtDim(x.shape, d);
  if (size === 0) throw new Error(`${fn}: cannot reduce over an empty dimension ${d}`);
  const values = allocUninit(x.dtype, outer * inner);
  const indices = allocUninit('int32', outer * inner);
  if (values.length > 0)
    dispatch('extremumIndices', kind, outer, size, inner, x.data, values, indices);
  const keptShapeArr = [...x.shape];
  if (keptShapeArr.length > 0) keptShapeArr[d] = 1;
  const outShape = finalShape(x.shape, x.ndim === 0 ? [] : [d], keepdim);
  const idx = new Tensor(indices, outShape);
  const vals = new Tensor(values, outShape);
  recordOp(vals, kind, [x], { shape: x.shape, outer, size, inner, indices });
  return valuesIndices(vals, idx);
}

/**
 * `{ values, indices }`, which also unpacks as PyTorch's named tuple does:
 * `const [values, indices] = x.max(1)`.
 */
export function valuesIndices(
  values: Tensor,
  indices: Tensor,
): { values: Tensor; indices: Tensor } {
  const out = { values, indices };
  Object.defineProperty(out, Symbol.iterator, {
    value: function* () {
      yield values;
      yield indices;
    },
  });
  return out;
}

/** argmax (or argmin with `kind`): the first index of the extremum, over the flattened tensor without `dim`. */
export function argmax(
  x: Tensor,
  dim?: number,
  keepdim = false,
  kind: 'max' | 'min' = 'max',
): Tensor {
  const fn = kind === 'max' ? 'argmax' : 'argmin';
  if (dim === undefined) return maxWithIndices(x.reshape([x.size]), 0, false, kind, fn).indices;
  return maxWithIndices(x, dim, keepdim, kind, fn).indices;
}

/**
 * PyTorch's three forms of `x.max` (and `x.min`): `max()`, the largest
 * element; `max(dim, keepdim)`, `{ values, indices }`; `max(other)`, the
 * elementwise `maximum`.
 */
export function maxOrMin(
  x: Tensor,
  dim: number | Tensor | undefined,
  keepdim: boolean | undefined,
  kind: 'max' | 'min',
): Tensor | { values: Tensor; indices: Tensor } {
  if (dim instanceof Tensor || dim === undefined) {
    if (keepdim !== undefined) throw new Error(`${kind}: keepdim needs a dim`);
    if (dim !== undefined) return kind === 'max' ? x.maximum(dim) : x.minimum(dim);
    if (x.size === 0) {
      throw new Error(
        `${kind}: an empty tensor has no ${kind === 'max' ? 'maximum' : 'minimum'}; give a dim to reduce`,
      );
    }
    const kept = reduceKeep(
      x,
      x.shape.map((_s, i) => i),
      kind,
    );
    const out = new Tensor(kept.data, []);
    return recordOp(out, kind === 'max' ? 'maxAll' : 'minAll', [x], { x, out });
  }
  return maxWithIndices(x, dim, keepdim ?? false, kind);
}

/**
 * log Σ exp(x) over `dim`. Subtracting the maximum keeps exp from
 * overflowing; an infinite maximum is replaced by 0 first (PyTorch's rule),
 * so rows of −∞ give −∞ and rows containing +∞ give +∞ rather than NaN.
 */
export function logsumexp(x: Tensor, dim: Dims, keepdim = false): Tensor {
  if (!isFloating(x.dtype))
    throw new Error(`logsumexp: input must be a floating-point tensor, got ${x.dtype}`);
  const dims = resolveDims(x, dim, 'logsumexp');
  if (dims.some((d) => x.shape[d] === 0)) {
    // A sum over nothing: log 0 = −∞, as PyTorch returns (amax would refuse the empty dim).
    const shape = keepdim ? keptShape(x.shape, dims) : finalShape(x.shape, dims, false);
    checkShape('logsumexp', shape, x.dtype, 'result shape');
    return recordOp(full(shape, -Infinity, x.dtype), 'logsumexp', [x], { x });
  }
  const m = amax(x.detach(), dims, true);
  const safe = where(m.abs().eq(Infinity), 0, m);
  const result = sum(x.sub(safe).exp(), dims, true).log().add(safe);
  return keepdim ? result : result.reshape(finalShape(x.shape, dims, false));
}

/** Sums `g` over broadcast dimensions so it has `shape` (autograd's central reduction). */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  }
  return sum(g, dims, true).reshape([...shape]);
}

/**
 * `x`'s elements as `m` rows of `n`: row r holds the elements of the r-th
 * position of the kept dims (row-major), j runs over `dims` (row-major).
 */
function rowsOver(x: Tensor, dims: readonly number[]): { data: Numbers; m: number; n: number } {
  const kept = x.shape.map((_s, i) => i).filter((i) => !dims.includes(i));
  const order = [...kept, ...dims];
  const n = dims.reduce((p, d) => p * x.shape[d], 1);
  const m = kept.reduce((p, d) => p * x.shape[d], 1);
  const t = order.every((d, i) => d === i) ? x : x.detach().permute(order);
  return { data: t.data as Numbers, m, n };
}

/**
 * `var` (or `std`, its square root) over `dim` with `correction`:
 * `Σ (x − mean)² / max(0, N − correction)`, N the number of elements
 * reduced. Computed in float64 in two passes (mean, then squared
 * deviations) and rounded once, as PyTorch's CPU kernel accumulates float32
 * in double; so N = correction gives NaN (0/0) or +∞, as in PyTorch.
 * `dim` omitted, `null` or `[]` reduces every dim.
 */
export function varStd(
  x: Tensor,
  kind: 'var' | 'std',
  dim: Dims | null,
  correction: number,
  keepdim: boolean,
): Tensor {
  if (!isFloating(x.dtype)) {
    throw new Error(
      `${kind}: input must be a floating-point tensor (float32 or float64), got ${x.dtype}`,
    );
  }
  const dims = resolveDims(x, dim ?? undefined, kind);
  const kept = keptShape(x.shape, dims);
  if (x.size === 0) checkShape(kind, kept, x.dtype, 'result shape');
  const { data, m, n } = rowsOver(x, dims);
  const out = allocUninit(x.dtype, m);
  const divisor = Math.max(0, n - correction);
  for (let r = 0; r < m; r++) {
    const base = r * n;
    let total = 0;
    for (let j = 0; j < n; j++) total += data[base + j];
    const mean = total / n;
    let m2 = 0;
    for (let j = 0; j < n; j++) {
      const e = data[base + j] - mean;
      m2 += e * e;
    }
    const v = m2 / divisor;
    out[r] = kind === 'std' ? Math.sqrt(v) : v;
  }
  const result = new Tensor(out, finalShape(x.shape, dims, keepdim));
  // PyTorch's var_backward takes its "no dim" branch for a 0-D input or an omitted dim.
  const allDims =
    x.ndim === 0 ||
    dim === undefined ||
    dim === null ||
    (typeof dim !== 'number' && dim.length === 0);
  return recordOp(result, kind, [x], {
    x,
    out: result,
    dims,
    keptShape: kept,
    n,
    correction,
    allDims,
  });
}

/**
 * PyTorch's CPU product of `n` contiguous elements (`binary_kernel_reduce_vec`):
 * 4 vectors of `lanes` elements multiplied lane-wise over each block of 4·lanes,
 * the four combined as (v0·v1)·(v2·v3), the lanes folded in order, then the
 * tail element by element. `mul` rounds to the dtype.
 */
function vectorizedProduct(
  x: Numbers,
  start: number,
  n: number,
  lanes: number,
  mul: (a: number, b: number) => number,
): number {
  const width = 4 * lanes;
  const count = Math.floor(n / width);
  let out = 1;
  if (count > 0) {
    const acc = Array.from({ length: width }, (_v, k) => x[start + k]);
    for (let i = 1; i < count; i++) {
      for (let k = 0; k < width; k++) acc[k] = mul(acc[k], x[start + i * width + k]);
    }
    let folded = 0;
    for (let k = 0; k < lanes; k++) {
      const lane = mul(mul(acc[k], acc[lanes + k]), mul(acc[2 * lanes + k], acc[3 * lanes + k]));
      folded = k === 0 ? lane : mul(folded, lane);
    }
    out = mul(out, folded);
  }
  for (let i = count * width; i < n; i++) out = mul(out, x[start + i]);
  return out;
}

/** Multiplication rounded to `dtype`: int32 wraps as PyTorch's int64 product does modulo 2³². */
function multiplier(dtype: DType): (a: number, b: number) => number {
  if (dtype === 'float32') return (a, b) => Math.fround(a * b);
  if (dtype === 'int32') return Math.imul;
  return (a, b) => a * b;
}

/**
 * Product over `dim` (all elements if omitted), in PyTorch's CPU order:
 * along a contiguous run (the last dim, or the whole tensor) its vectorised
 * order (8 float32 or 4 float64 lanes, 4 vectors per step), along another
 * dim element by element; each product rounded to the dtype, so the
 * float32 result is PyTorch's bit for bit. int32 stays int32 (PyTorch
 * promotes to int64; nnkit's result is that product modulo 2³²).
 */
export function prod(x: Tensor, dim?: number, keepdim?: boolean): Tensor {
  const mul = multiplier(x.dtype);
  const lanes = x.dtype === 'float64' ? 4 : 8;
  const src = x.data as Numbers;
  if (dim === undefined) {
    if (keepdim !== undefined) throw new Error('prod: keepdim needs a dim');
    const out = allocUninit(x.dtype, 1);
    out[0] = vectorizedProduct(src, 0, src.length, lanes, mul);
    const result = new Tensor(out, []);
    return recordOp(result, 'prod', [x], { x, out: result, dim: null, keptShape: [] });
  }
  const d = normalizeDim(dim, x.ndim, 'prod');
  const { outer, size, inner } = splitAtDim(x.shape, d);
  const kept = keptShape(x.shape, x.ndim === 0 ? [] : [d]);
  if (x.size === 0) checkShape('prod', kept, x.dtype, 'result shape');
  const out = allocUninit(x.dtype, outer * inner);
  for (let o = 0; o < (src.length > 0 ? outer : 0); o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * size * inner + i;
      if (inner === 1) {
        out[o] = vectorizedProduct(src, start, size, lanes, mul);
      } else {
        let acc = 1;
        for (let s = 0; s < size; s++) acc = mul(acc, src[start + s * inner]);
        out[o * inner + i] = acc;
      }
    }
  }
  if (src.length === 0) out.fill(1);
  const result = new Tensor(out, finalShape(x.shape, x.ndim === 0 ? [] : [d], keepdim ?? false));
  return recordOp(result, 'prod', [x], { x, out: result, dim: d, keptShape: kept });
}

/**
 * Running sums along `dim` (from the end with `reverse`), accumulated in
 * float64 and rounded to the dtype at each output, as PyTorch's CPU cumsum
 * accumulates float32 in double; int32 wraps (PyTorch promotes to int64).
 */
export function cumsum(x: Tensor, dim: number, reverse = false): Tensor {
  const d = normalizeDim(dim, x.ndim, 'cumsum');
  const { outer, size, inner } = splitAtDim(x.shape, d);
  const src = x.data as Numbers;
  const out = allocUninit(x.dtype, src.length);
  const int = x.dtype === 'int32';
  for (let o = 0; o < (src.length > 0 ? outer : 0); o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * size * inner + i;
      let acc = 0;
      for (let k = 0; k < size; k++) {
        const at = start + (reverse ? size - 1 - k : k) * inner;
        acc = int ? (acc + src[at]) | 0 : acc + src[at];
        out[at] = acc;
      }
    }
  }
  const result = new Tensor(out, x.shape);
  return recordOp(result, 'cumsum', [x], { dim: d, reverse });
}
