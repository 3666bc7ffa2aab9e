/** Shape manipulation: reshape, permute, expand, narrow, cat, casts and copies. */
import { Tensor } from '../tensor/tensor.js';
import { allocUninit, isFloating, type DType, type TypedArray } from '../tensor/dtype.js';
import {
  broadcastShapes,
  broadcastStrides,
  formatShape,
  normalizeDim,
  sizeOf,
  splitAtDim,
  stridesOf,
  type Shape,
} from '../tensor/shape.js';
import { recordOp } from '../autograd/derivatives/index.js';
import { checkArgs, checkTensorList } from './method-checks.js';
import { checkShape } from '../tensor/checks.js';
import * as T from '../signature/types.js';

const DIM_ARG = [{ name: 'dim', type: T.int(), optional: true }];

/** A tensor of `shape` filled with `value`. */
export function full(shape: Shape, value: number, dtype: DType): Tensor {
  const data = allocUninit(dtype, sizeOf(shape));
  data.fill(value);
  return new Tensor(data, shape);
}

export function cast(x: Tensor, dtype: DType): Tensor {
  if (dtype === x.dtype) return x;
  const out = allocUninit(dtype, x.size);
  const src = x.data;
  if (dtype === 'int32') {
    for (let i = 0; i < src.length; i++) out[i] = Math.trunc(src[i]);
  } else {
    out.set(src);
  }
  const t = new Tensor(out, x.shape);
  if (isFloating(dtype)) recordOp(t, 'to', [x], { dtype: x.dtype });
  return t;
}

export function clone(x: Tensor): Tensor {
  const out = new Tensor(x.data.slice(), x.shape);
  return recordOp(out, 'clone', [x], {});
}

/** Resolves a `-1` and checks the element count. */
function inferShape(x: Tensor, shape: readonly number[]): number[] {
  const out = [...shape];
  const unknown = out.indexOf(-1);
  if (unknown >= 0) {
    const known = out.reduce((p, d, i) => (i === unknown ? p : p * d), 1);
    if (known === 0 || x.size % known !== 0) {
      throw new Error(
        `reshape: shape ${formatShape(shape)} is invalid for input of size ${x.size}`,
      );
    }
    out[unknown] = x.size / known;
  }
  if (out.some((d) => !Number.isInteger(d) || d < 0) || sizeOf(out) !== x.size) {
    throw new Error(`reshape: shape ${formatShape(shape)} is invalid for input of size ${x.size}`);
  }
  return out;
}

export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const s = inferShape(x, shape);
  const out = new Tensor(x.data, s)._viewOf(x);
  return recordOp(out, 'reshape', [x], { shape: x.shape });
}

export function flatten(x: Tensor, startDim: number, endDim: number): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeDim(startDim, x.ndim, 'flatten', 'startDim');
  const e = normalizeDim(endDim, x.ndim, 'flatten', 'endDim');
  if (s > e) throw new Error(`flatten: startDim ${startDim} comes after endDim ${endDim}`);
  const shape = [...x.shape.slice(0, s), sizeOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.ndim + 1, 'unsqueeze');
  const shape = [...x.shape];
  shape.splice(d, 0, 1);
  return reshape(x, shape);
}

export function squeeze(x: Tensor, dim?: number): Tensor {
  if (dim === undefined)
    return reshape(
      x,
      x.shape.filter((d) => d !== 1),
    );
  if (x.ndim === 0) return x;
  const d = normalizeDim(dim, x.ndim, 'squeeze');
  if (x.shape[d] !== 1) return x;
  return reshape(
    x,
    x.shape.filter((_s, i) => i !== d),
  );
}

/** Copies `x` into a new layout: `out[idx] = x[Σ idx[k]·srcStrides[k]]`. */
function stridedCopy(
  x: TypedArray,
  outShape: Shape,
  srcStrides: readonly number[],
  dtype: DType,
): TypedArray {
  const n = sizeOf(outShape);
  const out = allocUninit(dtype, n);
  if (n === 0) return out;
  const nd = outShape.length;
  if (nd === 0) {
    out[0] = x[0];
    return out;
  }
  const last = outShape[nd - 1];
  const ls = srcStrides[nd - 1];
  const idx = new Array<number>(nd).fill(0);
  let src = 0;
  for (let o = 0; o < n; o += last) {
    for (let i = 0; i < last; i++) out[o + i] = x[src + i * ls];
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      src += srcStrides[d];
      if (idx[d] < outShape[d]) break;
      src -= srcStrides[d] * outShape[d];
      idx[d] = 0;
    }
  }
  return out;
}

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== x.ndim) {
    throw new Error(`permute: expected ${x.ndim} dims, got ${formatShape(dims)}`);
  }
  const d = dims.map((v) => normalizeDim(v, x.ndim, 'permute'));
  if (new Set(d).size !== d.length)
    throw new Error(`permute: repeated dim in ${formatShape(dims)}`);
  const strides = stridesOf(x.shape);
  const outShape = d.map((k) => x.shape[k]);
  const out = new Tensor(
    stridedCopy(
      x.data,
      outShape,
      d.map((k) => strides[k]),
      x.dtype,
    ),
    outShape,
  );
  const inverse = new Array<number>(d.length);
  d.forEach((k, i) => (inverse[k] = i));
  return recordOp(out, 'permute', [x], { inverse });
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const dims = x.shape.map((_s, i) => i);
  const a = normalizeDim(dim0, x.ndim, 'transpose', 'dim0');
  const b = normalizeDim(dim1, x.ndim, 'transpose', 'dim1');
  if (x.ndim < 2 || a === b) return x;
  [dims[a], dims[b]] = [dims[b], dims[a]];
  return permute(x, dims);
}

/** Materialises `x` broadcast to `shape` (a copy: nnkit tensors are always contiguous). */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  const target = shape.map((d, i) => (d === -1 ? x.shape[i - (shape.length - x.ndim)] : d));
  const outShape = broadcastShapes(x.shape, target, 'expand');
  if (outShape.length !== target.length || outShape.some((d, i) => d !== target[i])) {
    throw new Error(`expand: cannot expand shape ${formatShape(x.shape)} to ${formatShape(shape)}`);
  }
  if (outShape.length === x.ndim && outShape.every((d, i) => d === x.shape[i])) return x;
  const out = new Tensor(
    stridedCopy(x.data, outShape, broadcastStrides(x.shape, outShape), x.dtype),
    outShape,
  );
  return recordOp(out, 'expand', [x], { shape: x.shape });
}

export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  if (x.ndim === 0) throw new Error('narrow: cannot be applied to a 0-dim tensor');
  const d = normalizeDim(dim, x.ndim, 'narrow');
  const size = x.shape[d];
  if (start < 0) start += size;
  if (
    !Number.isInteger(start) ||
    !Number.isInteger(length) ||
    start < 0 ||
    length < 0 ||
    start + length > size
  ) {
    throw new Error(
      `narrow: start ${start} and length ${length} are out of range for dimension ${d} of size ${size}`,
    );
  }
  const { outer, inner } = splitAtDim(x.shape, d);
  const outShape = [...x.shape];
  outShape[d] = length;
  const out = allocUninit(x.dtype, outer * length * inner);
  const src = x.data;
  // An empty x can have any number of (empty) rows: nothing to copy.
  for (let o = 0; o < (out.length > 0 ? outer : 0); o++) {
    const from = (o * size + start) * inner;
    out.set(src.subarray(from, from + length * inner), o * length * inner);
  }
  const t = new Tensor(out, outShape);
  return recordOp(t, 'narrow', [x], { shape: x.shape, outer, size, start, length, inner });
}

export function chunk(x: Tensor, chunks: number, dim: number): Tensor[] {
  const d = normalizeDim(dim, x.ndim, 'chunk');
  if (!Number.isInteger(chunks) || chunks < 1)
    throw new Error(`chunk: chunks must be a positive integer, got ${chunks}`);
  const size = x.shape[d];
  const step = Math.ceil(size / chunks);
  const out: Tensor[] = [];
  for (let s = 0; s < size; s += step) out.push(narrow(x, d, s, Math.min(step, size - s)));
  return out;
}

/**
 * Concatenates tensors along `dim`, like `torch.cat`.
 * @example
 * ```ts
 * import { cat, tensor } from 'nnkit';
 * const a = tensor([[1, 2]]);
 * const b = tensor([[3, 4], [5, 6]]);
 * console.log(cat([a, b], 0));
 * // tensor([[1., 2.],
 * //         [3., 4.],
 * //         [5., 6.]])
 * ```
 */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  checkTensorList('cat', tensors);
  checkArgs('cat', DIM_ARG, [dim]);
  if (tensors.length === 0) throw new Error('cat: expected a non-empty list of tensors');
  const first = tensors[0];
  const d = normalizeDim(dim, first.ndim, 'cat');
  let dtype = first.dtype;
  for (const t of tensors) {
    if (t.ndim !== first.ndim || t.shape.some((s, i) => i !== d && s !== first.shape[i])) {
      throw new Error(
        `cat: shapes ${formatShape(first.shape)} and ${formatShape(t.shape)} differ outside dimension ${d}`,
      );
    }
    if (t.dtype === 'float64' || (t.dtype === 'float32' && dtype === 'int32')) dtype = t.dtype;
  }
  const total = tensors.reduce((s, t) => s + t.shape[d], 0);
  const outShape = [...first.shape];
  outShape[d] = total;
  checkShape('cat', outShape, dtype, 'result shape');
  const { outer, inner } = splitAtDim(outShape, d);
  const out = allocUninit(dtype, sizeOf(outShape));
  let offset = 0;
  // An empty result has nothing to copy, however many (empty) rows it nominally has.
  for (const t of out.length === 0 ? [] : tensors) {
    const len = t.shape[d] * inner;
    const src = t.dtype === dtype ? t.data : cast(t, dtype).data;
    for (let o = 0; o < outer; o++)
      out.set(src.subarray(o * len, (o + 1) * len), o * total * inner + offset * inner);
    offset += t.shape[d];
  }
  const result = new Tensor(out, outShape);
  return recordOp(result, 'cat', tensors, { dim: d, lengths: tensors.map((t) => t.shape[d]) });
}

/**
 * Stacks tensors of one shape along a new dimension `dim`, like `torch.stack`.
 * @example
 * ```ts
 * import { stack, tensor } from 'nnkit';
 * console.log(stack([tensor([1, 2]), tensor([3, 4])], 1));
 * // tensor([[1., 3.],
 * //         [2., 4.]])
 * ```
 */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  checkTensorList('stack', tensors);
  checkArgs('stack', DIM_ARG, [dim]);
  if (tensors.length === 0) throw new Error('stack: expected a non-empty list of tensors');
  const d = normalizeDim(dim, tensors[0].ndim + 1, 'stack');
  return cat(
    tensors.map((t) => unsqueeze(t, d)),
    d,
  );
}
