/**
 * Average pooling over boxes: each output position of the last one, two or
 * three dimensions averages a box of the input, read in place by the `boxSum`
 * kernel (no windows cut into columns), then divided by its divisor. The
 * boxes are given per axis as `[lo, hi)` ranges, so they may overlap (a
 * stride below the kernel), be clipped by padding, or differ in length
 * (adaptive pooling's windows); the gradient is `boxSpread`, the sum's
 * adjoint, after the division's. Three dimensions take two passes: the
 * (H, W) boxes, then the depth boxes of their sums. Used by
 * `F.avgPool1d/2d/3d` (src/functional/pool.ts) and
 * `F.adaptiveAvgPool1d/2d/3d` (src/functional/adaptive-pool.ts).
 */
import { Tensor } from '../tensor/tensor.js';
import { boxSum } from '../ops/boxes.js';

/** One axis's boxes: output i averages input `[lo[i], hi[i])` and divides by `divisor[i]`. */
export interface AxisBoxes {
  readonly lo: readonly number[];
  readonly hi: readonly number[];
  readonly divisor: readonly number[];
}

/** The bounds `[lo, hi)` of an axis's boxes as the kernels take them, interleaved. */
function bounds(axis: AxisBoxes): Int32Array {
  const b = new Int32Array(2 * axis.lo.length);
  axis.lo.forEach((lo, i) => {
    b[2 * i] = lo;
    b[2 * i + 1] = axis.hi[i];
  });
  return b;
}

/**
 * The average of every box of `x`'s last `axes.length` (1, 2 or 3) dimensions:
 * shape `[...lead, ...out]`. Each box's sum is divided by `override` if given,
 * else by the product of its axes' divisors (a scalar division when they are
 * all alike). `x` has elements and every output size is at least 1.
 */
export function boxMean(x: Tensor, axes: readonly AxisBoxes[], override: number | null): Tensor {
  if (axes.length === 3) return boxMean3d(x, axes, override);
  const dims = axes.length;
  const lead = x.shape.slice(0, x.ndim - dims);
  const spatial = x.shape.slice(x.ndim - dims);
  const planes = lead.reduce((p, d) => p * d, 1);
  const [h, w] = dims === 2 ? spatial : [1, spatial[0]];
  const rows = dims === 2 ? axes[0] : { lo: [0], hi: [1], divisor: [1] };
  const cols = axes[dims - 1];
  const out = axes.map((axis) => axis.lo.length);
  const sum = boxSum(x.contiguous().reshape([planes, h, w]), {
    rows: bounds(rows),
    cols: bounds(cols),
  }).reshape([...lead, ...out]);
  if (override !== null) return sum.div(override);
  const alike = (d: readonly number[]) => d.every((v) => v === d[0]);
  if (alike(rows.divisor) && alike(cols.divisor)) return sum.div(rows.divisor[0] * cols.divisor[0]);
  const divisor = new Float64Array(rows.divisor.length * cols.divisor.length);
  rows.divisor.forEach((r, y) =>
    cols.divisor.forEach((c, z) => (divisor[y * cols.divisor.length + z] = r * c)),
  );
  return sum.div(new Tensor(divisor, out).to(sum.dtype));
}

/**
 * Boxes over (D, H, W): each box's (H, W) part summed in place, then the depth boxes of those
 * sums, then one division (PyTorch adds a box's elements one by one, so a sum can differ from
 * its in the last bit).
 */
function boxMean3d(x: Tensor, axes: readonly AxisBoxes[], override: number | null): Tensor {
  const d = x.ndim - 3;
  const lead = [...x.shape.slice(0, d).keys()];
  const planes = boxMean(x, axes.slice(1), 1);
  const sums = boxMean(planes.permute([...lead, d + 1, d + 2, d]), [axes[0]], 1).permute([
    ...lead,
    d + 2,
    d,
    d + 1,
  ]);
  if (override !== null) return sums.div(override);
  const [dd, dh, dw] = axes.map((axis) => axis.divisor);
  const divisor = new Float64Array(dd.length * dh.length * dw.length);
  let i = 0;
  for (const p of dd) for (const q of dh) for (const r of dw) divisor[i++] = p * q * r;
  return sums.div(new Tensor(divisor, [dd.length, dh.length, dw.length]).to(sums.dtype));
}
