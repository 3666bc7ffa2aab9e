/**
 * The gradients slices send to their base (`narrow`, `chunk`, `split`,
 * `unbind`) are summed into one buffer per base in place (SliceGradient,
 * src/autograd/engine.ts). These cases check the sums against gradients
 * written out by hand wherever that in-place sum could go wrong: a leaf with
 * and without a `.grad`, a non-contiguous `.grad`, a non-leaf base that also
 * gets a whole gradient, two bases whose pending gradients share storage,
 * overlapping slices, hooks and `autograd.grad`.
 */
import { describe, expect, it } from 'vitest';
import { arange, autograd, randn, tensor, zeros, type Tensor } from '../src/index.js';

/** `x` (a leaf of `shape`) with values 0, 1, 2, … and gradients required. */
const leaf = (shape: number[]): Tensor =>
  arange(
    shape.reduce((a, b) => a * b, 1),
    { dtype: 'float32' },
  )
    .reshape(shape)
    .requiresGrad_();

describe('gradients of slices summed in place', () => {
  it('unbind: each row gets the weight of its own sum', () => {
    const x = leaf([5, 3]);
    const rows = x.unbind(0);
    rows
      .map((r, i) => r.sum().mul(i + 1))
      .reduce((a, b) => a.add(b))
      .backward();
    expect(x.grad!.toArray()).toEqual([1, 2, 3, 4, 5].map((w) => [w, w, w]));
  });

  it('chunk along an inner dim, some chunks unused', () => {
    const x = leaf([2, 8]);
    const [a, , c] = x.chunk(4, 1);
    a.mul(2)
      .sum()
      .add(
        c
          .mul(
            tensor([
              [3, 4],
              [5, 6],
            ]),
          )
          .sum(),
      )
      .backward();
    expect(x.grad!.toArray()).toEqual([
      [2, 2, 0, 0, 3, 4, 0, 0],
      [2, 2, 0, 0, 5, 6, 0, 0],
    ]);
  });

  it('overlapping narrows add up', () => {
    const x = leaf([6]);
    x.narrow(0, 0, 4)
      .sum()
      .add(x.narrow(0, 2, 4).mul(10).sum())
      .add(x.narrow(0, 3, 1).sum())
      .backward();
    expect(x.grad!.toArray()).toEqual([1, 1, 11, 12, 10, 10]);
  });

  it('adds into an existing .grad in place, the same tensor, its version bumped', () => {
    const x = leaf([3, 2]);
    x.sum().backward();
    const g = x.grad!;
    const version = g._version;
    const [r0, r1, r2] = x.unbind(0);
    r0.sum().add(r2.mul(3).sum()).add(r1.mul(0).sum()).backward();
    expect(x.grad).toBe(g);
    expect(g.toArray()).toEqual([
      [2, 2],
      [1, 1],
      [4, 4],
    ]);
    expect(g._version).toBeGreaterThan(version);
  });

  it('writes through a non-contiguous .grad', () => {
    const x = leaf([2, 3]);
    const store = zeros([3, 2]);
    x.grad = store.t();
    const [a, b] = x.split([1, 2], 1);
    a.mul(5).sum().add(b.sum()).backward();
    expect(store.toArray()).toEqual([
      [5, 5],
      [1, 1],
      [1, 1],
    ]);
  });

  it('a non-leaf base getting whole and sliced gradients', () => {
    const x = leaf([4, 2]);
    const y = x.mul(2);
    const seen: number[][][] = [];
    y.registerHook((g) => void seen.push(g.toArray() as number[][]));
    const [, second, third] = y.unbind(0);
    y.sum()
      .add(second.mul(3).sum())
      .add(third.mul(tensor([1, 2])).sum())
      .backward();
    const dy = [
      [1, 1],
      [4, 4],
      [2, 3],
      [1, 1],
    ];
    expect(seen).toEqual([dy]);
    expect(x.grad!.toArray()).toEqual(dy.map((r) => r.map((v) => 2 * v)));
  });

  // `add` sends one gradient tensor to both of its inputs; whether the
  // slices' gradients arrive before or after it depends on the order in
  // which the terms were added, so both orders run.
  for (const slicesFirst of [false, true]) {
    it(`keeps apart two bases whose pending gradients share storage (slices first: ${slicesFirst})`, () => {
      const x = leaf([3, 2]);
      const a = x.mul(2);
      const b = x.mul(3);
      const whole = a.add(b).sum();
      const sliced = a
        .narrow(0, 1, 2)
        .mul(5)
        .sum()
        .add(b.narrow(0, 0, 1).mul(7).sum());
      (slicesFirst ? sliced.add(whole) : whole.add(sliced)).backward();
      const da = [
        [1, 1],
        [6, 6],
        [6, 6],
      ];
      const db = [
        [8, 8],
        [1, 1],
        [1, 1],
      ];
      expect(x.grad!.toArray()).toEqual(da.map((r, i) => r.map((v, j) => 2 * v + 3 * db[i][j])));
    });
  }

  it("keeps apart a leaf's adopted gradient and a node's pending one", () => {
    // `add` hands one plain gradient to the leaf x (adopted as x.grad) and
    // to z's node; x's slice must arrive while z's node still waits, so z
    // is also consumed by a term that holds the slice, added first.
    const x = leaf([2, 2]);
    const w = leaf([2, 2]);
    const z = w.mul(1);
    const first = z.sum().add(x.narrow(1, 1, 1).mul(4).sum());
    const second = x
      .add(z)
      .mul(
        tensor([
          [2, 3],
          [4, 5],
        ]),
      )
      .sum();
    first.add(second).backward();
    expect(x.grad!.toArray()).toEqual([
      [2, 7],
      [4, 9],
    ]);
    expect(w.grad!.toArray()).toEqual([
      [3, 4],
      [5, 6],
    ]);
  });

  it('a slice sum that a node passes on to two inputs is no longer summed into in place', () => {
    // y's slices fill one sum; y = a + b hands that tensor to a and to b.
    // A slice of a arriving afterwards must not write into b's gradient:
    // b is consumed by the first term too, so it waits until after it.
    const x = leaf([3, 2]);
    const a = x.mul(2);
    const b = x.mul(3);
    const first = b.sum().add(a.narrow(0, 1, 2).mul(5).sum());
    const rows = a.add(b).unbind(0);
    const second = rows.map((r, i) => r.sum().mul(i + 1)).reduce((p, q) => p.add(q));
    first.add(second).backward();
    // dy = rows 1, 2, 3; da = dy + 5 on rows 1–2; db = dy + 1; dx = 2 da + 3 db.
    expect(x.grad!.toArray()).toEqual([
      [8, 8],
      [23, 23],
      [28, 28],
    ]);
  });

  it('nested unbinds, and autograd.grad of a leaf and a non-leaf', () => {
    const x = leaf([2, 3, 2]);
    const y = x.mul(1);
    const terms = y
      .unbind(0)
      .flatMap((plane, i) => plane.unbind(0).map((row, j) => row.sum().mul(10 * i + j)));
    const loss = terms.reduce((p, q) => p.add(q));
    const [dx, dy] = autograd.grad(loss, [x, y]);
    const expected = [0, 1].map((i) => [0, 1, 2].map((j) => [10 * i + j, 10 * i + j]));
    expect(dx!.toArray()).toEqual(expected);
    expect(dy!.toArray()).toEqual(expected);
    expect(x.grad).toBeNull();
  });

  it('matches the gradients of the same function without slices, bit for bit', () => {
    const x = randn([7, 5], { requiresGrad: true });
    const w = randn([7, 5]);
    x.unbind(0)
      .map((r, i) => r.mul(w.narrow(0, i, 1).reshape([5])).sum())
      .reduce((p, q) => p.add(q))
      .backward();
    const viaSlices = Array.from(x.grad!.data);
    x.grad = null;
    x.mul(w).sum().backward();
    expect(viaSlices).toEqual(Array.from(x.grad!.data));
  });

  it('a leaf hook runs once, on the sum of all slices', () => {
    const x = leaf([3]);
    const calls: number[][] = [];
    x.registerHook((g) => {
      calls.push(g.toArray() as number[]);
      return g.mul(2);
    });
    const [a, b, c] = x.unbind(0);
    a.add(b.mul(2)).add(c.mul(3)).backward();
    expect(calls).toEqual([[1, 2, 3]]);
    expect(x.grad!.toArray()).toEqual([2, 4, 6]);
  });
});
