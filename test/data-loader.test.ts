/**
 * `data.DataLoader` and its parts as a PyTorch user drives them: batch
 * shapes and counts, `dropLast`, collation of tensors, numbers, arrays and
 * objects, a batch sampler (the lecture's balanced one) in place of
 * batchSize/shuffle, and PyTorch's refusals. The shuffled order itself is
 * PyTorch's, checked against recorded streams in test/random-streams.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { arange, data, manualSeed, randn, tensor, Tensor } from '../src/index.js';

const ds = () => new data.TensorDataset(randn([10, 3]), arange(10));

describe('DataLoader', () => {
  it('batches a TensorDataset into [x, y] with the last batch shorter, or dropped', () => {
    const loader = new data.DataLoader(ds(), { batchSize: 4 });
    expect(loader.length).toBe(3);
    const batches = [...loader];
    expect(batches.map(([x, y]) => [x.shape, y.shape])).toEqual([
      [[4, 3], [4]],
      [[4, 3], [4]],
      [[2, 3], [2]],
    ]);
    expect(batches.flatMap(([, y]) => y.toArray() as number[])).toEqual([...Array(10).keys()]);
    const dropped = new data.DataLoader(ds(), 4, false, { dropLast: true });
    expect(dropped.length).toBe(2);
    expect([...dropped].length).toBe(2);
  });

  it('a shuffled epoch is a permutation, and each epoch a new one', () => {
    manualSeed(1);
    const loader = new data.DataLoader(ds(), 3, true);
    const epoch = () => [...loader].flatMap(([, y]) => y.toArray() as number[]);
    const a = epoch();
    const b = epoch();
    expect([...a].sort((p, q) => p - q)).toEqual([...Array(10).keys()]);
    expect(a).not.toEqual(b);
  });

  it('collates numbers, arrays and objects as default_collate does', () => {
    expect(data.defaultCollate([1, 2, 3])).toEqual(tensor([1, 2, 3], { dtype: 'int32' }));
    expect((data.defaultCollate([0.5, 2]) as Tensor).dtype).toBe('float64');
    const samples = [
      { x: tensor([1, 2]), label: 0 },
      { x: tensor([3, 4]), label: 1 },
    ];
    const loader = new data.DataLoader(samples, 2); // batches typed { x: Tensor; label: Tensor }
    const [batch] = [...loader];
    expect(batch.x.shape).toEqual([2, 2]);
    expect(batch.label.toArray()).toEqual([0, 1]);
    const pairs = new data.DataLoader([[tensor(1), 7]], 1);
    const [[xs, ys]] = [...pairs];
    expect([xs.shape, ys.toArray()]).toEqual([[1], [7]]);
  });

  it('takes a batch sampler (the balanced one) instead of batchSize and shuffle', () => {
    const labels = [0, 0, 0, 0, 1, 1, 2];
    const sampler = new data.BalancedBatchSampler(labels, { samplesPerClass: 1 });
    const loader = new data.DataLoader(new data.TensorDataset(tensor(labels, { dtype: 'int32' })), {
      batchSampler: sampler,
    });
    for (const [y] of loader) expect([...(y.toArray() as number[])].sort()).toEqual([0, 1, 2]);
  });

  it('takes a collateFn and a custom sampler', () => {
    const loader = new data.DataLoader([10, 20, 30], {
      batchSize: 2,
      sampler: [2, 0, 1],
      collateFn: (s: number[]) => s.join('+'),
    });
    expect([...loader]).toEqual(['30+10', '20']);
  });

  it.each([
    [
      () => new data.DataLoader(ds(), { batchSampler: [[0]], batchSize: 2 }),
      /DataLoader: batchSampler option is mutually exclusive with batchSize, shuffle, sampler, and dropLast/,
    ],
    [
      () => new data.DataLoader(ds(), { sampler: [0, 1], shuffle: true }),
      /DataLoader: sampler option is mutually exclusive with shuffle/,
    ],
    [() => new data.DataLoader(ds(), { numWorkers: 2 }), /DataLoader: numWorkers must be/],
    [() => new data.DataLoader(ds(), { batchSize: 0 }), /DataLoader: batchSize must be/],
    [
      () => [...new data.DataLoader(ds(), { sampler: [0, 12] })],
      /index 12 from the sampler is out of range/,
    ],
    [
      () => new data.TensorDataset(randn([3, 2]), arange(4)),
      /TensorDataset: size mismatch between tensors/,
    ],
    [
      () => new data.DataLoader(new data.TensorDataset(randn([0, 2])), 1, true),
      /RandomSampler: numSamples should be a positive integer/,
    ],
    [() => data.defaultCollate(['a', 'b']), /defaultCollate: a batch must contain tensors/],
  ])('refuses %#', (f, message) => expect(f).toThrow(message));
});

describe('randomSplit and Subset', () => {
  it('splits by sizes or fractions into disjoint subsets covering the dataset', () => {
    manualSeed(3);
    const parts = data.randomSplit(['a', 'b', 'c', 'd', 'e', 'f', 'g'], [0.5, 0.5]);
    expect(parts.map((p) => p.length)).toEqual([4, 3]);
    const all = parts.flatMap((p) => [...p.indices]).sort();
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(parts[0].get(0)).toBe(['a', 'b', 'c', 'd', 'e', 'f', 'g'][parts[0].indices[0]]);
    const loader = new data.DataLoader(data.randomSplit(ds(), [6, 4])[1], 4);
    expect([...loader].map(([x]) => x.shape)).toEqual([[4, 3]]);
  });

  it.each([
    [
      () => data.randomSplit([1, 2, 3], [2, 2]),
      /randomSplit: sum of input lengths \(2 \+ 2\) does not equal/,
    ],
    [
      () => data.randomSplit([1, 2, 3], [1.5, -0.5]),
      /randomSplit: fraction at index 0 \(1.5\) is not between 0 and 1/,
    ],
    [
      () => data.randomSplit([1, 2, 3], [1.5, 1.5]),
      /randomSplit: lengths\[0\] must be a non-negative integer/,
    ],
    [() => data.randomSplit([1, 2, 3], []), /randomSplit: lengths must be a non-empty array/],
    [() => new data.Subset([1, 2], [2]), /Subset: indices\[0\] = 2 is out of range for 2 samples/],
  ])('refuses %#', (f, message) => expect(f).toThrow(message));
});

describe('samplers', () => {
  it('RandomSampler with replacement draws numSamples indices in range; without, permutations', () => {
    manualSeed(0);
    const withRep = [...new data.RandomSampler([1, 2, 3], { replacement: true, numSamples: 70 })];
    expect(withRep).toHaveLength(70);
    expect(withRep.every((i) => i >= 0 && i < 3)).toBe(true);
    const perms = [...new data.RandomSampler([1, 2, 3, 4], false, 10)];
    expect(perms.slice(0, 4).sort()).toEqual([0, 1, 2, 3]);
    expect(perms.slice(4, 8).sort()).toEqual([0, 1, 2, 3]);
    expect(perms).toHaveLength(10);
  });

  it('BatchSampler groups indices and knows its length', () => {
    const s = new data.BatchSampler(new data.SequentialSampler([0, 0, 0, 0, 0]), 2, true);
    expect([...s]).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(s.length).toBe(2);
  });
});
