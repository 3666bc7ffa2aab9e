/**
 * Max pooling's indices and max unpooling against PyTorch 1.13
 * (scripts/golden/unpool.py) on every backend: `returnIndices` of
 * `F.maxPool1d/2d` and `F.adaptiveMaxPool1d/2d` and of their modules (the
 * output, the exact indices, the input's gradient; float32 and float64,
 * unbatched, padding, dilation, ceil mode, ties, a NaN per window), then
 * `F.maxUnpool1d/2d` and `nn.MaxUnpool1d/2d` of those (values, gradients,
 * reprs; repeated indices). Then the deliberate differences (several NaNs
 * in a window), the types of the overloads, and the errors.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { F, nn, randn, tensor, zeros, type Tensor } from '../src/index.js';
import {
  decodeTensor,
  expectClose,
  expectExact,
  loadGolden,
  type EncodedTensor,
} from './helpers/golden.js';
import { forEachBackend } from './helpers/backends.js';

interface Unpooled {
  kwargs: Record<string, unknown>;
  outputSize: number[];
  output: EncodedTensor;
  upstream: EncodedTensor;
  grad: EncodedTensor;
}

interface Case {
  fn: keyof typeof MODULES;
  kwargs: Record<string, unknown>;
  input: EncodedTensor;
  output: EncodedTensor;
  indices: EncodedTensor;
  upstream: EncodedTensor;
  grad: EncodedTensor;
  unpool?: Unpooled;
}

interface UnpoolCase {
  dims: 1 | 2 | 3;
  args: unknown[];
  kwargs: Record<string, unknown>;
  repr: string;
  input: EncodedTensor;
  indices: EncodedTensor;
  output: EncodedTensor;
  upstream: EncodedTensor;
  grad: EncodedTensor;
}

const golden = loadGolden<Case>('unpool') as ReturnType<typeof loadGolden<Case>> & {
  unpool: UnpoolCase[];
};

type Pooling = (x: Tensor, options: Record<string, unknown>) => [Tensor, Tensor];
type Unpooling = (x: Tensor, i: Tensor, k: unknown, o?: Record<string, unknown>) => Tensor;
type Forward = { forward(...a: unknown[]): unknown; toString(): string };
type Ctor = new (...a: unknown[]) => Forward;

const MODULES = {
  maxPool1d: 'MaxPool1d',
  maxPool2d: 'MaxPool2d',
  maxPool3d: 'MaxPool3d',
  adaptiveMaxPool1d: 'AdaptiveMaxPool1d',
  adaptiveMaxPool2d: 'AdaptiveMaxPool2d',
  adaptiveMaxPool3d: 'AdaptiveMaxPool3d',
} as const;

function expectPair(r: unknown, c: Case, x: Tensor, label: string): Tensor {
  expect(Array.isArray(r), `${label}: a pair`).toBe(true);
  const [y, i] = r as [Tensor, Tensor];
  expectExact(i, c.indices, `${label} indices`);
  expect(i.requiresGrad, `${label} indices need no gradient`).toBe(false);
  expectClose(y, c.output, `${label} output`);
  y.backward(decodeTensor(c.upstream));
  expectClose(x.grad!, c.grad, `${label} gradient`);
  return y;
}

forEachBackend(() => {
  describe(`max pooling's indices against PyTorch ${golden.torch_version}`, () => {
    for (const c of golden.cases) {
      const what = `${c.fn}(${JSON.stringify(c.input.shape)}, ${JSON.stringify(c.kwargs)}) ${c.input.dtype}`;
      it(`F.${what}: output, indices, gradient${c.unpool ? ', unpooled' : ''}`, () => {
        const x = decodeTensor(c.input, true);
        const fn = F[c.fn] as unknown as Pooling;
        const y = expectPair(fn(x, { ...c.kwargs, returnIndices: true }), c, x, `F.${c.fn}`);
        if (!c.unpool) return;
        const u = c.unpool;
        const dims = Number(c.fn[c.fn.length - 2]) as 1 | 2 | 3;
        const unpool = F[`maxUnpool${dims}d`] as unknown as Unpooling;
        const v = y.detach().requiresGrad_();
        const [, indices] = fn(x.detach(), { ...c.kwargs, returnIndices: true });
        const out = unpool(v, indices, c.kwargs.kernelSize, {
          ...u.kwargs,
          outputSize: u.outputSize,
        });
        expectClose(out, u.output, 'unpooled');
        out.backward(decodeTensor(u.upstream));
        expectClose(v.grad!, u.grad, 'unpooled gradient');
      });
      it(`nn.${MODULES[c.fn]} with returnIndices on ${what}`, () => {
        const x = decodeTensor(c.input, true);
        const { kernelSize, outputSize, ...rest } = c.kwargs;
        const M = nn[MODULES[c.fn]] as unknown as Ctor;
        const m = new M(kernelSize ?? outputSize, { ...rest, returnIndices: true });
        expectPair(m.forward(x), c, x, `nn.${MODULES[c.fn]}`);
      });
    }
  });

  describe(`max unpooling against PyTorch ${golden.torch_version}`, () => {
    for (const c of golden.unpool) {
      it(`${c.repr} on ${JSON.stringify(c.input.shape)}, ${JSON.stringify(c.kwargs)}`, () => {
        const name = `maxUnpool${c.dims}d` as const;
        const { outputSize, ...ctor } = c.kwargs;
        const indices = decodeTensor(c.indices);
        // The function, by name.
        const x = decodeTensor(c.input, true);
        const y = (F[name] as unknown as Unpooling)(x, indices, c.args[0], c.kwargs);
        expectClose(y, c.output, `F.${name}`);
        y.backward(decodeTensor(c.upstream));
        expectClose(x.grad!, c.grad, `F.${name} gradient`);
        // The module, with the output size as forward's third argument.
        const M = nn[`MaxUnpool${c.dims}d`] as unknown as Ctor;
        const m = new M(...c.args, ctor);
        expect(m.toString()).toBe(c.repr);
        const x2 = decodeTensor(c.input, true);
        const y2 = m.forward(x2, indices, outputSize) as Tensor;
        expectClose(y2, c.output, `nn.${name}`);
        y2.backward(decodeTensor(c.upstream));
        expectClose(x2.grad!, c.grad, `nn.${name} gradient`);
      });
    }
  });
});

describe('max pooling: several NaNs in a window (a deliberate difference)', () => {
  it('the index and the gradient name the first NaN (PyTorch: the last)', () => {
    for (const fn of ['maxPool1d', 'adaptiveMaxPool1d'] as const) {
      const x = tensor([[[1, NaN, 3, NaN]]], { requiresGrad: true });
      const [y, i] = F[fn](x, fn === 'maxPool1d' ? 4 : 1, { returnIndices: true });
      expect(Array.from(i.data)).toEqual([1]);
      y.sum().backward();
      expect(Array.from(x.grad!.data)).toEqual([0, 1, 0, 0]);
    }
    const [, i2] = F.adaptiveMaxPool2d(
      tensor([
        [
          [1, NaN],
          [NaN, 2],
        ],
      ]),
      1,
      true,
    );
    expect(Array.from(i2.data)).toEqual([1]);
  });

  it('an all −∞ window with padding: the index is in the input, as PyTorch’s', () => {
    const [y, i] = F.maxPool1d(tensor([[[-Infinity, -Infinity, 1]]]), 2, 2, 1, {
      returnIndices: true,
    });
    expect(Array.from(y.data)).toEqual([-Infinity, 1]);
    expect(Array.from(i.data)).toEqual([0, 2]);
  });
});

describe('max pooling with returnIndices: shapes and types', () => {
  it('empty batches, and the indices round-trip through unpooling', () => {
    const [y, i] = F.maxPool1d(zeros([0, 3, 2 ** 40]), 3, { returnIndices: true });
    expect(y.shape).toEqual([0, 3, Math.floor((2 ** 40 - 3) / 3) + 1]);
    expect(i.shape).toEqual(y.shape);
    expect(i.dtype).toBe('int32');
    // Positive, so that the zeros around each maximum leave it the maximum.
    const x = randn([2, 3, 6, 8]).exp();
    const [p, idx] = F.maxPool2d(x, 2, { returnIndices: true });
    const back = F.maxUnpool2d(p, idx, 2);
    expect(F.maxPool2d(back, 2).toArray()).toEqual(p.toArray());
  });

  it('the overloads type the result from returnIndices', () => {
    const x = randn([1, 1, 4, 4]);
    expectTypeOf(F.maxPool2d(x, 2)).toEqualTypeOf<Tensor>();
    expectTypeOf(F.maxPool2d(x, 2, { returnIndices: true })).toEqualTypeOf<[Tensor, Tensor]>();
    expectTypeOf(F.maxPool2d(x, 2, { returnIndices: false })).toEqualTypeOf<Tensor>();
    expectTypeOf(F.maxPool2d(x, 2, 2, 0, 1, false, true)).toEqualTypeOf<[Tensor, Tensor]>();
    expectTypeOf(F.maxPool1d(x.flatten(2), { kernelSize: 2, returnIndices: true })).toEqualTypeOf<
      [Tensor, Tensor]
    >();
    expectTypeOf(F.adaptiveMaxPool2d(x, 2, true)).toEqualTypeOf<[Tensor, Tensor]>();
    expectTypeOf(F.adaptiveMaxPool2d(x, 2)).toEqualTypeOf<Tensor>();
    const flag = Math.random() > 2;
    expectTypeOf(F.adaptiveMaxPool1d(x.flatten(2), 2, flag)).toEqualTypeOf<
      Tensor | [Tensor, Tensor]
    >();
    expectTypeOf(new nn.MaxPool2d(2).forward(x)).toEqualTypeOf<Tensor>();
    expectTypeOf(new nn.MaxPool2d(2, { returnIndices: true }).forward(x)).toEqualTypeOf<
      [Tensor, Tensor]
    >();
    expectTypeOf(F.maxPool2d(x, 2, { returnIndices: flag })).toEqualTypeOf<
      Tensor | [Tensor, Tensor]
    >();
    expectTypeOf(F.maxPool2d(x, { kernelSize: 2 })).toEqualTypeOf<Tensor>();
    // The modules' constructors (declared once, on the shared base class) infer R.
    const x1 = x.flatten(2);
    expectTypeOf(new nn.MaxPool1d(2)).toEqualTypeOf<nn.MaxPool1d>();
    expectTypeOf(new nn.MaxPool1d(2).forward(x1)).toEqualTypeOf<Tensor>();
    expectTypeOf(new nn.MaxPool1d(2, { returnIndices: true })).toEqualTypeOf<nn.MaxPool1d<true>>();
    expectTypeOf(new nn.MaxPool1d(2, null, 0, 1, true).forward(x1)).toEqualTypeOf<
      [Tensor, Tensor]
    >();
    expectTypeOf(new nn.MaxUnpool1d(2, 2, 0).forward).returns.toEqualTypeOf<Tensor>();
    expectTypeOf(new nn.MaxUnpool2d(2, { stride: 2 })).toEqualTypeOf<nn.MaxUnpool2d>();
    expectTypeOf(new nn.AdaptiveMaxPool2d(2).forward(x)).toEqualTypeOf<Tensor>();
    expectTypeOf(new nn.AdaptiveMaxPool2d(2, true).forward(x)).toEqualTypeOf<[Tensor, Tensor]>();
    expectTypeOf(new nn.AdaptiveMaxPool2d(2, { returnIndices: true }).forward(x)).toEqualTypeOf<
      [Tensor, Tensor]
    >();
    // And at run time.
    expect(Array.isArray(new nn.AdaptiveMaxPool2d(2, true).forward(x))).toBe(true);
    expect(new nn.AdaptiveMaxPool2d(2, true).returnIndices).toBe(true);
    expect(new nn.MaxPool2d(2, { returnIndices: true }).returnIndices).toBe(true);
    expect(new nn.MaxPool2d(2).forward(x).shape).toEqual([1, 1, 2, 2]);
  });
});

describe('max unpooling: errors and edge cases', () => {
  const i32 = { dtype: 'int32' } as const;
  it('refuses what PyTorch refuses', () => {
    expect(() => F.maxUnpool1d(zeros([1, 1, 2]), tensor([[[0, 9]]], i32), 2)).toThrow(
      /^maxUnpool1d: found an invalid max index 9 \(the output planes are of size 4\)$/,
    );
    expect(() =>
      F.maxUnpool2d(
        zeros([1, 1, 2, 2]),
        tensor(
          [
            [
              [
                [0, 1],
                [-1, 2],
              ],
            ],
          ],
          i32,
        ),
        2,
      ),
    ).toThrow(
      /^maxUnpool2d: found an invalid max index -1 \(the output planes are of size 4 x 4\)$/,
    );
    expect(() =>
      F.maxUnpool2d(zeros([1, 1, 2, 2]), zeros([1, 1, 2, 2], i32), 2, { outputSize: [5] }),
    ).toThrow(/^maxUnpool2d: outputSize must have 2 or 4 elements, got 1: \[5\]$/);
    expect(() =>
      F.maxUnpool2d(zeros([1, 1, 2, 2]), zeros([1, 1, 2, 2], i32), 2, { outputSize: [4, 2] }),
    ).toThrow(/^maxUnpool2d: invalid outputSize \[4, 2\]: dimension 1 must be between 2 and 6/);
    expect(() => new nn.MaxUnpool2d(2).forward(zeros([1, 1, 2, 2]), zeros([1, 1, 2, 2]))).toThrow(
      /^maxUnpool2d: indices must be an int32 tensor/,
    );
    expect(() => new nn.MaxUnpool1d([2, 2])).toThrow(
      /^MaxUnpool1d: kernelSize must be an integer or a list of 1, got a list of 2$/,
    );
    expect(() =>
      (new nn.MaxUnpool1d(2).forward as (...a: unknown[]) => Tensor)(zeros([1, 1, 2])),
    ).toThrow(/^MaxUnpool1d\.forward: takes 2 or 3 arguments/);
  });

  it('an empty batch, or an output of no elements, as PyTorch', () => {
    const y = F.maxUnpool2d(zeros([0, 2, 2, 2]), zeros([0, 2, 2, 2], i32), 2);
    expect(y.shape).toEqual([0, 2, 4, 4]);
    // PyTorch checks no index when the output is empty.
    const x = zeros([1, 1, 1, 1]).requiresGrad_();
    const e = F.maxUnpool2d(x, zeros([1, 1, 1, 1], i32), 2, { padding: 1 });
    expect(e.shape).toEqual([1, 1, 0, 0]);
    e.sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([0]);
    expect(F.maxUnpool1d(zeros([0, 3]), zeros([0, 3], i32), 2).shape).toEqual([0, 6]);
  });

  it('float64 stays float64; the indices get no gradient', () => {
    const x = tensor([[[1, 2]]], { dtype: 'float64', requiresGrad: true });
    const y = F.maxUnpool1d(x, tensor([[[1, 3]]], i32), 2);
    expect(y.dtype).toBe('float64');
    expect(y.toArray()).toEqual([[[0, 1, 0, 2]]]);
  });
});
