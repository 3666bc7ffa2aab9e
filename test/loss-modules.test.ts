/** Loss modules: the same numbers as the functional forms, PyTorch's reprs and buffers. */
import { describe, expect, it } from 'vitest';
import { F, nn, rand, randn, tensor, type NestedArray, type Tensor } from '../src/index.js';

const idx = (v: NestedArray): Tensor => tensor(v, { dtype: 'int32' });

describe('loss modules match F', () => {
  const x = randn([4, 3]);
  const y = randn([4, 3]);
  const p = rand([4, 3]).mul(0.9).add(0.05);
  const q = rand([4, 3]);
  const t = idx([0, 2, -100, 1]);
  const w = rand([3]).add(0.1);
  const cases: [string, nn.Module & { forward(a: Tensor, b: Tensor): Tensor }, () => Tensor][] = [
    [
      'MSELoss()',
      new nn.MSELoss({ reduction: 'sum' }),
      () => F.mseLoss(x, y, { reduction: 'sum' }),
    ],
    ['L1Loss()', new nn.L1Loss(), () => F.l1Loss(x, y)],
    [
      'SmoothL1Loss()',
      new nn.SmoothL1Loss({ beta: 0.3 }),
      () => F.smoothL1Loss(x, y, { beta: 0.3 }),
    ],
    [
      'HuberLoss()',
      new nn.HuberLoss({ delta: 0.7, reduction: 'none' }),
      () => F.huberLoss(x, y, { delta: 0.7, reduction: 'none' }),
    ],
    ['NLLLoss()', new nn.NLLLoss({ weight: w }), () => F.nllLoss(x, t, { weight: w })],
    [
      'CrossEntropyLoss()',
      new nn.CrossEntropyLoss({ weight: w, labelSmoothing: 0.1 }),
      () => F.crossEntropy(x, t, { weight: w, labelSmoothing: 0.1 }),
    ],
    [
      'KLDivLoss()',
      new nn.KLDivLoss({ reduction: 'batchmean', logTarget: true }),
      () => F.klDiv(x, y, { reduction: 'batchmean', logTarget: true }),
    ],
    ['BCELoss()', new nn.BCELoss({ weight: w }), () => F.binaryCrossEntropy(p, q, { weight: w })],
    [
      'BCEWithLogitsLoss()',
      new nn.BCEWithLogitsLoss({ posWeight: w }),
      () => F.binaryCrossEntropyWithLogits(x, q, { posWeight: w }),
    ],
    ['SoftMarginLoss()', new nn.SoftMarginLoss(), () => F.softMarginLoss(x, y.sign())],
  ];
  for (const [repr, m, ref] of cases) {
    it(repr, () => {
      expect(m.toString()).toBe(repr);
      const expected = ref();
      const args: Record<string, [Tensor, Tensor]> = {
        'NLLLoss()': [x, t],
        'CrossEntropyLoss()': [x, t],
        'BCELoss()': [p, q],
        'BCEWithLogitsLoss()': [x, q],
        'SoftMarginLoss()': [x, y.sign()],
      };
      const [a, b] = args[repr] ?? [x, y];
      expect(m.forward(a, b).toArray()).toEqual(expected.toArray());
    });
  }

  it('registers weights as buffers under PyTorch names, converted by to(dtype)', () => {
    const m = new nn.BCEWithLogitsLoss({ weight: w, posWeight: w });
    expect(Object.keys(m.stateDict())).toEqual(['weight', 'pos_weight']);
    expect(Object.keys(new nn.CrossEntropyLoss().stateDict())).toEqual([]);
    const ce = new nn.CrossEntropyLoss({ weight: w }).to('float64');
    expect(ce.stateDict().weight.dtype).toBe('float64');
    const x64 = x.to('float64');
    expect(ce.forward(x64, t).item()).toBeCloseTo(F.crossEntropy(x64, t, { weight: w }).item(), 6);
  });

  it('validates when forward runs', () => {
    expect(() => new nn.CrossEntropyLoss({ labelSmoothing: -0.2 }).forward(x, t)).toThrow(
      'CrossEntropyLoss: labelSmoothing must be a number in [0, 1], got -0.2',
    );
  });

  it('the other loss modules call their functional forms', () => {
    const a = randn([3, 4]);
    const b = randn([3, 4]);
    const c = randn([3, 4]);
    const s3 = tensor([1, -1, 1]);
    const cls = idx([0, 3, 2]);
    const pairs: [nn.Module, () => Tensor, () => Tensor][] = [
      [
        new nn.MarginRankingLoss({ margin: 0.1 }),
        () => new nn.MarginRankingLoss({ margin: 0.1 }).forward(a, b, c),
        () => F.marginRankingLoss(a, b, c, { margin: 0.1 }),
      ],
      [
        new nn.HingeEmbeddingLoss(),
        () => new nn.HingeEmbeddingLoss().forward(a, c.sign()),
        () => F.hingeEmbeddingLoss(a, c.sign()),
      ],
      [
        new nn.MultiLabelMarginLoss(),
        () =>
          new nn.MultiLabelMarginLoss().forward(
            a,
            idx([
              [1, -1, 0, 0],
              [2, 3, -1, 0],
              [0, 1, 2, 3],
            ]).reshape([3, 4]),
          ),
        () =>
          F.multilabelMarginLoss(
            a,
            idx([
              [1, -1, 0, 0],
              [2, 3, -1, 0],
              [0, 1, 2, 3],
            ]).reshape([3, 4]),
          ),
      ],
      [
        new nn.MultiLabelSoftMarginLoss(),
        () => new nn.MultiLabelSoftMarginLoss().forward(a, q.reshape([3, 4])),
        () => F.multilabelSoftMarginLoss(a, q.reshape([3, 4])),
      ],
      [
        new nn.CosineEmbeddingLoss(),
        () => new nn.CosineEmbeddingLoss().forward(a, b, s3),
        () => F.cosineEmbeddingLoss(a, b, s3),
      ],
      [
        new nn.MultiMarginLoss({ p: 2 }),
        () => new nn.MultiMarginLoss({ p: 2 }).forward(a, cls),
        () => F.multiMarginLoss(a, cls, { p: 2 }),
      ],
      [
        new nn.TripletMarginLoss(),
        () => new nn.TripletMarginLoss().forward(a, b, c),
        () => F.tripletMarginLoss(a, b, c),
      ],
      [
        new nn.TripletMarginWithDistanceLoss(),
        () => new nn.TripletMarginWithDistanceLoss().forward(a, b, c),
        () => F.tripletMarginWithDistanceLoss(a, b, c),
      ],
      [
        new nn.PoissonNLLLoss(),
        () => new nn.PoissonNLLLoss().forward(a, q.reshape([3, 4])),
        () => F.poissonNllLoss(a, q.reshape([3, 4])),
      ],
      [
        new nn.GaussianNLLLoss(),
        () => new nn.GaussianNLLLoss().forward(a, b, q.reshape([3, 4])),
        () => F.gaussianNllLoss(a, b, q.reshape([3, 4])),
      ],
    ];
    const lp = randn([6, 2, 4]).sub(randn([6, 2, 4]).mul(0));
    const tg = idx([
      [1, 2],
      [3, 3],
    ]);
    pairs.push([
      new nn.CTCLoss(),
      () => new nn.CTCLoss({ blank: 0 }).forward(lp, tg, [6, 5], [2, 2]),
      () => F.ctcLoss(lp, tg, [6, 5], [2, 2]),
    ]);
    for (const [m, got, want] of pairs) {
      // PyTorch keeps TripletMarginWithDistanceLoss's default distance as a child module.
      expect(m.toString()).toBe(
        m.name === 'TripletMarginWithDistanceLoss'
          ? `${m.name}(\n  (distance_function): PairwiseDistance()\n)`
          : `${m.name}()`,
      );
      expect(got().toArray()).toEqual(want().toArray());
    }
  });
});
