/** Creation functions: every PyTorch calling form, PyTorch's values, and every refusal. */
import { describe, expect, it } from 'vitest';
import {
  Generator,
  Tensor,
  arange,
  empty,
  full,
  fullLike,
  linspace,
  ones,
  onesLike,
  rand,
  randLike,
  randint,
  randn,
  randnLike,
  tensor,
  zeros,
  zerosLike,
  type DType,
} from '../src/index.js';
import { checkInt32Values, checkShape, maxElements } from '../src/tensor/checks.js';
import { decodeNumber, expectClose, loadGolden, type EncodedTensor } from './helpers/golden.js';

const values = (t: Tensor): number[] => Array.from(t.data);

describe('*size factories: zeros, ones, empty, rand, randn', () => {
  const factories = { zeros, ones, empty, rand, randn };
  for (const [name, f] of Object.entries(factories)) {
    it(`${name} takes sizes as varargs, one array, or size=, with options last`, () => {
      expect(f(3, 4).shape).toEqual([3, 4]);
      expect(f([3, 4]).shape).toEqual([3, 4]);
      expect(f(5).shape).toEqual([5]);
      expect(f(2, 1, 3).shape).toEqual([2, 1, 3]);
      expect(f([]).shape).toEqual([]);
      expect(f(0, 3).shape).toEqual([0, 3]);
      expect(f({ size: [2, 2] }).shape).toEqual([2, 2]);
      const a = f(3, 4, { dtype: 'float64', requiresGrad: true });
      expect([a.shape, a.dtype, a.requiresGrad, a.isLeaf]).toEqual([[3, 4], 'float64', true, true]);
      const b = f([3, 4], { dtype: 'float64' });
      expect([b.shape, b.dtype, b.requiresGrad]).toEqual([[3, 4], 'float64', false]);
      expect(f(2).dtype).toBe('float32');
      expect(f(2, { dtype: null }).dtype).toBe('float32');
    });
  }
  it('fill with zeros, ones, and samples in range', () => {
    expect(values(zeros(2, 2))).toEqual([0, 0, 0, 0]);
    expect(values(ones(3, { dtype: 'int32' }))).toEqual([1, 1, 1]);
    expect(zeros(2, { dtype: 'int32' }).dtype).toBe('int32');
    expect(empty(2, { dtype: 'int32' }).dtype).toBe('int32');
    const u = values(rand(2000));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const z = randn(20000, { dtype: 'float64' });
    expect(Math.abs(z.mean().item())).toBeLessThan(0.05);
    expect(Math.abs(z.mul(z).mean().item() - 1)).toBeLessThan(0.05);
  });
  it('draw from a given generator, leaving the global stream alone', () => {
    const a = randn(5, { generator: new Generator(7) });
    const b = randn([5], { generator: new Generator(7) });
    expect(values(a)).toEqual(values(b));
    expect(values(rand(3, { generator: new Generator(1) }))).toEqual(
      values(rand(3, { generator: new Generator(1) })),
    );
    expect(values(randn(5, { generator: new Generator(8) }))).not.toEqual(values(a));
  });
});

describe('full', () => {
  it('binds size, fillValue and options like torch.full', () => {
    expect(values(full([2], 7))).toEqual([7, 7]);
    expect(full([2, 3], 0.5).shape).toEqual([2, 3]);
    const t = full([2], 7, { dtype: 'int32' });
    expect([t.dtype, values(t)]).toEqual(['int32', [7, 7]]);
    expect(values(full([2], NaN))).toEqual([NaN, NaN]);
    expect(full([1], 2, { requiresGrad: true }).requiresGrad).toBe(true);
    expect(values((full as (...a: unknown[]) => Tensor)({ size: [2], fillValue: -1 }))).toEqual([
      -1, -1,
    ]);
    expect(full([], 3).shape).toEqual([]);
  });
});

describe('randint', () => {
  it('takes (high, size) and (low, high, size), int32 by default', () => {
    const a = randint(3, [1000]);
    expect([a.dtype, a.shape]).toEqual(['int32', [1000]]);
    expect(new Set(a.data)).toEqual(new Set([0, 1, 2]));
    expect(new Set(randint(2, 5, [1000]).data)).toEqual(new Set([2, 3, 4]));
    expect(new Set(randint(-2, 0, [200]).data)).toEqual(new Set([-2, -1]));
    expect(randint(10, [2, 3]).shape).toEqual([2, 3]);
    expect(randint(0, 4, [3], { dtype: 'float64' }).dtype).toBe('float64');
    expect(randint(0, 4, [3], { dtype: 'float32', requiresGrad: true }).requiresGrad).toBe(true);
    expect(randint(10, { size: [4] } as never).shape).toEqual([4]);
    expect(values(randint(5, 6, [2]))).toEqual([5, 5]);
    expect(values(randint(-(2 ** 31), 2 ** 31, [50])).every((v) => v === (v | 0))).toBe(true);
  });
  it('uses the generator it is given', () => {
    const a = randint(0, 100, [8], { generator: new Generator(3) });
    expect(values(randint(100, [8], { generator: new Generator(3) }))).toEqual(values(a));
  });
});

interface RangeCase {
  fn: 'arange' | 'linspace';
  args: number[];
  dtype: DType | null;
  out: EncodedTensor;
}

describe('arange and linspace', () => {
  it('bind PyTorch forms', () => {
    expect(values(arange(4))).toEqual([0, 1, 2, 3]);
    expect(arange(4).dtype).toBe('int32');
    expect(values(arange(1, 4))).toEqual([1, 2, 3]);
    expect(values(arange(1, 7, 2))).toEqual([1, 3, 5]);
    expect(values(arange(0, 1, 0.25))).toEqual([0, 0.25, 0.5, 0.75]);
    expect(arange(0, 1, 0.25).dtype).toBe('float32');
    expect(arange(3, { dtype: 'float64' }).dtype).toBe('float64');
    expect(arange(1, 3, { dtype: 'float64' }).dtype).toBe('float64');
    expect(values(arange(5, 0, -2))).toEqual([5, 3, 1]);
    expect(arange(2, 2).shape).toEqual([0]);
    expect(values(arange({ end: 3 } as never))).toEqual([0, 1, 2]);
    expect(arange(3, { requiresGrad: true, dtype: 'float32' }).requiresGrad).toBe(true);
    expect(values(arange(2 ** 31 - 3, 2 ** 31 - 1))).toEqual([2 ** 31 - 3, 2 ** 31 - 2]);
    expect(values(linspace(-1, 1, 5))).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(linspace(0, 1, 3, { dtype: 'float64' }).dtype).toBe('float64');
    expect(values(linspace(0, 10, 3, { dtype: 'int32' }))).toEqual([0, 5, 10]);
    expect(linspace(0, 1, 0).shape).toEqual([0]);
  });
  const golden = loadGolden<RangeCase>('creation');
  for (const c of golden.cases) {
    it(`matches torch.${c.fn}(${c.args.join(', ')}${c.dtype ? `, dtype=${c.dtype}` : ''})`, () => {
      const opts = c.dtype ? { dtype: c.dtype } : {};
      const t =
        c.fn === 'arange'
          ? (arange as (...a: unknown[]) => Tensor)(...c.args, opts)
          : linspace(c.args[0], c.args[1], c.args[2], opts);
      if (c.fn === 'linspace') {
        // linspace follows ATen's kernel rounding for rounding: bit for bit.
        expect([t.dtype, ...t.shape]).toEqual([c.out.dtype, ...c.out.shape]);
        expect(values(t)).toEqual(c.out.data.map(decodeNumber));
      } else {
        // arange's vectorised kernel adds the step in lanes of 4 or 8, so
        // values near zero differ by an ulp of `step`: SPEC §6's tolerance.
        expectClose(t, c.out, `${c.fn}(${c.args.join(', ')})`);
      }
    });
  }
});

describe('*Like factories', () => {
  const x = tensor(
    [
      [1, 2, 3],
      [4, 5, 6],
    ],
    { dtype: 'float64' },
  );
  const i = tensor([1, 2], { dtype: 'int32' });
  it("take the input's shape and dtype, and the options PyTorch has", () => {
    expect(values(zerosLike(x))).toEqual([0, 0, 0, 0, 0, 0]);
    expect([zerosLike(x).shape, zerosLike(x).dtype]).toEqual([[2, 3], 'float64']);
    expect(onesLike(i).dtype).toBe('int32');
    expect(values(onesLike(i))).toEqual([1, 1]);
    expect(zerosLike(i, { dtype: 'float32' }).dtype).toBe('float32');
    expect(values(fullLike(x, 0.5))).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(values(fullLike(i, 7))).toEqual([7, 7]);
    expect(fullLike(i, 0.5, { dtype: 'float64' }).dtype).toBe('float64');
    expect(randLike(x).shape).toEqual([2, 3]);
    expect(randLike(x).dtype).toBe('float64');
    expect(randnLike(i, { dtype: 'float32' }).dtype).toBe('float32');
    expect(randnLike(x, { requiresGrad: true }).requiresGrad).toBe(true);
    expect(zerosLike(x.requiresGrad_()).requiresGrad).toBe(false);
  });
});

describe('tensor', () => {
  it('takes numbers, nested arrays, flat arrays and typed arrays (copied)', () => {
    expect(tensor(2.5).shape).toEqual([]);
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([[], []]).shape).toEqual([2, 0]);
    expect(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]).shape,
    ).toEqual([2, 3]);
    expect(tensor(new Int32Array([1, 2])).dtype).toBe('int32');
    expect(tensor(new Float64Array([1, 2])).dtype).toBe('float64');
    expect(tensor([1, 2]).dtype).toBe('float32');
    const src = new Float32Array([1, 2]);
    const t = tensor(src);
    src[0] = 9;
    expect(values(t)).toEqual([1, 2]);
    const rows = tensor([new Float32Array([1, 2]), new Float32Array([3, 4])]);
    expect([rows.shape, values(rows)]).toEqual([
      [2, 2],
      [1, 2, 3, 4],
    ]);
    expect(tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2] }).toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(values(tensor(new Float32Array([1, -2, 3]), { dtype: 'int32' }))).toEqual([1, -2, 3]);
    expect(values(tensor([-(2 ** 31), 2 ** 31 - 1, -0], { dtype: 'int32' }))).toEqual([
      -(2 ** 31),
      2 ** 31 - 1,
      0,
    ]);
    expect(tensor([1], { requiresGrad: true, dtype: 'float64' }).requiresGrad).toBe(true);
  });
});

describe('refusals name the function and the argument', () => {
  const cases: [string, () => unknown, string][] = [
    // shapes, checked before any allocation
    [
      'zeros(2 ** 40)',
      () => zeros(2 ** 40),
      'zeros: size [1099511627776] has 1099511627776 elements, more than the 1073741824 float32 elements a tensor can hold (2^32 bytes, the typed-array limit)',
    ],
    [
      'randn(2 ** 20, 2 ** 20)',
      () => randn(2 ** 20, 2 ** 20),
      'randn: size [1048576, 1048576] has 1099511627776 elements',
    ],
    [
      'float64 limit',
      () => ones(2 ** 29 + 1, { dtype: 'float64' }),
      'more than the 536870912 float64 elements a tensor can hold',
    ],
    [
      'unsafe dimension',
      () => zeros(2 ** 60),
      'zeros: dimension 0 of size, 1152921504606847000, is too large (dimensions are integers below 2^53)',
    ],
    [
      'negative',
      () => zeros(2, -1),
      'zeros: trying to create tensor with negative dimension -1: [2, -1]',
    ],
    ['fraction', () => ones([2.5]), 'ones: size must contain integers, got 2.5 at dimension 0'],
    ['NaN dim', () => rand(NaN), 'rand: size must contain integers, got NaN at dimension 0'],
    ['no size', () => (zeros as () => Tensor)(), "zeros: missing required argument 'size'"],
    [
      'mixed size',
      () => (zeros as (...a: unknown[]) => Tensor)(2, [3]),
      'zeros: size must be integers (zeros(2, 3)) or one array (zeros([2, 3])), got 2, an array of 1',
    ],
    [
      'size as string',
      () => (empty as (...a: unknown[]) => Tensor)('3'),
      "empty: size must be an array of integers (PyTorch's tuple), got '3'",
    ],
    ['size twice', () => zeros([2], { size: [3] }), "zeros: got multiple values for 'size'"],
    ['unknown option', () => ones(2, { dtyp: 'float64' } as never), "ones: unknown option 'dtyp'"],
    // dtypes
    [
      'int64',
      () => zeros(2, { dtype: 'int64' as DType }),
      "zeros: dtype must be one of 'float32', 'float64', 'int32' (int64 is not supported: nnkit's class indices are 'int32'), got 'int64'",
    ],
    [
      'long',
      () => tensor([1], { dtype: 'long' as DType }),
      "tensor: dtype must be one of 'float32', 'float64', 'int32' (int64 is not supported",
    ],
    [
      'float16',
      () => ones(1, { dtype: 'float16' as DType }),
      "(float16 is not supported: use 'float32'), got 'float16'",
    ],
    [
      'randn int32',
      () => randn(2, { dtype: 'int32' as 'float32' }),
      "randn: dtype must be one of 'float32', 'float64', got 'int32'",
    ],
    [
      'rand int32',
      () => rand([2], { dtype: 'int32' as 'float32' }),
      "rand: dtype must be one of 'float32', 'float64', got 'int32'",
    ],
    [
      'randLike of int32',
      () => randLike(tensor([1], { dtype: 'int32' })),
      "randLike: samples are floating-point, but the input is int32; pass { dtype: 'float32' } or 'float64'",
    ],
    [
      'randnLike int32',
      () => randnLike(zeros(1), { dtype: 'int32' as 'float32' }),
      "randnLike: dtype must be one of 'float32', 'float64', got 'int32'",
    ],
    [
      'requiresGrad int32',
      () => zeros(2, { dtype: 'int32', requiresGrad: true }),
      "zeros: only floating-point tensors can require gradients, got requiresGrad: true with dtype 'int32'",
    ],
    [
      'randint requiresGrad',
      () => randint(3, [2], { requiresGrad: true }),
      'randint: only floating-point tensors can require gradients',
    ],
    [
      'tensor requiresGrad',
      () => tensor([1], { dtype: 'int32', requiresGrad: true }),
      'tensor: only floating-point tensors can require gradients',
    ],
    [
      'requiresGrad not boolean',
      () => ones(1, { requiresGrad: 1 as never }),
      'ones: requiresGrad must be true or false, got 1',
    ],
    [
      'generator',
      () => randn(1, { generator: {} as Generator }),
      'randn: generator must be a Generator or null, got an object',
    ],
    // int32 values
    [
      'tensor overflow',
      () => tensor([1e40, NaN, 3e9], { dtype: 'int32' }),
      'tensor: value 1e+40 at index 0 cannot be converted to int32 without overflow (int32 holds integers in [-2147483648, 2147483647])',
    ],
    [
      'tensor NaN',
      () => tensor([1, NaN], { dtype: 'int32' }),
      'tensor: value NaN at index 1 cannot be converted to int32 without overflow',
    ],
    [
      'tensor 3e9',
      () => tensor([[1, 3e9]], { dtype: 'int32' }),
      'tensor: value 3000000000 at index [0, 1] cannot be converted to int32 without overflow',
    ],
    [
      'tensor Infinity',
      () => tensor(-Infinity, { dtype: 'int32' }),
      'tensor: value -Infinity at index 0 cannot be converted',
    ],
    [
      'tensor Float32Array fraction',
      () => tensor(new Float32Array([0.5]), { dtype: 'int32' }),
      'tensor: value 0.5 at index 0 is not an integer, so it cannot be stored as int32',
    ],
    [
      'tensor Float64Array overflow',
      () => tensor(new Float64Array([2 ** 31]), { dtype: 'int32' }),
      'tensor: value 2147483648 at index 0 cannot be converted',
    ],
    [
      'full 3e9',
      () => full([2], 3e9, { dtype: 'int32' }),
      'full: fillValue 3000000000 cannot be converted to int32 without overflow (int32 holds integers in [-2147483648, 2147483647])',
    ],
    [
      'full fraction',
      () => full([2], 0.5, { dtype: 'int32' }),
      'full: fillValue 0.5 is not an integer, so it cannot be stored as int32',
    ],
    [
      'fullLike int32',
      () => fullLike(tensor([1], { dtype: 'int32' }), NaN),
      'fullLike: fillValue NaN cannot be converted to int32 without overflow',
    ],
    [
      'arange past int32',
      () => arange(2 ** 31 - 2, 2 ** 31 + 1),
      'arange: value 2147483648 (element 2) cannot be converted to int32 without overflow',
    ],
    [
      'arange int32 fraction step',
      () => arange(1, 2.5, 0.5, { dtype: 'int32' }),
      'arange: step 0.5 is not an integer, so it cannot be stored as int32',
    ],
    [
      'arange int32 start',
      () => arange(0.5, 3, 1, { dtype: 'int32' }),
      'arange: start 0.5 is not an integer',
    ],
    [
      'linspace int32 overflow',
      () => linspace(0, 2 ** 31, 3, { dtype: 'int32' }),
      'linspace: value 2147483648 at index 2 cannot be converted to int32 without overflow',
    ],
    // full and randint sizes are arrays (PyTorch's tuples)
    [
      'full(3, 1)',
      () => (full as (...a: unknown[]) => Tensor)(3, 1),
      "full: size must be an array of integers (PyTorch's tuple), got 3",
    ],
    [
      'full without value',
      () => (full as (...a: unknown[]) => Tensor)([2]),
      "full: missing required argument 'fillValue'",
    ],
    [
      'full value string',
      () => full([2], '1' as never),
      "full: fillValue must be a number, got '1'",
    ],
    [
      'randint(3, 10)',
      () => (randint as (...a: unknown[]) => Tensor)(3, 10),
      "randint: size must be an array of integers (PyTorch's tuple), e.g. randint(3, 10, [3]); got 10",
    ],
    [
      'randint high <= low',
      () => randint(5, 5, [2]),
      'randint: high must be greater than low, got low=5, high=5',
    ],
    [
      'randint high 0',
      () => randint(0, [2]),
      'randint: high must be greater than low, got low=0, high=0',
    ],
    ['randint fraction', () => randint(0, 2.5, [2]), 'randint: high must be an integer, got 2.5'],
    [
      'randint int32 range',
      () => randint(0, 2 ** 40, [2]),
      'randint: [0, 1099511627776) is out of bounds for int32, which holds integers exactly in [-2147483648, 2147483647]',
    ],
    [
      'randint float32 range',
      () => randint(0, 2 ** 24 + 2, [2], { dtype: 'float32' }),
      'randint: [0, 16777218) is out of bounds for float32, which holds integers exactly in [-16777216, 16777216]',
    ],
    [
      'randint no size',
      () => (randint as (...a: unknown[]) => Tensor)(3),
      "randint: missing required argument 'size'",
    ],
    // ranges
    ['arange step 0', () => arange(0, 5, 0), 'arange: step must be nonzero'],
    [
      'arange wrong sign',
      () => arange(0, 5, -1),
      'arange: upper bound and larger bound inconsistent with step sign (start=0, end=5, step=-1)',
    ],
    [
      'arange(5, 0)',
      () => arange(5, 0),
      'arange: upper bound and larger bound inconsistent with step sign (start=5, end=0, step=1)',
    ],
    [
      'arange Infinity',
      () => arange(0, Infinity),
      'arange: unsupported range: 0 -> Infinity (start and end must be finite)',
    ],
    ['arange NaN', () => arange(NaN), 'arange: end must be a number (not NaN), got NaN'],
    [
      'arange step Infinity',
      () => arange(0, 1, Infinity),
      'arange: step must be finite, got Infinity',
    ],
    [
      'arange too long',
      () => arange(0, 2 ** 40, 1, { dtype: 'float64' }),
      'arange: result size [1099511627776] has 1099511627776 elements, more than the 536870912 float64 elements',
    ],
    [
      'arange too many args',
      () => (arange as (...a: unknown[]) => Tensor)(0, 1, 1, 1),
      'arange: takes at most 3 positional arguments (start, end, step) but 4 were given',
    ],
    [
      'linspace negative steps',
      () => linspace(0, 1, -1),
      'linspace: steps must be an integer ≥ 0, got -1',
    ],
    [
      'linspace fraction steps',
      () => linspace(0, 1, 2.5),
      'linspace: steps must be an integer, got 2.5',
    ],
    [
      'linspace missing steps',
      () => (linspace as (...a: unknown[]) => Tensor)(0, 1),
      "linspace: missing required argument 'steps'",
    ],
    [
      'linspace too long',
      () => linspace(0, 1, 2 ** 31),
      'linspace: steps [2147483648] has 2147483648 elements',
    ],
    // tensor() data
    [
      'ragged',
      () => tensor([[1, 2], [3]]),
      'tensor: expected sequence of length 2 at dim 1 (got 1) at index [1]',
    ],
    [
      'number where a row is',
      () => tensor([[1, 2], 3] as never),
      'tensor: expected a sequence of length 2 at dim 1, got 3 at index [1]',
    ],
    [
      'row where a number is',
      () => tensor([1, [2]] as never),
      'tensor: element [1] must be a number, got an array of 1',
    ],
    ["['a']", () => tensor(['a'] as never), "tensor: element [0] must be a number, got 'a'"],
    ['[null]', () => tensor([null] as never), 'tensor: element [0] must be a number, got null'],
    [
      '[{}]',
      () => tensor([[1], [{}]] as never),
      'tensor: element [1, 0] must be a number, got an object',
    ],
    ['[true]', () => tensor([true] as never), 'tensor: element [0] must be a number, got true'],
    [
      "'abc'",
      () => tensor('abc' as never),
      "tensor: data must be a number, a typed array or (nested) arrays of numbers, got 'abc'",
    ],
    ['no data', () => (tensor as () => Tensor)(), "tensor: missing required argument 'data'"],
    [
      'dtype by position',
      () => (tensor as (...a: unknown[]) => Tensor)([1], 'float64'),
      'tensor: takes at most 1 positional argument (data) but 2 were given; dtype, shape, requiresGrad can only be given by name',
    ],
    [
      'shape mismatch',
      () => tensor([1, 2, 3], { shape: [2, 2] }),
      'tensor: 3 values do not fill shape [2, 2] (4 elements)',
    ],
    [
      'bad shape',
      () => tensor([1, 2], { shape: [2, -1] }),
      'tensor: trying to create tensor with negative dimension -1: [2, -1]',
    ],
  ];
  it.each(cases)('%s', (_label, call, message) => {
    expect(call).toThrow(message);
  });
  it('accepts huge shapes that hold no elements', () => {
    expect(zeros(2 ** 40, 0).shape).toEqual([2 ** 40, 0]);
    expect(tensor([], { shape: [2 ** 20, 2 ** 20, 0] }).toString()).toBe(
      'tensor([], size=(1048576, 1048576, 0))',
    );
  });
});

describe('checks for the Tensor constructor', () => {
  it('checkShape returns a fresh, valid shape and knows each dtype’s limit', () => {
    const s = [2, 3];
    expect(checkShape('Tensor', s)).toEqual([2, 3]);
    expect(checkShape('Tensor', s)).not.toBe(s);
    expect(maxElements('float32')).toBe(2 ** 30);
    expect(maxElements('int32')).toBe(2 ** 30);
    expect(maxElements('float64')).toBe(2 ** 29);
    expect(() => checkShape('Tensor', [2 ** 30 + 1], 'int32')).toThrow('Tensor: size [1073741825]');
    expect(() => checkShape('Tensor', 'x', 'float32', 'shape')).toThrow(
      "Tensor: shape must be an array of integers, got 'x'",
    );
  });
  it('checkInt32Values passes an Int32Array unread and names the first bad value', () => {
    expect(() => checkInt32Values('f', new Int32Array(3))).not.toThrow();
    expect(() => checkInt32Values('f', [0, 1, 2 ** 31], [1, 3])).toThrow(
      'f: value 2147483648 at index [0, 2] cannot be converted to int32 without overflow',
    );
  });
});
