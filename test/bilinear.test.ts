/**
 * nn.Bilinear against PyTorch 1.13 (scripts/golden/bilinear.py) on every
 * backend: after the same manualSeed its weights are PyTorch's, and its
 * repr, output and gradients (inputs, weight, bias) follow. F.linear and
 * F.bilinear alone are the registry's samples. Then the errors.
 */
import { describe, expect, it } from 'vitest';
import { F, manualSeed, nn, randn, zeros } from '../src/index.js';
import { decodeTensor, expectClose, loadGolden, type EncodedTensor } from './helpers/golden.js';
import { forEachBackend } from './helpers/backends.js';

interface Case {
  seed: number;
  args: [number, number, number, boolean];
  dtype: 'float32' | 'float64';
  repr: string;
  state: Record<string, EncodedTensor>;
  input1: EncodedTensor;
  input2: EncodedTensor;
  output: EncodedTensor;
  upstream: EncodedTensor;
  grads: Record<string, EncodedTensor>;
}

const golden = loadGolden<Case>('bilinear');

forEachBackend(() => {
  describe(`nn.Bilinear against PyTorch ${golden.torch_version}`, () => {
    for (const c of golden.cases) {
      it(`${c.repr} ${c.dtype}: initial weights after manualSeed(${c.seed}), output, gradients`, () => {
        manualSeed(c.seed);
        const [in1, in2, out, bias] = c.args;
        let m = new nn.Bilinear(in1, in2, out, bias);
        // PyTorch draws in float32 and converts: so does the case.
        if (c.dtype === 'float64') m = m.to('float64') as nn.Bilinear;
        expect(m.toString()).toBe(c.repr);
        for (const [k, v] of Object.entries(c.state))
          expectClose(m.stateDict()[k], v, `initial ${k}`);
        const x1 = decodeTensor(c.input1, true);
        const x2 = decodeTensor(c.input2, true);
        const y = m.forward(x1, x2);
        expectClose(y, c.output, 'output');
        y.backward(decodeTensor(c.upstream));
        expectClose(x1.grad!, c.grads.input1, 'grad input1');
        expectClose(x2.grad!, c.grads.input2, 'grad input2');
        for (const [k, p] of m.namedParameters()) expectClose(p.grad!, c.grads[k], `grad ${k}`);
      });
    }
  });
});

describe('F.linear and F.bilinear: errors', () => {
  it('names the shapes and dtypes that do not fit', () => {
    expect(() => F.linear(randn([4, 5]), randn([2, 3]))).toThrow(
      /^linear: input of shape \[4, 5\] must have 3 features in its last dimension, as weight of shape \[2, 3\]$/,
    );
    expect(() => F.linear(randn([4, 3]), randn([3]))).toThrow(
      /^linear: weight must have 2 dimensions/,
    );
    expect(() => F.linear(randn([4, 3]), randn([2, 3], { dtype: 'float64' }))).toThrow(
      /^linear: weight has dtype float64 but the input has float32$/,
    );
    expect(() => F.bilinear(randn([4, 3]), randn([5, 2]), randn([1, 3, 2]))).toThrow(
      /^bilinear: input1 and input2 must have the same leading dimensions/,
    );
    expect(() => F.bilinear(randn([4, 3]), randn([4, 2]), randn([1, 2, 3]))).toThrow(
      /^bilinear: inputs of shapes \[4, 3\] and \[4, 2\] must have 2 and 3 features/,
    );
    const m = new nn.Bilinear(2, 2, 1) as unknown as { forward(x: unknown): unknown };
    expect(() => m.forward(zeros([1, 2]))).toThrow(/^Bilinear\.forward: takes 2 arguments/);
    // A bias of one value broadcasts after the GEMM, as addmm broadcasts it.
    expect(F.linear(zeros([2, 3]), zeros([4, 3]), zeros([1]).add(2)).toArray()).toEqual([
      [2, 2, 2, 2],
      [2, 2, 2, 2],
    ]);
  });
});
