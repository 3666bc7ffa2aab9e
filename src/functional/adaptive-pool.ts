/**
 * `F.adaptiveAvgPool1d/2d/3d`, `F.adaptiveMaxPool1d/2d/3d` and `F.lpPool1d/2d`, as
 * `torch.nn.functional`'s. Adaptive pooling cuts a dimension of size n into
 * o windows, window i being PyTorch's `[⌊i·n/o⌋, ⌈(i+1)·n/o⌉)` (they overlap
 * when o does not divide n, and repeat elements when o > n), and reduces
 * each: its mean, or its max. The mean sums each window in place as a box
 * (`boxMean`, whose gradient spreads evenly, added where windows overlap).
 * A rectangle's max is taken one dimension at a time, the last first: the
 * max of the row maxima is the first maximum in row-major order, the element
 * PyTorch's CPU kernel sends the gradient to; each step is a differentiable
 * op (a reshape when o divides n, else one index selection). With
 * `returnIndices` the max also returns where each maximum is, found by one
 * scan with the same rule (the first maximum, the first NaN). A global
 * pooling is one reduction of each whole plane.
 * Power-average pooling is PyTorch's formula on `F.avgPool1d/2d`.
 * Signatures and docs: src/registry/pool.ts.
 */
import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { requireFloating } from '../ops/elementwise/apply.js';
import { indexSelect } from '../ops/index-ops.js';
import { perDim, type PerDim } from './windows.js';
import { avgPoolNd, type WithIndices } from './pool.js';
import { checkSpatialInput, fail } from './validate.js';
import { boxMean } from './box-pool.js';

/** An output size: one for every spatial dimension, or one each (null: the input's size). */
export type OutputSize = number | readonly (number | null)[];

/** The arguments of the adaptive pooling functions, as bound. */
export interface AdaptivePoolArgs {
  input: Tensor;
  outputSize: OutputSize;
  returnIndices?: boolean;
}

/** What a window reduces to. */
type Reduce = 'avg' | 'max';

/** The output sizes, checked: one per dimension, nulls taken from `spatial`. */
export function adaptiveOutputSize(
  fn: string,
  outputSize: OutputSize,
  dims: number,
  spatial?: readonly number[],
): number[] {
  return perDim<number | null>(fn, 'outputSize', outputSize, dims).map(
    (o, i) => o ?? spatial?.[i] ?? 0,
  );
}

/** Window `i` of `o` over a dimension of size `n`: PyTorch's `[⌊i·n/o⌋, ⌈(i+1)·n/o⌉)`. */
function windowBounds(n: number, o: number): { starts: number[]; ends: number[] } {
  const starts = Array.from({ length: o }, (_, i) => Math.floor((i * n) / o));
  const ends = Array.from({ length: o }, (_, i) => Math.ceil(((i + 1) * n) / o));
  return { starts, ends };
}

/**
 * The flat index within its plane (`d·H·W + h·W + w`, `h·W + w`, or `l`) of each window's
 * maximum: the first in row-major order, or the first NaN, where the reductions of
 * {@link adaptivePoolNd} send the gradient (PyTorch's CPU kernels keep the last NaN).
 */
function adaptiveMaxIndices(input: Tensor, spatial: readonly number[], out: readonly number[]) {
  // One, two or three dimensions as three, the missing leading ones of size 1.
  const [d, h, w] = [...new Array<number>(3 - spatial.length).fill(1), ...spatial];
  const [od, oh, ow] = [...new Array<number>(3 - out.length).fill(1), ...out];
  // No planes, so no windows (perhaps 2^40 nominal ones) to bound.
  if (input.size === 0) return new Int32Array(0);
  const depths = windowBounds(d, od);
  const rows = windowBounds(h, oh);
  const cols = windowBounds(w, ow);
  const x = input.data;
  const plane = d * h * w;
  const planes = plane === 0 ? 0 : x.length / plane;
  const idx = new Int32Array(planes * od * oh * ow);
  let q = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * plane;
    for (let k = 0; k < od; k++) {
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          let best = -Infinity;
          let at = (depths.starts[k] * h + rows.starts[i]) * w + cols.starts[j];
          scan: for (let e = depths.starts[k]; e < depths.ends[k]; e++) {
            for (let r = rows.starts[i]; r < rows.ends[i]; r++) {
              for (let c = cols.starts[j]; c < cols.ends[j]; c++) {
                const flat = (e * h + r) * w + c;
                const v = x[base + flat];
                if (v > best || v !== v) {
                  best = v;
                  at = flat;
                  if (v !== v) break scan;
                }
              }
            }
          }
          idx[q++] = at;
        }
      }
    }
  }
  return idx;
}

/**
 * `x` max-pooled along `dim` from its size n to `o` windows. When o divides
 * n the windows are a reshape (a view of a contiguous input). Otherwise one
 * index selection gathers every window, the shorter ones filled up to the
 * longest by repeating their last element: it changes neither the max nor
 * which element is its first maximum, and its gradient goes back to that
 * same element.
 */
function maxPoolDim(x: Tensor, dim: number, o: number): Tensor {
  const n = x.shape[dim];
  if (o === 0) return x.narrow(dim, 0, 0);
  const split = (k: number) => [...x.shape.slice(0, dim), o, k, ...x.shape.slice(dim + 1)];
  if (n % o === 0) return x.reshape(split(n / o)).max(dim + 1).values;
  // Empty beside another dimension: the pooled result is empty, and no window is gathered.
  if (x.size === 0) return x.reshape(x.shape.map((s, k) => (k === dim ? o : s)));
  const { starts, ends } = windowBounds(n, o);
  const k = Math.max(...starts.map((s, i) => ends[i] - s));
  const index = new Int32Array(o * k);
  for (let i = 0; i < o; i++) {
    for (let t = 0; t < k; t++) index[i * k + t] = Math.min(starts[i] + t, ends[i] - 1);
  }
  return indexSelect(x, dim, new Tensor(index, [o * k]))
    .reshape(split(k))
    .max(dim + 1).values;
}

/**
 * Adaptive average (`'avg'`) or max pooling over the last `dims` dimensions; the max with
 * `returnIndices` also returns where each maximum is, as {@link adaptiveMaxIndices}.
 */
export function adaptivePoolNd(
  fn: string,
  dims: number,
  reduce: Reduce,
  a: AdaptivePoolArgs,
): Tensor | WithIndices {
  const output = adaptivePool(fn, dims, reduce, a);
  if (reduce !== 'max' || !a.returnIndices) return output;
  const spatial = a.input.shape.slice(a.input.ndim - dims);
  const out = output.shape.slice(output.ndim - dims);
  return [output, new Tensor(adaptiveMaxIndices(a.input, spatial, out), output.shape)];
}

function adaptivePool(fn: string, dims: number, reduce: Reduce, a: AdaptivePoolArgs): Tensor {
  const { input } = a;
  requireFloating(input, fn, 'input');
  checkSpatialInput(fn, input, dims);
  // PyTorch's checks: every dimension but the batch's non-empty (the channels may be empty
  // for the average, and the first dimension of an unbatched input for both).
  const first = reduce === 'max' && input.ndim === dims + 2 ? 1 : input.ndim - dims;
  if (input.shape.slice(first).some((d) => d === 0)) {
    fail(
      fn,
      `expected an input with non-zero sizes for its non-batch dimensions, got shape ${formatShape(input.shape)}`,
    );
  }
  const spatial = input.shape.slice(input.ndim - dims);
  const out = adaptiveOutputSize(fn, a.outputSize, dims, spatial);
  const last = input.ndim - 1;
  const lead = input.shape.slice(0, last + 1 - dims);
  const spatialDims = Array.from({ length: dims }, (_, i) => last - i);
  if (input.numel() === 0) {
    // No elements (an empty batch or channels, however long the rows): the output's shape,
    // still in the graph, without gathering windows of nothing.
    return input.sum(spatialDims, true).expand([...lead, ...out]);
  }
  // Global pooling, the commonest: one reduction over each whole plane, whose first maximum
  // (of the plane flattened) is the row-major first.
  if (out.every((o) => o === 1)) {
    if (reduce === 'avg') return input.mean(spatialDims, true);
    const plane = spatial.reduce((p, n) => p * n, 1);
    return input.reshape([...lead, ...out, plane]).max(last + 1).values;
  }
  if (reduce === 'avg') {
    // Each window a box, summed in place and divided by its own size (boxMean).
    const axes = spatial.map((n, i) => {
      const { starts, ends } = windowBounds(n, out[i]);
      return { lo: starts, hi: ends, divisor: starts.map((s, j) => ends[j] - s) };
    });
    return boxMean(input, axes, null);
  }
  let y = input;
  for (let i = dims - 1; i >= 0; i--) y = maxPoolDim(y, last - (dims - 1 - i), out[i]);
  return y;
}

/** The arguments of `F.lpPool1d/2d`, as bound. */
export interface LpPoolArgs {
  input: Tensor;
  normType: number;
  kernelSize: PerDim;
  stride: PerDim | null;
  ceilMode: boolean;
}

/** Refuses `normType` 0 (PyTorch divides by it: ZeroDivisionError). */
export function checkNormType(fn: string, normType: number): void {
  if (normType === 0) fail(fn, 'normType must not be 0, got 0');
}

/**
 * Power-average pooling over the last `dims` dimensions, PyTorch 1.13's
 * formula: `out = avg_pool(x^p)` (no padding, the window clipped to the input
 * in ceil mode's last window, and divided by that clipped size), then
 * `(sign(out)·relu(|out|)·kernel elements)^(1/p)`. The sign's gradient is
 * +0 whatever flows into it (PyTorch's `zeros_like`), so a window whose
 * powers sum to 0 gets gradient 0, not NaN.
 */
export function lpPoolNd(fn: string, dims: number, a: LpPoolArgs): Tensor {
  checkNormType(fn, a.normType);
  requireFloating(a.input, fn, 'input');
  const elements = perDim(fn, 'kernelSize', a.kernelSize, dims).reduce((p, k) => p * k, 1);
  const out = avgPoolNd(fn, dims, {
    input: a.input.pow(a.normType),
    kernelSize: a.kernelSize,
    stride: a.stride,
    padding: 0,
    ceilMode: a.ceilMode,
  });
  return out
    .sign()
    .mul(out.abs().relu())
    .mul(elements)
    .pow(1 / a.normType);
}
