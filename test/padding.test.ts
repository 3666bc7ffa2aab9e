/**
 * The padding modules against PyTorch 1.13 (scripts/golden/padding.py) on
 * every backend: reprs, outputs and input gradients (replicate's edges
 * collect the gradients of every copy), batched and unbatched. F.pad's own
 * samples are the registry's. Then F.pad's errors and edge cases.
 */
import { describe, expect, it } from 'vitest';
import { F, nn, tensor, zeros } from '../src/index.js';
import { checkModuleCases } from './helpers/module-cases.js';

checkModuleCases('padding modules', 'padding');

describe('F.pad: errors and edge cases', () => {
  const x = tensor([[[1, 2, 3]]]);
  it('refuses what PyTorch refuses, with a message naming the cause', () => {
    expect(() => F.pad(x, [1, 2, 3])).toThrow(
      /^pad: pad must have an even number of elements, got 3$/,
    );
    expect(() => F.pad(x, [1, 1, 1, 1, 1, 1, 1, 1])).toThrow(
      /^pad: pad of 8 elements pads 4 dimensions/,
    );
    expect(() => F.pad(x, [3, 0], 'reflect')).toThrow(
      /^pad: reflect padding \(3, 0\) at dimension 2 must be less than the input's size there, 3$/,
    );
    expect(() => F.pad(x, [4, 0], 'circular')).toThrow(
      /must be at most the input's size there, 3$/,
    );
    expect(() => F.pad(tensor([1, 2, 3]), [1, 1], 'reflect')).toThrow(
      /^pad: reflect padding of 1 dimension needs an input of 2 or 3 dimensions, got shape \[3\]$/,
    );
    expect(() => F.pad(x, [1, 1], 'replicate', 2)).toThrow(
      /^pad: mode 'replicate' takes no value, got 2$/,
    );
    expect(() => F.pad(x, [-1, 1], 'replicate')).toThrow(/must not be negative, got \(-1, 1\)/);
    expect(() => F.pad(x, [-2, -2])).toThrow(/would have a negative size, -1$/);
    expect(() => F.pad(x, [1, 1], 'wrap' as 'reflect')).toThrow(/^pad: mode must be /);
    expect(() => new nn.ReflectionPad2d([1, 2, 3])).toThrow(
      /^ReflectionPad2d: padding must be an integer or a list of 4 integers, got 3$/,
    );
    expect(() => new nn.ReflectionPad1d(1).forward(zeros([3]))).toThrow(
      /^pad: reflect padding of 1 dimension/,
    );
  });

  it('crops with negative amounts and returns a new tensor even without padding', () => {
    expect(F.pad(x, [-1, 2], 'constant', 9).toArray()).toEqual([[[2, 3, 9, 9]]]);
    // Amounts that skip past the input leave only the value, as PyTorch's output positions read.
    expect(F.pad(x, [-5, 3]).toArray()).toEqual([[[0]]]);
    expect(F.pad(x, [2, -4], 'constant', 1).toArray()).toEqual([[[1]]]);
    const same = F.pad(x, [0, 0]);
    expect(same).not.toBe(x);
    same.data[0] = 7;
    expect(x.data[0]).toBe(1);
    expect(F.pad(tensor([[1, 2]], { dtype: 'int32' }), [1, 0], 'constant', 5).toArray()).toEqual([
      [5, 1, 2],
    ]);
    expect(F.pad(zeros([0, 2]), [1, 1]).shape).toEqual([0, 4]);
  });
});
