/** Derivatives of the reductions (forwards: src/ops/reduce.ts). */
import { Tensor } from '../../tensor/tensor.js';
import { allocUninit, allocZeroed } from '../../tensor/dtype.js';
import { splitAtDim, type Shape } from '../../tensor/shape.js';
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
  var: VarContext;
  std: VarContext;
  prod: ProdContext;
  cumsum: { dim: number; reverse: boolean };
}

/**
 * var/std: the input, the result, the reduced dims and their element count
 * `n`, the reduced dims kept as size 1 (`keptShape`), the correction, and
 * whether PyTorch's backward takes its "no dim" branch (dim omitted, or a
 * 0-D input).
 */
interface VarContext {
  x: Tensor;
  out: Tensor;
  dims: readonly number[];
  keptShape: Shape;
  n: number;
  correction: number;
  allDims: boolean;
}

/** prod: the input, the result, the dim (`null`: all elements) and the result's shape with it kept. */
interface ProdContext {
  x: Tensor;
  out: Tensor;
  dim: number | null;
  keptShape: Shape;
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

/**
 * PyTorch's var_backward: `dx = (2 / (n − correction)) · G · (x − mean(x))`,
 * the factor rounded to the dtype and multiplied first; `+∞ · G` when dim is
 * omitted and `n = correction` (PyTorch returns that unbroadcast and its
 * engine then refuses it unless x is 0-D; nnkit broadcasts it).
 */
function varBackward(g: Tensor, c: VarContext): Tensor {
  if (c.allDims && c.n === c.correction) return g.mul(Infinity).expand([...c.x.shape]);
  const deviation = c.x.sub(c.x.mean(c.dims, true));
  return g
    .reshape([...c.keptShape])
    .mul(2 / (c.n - c.correction))
    .mul(deviation);
}

/**
 * PyTorch's prod_safe_zeros_backward along `dim`: `dx = G · (Π_{j<i} x_j) ·
 * (Π_{j>i} x_j)`, each exclusive running product accumulated in float64 and
 * rounded to the dtype (PyTorch's cumprod), so a zero contributes to every
 * other element's gradient but not its own.
 */
function exclusiveProducts(g: Tensor, x: Tensor, dim: number): Tensor {
  if (x.size === 0) return g.expand([...x.shape]);
  const { outer, size, inner } = splitAtDim(x.shape, dim);
  if (size === 1) return g.reshape([...x.shape]);
  const src = x.data;
  const before = allocUninit(x.dtype, x.size);
  const after = allocUninit(x.dtype, x.size);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * size * inner + i;
      let acc = 1;
      for (let s = 0; s < size; s++) {
        before[start + s * inner] = acc;
        acc *= src[start + s * inner];
      }
      acc = 1;
      for (let s = size - 1; s >= 0; s--) {
        after[start + s * inner] = acc;
        acc *= src[start + s * inner];
      }
    }
  }
  return g.mul(new Tensor(before, x.shape).mul(new Tensor(after, x.shape)));
}

function countZeros(x: Tensor): number {
  const d = x.data;
  let zeros = 0;
  for (let i = 0; i < d.length; i++) if (d[i] === 0) zeros++;
  return zeros;
}

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
  /**
   * `y = Σ (x − x̄)² / (n − c)`: `dx = (2 / (n − c)) · G · (x − x̄)`
   * (PyTorch's var_backward; see `varBackward`).
   */
  var: { saves: (c) => [c.x], backward: (g, c) => [varBackward(g, c)] },
  /**
   * `y = √var`: `dx = var_backward(G / (2y))` with `G / (2y)` set to 0 where
   * `y = 0` (PyTorch's std_backward: constant data get gradient 0, not NaN).
   */
  std: {
    saves: (c) => [c.x, c.out],
    backward: (g, c) => [varBackward(g.div(c.out.mul(2)).maskedFill(c.out.eq(0), 0), c)],
  },
  /**
   * `y = Π x` (over `dim` or all), PyTorch's prod_backward: without zeros in
   * x, `dx = G · (y / x)`; otherwise the exclusive products of
   * `exclusiveProducts` along dim (over all elements: exactly one zero; two
   * or more zeros give `dx = 0` everywhere, NaN and ∞ elsewhere included).
   * A 0-D input passes G through.
   */
  prod: {
    saves: (c) => [c.x, c.out],
    backward: (g, { x, out, dim, keptShape }) => {
      if (x.ndim === 0) return [g];
      const zeros = countZeros(x);
      const gk = g.reshape([...keptShape]);
      if (zeros === 0) return [gk.mul(out.reshape([...keptShape]).div(x))];
      if (dim !== null) return [exclusiveProducts(gk, x, dim)];
      if (zeros > 1) return [new Tensor(allocZeroed(x.dtype, x.size), x.shape)];
      return [exclusiveProducts(gk.reshape([1]), x.reshape([x.size]), 0).reshape([...x.shape])];
    },
  },
  /** `y_i = Σ_{j≤i} x_j` along dim: `dx_i = Σ_{j≥i} G_j`, the reversed cumsum (and back for reverse). */
  cumsum: {
    saves: 'nothing',
    backward: (g, c) => [g._cumsum(c.dim, !c.reverse)],
  },
};
