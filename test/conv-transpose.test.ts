/**
 * nn.ConvTranspose1d and nn.ConvTranspose2d against PyTorch 1.13
 * (scripts/golden/conv_transpose.py) on every backend: after the same
 * manualSeed the weights are PyTorch's (fanIn from the weight's
 * (outChannels/groups, kernel…) dimensions), and the repr, output and
 * gradients (input, weight, bias) follow — strides, padding (also beyond the
 * kernel's span), output padding below the stride and (below the dilation)
 * at or above it, dilation, groups, no bias, forward's outputSize (spatial
 * sizes or the whole shape), unbatched inputs, an empty batch, float64. F.convTranspose1d and F.convTranspose2d
 * alone are the registry's samples. Then the binding and the errors.
 */
import { describe, expect, it } from 'vitest';
import { F, manualSeed, nn, randn, zeros } from '../src/index.js';
import { decodeTensor, expectClose, loadGolden, type EncodedTensor } from './helpers/golden.js';
import { forEachBackend } from './helpers/backends.js';

interface Case {
  seed: number;
  ctor: 'ConvTranspose1d' | 'ConvTranspose2d';
  args: [number, number, number | number[]];
  kwargs: Record<string, unknown>;
  outputSize: number[] | null;
  dtype: 'float32' | 'float64';
  repr: string;
  state: Record<string, EncodedTensor>;
  input: EncodedTensor;
  output: EncodedTensor;
  upstream: EncodedTensor;
  grads: Record<string, EncodedTensor>;
}

const golden = loadGolden<Case>('conv_transpose');

forEachBackend(() => {
  describe(`transposed convolution modules against PyTorch ${golden.torch_version}`, () => {
    for (const c of golden.cases) {
      const call = c.outputSize ? `, outputSize [${c.outputSize.join(', ')}]` : '';
      it(`${c.repr} ${c.dtype}${call}: initial weights, output and gradients`, () => {
        manualSeed(c.seed);
        const Ctor = nn[c.ctor] as unknown as new (...a: unknown[]) => nn.ConvTranspose1d;
        let m = new Ctor(...c.args, c.kwargs);
        // PyTorch draws in float32 and converts: so does the case.
        if (c.dtype === 'float64') m = m.to('float64') as nn.ConvTranspose1d;
        expect(m.toString()).toBe(c.repr);
        expect(Object.keys(m.stateDict())).toEqual(Object.keys(c.state));
        for (const [k, v] of Object.entries(c.state))
          expectClose(m.stateDict()[k], v, `initial ${k}`);
        const x = decodeTensor(c.input, true);
        const y = c.outputSize ? m.forward(x, c.outputSize) : m.forward(x);
        expectClose(y, c.output, 'output');
        y.backward(decodeTensor(c.upstream));
        expectClose(x.grad!, c.grads.input, 'grad input');
        for (const [k, p] of m.namedParameters()) expectClose(p.grad!, c.grads[k], `grad ${k}`);
      });
    }
  });
});

describe('transposed convolutions: binding', () => {
  it("takes PyTorch's parameters by position, groups before dilation, or by name", () => {
    const x = randn([2, 4, 5]);
    const w = randn([4, 3, 3]);
    const b = randn([6]);
    const byPosition = F.convTranspose1d(x, w, b, 2, 1, 1, 2, 2);
    const byName = F.convTranspose1d(x, w, {
      bias: b,
      stride: 2,
      padding: 1,
      outputPadding: 1,
      groups: 2,
      dilation: 2,
    });
    expect(byPosition.shape).toEqual([2, 6, 12]);
    expect(byName.data).toEqual(byPosition.data);
    const m = new nn.ConvTranspose2d(4, 6, 3, [2, 1], { padding: 1, groups: 2, bias: false });
    expect(m.toString()).toBe(
      'ConvTranspose2d(4, 6, kernel_size=(3, 3), stride=(2, 1), padding=(1, 1), groups=2, bias=False)',
    );
    expect(m.weight.shape).toEqual([4, 3, 3, 3]);
    const y = randn([1, 4, 3, 3]);
    expect(m.forward(y, [6, 3]).shape).toEqual([1, 6, 6, 3]);
    expect(m.forward(y, { outputSize: [1, 6, 5, 3] }).shape).toEqual([1, 6, 5, 3]);
    expect(m.forward(y, null).shape).toEqual([1, 6, 5, 3]);
  });

  it('loads a state dict and converts with to()', () => {
    const m = new nn.ConvTranspose1d(2, 3, 2, { dtype: 'float64' });
    expect(m.weight.dtype).toBe('float64');
    m.loadStateDict({ weight: zeros([2, 3, 2]), bias: zeros([3]) });
    expect(m.forward(randn([2, 4], { dtype: 'float64' })).toArray()).toEqual([
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
    ]);
    expect(() => m.loadStateDict({ weight: zeros([3, 2, 2]), bias: zeros([3]) })).toThrow(/weight/);
  });
});

describe('transposed convolutions: errors', () => {
  const x = zeros([2, 3, 5]);
  const w = zeros([3, 4, 3]);
  it('refuses what PyTorch refuses, naming the argument and the value', () => {
    expect(() => F.convTranspose1d(x, w, { stride: 2, outputPadding: 2 })).toThrow(
      /^convTranspose1d: outputPadding must be smaller than either stride or dilation in each dimension, got outputPadding \(2\), stride \(2\), dilation \(1\)$/,
    );
    expect(() =>
      F.convTranspose2d(zeros([1, 3, 4, 5]), zeros([3, 2, 3, 2]), {
        stride: [2, 1],
        outputPadding: [1, 1],
      }),
    ).toThrow(/^convTranspose2d: outputPadding must be smaller than either stride or dilation/);
    expect(() => F.convTranspose1d(x, w, null, 1, 5)).toThrow(
      /^convTranspose1d: the output would have size \(-3\)/,
    );
    expect(() => F.convTranspose1d(zeros([2, 3, 2]), zeros([3, 4, 1]), null, 1, 1)).toThrow(
      /^convTranspose1d: the output would have size \(0\)/,
    );
    expect(() => F.convTranspose1d(zeros([2, 4, 5]), w)).toThrow(
      /^convTranspose1d: weight of shape \[3, 4, 3\] expects an input of 3 channels, got input of shape \[2, 4, 5\]$/,
    );
    expect(() => F.convTranspose1d(x, w, { groups: 2 })).toThrow(
      /^convTranspose1d: given groups=2, the weight's first dimension \(inChannels\) must be divisible by 2/,
    );
    expect(() => F.convTranspose1d(x, w, zeros([3]))).toThrow(
      /^convTranspose1d: bias must have shape \[4\], got \[3\]$/,
    );
    expect(() => F.convTranspose1d(x, w.to('float64'))).toThrow(
      /^convTranspose1d: weight has dtype float64 but the input has float32$/,
    );
    expect(() => F.convTranspose1d(zeros([2, 3, 5], { dtype: 'int32' }), w)).toThrow(
      /^convTranspose1d: input must be a floating-point tensor/,
    );
    expect(() => F.convTranspose1d(zeros([2, 3, 0]), w)).toThrow(
      /^convTranspose1d: only the batch dimension may be empty, got input of shape \[2, 3, 0\]$/,
    );
    expect(() => F.convTranspose1d(x, zeros([3, 0, 3]))).toThrow(
      /^convTranspose1d: weight must not be empty, got shape \[3, 0, 3\]$/,
    );
    expect(() => F.convTranspose2d(zeros([2, 3, 4, 5]), zeros([3, 2, 3]))).toThrow(
      /^convTranspose2d: weight must have 4 dimensions/,
    );
    expect(() => F.convTranspose1d(zeros([5]), w)).toThrow(
      /^convTranspose1d: expected a 2-D \(unbatched\) or 3-D \(batched\) input, got shape \[5\]$/,
    );
    expect(() => F.convTranspose1d(x, w, { stride: [2, 2] })).toThrow(
      /^convTranspose1d: stride must be an integer or a list of 1, got a list of 2$/,
    );
    expect(() => F.convTranspose1d(x, w, { padding: -1 })).toThrow(/^convTranspose1d: padding/);
  });

  it('checks the modules’ arguments in the constructor, and outputSize in forward', () => {
    expect(() => new nn.ConvTranspose1d(1, 1, 3, { paddingMode: 'reflect' })).toThrow(
      /^ConvTranspose1d: only paddingMode 'zeros' is supported for transposed convolutions, got 'reflect'$/,
    );
    expect(() => new nn.ConvTranspose2d(3, 4, 3, { groups: 2 })).toThrow(
      /^ConvTranspose2d: inChannels must be divisible by groups$/,
    );
    expect(() => new nn.ConvTranspose2d(4, 3, 3, { groups: 2 })).toThrow(
      /^ConvTranspose2d: outChannels must be divisible by groups$/,
    );
    expect(() => new nn.ConvTranspose1d(4, 2, 3, { outputPadding: 2 })).toThrow(
      /^ConvTranspose1d: outputPadding must be smaller than either stride or dilation in each dimension, got outputPadding \(2,\), stride \(1,\), dilation \(1,\)$/,
    );
    const m = new nn.ConvTranspose1d(3, 4, 3, 2);
    expect(() => m.forward(x, [10])).toThrow(
      /^ConvTranspose1d.forward: requested an output size of \[10\], but valid sizes range from \[11\] to \[12\] \(for an input of spatial size \[5\]\)$/,
    );
    expect(() => m.forward(x, [4, 12])).toThrow(
      /^ConvTranspose1d.forward: for a 3-D input, outputSize must have 1 or 3 elements, got 2$/,
    );
    expect(() => m.forward(zeros([3, 5]), [2, 4, 12])).toThrow(
      /^ConvTranspose1d.forward: for a 2-D input, outputSize must have 1 or 2 elements, got 3$/,
    );
    expect(() => m.forward(x, 12 as never)).toThrow(/^ConvTranspose1d.forward: outputSize/);
    expect(() => m.forward(zeros([2, 2, 5]))).toThrow(
      /^convTranspose1d: weight of shape \[3, 4, 3\] expects an input of 3 channels/,
    );
  });
});
