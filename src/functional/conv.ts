/**
 * `F.conv1d` and `F.conv2d`, as `torch.nn.functional.conv1d/conv2d`:
 * im2col, then one GEMM per sample and group. The input's windows are cut in
 * one pass (`cutWindows`, zero padding included) into columns, (N, C·kernel,
 * positions): a column of `C·kernel` values per output position, each
 * group's channels adjacent. A batched `matmul` multiplies each group's
 * weights (out/groups, C/groups·kernel) by its rows of every sample's
 * columns, and the bias is then added over (N, out, positions) by a
 * broadcast `add` (a pass of its own: the GEMM's store adds a bias per
 * column, this one is per row). Every step is a differentiable op, so the
 * gradients are those ops' backward passes: the GEMMs' for the weight and
 * the columns, col2im's sum over the taps for the input.
 *
 * `F.convTranspose1d` and `F.convTranspose2d` run the same steps the other
 * way round, as PyTorch's CPU kernel (`slow_conv_transpose2d`) does: one
 * GEMM per group, `Wᵀ·x`, gives every input position's contribution to each
 * output channel and tap, `(N, outChannels·kernel, L_in)`; col2im sums those
 * columns into the output planes, dropping the taps in the padding; the bias
 * is added last. Signatures and docs: src/registry/conv.ts.
 */
import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { matmul, matmulTransposed } from '../ops/linalg.js';
import { requireFloating } from '../ops/elementwise/apply.js';
import { cutWindows, perDim, sumWindows, windowCount, type PerDim } from './windows.js';
import { checkSpatialInput, fail } from './validate.js';

/** `padding`: amounts, or `'same'` (output as large as the input, stride 1) or `'valid'` (none). */
export type ConvPadding = PerDim | 'same' | 'valid';

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

/**
 * The checks both convolutions make first: a floating input, weight and bias of its dtype, a
 * (batched or unbatched) input of `dims` spatial dimensions, and a weight of `dims + 2`
 * dimensions laid out as `layout` then the kernel.
 */
function checkOperands(
  fn: string,
  dims: number,
  a: { input: Tensor; weight: Tensor; bias: Tensor | null },
  layout: string,
): void {
  const { weight, bias } = a;
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
      `weight must have ${dims + 2} dimensions (${layout}, kernel…), got shape ${formatShape(weight.shape)}`,
    );
  }
}

/** A convolution over the last `dims` dimensions; see the file's comment. */
export function convNd(fn: string, dims: number, a: ConvArgs): Tensor {
  const { weight, bias, groups } = a;
  checkOperands(fn, dims, a, 'outChannels, inChannels/groups');
  const unbatched = a.input.ndim === dims + 1;
  const input = unbatched ? a.input.unsqueeze(0) : a.input;
  const [n, c] = input.shape;
  const [out, perGroup] = weight.shape;
  const kernel = weight.shape.slice(2);
  if (kernel.some((k) => k === 0)) {
    fail(
      fn,
      `the kernel size must be greater than zero in every dimension, got weight of shape ${formatShape(weight.shape)}`,
    );
  }
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
  const spatial = input.shape.slice(2);
  const span = kernel.map((k, i) => dilation[i] * (k - 1) + 1);
  const paddedSize = spatial.map((s, i) => s + pads[i][0] + pads[i][1]);
  if (span.some((s, i) => s > paddedSize[i])) {
    fail(
      fn,
      `the padded input of size (${paddedSize.join(' x ')}) per channel is smaller than the kernel's span (${span.join(' x ')}), got input of shape ${formatShape(a.input.shape)}`,
    );
  }
  const positions = spatial.map((s, i) =>
    windowCount(s, kernel[i], stride[i], dilation[i], pads[i][0] + pads[i][1]),
  );
  const p = positions.reduce((s, d) => s * d, 1);
  const k = kernel.reduce((s, d) => s * d, 1);
  // Columns (N, C·kernel, positions), each group's channels adjacent; per sample and
  // group, the output is that group's weights (out/groups, C/groups·kernel) times its columns.
  const spec = {
    kernel,
    stride,
    dilation,
    padding: pads.map(([before]) => before),
    out: positions,
  };
  const cols = cutWindows(input, spec, 0);
  const product =
    groups === 1
      ? matmul(weight.reshape([out, c * k]), cols)
      : matmul(
          weight.reshape([groups, out / groups, perGroup * k]),
          cols.reshape([n, groups, perGroup * k, p]),
        );
  const y = (
    bias === null ? product : product.reshape([n, out, p]).add(bias.reshape([out, 1]))
  ).reshape([n, out, ...positions]);
  return unbatched ? y.squeeze(0) : y;
}

/** The arguments of `F.convTranspose1d` and `F.convTranspose2d`, as bound. */
export interface ConvTransposeArgs {
  input: Tensor;
  weight: Tensor;
  bias: Tensor | null;
  stride: PerDim;
  padding: PerDim;
  outputPadding: PerDim;
  groups: number;
  dilation: PerDim;
}

/** `(a, b)`, the per-dimension values of a message. */
const tuple = (v: readonly number[]): string => `(${v.join(', ')})`;

/**
 * The output size of a transposed convolution per spatial dimension:
 * `(in − 1)·stride − 2·padding + dilation·(kernel − 1) + outputPadding + 1`.
 */
export function convTransposeSize(
  spatial: readonly number[],
  kernel: readonly number[],
  stride: readonly number[],
  padding: readonly number[],
  dilation: readonly number[],
  outputPadding: readonly number[],
): number[] {
  return spatial.map(
    (s, i) =>
      (s - 1) * stride[i] - 2 * padding[i] + dilation[i] * (kernel[i] - 1) + outputPadding[i] + 1,
  );
}

/** A transposed convolution over the last `dims` dimensions; see the file's comment. */
export function convTransposeNd(fn: string, dims: number, a: ConvTransposeArgs): Tensor {
  const { weight, bias, groups } = a;
  checkOperands(fn, dims, a, 'inChannels, outChannels/groups');
  if (weight.size === 0) {
    fail(fn, `weight must not be empty, got shape ${formatShape(weight.shape)}`);
  }
  const unbatched = a.input.ndim === dims + 1;
  const input = unbatched ? a.input.unsqueeze(0) : a.input;
  const [n, c, ...spatial] = input.shape;
  const [cin, perGroup] = weight.shape;
  const kernel = weight.shape.slice(2);
  if (cin % groups !== 0) {
    fail(
      fn,
      `given groups=${groups}, the weight's first dimension (inChannels) must be divisible by ${groups}, got weight of shape ${formatShape(weight.shape)}`,
    );
  }
  if (c !== cin) {
    fail(
      fn,
      `weight of shape ${formatShape(weight.shape)} expects an input of ${cin} channels, got input of shape ${formatShape(a.input.shape)}`,
    );
  }
  if (spatial.some((d) => d === 0)) {
    fail(
      fn,
      `only the batch dimension may be empty, got input of shape ${formatShape(a.input.shape)}`,
    );
  }
  const out = perGroup * groups;
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== out)) {
    fail(fn, `bias must have shape [${out}], got ${formatShape(bias.shape)}`);
  }
  const stride = perDim(fn, 'stride', a.stride, dims);
  const padding = perDim(fn, 'padding', a.padding, dims);
  const outputPadding = perDim(fn, 'outputPadding', a.outputPadding, dims);
  const dilation = perDim(fn, 'dilation', a.dilation, dims);
  if (outputPadding.some((p, i) => p >= stride[i] && p >= dilation[i])) {
    fail(
      fn,
      `outputPadding must be smaller than either stride or dilation in each dimension, got outputPadding ${tuple(outputPadding)}, stride ${tuple(stride)}, dilation ${tuple(dilation)}`,
    );
  }
  const size = convTransposeSize(spatial, kernel, stride, padding, dilation, outputPadding);
  if (size.some((s) => s < 1)) {
    fail(
      fn,
      `the output would have size (${size.join(' x ')}): (size − 1)·stride − 2·padding + dilation·(kernel − 1) + outputPadding + 1 must be at least 1, got input of shape ${formatShape(a.input.shape)}`,
    );
  }
  const l = spatial.reduce((s, d) => s * d, 1);
  const k = kernel.reduce((s, d) => s * d, 1);
  // Per sample and group, Wᵀ (out/groups·kernel, in/groups) times the input (in/groups, L_in):
  // the columns (N, out·kernel, L_in), each group's output channels adjacent, as col2im sums them.
  const cols =
    groups === 1
      ? matmulTransposed(weight.reshape([cin, out * k]), input.reshape([n, c, l]), true, false)
      : matmulTransposed(
          weight.reshape([groups, cin / groups, perGroup * k]),
          input.reshape([n, groups, cin / groups, l]),
          true,
          false,
        ).reshape([n, out * k, l]);
  // One window per input position; where outputPadding ≥ stride more would fit, and they are zeros.
  const planes = sumWindows(cols, out, size, { kernel, stride, dilation, padding, out: spatial });
  const y =
    bias === null ? planes : planes.add(bias.reshape([out, ...new Array<number>(dims).fill(1)]));
  return unbatched ? y.squeeze(0) : y;
}
