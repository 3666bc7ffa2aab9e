/**
 * `F.maxPool1d/2d/3d` and `F.avgPool1d/2d/3d`, as `torch.nn.functional`'s. The
 * max cuts each plane into windows in one pass (`cutWindows`; taps in the
 * padding, or beyond the input in ceil mode, read −∞), then takes the max of
 * each window; its gradient goes to the element its index names (the first
 * maximum). With `returnIndices`, each window's chosen tap becomes PyTorch's
 * flat index into its input plane (`tapTable`). `F.maxUnpool1d/2d` scatter
 * values back to such indices (`unpoolScatter`, whose gradient gathers). The
 * average sums each window's part inside the input in place (`boxMean`) and
 * divides by PyTorch's divisor: the window clipped to the padded input
 * (`countIncludePad`), or to the input, or `divisorOverride`.
 * Signatures and docs: src/registry/pool.ts.
 */
import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { requireFloating } from '../ops/elementwise/apply.js';
import { unpoolScatter } from '../ops/index-ops.js';
import { cutWindows, perDim, type PerDim } from './windows.js';
import { checkSpatialInput, fail } from './validate.js';
import { boxMean, type AxisBoxes } from './box-pool.js';

/** The arguments of the pooling functions, as bound. */
export interface PoolArgs {
  input: Tensor;
  kernelSize: PerDim;
  stride: PerDim | null;
  padding: PerDim;
  dilation?: PerDim;
  ceilMode: boolean;
  returnIndices?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

/** PyTorch's `pooling_output_shape`: floor or ceil, a last window must start inside the input or left padding. */
function outputSize(n: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = d * (k - 1) + 1;
  let out = Math.floor((n + 2 * p - span + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (out - 1) * s >= n + p) out--;
  return out;
}

/** The pooling geometry of `a.input` over its last `dims` dimensions, checked. */
function geometry(fn: string, dims: number, a: PoolArgs) {
  requireFloating(a.input, fn, 'input');
  checkSpatialInput(fn, a.input, dims);
  const kernel = perDim(fn, 'kernelSize', a.kernelSize, dims);
  const stride = a.stride === null ? kernel : perDim(fn, 'stride', a.stride, dims);
  const padding = perDim(fn, 'padding', a.padding, dims);
  const dilation = perDim(fn, 'dilation', a.dilation ?? 1, dims);
  kernel.forEach((k, i) => {
    if (padding[i] > k / 2) {
      fail(
        fn,
        `padding should be at most half of the kernel size, got padding ${padding[i]} and kernel size ${k}`,
      );
    }
  });
  const spatial = a.input.shape.slice(a.input.ndim - dims);
  const out = spatial.map((n, i) =>
    outputSize(n, kernel[i], stride[i], padding[i], dilation[i], a.ceilMode),
  );
  if (out.some((o) => o < 1)) {
    fail(
      fn,
      `the output would have size (${out.join(' x ')}): the input of shape ${formatShape(a.input.shape)} is too small`,
    );
  }
  // Every plane alone: the leading dimensions as channels of one sample.
  const lead = a.input.shape.slice(0, a.input.ndim - dims);
  return { lead, kernel, stride, padding, dilation, spatial, out };
}

/** The windows of `a.input` over its last `dims` dimensions, and the geometry. */
function windows(fn: string, dims: number, a: PoolArgs, fill: number) {
  const g = geometry(fn, dims, a);
  const { lead, kernel, stride, dilation, padding, spatial, out } = g;
  const planes = lead.reduce((p, v) => p * v, 1);
  const k = kernel.reduce((p, v) => p * v, 1);
  const x = cutWindows(
    a.input.reshape([1, planes, ...spatial]),
    { kernel, stride, dilation, padding, out },
    fill,
  ).reshape([planes, k, ...out]);
  return { x, ...g };
}

/** The result of a max pooling with `returnIndices`: PyTorch's tuple `(output, indices)`. */
export type WithIndices = [output: Tensor, indices: Tensor];

/** Max pooling over the last `dims` dimensions (with `returnIndices`, also where each maximum is). */
export function maxPoolNd(fn: string, dims: number, a: PoolArgs): Tensor | WithIndices {
  const { x, lead, kernel, stride, padding, spatial, out } = windows(fn, dims, a, -Infinity);
  const { values, indices } = x.max(1);
  const output = values.reshape([...lead, ...out]);
  if (!a.returnIndices) return output;
  // No windows (an empty batch of nominally huge planes): no table to size by them.
  if (output.size === 0) return [output, new Tensor(new Int32Array(0), output.shape)];
  const dilation = perDim(fn, 'dilation', a.dilation ?? 1, dims);
  const table = tapTable(spatial, kernel, stride, padding, dilation, out);
  const taps = indices.data;
  const count = out.reduce((p, v) => p * v, 1);
  const flat = new Int32Array(taps.length);
  for (let i = 0; i < taps.length; i++) flat[i] = table[taps[i] * count + (i % count)];
  return [output, new Tensor(flat, output.shape)];
}

/**
 * For each tap `t` of the kernel (row-major) and each window `o`, the flat index into the plane
 * of the element it reads: `h·W + w` in 2-D, `d·H·W + h·W + w` in 3-D. A tap in the padding maps
 * to the window's first tap inside the input, where PyTorch's kernel starts its search: only an
 * all −∞ window (whose first maximum nnkit's max may find in the padding) picks one.
 */
function tapTable(
  spatial: readonly number[],
  kernel: readonly number[],
  stride: readonly number[],
  padding: readonly number[],
  dilation: readonly number[],
  out: readonly number[],
): Int32Array {
  // Per dimension: each window's positions of its taps (−1 outside the input), and its first inside.
  const axes = spatial.map((n, d) => {
    const pos = new Int32Array(out[d] * kernel[d]);
    const first = new Int32Array(out[d]);
    for (let j = 0; j < out[d]; j++) {
      let start = j * stride[d] - padding[d];
      while (start < 0) start += dilation[d];
      first[j] = start;
      for (let s = 0; s < kernel[d]; s++) {
        const q = j * stride[d] - padding[d] + s * dilation[d];
        pos[j * kernel[d] + s] = q >= 0 && q < n ? q : -1;
      }
    }
    return { pos, first };
  });
  const dims = spatial.length;
  const step = spatial.map((_, d) => spatial.slice(d + 1).reduce((p, v) => p * v, 1));
  const taps = kernel.reduce((p, v) => p * v, 1);
  const windows = out.reduce((p, v) => p * v, 1);
  const table = new Int32Array(taps * windows);
  for (let t = 0; t < taps; t++) {
    for (let o = 0; o < windows; o++) {
      let at = 0;
      let fallback = 0;
      let outside = false;
      // The last dimension varies fastest in both the tap and the window numbering.
      for (let d = dims - 1, tr = t, or = o; d >= 0; d--) {
        const s = tr % kernel[d];
        const j = or % out[d];
        tr = (tr - s) / kernel[d];
        or = (or - j) / out[d];
        const q = axes[d].pos[j * kernel[d] + s];
        if (q < 0) outside = true;
        at += q * step[d];
        fallback += axes[d].first[j] * step[d];
      }
      table[t * windows + o] = outside ? fallback : at;
    }
  }
  return table;
}

/**
 * Average pooling over the last `dims` dimensions: each window's box, the
 * window clipped to the input, summed in place (`boxMean`), divided by
 * PyTorch's divisor: the window clipped to the padded input
 * (`countIncludePad`), or to the input itself, or `divisorOverride`.
 */
export function avgPoolNd(fn: string, dims: number, a: PoolArgs): Tensor {
  const override = a.divisorOverride ?? null;
  if (override !== null && override === 0) fail(fn, 'divisorOverride must be non-zero');
  const { lead, kernel, stride, padding, spatial, out } = geometry(fn, dims, a);
  // Nothing to average (the output positions may be nominally many: [0, 2^40] pooled by 3).
  if (a.input.size === 0) {
    const spatialDims = spatial.map((_, i) => a.input.ndim - dims + i);
    return a.input.sum(spatialDims, true).expand([...lead, ...out]);
  }
  const axes: AxisBoxes[] = out.map((o, i) => {
    const lo: number[] = [];
    const hi: number[] = [];
    const divisor: number[] = [];
    for (let j = 0; j < o; j++) {
      const start = j * stride[i] - padding[i];
      const end = Math.min(start + kernel[i], spatial[i] + padding[i]);
      lo.push(Math.max(start, 0));
      hi.push(Math.min(end, spatial[i]));
      divisor.push(a.countIncludePad === false ? hi[j] - lo[j] : end - start);
    }
    return { lo, hi, divisor };
  });
  return boxMean(a.input, axes, override);
}

/** The arguments of `F.maxUnpool1d/2d`, as bound. */
export interface UnpoolArgs {
  input: Tensor;
  indices: Tensor;
  kernelSize: PerDim;
  stride: PerDim | null;
  padding: PerDim;
  outputSize: readonly number[] | null;
}

/**
 * PyTorch's `_unpool_output_size`: `(in − 1)·stride − 2·padding + kernel` per
 * dimension, or `outputSize` (its last `dims` entries when it also gives N
 * and C), which must lie strictly within one stride of that default.
 */
function unpoolOutputSize(
  fn: string,
  dims: number,
  spatial: readonly number[],
  kernel: readonly number[],
  stride: readonly number[],
  padding: readonly number[],
  outputSize: readonly number[] | null,
): number[] {
  const def = spatial.map((n, d) => (n - 1) * stride[d] - 2 * padding[d] + kernel[d]);
  let size = def;
  if (outputSize !== null) {
    const given = outputSize.length === dims + 2 ? outputSize.slice(2) : outputSize;
    if (given.length !== dims) {
      fail(
        fn,
        `outputSize must have ${dims} or ${dims + 2} elements, got ${outputSize.length}: [${outputSize.join(', ')}]`,
      );
    }
    given.forEach((o, d) => {
      const min = def[d] - stride[d];
      const max = def[d] + stride[d];
      if (!(min < o && o < max)) {
        fail(
          fn,
          `invalid outputSize [${outputSize.join(', ')}]: dimension ${d} must be between ${min} and ${max} (exclusive), got ${o}`,
        );
      }
    });
    size = [...given];
  }
  if (size.some((o) => o < 0)) {
    fail(
      fn,
      `the output would have size (${size.join(' x ')}): the padding is too large for the input of spatial size (${spatial.join(' x ')})`,
    );
  }
  return size;
}

/**
 * Max unpooling over the last `dims` dimensions: each value of `input` written
 * at its index (flat within its output plane) into zeros, the last of repeated
 * indices winning; the gradient gathers the output's gradient at the indices.
 */
export function maxUnpoolNd(fn: string, dims: number, a: UnpoolArgs): Tensor {
  const { input, indices } = a;
  requireFloating(input, fn, 'input');
  checkSpatialInput(fn, input, dims);
  if (indices.dtype !== 'int32') {
    fail(fn, `indices must be an int32 tensor (PyTorch's int64), got ${indices.dtype}`);
  }
  if (indices.ndim !== input.ndim || indices.shape.some((d, i) => d !== input.shape[i])) {
    fail(
      fn,
      `indices must have the input's shape ${formatShape(input.shape)}, got ${formatShape(indices.shape)}`,
    );
  }
  // PyTorch's check (on the input as `max_unpool2d` sees it): every dimension but the first non-empty.
  if (input.shape.slice(1).some((d) => d === 0)) {
    fail(
      fn,
      `expected an input with non-zero sizes for its non-batch dimensions, got shape ${formatShape(input.shape)}`,
    );
  }
  const kernel = perDim(fn, 'kernelSize', a.kernelSize, dims);
  const stride = a.stride === null ? kernel : perDim(fn, 'stride', a.stride, dims);
  const padding = perDim(fn, 'padding', a.padding, dims);
  const spatial = input.shape.slice(input.ndim - dims);
  const size = unpoolOutputSize(fn, dims, spatial, kernel, stride, padding, a.outputSize);
  const lead = input.shape.slice(0, input.ndim - dims);
  const planes = lead.reduce((p, v) => p * v, 1);
  const plane = size.reduce((p, v) => p * v, 1);
  const k = spatial.reduce((p, v) => p * v, 1);
  const outShape = [...lead, ...size];
  // An empty output: nothing to write (PyTorch checks no index then).
  if (planes * plane === 0) return input.sum().mul(0).expand(outShape);
  const idx = indices.data;
  for (let i = 0; i < idx.length; i++) {
    if (idx[i] < 0 || idx[i] >= plane) {
      fail(
        fn,
        `found an invalid max index ${idx[i]} (the output planes are of size ${size.join(' x ')})`,
      );
    }
  }
  return unpoolScatter(input.reshape([planes, k]), indices.reshape([planes, k]), plane).reshape(
    outShape,
  );
}
