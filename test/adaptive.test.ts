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

describe('AdaptiveLogSoftmaxWithLoss: gradients written over its own scores', () => {
  const c = golden.cases.find((k) => k.dtype === 'float32' && k.args.cutoffs.length >= 2)!;

  /** Runs forward with every tail cluster's and the head's output recorded (`by`: which module made it). */
  function scoresOf(
    m: nn.AdaptiveLogSoftmaxWithLoss,
    x: Tensor,
  ): { loss: Tensor; scores: Tensor[]; by: Map<Tensor, unknown> } {
    const scores: Tensor[] = [];
    const by = new Map<Tensor, unknown>();
    for (const mod of [m.head, ...m.tail.children()] as unknown as {
      forward: (t: Tensor) => Tensor;
    }[]) {
      const forward = mod.forward.bind(mod);
      mod.forward = (t) => {
        const s = forward(t);
        scores.push(s);
        by.set(s, mod);
        return s;
      };
    }
    return { loss: m.forward(x, decodeTensor(c.target)).loss, scores, by };
  }

  it('the last backward takes the scores of its own Linear layers as the gradient storage', () => {
    const m = build(c);
    const { loss, scores } = scoresOf(m, decodeTensor(c.input, true));
    expect(scores.length).toBeGreaterThan(1);
    const before = scores.map((s) => Array.from(s.data));
    loss.backward();
    // Each score array now holds its cross-entropy gradient: softmax − one-hot,
    // scaled, so every row sums to 0 (and no longer equals the scores).
    scores.forEach((s, i) => {
      expect(s._version, `scores ${i}`).toBe(1);
      expect(Array.from(s.data)).not.toEqual(before[i]);
      const C = s.shape[1];
      for (let r = 0; r < s.shape[0]; r++) {
        let sum = 0;
        for (let k = 0; k < C; k++) sum += s.data[r * C + k];
        expect(Math.abs(sum), `row ${r} of scores ${i}`).toBeLessThan(1e-6);
      }
    });
  });

  it('keeps the scores with retainGraph, so a second backward gives the same gradients', () => {
    const m = build(c);
    const x = decodeTensor(c.input, true);
    const { loss, scores } = scoresOf(m, x);
    const before = scores.map((s) => Array.from(s.data));
    loss.backward(undefined, { retainGraph: true });
    scores.forEach((s, i) => expect(Array.from(s.data), `scores ${i}`).toEqual(before[i]));
    const once = Array.from((x.grad as Tensor).data);
    loss.backward();
    Array.from((x.grad as Tensor).data).forEach((g, i) => expect(g).toBeCloseTo(2 * once[i], 6));
  });

  it('leaves the scores of a replaced cluster intact', () => {
    const m = build(c);
    // A subclass is not the Linear this module builds: its output may be saved.
    class Traced extends nn.Linear {}
    const old = m.tail.at(0);
    const lin = old.children()[1] as nn.Linear;
    const traced = new Traced(lin.inFeatures, lin.outFeatures, { bias: false });
    traced.weight.data.set(lin.weight.data);
    old.registerModule('1', traced);
    const { loss, scores, by } = scoresOf(m, decodeTensor(c.input, true));
    const clusterScores = scores.filter((s) => by.get(s) === old);
    const before = clusterScores.map((s) => Array.from(s.data));
    loss.backward();
    expect(clusterScores.length).toBeGreaterThan(0);
    clusterScores.forEach((s, i) => {
      expect(s._version).toBe(0);
      expect(Array.from(s.data)).toEqual(before[i]);
    });
  });
});
