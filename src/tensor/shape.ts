/** Shapes, strides and broadcasting: the bookkeeping every op shares. */

/** A tensor's shape: the size of each dimension, outermost first. */
export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a contiguous tensor. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Broadcasts two shapes as NumPy and PyTorch do, or throws naming `fn`. */
export function broadcastShapes(a: Shape, b: Shape, fn = 'broadcast'): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(
        `${fn}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together (dimension ${i}: ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Normalises a possibly negative `dim` for a tensor of `ndim` dimensions, as
 * PyTorch does (a scalar accepts dims -1 and 0), or throws naming `fn`.
 */
export function normalizeDim(dim: number, ndim: number, fn: string, argName = 'dim'): number {
  const rank = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -rank || dim >= rank) {
    throw new Error(
      `${fn}: ${argName} ${dim} is out of range for a tensor of ${ndim} dimension${ndim === 1 ? '' : 's'} (expected an integer in [${-rank}, ${rank - 1}])`,
    );
  }
  return dim < 0 ? dim + rank : dim;
}

/**
 * Strides for reading a tensor of shape `from` as if it had the broadcast
 * shape `to`: broadcast dimensions get stride 0.
 */
export function broadcastStrides(from: Shape, to: Shape): number[] {
  const strides = stridesOf(from);
  const out = new Array<number>(to.length).fill(0);
  const offset = to.length - from.length;
  for (let i = 0; i < from.length; i++) out[i + offset] = from[i] === 1 ? 0 : strides[i];
  return out;
}

/** Splits `shape` around `dim` into the (outer, size, inner) triple that dim-wise kernels use. */
export function splitAtDim(
  shape: Shape,
  dim: number,
): { outer: number; size: number; inner: number } {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i];
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  return { outer, size: shape.length === 0 ? 1 : shape[dim], inner };
}

/** Nested arrays of `data` in `shape`, like `torch.Tensor.tolist()`; a number for a scalar. */
export function toNested(data: ArrayLike<number>, shape: Shape): NestedArray {
  if (shape.length === 0) return data[0];
  const strides = stridesOf(shape);
  const build = (dim: number, off: number): NestedArray[] => {
    const out: NestedArray[] = [];
    for (let i = 0; i < shape[dim]; i++) {
      out.push(dim === shape.length - 1 ? data[off + i] : build(dim + 1, off + i * strides[dim]));
    }
    return out;
  };
  return build(0, 0);
}

/** A number, or arrays of them nested to any depth. */
export type NestedArray = number | NestedArray[];
