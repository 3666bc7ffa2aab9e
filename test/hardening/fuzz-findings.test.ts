/**
 * What the fuzz suite (test/fuzz/) found while it was built, each as a
 * regression test on every backend.
 */
import { describe, expect, it } from 'vitest';
import { F, enableGrad, matmul, nn, noGrad, tensor, where, zeros } from '../../src/index.js';
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

    it('the gradient of an empty broadcast is zeros, not a huge intermediate (seed 3, case 51170)', () => {
      // [0, 2^40] against [4, 5, 1, 1] broadcasts to the empty [4, 5, 0, 2^40]; summing its
      // gradient back one dimension at a time passed through [4, 5, 1, 2^40] (2^44 elements).
      const a = zeros([0, 2 ** 40], { requiresGrad: true });
      const b = tensor([[[[1]]]])
        .expand(4, 5, 1, 1)
        .clone()
        .requiresGrad_();
      const y = where(zeros([0, 2 ** 40], { dtype: 'int32' }), a, b);
      expect(y.shape).toEqual([4, 5, 0, 2 ** 40]);
      y.sum().backward();
      expect(b.grad?.shape).toEqual([4, 5, 1, 1]);
      expect([...(b.grad?.data ?? [])].every((v) => v === 0)).toBe(true);
      expect(a.grad?.shape).toEqual([0, 2 ** 40]);
    });

    it('an ignoreIndex beyond int32 is refused at the boundary on every backend (seed 3, case 70207)', () => {
      // The native kernels refused it, wasm and js computed: now all say the same, first.
      const x = zeros([1, 5]);
      const t = tensor([1], { dtype: 'int32' });
      for (const call of [
        () => F.nllLoss(x, t, { ignoreIndex: 2 ** 31 }),
        () => F.crossEntropy(x, t, { ignoreIndex: -(2 ** 31) - 1 }),
        () => new nn.NLLLoss({ ignoreIndex: 2 ** 31 }),
      ]) {
        expect(call).toThrow(/ignoreIndex must be an integer in \[-2147483648, 2147483647\], got/);
      }
      expect(F.nllLoss(x, t, { ignoreIndex: 2 ** 31 - 1 }).item()).toBe(0);
    });

    it('cross-entropy with probability targets cancels as PyTorch does (seed 3, case 193955)', () => {
      // One class: log_softmax is 0 and PyTorch's gradient gl − softmax·Σgl is exactly 0. Native
      // fused the last product into a multiply-add and left a residual of about 1e22.
      const x = tensor([[0.3]], { requiresGrad: true });
      const w = tensor([0.7]);
      F.crossEntropy(x, tensor([[1e30]]), { weight: w, reduction: 'none' })
        .sum()
        .backward();
      expect(x.grad?.item()).toBe(0);
      const x2 = tensor([[0.3, -1]], { requiresGrad: true });
      F.crossEntropy(x2, tensor([[1e30, 0]]), { labelSmoothing: 0.5 }).backward();
      expect([...(x2.grad?.data ?? [])].every(Number.isFinite)).toBe(true);
    });

    it('softmax at a temperature below float32 is NaN as PyTorch’s x / 0 (seed 3, case 345068)', () => {
      // PyTorch: softmax(zeros(2, 5) / 1e-300) is NaN (1e-300 rounds to 0 in float32: 0 / 0).
      // The js kernel scaled by 1/T in float64 (0·1e300 = 0) and gave 0.2 where native gave NaN.
      const y = F.softmax(zeros([5, 5, 2]), 1, { temperature: 1e-300 });
      expect([...y.data].every(Number.isNaN)).toBe(true);
      const z = F.softmax(tensor([[0, 1, -1]]), 1, { temperature: 1e-300 });
      expect([...z.data].every(Number.isNaN)).toBe(true);
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
      // Seed 11, case 554 of the extended suite: the weights of a too-large layer.
      expect(() => new nn.Linear(2 ** 20, 2 ** 20)).toThrow(/^Linear: cannot allocate/);
      expect(() => new nn.MultiheadAttention(2 ** 16, 1)).toThrow(
        /^MultiheadAttention: cannot allocate/,
      );
    });

    it('int32 clamp with a null bound stays int32 and checks the other (seed 1, case 1984)', () => {
      const x = tensor([1, -3], { dtype: 'int32' });
      const y = x.clamp(2, null as never);
      expect(y.dtype).toBe('int32');
      expect(y.toArray()).toEqual([2, 2]);
      expect(() => x.clamp(-2147483649, null as never)).toThrow(
        'clamp: min -2147483649 cannot be converted to int32 without overflow',
      );
    });

    it('sorting along a huge dim of an empty tensor gives an empty result (seed 12, case 2998)', () => {
      expect(zeros([2 ** 40, 0]).sort(0).values.shape).toEqual([2 ** 40, 0]);
      expect(zeros([0, 2 ** 40]).argsort(1).shape).toEqual([0, 2 ** 40]);
      expect(zeros([0, 2 ** 40]).topk(3, 1).indices.shape).toEqual([0, 3]);
    });

    it('a Sequential takes only modules it can run, and never itself (seed 15, case 5537)', () => {
      const s = new nn.Sequential(new nn.Linear(3, 3));
      expect(() => {
        s[0] = new nn.ModuleList([]) as never;
      }).toThrow('Sequential[0]: argument 0 (ModuleList) has no forward(input) method');
      expect(() => {
        s[0] = s;
      }).toThrow('Sequential[0]: a Sequential cannot contain itself');
      expect((s as unknown as Record<string, unknown>)['01']).toBeUndefined();
      // Seed 2027, case 221226: NaN is refused as an index, and a child without forward
      // adopted through a property fails forward with a clear error, not a TypeError.
      expect(() => {
        (s as unknown as Record<number, unknown>)[NaN] = new nn.ReLU();
      }).toThrow('Sequential: indices must be integers, got NaN');
      const t = new nn.Sequential(new nn.Linear(3, 3));
      (t as unknown as { extra: unknown }).extra = new nn.ModuleList([]);
      expect(() => t.forward(zeros([2, 3]))).toThrow(
        'Sequential.forward: module 1 (ModuleList) has no forward(input) method',
      );
      expect(s.forward(zeros([2, 3])).shape).toEqual([2, 3]);
    });
  });
});
