/**
 * The pooling modules against PyTorch 1.13 (scripts/golden/pool.py) on every
 * backend: reprs, outputs and input gradients, with ties (the max's gradient
 * goes to PyTorch's element), ceil mode, dilation, padding and both
 * divisors. The functions alone are the registry's samples. Then the errors.
 */
import { describe, expect, it } from 'vitest';
import { F, nn, zeros, type Tensor } from '../src/index.js';
import { decodeTensor, expectClose, loadGolden, type EncodedTensor } from './helpers/golden.js';
import { forEachBackend } from './helpers/backends.js';

interface Case {
  ctor: 'MaxPool1d' | 'MaxPool2d' | 'AvgPool1d' | 'AvgPool2d';
  args: unknown[];
  kwargs: Record<string, unknown>;
  repr: string;
  input: EncodedTensor;
  output: EncodedTensor;
  upstream: EncodedTensor;
  grad: EncodedTensor;
}

const golden = loadGolden<Case>('pool');

forEachBackend(() => {
  describe(`pooling modules against PyTorch ${golden.torch_version}`, () => {
    for (const c of golden.cases) {
      it(`${c.repr} on ${JSON.stringify(c.input.shape)}: output and gradient`, () => {
        const Ctor = nn[c.ctor] as unknown as new (...a: unknown[]) => {
          forward(x: Tensor): Tensor;
          toString(): string;
        };
        const m = new Ctor(...c.args, c.kwargs);
        expect(m.toString()).toBe(c.repr);
        const x = decodeTensor(c.input, true);
        const y = m.forward(x);
        expectClose(y, c.output, 'output');
        y.backward(decodeTensor(c.upstream));
        expectClose(x.grad!, c.grad, 'gradient');
      });
    }
  });
});

describe('pooling: empty batches', () => {
  it('pool nominally huge planes of an empty batch, forward and backward', () => {
    // 2^40 positions per plane: nothing may be sized by them (PyTorch 1.13 overflows to 2^32/3).
    const x = zeros([0, 3, 2 ** 40]).requiresGrad_();
    const y = F.avgPool1d(x, 3);
    expect(y.shape).toEqual([0, 3, Math.floor((2 ** 40 - 3) / 3) + 1]);
    y.sum().backward();
    expect(x.grad!.shape).toEqual([0, 3, 2 ** 40]);
    expect(F.maxPool1d(x, 3).shape).toEqual(y.shape);
    expect(F.lpPool1d(x, 2, 3).shape).toEqual(y.shape);
  });
});

describe('pooling: errors', () => {
  it('refuses what PyTorch refuses', () => {
    expect(() => F.maxPool2d(zeros([1, 1, 4, 4]), 2, { padding: 2 })).toThrow(
      /^maxPool2d: padding should be at most half of the kernel size, got padding 2 and kernel size 2$/,
    );
    expect(() => F.avgPool1d(zeros([1, 1, 2]), 3)).toThrow(
      /^avgPool1d: the output would have size \(0\)/,
    );
    expect(() => F.maxPool1d(zeros([4]), 2)).toThrow(
      /^maxPool1d: expected a 2-D \(unbatched\) or 3-D \(batched\) input, got shape \[4\]$/,
    );
    expect(() => F.avgPool2d(zeros([1, 1, 4, 4]), 2, { divisorOverride: 0 })).toThrow(
      /^avgPool2d: divisorOverride must be non-zero$/,
    );
  });
});
