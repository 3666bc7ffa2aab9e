/**
 * Derivatives of the indexing ops (forwards: src/ops/index-ops.ts): the
 * gradients scatter back with addition, so repeated indices accumulate.
 */
import { Tensor } from '../../tensor/tensor.js';
import { allocUninit, allocZeroed } from '../../tensor/dtype.js';
import { dispatch } from '../../kernels/backend.js';
import type { Floats } from '../../kernels/js/types.js';
import type { Shape } from '../../tensor/shape.js';
import { fmaDouble } from '../../tensor/sampling.js';
import type { Derivatives } from './rule.js';

/**
 * sort/topk along one dim: the input's (outer, size, inner) layout, how many
 * were kept along the dim (`count`), and where each came from (`indices`,
 * laid out as the values: (outer, count, inner)).
 */
interface SelectContext {
  shape: Shape;
  outer: number;
  size: number;
  inner: number;
  count: number;
  indices: Int32Array;
}

/**
 * `(values, indices) = sort(x, d)` (or topk): `dx[…, indices[j], …] = G[…, j, …]`
 * along `d`, zero where nothing was selected (PyTorch's
 * `value_selecting_reduction_backward`, a scatter; the indices are distinct).
 */
const selectAlongDim = {
  saves: 'nothing' as const,
  backward: (g: Tensor, c: SelectContext) => {
    const { outer, size, inner, count, indices } = c;
    const gx = allocZeroed(g.dtype, outer * size * inner);
    const gd = g.data;
    for (let o = 0; o < (gd.length > 0 ? outer : 0); o++) {
      for (let j = 0; j < count; j++) {
        const from = (o * count + j) * inner;
        for (let i = 0; i < inner; i++)
          gx[(o * size + indices[from + i]) * inner + i] = gd[from + i];
      }
    }
    return [new Tensor(gx, c.shape)];
  },
};

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
  embedding: {
    /** The weight's shape, `(numEmbeddings, embeddingDim)`. */
    shape: Shape;
    /** The looked-up rows, flattened. */
    indices: Int32Array;
    /** The row that gets no gradient, or −1. */
    paddingIdx: number;
    scaleGradByFreq: boolean;
  };
  sort: SelectContext;
  topk: SelectContext;
  /** The flat index into its output plane of each element, `(planes, k)` as the input. */
  unpoolScatter: { index: Tensor };
}

export const INDEXING: Derivatives<IndexingContexts> = {
  /** `(values, indices) = x.sort(d)`: `dx[…, indices[j], …] = G[…, j, …]` (a scatter along `d`). */
  sort: selectAlongDim,
  /** `(values, indices) = x.topk(k, d)`: `dx[…, indices[j], …] = G[…, j, …]`, zero elsewhere. */
  topk: selectAlongDim,
  /**
   * `y[p, index[p, i]] = x[p, i]` (max unpooling; forward: src/ops/index-ops.ts): `dx[p, i] =
   * G[p, index[p, i]]`, a gather (PyTorch's `max_pool_double_backward`), so every repeat of an
   * index receives that position's gradient.
   */
  unpoolScatter: {
    saves: (c) => [c.index],
    backward: (g, c) => [g.gather(1, c.index)],
  },
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
      const idx = c.index.data as Int32Array;
      // The kernel zeroes gx, then adds each selected slice's gradient in index order.
      const gx = allocUninit(g.dtype, x.size) as Floats;
      if (gx.length > 0) {
        dispatch('indexAdd', outer, size, inner, idx.length, gx, idx, g.data as Floats);
      }
      return [new Tensor(gx, x.shape)];
    },
  },

  /**
   * `y = weight[indices]` (`nn.Embedding`): ATen's `embedding_dense_backward_cpu`,
   * `dW[k] += scale · G[i]` for each position i with index k, in the
   * positions' order, skipping `paddingIdx`; `scale` is 1, or 1/count(k)
   * with `scaleGradByFreq` (PyTorch's `add_(G[i], alpha=scale)`: the scale
   * rounded to the dtype, the multiply-add rounded once).
   */
  embedding: {
    saves: 'nothing',
    backward: (g, c) => {
      const { indices, paddingIdx } = c;
      const [rows, dim] = c.shape;
      const gw = allocZeroed(g.dtype, rows * dim);
      // An empty table (rows of no columns) has an empty gradient: no counts over its rows.
      if (gw.length === 0) return [new Tensor(gw, c.shape)];
      const gd = g.contiguous().data;
      const counts = new Int32Array(c.scaleGradByFreq ? rows : 0);
      if (c.scaleGradByFreq) for (const k of indices) counts[k]++;
      const round = g.dtype === 'float32' ? Math.fround : (v: number) => v;
      for (let i = 0; i < indices.length; i++) {
        const k = indices[i];
        if (k === paddingIdx) continue;
        const to = k * dim;
        const from = i * dim;
        if (!c.scaleGradByFreq) {
          for (let j = 0; j < dim; j++) gw[to + j] += gd[from + j];
          continue;
        }
        const scale = round(1 / counts[k]);
        const fused =
          g.dtype === 'float32' ? (a: number, b: number, x: number) => a * b + x : fmaDouble;
        for (let j = 0; j < dim; j++) gw[to + j] = fused(gd[from + j], scale, gw[to + j]);
      }
      return [new Tensor(gw, c.shape)];
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
