/** PyTorch's size(), size(dim), numel() and dim(), as free functions for installation as methods. */
import { describe, expect, it } from 'vitest';
import { tensor, zeros } from '../src/index.js';
import { dim, numel, size } from '../src/tensor/habits.js';

describe('size, numel, dim', () => {
  const x = zeros(2, 3, 4);
  it('size() is the shape, size(dim) one dimension, negative dims from the end', () => {
    expect(size(x)).toEqual([2, 3, 4]);
    expect(Object.isFrozen(size(x))).toBe(true);
    expect([size(x, 0), size(x, 2), size(x, -1), size(x, -3)]).toEqual([2, 4, 4, 2]);
    expect(size(tensor(1.5))).toEqual([]);
    expect(size(zeros(0, 5), 1)).toBe(5);
  });
  it('size(dim) refuses dims out of range, and any dim of a 0-d tensor', () => {
    expect(() => size(x, 3)).toThrow(
      'size: dim 3 is out of range for a tensor of 3 dimensions (expected an integer in [-3, 2])',
    );
    expect(() => size(x, -4)).toThrow('size: dim -4 is out of range');
    expect(() => size(x, 1.5)).toThrow('size: dim 1.5 is out of range');
    expect(() => size(tensor(2), 0)).toThrow(
      'size: dimension specified as 0 but the tensor has no dimensions',
    );
  });
  it('numel counts elements and dim counts dimensions', () => {
    expect([numel(x), dim(x)]).toEqual([24, 3]);
    expect([numel(tensor(2)), dim(tensor(2))]).toEqual([1, 0]);
    expect([numel(zeros(2 ** 40, 0)), dim(zeros(2 ** 40, 0))]).toEqual([0, 2]);
  });
});
