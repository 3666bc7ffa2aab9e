/** Tensor creation, broadcasting, reductions, shape ops and indexing, values and gradients. */
import { describe, expect, it } from 'vitest';
import {
  Tensor,
  arange,
  cat,
  full,
  gradcheck,
  linspace,
  manualSeed,
  ones,
  rand,
  randint,
  randn,
  stack,
  tensor,
  where,
  zeros,
} from '../src/index.js';

const d64 = (values: number[] | number[][], requiresGrad = true): Tensor =>
  tensor(values, { dtype: 'float64', requiresGrad });

describe('creation', () => {
  it('infers shapes, dtypes and scalars', () => {
    expect(tensor(2.5).shape).toEqual([]);
    expect(tensor(2.5).item()).toBe(2.5);
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.ndim).toBe(2);
    expect(t.size).toBe(6);
    expect(t.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(tensor(new Int32Array([1, 2])).dtype).toBe('int32');
    expect(tensor(new Float64Array([1, 2])).dtype).toBe('float64');
    expect(tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2] }).toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(() => tensor([[1, 2], [3]])).toThrow(/expected sequence of length 2 at dim 1 \(got 1\)/);
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow(
      /3 values do not fill shape \[2, 2\]/,
    );
  });

  it('fills, ranges and seeded randomness', () => {
    expect(Array.from(zeros([2, 2]).data)).toEqual([0, 0, 0, 0]);
    expect(Array.from(ones(3, { dtype: 'float64' }).data)).toEqual([1, 1, 1]);
    expect(Array.from(full([2], 7).data)).toEqual([7, 7]);
    expect(Array.from(arange(4).data)).toEqual([0, 1, 2, 3]);
    expect(arange(4).dtype).toBe('int32');
    expect(Array.from(arange(0, 1, 0.25).data)).toEqual([0, 0.25, 0.5, 0.75]);
    expect(Array.from(linspace(-1, 1, 5).data)).toEqual([-1, -0.5, 0, 0.5, 1]);
    manualSeed(1);
    const a = Array.from(randn([5]).data);
    manualSeed(1);
    expect(Array.from(randn([5]).data)).toEqual(a);
    const u = rand([1000]).data;
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const r = randint(2, 5, [1000]).data;
    expect(new Set(r)).toEqual(new Set([2, 3, 4]));
    const normal = randn([20000], { dtype: 'float64' });
    expect(Math.abs(normal.mean().item())).toBeLessThan(0.05);
    expect(Math.abs(normal.mul(normal).mean().item() - 1)).toBeLessThan(0.05);
  });

  it('prints like PyTorch', () => {
    expect(tensor([1, 2.5]).toString()).toBe('tensor([1.0000, 2.5000])');
    expect(tensor([1, 2], { dtype: 'int32' }).toString()).toBe('tensor([1, 2], dtype=torch.int32)');
    expect(tensor([1], { requiresGrad: true }).toString()).toBe('tensor([1.], requires_grad=True)');
  });
});

describe('broadcasting arithmetic and autograd', () => {
  it('broadcasts like PyTorch and reduces gradients to input shapes', () => {
    const a = d64([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = d64([10, 20, 30]);
    const c = d64([[2], [3]]);
    const y = a.add(b).mul(c).sub(1).div(2);
    expect(y.toArray()).toEqual([
      [10.5, 21.5, 32.5],
      [20.5, 37, 53.5],
    ]);
    y.sum().backward();
    expect(a.grad!.toArray()).toEqual([
      [1, 1, 1],
      [1.5, 1.5, 1.5],
    ]);
    expect(b.grad!.toArray()).toEqual([2.5, 2.5, 2.5]);
    expect(c.grad!.toArray()).toEqual([[33], [37.5]]);
    expect(() => a.add(tensor([1, 2]))).toThrow(
      /add: shapes \[2, 3\] and \[2\] cannot be broadcast/,
    );
  });

  it('promotes dtypes and treats numbers as weak scalars', () => {
    expect(tensor([1], { dtype: 'float32' }).add(tensor([1], { dtype: 'float64' })).dtype).toBe(
      'float64',
    );
    expect(tensor([1], { dtype: 'int32' }).add(2).dtype).toBe('int32');
    expect(tensor([1], { dtype: 'int32' }).add(0.5).dtype).toBe('float32');
    expect(tensor([3], { dtype: 'int32' }).div(2).toArray()).toEqual([1.5]);
    expect(tensor([1, 2]).gt(1).toArray()).toEqual([0, 1]);
    expect(tensor([1, 2]).gt(1).dtype).toBe('int32');
  });

  it('accumulates gradients across backward calls and frees the graph', () => {
    const x = d64([1, 2]);
    const y = x.mul(x).sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expect(x.grad!.toArray()).toEqual([4, 8]);
    expect(() => y.backward()).toThrow(/backward through the graph a second time/);
    x.grad = null;
    expect(x.grad).toBeNull();
    expect(() => (x.grad = tensor([1]))).toThrow(/grad: assigned gradient has shape \[1\]/);
  });

  it('sums gradients that reach a tensor along several paths', () => {
    const x = d64([3]);
    const h = x.mul(2);
    h.mul(h).add(h).sum().backward();
    expect(x.grad!.item()).toBe(2 * (2 * 6) + 2);
  });

  it('noGrad, detach and requiresGrad_', async () => {
    const { noGrad } = await import('../src/index.js');
    const x = d64([1, 2]);
    const y = noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(x.mul(2).detach().requiresGrad).toBe(false);
    expect(() => tensor([1], { dtype: 'int32' }).requiresGrad_()).toThrow(
      /only floating-point tensors/,
    );
    expect(() => x.mul(2).backward()).toThrow(
      /gradient can be implicitly created only for one-element outputs/,
    );
    expect(() => tensor([1]).backward()).toThrow(/does not require grad/);
  });

  it('retainGrad keeps a non-leaf gradient', () => {
    const x = d64([1, 2]);
    const h = x.mul(3).retainGrad();
    h.sum().backward();
    expect(h.grad!.toArray()).toEqual([1, 1]);
  });
});

describe('reductions', () => {
  it('sum, mean, amax, max with indices, argmax, logsumexp', () => {
    const t = tensor(
      [
        [1, 5, 3],
        [4, 2, 6],
      ],
      { dtype: 'float64' },
    );
    expect(t.sum().item()).toBe(21);
    expect(t.sum(0).toArray()).toEqual([5, 7, 9]);
    expect(t.sum(1, true).toArray()).toEqual([[9], [12]]);
    expect(t.mean([0, 1]).item()).toBe(3.5);
    expect(t.amax(1).toArray()).toEqual([5, 6]);
    const { values, indices } = t.max(1);
    expect(values.toArray()).toEqual([5, 6]);
    expect(indices.toArray()).toEqual([1, 2]);
    expect(t.argmax().item()).toBe(5);
    expect(t.logsumexp(1).data[0]).toBeCloseTo(
      Math.log(Math.exp(1) + Math.exp(5) + Math.exp(3)),
      14,
    );
    expect(tensor([-Infinity, -Infinity]).logsumexp(0).item()).toBe(-Infinity);
    expect(Number.isNaN(zeros([0]).mean().item())).toBe(true);
    expect(zeros([0]).sum().item()).toBe(0);
    expect(Number.isNaN(tensor([1, NaN, 3]).amax(0).item())).toBe(true);
  });

  it('max and min along a dimension pick the first extremum, or the first NaN', () => {
    // Values in {0, 0.5, 1, NaN}: many ties; an (outer, size, inner) walk checks each position.
    const [outer, size, inner] = [3, 5, 4];
    const v = Array.from({ length: outer * size * inner }, (_, i) =>
      (i * 7) % 11 === 3 ? NaN : ((i * 5) % 3) / 2,
    );
    const t = tensor(v).reshape([outer, size, inner]);
    for (const kind of ['max', 'min'] as const) {
      const { values, indices } = t[kind](1);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          let at = 0;
          for (let s = 1; s < size; s++) {
            const best = v[(o * size + at) * inner + i];
            const x = v[(o * size + s) * inner + i];
            if (!Number.isNaN(best) && (Number.isNaN(x) || (kind === 'max' ? x > best : x < best)))
              at = s;
          }
          expect(indices.data[o * inner + i], `${kind} (${o}, ${i})`).toBe(at);
          expect(values.data[o * inner + i]).toBe(v[(o * size + at) * inner + i]);
        }
      }
    }
  });

  it('gradients pass gradcheck', () => {
    manualSeed(5);
    const x = randn([3, 4], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((a) => a.sum(1), [x])).toBe(true);
    expect(gradcheck((a) => a.mean(0, true), [x])).toBe(true);
    expect(gradcheck((a) => a.amax(1), [x])).toBe(true);
    expect(gradcheck((a) => a.max(0).values, [x])).toBe(true);
    expect(gradcheck((a) => a.logsumexp([0, 1]), [x])).toBe(true);
  });

  it('amax splits the gradient among ties like torch.amax', () => {
    const x = d64([2, 2, 1]);
    x.amax().backward();
    expect(x.grad!.toArray()).toEqual([0.5, 0.5, 0]);
  });
});

describe('shape and indexing ops', () => {
  it('values', () => {
    const t = arange(6).reshape(2, 3);
    expect(t.toArray()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(t.t().toArray()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(t.reshape(-1, 2).shape).toEqual([3, 2]);
    expect(t.unsqueeze(0).shape).toEqual([1, 2, 3]);
    expect(t.unsqueeze(0).squeeze().shape).toEqual([2, 3]);
    expect(t.flatten().shape).toEqual([6]);
    expect(t.narrow(1, 1, 2).toArray()).toEqual([
      [1, 2],
      [4, 5],
    ]);
    expect(t.expand(2, 2, 3).shape).toEqual([2, 2, 3]);
    expect(cat([t, t], 1).toArray()).toEqual([
      [0, 1, 2, 0, 1, 2],
      [3, 4, 5, 3, 4, 5],
    ]);
    expect(stack([t, t], 0).shape).toEqual([2, 2, 3]);
    expect(
      t
        .gather(
          1,
          tensor(
            [
              [2, 0],
              [1, 1],
            ],
            { dtype: 'int32' },
          ),
        )
        .toArray(),
    ).toEqual([
      [2, 0],
      [4, 4],
    ]);
    expect(t.indexSelect(0, tensor([1, 1, 0], { dtype: 'int32' })).toArray()).toEqual([
      [3, 4, 5],
      [3, 4, 5],
      [0, 1, 2],
    ]);
    expect(where(t.gt(2), t, -1).toArray()).toEqual([
      [-1, -1, -1],
      [3, 4, 5],
    ]);
    expect(t.permute(1, 0).toArray()).toEqual(t.t().toArray());
    expect(() => t.reshape(4, 2)).toThrow(/reshape: shape \[4, 2\] is invalid for input of size 6/);
    expect(() => t.gather(1, tensor([[3]], { dtype: 'int32' }))).toThrow(
      /gather: index 3 is out of bounds/,
    );
  });

  it('indexSelect copies runs of every length: single elements, short runs, long runs', () => {
    // inner = 1 (the last dimension), 5 (element by element), 70 (a subarray copy per run).
    for (const shape of [
      [3, 4, 9],
      [2, 7, 5],
      [2, 3, 70],
    ]) {
      const x = randn(shape);
      const d = shape[2] === 9 ? 2 : 1;
      const index = [8, 0, 8, 3, 1].map((v) => v % shape[d]);
      const y = x.indexSelect(d, tensor(index, { dtype: 'int32' }));
      const [outer, size, inner] = d === 2 ? [shape[0] * shape[1], shape[2], 1] : shape;
      for (let o = 0; o < outer; o++)
        for (let j = 0; j < index.length; j++)
          for (let i = 0; i < inner; i++) {
            const got = y.data[(o * index.length + j) * inner + i];
            expect(got).toBe(x.data[(o * size + index[j]) * inner + i]);
          }
    }
  });

  it('gradients pass gradcheck', () => {
    manualSeed(6);
    const x = randn([2, 3, 4], { dtype: 'float64', requiresGrad: true });
    const y = randn([4, 5], { dtype: 'float64', requiresGrad: true });
    const idx = tensor([[[0, 2, 2, 1]], [[1, 1, 0, 0]]], { dtype: 'int32' });
    expect(gradcheck((a) => a.permute(2, 0, 1), [x])).toBe(true);
    expect(gradcheck((a) => a.narrow(2, 1, 2), [x])).toBe(true);
    expect(gradcheck((a) => a.gather(1, idx), [x])).toBe(true);
    expect(gradcheck((a) => a.indexSelect(2, tensor([3, 0, 3], { dtype: 'int32' })), [x])).toBe(
      true,
    );
    expect(gradcheck((a, b) => a.matmul(b), [x, y])).toBe(true);
    expect(gradcheck((a) => cat([a, a.mul(2)], 1), [x])).toBe(true);
    expect(gradcheck((a) => where(a.gt(0), a, a.mul(a)), [x])).toBe(true);
    expect(gradcheck((a) => a.expand(3, 2, 3, 4), [x])).toBe(true);
    expect(gradcheck((a, b) => a.maximum(b), [x, x.detach().mul(0.5).requiresGrad_()])).toBe(true);
    expect(gradcheck((a) => a.pow(3).add(a.abs().sqrt()).div(a.exp().add(1)), [x])).toBe(true);
  });
});

describe('unfold', () => {
  it('refuses windows PyTorch refuses, unfolds a 0-d tensor as PyTorch does, and shares storage', () => {
    const x = arange(7, { dtype: 'float32' });
    expect(() => x.unfold(0, 8, 1)).toThrow(
      /^unfold: maximum size for tensor at dimension 0 is 7 but size is 8$/,
    );
    expect(() => x.unfold(0, 3, 0)).toThrow(/^unfold: step is 0 but must be a positive integer$/);
    expect(() => x.unfold(1, 2, 1)).toThrow(/^unfold: /);
    expect(x.unfold(0, 0, 1).shape).toEqual([8, 0]);
    expect(tensor(5).unfold(0, 1, 1).toArray()).toEqual([5]);
    const w = x.unfold(0, 3, 2);
    x.data[2] = 40;
    expect(w.toArray()).toEqual([
      [0, 1, 40],
      [40, 3, 4],
      [4, 5, 6],
    ]);
  });
});
