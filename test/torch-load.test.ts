/**
 * `io.load`: PyTorch's own `torch.save` files (scripts/golden/torch_load.py
 * writes them with PyTorch 1.13 and records what `torch.load` gives):
 * state dicts, views sharing a storage, every storage dtype, a training
 * checkpoint with Python values, pickle protocol 4, a lone nn.Parameter —
 * and a pickled `os.system` call, refused. Then damaged files: every
 * truncation and thousands of corrupted bytes must load or fail with an
 * `io.load` error, never another exception.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tensor, arange, io, nn, optim } from '../src/index.js';
import { MT19937 } from '../src/tensor/mt19937.js';
import { expectExact, loadGolden, type EncodedTensor } from './helpers/golden.js';

/** Where a tensor torch.load gave lies: its storage (numbered per file), offset, strides. */
interface Layout {
  storage: number;
  offset: number;
  stride: number[];
  requiresGrad: boolean;
}

type Expected =
  | { tensor: EncodedTensor; layout: Layout }
  | { dict: [string, Expected][] }
  | { list: Expected[] }
  | { int: string }
  | { value: unknown };

interface LoadCase {
  name: string;
  file: string;
  note: string;
  expected?: Expected;
  refused?: string;
  /** What io.load's error says (a regular expression) for a file nnkit cannot hold. */
  error?: string;
  /** Saved by PyTorch through a buffer: io.save of what io.load gives must write these bytes. */
  sameBytes?: boolean;
}

const golden = loadGolden<LoadCase>('torch_load');
const bytesOf = (file: string): Uint8Array =>
  new Uint8Array(readFileSync(join(import.meta.dirname, 'golden', file)));

/** The decoded JSON number of a recorded value ('NaN', '-0', … as the golden files spell them). */
function number(v: unknown): unknown {
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (v === '-0') return -0;
  return v;
}

/**
 * Compares what io.load gave with what torch.load gave: values exactly, and
 * each tensor's layout — tensors that share a storage in PyTorch share one
 * typed array here (`storages` maps PyTorch's storage numbers to them), at
 * PyTorch's offsets and strides.
 */
function compare(
  actual: unknown,
  expected: Expected,
  path: string,
  storages = new Map<number, unknown>(),
): void {
  if ('tensor' in expected) {
    expect(actual, path).toBeInstanceOf(Tensor);
    const t = actual as Tensor;
    expectExact(t, expected.tensor, path);
    const { storage, offset, stride, requiresGrad } = expected.layout;
    expect([t.storageOffset(), t.stride(), t.requiresGrad], path).toEqual([
      offset,
      stride,
      requiresGrad,
    ]);
    if (!storages.has(storage)) {
      expect([...storages.values()], `${path}: a storage of its own`).not.toContain(t._storage);
      storages.set(storage, t._storage);
    }
    expect(t._storage === storages.get(storage), `${path}: shares storage ${storage}`).toBe(true);
  } else if ('dict' in expected) {
    expect(typeof actual, path).toBe('object');
    const obj = actual as Record<string, unknown>;
    expect(Object.keys(obj), path).toEqual(expected.dict.map(([k]) => k));
    for (const [k, v] of expected.dict) compare(obj[k], v, `${path}.${k}`, storages);
  } else if ('list' in expected) {
    expect(Array.isArray(actual), path).toBe(true);
    const arr = actual as unknown[];
    expect(arr.length, path).toBe(expected.list.length);
    expected.list.forEach((v, i) => compare(arr[i], v, `${path}[${i}]`, storages));
  } else if ('int' in expected) {
    const want = BigInt(expected.int);
    const safe = want >= BigInt(Number.MIN_SAFE_INTEGER) && want <= BigInt(Number.MAX_SAFE_INTEGER);
    expect(actual, path).toBe(safe ? Number(want) : want);
  } else {
    expect(Object.is(actual, number(expected.value)), `${path}: ${String(actual)}`).toBe(true);
  }
}

describe("io.load: PyTorch 1.13's torch.save files", () => {
  for (const c of golden.cases) {
    it(`${c.name}: ${c.note}`, () => {
      const bytes = bytesOf(c.file);
      if (c.refused) {
        expect(() => io.load(bytes)).toThrow(
          new RegExp(`io\\.load: refuses to load '${c.refused.replace(' ', '\\.')}'`),
        );
        return;
      }
      if (c.error) {
        expect(() => io.load(bytes)).toThrow(new RegExp(`^io\\.load: .*${c.error}`));
        return;
      }
      compare(io.load(bytes), c.expected!, c.name);
      // An ArrayBuffer works as well as a Uint8Array (a Node Buffer is one).
      compare(io.load(bytes.slice().buffer), c.expected!, c.name);
    });
  }

  for (const c of golden.cases.filter((c) => c.sameBytes)) {
    it(`io.save writes torch.save's bytes: ${c.name}`, () => {
      const bytes = bytesOf(c.file);
      const written = io.save(io.load(bytes));
      const first = written.findIndex((b, i) => b !== bytes[i]);
      expect(first, `first differing byte ${first} of ${written.length} / ${bytes.length}`).toBe(
        written.length === bytes.length ? -1 : Math.min(written.length, bytes.length),
      );
      expect(written.length).toBe(bytes.length);
    });
  }

  it("feeds nnkit's loadStateDict: the checkpoint's Linear and Adam state", () => {
    const ck = io.load(bytesOf('torch/checkpoint.pt')) as {
      model: Record<string, Tensor>;
      optimizer: Record<string, unknown>;
    };
    const model = new nn.Linear(2, 2);
    expect(model.loadStateDict(ck.model)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(model.weight.toArray()).toEqual(ck.model.weight.toArray());
    const opt = new optim.Adam(model.parameters(), { lr: 0.5 });
    opt.loadStateDict(ck.optimizer as never);
    expect(opt.paramGroups[0].lr).toBe(1e-3);
  });

  it('refuses what is not a torch.save file, with the reason', () => {
    expect(() => io.load(new Uint8Array(10))).toThrow(
      /io\.load: not a PyTorch file .*end-of-central-directory/,
    );
    const safetensors = io.saveSafetensors({ w: new Tensor(new Float32Array(2), [2]) });
    expect(() => io.load(safetensors)).toThrow(/io\.load: not a PyTorch file/);
    expect(() => io.load('model.pt' as never)).toThrow(
      /io\.load: bytes must be a Uint8Array or an ArrayBuffer, got /,
    );
  });
});

describe('io.load on damaged files: an io.load error or a value, nothing else', () => {
  const expectContained = (f: () => unknown, label: string) => {
    try {
      f();
    } catch (e) {
      expect(e, label).toBeInstanceOf(Error);
      expect((e as Error).constructor, `${label}: ${(e as Error).message}`).toBe(Error);
      expect((e as Error).message, label).toMatch(/^io\.load: /);
    }
  };

  it('every truncation of a state dict file', () => {
    const bytes = bytesOf('torch/sequential_state_dict.pt');
    for (let n = 0; n < bytes.length; n++) {
      expect(() => io.load(bytes.subarray(0, n)), `first ${n} bytes`).toThrow(/^io\.load: /);
    }
  });

  it('5,000 single corrupted bytes in each file', () => {
    const g = new MT19937(2024);
    for (const c of golden.cases) {
      const bytes = bytesOf(c.file);
      for (let i = 0; i < 5000; i++) {
        const copy = bytes.slice();
        const at = g.nextUint32() % copy.length;
        copy[at] = g.nextUint32() & 0xff;
        expectContained(() => io.load(copy), `${c.name}, byte ${at} = ${copy[at]}`);
      }
    }
  });
});

describe('io.loadFile reads torch.save state dicts too', () => {
  const file = (name: string) => join(import.meta.dirname, 'golden', 'torch', name);

  it('a state dict, by its ZIP signature', async () => {
    const state = await io.loadFile(file('sequential_state_dict.pt'));
    const direct = io.load(bytesOf('torch/sequential_state_dict.pt')) as Record<string, Tensor>;
    expect(Object.keys(state)).toEqual(Object.keys(direct));
    for (const k of Object.keys(state)) expect(state[k].toArray()).toEqual(direct[k].toArray());
  });

  it('refuses a checkpoint, naming the first value that is not a tensor', async () => {
    await expect(io.loadFile(file('checkpoint.pt'))).rejects.toThrow(
      /io\.loadFile: '.*checkpoint\.pt': 'model' is .*, not a tensor: not a state dict; read it with io\.load/,
    );
    await expect(io.loadFile(file('parameter.pt'))).rejects.toThrow(
      /io\.loadFile: '.*parameter\.pt': the file holds a Tensor, not a state dict/,
    );
  });

  it('io.saveFile writes a .pt, .pth or .bin in torch.save format, safetensors otherwise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnkit-pt-'));
    try {
      const model = new nn.Sequential(new nn.Linear(3, 2), new nn.PReLU());
      for (const name of ['m.pt', 'm.PTH', 'pytorch_model.bin']) {
        await io.saveFile(model.stateDict(), join(dir, name));
        const bytes = new Uint8Array(readFileSync(join(dir, name)));
        expect(Array.from(bytes.subarray(0, 4)), name).toEqual([0x50, 0x4b, 3, 4]);
        expect(bytes).toEqual(io.save(model.stateDict()));
        const back = await io.loadFile(join(dir, name));
        expect(new nn.Sequential(new nn.Linear(3, 2), new nn.PReLU()).loadStateDict(back)).toEqual({
          missingKeys: [],
          unexpectedKeys: [],
        });
      }
      await io.saveFile(model.stateDict(), join(dir, 'm.safetensors'));
      expect(readFileSync(join(dir, 'm.safetensors'))[0]).not.toBe(0x50);
      await expect(
        io.saveFile(model.stateDict(), join(dir, 'x.pt'), { format: 'pt' }),
      ).rejects.toThrow(/io\.saveFile: '.*x\.pt': metadata is a safetensors feature/);
      await expect(io.saveFile({ epoch: 3 } as never, join(dir, 'y.pt'))).rejects.toThrow(
        /io\.saveFile: '.*y\.pt': 'epoch' is 3, not a tensor: not a state dict; save other values with io\.save/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('io.save', () => {
  it('writes views as views of one storage, and io.load shares it again', () => {
    const w = arange(6, { dtype: 'float32' }).reshape(2, 3);
    const saved = { w, wt: w.t(), col: w.narrow(1, 1, 1), flat: w.reshape(6) };
    const back = io.load(io.save(saved)) as Record<string, Tensor>;
    for (const [k, t] of Object.entries(saved)) {
      expect([back[k].toArray(), back[k].stride(), back[k].storageOffset()], k).toEqual([
        t.toArray(),
        t.stride(),
        t.storageOffset(),
      ]);
      expect(back[k]._storage, k).toBe(back.w._storage);
    }
    // An in-place write through one shows in the others, as after torch.load.
    back.wt.mul_(10);
    expect(back.w.toArray()).toEqual([
      [0, 10, 20],
      [30, 40, 50],
    ]);
    expect(back.col.toArray()).toEqual([[10], [40]]);
    // A narrow view saves its whole storage, as torch.save does.
    const narrow = io.load(io.save({ c: w.narrow(1, 1, 1) })) as Record<string, Tensor>;
    expect(narrow.c._storage.length).toBe(6);
  });

  it('round-trips plain values and tensors of every dtype through io.load', () => {
    const value = {
      w: new Tensor(new Float32Array([1.5, -0, NaN, Infinity]), [2, 2]),
      d: new Tensor(new Float64Array([1e-300]), []),
      i: new Tensor(new Int32Array([-(2 ** 31), 7]), [2]),
      view: new Tensor(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]).t(),
      list: [1, -1, 2 ** 31, 2 ** 53 - 1, 2n ** 70n, -(2n ** 64n), 0.5, -0, 'ü', true, false, null],
      nested: { '0': { step: 3 }, '17': 'x', '-4': 'neg', '01': 'text', '': 'empty' },
      many: Array.from({ length: 2500 }, (_, k) => k),
    };
    const back = io.load(io.save(value)) as typeof value;
    for (const k of ['w', 'd', 'i', 'view'] as const) {
      expect(back[k].dtype, k).toBe(value[k].dtype);
      expect(back[k].shape, k).toEqual(value[k].shape);
      expect(back[k].toArray(), k).toEqual(value[k].toArray());
    }
    expect(back.list).toEqual([
      1,
      -1,
      2 ** 31,
      2 ** 53 - 1,
      2n ** 70n,
      -(2n ** 64n),
      0.5,
      -0,
      'ü',
      true,
      false,
      null,
    ]);
    expect(Object.is(back.list[7], -0)).toBe(true);
    expect(back.nested).toEqual(value.nested);
    expect(back.many).toEqual(value.many);
  });

  it('refuses what torch.save cannot hold, naming where it is', () => {
    expect(() => io.save({ a: { b: [1, () => 0] } } as never)).toThrow(
      /io\.save: the value\.a\.b\[1\] is a function; torch\.save files hold tensors, plain objects/,
    );
    expect(() => io.save({ m: new Map() } as never)).toThrow(/io\.save: the value\.m is /);
    expect(() => io.save({ u: undefined } as never)).toThrow(/io\.save: the value\.u is undefined/);
    const cyclic: Record<string, unknown> = { w: [] };
    (cyclic.w as unknown[]).push(cyclic);
    expect(() => io.save(cyclic as never)).toThrow(
      /io\.save: the value\.w\[0\] contains itself \(a cycle\)/,
    );
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(() => io.save(deep as never)).toThrow(
      /io\.save: the value[[\]0]+… is nested more than 1000 levels deep/,
    );
    let ok: unknown = 'leaf';
    for (let i = 0; i < 999; i++) ok = { k: ok };
    let back: unknown = io.load(io.save(ok as never));
    for (let i = 0; i < 999; i++) back = (back as { k: unknown }).k;
    expect(back).toBe('leaf');
    // The same object twice is not a cycle: it is written twice.
    const shared = { a: 1 };
    expect(io.load(io.save({ x: shared, y: shared }))).toEqual({ x: { a: 1 }, y: { a: 1 } });
  });
});
