/**
 * nn.AdaptiveLogSoftmaxWithLoss against PyTorch: weights exported from a
 * PyTorch module load by PyTorch's state-dict keys and reproduce its output,
 * loss, input gradient, every parameter gradient, logProb and predict.
 */
import { describe, expect, it } from 'vitest';
import { nn, randn, tensor, type Tensor } from '../src/index.js';
import { decodeTensor, expectClose, loadGolden, type EncodedTensor } from './helpers/golden.js';

interface AdaptiveCase {
  name: string;
  dtype: 'float32' | 'float64';
  args: {
    inFeatures: number;
    nClasses: number;
    cutoffs: number[];
    divValue: number;
    headBias: boolean;
  };
  repr: string;
  state: Record<string, EncodedTensor>;
  input: EncodedTensor;
  target: EncodedTensor;
  upstreamLoss: EncodedTensor;
  upstreamOutput: EncodedTensor;
  output: EncodedTensor;
  loss: EncodedTensor;
  inputGrad: EncodedTensor;
  paramGrads: Record<string, EncodedTensor | null>;
  logProb: EncodedTensor;
  predict: EncodedTensor;
}

const golden = loadGolden<AdaptiveCase>('losses-adaptive');

function build(c: AdaptiveCase): nn.AdaptiveLogSoftmaxWithLoss {
  const { inFeatures, nClasses, cutoffs, divValue, headBias } = c.args;
  const m = new nn.AdaptiveLogSoftmaxWithLoss(inFeatures, nClasses, cutoffs, {
    divValue,
    headBias,
    dtype: c.dtype,
  });
  m.loadStateDict(
    Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, decodeTensor(v)])),
  );
  return m;
}

describe(`AdaptiveLogSoftmaxWithLoss vs PyTorch ${golden.torch_version}`, () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      const m = build(c);
      expect(m.toString()).toBe(c.repr);
      expect(Object.keys(m.stateDict())).toEqual(Object.keys(c.state));
      const x = decodeTensor(c.input, true);
      const { output, loss } = m.forward(x, decodeTensor(c.target));
      expectClose(output, c.output, 'output');
      expectClose(loss, c.loss, 'loss');
      loss
        .mul(decodeTensor(c.upstreamLoss))
        .add(output.mul(decodeTensor(c.upstreamOutput)).sum())
        .backward();
      expectClose(x.grad as Tensor, c.inputGrad, 'input grad');
      const params = new Map(m.namedParameters());
      expect([...params.keys()]).toEqual(Object.keys(c.paramGrads));
      for (const [k, g] of Object.entries(c.paramGrads)) {
        const p = params.get(k) as Tensor;
        if (g === null) expect(p.grad, `${k}: PyTorch gives no gradient`).toBeNull();
        else expectClose(p.grad as Tensor, g, `grad of ${k}`);
      }
      const xs = x.ndim === 1 ? x.detach().unsqueeze(0) : x.detach();
      expectClose(m.logProb(xs), c.logProb, 'logProb');
      expect(Array.from(m.predict(xs).data)).toEqual(decodeTensor(c.predict).toArray());
    });
  }
});

describe('AdaptiveLogSoftmaxWithLoss checks', () => {
  it('rejects cutoffs that are not increasing or not inside (0, nClasses)', () => {
    expect(() => new nn.AdaptiveLogSoftmaxWithLoss(8, 20, [10, 5])).toThrow(
      'AdaptiveLogSoftmaxWithLoss: cutoffs must be strictly increasing, but cutoffs[1] = 5 follows 10',
    );
    expect(() => new nn.AdaptiveLogSoftmaxWithLoss(8, 20, [5, 5])).toThrow(/strictly increasing/);
    expect(() => new nn.AdaptiveLogSoftmaxWithLoss(8, 20, [0, 5])).toThrow(
      'cutoffs[0] = 0 must be an integer in (0, 20)',
    );
    expect(() => new nn.AdaptiveLogSoftmaxWithLoss(8, 20, [5, 20])).toThrow(
      'cutoffs[1] = 20 must be an integer in (0, 20)',
    );
    expect(() => new nn.AdaptiveLogSoftmaxWithLoss(8, 20, [2.5])).toThrow(/cutoffs\[0\] = 2.5/);
    expect(() => new nn.AdaptiveLogSoftmaxWithLoss(8, 20, [])).toThrow(/non-empty/);
  });
  it('rejects targets outside [0, nClasses) and mismatched shapes', () => {
    const m = new nn.AdaptiveLogSoftmaxWithLoss(8, 20, [4, 10]);
    const x = randn([3, 8]);
    expect(() => m.forward(x, tensor([1, 20, 3], { dtype: 'int32' }))).toThrow(
      'AdaptiveLogSoftmaxWithLoss.forward: target 20 is out of range for 20 classes',
    );
    expect(() => m.forward(x, tensor([1, -1, 3], { dtype: 'int32' }))).toThrow(
      /target -1 is out of range/,
    );
    expect(() => m.forward(x, tensor([1, 2], { dtype: 'int32' }))).toThrow(
      /batch size 3 does not match target batch size 2/,
    );
    expect(() => m.forward(x, tensor([1, 2, 3]))).toThrow(/target must be an int32 tensor/);
    expect(() => m.forward(randn([3, 7]), tensor([1, 2, 3], { dtype: 'int32' }))).toThrow(
      /should be \(N, 8\)/,
    );
  });
  it('logProb rows are normalised and agree with forward', () => {
    const m = new nn.AdaptiveLogSoftmaxWithLoss(6, 15, [3, 8], { dtype: 'float64' });
    const x = randn([4, 6], { dtype: 'float64' });
    const lp = m.logProb(x);
    const rowSums = lp.exp().sum(1).data;
    for (const s of rowSums) expect(Math.abs(s - 1)).toBeLessThan(1e-12);
    const t = tensor([0, 5, 14, 9], { dtype: 'int32' });
    const out = m.forward(x, t).output.data;
    [0, 5, 14, 9].forEach((c, r) =>
      expect(Math.abs(out[r] - (lp.data[r * 15 + c] as number))).toBeLessThan(1e-12),
    );
  });
});
