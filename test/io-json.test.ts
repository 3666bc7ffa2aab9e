/**
 * Tensors and state dicts as JSON: `toJSON` gives `{ dtype, shape, data }`
 * (NaN, ±Infinity, −0 as strings), `io.tensorFromJSON` and
 * `Module.loadStateDict` read it back bit for bit, and `loadStateDict`
 * checks every entry before writing any (`strict` as in PyTorch).
 */
import { describe, expect, it } from 'vitest';
import { io, manualSeed, nn, randn, tensor, zeros, type Tensor } from '../src/index.js';

function bitsEqual(a: Tensor, b: Tensor): boolean {
  if (a.dtype !== b.dtype || a.shape.join() !== b.shape.join()) return false;
  const x = new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  const y = new Uint8Array(b.data.buffer, b.data.byteOffset, b.data.byteLength);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, none was thrown');
}

const roundTrip = (t: Tensor): Tensor => io.tensorFromJSON(JSON.parse(JSON.stringify(t)));

describe('Tensor.toJSON', () => {
  it('writes dtype, shape and flat data, with NaN, ±Infinity and −0 as strings', () => {
    const t = tensor(
      [
        [1.5, NaN, Infinity],
        [-Infinity, -0, 0],
      ],
      { dtype: 'float64' },
    );
    expect(JSON.parse(JSON.stringify(t))).toEqual({
      dtype: 'float64',
      shape: [2, 3],
      data: [1.5, 'NaN', 'Infinity', '-Infinity', '-0', 0],
    });
    expect(JSON.stringify(tensor(3, { dtype: 'int32' }))).toBe(
      '{"dtype":"int32","shape":[],"data":[3]}',
    );
    expect(io.tensorToJSON(zeros([2, 0]))).toEqual({ dtype: 'float32', shape: [2, 0], data: [] });
  });

  it('round-trips every dtype bit for bit, edge values included', () => {
    const f = new Float32Array([
      0.1,
      -0,
      1e-45,
      1.17549435e-38,
      3.4028234663852886e38,
      NaN,
      -Infinity,
      1 / 3,
    ]);
    const d = new Float64Array([
      0.1,
      -0,
      5e-324,
      2.2250738585072014e-308,
      Number.MAX_VALUE,
      NaN,
      Infinity,
      1 / 3,
    ]);
    const i = new Int32Array([-(2 ** 31), -1, 0, 1, 2 ** 31 - 1]);
    for (const t of [
      tensor(f),
      tensor(d),
      tensor(i),
      tensor(2.5),
      randn([3, 4, 5]),
      zeros([0, 3]),
    ]) {
      const back = roundTrip(t);
      expect(bitsEqual(back, t), `${t.dtype} ${t.shape}`).toBe(true);
    }
  });

  it('JSON.stringify(model.stateDict()) round-trips into a fresh model', () => {
    manualSeed(5);
    const src = new nn.Sequential(
      new nn.Linear(4, 3),
      new nn.PReLU({ numParameters: 3 }),
      new nn.Linear(3, 2),
    );
    const ada = new nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6], {
      headBias: true,
      dtype: 'float64',
    });
    for (const [a, b] of [
      [
        src,
        new nn.Sequential(
          new nn.Linear(4, 3),
          new nn.PReLU({ numParameters: 3 }),
          new nn.Linear(3, 2),
        ),
      ],
      [ada, new nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6], { headBias: true, dtype: 'float64' })],
      [
        new nn.BCEWithLogitsLoss({ posWeight: tensor([NaN, -0]) }),
        new nn.BCEWithLogitsLoss({ posWeight: tensor([1, 1]) }),
      ],
    ] as [nn.Module, nn.Module][]) {
      expect(b.loadStateDict(JSON.parse(JSON.stringify(a.stateDict())))).toEqual({
        missingKeys: [],
        unexpectedKeys: [],
      });
      const sa = a.stateDict();
      const sb = b.stateDict();
      for (const k of Object.keys(sa)) expect(bitsEqual(sb[k], sa[k]), k).toBe(true);
    }
  });

  it('io.tensorFromJSON checks what it reads', () => {
    const w = 'io.tensorFromJSON: ';
    expect(errorOf(() => io.tensorFromJSON([1, 2]))).toBe(
      `${w}expected a Tensor or its JSON form { dtype, shape, data }, got [1,2]`,
    );
    expect(errorOf(() => io.tensorFromJSON({ dtype: 'int64', shape: [1], data: [1] }))).toBe(
      `${w}dtype must be one of 'float32', 'float64', 'int32', got 'int64'`,
    );
    expect(errorOf(() => io.tensorFromJSON({ dtype: 'float32', shape: [-1], data: [] }))).toBe(
      `${w}shape must be an array of non-negative integers, got [-1]`,
    );
    expect(
      errorOf(() => io.tensorFromJSON({ dtype: 'float32', shape: [2, 2], data: [1, 2, 3] })),
    ).toBe(`${w}data must be a flat array of 4 elements for shape [2, 2], got 3`);
    expect(
      errorOf(() => io.tensorFromJSON({ dtype: 'float32', shape: [2], data: [[1], [2]] })),
    ).toBe(`${w}data[0] is [1]; elements are numbers or 'NaN', 'Infinity', '-Infinity', '-0'`);
    expect(errorOf(() => io.tensorFromJSON({ dtype: 'float32', shape: [1], data: ['nan'] }))).toBe(
      `${w}data[0] is 'nan'; elements are numbers or 'NaN', 'Infinity', '-Infinity', '-0'`,
    );
    expect(errorOf(() => io.tensorFromJSON({ dtype: 'int32', shape: [2], data: [1, 2.5] }))).toBe(
      `${w}data[1] is 2.5, not an int32 value`,
    );
    expect(errorOf(() => io.tensorFromJSON({ dtype: 'int32', shape: [1], data: [2 ** 31] }))).toBe(
      `${w}data[0] is 2147483648, not an int32 value`,
    );
    expect(errorOf(() => io.tensorFromJSON({ dtype: 'int32', shape: [1], data: ['NaN'] }))).toBe(
      `${w}data[0] is 'NaN', not an int32 value`,
    );
  });
});

describe('Module.loadStateDict', () => {
  const snapshot = (m: nn.Module) =>
    Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, t.clone()]));
  const expectUnchanged = (m: nn.Module, snap: Record<string, Tensor>) => {
    for (const [k, t] of Object.entries(m.stateDict())) expect(bitsEqual(t, snap[k]), k).toBe(true);
  };

  it('checks every entry before writing any, and lists every problem', () => {
    const m = new nn.Sequential(new nn.Linear(2, 2), new nn.Linear(2, 1));
    const snap = snapshot(m);
    const state: Record<string, unknown> = JSON.parse(
      JSON.stringify(new nn.Sequential(new nn.Linear(2, 2), new nn.Linear(2, 1)).stateDict()),
    );
    state['0.bias'] = null;
    (state['1.weight'] as { data: unknown[] }).data[1] = 'oops';
    state['1.bias'] = tensor([1, 2]);
    expect(errorOf(() => m.loadStateDict(state as never))).toBe(
      'Sequential.loadStateDict: 0.bias: expected a Tensor or its JSON form { dtype, shape, data }, got null; ' +
        "1.weight: data[1] is 'oops'; elements are numbers or 'NaN', 'Infinity', '-Infinity', '-0'; " +
        'size mismatch for 1.bias: got [2], expected [1]',
    );
    expectUnchanged(m, snap);
    state['0.bias'] = undefined;
    expect(errorOf(() => m.loadStateDict(state as never))).toMatch(
      /^Sequential.loadStateDict: 0.bias: expected a Tensor .*, got undefined;/,
    );
    expectUnchanged(m, snap);
  });

  it('casts int32 and float64 values into float32 parameters, rounding to nearest as copy_ does', () => {
    const m = new nn.Linear(2, 1);
    m.loadStateDict({
      weight: tensor([[16777217, -3]], { dtype: 'int32' }),
      bias: tensor([0.1], { dtype: 'float64' }),
    });
    expect(Array.from(m.weight.data)).toEqual([16777216, -3]);
    expect(m.bias!.data[0]).toBe(Math.fround(0.1));
  });

  it('refuses values an int32 buffer cannot hold: NaN, fractions, out of range', () => {
    class Counter extends nn.Module {
      constructor() {
        super();
        this.registerBuffer('n', zeros([3], { dtype: 'int32' }));
      }
    }
    const c = new Counter();
    const snap = snapshot(c);
    for (const [v, shown] of [
      [NaN, 'NaN'],
      [2.5, '2.5'],
      [2 ** 31, '2147483648'],
      [-Infinity, '-Infinity'],
    ] as [number, string][]) {
      expect(errorOf(() => c.loadStateDict({ n: tensor([1, v, 3], { dtype: 'float64' }) }))).toBe(
        `Counter.loadStateDict: n: value ${shown} at index 1 cannot be stored in the int32 n`,
      );
      expectUnchanged(c, snap);
    }
    c.loadStateDict({ n: tensor([-(2 ** 31), 7, 2 ** 31 - 1], { dtype: 'float64' }) });
    expect(Array.from(c.stateDict().n.data)).toEqual([-(2 ** 31), 7, 2 ** 31 - 1]);
  });

  it('strict: false skips missing and unexpected keys and returns them; the option binds as in Python', () => {
    const m = new nn.Linear(2, 1);
    const w = { weight: tensor([[1, 2]]), other: tensor([0]) };
    expect(m.loadStateDict(w, false)).toEqual({ missingKeys: ['bias'], unexpectedKeys: ['other'] });
    expect(m.loadStateDict(w, { strict: false })).toEqual({
      missingKeys: ['bias'],
      unexpectedKeys: ['other'],
    });
    expect(m.weight.toArray()).toEqual([[1, 2]]);
    expect(errorOf(() => m.loadStateDict(w, { strict: true }))).toBe(
      'Linear.loadStateDict: missing keys: bias; unexpected keys: other',
    );
    expect(errorOf(() => m.loadStateDict(w, 'no' as never))).toBe(
      "Linear.loadStateDict: strict must be true or false, got 'no'",
    );
    expect(errorOf(() => m.loadStateDict(w, { strct: false } as never))).toBe(
      "Linear.loadStateDict: unknown option 'strct' (known: strict)",
    );
    // A wrong shape is an error even when not strict, as in PyTorch.
    expect(errorOf(() => m.loadStateDict({ weight: zeros([2, 2]) }, false))).toBe(
      'Linear.loadStateDict: size mismatch for weight: got [2, 2], expected [1, 2]',
    );
    expect(errorOf(() => m.loadStateDict(tensor([1]) as never))).toBe(
      'Linear.loadStateDict: stateDict must be an object of tensors by key, got a Tensor',
    );
  });

  it('swapping two parameters that share memory with the state dict reads before it writes', () => {
    const m = new nn.Sequential(
      new nn.Linear(2, 2, { bias: false }),
      new nn.Linear(2, 2, { bias: false }),
    );
    const before = snapshot(m);
    const sd = m.stateDict(); // detached views of the parameters' own storage
    m.loadStateDict({ '0.weight': sd['1.weight'], '1.weight': sd['0.weight'] });
    const after = m.stateDict();
    expect(bitsEqual(after['0.weight'], before['1.weight'])).toBe(true);
    expect(bitsEqual(after['1.weight'], before['0.weight'])).toBe(true);
  });
});
