/**
 * `setNumThreads` as the package exports it: the kernel layer's, with the
 * bound that its native thread pool applies silently (256) checked first,
 * so that `setNumThreads(1e9)` is an error rather than 256 threads reported
 * as a billion.
 */
import { setNumThreads as setBackendThreads } from './kernels/backend.js';
import { describeValue } from './signature/types.js';

/** The most threads nnkit's kernels use (the native pool's limit). */
export const MAX_THREADS = 256;

/**
 * Sets the number of threads kernels may use, like `torch.set_num_threads`:
 * an integer in [1, 256]; anything else (0, negative, fractional, NaN, huge,
 * not a number) is an error naming the value.
 * @example
 * ```ts
 * import { getNumThreads, setNumThreads } from 'nnkit';
 * const before = getNumThreads();
 * setNumThreads(2);
 * console.log(getNumThreads()); // 2
 * setNumThreads(before);
 * ```
 * @param n - The number of threads, an integer in [1, 256].
 */
export function setNumThreads(n: number): void {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    throw new Error(
      `setNumThreads: n must be an integer in [1, ${MAX_THREADS}], got ${describeValue(n)}`,
    );
  }
  setBackendThreads(n);
}
