/**
 * Safetensors: files written by PyTorch (scripts/golden/safetensors.py) load
 * into the matching nnkit modules bit for bit and give PyTorch's outputs;
 * nnkit writes the reference layout byte for byte (the files under
 * test/golden/safetensors/nnkit/ were checked in PyTorch by the script's
 * `check` mode); every malformed file is refused with its message before any
 * tensor is allocated, and a failed load leaves the module unchanged.
 *
 * To re-check nnkit's files in PyTorch:
 *   NNKIT_SAFETENSORS_OUT=/tmp/st npx vitest run test/io-safetensors.test.ts
 *   /usr/bin/python3 scripts/golden/safetensors.py check /tmp/st
 * With NNKIT_SAFETENSORS_OUT=test/golden/safetensors/nnkit the run rewrites
 * the committed files (then check them with the script before committing).
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, manualSeed, nn, randn, tensor, zeros, type Tensor } from '../src/index.js';
import { decodeTensor, expectClose, type EncodedTensor } from './helpers/golden.js';

const DIR = join(import.meta.dirname, 'golden', 'safetensors');
const NNKIT_DIR = join(DIR, 'nnkit');
const readBytes = (path: string): Uint8Array => new Uint8Array(readFileSync(path));
const golden = (name: string): Uint8Array => readBytes(join(DIR, `${name}.safetensors`));

interface Expected {
  torch_version: string;
  sequential: { state: Record<string, EncodedTensor>; input: EncodedTensor; output: EncodedTensor };
  adaptive: {
    state: Record<string, EncodedTensor>;
    input: EncodedTensor;
    target: EncodedTensor;
    output: EncodedTensor;
    loss: EncodedTensor;
    logProb: EncodedTensor;
  };
  buffers: { state: Record<string, EncodedTensor>; input: EncodedTensor; output: EncodedTensor };
  half: Record<string, { shape: number[]; bits: number[] }>;
  ints: Record<string, EncodedTensor>;
}
const expected = JSON.parse(readFileSync(join(DIR, '..', 'safetensors.json'), 'utf8')) as Expected;

// ---- the modules of scripts/golden/safetensors.py ---------------------------

const makeSequential = (): nn.Sequential =>
  new nn.Sequential(new nn.Linear(4, 3), new nn.PReLU({ numParameters: 3 }), new nn.Linear(3, 2));

const makeAdaptive = (): nn.AdaptiveLogSoftmaxWithLoss =>
  new nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6], { divValue: 2, headBias: true });

/** PyTorch's `Buffers`: a float64 Linear, a float64 buffer and an int64 (here int32) buffer. */
class Buffers extends nn.Module {
  readonly linear = this.registerModule('linear', new nn.Linear(3, 2, { dtype: 'float64' }));
  constructor() {
    super();
    this.registerBuffer('scale', zeros([7], { dtype: 'float64' }));
    this.registerBuffer('steps', zeros([6], { dtype: 'int32' }));
  }
  forward(x: Tensor): Tensor {
    return this.linear.forward(x);
  }
}

// ---- helpers ----------------------------------------------------------------

function bytesOf(t: Tensor): Uint8Array {
  return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

/** Same dtype, shape and bytes: bit-identical. */
function expectSameBits(actual: Tensor, want: Tensor, label: string): void {
  expect(actual.dtype, `${label}: dtype`).toBe(want.dtype);
  expect(actual.shape, `${label}: shape`).toEqual(want.shape);
  expect(Buffer.from(bytesOf(actual)).equals(Buffer.from(bytesOf(want))), `${label}: bits`).toBe(
    true,
  );
}

function expectState(m: nn.Module, state: Record<string, EncodedTensor>): void {
  const got = m.stateDict();
  expect(Object.keys(got).sort()).toEqual(Object.keys(state).sort());
  for (const [k, e] of Object.entries(state)) expectSameBits(got[k], decodeTensor(e), k);
}

/** A copy of every parameter's and buffer's bytes, to prove a failed load wrote nothing. */
function snapshot(m: nn.Module): Map<string, Uint8Array> {
  return new Map(Object.entries(m.stateDict()).map(([k, t]) => [k, bytesOf(t).slice()]));
}

function expectUnchanged(m: nn.Module, snap: Map<string, Uint8Array>): void {
  const now = m.stateDict();
  for (const [k, b] of snap) {
    expect(Buffer.from(bytesOf(now[k])).equals(Buffer.from(b)), `${k} unchanged`).toBe(true);
  }
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, none was thrown');
}

async function asyncErrorOf(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, none was thrown');
}

/** A file from header text (or a JSON value) and data bytes (or a length, filled 1, 2, 3, ...). */
function file(
  header: string | object | Uint8Array,
  data: Uint8Array | number = 12,
  length?: bigint,
): Uint8Array {
  const text =
    header instanceof Uint8Array
      ? header
      : new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const body = typeof data === 'number' ? Uint8Array.from({ length: data }, (_, i) => i + 1) : data;
  const out = new Uint8Array(8 + text.length + body.length);
  new DataView(out.buffer).setBigUint64(0, length ?? BigInt(text.length), true);
  out.set(text, 8);
  out.set(body, 8 + text.length);
  return out;
}

const load = (bytes: Uint8Array) => io.loadSafetensors(bytes);
const PREFIX = 'io.loadSafetensors: ';

// ---- PyTorch → nnkit ----------------------------------------------------------

describe(`safetensors written by PyTorch ${expected.torch_version}`, () => {
  it("nn.Sequential(Linear, PReLU, Linear): bit-identical weights, PyTorch's output", () => {
    const m = makeSequential();
    const res = m.loadStateDict(load(golden('sequential')));
    expect(res).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expectState(m, expected.sequential.state);
    expectClose(
      m.forward(decodeTensor(expected.sequential.input)),
      expected.sequential.output,
      'output',
    );
    expect(io.safetensorsMetadata(golden('sequential'))).toEqual({ format: 'pt' });
    expect(io.safetensorsMetadata(golden('adaptive'))).toBeNull();
  });

  it('nn.AdaptiveLogSoftmaxWithLoss: head and tail weights, output, loss and logProb', () => {
    const m = makeAdaptive();
    m.loadStateDict(load(golden('adaptive')));
    expectState(m, expected.adaptive.state);
    const e = expected.adaptive;
    const { output, loss } = m.forward(decodeTensor(e.input), decodeTensor(e.target));
    expectClose(output, e.output, 'output');
    expectClose(loss, e.loss, 'loss');
    expectClose(m.logProb(decodeTensor(e.input)), e.logProb, 'logProb');
  });

  it('float64 weights, NaN/±Infinity/−0/subnormal buffer values and an int64 buffer', () => {
    const m = new Buffers();
    const state = load(golden('buffers'));
    expect(state.steps.dtype).toBe('int32');
    m.loadStateDict(state);
    expectState(m, expected.buffers.state);
    expect(Array.from(m.stateDict().steps.data)).toEqual([
      0,
      1,
      -1,
      2 ** 31 - 1,
      -(2 ** 31),
      12345,
    ]);
    expectClose(m.forward(decodeTensor(expected.buffers.input)), expected.buffers.output, 'output');
  });

  it("F16 and BF16 widen exactly to float32 (bits as PyTorch's .float())", () => {
    const t = load(golden('half'));
    for (const [k, e] of Object.entries(expected.half)) {
      expect(t[k].dtype).toBe('float32');
      expect(t[k].shape).toEqual(e.shape);
      expect(
        Array.from(new Uint32Array(t[k].data.buffer, t[k].data.byteOffset, t[k].size)),
      ).toEqual(e.bits);
    }
  });

  it('every float16 bit pattern widens to its exact value', () => {
    // An independent decoding: (−1)^s · 2^(e−15) · (1 + m/1024), subnormals m · 2^−24.
    const all = new Uint8Array(2 * 65536);
    const dv = new DataView(all.buffer);
    for (let h = 0; h < 65536; h++) dv.setUint16(2 * h, h, true);
    const t = load(
      file({ h: { dtype: 'F16', shape: [65536], data_offsets: [0, all.length] } }, all),
    );
    const bits = new Uint32Array(t.h.data.buffer, t.h.data.byteOffset, 65536);
    for (let h = 0; h < 65536; h++) {
      const s = h >> 15 ? -1 : 1;
      const e = (h >> 10) & 31;
      const m = h & 1023;
      const v = t.h.data[h];
      if (e === 31 && m !== 0) {
        expect(bits[h], `0x${h.toString(16)}`).toBe(
          (((h >> 15) << 31) >>> 0) + 0x7f800000 + (m << 13),
        );
      } else {
        const want =
          e === 31 ? s * Infinity : e === 0 ? s * m * 2 ** -24 : s * 2 ** (e - 15) * (1 + m / 1024);
        if (!Object.is(v, want)) expect.fail(`0x${h.toString(16)}: got ${v}, want ${want}`);
      }
    }
  });

  it('BOOL, U8, I8, I16, I32 and I64 load as int32', () => {
    const t = load(golden('ints'));
    for (const [k, e] of Object.entries(expected.ints)) expectSameBits(t[k], decodeTensor(e), k);
  });

  it('an I64 value outside int32 is an error naming the tensor, before the module is touched', () => {
    const bytes = golden('int64-overflow');
    const msg = `${PREFIX}tensor 'counts': I64 value 2147483648 at index 2 does not fit in int32 (nnkit's integer dtype)`;
    expect(errorOf(() => load(bytes))).toBe(msg);
  });

  it('io.loadFile and io.saveFile name themselves in file-system errors, keeping the code', async () => {
    const missing = join(DIR, 'no-such-file.safetensors');
    await expect(io.loadFile(missing)).rejects.toThrow(
      /^io\.loadFile: ENOENT: no such file or directory/,
    );
    await expect(io.loadFile(missing)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(
      io.saveFile({ a: tensor([1]) }, join(DIR, 'no-such-dir', 'a.safetensors')),
    ).rejects.toThrow(/^io\.saveFile: ENOENT/);
  });
  it('io.loadFile reads the same tensors from disk', async () => {
    const fromFile = await io.loadFile(join(DIR, 'adaptive.safetensors'));
    const fromBytes = load(golden('adaptive'));
    expect(Object.keys(fromFile)).toEqual(Object.keys(fromBytes));
    for (const k of Object.keys(fromBytes)) expectSameBits(fromFile[k], fromBytes[k], k);
  });
  it('io.loadFile and io.saveFile work without process.getBuiltinModule (Node 20.0 to 20.15)', async () => {
    const proc = process as { getBuiltinModule?: unknown };
    const saved = Object.getOwnPropertyDescriptor(process, 'getBuiltinModule');
    Object.defineProperty(process, 'getBuiltinModule', { value: undefined, configurable: true });
    const dir = mkdtempSync(join(tmpdir(), 'nnkit-st-'));
    try {
      expect(proc.getBuiltinModule).toBeUndefined();
      await io.saveFile(load(golden('adaptive')), join(dir, 'a.safetensors'));
      const back = await io.loadFile(join(dir, 'a.safetensors'));
      expect(Buffer.from(io.saveSafetensors(back))).toEqual(Buffer.from(golden('adaptive')));
    } finally {
      if (saved) Object.defineProperty(process, 'getBuiltinModule', saved);
      else delete proc.getBuiltinModule;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---- nnkit → PyTorch ----------------------------------------------------------

/** The files that scripts/golden/safetensors.py `check` verifies in PyTorch. */
function nnkitFiles(): Record<
  string,
  { tensors: Record<string, Tensor>; metadata?: Record<string, string> }
> {
  const seq = makeSequential();
  seq.loadStateDict(load(golden('sequential')));
  const ada = makeAdaptive();
  ada.loadStateDict(load(golden('adaptive')));
  const buf = new Buffers();
  buf.loadStateDict(load(golden('buffers')));
  manualSeed(1234);
  const init = makeSequential();
  const input = randn([5, 4]);
  return {
    sequential: { tensors: seq.stateDict(), metadata: { format: 'pt' } },
    adaptive: { tensors: ada.stateDict() },
    buffers: { tensors: buf.stateDict() },
    init: { tensors: init.stateDict(), metadata: { format: 'pt' } },
    'init-io': { tensors: { input, output: init.forward(input) } },
  };
}

describe('safetensors written by nnkit', () => {
  const out = process.env.NNKIT_SAFETENSORS_OUT ?? mkdtempSync(join(tmpdir(), 'nnkit-st-'));
  afterAll(() => {
    if (!process.env.NNKIT_SAFETENSORS_OUT) rmSync(out, { recursive: true, force: true });
  });

  it('re-saving a PyTorch file reproduces its bytes exactly (the reference layout)', () => {
    expect(Buffer.from(io.saveSafetensors(load(golden('sequential')), { format: 'pt' }))).toEqual(
      Buffer.from(golden('sequential')),
    );
    expect(Buffer.from(io.saveSafetensors(load(golden('adaptive'))))).toEqual(
      Buffer.from(golden('adaptive')),
    );
  });

  it('io.saveFile writes the files that PyTorch read back (committed, checked by the script)', async () => {
    mkdirSync(out, { recursive: true });
    for (const [name, { tensors, metadata }] of Object.entries(nnkitFiles())) {
      const path = join(out, `${name}.safetensors`);
      await io.saveFile(tensors, path, metadata);
      const bytes = readBytes(path);
      expect(Buffer.from(bytes)).toEqual(Buffer.from(io.saveSafetensors(tensors, metadata)));
      const committed = readBytes(join(NNKIT_DIR, `${name}.safetensors`));
      if (name === 'init-io') {
        // The output depends on the backend's rounding: equal within float32 tolerance.
        const mine = load(bytes);
        const theirs = load(committed);
        expectSameBits(mine.input, theirs.input, 'input');
        expectClose(mine.output, io.tensorToJSON(theirs.output), 'output');
      } else {
        expect(Buffer.from(bytes), name).toEqual(Buffer.from(committed));
      }
    }
  });

  it('sorts as the reference writer: float64, float32, int32, then by UTF-8 name', () => {
    const bytes = io.saveSafetensors({
      b: tensor([1], { dtype: 'int32' }),
      é: tensor([1]),
      '\u{1F600}': tensor([1]),
      '\uFFFD': tensor([1]),
      z: tensor([1]),
      a: tensor([1], { dtype: 'float64' }),
    });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(header.trimEnd()).toBe(
      '{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},' +
        '"z":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},' +
        '"é":{"dtype":"F32","shape":[1],"data_offsets":[12,16]},' +
        '"\uFFFD":{"dtype":"F32","shape":[1],"data_offsets":[16,20]},' +
        '"\u{1F600}":{"dtype":"F32","shape":[1],"data_offsets":[20,24]},' +
        '"b":{"dtype":"I32","shape":[1],"data_offsets":[24,28]}}',
    );
    expect(header.length - header.trimEnd().length).toBeLessThan(8);
  });

  it('writes an empty state dict and a scalar, and reads them back', () => {
    expect(Array.from(io.saveSafetensors({}))).toEqual([
      8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32,
    ]);
    expect(load(io.saveSafetensors({}))).toEqual({});
    const back = load(io.saveSafetensors({ s: tensor(2.5), e: zeros([0, 4]) }));
    expect(back.s.shape).toEqual([]);
    expect(back.s.item()).toBe(2.5);
    expect(back.e.shape).toEqual([0, 4]);
    const ab = io.saveSafetensors({ x: tensor([1, 2]) }).buffer as ArrayBuffer;
    expect(io.loadSafetensors(ab).x.toArray()).toEqual([1, 2]);
  });

  it('refuses what it cannot write', () => {
    const w = 'io.saveSafetensors: ';
    expect(errorOf(() => io.saveSafetensors({ a: [1, 2] } as never))).toBe(
      `${w}tensors['a'] must be a Tensor, got an array of 2`,
    );
    expect(errorOf(() => io.saveSafetensors({ __metadata__: tensor([1]) }))).toBe(
      `${w}'__metadata__' is reserved for the metadata and cannot name a tensor`,
    );
    expect(errorOf(() => io.saveSafetensors({ '\uD800': tensor([1]) }))).toBe(
      `${w}the tensor name "\\ud800" is not valid Unicode`,
    );
    expect(errorOf(() => io.saveSafetensors({}, { format: 1 } as never))).toBe(
      `${w}metadata['format'] must be a string, got 1`,
    );
    expect(errorOf(() => io.saveSafetensors(tensor([1]) as never))).toBe(
      `${w}tensors must be an object of Tensors by name, got a Tensor`,
    );
  });
});

// ---- malformed files ------------------------------------------------------------

describe('malformed safetensors files: a clear error, nothing allocated, the module unchanged', () => {
  // A valid file for nn.Linear(2, 1): weight [1, 2] at [0, 8), bias [1] at [8, 12).
  const W = { dtype: 'F32', shape: [1, 2], data_offsets: [0, 8] };
  const B = { dtype: 'F32', shape: [1], data_offsets: [8, 12] };
  const good = io.saveSafetensors({ weight: tensor([[1, 2]]), bias: tensor([3]) });
  const hdr = (h: string) =>
    h.replaceAll('$W', JSON.stringify(W)).replaceAll('$B', JSON.stringify(B));
  const goodN = Number(new DataView(good.buffer).getBigUint64(0, true));
  const pastEnd = file(hdr('{"weight":$W,"bias":$B}'), 12, 1000n);
  const withLength = (len: bigint, total = 16) => {
    const b = new Uint8Array(total);
    new DataView(b.buffer).setBigUint64(0, len, true);
    return b;
  };

  const cases: [string, Uint8Array, string][] = [
    [
      'an empty file',
      new Uint8Array(0),
      'the file is 0 bytes, too short for the 8-byte header length',
    ],
    [
      'a file cut inside the length',
      good.subarray(0, 5),
      'the file is 5 bytes, too short for the 8-byte header length',
    ],
    [
      'a file cut inside the data',
      good.subarray(0, good.length - 2),
      "tensor 'weight': data_offsets [4, 12] run past the end of the data (10 bytes after the header)",
    ],
    [
      'a file cut inside the header',
      good.subarray(0, 20),
      `header length ${goodN} bytes runs past the end of the file (20 bytes, so at most 12 after the length)`,
    ],
    [
      'a header length past the end',
      pastEnd,
      `header length 1000 bytes runs past the end of the file (${pastEnd.length} bytes, so at most ${pastEnd.length - 8} after the length)`,
    ],
    [
      'a header of 4 GB',
      withLength(2n ** 32n),
      'header length 4294967296 bytes is over the limit of 100000000 bytes (a corrupt or non-safetensors file)',
    ],
    [
      'a header of 2^64 − 1 bytes',
      withLength(2n ** 64n - 1n),
      'header length 18446744073709551615 bytes is over the limit of 100000000 bytes (a corrupt or non-safetensors file)',
    ],
    [
      'a header just over 100 MB',
      withLength(100_000_001n),
      'header length 100000001 bytes is over the limit of 100000000 bytes (a corrupt or non-safetensors file)',
    ],
    [
      'a header that is not UTF-8',
      file(new Uint8Array([0x7b, 0xff, 0x7d]), 0),
      'the header is not valid UTF-8',
    ],
    [
      'a header with a byte-order mark',
      file('\uFEFF{}', 0),
      `the header is not valid JSON (${errorOf(() => JSON.parse('\uFEFF{}'))})`,
    ],
    [
      'a header that is not JSON',
      file('{"weight": ', 0),
      `the header is not valid JSON (${errorOf(() => JSON.parse('{"weight": '))})`,
    ],
    ['a header that is an array', file('[1, 2]', 0), 'the header must be a JSON object, got [1,2]'],
    [
      'a tensor given twice',
      file(hdr('{"weight":$W,"weight":$W,"bias":$B}')),
      "the header has the key 'weight' twice, at the top level",
    ],
    [
      'a tensor given twice, once escaped',
      file(hdr('{"weight":$W,"\\u0077eight":$W,"bias":$B}')),
      "the header has the key 'weight' twice, at the top level",
    ],
    [
      'a field given twice',
      file(
        hdr(
          '{"weight":{"dtype":"F32","dtype":"F64","shape":[1,2],"data_offsets":[0,8]},"bias":$B}',
        ),
      ),
      "the header has the key 'dtype' twice, in the entry of tensor 'weight'",
    ],
    [
      'a metadata key given twice',
      file(hdr('{"__metadata__":{"a":"1","a":"2"},"weight":$W,"bias":$B}')),
      "the header has the key 'a' twice, in __metadata__",
    ],
    [
      'the key __proto__',
      file(
        hdr(
          '{"weight":$W,"bias":$B,"__proto__":{"dtype":"F32","shape":[0],"data_offsets":[12,12]}}',
        ),
      ),
      "the tensor name '__proto__' is not allowed (a JavaScript object cannot hold it as a key)",
    ],
    [
      'metadata that is not strings',
      file(hdr('{"__metadata__":{"format":1},"weight":$W,"bias":$B}')),
      "__metadata__ value of 'format' must be a string, got 1",
    ],
    [
      'metadata that is not an object',
      file(hdr('{"__metadata__":"pt","weight":$W,"bias":$B}')),
      "__metadata__ must be an object of strings, got 'pt'",
    ],
    [
      'an entry that is not an object',
      file(hdr('{"weight":[0,8],"bias":$B}')),
      "tensor 'weight': the header entry must be an object { dtype, shape, data_offsets }, got [0,8]",
    ],
    [
      'an unknown dtype',
      file(hdr('{"weight":{"dtype":"F128","shape":[1,2],"data_offsets":[0,8]},"bias":$B}')),
      "tensor 'weight': unknown dtype 'F128' (nnkit reads F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)",
    ],
    [
      'a dtype that is not a string',
      file(hdr('{"weight":{"dtype":4,"shape":[1,2],"data_offsets":[0,8]},"bias":$B}')),
      "tensor 'weight': unknown dtype 4 (nnkit reads F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)",
    ],
    [
      'an unsupported dtype',
      file(hdr('{"weight":{"dtype":"F8_E4M3","shape":[1,8],"data_offsets":[0,8]},"bias":$B}')),
      "tensor 'weight': dtype 'F8_E4M3' is not supported (nnkit reads F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)",
    ],
    [
      'a missing shape',
      file(hdr('{"weight":{"dtype":"F32","data_offsets":[0,8]},"bias":$B}')),
      "tensor 'weight': shape must be an array of non-negative integers, got undefined",
    ],
    [
      'a negative dimension',
      file(hdr('{"weight":{"dtype":"F32","shape":[-1,-2],"data_offsets":[0,8]},"bias":$B}')),
      "tensor 'weight': shape must be an array of non-negative integers, got [-1,-2]",
    ],
    [
      'a fractional dimension',
      file(hdr('{"weight":{"dtype":"F32","shape":[0.5,4],"data_offsets":[0,8]},"bias":$B}')),
      "tensor 'weight': shape must be an array of non-negative integers, got [0.5,4]",
    ],
    [
      'begin after end',
      file(hdr('{"weight":{"dtype":"F32","shape":[1,2],"data_offsets":[8,0]},"bias":$B}')),
      "tensor 'weight': data_offsets must be [begin, end] with integers 0 ≤ begin ≤ end, got [8,0]",
    ],
    [
      'a negative offset',
      file(hdr('{"weight":{"dtype":"F32","shape":[1,2],"data_offsets":[-8,0]},"bias":$B}')),
      "tensor 'weight': data_offsets must be [begin, end] with integers 0 ≤ begin ≤ end, got [-8,0]",
    ],
    [
      'one offset',
      file(hdr('{"weight":{"dtype":"F32","shape":[1,2],"data_offsets":[0]},"bias":$B}')),
      "tensor 'weight': data_offsets must be [begin, end] with integers 0 ≤ begin ≤ end, got [0]",
    ],
    [
      'an offset beyond 2^53',
      file(
        hdr(
          '{"weight":{"dtype":"F32","shape":[1,2],"data_offsets":[0,9007199254740993]},"bias":$B}',
        ),
      ),
      "tensor 'weight': data_offsets must be [begin, end] with integers 0 ≤ begin ≤ end, got [0,9007199254740992]",
    ],
    [
      'offsets out of range',
      file(hdr('{"weight":$W,"bias":{"dtype":"F32","shape":[248],"data_offsets":[8,1000]}}')),
      "tensor 'bias': data_offsets [8, 1000] run past the end of the data (12 bytes after the header)",
    ],
    [
      'a shape that does not match the bytes',
      file(hdr('{"weight":{"dtype":"F32","shape":[1,3],"data_offsets":[0,8]},"bias":$B}')),
      "tensor 'weight': shape [1, 3] of F32 is 12 bytes, but data_offsets [0, 8] hold 8",
    ],
    [
      'a dtype that does not match the bytes',
      file(hdr('{"weight":{"dtype":"F64","shape":[1,2],"data_offsets":[0,8]},"bias":$B}')),
      "tensor 'weight': shape [1, 2] of F64 is 16 bytes, but data_offsets [0, 8] hold 8",
    ],
    [
      'a shape of 2^90 elements',
      file(
        hdr(
          '{"weight":{"dtype":"F32","shape":[1073741824,1073741824,1073741824],"data_offsets":[0,8]},"bias":$B}',
        ),
      ),
      "tensor 'weight': shape [1073741824,1073741824,1073741824] has too many elements",
    ],
    [
      'overlapping tensors',
      file(hdr('{"weight":$W,"bias":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}'), 8),
      "tensors 'weight' (data_offsets [0, 8]) and 'bias' ([4, 8]) overlap",
    ],
    [
      'tensors at the same offsets',
      file(hdr('{"weight":$W,"bias":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}'), 8),
      "tensors 'weight' (data_offsets [0, 8]) and 'bias' ([0, 8]) overlap",
    ],
    [
      'a gap between tensors',
      file(hdr('{"weight":$W,"bias":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}}'), 16),
      "bytes [8, 12) of the data belong to no tensor (between 'weight' and 'bias')",
    ],
    [
      'data not starting at 0',
      file(
        hdr(
          '{"weight":{"dtype":"F32","shape":[1,2],"data_offsets":[4,12]},"bias":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}}',
        ),
        16,
      ),
      "bytes [0, 4) of the data belong to no tensor (before 'weight')",
    ],
    [
      'trailing bytes',
      file(hdr('{"weight":$W,"bias":$B}'), 16),
      "bytes [12, 16) of the data belong to no tensor (after 'bias')",
    ],
    [
      'data but no tensors',
      file('{}', 4),
      'bytes [0, 4) of the data belong to no tensor (the header lists no tensors)',
    ],
    [
      'a BOOL byte that is not 0 or 1',
      file(
        hdr('{"weight":$W,"bias":$B,"mask":{"dtype":"BOOL","shape":[2],"data_offsets":[12,14]}}'),
        Uint8Array.of(...new Uint8Array(12), 1, 2),
      ),
      "tensor 'mask': BOOL byte 2 at index 1 is neither 0 nor 1",
    ],
  ];

  for (const [name, bytes, message] of cases) {
    it(name, () => {
      const m = new nn.Linear(2, 1);
      const snap = snapshot(m);
      expect(errorOf(() => m.loadStateDict(load(bytes)))).toBe(PREFIX + message);
      expectUnchanged(m, snap);
    });
  }

  it('the good file itself loads (the cases above differ from it only in their defect)', () => {
    const m = new nn.Linear(2, 1);
    m.loadStateDict(load(good));
    expect(m.weight.toArray()).toEqual([[1, 2]]);
    expect(load(file(hdr('{"weight":$W,"bias":$B}'))).bias.shape).toEqual([1]);
  });

  it('a header of gigabytes fails before the header is decoded', () => {
    const decode = vi.spyOn(TextDecoder.prototype, 'decode');
    try {
      expect(() => load(withLength(2n ** 32n))).toThrow(/over the limit/);
      expect(() => load(withLength(99_999_999n))).toThrow(/runs past the end of the file/);
      expect(decode).not.toHaveBeenCalled();
    } finally {
      decode.mockRestore();
    }
  });

  it('io.loadFile reads only the 8-byte length of a 6 GB file claiming a 4 GB header', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnkit-st-'));
    try {
      const path = join(dir, 'huge.safetensors');
      writeFileSync(path, withLength(2n ** 32n, 8));
      await truncate(path, 6 * 2 ** 30); // sparse: no disk used
      expect(await asyncErrorOf(() => io.loadFile(path))).toBe(
        `io.loadFile: '${path}': header length 4294967296 bytes is over the limit of 100000000 bytes (a corrupt or non-safetensors file)`,
      );
      const cut = join(dir, 'cut.safetensors');
      writeFileSync(cut, good.subarray(0, good.length - 2));
      expect(await asyncErrorOf(() => io.loadFile(cut))).toBe(
        `io.loadFile: '${cut}': tensor 'weight': data_offsets [4, 12] run past the end of the data (10 bytes after the header)`,
      );
      expect(await asyncErrorOf(() => io.loadFile(join(dir, 'missing.safetensors')))).toMatch(
        /ENOENT/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses what is not bytes', () => {
    expect(errorOf(() => io.loadSafetensors('model.safetensors' as never))).toBe(
      `${PREFIX}bytes must be a Uint8Array or an ArrayBuffer, got 'model.safetensors'`,
    );
  });
});

// ---- a file that parses but does not fit the module ---------------------------

describe('loading into a module is all or nothing', () => {
  const save = io.saveSafetensors;

  it('a wrong shape in the last key writes nothing', () => {
    const m = makeSequential();
    const snap = snapshot(m);
    const state = makeSequential().stateDict();
    state['2.bias'] = zeros([3]);
    expect(errorOf(() => m.loadStateDict(load(save(state))))).toBe(
      'Sequential.loadStateDict: size mismatch for 2.bias: got [3], expected [2]',
    );
    expectUnchanged(m, snap);
  });

  it('missing and unexpected keys: an error, or with strict false, skipped and returned', () => {
    const m = new nn.Linear(2, 1);
    const snap = snapshot(m);
    const bytes = save({ weight: tensor([[5, 6]]), extra: tensor([0]) });
    expect(errorOf(() => m.loadStateDict(load(bytes)))).toBe(
      'Linear.loadStateDict: missing keys: bias; unexpected keys: extra',
    );
    expectUnchanged(m, snap);
    expect(m.loadStateDict(load(bytes), false)).toEqual({
      missingKeys: ['bias'],
      unexpectedKeys: ['extra'],
    });
    expect(m.weight.toArray()).toEqual([[5, 6]]);
    expect(Buffer.from(bytesOf(m.bias!))).toEqual(Buffer.from(snap.get('bias')!));
  });

  it('NaN from a float file into an int32 buffer writes nothing', () => {
    const m = new Buffers();
    m.loadStateDict(load(golden('buffers')));
    const snap = snapshot(m);
    const state = load(golden('buffers'));
    state['linear.weight'] = zeros([2, 3], { dtype: 'float64' });
    state.steps = tensor([0, 1, NaN, 3, 4, 5]);
    expect(errorOf(() => m.loadStateDict(load(save(state))))).toBe(
      'Buffers.loadStateDict: steps: value NaN at index 2 cannot be stored in the int32 steps',
    );
    expectUnchanged(m, snap);
  });
});

// ---- in the browser ---------------------------------------------------------------

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);

describe('in a browser bundle', () => {
  let built: ReturnType<typeof buildBundle> | undefined;
  const bundle = () => (built ??= buildBundle());
  const buildBundle = async () => {
    const { build } = await import('esbuild');
    const out = await build({
      stdin: {
        contents: "import * as nnkit from './src/browser.ts'; window.nnkit = nnkit;",
        resolveDir: join(import.meta.dirname, '..'),
        loader: 'ts',
      },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    return out;
  };

  it('bundles for browsers with no Node built-in', async () => {
    const out = await bundle();
    const imports = Object.values(out.metafile.inputs).flatMap((i) => i.imports.map((x) => x.path));
    expect(
      imports.filter((p) => p.startsWith('node:') || p === 'fs' || p === 'fs/promises'),
    ).toEqual([]);
    expect(Object.keys(out.metafile.inputs)).toContain('src/io/node.ts');
  });

  it.skipIf(!haveChromium)(
    `writes and reads bytes in headless Chromium${haveChromium ? '' : ` (skipped: ${CHROMIUM} not installed)`}`,
    async () => {
      const js = (await bundle()).outputFiles[0].text;
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
        ],
      });
      try {
        const page = await browser.newPage();
        await page.setContent('<!doctype html><meta charset="utf-8">');
        await page.addScriptTag({ content: js, type: 'module' });
        await page.waitForFunction(() => 'nnkit' in window);
        const file = Array.from(golden('sequential'));
        const got = await page.evaluate(async (bytes: number[]) => {
          type Lib = typeof import('../src/index.js');
          const nk = (window as unknown as { nnkit: Lib }).nnkit;
          const m = new nk.nn.Sequential(
            new nk.nn.Linear(4, 3),
            new nk.nn.PReLU({ numParameters: 3 }),
            new nk.nn.Linear(3, 2),
          );
          m.loadStateDict(nk.io.loadSafetensors(new Uint8Array(bytes)));
          const again = nk.io.saveSafetensors(m.stateDict(), { format: 'pt' });
          let fileError = '';
          try {
            await nk.io.loadFile('model.safetensors');
          } catch (e) {
            fileError = (e as Error).message;
          }
          return { again: Array.from(again), json: JSON.stringify(m.stateDict()), fileError };
        }, file);
        expect(got.again).toEqual(file);
        expect(JSON.parse(got.json)['1.weight']).toEqual(
          io.tensorToJSON(load(golden('sequential'))['1.weight']),
        );
        expect(got.fileError).toBe(
          "io.loadFile: files need Node.js; in a browser use io.saveSafetensors / io.loadSafetensors with the file's bytes",
        );
      } finally {
        await browser.close();
      }
    },
  );
});
