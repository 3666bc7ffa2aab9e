/**
 * What the fuzz suite (test/fuzz/) found while it was built, each as a
 * regression test on every backend.
 */
import { describe, expect, it } from 'vitest';
import { F, enableGrad, matmul, nn, noGrad, tensor, zeros } from '../../src/index.js';
import { forEachBackend } from '../helpers/backends.js';

forEachBackend(() => {
  describe('fuzz findings', () => {
    it('noGrad and enableGrad refuse what is not a function (was an internal TypeError)', () => {
      expect(() => noGrad(true as unknown as () => void)).toThrow(
        'noGrad: fn must be a function, got boolean',
      );
      expect(() => enableGrad(null as unknown as () => void)).toThrow(
        'enableGrad: fn must be a function, got null',
      );
      expect(noGrad(() => 3)).toBe(3);
    });

    it("a computed result too large for a typed array is an nnkit error (was Node's RangeError)", () => {
      // Probabilities as targets over [2^40, 0] logits: reduction 'none' has 2^40 elements.
      const x = zeros([2 ** 40, 0]);
      expect(() => F.crossEntropy(x, zeros([2 ** 40, 0]), { reduction: 'none' })).toThrow(
        /^crossEntropy: cannot allocate 1099511627776 float32 elements: a tensor holds at most 2\^32 bytes/,
      );
      // PyTorch computes the 2^40 per-row losses before the mean as well (and fails to allocate).
      expect(() => F.crossEntropy(x, zeros([2 ** 40, 0]))).toThrow(
        /^crossEntropy: cannot allocate/,
      );
      // Over no samples the mean is NaN, as in PyTorch.
      expect(
        Number.isNaN(F.crossEntropy(zeros([0, 3]), zeros([0], { dtype: 'int32' })).item()),
      ).toBe(true);
    });

    it('matmul of 1-D tensors of different lengths is refused (mul broadcast [3]·[1])', () => {
      expect(() => matmul(zeros([3]), zeros([0]))).toThrow(
        'matmul: 1-D tensors of 3 and 0 elements cannot be multiplied',
      );
      expect(() => matmul(zeros([3]), zeros([1]))).toThrow(
        'matmul: 1-D tensors of 3 and 1 elements cannot be multiplied',
      );
      expect(matmul(tensor([1, 2, 3]), tensor([4, 5, 6])).item()).toBe(32);
    });

    it('multilabelMarginLoss over [2^40, 0] is refused at once (it looped over 2^40 rows)', () => {
      const x = zeros([2 ** 40, 0]);
      const t = zeros([2 ** 40, 0], { dtype: 'int32' });
      expect(() => F.multilabelMarginLoss(x, t)).toThrow(/^multilabelMarginLoss: result shape/);
      // Over no rows it is the mean of nothing.
      const e = F.multilabelMarginLoss(zeros([0, 3]), zeros([0, 3], { dtype: 'int32' }));
      expect(e.item()).toBeNaN();
    });

    it('an error while a module makes its parameters names the module', () => {
      expect(() => new nn.PReLU({ numParameters: 2 ** 31 })).toThrow(
        /^PReLU: full: size \[2147483648\] has 2147483648 elements, more than/,
      );
    });
  });
});
