/** Python's argument binding: every way a call can bind, and every way it cannot. */
import { describe, expect, it } from 'vitest';
import { bindArgs, type Signature } from '../../src/signature/bind.js';
import * as T from '../../src/signature/types.js';
import { tensor } from '../../src/index.js';

const leakyRelu: Signature = {
  name: 'leakyRelu',
  params: [
    { name: 'input', type: T.tensor, doc: '' },
    { name: 'negativeSlope', type: T.number(), default: 0.01, doc: '' },
    { name: 'inplace', type: T.bool, default: false, doc: '' },
  ],
};
const gelu: Signature = {
  name: 'gelu',
  params: [
    { name: 'input', type: T.tensor, doc: '' },
    { name: 'approximate', type: T.oneOf('none', 'tanh'), default: 'none', kwOnly: true, doc: '' },
  ],
};
const x = tensor([1, -2]);

describe('bindArgs', () => {
  it('binds positionally, by name, and mixed, with defaults filled', () => {
    expect(bindArgs(leakyRelu, [x])).toEqual({ input: x, negativeSlope: 0.01, inplace: false });
    expect(bindArgs(leakyRelu, [x, 0.2])).toEqual({ input: x, negativeSlope: 0.2, inplace: false });
    expect(bindArgs(leakyRelu, [x, { negativeSlope: 0.2 }])).toEqual(bindArgs(leakyRelu, [x, 0.2]));
    expect(bindArgs(leakyRelu, [x, 0.2, { inplace: true }]).inplace).toBe(true);
    expect(bindArgs(leakyRelu, [{ input: x, inplace: true }]).input).toBe(x);
  });
  it('treats undefined as not given', () => {
    expect(bindArgs(leakyRelu, [x, undefined, true]).negativeSlope).toBe(0.01);
    expect(bindArgs(leakyRelu, [x, { negativeSlope: undefined }]).negativeSlope).toBe(0.01);
  });
  it('rejects what cannot bind, naming the function and the parameter', () => {
    expect(() => bindArgs(leakyRelu, [x, 0.2, true, 1])).toThrow(
      'leakyRelu: takes at most 3 positional arguments (input, negativeSlope, inplace) but 4 were given',
    );
    expect(() => bindArgs(leakyRelu, [x, 0.2, { negativeSlope: 0.3 }])).toThrow(
      "leakyRelu: got multiple values for 'negativeSlope'",
    );
    expect(() => bindArgs(leakyRelu, [x, { negative_slope: 0.3 }])).toThrow(
      "leakyRelu: unknown option 'negative_slope' (did you mean 'negativeSlope'?)",
    );
    expect(() => bindArgs(leakyRelu, [])).toThrow("leakyRelu: missing required argument 'input'");
    expect(() => bindArgs(leakyRelu, [x, null])).toThrow(
      'leakyRelu: negativeSlope must be a number, got null',
    );
    expect(() => bindArgs(leakyRelu, [x, NaN])).toThrow(
      'negativeSlope must be a number (not NaN), got NaN',
    );
    expect(() => bindArgs(leakyRelu, [x, 0.2, 1])).toThrow('inplace must be true or false, got 1');
    expect(() => bindArgs(leakyRelu, [{ shape: [2], data: new Float32Array(2) }])).toThrow(
      'leakyRelu: input must be a Tensor, got an object',
    );
  });
  it('keeps keyword-only parameters out of the positional slots', () => {
    expect(bindArgs(gelu, [x, { approximate: 'tanh' }]).approximate).toBe('tanh');
    expect(() => bindArgs(gelu, [x, 'tanh'])).toThrow(
      'gelu: takes at most 1 positional argument (input) but 2 were given; approximate can only be given by name',
    );
    expect(() => bindArgs(gelu, [x, { approximate: 'fast' }])).toThrow(
      "gelu: approximate must be one of 'none', 'tanh', got 'fast'",
    );
  });
  it('explains PyTorch dtype names nnkit lacks', () => {
    const sig: Signature = {
      name: 'f',
      params: [{ name: 'dtype', type: T.dtype, default: null, doc: '' }],
    };
    expect(() => bindArgs(sig, ['int64'])).toThrow("class indices are 'int32'");
  });
});
