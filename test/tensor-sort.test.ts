/**
 * The sorting and splitting methods' binding (SPEC §3: PyTorch 1.13's
 * parameters by position or in one trailing options object, misspelt or
 * doubled names refused), their errors, their views and what nnkit
 * guarantees about ties (the values against PyTorch are in
 * test/tensor-sort.golden.test.ts). Expected values are PyTorch 1.13's.
 */
import { describe, expect, it } from 'vitest';
import { F, arange, noGrad, randint, tensor, type Tensor } from '../src/index.js';

/** Calls `t[method](...args)` as plain JavaScript may, with arguments its types forbid. */
const call = <R = Tensor>(t: Tensor, method: keyof Tensor, ...args: unknown[]): R =>
  (t[method] as (...a: unknown[]) => R).apply(t, args);

const x = (): Tensor =>
  tensor([
    [3, 1, 2, 1],
    [0, 5, NaN, 4],
  ]);

const values = (t: Tensor): number[] => [...t.data];

describe('sort and argsort bind as PyTorch 1.13 does', () => {
  it('(dim, descending) by position or by name, stable by name', () => {
    const ref = x().sort(0, true);
    expect(ref.values.toArray()).toEqual([
      [3, 5, NaN, 4],
      [0, 1, 2, 1],
    ]);
    expect(ref.indices.toArray()).toEqual([
      [0, 1, 1, 1],
      [1, 0, 0, 0],
    ]);
    for (const s of [
      x().sort(0, { descending: true }),
      x().sort({ dim: 0, descending: true }),
      x().sort({ descending: true, dim: -2 }),
      x().sort(0, true, { stable: true }),
      x().sort({ dim: 0, descending: true, stable: false }),
    ]) {
      expect(values(s.values)).toEqual(values(ref.values));
      expect(values(s.indices)).toEqual(values(ref.indices));
    }
    expect(values(x().sort().indices)).toEqual([1, 3, 2, 0, 0, 3, 1, 2]);
    expect(values(x().sort(-1, false).indices)).toEqual(values(x().sort().indices));
    expect(values(x().argsort(0, true))).toEqual(values(ref.indices));
    expect(values(x().argsort({ dim: 0, descending: true }))).toEqual(values(ref.indices));
    expect(values(x().argsort(-1, { stable: true }))).toEqual([1, 3, 2, 0, 0, 3, 1, 2]);
  });
  it('returns a named pair that also unpacks', () => {
    const s = x().sort(1);
    const [v, i] = s;
    expect(v).toBe(s.values);
    expect(i).toBe(s.indices);
    expect(i.dtype).toBe('int32');
    const [tv, ti] = x().topk(1);
    expect(tv.toArray()).toEqual([[3], [NaN]]);
    expect(ti.toArray()).toEqual([[0], [2]]);
  });
  it('refuses what PyTorch refuses, naming the method and the argument', () => {
    expect(() => x().sort(2)).toThrow('sort: dim 2 is out of range for a tensor of 2 dimensions');
    expect(() => call(x(), 'sort', 0, true, true)).toThrow(
      'sort: takes at most 2 arguments (dim, descending) but 3 were given',
    );
    expect(() => call(x(), 'sort', { stable: null })).toThrow(
      'sort: stable must be true or false, got null',
    );
    expect(() => call(x(), 'sort', 0, { Descending: true })).toThrow(
      "sort: unknown option 'Descending' (did you mean 'descending'?)",
    );
    expect(() => call(x(), 'argsort', { Stable: true })).toThrow(
      "argsort: unknown option 'Stable' (did you mean 'stable'?)",
    );
    expect(() => call(x(), 'sort', 0, { dim: 1 })).toThrow(
      "sort: got multiple values for 'dim' (by position and by name)",
    );
    expect(() => call(x(), 'argsort', 0, 1)).toThrow(
      'argsort: descending must be true or false, got 1',
    );
  });
  it('sorts 0-D, empty and int32 tensors', () => {
    const s = tensor(2.5).sort();
    expect(s.values.shape).toEqual([]);
    expect(s.indices.item()).toBe(0);
    expect(() => tensor(2.5).sort(1)).toThrow('sort: dim 1 is out of range');
    expect(tensor([], { shape: [0, 3] }).sort(0).values.shape).toEqual([0, 3]);
    const i = tensor([3, -2, 7], { dtype: 'int32' }).sort(0, true);
    expect(i.values.dtype).toBe('int32');
    expect(i.values.toArray()).toEqual([7, 3, -2]);
  });
});

describe('ties', () => {
  it('keep their input order with stable, and in rows of at most 16 elements', () => {
    const row = randint(0, 3, [16]).float();
    const small = row.sort().indices.toArray() as number[];
    expect(small).toEqual(row.sort({ stable: true }).indices.toArray());
    const long = randint(0, 3, [5000]).float();
    for (const descending of [false, true]) {
      const idx = long.sort({ descending, stable: true }).indices.data;
      const v = long.data;
      for (let j = 1; j < idx.length; j++) {
        if (v[idx[j]] === v[idx[j - 1]]) expect(idx[j]).toBeGreaterThan(idx[j - 1]);
      }
    }
  });
  it('without stable, in a longer row, follow PyTorch 1.13 (not the input order)', () => {
    // PyTorch 1.13: torch.tensor([1., 0.] * 10).sort(descending=...).indices
    const t = tensor(Array.from({ length: 20 }, (_v, i) => (i % 2 === 0 ? 1 : 0)));
    expect(t.sort().indices.toArray()).toEqual([
      1, 19, 17, 15, 13, 11, 9, 7, 5, 3, 8, 6, 10, 12, 4, 14, 16, 2, 18, 0,
    ]);
    expect(t.sort(0, true).indices.toArray()).toEqual([
      0, 2, 18, 4, 6, 16, 8, 10, 14, 12, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1,
    ]);
  });
  it('NaN is the largest value: last ascending, first descending, picked first by topk', () => {
    const t = tensor([1, NaN, -Infinity, Infinity, NaN]);
    expect(t.sort().values.toArray()).toEqual([-Infinity, 1, Infinity, NaN, NaN]);
    expect(t.sort(0, true).indices.toArray()).toEqual([1, 4, 3, 0, 2]);
    expect(t.topk(2).indices.toArray()).toEqual([1, 4]);
    expect(t.topk(2, { largest: false }).values.toArray()).toEqual([-Infinity, 1]);
  });
});

describe('topk binds as PyTorch 1.13 does', () => {
  it('(k, dim, largest, sorted) by position or by name', () => {
    const t = tensor([
      [1, 5, 3, 4],
      [9, 7, 8, 6],
    ]);
    const ref = t.topk(2, 0, false, true);
    expect(ref.values.toArray()).toEqual([
      [1, 5, 3, 4],
      [9, 7, 8, 6],
    ]);
    for (const r of [
      t.topk(2, 0, { largest: false }),
      t.topk(2, { dim: 0, largest: false, sorted: true }),
      t.topk({ k: 2, dim: 0, largest: false }),
      t.topk(2, 0, false, { sorted: true }),
    ]) {
      expect(values(r.values)).toEqual(values(ref.values));
      expect(values(r.indices)).toEqual(values(ref.indices));
    }
    expect(t.topk(3).values.toArray()).toEqual([
      [5, 4, 3],
      [9, 8, 7],
    ]);
  });
  it('refuses a k out of range and misspelt or doubled names', () => {
    expect(() => x().topk(5)).toThrow(
      'topk: selected index k out of range: k = 5, but dimension 1 has size 4',
    );
    expect(() => x().topk(-1)).toThrow('topk: selected index k out of range: k = -1');
    expect(() => call(x(), 'topk', 1.5)).toThrow('topk: k must be an integer, got 1.5');
    expect(() => call(x(), 'topk')).toThrow("topk: missing required argument 'k'");
    expect(() => call(x(), 'topk', 2, { Largest: false })).toThrow(
      "topk: unknown option 'Largest' (did you mean 'largest'?)",
    );
    expect(() => call(x(), 'topk', 2, -1, true, 1)).toThrow(
      'topk: sorted must be true or false, got 1',
    );
    expect(() => call(x(), 'topk', 2, 1, { dim: 0 })).toThrow(
      "topk: got multiple values for 'dim' (by position and by name)",
    );
  });
  it('k = 0, 0-D tensors and empty tensors', () => {
    expect(x().topk(0).values.shape).toEqual([2, 0]);
    // PyTorch 1.13 returns a 0-D tensor itself for k = 0 and k = 1.
    expect(tensor(2.5).topk(0).values.item()).toBe(2.5);
    expect(tensor(2.5).topk(1).indices.item()).toBe(0);
    expect(() => tensor(2.5).topk(2)).toThrow('topk: selected index k out of range');
    expect(tensor([], { shape: [0, 3] }).topk(2, 1).values.shape).toEqual([0, 2]);
  });
  it('scatters the gradient to the selected elements only', () => {
    const t = tensor([4, 1, 3, 2], { requiresGrad: true });
    t.topk(2)
      .values.mul(tensor([10, 20]))
      .sum()
      .backward();
    expect(t.grad!.toArray()).toEqual([10, 0, 20, 0]);
    expect(t.topk(2).values.gradFn?.name).toBe('topk');
  });
});

describe('split and unbind', () => {
  it('bind (splitSize, dim) and (dim) by position or by name', () => {
    const t = arange(10).reshape(2, 5);
    const shapes = (ts: Tensor[]) => ts.map((p) => p.shape);
    expect(shapes(t.split(2, 1))).toEqual([
      [2, 2],
      [2, 2],
      [2, 1],
    ]);
    expect(shapes(t.split(2, { dim: 1 }))).toEqual(shapes(t.split(2, 1)));
    expect(shapes(t.split({ splitSize: [1, 4], dim: -1 }))).toEqual([
      [2, 1],
      [2, 4],
    ]);
    expect(shapes(t.split(1))).toEqual([
      [1, 5],
      [1, 5],
    ]);
    expect(shapes(t.unbind())).toEqual([[5], [5]]);
    expect(shapes(t.unbind({ dim: -1 }))).toEqual([[2], [2], [2], [2], [2]]);
    expect(t.unbind(1)[3].toArray()).toEqual([3, 8]);
    expect(
      tensor([], { shape: [0, 3] })
        .split(2)
        .map((p) => p.shape),
    ).toEqual([[0, 3]]);
    expect(tensor([], { shape: [0, 3] }).unbind()).toEqual([]);
  });
  it('are views: they share the storage, and writes show through', () => {
    const t = arange(6).reshape(2, 3).float();
    const [a, b] = t.split([1, 2], 1);
    expect(b.storageOffset()).toBe(1);
    noGrad(() => b.fill_(7));
    expect(t.toArray()).toEqual([
      [0, 7, 7],
      [3, 7, 7],
    ]);
    const row = t.unbind()[1];
    expect(row.storageOffset()).toBe(3);
    noGrad(() => row.zero_());
    expect((t.toArray() as number[][])[1]).toEqual([0, 0, 0]);
    expect(a.shape).toEqual([2, 1]);
  });
  it('pass gradients back to the input', () => {
    const t = tensor([1, 2, 3, 4, 5], { requiresGrad: true });
    const [p, q] = t.split([2, 3]);
    p.mul(2).sum().add(q.mul(3).sum()).backward();
    expect(t.grad!.toArray()).toEqual([2, 2, 3, 3, 3]);
    const m = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    const [r0, r1] = m.unbind(1);
    r0.mul(r1).sum().backward();
    expect(m.grad!.toArray()).toEqual([
      [2, 1],
      [4, 3],
    ]);
  });
  it('refuse in-place writes into a piece that requires grad, as PyTorch does', () => {
    const t = tensor([1, 2, 3], { requiresGrad: true }).mul(1);
    expect(() => t.split(1)[0].mul_(2)).toThrow('mul_: output 0 of split is a view');
    expect(() => t.unbind()[2].mul_(2)).toThrow('mul_: output 2 of unbind is a view');
  });
  it('refuse what PyTorch refuses, naming the method and the argument', () => {
    const t = arange(6).reshape(2, 3);
    expect(() => t.split(0)).toThrow(
      'split: splitSize can only be 0 if dimension 0 has size 0, but it has size 2',
    );
    expect(() => t.split(-1)).toThrow('split: splitSize must be non-negative, got -1');
    expect(() => t.split([1, 2])).toThrow(
      'split: the sizes [1, 2] must sum exactly to 2 (the size of dimension 0), but sum to 3',
    );
    expect(() => t.split([3, -1])).toThrow('split: the sizes must be non-negative, got [3, -1]');
    expect(() => tensor(1).split(1)).toThrow('split: expects at least a 1-dimensional tensor');
    expect(() => call(t, 'split', '2')).toThrow(
      "split: splitSize must be an integer or an array of integers, got '2'",
    );
    expect(() => call(t, 'split', 1, { split_size: 1 })).toThrow(
      "split: unknown option 'split_size' (did you mean 'splitSize'?)",
    );
    expect(() => call(t, 'split', 1, { Dim: 1 })).toThrow(
      "split: unknown option 'Dim' (did you mean 'dim'?)",
    );
    expect(() => tensor(1).unbind()).toThrow(
      'unbind: a 0-dimensional tensor has no dimension to unbind',
    );
    expect(() => t.unbind(2)).toThrow('unbind: dim 2 is out of range');
    expect(() => call(t, 'unbind', 0, 1)).toThrow('unbind: takes at most 1 argument (dim)');
  });
});

describe('softmax and logSoftmax methods', () => {
  it('are F.softmax and F.logSoftmax', () => {
    const t = tensor([[1, 2, 3]]);
    expect(t.softmax(1).toArray()).toEqual(F.softmax(t, 1).toArray());
    expect(t.logSoftmax(-1).toArray()).toEqual(F.logSoftmax(t, -1).toArray());
    expect(t.logSoftmax(1, { dtype: 'float64' }).dtype).toBe('float64');
  });
});
