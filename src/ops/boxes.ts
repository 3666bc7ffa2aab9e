/**
 * Box sums and their adjoint: the ops under average and adaptive average
 * pooling, on the `boxSum` and `boxSpread` kernels, which read each window in
 * place instead of cutting it into columns. The geometry is `Boxes`
 * (src/autograd/derivatives/windows.ts); the callers check it.
 */
import { Tensor } from '../tensor/tensor.js';
import { allocUninit } from '../tensor/dtype.js';
import { recordOp, type Boxes } from '../autograd/derivatives/index.js';
import { dispatch } from '../kernels/backend.js';
import type { Floats } from '../kernels/js/types.js';

/** The sum of every box of `x`'s planes, `(planes, H, W)` → `(planes, oh, ow)`. */
export function boxSum(x: Tensor, b: Boxes): Tensor {
  const [planes, h, w] = x.shape;
  const [oh, ow] = [b.rows.length / 2, b.cols.length / 2];
  const out = allocUninit(x.dtype, planes * oh * ow) as Floats;
  dispatch('boxSum', planes, h, w, oh, ow, out, x.data as Floats, b.rows, b.cols);
  return recordOp(new Tensor(out, [planes, oh, ow]), 'boxSum', [x], { boxes: b, size: [h, w] });
}

/** Each box's value added to every element of its box: `(planes, oh, ow)` → `(planes, H, W)`. */
export function boxSpread(g: Tensor, b: Boxes, size: readonly [number, number]): Tensor {
  const [planes, oh, ow] = g.shape;
  const [h, w] = size;
  const dx = allocUninit(g.dtype, planes * h * w) as Floats;
  dispatch('boxSpread', planes, h, w, oh, ow, dx, g.data as Floats, b.rows, b.cols);
  return recordOp(new Tensor(dx, [planes, h, w]), 'boxSpread', [g], { boxes: b });
}
