/**
 * nn.Conv1d and nn.Conv2d against PyTorch 1.13 (scripts/golden/conv.py) on
 * every backend: after the same manualSeed the weights are PyTorch's, and
 * the repr, output and gradients (input, weight, bias) follow — strides,
 * numeric, 'same' and 'valid' padding, dilation, groups, no bias, the
 * reflect/replicate/circular padding modes, unbatched inputs, float64.
 * F.conv1d and F.conv2d alone are the registry's samples. Then the errors.
 */
import { describe, expect, it } from 'vitest';
import { F, manualSeed, nn, zeros } from '../src/index.js';
import { decodeTensor, expectClose, loadGolden, type EncodedTensor } from './helpers/golden.js';
import { forEachBackend } from './helpers/backends.js';

interface Case {
  seed: number;
  ctor: 'Conv1d' | 'Conv2d';
  args: [number, number, number | number[]];
  kwargs: Record<string, unknown>;
  dtype: 'float32' | 'float64';
  repr: string;
  state: Record<string, EncodedTensor>;
  input: EncodedTensor;
  output: EncodedTensor;
  upstream: EncodedTensor;
  grads: Record<string, EncodedTensor>;
}

const golden = loadGolden<Case>('conv');

forEachBackend(() => {
  describe(`convolution modules against PyTorch ${golden.torch_version}`, () => {
    for (const c of golden.cases) {
      it(`${c.repr} ${c.dtype}: initial weights, output and gradients`, () => {
        manualSeed(c.seed);
        const Ctor = nn[c.ctor] as unknown as new (...a: unknown[]) => nn.Conv1d;
        let m = new Ctor(...c.args, c.kwargs);
        // PyTorch draws in float32 and converts: so does the case.
        if (c.dtype === 'float64') m = m.to('float64') as nn.Conv1d;
        expect(m.toString()).toBe(c.repr);
        for (const [k, v] of Object.entries(c.state))
          expectClose(m.stateDict()[k], v, `initial ${k}`);
        const x = decodeTensor(c.input, true);
        const y = m.forward(x);
        expectClose(y, c.output, 'output');
        y.backward(decodeTensor(c.upstream));
        expectClose(x.grad!, c.grads.input, 'grad input');
        for (const [k, p] of m.namedParameters()) expectClose(p.grad!, c.grads[k], `grad ${k}`);
      });
    }
  });
});

describe('convolutions: errors', () => {
  it('refuses what PyTorch refuses, naming the shapes', () => {
    expect(() => F.conv2d(zeros([1, 3, 5, 5]), zeros([4, 2, 3, 3]))).toThrow(
      /^conv2d: given groups=1, weight of shape \[4, 2, 3, 3\] expects an input of 2 channels/,
    );
    expect(() => F.conv2d(zeros([1, 3, 2, 2]), zeros([4, 3, 3, 3]))).toThrow(
      /^conv2d: the padded input of size \(2 x 2\) per channel is smaller than the kernel's span \(3 x 3\)/,
    );
    expect(() => F.conv1d(zeros([1, 2, 5]), zeros([2, 2, 3]), null, 2, 'same')).toThrow(
      /^conv1d: padding='same' is not supported for strided convolutions$/,
    );
    expect(() => F.conv2d(zeros([5, 5]), zeros([1, 1, 3, 3]))).toThrow(
      /^conv2d: expected a 3-D \(unbatched\) or 4-D \(batched\) input, got shape \[5, 5\]$/,
    );
    expect(() => new nn.Conv2d(3, 4, 3, { groups: 2 })).toThrow(
      /^Conv2d: inChannels must be divisible by groups$/,
    );
    expect(() => new nn.Conv2d(2, 4, [3, 3, 3])).toThrow(
      /^Conv2d: kernelSize must be an integer or a list of 2, got a list of 3$/,
    );
    expect(() => new nn.Conv1d(2, 4, 3, { stride: 2, padding: 'same' })).toThrow(
      /^Conv1d: padding='same' is not supported for strided convolutions$/,
    );
  });
});
