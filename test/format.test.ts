/** Tensor printing against PyTorch's str(t) (scripts/golden/format.py), and its bounds. */
import { afterEach, describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { Tensor, getPrintOptions, setPrintOptions, tensor, type DType } from '../src/index.js';
import { gradFnName, type SetPrintOptions } from '../src/tensor/format.js';
import { loadGolden } from './helpers/golden.js';

interface FormatCase {
  label: string;
  dtype: DType;
  shape: number[];
  data: string;
  requiresGrad: boolean;
  options: Record<string, number | string | boolean>;
  expected: string;
  op?: [string, number?];
  input?: string;
  inputShape?: number[];
}

/** Little-endian bytes (base64) as a typed array of `dtype`. */
function decode(b64: string, dtype: DType): Float32Array | Float64Array | Int32Array {
  const bytes = Buffer.from(b64, 'base64');
  const buf = new ArrayBuffer(bytes.length);
  new Uint8Array(buf).set(bytes);
  if (dtype === 'float32') return new Float32Array(buf);
  if (dtype === 'float64') return new Float64Array(buf);
  return new Int32Array(buf);
}

function options(o: FormatCase['options']): SetPrintOptions {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = v === 'Infinity' ? Infinity : v;
  return out as SetPrintOptions;
}

const OPS: Record<string, (x: Tensor, a?: number) => Tensor> = {
  mul: (x, a) => x.mul(a!),
  add: (x, a) => x.add(a!),
  sub: (x, a) => x.sub(a!),
  div: (x, a) => x.div(a!),
  neg: (x) => x.neg(),
  relu: (x) => x.relu(),
  abs: (x) => x.abs(),
  sum: (x) => x.sum(),
};

const golden = loadGolden<FormatCase>('format');

afterEach(() => setPrintOptions({ profile: 'default' }));

describe('toString matches PyTorch 1.13 str(t)', () => {
  it('has the cases', () => expect(golden.cases.length).toBeGreaterThan(400));
  for (const c of golden.cases) {
    it(c.label, () => {
      setPrintOptions(options(c.options));
      let t: Tensor;
      if (c.op) {
        const [name, arg] = c.op;
        const leaf = new Tensor(decode(c.input!, c.dtype), c.inputShape!);
        t = OPS[name](leaf.requiresGrad_(), arg);
        expect(Array.from(t.data), 'nnkit computes the same values').toEqual(
          Array.from(decode(c.data, c.dtype)),
        );
      } else {
        t = new Tensor(decode(c.data, c.dtype), c.shape);
        if (c.requiresGrad) t.requiresGrad_();
      }
      expect(t.toString()).toBe(c.expected);
    });
  }
});

describe('console.log and util.inspect', () => {
  it('show the same text as toString, also nested in objects', () => {
    const x = tensor([0.09, 1, -2.5]);
    expect(inspect(x)).toBe('tensor([ 0.0900,  1.0000, -2.5000])');
    expect(inspect({ x })).toBe('{ x: tensor([ 0.0900,  1.0000, -2.5000]) }');
    expect(`${x}`).toBe(x.toString());
  });
});

describe('bounded work', () => {
  /** A tensor whose storage counts element reads. */
  function counted(n: number, shape: number[]): { t: Tensor; reads: () => number } {
    let reads = 0;
    const data = new Proxy(new Float32Array(n).fill(0.5), {
      get(target, key) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key) as unknown;
      },
    });
    return { t: new Tensor(data, shape), reads: () => reads };
  }
  it('reads only the 36 printed elements of a 1000×1000 tensor', () => {
    const { t, reads } = counted(1_000_000, [1000, 1000]);
    const s = t.toString();
    expect(s.split('\n')).toHaveLength(7);
    expect(reads()).toBe(36);
  });
  it('prints a tensor with a huge nominal shape and no elements without reading', () => {
    const { t, reads } = counted(0, [2 ** 20, 2 ** 20, 0]);
    expect(t.toString()).toBe('tensor([], size=(1048576, 1048576, 0))');
    expect(reads()).toBe(0);
  });
});

describe('setPrintOptions', () => {
  it('binds like torch.set_printoptions and resets sciMode unless given', () => {
    setPrintOptions(2, 5, 1, 40);
    expect(getPrintOptions()).toEqual({
      precision: 2,
      threshold: 5,
      edgeitems: 1,
      linewidth: 40,
      sciMode: null,
    });
    setPrintOptions({ sciMode: true });
    expect(getPrintOptions().sciMode).toBe(true);
    expect(getPrintOptions().precision).toBe(2);
    setPrintOptions({ precision: 3 });
    expect(getPrintOptions().sciMode).toBe(null);
    setPrintOptions({ profile: 'short', linewidth: 100 });
    expect(getPrintOptions()).toMatchObject({ precision: 2, edgeitems: 2, linewidth: 100 });
    setPrintOptions({ profile: 'full' });
    expect(getPrintOptions().threshold).toBe(Infinity);
  });
  it('refuses values PyTorch would misuse, naming the option', () => {
    expect(() => setPrintOptions({ edgeitems: 0 })).toThrow(
      'setPrintOptions: edgeitems must be an integer ≥ 1, got 0',
    );
    expect(() => setPrintOptions({ precision: -1 })).toThrow(
      'setPrintOptions: precision must be an integer in [0, 100], got -1',
    );
    expect(() => setPrintOptions({ precision: 101 })).toThrow(
      'precision must be an integer in [0, 100]',
    );
    expect(() => setPrintOptions({ threshold: NaN })).toThrow(
      'threshold must be a number (not NaN)',
    );
    expect(() => setPrintOptions({ profile: 'long' as 'full' })).toThrow(
      "setPrintOptions: profile must be one of 'default', 'short', 'full', got 'long'",
    );
    expect(() => setPrintOptions({ sci_mode: true } as SetPrintOptions)).toThrow(
      "setPrintOptions: unknown option 'sci_mode' (did you mean 'sciMode'?)",
    );
    expect(getPrintOptions().edgeitems).toBe(3);
  });
});

describe('grad_fn names', () => {
  it('capitalise the op name and append Backward0', () => {
    expect(gradFnName('mul')).toBe('MulBackward0');
    expect(gradFnName('crossEntropy')).toBe('CrossEntropyBackward0');
    const x = tensor([1, -2], { requiresGrad: true });
    expect(x.relu().toString()).toBe('tensor([1., 0.], grad_fn=<ReluBackward0>)');
  });
});
