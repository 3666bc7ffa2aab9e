/**
 * SPEC §3's binding rule beyond `F.*`: tensor methods, the free tensor
 * functions, module methods and `backward` take PyTorch's parameters by
 * position or in one trailing options object, and refuse what cannot bind
 * (an extra value, an unknown or doubled name) instead of ignoring it. Also
 * PyTorch's forms of `max`/`min`, dim lists and the float → int32 cast.
 * Expected values are PyTorch 1.13's (noted where they are not obvious).
 */
import { describe, expect, it } from 'vitest';
import { cat, matmul, nn, stack, tensor, where, zeros, type Tensor } from '../src/index.js';

/** Calls `f` on `self` as plain JavaScript may: with arguments its types forbid. */
const untyped = (f: unknown, self: unknown, ...args: unknown[]): unknown =>
  (f as (...a: unknown[]) => unknown).apply(self, args);
/** `t[method](...args)`, untyped. */
const call = (t: Tensor, method: keyof Tensor, ...args: unknown[]): unknown =>
  untyped(t[method], t, ...args);

const x = (): Tensor =>
  tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);

describe('tensor methods take a trailing options object', () => {
  it('binds names after positions, as Python does', () => {
    expect(x().sum(1, { keepdim: true }).toArray()).toEqual([[6], [15]]);
    expect(x().sum({ dim: 1, keepdim: true }).toArray()).toEqual([[6], [15]]);
    expect(x().mean({ dim: 0 }).toArray()).toEqual([2.5, 3.5, 4.5]);
    expect(x().amax(undefined, { keepdim: true }).shape).toEqual([1, 1]);
    expect(x().logsumexp({ dim: 1 }).shape).toEqual([2]);
    expect(x().max(1, { keepdim: true }).values.toArray()).toEqual([[3], [6]]);
    expect(x().min({ dim: 0 }).indices.toArray()).toEqual([0, 0, 0]);
    expect(x().argmax({ dim: 1 }).toArray()).toEqual([2, 2]);
    expect(x().clamp({ max: 2 }).toArray()).toEqual([
      [1, 2, 2],
      [2, 2, 2],
    ]);
    expect(x().clamp({ min: 5 }).toArray()).toEqual([
      [5, 5, 5],
      [5, 5, 6],
    ]);
    expect(x().to({ dtype: 'float64' }).dtype).toBe('float64');
    expect((call(x(), 'transpose', { dim0: 0, dim1: 1 }) as Tensor).shape).toEqual([3, 2]);
  });
  it('refuses what cannot bind, naming the method', () => {
    expect(() => x().sum(1, { keep_dim: true } as never)).toThrow(
      "sum: unknown option 'keep_dim' (did you mean 'keepdim'?)",
    );
    expect(() => x().sum(1, { dim: 0 } as never)).toThrow(
      "sum: got multiple values for 'dim' (by position and by name)",
    );
    expect(() => call(x(), 'sum', 1, true, false)).toThrow('sum: takes at most 2 arguments');
    expect(() => x().clamp({ max: 'a' } as never)).toThrow('clamp: max must be');
    // A look-alike tensor is a wrong value, not an options object.
    expect(() => x().add({ shape: [1], data: [1] } as never)).toThrow(
      'add: other must be a number or a Tensor, got an object',
    );
  });
});

describe('cat, stack, where and matmul bind as functions do', () => {
  it('take the dim by name', () => {
    expect(cat([x(), x()], { dim: 1 }).shape).toEqual([2, 6]);
    expect(stack([x(), x()], { dim: 2 }).shape).toEqual([2, 3, 2]);
  });
  it('name themselves in errors, though they share one parameter list', () => {
    // Found by fuzz:long (seed 20261131): the first caller's name was cached for both.
    for (const [f, name] of [
      [cat, 'cat'],
      [stack, 'stack'],
      [cat, 'cat'],
    ] as const) {
      expect(() => untyped(f, null, [x()], { v: 1 })).toThrow(`${name}: unknown option 'v'`);
    }
  });
  it('refuse an extra value instead of ignoring it', () => {
    expect(() => untyped(cat, null, [x(), x()], 0, 5)).toThrow('cat: takes at most 2 arguments');
    expect(() => untyped(stack, null, [x(), x()], 0, 5)).toThrow('stack: takes at most 2');
    expect(() => untyped(where, null, x().gt(2), x(), 0, 5)).toThrow('where: takes at most 3');
    expect(() => untyped(matmul, null, x(), x().t(), 5)).toThrow('matmul: takes at most 2');
    expect(() => where(1 as never, x(), 0)).toThrow('where: condition must be a Tensor');
  });
});

describe('modules refuse extra forward arguments and bind their methods', () => {
  it('forward(x, extra) is an error, trailing undefined is not', () => {
    // From JavaScript: the types allow no such call.
    const forward = (m: { forward: unknown }, ...a: unknown[]) =>
      (m.forward as (...args: unknown[]) => Tensor).apply(m, a);
    expect(() => forward(new nn.LeakyReLU(), tensor([-1]), 0.5)).toThrow(
      'LeakyReLU.forward: takes 1 argument (input) but 2 were given',
    );
    expect(() => forward(new nn.MSELoss(), tensor([1]), tensor([2]), 3)).toThrow(
      'MSELoss.forward: takes 2 arguments (input, target) but 3 were given',
    );
    expect(forward(new nn.LeakyReLU(0.5), tensor([-1]), undefined).toArray()).toEqual([-0.5]);
  });
  it('parameters(recurse) and namedParameters(prefix, recurse), as PyTorch', () => {
    const s = new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU());
    expect(s.parameters().length).toBe(2);
    expect(s.parameters(false).length).toBe(0);
    expect(s.parameters({ recurse: false }).length).toBe(0);
    expect(new nn.Linear(2, 2).parameters(false).length).toBe(2);
    expect([...s.namedParameters('net')].map(([n]) => n)).toEqual(['net.0.weight', 'net.0.bias']);
    expect([...s.namedParameters({ recurse: false })]).toEqual([]);
    expect(() => s.parameters('no' as never)).toThrow(
      "Sequential.parameters: recurse must be true or false, got 'no'",
    );
  });
  it('train(mode) takes a boolean only', () => {
    const m = new nn.Linear(3, 1);
    expect(m.train(false).training).toBe(false);
    expect(m.train({ mode: true }).training).toBe(true);
    expect(() => m.train('no' as never)).toThrow(
      "Linear.train: mode must be true or false, got 'no'",
    );
    expect(m.training).toBe(true);
  });
  it('zeroGrad(false) zero-fills the grads in place; the default sets them to null', () => {
    const m = new nn.Linear(2, 1);
    m.forward(tensor([[1, 2]]))
      .sum()
      .backward();
    const g = m.weight.grad as Tensor;
    m.zeroGrad(false);
    expect(m.weight.grad).toBe(g);
    expect(g.toArray()).toEqual([[0, 0]]);
    m.zeroGrad({ setToNone: true });
    expect(m.weight.grad).toBeNull();
    expect(() => m.zeroGrad('no' as never)).toThrow('Linear.zeroGrad: setToNone must be');
  });
  it('Linear and AdaptiveLogSoftmaxWithLoss take every argument by name', () => {
    const fc = new nn.Linear({ inFeatures: 3, outFeatures: 2, bias: false });
    expect([fc.inFeatures, fc.outFeatures, fc.bias]).toEqual([3, 2, null]);
    const asm = new nn.AdaptiveLogSoftmaxWithLoss({ inFeatures: 8, nClasses: 20, cutoffs: [5] });
    expect(asm.cutoffs).toEqual([5, 20]);
    expect(() => new nn.Linear({ inFeatures: 3 } as never)).toThrow(
      "Linear: missing required argument 'outFeatures'",
    );
  });
});

describe('backward binds PyTorch’s parameters', () => {
  const y = () => {
    const a = tensor([1, 2], { requiresGrad: true });
    return [a, a.mul(a).sum()] as const;
  };
  it('gradient and retainGraph by position or by name', () => {
    const [a, l] = y();
    l.backward(null, true);
    l.backward({ gradient: 2 });
    expect(a.grad?.toArray()).toEqual([6, 12]);
  });
  it('refuses unknown names and what nnkit does not do', () => {
    expect(() => y()[1].backward(undefined, { retain_graph: true } as never)).toThrow(
      "backward: unknown option 'retain_graph' (did you mean 'retainGraph'?)",
    );
    // PyTorch's positional createGraph and inputs, from JavaScript (the types have no such form).
    const backward = (...a: unknown[]) => {
      const l = y()[1];
      (l.backward as (...args: unknown[]) => void).apply(l, a);
    };
    expect(() => backward(1, false, true)).toThrow(
      'backward: createGraph (higher-order gradients) is not supported',
    );
    expect(() => backward(1, false, false, [])).toThrow(
      "backward: 'inputs' argument to backward() cannot be empty",
    );
  });
  it('inputs by position, as PyTorch binds them', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    (a.mul(b).sum().backward as (...args: unknown[]) => void)(null, false, false, [b]);
    expect([a.grad, b.grad?.toArray()]).toEqual([null, [1, 2]]);
  });
});

describe("PyTorch's forms of max and min", () => {
  it('max() and min() reduce everything, sharing the gradient among ties', () => {
    const a = tensor([1, 3, 3, 2], { requiresGrad: true });
    const m = a.max();
    expect([m.shape, m.item()]).toEqual([[], 3]);
    m.backward();
    expect(a.grad?.toArray()).toEqual([0, 0.5, 0.5, 0]); // torch: [0, 0.5, 0.5, 0]
    const b = tensor([2, 1, 1], { requiresGrad: true });
    b.min().backward();
    expect(b.grad?.toArray()).toEqual([0, 0.5, 0.5]);
  });
  it('a NaN maximum sends the gradient to the NaNs (torch.max; amax gives NaN)', () => {
    const a = tensor([1, NaN, 3, NaN], { requiresGrad: true });
    const m = a.max();
    expect(Number.isNaN(m.item())).toBe(true);
    m.backward();
    expect(a.grad?.toArray()).toEqual([0, 0.5, 0, 0.5]); // torch 1.13: [0, 0.5, 0, 0.5]
    const b = tensor([1, NaN], { requiresGrad: true });
    b.min().backward();
    expect(b.grad?.toArray()).toEqual([0, 1]);
  });
  it('max(other) is the elementwise maximum; an empty tensor has no maximum', () => {
    expect(
      tensor([1, 5])
        .max(tensor([3, 2]))
        .toArray(),
    ).toEqual([3, 5]);
    expect(
      tensor([1, 5])
        .min(tensor([3, 2]))
        .toArray(),
    ).toEqual([1, 2]);
    expect(() => zeros([0]).max()).toThrow('max: an empty tensor has no maximum');
    expect(() => x().max(undefined as never, true as never)).toThrow('max: keepdim needs a dim');
  });
  it('max(dim) unpacks like PyTorch’s named tuple', () => {
    const [values, indices] = x().max(1);
    expect([values.toArray(), indices.toArray()]).toEqual([
      [3, 6],
      [2, 2],
    ]);
    expect(Object.keys(x().min(0))).toEqual(['values', 'indices']);
  });
  it('argmin is argmax of the minimum, the first on ties', () => {
    expect(tensor([3, 1, 1, 2]).argmin().item()).toBe(1);
    expect(x().argmin(1, true).toArray()).toEqual([[0], [0]]);
  });
});

describe('dim lists', () => {
  it('an empty list reduces every dim (PyTorch 1.13: sum(dim=[]) is the total)', () => {
    expect(x().sum([]).item()).toBe(21);
    expect(x().mean([]).item()).toBe(3.5);
    expect(x().amax([]).item()).toBe(6);
  });
  it('a dim named twice is an error, as in PyTorch', () => {
    expect(() => x().sum([0, -2])).toThrow('sum: dim 0 appears multiple times in the list of dims');
    expect(() => x().amax([1, 1])).toThrow('amax: dim 1 appears multiple times');
    expect(() => x().logsumexp([1, -1])).toThrow('logsumexp: dim 1 appears multiple times');
  });
});

describe('float → int32 casts', () => {
  it('truncate, and give −2^31 for NaN and out-of-range values as PyTorch does on x86-64', () => {
    const f = tensor([NaN, 3e9, -3e9, 2.7, -2.7, 2147483647, Infinity, -Infinity]);
    // 2147483647 is 2^31 in float32, out of range: torch gives −2^31 too.
    const min = -2147483648;
    expect(f.int().toArray()).toEqual([min, min, min, 2, -2, min, min, min]);
    const d = tensor([2147483647, -2147483648, 2147483648], { dtype: 'float64' });
    expect(d.int().toArray()).toEqual([2147483647, -2147483648, min]);
  });
});

describe('tensor() refuses absurd nesting with an Error', () => {
  it('a 100,000-deep array is a clear error, not a stack overflow', () => {
    let v: unknown = [1];
    for (let i = 0; i < 100_000; i++) v = [v];
    expect(() => tensor(v as number[])).toThrow('tensor: values nest more than 1000 levels deep');
  });
});

describe('x.softmax(dim, dtype) takes the dtype by position, as PyTorch’s method', () => {
  it('gives the dtype’s result, and refuses it twice', () => {
    const x = tensor([[1, 2, 3]]);
    expect(x.softmax(1, 'float64').dtype).toBe('float64');
    expect(x.logSoftmax(1, 'float64').toArray()).toEqual(
      x.logSoftmax(1, { dtype: 'float64' }).toArray(),
    );
    expect(() => x.softmax(1, 'float64', { dtype: 'float32' } as never)).toThrow(
      'softmax: dtype given twice',
    );
    expect(() => x.softmax(1, 'int32' as never)).toThrow(/^softmax: dtype must be one of/);
  });
});

describe('unknown options list every option still open', () => {
  it('names given by name earlier in the same object stay in the list', () => {
    const x = tensor([1, 2]);
    expect(() => x.clamp({ min: 1, foo: 2 } as never)).toThrow(
      "clamp: unknown option 'foo' (known: min, max)",
    );
    expect(() => x.sum(0, { foo: 1 } as never)).toThrow(
      "sum: unknown option 'foo' (known: keepdim)",
    );
  });
});
