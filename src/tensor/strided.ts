/**
 * Strided layouts: reading the elements of a view (a shape, strides and an
 * offset into shared storage) in row-major order, and writing them back.
 * Strides and offsets count elements, as PyTorch's do.
 */
import { allocUninit, dtypeOf, type TypedArray } from './dtype.js';
import { sizeOf, type Shape } from './shape.js';

/**
 * Whether a layout is row-major contiguous (PyTorch's `is_contiguous`):
 * dimensions of size 1 may have any stride, and an empty tensor is contiguous.
 */
export function isContiguousLayout(shape: Shape, strides: readonly number[]): boolean {
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d];
    if (n === 0) return true;
    if (n === 1) continue;
    if (strides[d] !== expected) return false;
    expected *= n;
  }
  return true;
}

/**
 * Whether two elements of a layout refer to one storage element (a stride 0
 * over a dimension of more than one element, as `expand` makes): PyTorch
 * refuses to write such a tensor in place.
 */
export function hasInternalOverlap(shape: Shape, strides: readonly number[]): boolean {
  for (let d = 0; d < shape.length; d++) if (strides[d] === 0 && shape[d] > 1) return true;
  return false;
}

/**
 * Calls `row(storageIndex, stride, n, outIndex)` for each row (the last
 * dimension) of the layout in row-major order; the other dimensions are
 * walked with an odometer.
 */
function forEachRow(
  shape: Shape,
  strides: readonly number[],
  offset: number,
  row: (from: number, stride: number, n: number, at: number) => void,
): void {
  const total = sizeOf(shape);
  if (total === 0) return;
  const nd = shape.length;
  if (nd === 0) {
    row(offset, 1, 1, 0);
    return;
  }
  const last = shape[nd - 1];
  const ls = strides[nd - 1];
  const idx = new Array<number>(nd).fill(0);
  let src = offset;
  for (let o = 0; o < total; o += last) {
    row(src, ls, last, o);
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      src += strides[d];
      if (idx[d] < shape[d]) break;
      src -= strides[d] * shape[d];
      idx[d] = 0;
    }
  }
}

/** A fresh contiguous copy of the layout's elements, in row-major order. */
export function gatherStrided(
  storage: TypedArray,
  shape: Shape,
  strides: readonly number[],
  offset: number,
): TypedArray {
  const out = allocUninit(dtypeOf(storage), sizeOf(shape));
  forEachRow(shape, strides, offset, (from, stride, n, at) => {
    if (stride === 1) out.set(storage.subarray(from, from + n), at);
    else for (let i = 0; i < n; i++) out[at + i] = storage[from + i * stride];
  });
  return out;
}

/** Writes `values` (row-major, one per element of the layout) into the layout's storage. */
export function scatterStrided(
  storage: TypedArray,
  shape: Shape,
  strides: readonly number[],
  offset: number,
  values: ArrayLike<number>,
): void {
  forEachRow(shape, strides, offset, (to, stride, n, at) => {
    for (let i = 0; i < n; i++) storage[to + i * stride] = values[at + i];
  });
}

/** The storage index of every element of the layout, in row-major order. */
export function storageIndices(
  shape: Shape,
  strides: readonly number[],
  offset: number,
): Int32Array {
  const out = new Int32Array(sizeOf(shape));
  forEachRow(shape, strides, offset, (from, stride, n, at) => {
    for (let i = 0; i < n; i++) out[at + i] = from + i * stride;
  });
  return out;
}

/**
 * PyTorch's `computeStride` (aten/src/ATen/TensorUtils.cpp): the strides
 * under which a tensor of `shape` and `strides` can be read as `newShape`
 * without a copy, or null if no such strides exist (a dimension of the new
 * shape would span two non-adjacent runs of storage). Same element count.
 */
export function viewStrides(
  shape: Shape,
  strides: readonly number[],
  newShape: Shape,
): number[] | null {
  const newStrides = new Array<number>(newShape.length).fill(0);
  if (sizeOf(shape) === 0 || shape.length === 0) {
    // Empty or one element: any strides do; use the contiguous ones.
    let s = 1;
    for (let i = newShape.length - 1; i >= 0; i--) {
      newStrides[i] = s;
      s *= Math.max(newShape[i], 1);
    }
    return newStrides;
  }
  let viewD = newShape.length - 1;
  let chunkBaseStride = strides[strides.length - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let tensorD = shape.length - 1; tensorD >= 0; tensorD--) {
    tensorNumel *= shape[tensorD];
    if (
      tensorD === 0 ||
      (shape[tensorD - 1] !== 1 && strides[tensorD - 1] !== tensorNumel * chunkBaseStride)
    ) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBaseStride;
        viewNumel *= newShape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (tensorD > 0) {
        chunkBaseStride = strides[tensorD - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? newStrides : null;
}
