/** Derivatives of the reductions (forwards: src/ops/reduce.ts). */
import { Tensor } from '../../tensor/tensor.js';
import { allocZeroed } from '../../tensor/dtype.js';
import type { Shape } from '../../tensor/shape.js';
import type { Derivatives } from './rule.js';

/** amax/amin: the input, the extrema with the reduced dims kept (sharing `out`'s data), and the dims. */
interface ExtremumContext {
  x: Tensor;
  out: Tensor;
  kept: Tensor;
  dims: readonly number[];
}

/** max/min along one dim: the input's layout (outer, size, inner) and the winning indices. */
interface MaxContext {
  shape: Shape;
  outer: number;
  size: number;
  inner: number;
  indices: ArrayLike<number>;
}

export interface ReduceContexts {
  sum: { shape: Shape; keptShape: Shape };
  amax: ExtremumContext;
  amin: ExtremumContext;
  max: MaxContext;
  min: MaxContext;
  maxAll: { x: Tensor; out: Tensor };
  minAll: { x: Tensor; out: Tensor };
  logsumexp: { x: Tensor };
}

/**
 * `y = amax(x, dims)` (or amin): `dx = G · [x = y] / #{x = y}` — shared
 * evenly among tied extrema, as torch.amax does.
 */
const extremum = {
  saves: (c: ExtremumContext) => [c.x, c.out],
  backward: (g: Tensor, c: ExtremumContext) => {
    const mask = c.x.eq(c.kept).to(g.dtype);
    const count = mask.sum(c.dims, true);
    return [g.reshape(c.kept.shape).mul(mask).div(count)];
  },
};

/**
 * `(values, indices) = max(x, d)` (or min): `dx` is zero except
 * `dx[…, indices[i], …] = G[i]` (only the first extremum gets the gradient).
 */
const maxAlongDim = {
  saves: 'nothing' as const,
  backward: (g: Tensor, c: MaxContext) => {
    const { outer, size, inner, indices } = c;
    const gx = allocZeroed(g.dtype, c.outer * c.size * c.inner);
    const gd = g.data;
    for (let o = 0; o < (gd.length > 0 ? outer : 0); o++) {
      for (let i = 0; i < inner; i++)
        gx[(o * size + indices[o * inner + i]) * inner + i] = gd[o * inner + i];
    }
    return [new Tensor(gx, c.shape)];
  },
};

/**
 * `y = max(x)` over all elements (or min): `dx = [x = y] · (G / #{x = y})`,
 * where a NaN `y` counts the NaNs of x as equal (PyTorch's
 * `evenly_distribute_backward`; amax instead gives NaN everywhere).
 */
const extremumAll = {
  saves: (c: { x: Tensor; out: Tensor }) => [c.x, c.out],
  backward: (g: Tensor, { x, out }: { x: Tensor; out: Tensor }) => {
    const y = out.data[0];
    const mask = (y !== y ? x.ne(x) : x.eq(out)).to(g.dtype);
    return [mask.mul(g.div(mask.sum()))];
  },
};

export const REDUCE: Derivatives<ReduceContexts> = {
  /** `y = Σ_dims x`: `dx = G` broadcast back over `dims` (`G.reshape(kept).expand(x.shape)`). */
  sum: {
    saves: 'nothing',
    backward: (g, c) => [g.reshape(c.keptShape).expand(c.shape)],
  },
  /** `y = amax(x, dims)`: `dx = G · [x = y] / #{x = y}` (ties share the gradient). */
  amax: extremum,
  /** `y = amin(x, dims)`: `dx = G · [x = y] / #{x = y}` (ties share the gradient). */
  amin: extremum,
  /** `y = max(x, d).values`: `dx[…, argmax, …] = G`, zero elsewhere. */
  max: maxAlongDim,
  /** `y = min(x, d).values`: `dx[…, argmin, …] = G`, zero elsewhere. */
  min: maxAlongDim,
  /** `y = max(x)`: `dx = [x = y] · G / #{x = y}` (NaNs equal a NaN maximum). */
  maxAll: extremumAll,
  /** `y = min(x)`: `dx = [x = y] · G / #{x = y}` (NaNs equal a NaN minimum). */
  minAll: extremumAll,
  /**
   * `y = log Σ exp(x)` over an empty dimension (−∞): `dx = 0` (x is empty).
   * Over a non-empty one logsumexp is a composition (amax, sub, exp, sum,
   * log, add) and records no node of its own.
   */
  logsumexp: {
    saves: 'nothing',
    backward: (_g, { x }) => [new Tensor(allocZeroed(x.dtype, x.size), x.shape)],
  },
};
