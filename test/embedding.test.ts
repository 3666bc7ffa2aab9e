/**
 * `nn.Embedding` against PyTorch 1.13 (test/golden/embedding.json, from
 * scripts/golden/embedding.py): the table after the same seed (normal_,
 * padding row zeroed) and its repr; and lookups through `fromPretrained`
 * with a padding row, frequency scaling and max-norm renormalisation — the
 * output, the weight's gradient and the weight afterwards, on every
 * backend.
 */
import { describe, expect, it } from 'vitest';
import { manualSeed, nn, tensor, type DType } from '../src/index.js';
import {
  decodeTensor,
  expectClose,
  expectExact,
  loadGolden,
  type EncodedTensor,
} from './helpers/golden.js';
import { forEachBackend } from './helpers/backends.js';

interface Options {
  padding_idx?: number;
  max_norm?: number;
  norm_type?: number;
  scale_grad_by_freq?: boolean;
}

type Case =
  | {
      kind: 'init';
      seed: number;
      dtype: DType;
      n: number;
      d: number;
      options: Options;
      repr: string;
      weight: EncodedTensor;
    }
  | {
      kind: 'lookup';
      dtype: DType;
      weight: EncodedTensor;
      index: EncodedTensor;
      options: Options;
      grad: EncodedTensor;
      output: EncodedTensor;
      weightGrad: EncodedTensor;
      weightAfter: EncodedTensor;
    };

const golden = loadGolden<Case>('embedding');

/** PyTorch's options in nnkit's spelling. */
function options(o: Options) {
  return {
    paddingIdx: o.padding_idx,
    maxNorm: o.max_norm,
    normType: o.norm_type,
    scaleGradByFreq: o.scale_grad_by_freq,
  };
}

describe('nn.Embedding: the initial table after the same seed', () => {
  for (const c of golden.cases) {
    if (c.kind !== 'init') continue;
    it(`Embedding(${c.n}, ${c.d}) ${JSON.stringify(c.options)} ${c.dtype}`, () => {
      manualSeed(c.seed);
      const e = new nn.Embedding(c.n, c.d, { ...options(c.options), dtype: c.dtype });
      // float64 normals pass through V8's log/sin/cos, not glibc's: the last bit may differ.
      if (c.dtype === 'float32') expectExact(e.weight.detach(), c.weight, 'weight');
      else expectClose(e.weight.detach(), c.weight, 'weight');
      expect(e.toString()).toBe(c.repr);
    });
  }
});

forEachBackend((backend) => {
  describe(`nn.Embedding lookups (${backend})`, () => {
    for (const c of golden.cases) {
      if (c.kind !== 'lookup') continue;
      it(`${JSON.stringify(c.index.shape)} ${JSON.stringify(c.options)} ${c.dtype}`, () => {
        const e = nn.Embedding.fromPretrained(decodeTensor(c.weight), {
          freeze: false,
          ...options(c.options),
        });
        const y = e.forward(decodeTensor(c.index));
        y.backward(decodeTensor(c.grad));
        expectExact(e.weight.grad!, c.weightGrad, 'weight gradient');
        // max_norm's scale comes from the row's norm, whose float32 summation order is ATen's.
        const check = c.options.max_norm === undefined ? expectExact : expectClose;
        check(y.detach(), c.output, 'output');
        check(e.weight.detach(), c.weightAfter, 'weight');
      });
    }
  });
});

describe('nn.Embedding refuses', () => {
  it.each([
    [
      () => new nn.Embedding(3, 2, 3),
      /Embedding: paddingIdx \(3\) must be within numEmbeddings \(3\)/,
    ],
    [
      () => new nn.Embedding(3, 2, { sparse: true }),
      /Embedding: sparse gradients are not supported/,
    ],
    [
      () => new nn.Embedding(3, 2).forward(tensor([0.5])),
      /Embedding.forward: input must be an int32 tensor of indices, got float32/,
    ],
    [
      () => new nn.Embedding(3, 2).forward(tensor([3], { dtype: 'int32' })),
      /Embedding.forward: index 3 is out of range for 3 embeddings/,
    ],
    [() => nn.Embedding.fromPretrained(tensor([1, 2])), /fromPretrained: embeddings must be a 2-D/],
    [
      () => new nn.Embedding(2, 3, { _weight: tensor([[1, 2, 3]]) }),
      /Embedding: _weight of shape \[1, 3\] does not match numEmbeddings and embeddingDim \[2, 3\]/,
    ],
  ])('%#', (f, message) => expect(f).toThrow(message));

  it('freezes a pretrained table unless told not to, and copies it', () => {
    const w = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(nn.Embedding.fromPretrained(w).weight.requiresGrad).toBe(false);
    const e = nn.Embedding.fromPretrained(w, { freeze: false });
    expect(e.weight.requiresGrad).toBe(true);
    expect(e.weight.data).not.toBe(w.data);
    expect(Object.keys(e.stateDict())).toEqual(['weight']);
  });
});
