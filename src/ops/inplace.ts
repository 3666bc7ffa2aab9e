/**
 * PyTorch's in-place tensor methods (`add_`, `sub_`, `mul_`, `div_`,
 * `clamp_`, `copy_`, `fill_`, `zero_`): the new values are computed out of
 * place and written into the tensor's storage (through a view into its
 * base). With gradients recorded, the computation's history becomes the
 * tensor's, so the derivatives are the out-of-place ops' own; the version
 * counters refuse a backward through a value that was overwritten, and the
 * checks refuse to write into a leaf that requires grad. Under `noGrad` —
 * the hand-written update `noGrad(() => w.sub_(w.grad.mul(lr)))` — only the
 * values change.
 */
import { Tensor } from '../tensor/tensor.js';
import { castArray } from '../tensor/dtype.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { checkInplace, commitInplaceResult, refreshView } from '../autograd/node.js';

/**
 * Writes `compute(before)` into `x`, where `before` is x's value (a copy
 * carrying x's history when gradients are recorded, as PyTorch keeps
 * `original_self`). The result must have x's shape: an in-place op does not
 * broadcast the tensor it writes to. With `replaces` (copy_, fill_, zero_)
 * the result does not depend on x, whose old value gets a zero gradient, as
 * in PyTorch.
 */
export function inplace(
  x: Tensor,
  fn: string,
  compute: (before: Tensor) => Tensor,
  replaces = false,
): Tensor {
  x._checkWritable(fn);
  checkInplace(x, fn);
  const recording = isGradEnabled();
  if (recording) refreshView(x);
  const y = compute(recording && x.requiresGrad && !replaces ? x.clone() : x);
  if (!sameShape(y.shape, x.shape)) {
    throw new Error(
      `${fn}: the result has shape ${formatShape(y.shape)} but the tensor written to has shape ${formatShape(x.shape)} (an in-place op does not broadcast the tensor it writes to)`,
    );
  }
  if (x.dtype === 'int32' && y.dtype !== 'int32') {
    throw new Error(`${fn}: a ${y.dtype} result cannot be written into an int32 tensor`);
  }
  x._writeStrided(y.dtype === x.dtype ? y.data : castArray(y.data, x.dtype));
  commitInplaceResult(x, fn, y, replaces);
  return x;
}
