/**
 * Sliding windows over the spatial dimensions of a batch of channels:
 * `F.unfold` and `F.fold` (as `torch.nn.functional`'s), and `cutWindows`,
 * the im2col step of the convolutions and pooling. All run on the `im2col`
 * and `col2im` ops (src/ops/windows.ts), which pad as they read: a 1-D
 * geometry is the 2-D one with a single row. Signatures and docs:
 * src/registry/fold.ts.
 */
import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { col2im, im2col } from '../ops/windows.js';
import { indexSelect } from '../ops/index-ops.js';
import { cat, full } from '../ops/shape-ops.js';
import { padSpatial } from './padding.js';
import type { Windows } from '../autograd/derivatives/index.js';
import { requireFloating } from '../ops/elementwise/apply.js';
import { fail } from './validate.js';

/** A per-dimension argument: one integer for every spatial dimension, or one each. */
export type PerDim = number | readonly number[];
/** `padding`: amounts, or `'same'` (output as large as the input, stride 1) or `'valid'` (none). */
export type ConvPadding = PerDim | 'same' | 'valid';

/**
 * `v` spread to `dims` values, or checked to have that many. The elements may
 * be nulls where the caller allows them (adaptive pooling's `outputSize`).
 */
export function perDim<E extends number | null = number>(
  fn: string,
  arg: string,
  v: E | readonly E[],
  dims: number,
): E[] {
  if (v === null || typeof v === 'number') return new Array<E>(dims).fill(v as E);
  const list = v as readonly E[];
  if (list.length !== dims) {
    fail(fn, `${arg} must be an integer or a list of ${dims}, got a list of ${list.length}`);
  }
  return [...list];
}

/** Windows over 1, 2 or 3 spatial dimensions, one entry per dimension. */
export interface WindowSpec {
  kernel: readonly number[];
  stride: readonly number[];
  dilation: readonly number[];
  /** Padding before each dimension (after it, what the last window reaches). */
  padding: readonly number[];
  /** Windows per dimension. */
  out: readonly number[];
}

/** How many windows fit: `⌊(size + before + after − dilation·(kernel − 1) − 1)/stride⌋ + 1`. */
export function windowCount(
  size: number,
  kernel: number,
  stride: number,
  dilation: number,
  padded: number,
): number {
  return Math.floor((size + padded - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** The 2-D geometry of `spec` over planes of `spatial` (a 1-D one gains a single row). */
function windows2d(
  batch: number,
  channels: number,
  spatial: readonly number[],
  spec: WindowSpec,
  padValue: number,
): Windows {
  const two = (v: readonly number[], one: number) =>
    (v.length === 1 ? [one, v[0]] : [v[0], v[1]]) as [number, number];
  return {
    batch,
    channels,
    size: two(spatial, 1),
    kernel: two(spec.kernel, 1),
    stride: two(spec.stride, 1),
    dilation: two(spec.dilation, 1),
    padding: two(spec.padding, 0),
    out: two(spec.out, 1),
    padValue,
  };
}

/**
 * The windows of `x`, `(N, C, spatial…)` with 1, 2 or 3 spatial dimensions,
 * as `F.unfold`'s columns `(N, C·k, L)`: `k` taps per window (row-major over
 * the kernel), `L` windows (row-major over the output); taps outside the
 * input read `padValue`. One pass for 1 or 2 dimensions; 3 see {@link cutWindows3d}.
 */
export function cutWindows(x: Tensor, spec: WindowSpec, padValue: number): Tensor {
  const [n, c, ...spatial] = x.shape;
  if (spatial.length === 3) return cutWindows3d(x, spec, padValue);
  // A 1-D input is one row of each plane (its gradient comes back as one).
  const planes = spatial.length === 1 ? x.reshape([n, c, 1, spatial[0]]) : x;
  return im2col(planes, windows2d(n, c, spatial, spec, padValue));
}

/** The (H, W) windows of a (D, H, W) geometry: its last two entries. */
function planeSpec(spec: WindowSpec): WindowSpec {
  const hw = (v: readonly number[]) => v.slice(1);
  return {
    kernel: hw(spec.kernel),
    stride: hw(spec.stride),
    dilation: hw(spec.dilation),
    padding: hw(spec.padding),
    out: hw(spec.out),
  };
}

/**
 * Windows over (D, H, W), from differentiable ops: the depth dimension is
 * padded with `padValue`, every depth slice's (H, W) windows are cut in one
 * im2col pass, and each output depth gathers its `kD` slices with an index
 * selection, then the taps are ordered (kD, kH, kW) as PyTorch's vol2col
 * orders them. Autograd runs back through the same ops (col2im, the
 * selection's scatter-add, the padding's crop). The im2col pass cuts
 * windows of all `D + padding` slices, not only the ones a stride visits.
 */
function cutWindows3d(x: Tensor, spec: WindowSpec, padValue: number): Tensor {
  const [n, c, d, h, w] = x.shape;
  const [kd, kh, kw] = spec.kernel;
  const [sd, dd, pd] = [spec.stride[0], spec.dilation[0], spec.padding[0]];
  const [od, oh, ow] = spec.out;
  // No windows to cut (the output positions may be nominally many: [0, 2^40, …]).
  if (x.size === 0) return x.sum().expand([n, c * kd * kh * kw, od * oh * ow]);
  // Depth padding after the input: as far as the last window reaches.
  const after = Math.max(0, (od - 1) * sd + (kd - 1) * dd + 1 - pd - d);
  const padded = padSpatial(
    x,
    [
      [pd, after],
      [0, 0],
      [0, 0],
    ],
    'constant',
    padValue,
  );
  const slices = d + pd + after;
  const plane = planeSpec(spec);
  const cols = im2col(
    padded.reshape([n, c * slices, h, w]),
    windows2d(n, c * slices, [h, w], plane, padValue),
  ).reshape([n, c, slices, kh * kw, oh * ow]);
  const taps = new Int32Array(kd * od);
  for (let t = 0; t < kd; t++) for (let o = 0; o < od; o++) taps[t * od + o] = o * sd + t * dd;
  return indexSelect(cols, 2, new Tensor(taps, [kd * od]))
    .reshape([n, c, kd, od, kh * kw, oh * ow])
    .permute([0, 1, 2, 4, 3, 5])
    .reshape([n, c * kd * kh * kw, od * oh * ow]);
}

/**
 * The adjoint of {@link cutWindows}: columns `(N, C·k, L)` summed into planes
 * `(N, C, size…)` (1, 2 or 3 spatial dimensions), each element getting every tap
 * that reads it; taps in the padding are dropped. The `spec.out` windows need
 * not be all that fit in `size`: the transposed convolutions leave out the
 * last ones (zeros) where `outputPadding ≥ stride`.
 */
export function sumWindows(
  cols: Tensor,
  channels: number,
  size: readonly number[],
  spec: WindowSpec,
): Tensor {
  const n = cols.shape[0];
  if (size.length === 3) return sumWindows3d(cols, channels, size, spec);
  const planes = col2im(cols, windows2d(n, channels, size, spec, 0));
  return size.length === 1 ? planes.reshape([n, channels, size[0]]) : planes;
}

/**
 * The adjoint of {@link cutWindows3d}, from differentiable ops: every (kD, window depth) slice of
 * the columns is summed into an (H, W) plane by one col2im pass, then each depth tap's planes
 * are placed at their depths (an index selection from the planes and one zero plane) and the
 * taps added; the depth padding is cropped last.
 */
function sumWindows3d(
  cols: Tensor,
  channels: number,
  size: readonly number[],
  spec: WindowSpec,
): Tensor {
  const n = cols.shape[0];
  const [d, h, w] = size;
  const [kd, kh, kw] = spec.kernel;
  const [sd, dd, pd] = [spec.stride[0], spec.dilation[0], spec.padding[0]];
  const [od, oh, ow] = spec.out;
  const slices = channels * kd * od;
  const plane = planeSpec(spec);
  // (N, C, kD, kH·kW, oD, oH·oW) → one plane per (C, kD, oD): (N, C·kD·oD·kH·kW, oH·oW).
  const perSlice = cols
    .reshape([n, channels, kd, kh * kw, od, oh * ow])
    .permute([0, 1, 2, 4, 3, 5])
    .reshape([n, slices * kh * kw, oh * ow]);
  const planes = col2im(perSlice, windows2d(n, slices, [h, w], plane, 0)).reshape([
    n,
    channels,
    kd,
    od,
    h,
    w,
  ]);
  // Tap t of window o lands at padded depth o·sD + t·dD; depths no window reaches stay zero.
  const depth = Math.max(d + pd, (od - 1) * sd + (kd - 1) * dd + 1);
  const withZero = cat([planes, full([n, channels, kd, 1, h, w], 0, planes.dtype)], 3);
  let sum: Tensor | null = null;
  for (let t = 0; t < kd; t++) {
    const from = new Int32Array(depth).fill(od);
    for (let o = 0; o < od; o++) from[o * sd + t * dd] = o;
    const placed = indexSelect(withZero.select(2, t), 2, new Tensor(from, [depth]));
    sum = sum === null ? placed : sum.add(placed);
  }
  return (sum as Tensor).narrow(2, pd, d);
}

/** The arguments of `F.unfold`, as bound. */
export interface UnfoldArgs {
  input: Tensor;
  kernelSize: PerDim;
  dilation: PerDim;
  padding: PerDim;
  stride: PerDim;
}

/** The arguments of `F.fold`, as bound. */
export interface FoldArgs extends UnfoldArgs {
  outputSize: PerDim;
}

/** The 2-D geometry of `F.unfold`/`F.fold` over planes of `size`; throws where no window fits. */
function foldSpec(fn: string, a: UnfoldArgs, size: readonly number[]): WindowSpec {
  const kernel = perDim(fn, 'kernelSize', a.kernelSize, 2);
  const stride = perDim(fn, 'stride', a.stride, 2);
  const dilation = perDim(fn, 'dilation', a.dilation, 2);
  const padding = perDim(fn, 'padding', a.padding, 2);
  const span = kernel.map((k, i) => dilation[i] * (k - 1) + 1);
  const padded = size.map((s, i) => s + 2 * padding[i]);
  if (span.some((s, i) => s > padded[i])) {
    fail(
      fn,
      `the padded planes of size (${padded.join(' x ')}) are smaller than the windows' span (${span.join(' x ')})`,
    );
  }
  const out = size.map((s, i) => windowCount(s, kernel[i], stride[i], dilation[i], 2 * padding[i]));
  return { kernel, stride, dilation, padding, out };
}

/** `F.unfold`: the windows of `(N, C, H, W)` or `(C, H, W)` as columns `(N, C·kH·kW, L)`. */
export function unfold(a: UnfoldArgs): Tensor {
  const fn = 'unfold';
  requireFloating(a.input, fn, 'input');
  const x = a.input;
  if (x.ndim !== 3 && x.ndim !== 4) {
    fail(
      fn,
      `expected a 3-D (C, H, W) or 4-D (N, C, H, W) input, got shape ${formatShape(x.shape)}`,
    );
  }
  const batched = x.ndim === 4 ? x : x.unsqueeze(0);
  if (batched.shape.slice(1).some((d) => d === 0)) {
    fail(fn, `only the batch dimension may be empty, got input of shape ${formatShape(x.shape)}`);
  }
  const spec = foldSpec(fn, a, batched.shape.slice(2));
  const cols = cutWindows(batched, spec, 0);
  return x.ndim === 4 ? cols : cols.squeeze(0);
}

/** `F.fold`: columns `(N, C·kH·kW, L)` or `(C·kH·kW, L)` summed into planes `(N, C, outputSize…)`. */
export function fold(a: FoldArgs): Tensor {
  const fn = 'fold';
  requireFloating(a.input, fn, 'input');
  const x = a.input;
  if (x.ndim !== 2 && x.ndim !== 3) {
    fail(
      fn,
      `expected a 2-D (C·kH·kW, L) or 3-D (N, C·kH·kW, L) input, got shape ${formatShape(x.shape)}`,
    );
  }
  const cols = x.ndim === 3 ? x : x.unsqueeze(0);
  const size = perDim(fn, 'outputSize', a.outputSize, 2);
  const spec = foldSpec(fn, a, size);
  const k = spec.kernel[0] * spec.kernel[1];
  const [n, ck, l] = cols.shape;
  if (ck % k !== 0 || ck === 0) {
    fail(
      fn,
      `the input's dimension ${x.ndim - 2} (${ck}) must be a positive multiple of the kernel's ${k} taps (kernelSize ${spec.kernel.join(' x ')}), got input of shape ${formatShape(x.shape)}`,
    );
  }
  if (l !== spec.out[0] * spec.out[1]) {
    fail(
      fn,
      `the input's last dimension must be the number of windows, ${spec.out.join(' x ')} = ${spec.out[0] * spec.out[1]} for outputSize (${size.join(', ')}), got ${l} (input of shape ${formatShape(x.shape)})`,
    );
  }
  const planes = col2im(cols, windows2d(n, ck / k, size, spec, 0));
  return x.ndim === 3 ? planes : planes.squeeze(0);
}
