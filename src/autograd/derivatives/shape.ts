/**
 * Derivatives of the shape ops (forwards: src/ops/shape-ops.ts; `view`:
 * ../node.ts): casts, copies, reshapes, permutations, broadcasts, slices
 * and concatenation. None reads a saved tensor, only shapes.
 */
import { Tensor } from '../../tensor/tensor.js';
import { allocUninit, allocZeroed, type DType } from '../../tensor/dtype.js';
import { sizeOf, type Shape } from '../../tensor/shape.js';
import type { Derivatives } from './rule.js';
import { storageIndices } from '../../tensor/strided.js';
import { SliceGradient, type SliceGeometry } from '../slice-gradient.js';

/** `dbase[index[j]] += G[j]` over a base of `shape` (zero elsewhere): overlapping reads add up. */
function scatterAdd(g: Tensor, shape: Shape, index: ArrayLike<number>): Tensor {
  const gb = allocZeroed(g.dtype, sizeOf(shape));
  const gd = g.data;
  for (let j = 0; j < index.length; j++) gb[index[j]] += gd[j];
  return new Tensor(gb, shape);
}

export interface ShapeContexts {
  to: { dtype: DType };
  clone: Record<string, never>;
  reshape: { shape: Shape };
  view: { shape: Shape };
  permute: { inverse: readonly number[] };
  expand: { shape: Shape };
  narrow: SliceGeometry;
  cat: { dim: number; lengths: readonly number[] };
  asStrided: { shape: Shape; index: Int32Array };
  unfold: { shape: Shape; dim: number; size: number; step: number };
  copySlices: { shape: Shape; viewShape: Shape; index: Int32Array };
}

export const SHAPE: Derivatives<ShapeContexts> = {
  /** `y = x.to(dtype)`: `dx = G.to(x.dtype)` (the gradient is cast back). */
  to: { saves: 'nothing', backward: (g, c) => [g.to(c.dtype)] },

  /** `y = x.clone()`: `dx = G`. */
  clone: { saves: 'nothing', backward: (g) => [g] },

  /** `y = x.reshape(s)`: `dx = G.reshape(x.shape)`. */
  reshape: { saves: 'nothing', backward: (g, c) => [g.reshape(c.shape)] },

  /**
   * A view re-derived from its base after an in-place write through another
   * view (or the base): `dbase = G.reshape(base.shape)`.
   */
  view: { saves: 'nothing', backward: (g, c) => [g.reshape(c.shape)] },

  /** `y = x.permute(p)`: `dx = G.permute(p⁻¹)`. */
  permute: { saves: 'nothing', backward: (g, c) => [g.permute(c.inverse)] },

  /** `y = x.expand(s)`: `dx = Σ G` over the broadcast dimensions (`G.sumToShape(x.shape)`). */
  expand: { saves: 'nothing', backward: (g, c) => [g.sumToShape(c.shape)] },

  /**
   * `y = x.narrow(d, start, length)`: `dx` is zero except
   * `dx[…, start:start+length, …] = G`, kept as `G` and its place until the
   * engine sums it (see SliceGradient: the slices of one base fill one sum).
   */
  narrow: { saves: 'nothing', backward: (g, c) => [new SliceGradient(g, c)] },

  /**
   * A view re-derived from its base after an in-place write through another
   * view (or the base), when the view is not the base reshaped (PyTorch's
   * `as_strided`): `index[j]` is the base element that the view's element `j`
   * reads, and `dbase[index[j]] += G[j]` (zero elsewhere).
   */
  asStrided: {
    saves: 'nothing',
    backward: (g, c) => [scatterAdd(g, c.shape, c.index)],
  },

  /**
   * `y = x.unfold(d, size, step)`: windows of `size` along d, `step` apart,
   * a view; `dx[…, k·step + i, …] += G[…, k, …, i]`, so where windows
   * overlap (step < size) their gradients add up. The element each window
   * position reads is recomputed from the geometry here, not saved.
   */
  unfold: {
    saves: 'nothing',
    backward: (g, c) => {
      const { shape, dim, size, step } = c;
      const strides = shape.map((_, i) => sizeOf(shape.slice(i + 1)));
      const windows = g.shape[dim];
      const viewShape = [...shape.slice(0, dim), windows, ...shape.slice(dim + 1), size];
      const viewStrides = [
        ...strides.slice(0, dim),
        strides[dim] * step,
        ...strides.slice(dim + 1),
        strides[dim],
      ];
      return [scatterAdd(g, shape, storageIndices(viewShape, viewStrides, 0))];
    },
  },

  /**
   * The base after an in-place op wrote into its view (PyTorch's
   * `CopySlices`); inputs: the base as it was, the view's new value. The
   * view covers base elements `index`: the old base gets `G` with them
   * zeroed (they were overwritten), the view's new value gets `G` read
   * there, `dview[j] = G[index[j]]`.
   */
  copySlices: {
    saves: 'nothing',
    backward: (g, c) => {
      const gd = g.data;
      const gb = gd.slice();
      const gv = allocUninit(g.dtype, c.index.length);
      for (let j = 0; j < c.index.length; j++) {
        gv[j] = gd[c.index[j]];
        gb[c.index[j]] = 0;
      }
      return [new Tensor(gb, c.shape), new Tensor(gv, c.viewShape)];
    },
  },

  /** `y = cat([x₀, x₁, …], d)`: `dxᵢ = G.narrow(d, Σ_{j<i} len_j, len_i)`. */
  cat: {
    saves: 'nothing',
    backward: (g, c) => {
      let start = 0;
      return c.lengths.map((len) => {
        const piece = g.narrow(c.dim, start, len);
        start += len;
        return piece;
      });
    },
  },
};
