/**
 * Derivatives of the indexing ops (forwards: src/ops/index-ops.ts): the
 * gradients scatter back with addition, so repeated indices accumulate.
 */
import { Tensor } from '../../tensor/tensor.js';
import { allocZeroed } from '../../tensor/dtype.js';
import type { Derivatives } from './rule.js';

export interface IndexingContexts {
  gather: {
    /** The gathered tensor (for its shape and size). */
    x: Tensor;
    index: Tensor;
    /** For each index element, its offset into `x` with the gathered dimension zeroed. */
    offsets: Int32Array;
    /** The stride of the gathered dimension in `x`. */
    stride: number;
  };
  indexSelect: {
    x: Tensor;
    index: Tensor;
    outer: number;
    size: number;
    inner: number;
  };
  where: { cond: Tensor; a: Tensor; b: Tensor };
}

export const INDEXING: Derivatives<IndexingContexts> = {
  /** `y = x.gather(d, index)`: `dx[…, index[i], …] += G[i]` (a scatter-add along `d`). */
  gather: {
    saves: (c) => [c.index],
    backward: (g, c) => {
      const { x, offsets, stride } = c;
      const idx = c.index.data;
      const n = c.index.size;
      const gx = allocZeroed(g.dtype, x.size);
      const gd = g.data;
      for (let i = 0; i < n; i++) gx[offsets[i] + idx[i] * stride] += gd[i];
      return [new Tensor(gx, x.shape)];
    },
  },

  /** `y = x.indexSelect(d, index)`: `dx[…, index[j], …] += G[…, j, …]` (a scatter-add along `d`). */
  indexSelect: {
    saves: (c) => [c.index],
    backward: (g, c) => {
      const { x, outer, size, inner } = c;
      const idx = c.index.data;
      const k = idx.length;
      const gx = allocZeroed(g.dtype, x.size);
      const gd = g.data;
      for (let o = 0; o < (gd.length > 0 ? outer : 0); o++) {
        for (let j = 0; j < k; j++) {
          const to = (o * size + idx[j]) * inner;
          const from = (o * k + j) * inner;
          for (let i = 0; i < inner; i++) gx[to + i] += gd[from + i];
        }
      }
      return [new Tensor(gx, x.shape)];
    },
  },

  /**
   * `y = where(cond, a, b)`: `da = where(cond, G, 0)`, `db = where(cond, 0, G)`
   * (the gradient flows to the branch taken; broadcast dimensions are summed
   * by the engine).
   */
  where: {
    saves: (c) => [c.cond],
    backward: (g, c) => [
      c.a.requiresGrad ? g.where(c.cond, 0) : null,
      c.b.requiresGrad ? g.maskedFill(c.cond, 0) : null,
    ],
  },
};
