/**
 * `F.unfold` and `F.fold` beyond the registry's golden samples, on every
 * backend: fold∘unfold multiplies each element by the number of windows
 * that cover it (counted here element by element), a convolution is the
 * weights times unfold's columns (the docs' claim, against `F.conv2d`), and
 * empty batches keep PyTorch's shapes forward and backward.
 */
import { describe, expect, it } from 'vitest';
import { F, randn, zeros } from '../src/index.js';
import { forEachBackend } from './helpers/backends.js';

/** How many windows of (kernel, stride, dilation, padding) read each element of a plane. */
function coverage(
  size: [number, number],
  kernel: [number, number],
  stride: [number, number],
  dilation: [number, number],
  padding: [number, number],
): number[] {
  const out = size.map(
    (s, i) => Math.floor((s + 2 * padding[i] - dilation[i] * (kernel[i] - 1) - 1) / stride[i]) + 1,
  );
  const count = new Array<number>(size[0] * size[1]).fill(0);
  for (let y = 0; y < out[0]; y++)
    for (let z = 0; z < out[1]; z++)
      for (let a = 0; a < kernel[0]; a++)
        for (let b = 0; b < kernel[1]; b++) {
          const i = y * stride[0] - padding[0] + a * dilation[0];
          const j = z * stride[1] - padding[1] + b * dilation[1];
          if (i >= 0 && i < size[0] && j >= 0 && j < size[1]) count[i * size[1] + j]++;
        }
  return count;
}

forEachBackend(() => {
  describe('F.unfold and F.fold', () => {
    it('fold(unfold(x)) is x times the windows covering each element', () => {
      const size: [number, number] = [7, 6];
      const geometries: [number, number][][] = [
        [
          [3, 3],
          [1, 1],
          [1, 1],
          [1, 1],
        ],
        [
          [2, 3],
          [2, 1],
          [1, 2],
          [0, 2],
        ],
        [
          [3, 2],
          [3, 2],
          [2, 1],
          [2, 0],
        ],
      ];
      for (const [kernel, stride, dilation, padding] of geometries) {
        const x = randn([2, 3, ...size], { dtype: 'float64' });
        const cols = F.unfold(x, kernel, dilation, padding, stride);
        const y = F.fold(cols, size, kernel, dilation, padding, stride);
        const count = coverage(size, kernel, stride, dilation, padding);
        const xd = x.data;
        const yd = y.data;
        expect(y.shape).toEqual(x.shape);
        for (let i = 0; i < xd.length; i++) {
          expect(yd[i]).toBeCloseTo(xd[i] * count[i % count.length], 12);
        }
      }
    });

    it('a convolution is the weights times the columns', () => {
      const x = randn([2, 3, 6, 5], { dtype: 'float64' });
      const w = randn([4, 3, 3, 2], { dtype: 'float64' });
      const cols = F.unfold(x, [3, 2], 1, 1, [2, 1]);
      const viaColumns = w.reshape([4, -1]).matmul(cols);
      const conv = F.conv2d(x, w, null, [2, 1], 1);
      expect(viaColumns.reshape(conv.shape).sub(conv).abs().max().item()).toBeLessThan(1e-12);
    });

    it('keeps an empty batch, forward and backward', () => {
      const x = zeros([0, 3, 5, 6]).requiresGrad_();
      const cols = F.unfold(x, 2);
      expect(cols.shape).toEqual([0, 12, 20]);
      cols.sum().backward();
      expect(x.grad!.shape).toEqual([0, 3, 5, 6]);
      expect(F.fold(zeros([0, 12, 20]), [5, 6], 2).shape).toEqual([0, 3, 5, 6]);
    });

    it('takes one sample without the batch dimension', () => {
      const x = randn([3, 5, 6]);
      expect(F.unfold(x, 2).shape).toEqual([12, 20]);
      expect(
        F.unfold(x, 2)
          .sub(F.unfold(x.unsqueeze(0), 2).squeeze(0))
          .abs()
          .max()
          .item(),
      ).toBe(0);
      expect(F.fold(F.unfold(x, 2), [5, 6], 2).shape).toEqual([3, 5, 6]);
    });
  });
});
