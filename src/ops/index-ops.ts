/** Indexing: gather, indexSelect, where, scatter-add. */
import { Tensor } from '../tensor/tensor.js';
import { allocUninit, allocZeroed, promoteTypes } from '../tensor/dtype.js';
import {
  broadcastShapes,
  broadcastStrides,
  formatShape,
  normalizeDim,
  sizeOf,
  splitAtDim,
} from '../tensor/shape.js';
import { recordOp } from '../autograd/derivatives/index.js';
import { dispatch } from '../kernels/backend.js';
import { scalarLike } from './elementwise/apply.js';
import * as T from '../signature/types.js';
import { bindPositional, operand, p } from './method-checks.js';

function requireIndex(index: Tensor, fn: string): void {
  if (index.dtype !== 'int32') {
    throw new Error(`${fn}: index must be an int32 tensor, got ${index.dtype}`);
  }
}

/**
 * `out[o, j, i] = x[o, index[o, j, i], i]` along `dim` (torch.gather). The
 * gradient scatters back with addition, so repeated indices accumulate.
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  requireIndex(index, 'gather');
  const d = normalizeDim(dim, x.ndim, 'gather');
  if (index.ndim !== x.ndim) {
    throw new Error(`gather: index has ${index.ndim} dimensions but input has ${x.ndim}`);
  }
  for (let k = 0; k < x.ndim; k++) {
    if (k !== d && index.shape[k] > x.shape[k]) {
      throw new Error(
        `gather: index shape ${formatShape(index.shape)} exceeds input shape ${formatShape(x.shape)} at dimension ${k}`,
      );
    }
  }
  const size = x.ndim === 0 ? 1 : x.shape[d];
  const idx = index.data;
  for (let i = 0; i < idx.length; i++) {
    if (idx[i] < 0 || idx[i] >= size) {
      throw new Error(
        `gather: index ${idx[i]} is out of bounds for dimension ${d} with size ${size}`,
      );
    }
  }
  const n = index.size;
  const out = allocUninit(x.dtype, n);
  const offsets = gatherOffsets(x.shape, index.shape, d);
  const xs = splitAtDim(x.shape, d).inner;
  const src = x.data;
  for (let i = 0; i < n; i++) out[i] = src[offsets[i] + idx[i] * xs];
  const t = new Tensor(out, index.shape);
  return recordOp(t, 'gather', [x], { x, index, offsets, stride: xs });
}

/** For each element of an index of `indexShape`, the offset into `shape` with dimension `d` zeroed. */
function gatherOffsets(
  shape: readonly number[],
  indexShape: readonly number[],
  d: number,
): Int32Array {
  const n = sizeOf(indexShape);
  const out = new Int32Array(n);
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    strides[k] = k === d ? 0 : s;
    s *= shape[k];
  }
  const idx = new Array<number>(indexShape.length).fill(0);
  let off = 0;
  for (let i = 0; i < n; i++) {
    out[i] = off;
    for (let k = indexShape.length - 1; k >= 0; k--) {
      idx[k]++;
      off += strides[k];
      if (idx[k] < indexShape[k]) break;
      off -= strides[k] * indexShape[k];
      idx[k] = 0;
    }
  }
  return out;
}

/** Selects entries of `x` along `dim` by a 1-D int32 index (torch.index_select). */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  requireIndex(index, 'indexSelect');
  if (index.ndim > 1)
    throw new Error(`indexSelect: index must be 1-D, got shape ${formatShape(index.shape)}`);
  const d = normalizeDim(dim, x.ndim, 'indexSelect');
  const { outer, size, inner } = splitAtDim(x.shape, d);
  const idx = index.data;
  const k = idx.length;
  for (let i = 0; i < k; i++) {
    if (idx[i] < 0 || idx[i] >= size) {
      throw new Error(
        `indexSelect: index ${idx[i]} is out of range for dimension ${d} of size ${size}`,
      );
    }
  }
  const outShape = [...x.shape];
  if (outShape.length > 0) outShape[d] = k;
  const out = allocUninit(x.dtype, outer * k * inner);
  if (out.length > 0)
    dispatch('indexSelect', outer, size, inner, k, x.data, idx as Int32Array, out);
  const t = new Tensor(out, outShape);
  return recordOp(t, 'indexSelect', [x], { x, index, outer, size, inner });
}

const WHERE_PARAMS = [p('condition', T.tensor), p('input', operand), p('other', operand)];

/**
 * `input` where `condition` is non-zero, else `other`, with three-way broadcasting
 * (torch.where). Gradients flow to the branch that was taken.
 * @example
 * ```ts
 * import { tensor, where } from 'nnkit';
 * const x = tensor([-1, 2, -3, 4]);
 * console.log(where(x.gt(0), x, 0)); // tensor([0., 2., 0., 4.])
 * ```
 * @param condition - Where to take `input` (non-zero) or `other` (zero).
 * @param input - The values where `condition` holds: a tensor or a number.
 * @param other - The values elsewhere: a tensor or a number.
 */
export function where(condition: Tensor, input: Tensor | number, other: Tensor | number): Tensor;
export function where(...args: unknown[]): Tensor {
  const [cond, aIn, bIn] = bindPositional('where', WHERE_PARAMS, args) as [
    Tensor,
    Tensor | number,
    Tensor | number,
  ];
  const a =
    typeof aIn !== 'number'
      ? aIn
      : scalarLike(aIn, typeof bIn === 'number' ? new Tensor(new Float32Array(1), []) : bIn);
  const b = typeof bIn === 'number' ? scalarLike(bIn, a) : bIn;
  const shape = broadcastShapes(broadcastShapes(cond.shape, a.shape, 'where'), b.shape, 'where');
  const n = sizeOf(shape);
  const dtype = promoteTypes(a.dtype, b.dtype);
  const out = allocUninit(dtype, n);
  const cs = broadcastStrides(cond.shape, shape);
  const as = broadcastStrides(a.shape, shape);
  const bs = broadcastStrides(b.shape, shape);
  const cd = cond.data;
  const ad = a.data;
  const bd = b.data;
  const idx = new Array<number>(shape.length).fill(0);
  let co = 0;
  let ao = 0;
  let bo = 0;
  for (let i = 0; i < n; i++) {
    out[i] = cd[co] !== 0 ? ad[ao] : bd[bo];
    for (let k = shape.length - 1; k >= 0; k--) {
      idx[k]++;
      co += cs[k];
      ao += as[k];
      bo += bs[k];
      if (idx[k] < shape[k]) break;
      co -= cs[k] * shape[k];
      ao -= as[k] * shape[k];
      bo -= bs[k] * shape[k];
      idx[k] = 0;
    }
  }
  const t = new Tensor(out, shape);
  return recordOp(t, 'where', [a, b], { cond, a, b });
}

/**
 * `out[p, index[p, i]] = x[p, i]` into zeros of `(planes, size)`, for `x` and
 * `index` of shape `(planes, k)`, in order (a repeated index keeps the last
 * value, as PyTorch's CPU `max_unpool`). The indices must be in `[0, size)`:
 * the caller checks them. The gradient gathers: `dx[p, i] = G[p, index[p, i]]`
 * (every repeat of an index receives it).
 */
export function unpoolScatter(x: Tensor, index: Tensor, size: number): Tensor {
  requireIndex(index, 'unpoolScatter');
  const [planes, k] = x.shape;
  const out = allocZeroed(x.dtype, planes * size);
  const src = x.data;
  const idx = index.data;
  for (let p = 0; p < planes; p++) {
    const from = p * k;
    const to = p * size;
    for (let i = 0; i < k; i++) out[to + idx[from + i]] = src[from + i];
  }
  const t = new Tensor(out, [planes, size]);
  return recordOp(t, 'unpoolScatter', [x], { index });
}
