/**
 * The softmax family along any dimension, with nnkit's `temperature` option:
 * the input is divided by `temperature` (the lecture's β = 1/temperature).
 * Forward and backward are fused kernels (src/kernels/js/softmax-kernels.ts,
 * or the active backend's).
 */
import { Tensor } from '../tensor/tensor.js';
import { allocUninit, type DType } from '../tensor/dtype.js';
import { normalizeDim, splitAtDim } from '../tensor/shape.js';
import { record, needsGrad } from '../autograd/node.js';
import { activeBackend } from '../kernels/backend.js';
import { softmaxBackwardJs, softmaxForwardJs } from '../kernels/js/softmax-kernels.js';
import type { Floats } from '../kernels/js/types.js';
import { requireFloating } from '../ops/elementwise/apply.js';
import { checkOptions, checkTensor, fail } from './validate.js';

export interface SoftmaxOptions {
  /** Divide the input by this before normalising (default 1). β = 1/temperature. */
  temperature?: number;
  /** Cast the input to this dtype first, like PyTorch's `dtype=` argument. */
  dtype?: DType;
}

function softmaxFamily(
  fn: string,
  log: boolean,
  sign: 1 | -1,
  input: Tensor,
  dim: number,
  opts: SoftmaxOptions,
): Tensor {
  checkTensor(fn, 'input', input);
  checkOptions(fn, opts, ['temperature', 'dtype']);
  if (dim === undefined || dim === null) {
    fail(fn, "dim is required (PyTorch's implicit choice of dim is deprecated)");
  }
  const x = opts.dtype ? input.to(opts.dtype) : input;
  requireFloating(x, fn);
  const temperature = opts.temperature ?? 1;
  if (typeof temperature !== 'number' || !(temperature > 0) || temperature === Infinity) {
    fail(fn, `temperature must be a positive finite number, got ${String(temperature)}`);
  }
  const d = normalizeDim(dim, x.ndim, fn);
  const { outer, size, inner } = splitAtDim(x.shape, d);
  const scale = sign / temperature;
  const out = allocUninit(x.dtype, x.size) as Floats;
  const xd = x.data as Floats;
  if (!activeBackend().softmaxForward?.(log, outer, size, inner, out, xd, scale)) {
    softmaxForwardJs(log, outer, size, inner, out, xd, scale);
  }
  const result = new Tensor(out, x.shape);
  if (needsGrad(x)) {
    record(result, fn, [x], (g) => {
      const dx = allocUninit(g.dtype, g.size) as Floats;
      const dy = g.data as Floats;
      if (!activeBackend().softmaxBackward?.(log, outer, size, inner, dx, dy, out, scale)) {
        softmaxBackwardJs(log, outer, size, inner, dx, dy, out, scale);
      }
      return [new Tensor(dx, x.shape)];
    });
  }
  return result;
}

/**
 * Softmax(x)ᵢ = exp(xᵢ/T) / Σⱼ exp(xⱼ/T) along `dim`, T = `temperature`
 * (default 1). Rows of −Infinity give NaN, as in PyTorch.
 * Matches `torch.nn.functional.softmax` (plus the temperature option).
 * @example F.softmax(logits, 1, { temperature: 0.5 })
 */
export function softmax(input: Tensor, dim: number, opts: SoftmaxOptions = {}): Tensor {
  return softmaxFamily('softmax', false, 1, input, dim, opts);
}

/**
 * LogSoftmax(x)ᵢ = xᵢ/T − log Σⱼ exp(xⱼ/T) along `dim`, computed with the
 * maximum subtracted. Matches `torch.nn.functional.log_softmax` (plus temperature).
 * @example F.logSoftmax(logits, -1)
 */
export function logSoftmax(input: Tensor, dim: number, opts: SoftmaxOptions = {}): Tensor {
  return softmaxFamily('logSoftmax', true, 1, input, dim, opts);
}

/**
 * Softmin(x) = Softmax(−x) along `dim` (with temperature: Softmax(−x/T)).
 * Matches `torch.nn.functional.softmin` (plus temperature).
 * @example F.softmin(distances, 1)
 */
export function softmin(input: Tensor, dim: number, opts: SoftmaxOptions = {}): Tensor {
  return softmaxFamily('softmin', false, -1, input, dim, opts);
}
