/**
 * How backward adds into an existing `.grad`, as PyTorch 1.13's
 * AccumulateGrad does (facts checked with PyTorch 1.13 on this machine):
 * a leaf's gradient is summed in place — `w.grad` stays the same tensor,
 * its version goes up, a view assigned as `.grad` writes through to its
 * base, an expanded one throws — while a retained non-leaf gradient is
 * replaced by `grad + new_grad`, leaving the old tensor as it was.
 */
import { describe, expect, it } from 'vitest';
import { ones, randn, tensor, zeros } from '../src/index.js';

describe('accumulating into .grad', () => {
  it('sums into the leaf gradient in place, as PyTorch does', () => {
    const w = ones([3], { requiresGrad: true });
    w.mul(2).sum().backward();
    const g = w.grad!;
    const version = g._version;
    w.mul(3).sum().backward();
    expect(w.grad).toBe(g);
    expect(g.toArray()).toEqual([5, 5, 5]);
    expect(g._version).toBe(version + 1);
  });

  it('keeps the bits of grad.add(newGrad)', () => {
    const w = randn([1000], { requiresGrad: true });
    const c1 = randn([1000]);
    const c2 = randn([1000]);
    w.mul(c1).sum().backward();
    const first = w.grad!.clone();
    w.mul(c2).sum().backward();
    expect(Array.from(w.grad!.data)).toEqual(Array.from(first.add(c2).data));
  });

  it('writes through a view assigned as .grad, and into a non-contiguous one', () => {
    const big = zeros([6]);
    const w = ones([1, 3], { requiresGrad: true });
    // Elements 0, 2 and 4 of big.
    w.grad = big.reshape([3, 2]).t().narrow(0, 0, 1);
    w.mul(2).sum().backward();
    expect(big.toArray()).toEqual([2, 0, 2, 0, 2, 0]);

    const m = ones([2, 3], { requiresGrad: true });
    const t = zeros([3, 2]).t();
    m.grad = t;
    m.mul(2).sum().backward();
    expect(m.grad).toBe(t);
    expect(t.toArray()).toEqual([
      [2, 2, 2],
      [2, 2, 2],
    ]);
  });

  it('adds into a gradient that two leaves share, once for each', () => {
    const a = ones([2], { requiresGrad: true });
    const b = ones([2], { requiresGrad: true });
    const shared = zeros([2]);
    a.grad = shared;
    b.grad = shared;
    a.add(b).sum().backward();
    expect(shared.toArray()).toEqual([2, 2]);
    expect(a.grad).toBe(b.grad);
  });

  it('refuses an expanded .grad, as PyTorch does', () => {
    const w = ones([3], { requiresGrad: true });
    w.grad = zeros([1]).expand([3]);
    expect(() => w.mul(2).sum().backward()).toThrow(
      /backward: unsupported operation: more than one element/,
    );
  });

  it('replaces a retained non-leaf gradient instead', () => {
    const x = ones([3], { requiresGrad: true });
    const y = x.mul(2).retainGrad();
    y.mul(2).sum().backward({ retainGraph: true });
    const first = y.grad!;
    y.mul(5).sum().backward();
    expect(y.grad).not.toBe(first);
    expect(first.toArray()).toEqual([2, 2, 2]);
    expect(y.grad!.toArray()).toEqual([7, 7, 7]);
  });

  // A deliberate difference: PyTorch adds in place here too, and where the
  // caller's gradient also flows to another leaf that runs later, that leaf
  // gets the sum instead of the gradient (PyTorch 1.13: (w + v).backward(w.grad)
  // gives v.grad = 2·g, (v + w) gives g). nnkit replaces w.grad instead.
  it('does not touch the caller’s gradient when it is the leaf’s own .grad', () => {
    const w = ones([2], { requiresGrad: true });
    w.grad = tensor([1, 2]);
    const g = w.grad;
    // y = w + w: both paths deliver the caller's gradient, which is w.grad.
    w.add(w).backward(g);
    expect(w.grad!.toArray()).toEqual([3, 6]);
    expect(g.toArray()).toEqual([1, 2]);

    const a = ones([2], { requiresGrad: true });
    const v = ones([2], { requiresGrad: true });
    a.grad = tensor([1, 2]);
    a.add(v).backward(a.grad);
    expect(a.grad!.toArray()).toEqual([2, 4]);
    expect(v.grad!.toArray()).toEqual([1, 2]);
  });
});
