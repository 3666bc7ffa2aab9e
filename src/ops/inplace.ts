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
import { castArray, isFloating } from '../tensor/dtype.js';
import { broadcastShapes, formatShape, sameShape } from '../tensor/shape.js';
import { full } from './shape-ops.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { checkInplace, commitInplaceResult, needsGrad, refreshView } from '../autograd/node.js';
import { recordOp } from '../autograd/derivatives/index.js';
import { dispatch } from '../kernels/backend.js';
import type { Floats } from '../kernels/js/types.js';

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

/**
 * `into += alpha · o`, element by element, rounded once: PyTorch's
 * `add(x, o, alpha)` kernel is a fused multiply-add (two roundings differ
 * from it in 9% of float32 elements, measured on 1.13's `sub_`). It is the
 * very update SGD makes, `param.add_(d_p, alpha=-lr)`, so the optimizers'
 * fused `sgdStep` kernel (no momentum, no decay) computes it, on every
 * backend and with alpha rounded to the dtype as PyTorch rounds it.
 */
function fusedAdd(into: Floats, o: Floats, alpha: number): void {
  dispatch('sgdStep', 1, [into], [o], [], 0, 0, 1, alpha, false, false, false, false, false);
}

/**
 * `x.add_(o, alpha)` (and `sub_` with −alpha) with PyTorch's single
 * rounding. `o` is brought to x's shape first: a tensor of x's dtype is
 * expanded (its gradient summed back by expand's derivative) and copied if
 * it shares memory with x; a number is filled in, unless `|alpha| = 1`
 * (then `x ± o` rounds once either way and the general path needs no
 * temporary). Without gradients to record, the kernel writes straight into
 * x's storage (one pass); otherwise it computes `x + alpha·o` into a new
 * tensor with add's derivatives (`dx = g`, `do = alpha·g`), which `inplace`
 * writes into x. Returns null when `o` does not qualify (another dtype, a
 * shape that does not broadcast to x's): the caller's general path then
 * computes, or reports the error.
 */
export function addScaledInPlace(
  x: Tensor,
  o: Tensor | number,
  alpha: number,
  fn: string,
): Tensor | null {
  if (!isFloating(x.dtype)) return null;
  let other: Tensor;
  if (typeof o === 'number') {
    if (Math.abs(alpha) === 1) return null;
    other = full(x.shape, o, x.dtype);
  } else {
    if (o.dtype !== x.dtype) return null;
    other = o;
    if (!sameShape(o.shape, x.shape)) {
      if (o.ndim > x.ndim) return null;
      try {
        if (!sameShape(broadcastShapes(o.shape, x.shape, fn), x.shape)) return null;
      } catch {
        return null; // the general path reports it
      }
      other = o.expand([...x.shape]);
    }
    if (other !== x && other._storage.buffer === x._storage.buffer) other = other.clone();
  }
  if (!needsGrad(x, other) && x.isContiguous()) {
    x._checkWritable(fn);
    checkInplace(x, fn);
    fusedAdd(x.data as Floats, other.data as Floats, alpha);
    x._bumpVersion();
    return x;
  }
  return inplace(x, fn, (before) => {
    const y = new Tensor((before.data as Floats).slice(), before.shape);
    fusedAdd(y.data as Floats, other.data as Floats, alpha);
    return recordOp(y, 'addScaled', [before, other], { other, alpha });
  });
}

/**
 * `fill_`/`zero_` of a contiguous floating tensor with no gradient to
 * record: the storage is filled directly (`w.grad.zero_()` allocated and
 * copied a filled array). Returns null otherwise; the general path then
 * runs (int32 values are checked there, and a recorded fill gives the old
 * value its zero gradient).
 */
export function fillInPlace(x: Tensor, value: number, fn: string): Tensor | null {
  if (!isFloating(x.dtype) || !x.isContiguous() || needsGrad(x)) return null;
  x._checkWritable(fn);
  checkInplace(x, fn);
  x.data.fill(value);
  x._bumpVersion();
  return x;
}
