/**
 * PyTorch's everyday shape queries — `x.size()`, `x.size(dim)`, `x.numel()`,
 * `x.dim()` — as free functions taking the tensor first, for installation
 * as Tensor methods. `torch.Size` is a tuple; nnkit returns the tensor's
 * frozen shape array.
 */
import type { Tensor } from './tensor.js';
import { normalizeDim } from './shape.js';

/**
 * The shape (PyTorch's `torch.Size`, here a frozen array), or the size of
 * dimension `dim` (negative counts from the end), like `Tensor.size(dim=None)`.
 * A 0-d tensor has no dimensions to ask about, as in PyTorch.
 * @example
 * import { zeros } from 'nnkit';
 * import { size } from 'nnkit/habits';
 * console.log(size(zeros(2, 3))); // [ 2, 3 ]
 * console.log(size(zeros(2, 3), -1)); // 3
 */
export function size(t: Tensor): readonly number[];
export function size(t: Tensor, dim: number): number;
export function size(t: Tensor, dim?: number): readonly number[] | number {
  if (dim === undefined) return t.shape;
  if (t.shape.length === 0) {
    throw new Error(`size: dimension specified as ${dim} but the tensor has no dimensions`);
  }
  return t.shape[normalizeDim(dim, t.shape.length, 'size')];
}

/**
 * The number of elements, like `Tensor.numel()` (1 for a 0-d tensor, 0 if
 * any dimension is 0).
 * @example
 * import { zeros } from 'nnkit';
 * import { numel } from 'nnkit/habits';
 * console.log(numel(zeros(2, 3))); // 6
 */
export function numel(t: Tensor): number {
  return t.data.length;
}

/**
 * The number of dimensions, like `Tensor.dim()` (PyTorch's alias `ndim`).
 * @example
 * import { zeros } from 'nnkit';
 * import { dim } from 'nnkit/habits';
 * console.log(dim(zeros(2, 3))); // 2
 */
export function dim(t: Tensor): number {
  return t.shape.length;
}
