/**
 * The tensor methods that are registry functions (`x.softmax(dim)`,
 * `x.logSoftmax(dim)`, like PyTorch's `Tensor.softmax`), installed by the
 * functional layer.
 */
import { Tensor } from '../tensor/tensor.js';
import { callFunction } from '../registry/define.js';
import { logSoftmax, softmax } from '../registry/softmax.js';
import type { SoftmaxOptions, LogSoftmaxOptions } from './api.generated.js';

declare module '../tensor/tensor.js' {
  interface Tensor {
    /**
     * Softmax along `dim`: the same as `F.softmax(this, dim, options)`.
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * console.log(tensor([[1, 2, 3]]).softmax(1).toString()); // tensor([[0.0900, 0.2447, 0.6652]])
     * ```
     */
    softmax(dim: number, options?: Omit<SoftmaxOptions, 'dim'>): Tensor;
    /** `softmax` with the result's dtype by position, as PyTorch's `x.softmax(1, torch.float64)`. */
    softmax(
      dim: number,
      dtype: 'float32' | 'float64',
      options?: Omit<SoftmaxOptions, 'dim' | 'dtype'>,
    ): Tensor;
    /**
     * Log-softmax along `dim`: the same as `F.logSoftmax(this, dim, options)`.
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * console.log(tensor([[1, 2, 3]]).logSoftmax(1).toString()); // tensor([[-2.4076, -1.4076, -0.4076]])
     * ```
     */
    logSoftmax(dim: number, options?: Omit<LogSoftmaxOptions, 'dim'>): Tensor;
    /** `logSoftmax` with the result's dtype by position, as PyTorch's `x.log_softmax(1, torch.float64)`. */
    logSoftmax(
      dim: number,
      dtype: 'float32' | 'float64',
      options?: Omit<LogSoftmaxOptions, 'dim' | 'dtype'>,
    ): Tensor;
  }
}

/**
 * The method's arguments as the function takes them. PyTorch's
 * `Tensor.softmax(dim, dtype)` takes `dtype` second, where
 * `F.softmax(input, dim, _stacklevel, dtype)` has it keyword-only: a string
 * second argument moves into the options (given there as well, it is an
 * error, as in PyTorch).
 */
function methodArgs(fn: string, args: unknown[]): unknown[] {
  if (typeof args[1] !== 'string') return args;
  const [dim, dtype, options, ...rest] = args;
  if (options !== undefined && (typeof options !== 'object' || options === null)) return args; // not an options object: let the binding report it
  if (options && 'dtype' in options) throw new Error(`${fn}: dtype given twice`);
  return [dim, { ...(options as object | undefined), dtype }, ...rest];
}

Object.defineProperties(Tensor.prototype, {
  softmax: {
    value(this: Tensor, ...args: unknown[]): Tensor {
      return callFunction(softmax, [this, ...methodArgs('softmax', args)]) as Tensor;
    },
    writable: true,
    configurable: true,
  },
  logSoftmax: {
    value(this: Tensor, ...args: unknown[]): Tensor {
      return callFunction(logSoftmax, [this, ...methodArgs('logSoftmax', args)]) as Tensor;
    },
    writable: true,
    configurable: true,
  },
});
