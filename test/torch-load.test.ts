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
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor, io, nn, optim } from '../src/index.js';
import { MT19937 } from '../src/tensor/mt19937.js';
import { expectExact, loadGolden, type EncodedTensor } from './helpers/golden.js';

type Expected =
  | { tensor: EncodedTensor }
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

function compare(actual: unknown, expected: Expected, path: string): void {
  if ('tensor' in expected) {
    expect(actual, path).toBeInstanceOf(Tensor);
    expectExact(actual as Tensor, expected.tensor, path);
  } else if ('dict' in expected) {
    expect(typeof actual, path).toBe('object');
    const obj = actual as Record<string, unknown>;
    expect(Object.keys(obj), path).toEqual(expected.dict.map(([k]) => k));
    for (const [k, v] of expected.dict) compare(obj[k], v, `${path}.${k}`);
  } else if ('list' in expected) {
    expect(Array.isArray(actual), path).toBe(true);
    const arr = actual as unknown[];
    expect(arr.length, path).toBe(expected.list.length);
    expected.list.forEach((v, i) => compare(arr[i], v, `${path}[${i}]`));
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
      compare(io.load(bytes), c.expected!, c.name);
      // An ArrayBuffer works as well as a Uint8Array (a Node Buffer is one).
      compare(io.load(bytes.slice().buffer), c.expected!, c.name);
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
      /io\.loadFile: '.*checkpoint\.pt': 'model' is a .*not a tensor: the file is a checkpoint/,
    );
    await expect(io.loadFile(file('parameter.pt'))).rejects.toThrow(
      /not a state dict; read it with io\.load/,
    );
  });
});
