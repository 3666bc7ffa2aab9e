/**
 * `F.conv1d` and `F.conv2d`, as `torch.nn.functional.conv1d/conv2d`:
 * im2col from views, then one GEMM per group. The input is padded with zeros
 * (`F.pad`), cut into windows by `unfold` (a view; dilation then keeps every
 * d-th element of each window), laid out as rows of `C/groups·kernel` values
 * per output position, and multiplied by each group's weights with the bias
 * added in the GEMM's store (`linear`). Every step is a differentiable op, so
 * the gradients are those ops' backward passes: the GEMMs' for the weight and
 * the columns, `unfold`'s scatter-add for the input. Signatures and docs:
 * src/registry/conv.ts.
 */
import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { linear } from '../ops/linalg.js';
import { cat } from '../ops/shape-ops.js';
import { indexSelect } from '../ops/index-ops.js';
import { requireFloating } from '../ops/elementwise/apply.js';
import { padSpatial } from './padding.js';
import { checkSpatialInput, fail } from './validate.js';

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

/**
 * The zero padding before and after each spatial dimension: `'same'` pads
 * `d·(k − 1)` in all, the odd one after, as PyTorch does.
 */
export function convPadding(
  fn: string,
  padding: ConvPadding,
  kernel: readonly number[],
  dilation: readonly number[],
  stride: readonly number[],
): [before: number, after: number][] {
  const dims = kernel.length;
  if (padding === 'valid') return kernel.map(() => [0, 0]);
  if (padding === 'same') {
    if (stride.some((s) => s !== 1)) {
      fail(fn, "padding='same' is not supported for strided convolutions");
    }
    return kernel.map((k, i) => {
      const total = dilation[i] * (k - 1);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    });
  }
  return perDim(fn, 'padding', padding, dims).map((p) => [p, p]);
}

/**
 * The windows of `x` over its dimensions `first`… (one per kernel
 * dimension): `(…, positions…, kernel…)`, each window's `kernel[i]` elements
 * `dilation[i]` apart, windows `stride[i]` apart; with `count`, the first
 * `count[i]` windows only. `unfold` views, then (with dilation) an index
 * selection: the convolutions' and pooling's im2col.
 */
export function slidingWindows(
  x: Tensor,
  first: number,
  kernel: readonly number[],
  stride: readonly number[],
  dilation: readonly number[],
  count?: readonly number[],
): Tensor {
  const dims = kernel.length;
  let w = x;
  for (let i = 0; i < dims; i++) {
    w = w.unfold(first + i, dilation[i] * (kernel[i] - 1) + 1, stride[i]);
    if (count) w = w.narrow(first + i, 0, count[i]);
  }
  for (let i = 0; i < dims; i++) {
    if (dilation[i] === 1) continue;
    const taps = Int32Array.from({ length: kernel[i] }, (_, t) => t * dilation[i]);
    w = indexSelect(w, first + dims + i, new Tensor(taps, [taps.length]));
  }
  return w;
}

/** The arguments of `F.conv1d` and `F.conv2d`, as bound. */
export interface ConvArgs {
  input: Tensor;
  weight: Tensor;
  bias: Tensor | null;
  stride: PerDim;
  padding: ConvPadding;
  dilation: PerDim;
  groups: number;
}

/** A convolution over the last `dims` dimensions; see the file's comment. */
export function convNd(fn: string, dims: number, a: ConvArgs): Tensor {
  const { weight, bias, groups } = a;
  requireFloating(a.input, fn, 'input');
  for (const [arg, t] of [
    ['weight', weight],
    ['bias', bias],
  ] as const) {
    if (t !== null && t.dtype !== a.input.dtype) {
      fail(fn, `${arg} has dtype ${t.dtype} but the input has ${a.input.dtype}`);
    }
  }
  checkSpatialInput(fn, a.input, dims);
  if (weight.ndim !== dims + 2) {
    fail(
      fn,
      `weight must have ${dims + 2} dimensions (outChannels, inChannels/groups, kernel…), got shape ${formatShape(weight.shape)}`,
    );
  }
  const unbatched = a.input.ndim === dims + 1;
  const input = unbatched ? a.input.unsqueeze(0) : a.input;
  const [n, c] = input.shape;
  const [out, perGroup] = weight.shape;
  const kernel = weight.shape.slice(2);
  if (perGroup * groups !== c || out % groups !== 0) {
    fail(
      fn,
      `given groups=${groups}, weight of shape ${formatShape(weight.shape)} expects an input of ${perGroup * groups} channels and ${groups} groups to divide its ${out} output channels, got input of shape ${formatShape(a.input.shape)}`,
    );
  }
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== out)) {
    fail(fn, `bias must have shape [${out}], got ${formatShape(bias.shape)}`);
  }
  const stride = perDim(fn, 'stride', a.stride, dims);
  const dilation = perDim(fn, 'dilation', a.dilation, dims);
  const pads = convPadding(fn, a.padding, kernel, dilation, stride);
  const paddedInput = padSpatial(input, pads, 'constant', 0);
  const span = kernel.map((k, i) => dilation[i] * (k - 1) + 1);
  const paddedSize = paddedInput.shape.slice(2);
  if (span.some((s, i) => s > paddedSize[i])) {
    fail(
      fn,
      `the padded input of size (${paddedSize.join(' x ')}) per channel is smaller than the kernel's span (${span.join(' x ')}), got input of shape ${formatShape(a.input.shape)}`,
    );
  }
  const x = slidingWindows(paddedInput, 2, kernel, stride, dilation);
  const positions = x.shape.slice(2, 2 + dims);
  const p = positions.reduce((s, d) => s * d, 1);
  const k = kernel.reduce((s, d) => s * d, 1);
  // Rows of one output position: (N·positions, C·kernel), each group's channels adjacent.
  const order = [0, ...positions.map((_, i) => 2 + i), 1, ...kernel.map((_, i) => 2 + dims + i)];
  const cols = x.permute(order).reshape([n * p, c * k]);
  const outGroup = out / groups;
  const parts: Tensor[] = [];
  for (let g = 0; g < groups; g++) {
    const colsG = groups === 1 ? cols : cols.narrow(1, g * perGroup * k, perGroup * k);
    const w = (groups === 1 ? weight : weight.narrow(0, g * outGroup, outGroup)).reshape([
      outGroup,
      perGroup * k,
    ]);
    const b = bias === null ? null : groups === 1 ? bias : bias.narrow(0, g * outGroup, outGroup);
    parts.push(linear(colsG, w, b));
  }
  const y = (groups === 1 ? parts[0] : cat(parts, 1))
    .reshape([n, ...positions, out])
    .permute([0, dims + 1, ...positions.map((_, i) => 1 + i)])
    .contiguous();
  return unbatched ? y.squeeze(0) : y;
}
