/**
 * The tensor math methods' binding (SPEC §3: PyTorch 1.13's parameters by
 * position or in one trailing options object, misspelt or doubled names
 * refused), their errors, and where nnkit deliberately differs from PyTorch
 * (the values are in test/tensor-math.golden.test.ts). Expected values are
 * PyTorch 1.13's unless a comment says otherwise.
 */
import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../src/index.js';

/** Calls `t[method](...args)` as plain JavaScript may, with arguments its types forbid. */
const call = (t: Tensor, method: keyof Tensor, ...args: unknown[]): Tensor =>
  (t[method] as (...a: unknown[]) => Tensor).apply(t, args);

const x = (): Tensor =>
  tensor([
    [1, 2, 3, 4],
    [2, 2, 2, 6],
  ]);
const x3 = (): Tensor =>
  tensor(
    [...Array(24).keys()].map((i) => (i * 7) % 11),
    { shape: [2, 3, 4] },
  );

const values = (t: Tensor): number[] => [...t.data];

describe('var and std bind as PyTorch 1.13 does', () => {
  it('(dim, unbiased, keepdim) by position or by name', () => {
    for (const op of ['var', 'std'] as const) {
      const ref = call(x(), op, 1, false, true);
      expect(ref.shape).toEqual([2, 1]);
      expect(values(call(x(), op, 1, { unbiased: false, keepdim: true }))).toEqual(values(ref));
      expect(values(call(x(), op, { dim: 1, unbiased: false, keepdim: true }))).toEqual(
        values(ref),
      );
      expect(values(call(x(), op, 1, false, { keepdim: true }))).toEqual(values(ref));
      // correction (by name only) is unbiased's integer form.
      expect(values(call(x(), op, 1, { correction: 0, keepdim: true }))).toEqual(values(ref));
      expect(values(call(x(), op, { dim: [1], correction: 0, keepdim: true }))).toEqual(
        values(ref),
      );
      expect(values(call(x(), op, 1, { correction: null }))).toEqual(values(call(x(), op, 1)));
    }
    expect(x().var(1).toArray()).toEqual([Math.fround(5 / 3), 4]);
    expect(x().var(1, false).toArray()).toEqual([1.25, 3]);
    expect(x().var(1, { correction: 2 }).toArray()).toEqual([2.5, 6]);
  });
  it('a boolean alone is unbiased over every element (PyTorch: x.std(False))', () => {
    expect(x().var(false).item()).toBe(x().var({ correction: 0 }).item());
    expect(x().var(true).item()).toBe(x().var().item());
    expect(x().std(false).shape).toEqual([]);
    expect(() => call(x(), 'std', false, true)).toThrow(
      'std: a boolean first argument is unbiased',
    );
    expect(() => x().var(false as never, { keepdim: true })).toThrow(
      'var: a boolean first argument is unbiased',
    );
  });
  it('dim: an int, a list (negative dims too), null or omitted', () => {
    expect(x3().var([0, -1]).shape).toEqual([3]);
    expect(x3().var([-1, 0], { keepdim: true }).shape).toEqual([1, 3, 1]);
    expect(x3().std(null, { correction: 0 }).shape).toEqual([]);
    expect(x3().std(-2, true, true).shape).toEqual([2, 1, 4]);
  });
  it('refuses what PyTorch refuses, naming the method and the argument', () => {
    expect(() => x().std(1, { unbiased: false, correction: 0 })).toThrow(
      'std: give unbiased or correction, not both (unbiased=false is correction=0)',
    );
    expect(() => x().var(1, { correction: 0.5 })).toThrow('var: correction must be an integer');
    expect(() => x().var(1, { correction: true } as never)).toThrow('var: correction must be');
    expect(() => call(x(), 'var', 1, 0)).toThrow('var: unbiased must be true or false, got 0');
    expect(() => call(x(), 'std', 1, { keep_dim: true })).toThrow(
      "std: unknown option 'keep_dim' (did you mean 'keepdim'?)",
    );
    expect(() => call(x(), 'std', 1, { Correction: 0 })).toThrow(
      "std: unknown option 'Correction' (did you mean 'correction'?)",
    );
    expect(() => call(x(), 'var', 1, { dim: 0 })).toThrow(
      "var: got multiple values for 'dim' (by position and by name)",
    );
    expect(() => call(x(), 'var', 1, true, false, 1)).toThrow('var: takes at most 3 arguments');
    expect(() => x().var(2)).toThrow('var: dim 2 is out of range');
    expect(() => x().var([1, -1])).toThrow('var: dim 1 appears multiple times');
    expect(() => tensor([1, 2], { dtype: 'int32' }).std()).toThrow(
      'std: input must be a floating-point tensor (float32 or float64), got int32',
    );
  });
});

describe('var and std where nnkit deliberately differs from PyTorch 1.13', () => {
  it('dim = [] is every dim, with the gradient of dim omitted (PyTorch 1.13 gives ±inf)', () => {
    const a = x().requiresGrad_();
    const b = x().requiresGrad_();
    a.var([]).backward();
    b.var().backward();
    expect(a.var([]).item()).toBe(b.var().item());
    expect(values(a.grad!)).toEqual(values(b.grad!));
    expect(values(a.grad!).every(Number.isFinite)).toBe(true);
  });
  it('dim omitted with N = correction: the gradient is +inf·G everywhere (PyTorch 1.13 raises)', () => {
    // PyTorch's var_backward returns `INFINITY * grad` unbroadcast, which its engine refuses
    // unless the input is 0-D (where both give inf).
    const a = tensor([1, 2], { requiresGrad: true });
    const v = a.var({ correction: 2 });
    expect(v.item()).toBe(Infinity);
    v.backward();
    expect(values(a.grad!)).toEqual([Infinity, Infinity]);
  });
});

describe('prod, cumsum and round bind as PyTorch does', () => {
  it('prod(dim, keepdim) by position or by name; one dim only', () => {
    expect(x().prod(1, true).toArray()).toEqual([[24], [48]]);
    expect(x().prod(1, { keepdim: true }).toArray()).toEqual([[24], [48]]);
    expect(x().prod({ dim: -1 }).toArray()).toEqual([24, 48]);
    expect(x().prod().item()).toBe(1152);
    expect(() => call(x(), 'prod', [0, 1])).toThrow('prod: dim must be an integer');
    expect(() => call(x(), 'prod', { keepdim: true })).toThrow('prod: keepdim needs a dim');
    expect(() => call(x(), 'prod', 1, { keep_dim: true })).toThrow(
      "prod: unknown option 'keep_dim' (did you mean 'keepdim'?)",
    );
    expect(() => call(x(), 'prod', 1, true, 1)).toThrow('prod: takes at most 2 arguments');
  });
  it('cumsum(dim) by position or by name; dim is required', () => {
    expect(x().cumsum(-1).toArray()).toEqual(x().cumsum({ dim: 1 }).toArray());
    expect(() => call(x(), 'cumsum')).toThrow("cumsum: missing required argument 'dim'");
    expect(() => call(x(), 'cumsum', { dim: 1, Dim: 1 })).toThrow(
      "cumsum: unknown option 'Dim' (did you mean 'dim'?)",
    );
    // An object with no known name is a value, not options (SPEC §3's look-alike rule).
    expect(() => call(x(), 'cumsum', { Dim: 1 })).toThrow('cumsum: dim must be an integer');
    expect(() => x().cumsum(2)).toThrow('cumsum: dim 2 is out of range');
  });
  it('round(*, decimals): decimals by name only, an integer', () => {
    const r = tensor([1.25, 2.5]);
    expect(r.round({ decimals: 1 }).toArray()).toEqual([1.2000000476837158, 2.5]);
    expect(r.round().toArray()).toEqual([1, 2]);
    // PyTorch: round() takes from 1 to 0 positional arguments but 1 were given.
    expect(() => call(r, 'round', 1)).toThrow('round: takes no arguments but 1 was given');
    expect(() => r.round({ decimals: 1.5 })).toThrow('round: decimals must be an integer');
    expect(() => call(r, 'round', { decimal: 1 })).toThrow("round: unknown option 'decimal'");
    // PyTorch: "round_cpu" not implemented for 'Long'.
    expect(() => tensor([1], { dtype: 'int32' }).round({ decimals: 1 })).toThrow(
      'round: decimals needs a floating-point tensor (float32 or float64), got int32',
    );
  });
  it('clamp_ of int32 keeps integer bounds and refuses a float32 result, as PyTorch', () => {
    const i = tensor([-7, 7], { dtype: 'int32' });
    expect(i.clamp_(-3, 3).toArray()).toEqual([-3, 3]);
    // PyTorch: result type Float can't be cast to the desired output type Int.
    expect(() => i.clamp_(-2.5)).toThrow(
      'clamp_: a float32 result cannot be written into an int32 tensor',
    );
  });
  it('sin and cos take no arguments; int32 gives float32', () => {
    expect(() => call(x(), 'sin', 1)).toThrow('sin: takes no arguments but 1 was given');
    expect(tensor([0, 1], { dtype: 'int32' }).cos().dtype).toBe('float32');
  });
});
