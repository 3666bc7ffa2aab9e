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

/**
 * Copies a strided (d0, d1, d2) block into contiguous memory:
 * `out[outOff + (i·d1 + j)·d2 + k] = src[offset + i·s0 + j·s1 + k·s2]`
 * (the `stridedCopy` kernel; this is its JavaScript body). Returns whether
 * it copied: a backend's kernel may decline, and this one never does.
 */
export type BlockCopy = (
  d0: number,
  d1: number,
  d2: number,
  out: TypedArray,
  outOff: number,
  src: TypedArray,
  offset: number,
  s0: number,
  s1: number,
  s2: number,
) => boolean;

/** Rows longer than this are copied with `set` (a `subarray` costs an object). */
const SET_ROW_MIN = 64;

/** The side of the square tiles a transposing copy goes through (as native/strided_copy.h). */
const TILE = 32;

/**
 * The JavaScript body of the `stridedCopy` kernel. Rows of adjacent elements
 * are copied whole; otherwise (a transpose) in tiles of 32 rows by 32
 * columns, so that each cache line read serves 32 rows: a transposed
 * [4096, 1000] float32 took 16 ms row by row.
 */
export const copyBlockJs: BlockCopy = (d0, d1, d2, out, outOff, src, offset, s0, s1, s2) => {
  // Nothing to write: no row is walked (an empty block may come with 2^40 nominal rows).
  if (d0 * d1 * d2 === 0) return true;
  for (let i = 0; i < d0; i++) {
    const base = offset + i * s0;
    const o = outOff + i * d1 * d2;
    if (s2 === 1) {
      for (let j = 0; j < d1; j++) {
        const from = base + j * s1;
        const to = o + j * d2;
        if (d2 >= SET_ROW_MIN) out.set(src.subarray(from, from + d2), to);
        else for (let k = 0; k < d2; k++) out[to + k] = src[from + k];
      }
      continue;
    }
    if (s2 === 0) {
      // Rows of one element repeated (an expand, a sum's gradient): fill runs at memset speed.
      for (let j = 0; j < d1; j++) {
        const v = src[base + j * s1];
        const to = o + j * d2;
        if (d2 >= SET_ROW_MIN) out.fill(v, to, to + d2);
        else for (let k = 0; k < d2; k++) out[to + k] = v;
      }
      continue;
    }
    for (let j0 = 0; j0 < d1; j0 += TILE) {
      const j1 = Math.min(d1, j0 + TILE);
      for (let k0 = 0; k0 < d2; k0 += TILE) {
        const k1 = Math.min(d2, k0 + TILE);
        for (let j = j0; j < j1; j++) {
          const from = base + j * s1;
          const to = o + j * d2;
          for (let k = k0; k < k1; k++) out[to + k] = src[from + k * s2];
        }
      }
    }
  }
  return true;
};

/** The block copy `gatherStrided` calls: the JS body until the kernels layer installs dispatch. */
let copyBlock: BlockCopy = copyBlockJs;

/**
 * Installs the block copy that `gatherStrided` calls (src/kernels/backend.ts
 * installs the `stridedCopy` kernel's dispatch: the tensor layer sits below
 * the kernels and cannot import them).
 */
export function setBlockCopy(copy: BlockCopy): void {
  copyBlock = copy;
}

/**
 * Layouts over one shape (a tensor's, or a broadcast output's with each
 * operand's strides) with dimensions of size 1 dropped and neighbours merged
 * where every layout's stride steps through both as one (a contiguous run, a
 * broadcast): the same elements in the same order, in as few dimensions as
 * possible.
 */
export function coalesceLayout(
  shape: Shape,
  ...strides: (readonly number[])[]
): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d];
    if (n === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, t) => outStrides[t][last] === s[d] * n)) {
      outShape[last] *= n;
      strides.forEach((s, t) => (outStrides[t][last] = s[d]));
    } else {
      outShape.push(n);
      strides.forEach((s, t) => outStrides[t].push(s[d]));
    }
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * A fresh contiguous copy of the layout's elements, in row-major order: the
 * coalesced layout's last three dimensions are one block copy (a transpose,
 * a permute of an image batch to channels-last), earlier ones are walked
 * with an odometer.
 */
export function gatherStrided(
  storage: TypedArray,
  shape: Shape,
  strides: readonly number[],
  offset: number,
): TypedArray {
  const total = sizeOf(shape);
  const out = allocUninit(dtypeOf(storage), total);
  if (total === 0) return out;
  const c = coalesceLayout(shape, strides);
  const dims = c.shape;
  const steps = c.strides[0];
  while (dims.length < 3) {
    dims.unshift(1);
    steps.unshift(0);
  }
  const nd = dims.length;
  const [d0, d1, d2] = dims.slice(nd - 3);
  const [s0, s1, s2] = steps.slice(nd - 3);
  const block = d0 * d1 * d2;
  const outer = nd - 3;
  const idx = new Array<number>(outer).fill(0);
  let from = offset;
  for (let o = 0; o < total; o += block) {
    copyBlock(d0, d1, d2, out, o, storage, from, s0, s1, s2);
    for (let d = outer - 1; d >= 0; d--) {
      idx[d]++;
      from += steps[d];
      if (idx[d] < dims[d]) break;
      from -= steps[d] * dims[d];
      idx[d] = 0;
    }
  }
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
