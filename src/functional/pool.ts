/**
 * `F.maxPool1d/2d` and `F.avgPool1d/2d`, as `torch.nn.functional`'s. The
 * max cuts each plane into windows in one pass (`cutWindows`; taps in the
 * padding, or beyond the input in ceil mode, read −∞), then takes the max of
 * each window; its gradient goes to the element its index names (the first
 * maximum). The average sums each window's part inside the input in place
 * (`boxMean`) and divides by PyTorch's divisor: the window clipped to the
 * padded input (`countIncludePad`), or to the input, or `divisorOverride`.
 * Signatures and docs: src/registry/pool.ts.
 */
import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { requireFloating } from '../ops/elementwise/apply.js';
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

/** Max pooling over the last `dims` dimensions. */
export function maxPoolNd(fn: string, dims: number, a: PoolArgs): Tensor {
  if (a.returnIndices) {
    fail(fn, 'returnIndices=true is not supported (nnkit has no MaxUnpool to use the indices)');
  }
  const { x, lead, out } = windows(fn, dims, a, -Infinity);
  return x.max(1).values.reshape([...lead, ...out]);
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
