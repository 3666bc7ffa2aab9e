/**
 * The adaptive and power-average pooling modules against PyTorch 1.13
 * (scripts/golden/adaptive_pool.py) on every backend: reprs, outputs and
 * input gradients, for overlapping windows, outputs larger than the input,
 * null sizes, ties (the max's gradient goes to PyTorch's element), unbatched
 * inputs, float32, empty batches and all-zero LPPool windows. The functions
 * alone are the registry's samples. Then the errors.
 */
import { describe, expect, it } from 'vitest';
import { F, nn, zeros, type Tensor } from '../src/index.js';
import { decodeTensor, expectClose, loadGolden, type EncodedTensor } from './helpers/golden.js';
import { forEachBackend } from './helpers/backends.js';

interface Case {
  ctor:
    | 'AdaptiveAvgPool1d'
    | 'AdaptiveAvgPool2d'
    | 'AdaptiveMaxPool1d'
    | 'AdaptiveMaxPool2d'
    | 'LPPool1d'
    | 'LPPool2d';
  args: unknown[];
  repr: string;
  input: EncodedTensor;
  output: EncodedTensor;
  upstream: EncodedTensor;
  /** Null where PyTorch's backward refuses the shapes (empty channels or outputs). */
  grad: EncodedTensor | null;
}

const golden = loadGolden<Case>('adaptive_pool');

forEachBackend(() => {
  describe(`adaptive and power-average pooling modules against PyTorch ${golden.torch_version}`, () => {
    for (const c of golden.cases) {
      it(`${c.repr} on ${JSON.stringify(c.input.shape)}: output and gradient`, () => {
        const Ctor = nn[c.ctor] as unknown as new (...a: unknown[]) => {
          forward(x: Tensor): Tensor;
          toString(): string;
        };
        const m = new Ctor(...c.args);
        expect(m.toString()).toBe(c.repr);
        const x = decodeTensor(c.input, true);
        const y = m.forward(x);
        expectClose(y, c.output, 'output');
        if (c.grad === null) return;
        y.backward(decodeTensor(c.upstream));
        expectClose(x.grad!, c.grad, 'gradient');
      });
    }
  });
});

describe('adaptive and power-average pooling: errors', () => {
  it('refuses what PyTorch refuses', () => {
    expect(() => F.adaptiveAvgPool2d(zeros([7, 5]), 3)).toThrow(
      /^adaptiveAvgPool2d: expected a 3-D \(unbatched\) or 4-D \(batched\) input, got shape \[7, 5\]$/,
    );
    expect(() => F.adaptiveAvgPool1d(zeros([2, 3, 0]), 3)).toThrow(
      /^adaptiveAvgPool1d: expected an input with non-zero sizes for its non-batch dimensions, got shape \[2, 3, 0\]$/,
    );
    // The max refuses empty channels too; the average takes them (as PyTorch's forward does).
    expect(() => F.adaptiveMaxPool1d(zeros([2, 0, 7]), 3)).toThrow(/^adaptiveMaxPool1d: expected/);
    expect(F.adaptiveAvgPool1d(zeros([2, 0, 7]), 3).shape).toEqual([2, 0, 3]);
    expect(() => F.adaptiveAvgPool2d(zeros([1, 7, 5]), [3])).toThrow(
      /^adaptiveAvgPool2d: outputSize must be an integer or a list of 2, got a list of 1$/,
    );
    expect(() => F.adaptiveMaxPool2d(zeros([1, 7, 5]), -1)).toThrow(
      /^adaptiveMaxPool2d: outputSize must be an integer ≥ 0 or an array of integers ≥ 0 or nulls, got -1$/,
    );
    // Modules check their arguments when constructed.
    expect(() => new nn.AdaptiveAvgPool2d([1, 2, 3])).toThrow(/^adaptiveAvgPool2d: outputSize/);
    expect(() => F.lpPool1d(zeros([1, 2, 5]), 0, 2)).toThrow(
      /^lpPool1d: normType must not be 0, got 0$/,
    );
    expect(() => new nn.LPPool2d(2, [2, 2, 2])).toThrow(
      /^lpPool2d: kernelSize must be an integer or a list of 2, got a list of 3$/,
    );
    expect(() => F.lpPool1d(zeros([1, 2, 5]), 2, 6)).toThrow(
      /^lpPool1d: the output would have size \(0\)/,
    );
  });
});
