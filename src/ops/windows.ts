/**
 * Planes cut into windows and windows summed back into planes: the ops under
 * `F.unfold`, `F.fold`, the convolutions and pooling, on the `im2col` and
 * `col2im` kernels (one pass each, padding included, no intermediate view).
 * The geometry is `Windows` (src/autograd/derivatives/windows.ts); the
 * callers check it, these ops only compute.
 */
import { Tensor } from '../tensor/tensor.js';
import { allocUninit } from '../tensor/dtype.js';
import { recordOp, type Windows } from '../autograd/derivatives/index.js';
import { dispatch } from '../kernels/backend.js';
import type { Floats } from '../kernels/js/types.js';

/** The shape of the columns, and the strides (sN, sC, sK, sL) the kernels take for it. */
function columns(w: Windows): { shape: number[]; strides: [number, number, number, number] } {
  const k = w.kernel[0] * w.kernel[1];
  const l = w.out[0] * w.out[1];
  return { shape: [w.batch, w.channels * k, l], strides: [w.channels * k * l, k * l, l, 1] };
}

/** The kernels' geometry arguments, in their order. */
function geometry(w: Windows) {
  return [
    w.batch,
    w.channels,
    ...w.size,
    ...w.kernel,
    ...w.stride,
    ...w.padding,
    ...w.dilation,
    ...w.out,
  ] as const;
}

/**
 * The windows of `x`, `(batch, channels, H, W)` (any strides), as columns
 * `(batch, channels·kH·kW, L)`; taps outside the planes read `w.padValue`.
 */
export function im2col(x: Tensor, w: Windows): Tensor {
  const { shape, strides } = columns(w);
  const out = allocUninit(x.dtype, shape[0] * shape[1] * shape[2]) as Floats;
  dispatch('im2col', ...geometry(w), out, ...strides, x.data as Floats, w.padValue);
  return recordOp(new Tensor(out, shape), 'im2Col', [x], { windows: w });
}

/**
 * Columns `(batch, channels·kH·kW, L)` (any strides) summed into planes
 * `(batch, channels, H, W)`: each element gets every tap that reads it.
 */
export function col2im(cols: Tensor, w: Windows): Tensor {
  const { strides } = columns(w);
  const [h, wd] = w.size;
  const dx = allocUninit(cols.dtype, w.batch * w.channels * h * wd) as Floats;
  dispatch('col2im', ...geometry(w), dx, cols.data as Floats, ...strides);
  return recordOp(new Tensor(dx, [w.batch, w.channels, h, wd]), 'col2Im', [cols], { windows: w });
}
