/**
 * Losses beyond the golden values: bad input throws before any work,
 * gradients pass gradcheck in float64, and fast-check properties hold.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  F,
  gradcheck,
  manualSeed,
  rand,
  randn,
  tensor,
  type NestedArray,
  type Tensor,
} from '../src/index.js';

const f64 = { dtype: 'float64' as const };
const idx = (v: NestedArray): Tensor => tensor(v, { dtype: 'int32' });

describe('loss errors', () => {
  const x = randn([3, 4]);
  it('rejects targets out of range, including negative ones that are not ignoreIndex', () => {
    expect(() => F.crossEntropy(x, idx([0, 4, 1]))).toThrow(
      'crossEntropy: target 4 is out of range for 4 classes',
    );
    expect(() => F.crossEntropy(x, idx([0, -5, 1]))).toThrow(
      'crossEntropy: target -5 is out of range for 4 classes',
    );
    expect(() => F.nllLoss(x, idx([0, 1, 7]))).toThrow(
      'nllLoss: target 7 is out of range for 4 classes',
    );
    expect(() => F.crossEntropy(x, idx([0, -100, 1]), { ignoreIndex: 2 })).toThrow(
      'target -100 is out of range',
    );
    expect(() => F.crossEntropy(x, idx([0, -100, 1]))).not.toThrow();
  });
  it('rejects a floating tensor as class-index target', () => {
    expect(() => F.crossEntropy(x, tensor([0, 1, 2]))).toThrow(
      /crossEntropy: target must be an int32 tensor of class indices, got float32/,
    );
    expect(() => F.nllLoss(x, tensor([0, 1, 2]))).toThrow(
      /nllLoss: target must be an int32 tensor/,
    );
  });
  it('rejects batch sizes that differ', () => {
    expect(() => F.crossEntropy(x, idx([0, 1]))).toThrow(
      'crossEntropy: input batch size 3 does not match target batch size 2',
    );
    expect(() => F.nllLoss(x, idx([0, 1, 2, 3]))).toThrow(
      'nllLoss: input batch size 3 does not match target batch size 4',
    );
  });
  it('rejects target shapes that do not fit the input', () => {
    expect(() => F.crossEntropy(randn([2, 3, 4]), idx([[0, 1, 2]]).reshape([1, 3]))).toThrow(
      /batch size/,
    );
    expect(() => F.crossEntropy(randn([2, 3, 4]), idx([0, 1]))).toThrow(
      /target shape \[2\] does not match input shape \[2, 3, 4\]/,
    );
    expect(() => F.crossEntropy(randn([3]), idx([1]))).toThrow(/expected target shape \[\]/);
  });
  it('rejects a weight of the wrong length', () => {
    expect(() => F.crossEntropy(x, idx([0, 1, 2]), { weight: tensor([1, 2, 3]) })).toThrow(
      'crossEntropy: weight of shape [3] should have one element per class (4 classes)',
    );
    expect(() => F.nllLoss(x, idx([0, 1, 2]), { weight: tensor([[1, 2, 3, 4]]) })).toThrow(
      /nllLoss: weight of shape \[1, 4\]/,
    );
    expect(() => F.binaryCrossEntropy(rand([3, 4]), rand([3, 4]), { weight: rand([3]) })).toThrow(
      /binaryCrossEntropy: weight of shape \[3\] does not broadcast/,
    );
    expect(() => F.binaryCrossEntropyWithLogits(x, rand([3, 4]), { posWeight: rand([5]) })).toThrow(
      /posWeight of shape \[5\]/,
    );
  });
  it('rejects an unknown reduction', () => {
    const bad = { reduction: 'avg' } as unknown as { reduction: 'mean' };
    expect(() => F.mseLoss(x, x, bad)).toThrow(
      "mseLoss: reduction must be one of 'none', 'mean', 'sum', got 'avg'",
    );
    expect(() => F.crossEntropy(x, idx([0, 1, 2]), bad)).toThrow(
      "crossEntropy: reduction must be one of 'none', 'mean', 'sum', got 'avg'",
    );
    expect(() => F.klDiv(x, x, { reduction: 'batchmean' })).not.toThrow();
    expect(() =>
      F.l1Loss(x, x, { reduction: 'batchmean' } as unknown as { reduction: 'sum' }),
    ).toThrow(/l1Loss: reduction must be one of 'none', 'mean', 'sum', got 'batchmean'/);
  });
  it('rejects labelSmoothing outside [0, 1], negative too', () => {
    expect(() => F.crossEntropy(x, idx([0, 1, 2]), { labelSmoothing: -0.1 })).toThrow(
      'crossEntropy: labelSmoothing must be a number in [0, 1], got -0.1',
    );
    expect(() => F.crossEntropy(x, idx([0, 1, 2]), { labelSmoothing: 1.5 })).toThrow('got 1.5');
    expect(() => F.crossEntropy(x, idx([0, 1, 2]), { labelSmoothing: NaN })).toThrow('got NaN');
  });
  it('rejects BCE input and target outside [0, 1]', () => {
    expect(() => F.binaryCrossEntropy(tensor([0.5, 1.5]), tensor([0, 1]))).toThrow(
      'binaryCrossEntropy: every element of input must be in [0, 1], got 1.5',
    );
    expect(() => F.binaryCrossEntropy(tensor([0.5, -0.1]), tensor([0, 1]))).toThrow(/got -0\.1/);
    expect(() => F.binaryCrossEntropy(tensor([0.5, NaN]), tensor([0, 1]))).toThrow(/got NaN/);
    expect(() => F.binaryCrossEntropy(tensor([0.5, 0.5]), tensor([0, 2]))).toThrow(
      /every element of target/,
    );
  });
  it('rejects shapes that do not match', () => {
    const pairs: ((a: Tensor, b: Tensor) => Tensor)[] = [
      F.mseLoss,
      F.l1Loss,
      F.smoothL1Loss,
      F.huberLoss,
      F.klDiv,
      F.binaryCrossEntropyWithLogits,
    ];
    for (const f of pairs) {
      expect(() => f(randn([3, 4]), randn([4]))).toThrow(
        /input shape \[3, 4\] does not match target shape \[4\]/,
      );
    }
    expect(() => F.crossEntropy(randn([2, 3]), rand([2, 4]))).toThrow(
      /class probabilities must have the input's shape/,
    );
  });
  it('rejects unknown options, bad beta/delta, ignoreIndex with probabilities', () => {
    expect(() =>
      F.crossEntropy(x, idx([0, 1, 2]), { ignore_index: 1 } as unknown as object),
    ).toThrow("crossEntropy: unknown option 'ignore_index'");
    expect(() => F.smoothL1Loss(x, x, { beta: -1 })).toThrow(
      'smoothL1Loss: beta must be a number ≥ 0, got -1',
    );
    expect(() => F.huberLoss(x, x, { delta: 0 })).toThrow(
      'huberLoss: delta must be a number > 0, got 0',
    );
    expect(() => F.crossEntropy(x, rand([3, 4]), { ignoreIndex: 1 })).toThrow(
      /ignoreIndex \(1\) is not supported/,
    );
  });
  it('throws before recording anything', () => {
    const w = randn([3, 4], { requiresGrad: true });
    expect(() => F.crossEntropy(w, idx([0, 9, 1]))).toThrow();
    expect(w.grad).toBeNull();
  });
});

describe('errors of the other losses', () => {
  const x = randn([3, 4]);
  it('checks targets, shapes and options', () => {
    expect(() => F.multiMarginLoss(x, idx([0, 4, 1]))).toThrow(
      'multiMarginLoss: target 4 is out of range for 4 classes',
    );
    expect(() => F.multiMarginLoss(x, idx([0, 1, 1]), { p: 3 })).toThrow(
      'multiMarginLoss: p must be 1 or 2, got 3',
    );
    expect(() => F.multiMarginLoss(x, tensor([0, 1, 1]))).toThrow(
      /multiMarginLoss: target must be an int32 tensor/,
    );
    expect(() =>
      F.multilabelMarginLoss(
        x,
        idx([
          [0, 1, -1, 5],
          [0, 1, 2, 3],
          [1, 1, 1, 1],
        ]),
      ),
    ).toThrow(/multilabelMarginLoss: target 5 is out of range for 4 classes/);
    expect(() => F.marginRankingLoss(randn([3]), randn([3]), randn([4]))).toThrow(
      'marginRankingLoss: the shapes of input1 [3], input2 [3], target [4] do not broadcast',
    );
    expect(() => F.cosineEmbeddingLoss(x, x, idx([1, -1]))).toThrow(
      /cosineEmbeddingLoss: input batch size 3 does not match target batch size 2/,
    );
    expect(() => F.tripletMarginLoss(x, x, randn([3, 5]))).toThrow(
      /tripletMarginLoss: anchor \[3, 4\], positive \[3, 4\] and negative \[3, 5\]/,
    );
    expect(() => F.tripletMarginWithDistanceLoss(x, x, x, { margin: 0 })).toThrow(
      'tripletMarginWithDistanceLoss: margin must be a number > 0, got 0',
    );
    expect(() => F.gaussianNllLoss(x, x, rand([3, 4]).sub(1))).toThrow(
      /gaussianNllLoss: var has a negative entry/,
    );
    expect(() => F.gaussianNllLoss(x, x, rand([2]))).toThrow(
      /var of shape \[2\] is of incorrect size/,
    );
    expect(() =>
      F.poissonNllLoss(x, x, { reduction: 'mean', full: 1 } as unknown as object),
    ).toThrow(/poissonNllLoss: full must be true or false, got 1/);
  });
});

describe('loss gradcheck (float64)', () => {
  manualSeed(3);
  const W3 = rand([3], f64).add(0.5);
  const W4 = rand([4], f64);
  const PW4 = rand([4], f64).mul(3);
  const W31 = rand([3, 1], f64);
  const leaf = (shape: number[], scale = 1, shift = 0): Tensor =>
    randn(shape, f64).mul(scale).add(shift).detach().requiresGrad_();
  const cases: [string, () => [(...a: Tensor[]) => Tensor, Tensor[]]][] = [
    ['mseLoss', () => [(a, b) => F.mseLoss(a, b), [leaf([3, 4]), leaf([3, 4])]]],
    [
      'l1Loss',
      () => [(a, b) => F.l1Loss(a, b, { reduction: 'sum' }), [leaf([3, 4]), leaf([3, 4])]],
    ],
    [
      'smoothL1Loss',
      () => [(a, b) => F.smoothL1Loss(a, b, { beta: 0.7 }), [leaf([3, 4], 2), leaf([3, 4])]],
    ],
    [
      'huberLoss',
      () => [
        (a, b) => F.huberLoss(a, b, { delta: 0.6, reduction: 'none' }),
        [leaf([5], 2), leaf([5])],
      ],
    ],
    [
      'klDiv',
      () => [
        (a, b) => F.klDiv(a, b, { reduction: 'batchmean' }),
        [leaf([3, 4]), rand([3, 4], f64).add(0.1).requiresGrad_()],
      ],
    ],
    [
      'klDiv logTarget',
      () => [(a, b) => F.klDiv(a, b, { logTarget: true }), [leaf([3, 4]), leaf([3, 4])]],
    ],
    [
      'binaryCrossEntropy',
      () => [
        (a, b) => F.binaryCrossEntropy(a, b, { weight: W4 }),
        [rand([3, 4], f64).mul(0.8).add(0.1).requiresGrad_(), rand([3, 4], f64).requiresGrad_()],
      ],
    ],
    [
      'binaryCrossEntropyWithLogits',
      () => [
        (a, b) =>
          F.binaryCrossEntropyWithLogits(a, b, {
            posWeight: PW4,
            weight: W31,
          }),
        [leaf([3, 4], 3), rand([3, 4], f64).requiresGrad_()],
      ],
    ],
    [
      'softMarginLoss',
      () => [(a) => F.softMarginLoss(a, tensor([1, -1, 1, -1], f64)), [leaf([4], 2)]],
    ],
    ['nllLoss', () => [(a) => F.nllLoss(a, idx([0, 2, -100, 1]), { weight: W3 }), [leaf([4, 3])]]],
    [
      'crossEntropy',
      () => [
        (a) =>
          F.crossEntropy(a, idx([0, 2, -100, 1]), {
            weight: W3,
            labelSmoothing: 0.2,
          }),
        [leaf([4, 3], 2)],
      ],
    ],
    [
      'crossEntropy K-dim none',
      () => [
        (a) =>
          F.crossEntropy(
            a,
            idx([
              [
                [0, 2],
                [1, 1],
              ],
              [
                [2, 0],
                [-100, 1],
              ],
            ]),
            { reduction: 'none', labelSmoothing: 0.1 },
          ),
        [leaf([2, 3, 2, 2], 2)],
      ],
    ],
    [
      'crossEntropy probabilities',
      () => [
        (a, b) => F.crossEntropy(a, b, { weight: W3, labelSmoothing: 0.3 }),
        [leaf([2, 3, 2]), rand([2, 3, 2], f64).requiresGrad_()],
      ],
    ],
    [
      'marginRankingLoss',
      () => [
        (a, b, c) => F.marginRankingLoss(a, b, c, { margin: 0.3 }),
        [leaf([5]), leaf([5]), leaf([5])],
      ],
    ],
    [
      'hingeEmbeddingLoss',
      () => [(a) => F.hingeEmbeddingLoss(a, tensor([1, -1, -1, 1], f64)), [leaf([4], 1, 0.3)]],
    ],
    [
      'multilabelMarginLoss',
      () => [
        (a) =>
          F.multilabelMarginLoss(
            a,
            idx([
              [2, 0, -1, 1],
              [3, -1, 0, 0],
            ]),
          ),
        [leaf([2, 4])],
      ],
    ],
    [
      'multilabelSoftMarginLoss',
      () => [
        (a, b) => F.multilabelSoftMarginLoss(a, b, { weight: W4 }),
        [leaf([3, 4]), rand([3, 4], f64).requiresGrad_()],
      ],
    ],
    [
      'cosineEmbeddingLoss',
      () => [
        (a, b) => F.cosineEmbeddingLoss(a, b, idx([1, -1, -1]), { margin: -0.5 }),
        [leaf([3, 4]), leaf([3, 4])],
      ],
    ],
    [
      'multiMarginLoss',
      () => [(a) => F.multiMarginLoss(a, idx([0, 3, 1]), { p: 2, weight: W4 }), [leaf([3, 4])]],
    ],
    [
      'tripletMarginLoss',
      () => [
        (a, b, c) => F.tripletMarginLoss(a, b, c, { p: 3, swap: true }),
        [leaf([3, 4]), leaf([3, 4]), leaf([3, 4])],
      ],
    ],
    [
      'poissonNllLoss',
      () => [
        (a, b) => F.poissonNllLoss(a, b, { full: true }),
        [leaf([4]), rand([4], f64).mul(4).add(1.5).requiresGrad_()],
      ],
    ],
    [
      'gaussianNllLoss',
      () => [
        (a, b, v) => F.gaussianNllLoss(a, b, v),
        [leaf([3, 2]), leaf([3, 2]), rand([3], f64).add(0.5).requiresGrad_()],
      ],
    ],
    [
      'ctcLoss',
      () => [
        (lp) =>
          F.ctcLoss(
            lp.sub(lp.logsumexp(2, true)),
            idx([
              [1, 2, 2],
              [3, 1, 0],
            ]),
            [5, 4],
            [3, 2],
          ),
        [leaf([5, 2, 4])],
      ],
    ],
  ];
  for (const [name, make] of cases) {
    it(name, () => {
      const [fn, inputs] = make();
      expect(gradcheck(fn, inputs)).toBe(true);
    });
  }
  it('gradcheck can fail: a gradient that is cut is caught', () => {
    const a = leaf([3]);
    const cut = (t: Tensor): Tensor => F.mseLoss(t.detach().add(t.mul(0)), t.detach().mul(0));
    expect(gradcheck(cut, [a], { raiseException: false })).toBe(false);
  });
});

describe('loss properties (fast-check)', () => {
  const arbProblem = fc
    .record({ n: fc.integer({ min: 1, max: 4 }), c: fc.integer({ min: 2, max: 6 }) })
    .chain(({ n, c }) =>
      fc.record({
        n: fc.constant(n),
        c: fc.constant(c),
        logits: fc.array(fc.double({ min: -20, max: 20, noNaN: true }), {
          minLength: n * c,
          maxLength: n * c,
        }),
        targets: fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: n, maxLength: n }),
        shifts: fc.array(fc.double({ min: -100, max: 100, noNaN: true }), {
          minLength: n,
          maxLength: n,
        }),
        smoothing: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
    );

  it('cross-entropy is invariant to shifting all logits of a row', () => {
    fc.assert(
      fc.property(arbProblem, ({ n, c, logits, targets, shifts, smoothing }) => {
        const x = tensor(logits, { dtype: 'float64', shape: [n, c] });
        const shifted = x.add(tensor(shifts, { dtype: 'float64', shape: [n, 1] }));
        const t = idx(targets);
        for (const reduction of ['none', 'sum'] as const) {
          const a = F.crossEntropy(x, t, { reduction, labelSmoothing: smoothing }).data;
          const b = F.crossEntropy(shifted, t, { reduction, labelSmoothing: smoothing }).data;
          for (let i = 0; i < a.length; i++)
            expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(a[i])) * 100);
        }
      }),
    );
  });

  it('cross-entropy equals nll of logSoftmax, with weights and ignored targets', () => {
    fc.assert(
      fc.property(arbProblem, fc.boolean(), ({ n, c, logits, targets }, useIgnore) => {
        const x = tensor(logits, { dtype: 'float64', shape: [n, c] });
        const tv = useIgnore ? targets.map((v, i) => (i === 0 ? -100 : v)) : targets;
        const t = idx(tv);
        const weight = tensor(
          Array.from({ length: c }, (_v, i) => 0.5 + i / c),
          f64,
        );
        for (const reduction of ['none', 'mean', 'sum'] as const) {
          const ce = F.crossEntropy(x, t, { weight, reduction }).data;
          const nll = F.nllLoss(F.logSoftmax(x, 1), t, { weight, reduction }).data;
          for (let i = 0; i < ce.length; i++) {
            if (Number.isNaN(nll[i])) expect(ce[i]).toBeNaN();
            else
              expect(Math.abs(ce[i] - nll[i])).toBeLessThanOrEqual(1e-12 + 1e-9 * Math.abs(nll[i]));
          }
        }
      }),
    );
  });

  it('smoothL1 with beta → 0 approaches l1 (|difference| ≤ beta/2 per element)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 20 }),
        fc.double({ min: 1e-9, max: 1e-3, noNaN: true }),
        (values, beta) => {
          const a = tensor(values, f64);
          const b = a.mul(0.5).add(0.25);
          const s = F.smoothL1Loss(a, b, { beta, reduction: 'none' }).data;
          const l = F.l1Loss(a, b, { reduction: 'none' }).data;
          for (let i = 0; i < s.length; i++)
            expect(Math.abs(s[i] - l[i])).toBeLessThanOrEqual(beta / 2 + 1e-12 * Math.abs(l[i]));
        },
      ),
    );
  });
});
