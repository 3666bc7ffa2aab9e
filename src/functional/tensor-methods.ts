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
    /**
     * Log-softmax along `dim`: the same as `F.logSoftmax(this, dim, options)`.
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * console.log(tensor([[1, 2, 3]]).logSoftmax(1).toString()); // tensor([[-2.4076, -1.4076, -0.4076]])
     * ```
     */
    logSoftmax(dim: number, options?: Omit<LogSoftmaxOptions, 'dim'>): Tensor;
  }
}

Object.defineProperties(Tensor.prototype, {
  softmax: {
    value(this: Tensor, ...args: unknown[]): Tensor {
      return callFunction(softmax, [this, ...args]);
    },
    writable: true,
    configurable: true,
  },
  logSoftmax: {
    value(this: Tensor, ...args: unknown[]): Tensor {
      return callFunction(logSoftmax, [this, ...args]);
    },
    writable: true,
    configurable: true,
  },
});
