/** Shape manipulation: reshape, permute, expand, narrow, cat, casts and copies. */
import { Tensor } from '../tensor/tensor.js';
import { allocUninit, castArray, isFloating, type DType } from '../tensor/dtype.js';
import {
  broadcastShapes,
  formatShape,
  normalizeDim,
  sizeOf,
  splitAtDim,
  stridesOf,
  type Shape,
} from '../tensor/shape.js';
import { recordOp } from '../autograd/derivatives/index.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { bindPositional, checkTensorList, TENSORS_DIM } from './method-checks.js';
import { checkShape } from '../tensor/checks.js';
import { viewStrides } from '../tensor/strided.js';

/** A tensor of `shape` filled with `value`. */
export function full(shape: Shape, value: number, dtype: DType): Tensor {
  const data = allocUninit(dtype, sizeOf(shape));
  data.fill(value);
  return new Tensor(data, shape);
}

export function cast(x: Tensor, dtype: DType): Tensor {
  if (dtype === x.dtype) return x;
  const t = new Tensor(castArray(x.data, dtype), x.shape);
  if (isFloating(dtype)) recordOp(t, 'to', [x], { dtype: x.dtype });
  return t;
}

export function clone(x: Tensor): Tensor {
  // A non-contiguous view's `data` is already a fresh copy.
  const out = new Tensor(x.isContiguous() ? x.data.slice() : x.data, x.shape);
  return recordOp(out, 'clone', [x], {});
}

/**
 * `x` itself if its elements are contiguous, else a contiguous copy, like
 * `torch.Tensor.contiguous()` (differentiable: the gradient passes through).
 */
export function contiguous(x: Tensor): Tensor {
  return x.isContiguous() ? x : clone(x);
}

/** Resolves a `-1` and checks the element count. */
function inferShape(x: Tensor, shape: readonly number[]): number[] {
  const fn = 'reshape';
  const out = [...shape];
  const unknown = out.indexOf(-1);
  if (unknown >= 0) {
    const known = out.reduce((p, d, i) => (i === unknown ? p : p * d), 1);
    if (known === 0 || x.size % known !== 0) {
      throw new Error(`${fn}: shape ${formatShape(shape)} is invalid for input of size ${x.size}`);
    }
    out[unknown] = x.size / known;
  }
  if (out.some((d) => !Number.isInteger(d) || d < 0) || sizeOf(out) !== x.size) {
    throw new Error(`${fn}: shape ${formatShape(shape)} is invalid for input of size ${x.size}`);
  }
  return out;
}

/** A view of `x`'s storage with its own geometry (the caller records its op). */
function viewOf(x: Tensor, shape: Shape, strides: readonly number[], offset: number): Tensor {
  return linkView(Tensor._view(x, shape, strides, offset), x);
}

/** Links `out` to `x`'s base, noting whether gradients were being recorded. */
function linkView(out: Tensor, x: Tensor): Tensor {
  out._viewWithoutGrad = !isGradEnabled();
  return out._viewOf(x);
}

/**
 * `x` read as `shape` (one dimension may be −1): a view sharing `x`'s storage
 * when its strides allow one (always for a contiguous `x`), else — `view`
 * refuses, as PyTorch's does — a contiguous copy, as PyTorch's `reshape`.
 */
export function reshape(x: Tensor, shape: readonly number[], fn = 'reshape'): Tensor {
  const s = inferShape(x, shape);
  let out: Tensor;
  if (x._isPlain) {
    out = linkView(new Tensor(x.data, s), x);
  } else {
    const strides = x.isContiguous() ? stridesOf(s) : viewStrides(x.shape, x.stride(), s);
    if (strides === null) {
      if (fn === 'view') {
        throw new Error(
          "view: view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
        );
      }
      return reshape(contiguous(x), s);
    }
    out = viewOf(x, s, strides, x.storageOffset());
  }
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

/** A view with the dimensions reordered: `out.shape[i] = x.shape[dims[i]]`, strides likewise. */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== x.ndim) {
    throw new Error(`permute: expected ${x.ndim} dims, got ${formatShape(dims)}`);
  }
  const d = dims.map((v) => normalizeDim(v, x.ndim, 'permute'));
  if (new Set(d).size !== d.length)
    throw new Error(`permute: repeated dim in ${formatShape(dims)}`);
  const strides = x.stride();
  const out = viewOf(
    x,
    d.map((k) => x.shape[k]),
    d.map((k) => strides[k]),
    x.storageOffset(),
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

/**
 * `x` broadcast to `shape`, as a view: the broadcast dimensions get stride
 * 0, so every element along them is the same storage element (writing such
 * a view in place is refused, as in PyTorch).
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  const target = shape.map((d, i) => (d === -1 ? x.shape[i - (shape.length - x.ndim)] : d));
  const outShape = broadcastShapes(x.shape, target, 'expand');
  if (outShape.length !== target.length || outShape.some((d, i) => d !== target[i])) {
    throw new Error(`expand: cannot expand shape ${formatShape(x.shape)} to ${formatShape(shape)}`);
  }
  if (outShape.length === x.ndim && outShape.every((d, i) => d === x.shape[i])) return x;
  checkShape('expand', outShape, x.dtype, 'shape');
  const lead = outShape.length - x.ndim;
  const xs = x.stride();
  const strides = outShape.map((n, i) =>
    i < lead || (x.shape[i - lead] === 1 && n !== 1) ? 0 : xs[i - lead],
  );
  const out = viewOf(x, outShape, strides, x.storageOffset());
  return recordOp(out, 'expand', [x], { shape: x.shape });
}

/** A view of `length` elements of `dim` from `start`: the offset moves by `start` strides. */
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
  const strides = x.stride();
  const t = viewOf(x, outShape, strides, x.storageOffset() + start * strides[d]);
  return recordOp(t, 'narrow', [x], {
    shape: x.shape,
    dim: d,
    outer,
    size,
    start,
    length,
    inner,
  });
}

/**
 * Windows of `size` elements along `dimension`, `step` apart, as a view:
 * that dimension becomes the window count `⌊(n − size)/step⌋ + 1` and a last
 * dimension of `size` is appended (`torch.Tensor.unfold`).
 */
export function unfold(x: Tensor, dimension: number, size: number, step: number): Tensor {
  const fn = 'unfold';
  const d = normalizeDim(dimension, Math.max(x.ndim, 1), fn, 'dimension');
  const n = x.ndim === 0 ? 1 : x.shape[d];
  if (!Number.isInteger(size) || size < 0) {
    throw new Error(`${fn}: size must be a non-negative integer, got ${size}`);
  }
  if (size > n) {
    throw new Error(`${fn}: maximum size for tensor at dimension ${d} is ${n} but size is ${size}`);
  }
  if (!Number.isInteger(step) || step <= 0) {
    throw new Error(`${fn}: step is ${step} but must be a positive integer`);
  }
  // A 0-d tensor unfolds as PyTorch's does: to its one element, or none.
  if (x.ndim === 0) return narrow(reshape(x, [1]), 0, 0, size);
  const windows = Math.floor((n - size) / step) + 1;
  const strides = x.stride();
  const shape = [...x.shape.slice(0, d), windows, ...x.shape.slice(d + 1), size];
  const viewStrides = [
    ...strides.slice(0, d),
    strides[d] * step,
    ...strides.slice(d + 1),
    strides[d],
  ];
  const t = viewOf(x, shape, viewStrides, x.storageOffset());
  return recordOp(t, 'unfold', [x], { shape: x.shape, dim: d, size, step });
}

export function chunk(x: Tensor, chunks: number, dim: number): Tensor[] {
  const d = normalizeDim(dim, x.ndim, 'chunk');
  if (!Number.isInteger(chunks) || chunks < 1)
    throw new Error(`chunk: chunks must be a positive integer, got ${chunks}`);
  const size = x.shape[d];
  const step = Math.ceil(size / chunks);
  const out: Tensor[] = [];
  for (let s = 0; s < size; s += step) out.push(narrow(x, d, s, Math.min(step, size - s)));
  out.forEach((t, index) => (t._multiOutput = { fn: 'chunk', index }));
  return out;
}

/**
 * Pieces of `x` along `dim`, as views (`narrow`), like `torch.Tensor.split`:
 * an integer `splitSize` gives pieces of that size (the last one smaller),
 * at least one piece (an empty dim gives one empty piece); a list gives
 * pieces of those sizes, which must sum to the dim's size.
 */
export function split(x: Tensor, splitSize: number | readonly number[], dim: number): Tensor[] {
  if (x.ndim === 0) throw new Error('split: expects at least a 1-dimensional tensor');
  const d = normalizeDim(dim, x.ndim, 'split');
  const size = x.shape[d];
  let lengths: number[];
  if (typeof splitSize === 'number') {
    if (splitSize < 0) {
      throw new Error(`split: splitSize must be non-negative, got ${splitSize}`);
    }
    if (splitSize === 0 && size !== 0) {
      throw new Error(
        `split: splitSize can only be 0 if dimension ${d} has size 0, but it has size ${size}`,
      );
    }
    const count = splitSize === 0 ? 1 : Math.max(1, Math.ceil(size / splitSize));
    lengths = Array.from({ length: count }, (_v, i) =>
      Math.max(0, Math.min(splitSize, size - i * splitSize)),
    );
  } else {
    lengths = [...splitSize];
    if (lengths.some((n) => n < 0)) {
      throw new Error(`split: the sizes must be non-negative, got ${formatShape(lengths)}`);
    }
    const total = lengths.reduce((a, b) => a + b, 0);
    if (total !== size) {
      throw new Error(
        `split: the sizes ${formatShape(lengths)} must sum exactly to ${size} (the size of dimension ${d}), but sum to ${total}`,
      );
    }
  }
  let start = 0;
  const out = lengths.map((len) => {
    const piece = narrow(x, d, start, len);
    start += len;
    return piece;
  });
  out.forEach((t, index) => (t._multiOutput = { fn: 'split', index }));
  return out;
}

/**
 * The slice `index` of `x` along `dim`, without that dim (a view), like
 * `torch.Tensor.select`: `x.select(1, 0)` is PyTorch's `x[:, 0]`. A
 * negative index counts from the end.
 */
export function select(x: Tensor, dim: number, index: number): Tensor {
  if (x.ndim === 0) throw new Error('select: cannot be applied to a 0-dim tensor');
  const d = normalizeDim(dim, x.ndim, 'select');
  const size = x.shape[d];
  if (!Number.isInteger(index) || index < -size || index >= size) {
    throw new Error(
      `select: index ${index} out of range for tensor of size ${formatShape(x.shape)} at dimension ${d}`,
    );
  }
  const at = index < 0 ? index + size : index;
  return reshape(
    narrow(x, d, at, 1),
    x.shape.filter((_s, i) => i !== d),
  );
}

/**
 * The slices of `x` along `dim`, each without that dim (views), like
 * `torch.Tensor.unbind`.
 */
export function unbind(x: Tensor, dim: number): Tensor[] {
  if (x.ndim === 0) throw new Error('unbind: a 0-dimensional tensor has no dimension to unbind');
  const d = normalizeDim(dim, x.ndim, 'unbind');
  const out: Tensor[] = [];
  for (let i = 0; i < x.shape[d]; i++) out.push(select(x, d, i));
  out.forEach((t, index) => (t._multiOutput = { fn: 'unbind', index }));
  return out;
}

/** Binds `(tensors, dim)` of `cat` or `stack` and checks the list. */
function bindTensorsDim(fn: string, args: readonly unknown[]): [readonly Tensor[], number?] {
  const [tensors, dim] = bindPositional(fn, TENSORS_DIM, args);
  checkTensorList(fn, tensors);
  return [tensors as readonly Tensor[], dim as number | undefined];
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
 * @param tensors - The tensors to join, non-empty, of one shape outside `dim`.
 * @param dim - The dimension to concatenate along; negative counts from the end. Default `0`.
 */
export function cat(tensors: readonly Tensor[], dim?: number): Tensor;
/**
 * `cat` with the dim by name: `cat(tensors, { dim: 1 })`.
 *
 * @param tensors - The tensors to join, non-empty, of one shape outside `dim`.
 * @param options - By name: `dim` (default `0`).
 */
export function cat(tensors: readonly Tensor[], options: { dim?: number }): Tensor;
export function cat(...args: unknown[]): Tensor {
  const [tensors, dim = 0] = bindTensorsDim('cat', args);
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
 * @param tensors - The tensors to stack, non-empty, all of one shape.
 * @param dim - The index of the new dimension, in [−(ndim + 1), ndim]. Default `0`.
 */
export function stack(tensors: readonly Tensor[], dim?: number): Tensor;
/**
 * `stack` with the dim by name: `stack(tensors, { dim: 1 })`.
 *
 * @param tensors - The tensors to stack, non-empty, all of one shape.
 * @param options - By name: `dim` (default `0`).
 */
export function stack(tensors: readonly Tensor[], options: { dim?: number }): Tensor;
export function stack(...args: unknown[]): Tensor {
  const [tensors, dim = 0] = bindTensorsDim('stack', args);
  if (tensors.length === 0) throw new Error('stack: expected a non-empty list of tensors');
  const d = normalizeDim(dim, tensors[0].ndim + 1, 'stack');
  return cat(
    tensors.map((t) => unsqueeze(t, d)),
    d,
  );
}
