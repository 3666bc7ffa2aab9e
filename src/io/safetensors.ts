/**
 * State dicts in Hugging Face's safetensors format, as bytes: the in-memory
 * half of Python's `safetensors.torch` (`save`, `load`), which works in
 * browsers and Node alike. The header checks are in `safetensors-header.ts`;
 * the Node file functions in `node.ts`.
 */
import { Tensor } from '../tensor/tensor.js';
import { allocUninit, type DType, type TypedArray } from '../tensor/dtype.js';
import { describeValue, isTensor } from '../signature/types.js';
import {
  MAX_HEADER_BYTES,
  parseHeader,
  readHeaderLength,
  type Header,
  type HeaderEntry,
} from './safetensors-header.js';

/** True when typed arrays store elements little-endian, as the format does (every common CPU). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The dtype names a saved file uses. */
const WRITE_DTYPES: Record<DType, { name: string; rank: number }> = {
  // `rank` is the order of the reference implementation's `Dtype` enum,
  // whose writer puts tensors of larger dtypes first.
  float64: { name: 'F64', rank: 2 },
  float32: { name: 'F32', rank: 1 },
  int32: { name: 'I32', rank: 0 },
};

function toBytes(bytes: unknown, where: string): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw new Error(
    `${where}: bytes must be a Uint8Array or an ArrayBuffer, got ${describeValue(bytes)}`,
  );
}

/** Splits a whole file into its checked header and its data buffer. */
export function readSafetensors(
  bytes: Uint8Array,
  where: string,
): { header: Header; data: Uint8Array } {
  const n = readHeaderLength(bytes, bytes.length, where);
  const header = parseHeader(bytes.subarray(8, 8 + n), bytes.length - 8 - n, where);
  return { header, data: bytes.subarray(8 + n) };
}

/** Exact float16 → float32 bits: every half value (subnormals, ±Infinity, NaN payloads) is a float32. */
export function halfToFloatBits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >> 10) & 0x1f;
  let mant = h & 0x3ff;
  if (exp === 0x1f) return sign | 0x7f800000 | (mant << 13);
  if (exp !== 0) return sign | ((exp + 112) << 23) | (mant << 13);
  if (mant === 0) return sign;
  // A subnormal half, mant · 2⁻²⁴, is a normal float32: shift the leading 1 into place.
  let e = 113;
  while ((mant & 0x400) === 0) {
    mant <<= 1;
    e--;
  }
  return sign | (e << 23) | ((mant & 0x3ff) << 13);
}

/** Values that nnkit's dtype cannot hold are an error before any tensor is allocated. */
function checkValues(e: HeaderEntry, view: DataView, where: string): void {
  if (e.dtype === 'I64') {
    for (let i = 0; i < e.size; i++) {
      const off = e.begin + 8 * i;
      const lo = view.getInt32(off, true);
      // Fits in int32 exactly when the high word is the sign extension of the low word.
      if (view.getInt32(off + 4, true) !== lo >> 31) {
        throw new Error(
          `${where}: tensor '${e.name}': I64 value ${view.getBigInt64(off, true)} at index ${i} does not fit in int32 (nnkit's integer dtype)`,
        );
      }
    }
  } else if (e.dtype === 'BOOL') {
    for (let i = 0; i < e.size; i++) {
      const b = view.getUint8(e.begin + i);
      if (b > 1) {
        throw new Error(
          `${where}: tensor '${e.name}': BOOL byte ${b} at index ${i} is neither 0 nor 1`,
        );
      }
    }
  }
}

function decode(e: HeaderEntry, view: DataView, data: Uint8Array): TypedArray {
  const n = e.size;
  const at = e.begin;
  switch (e.dtype) {
    case 'F32':
    case 'F64':
    case 'I32': {
      const dtype = e.dtype === 'F32' ? 'float32' : e.dtype === 'F64' ? 'float64' : 'int32';
      const out = allocUninit(dtype, n);
      if (LITTLE_ENDIAN) {
        // Bytes as stored: bit-identical, whatever the source's alignment.
        new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(data.subarray(at, e.end));
      } else if (dtype === 'float32') {
        for (let i = 0; i < n; i++) out[i] = view.getFloat32(at + 4 * i, true);
      } else if (dtype === 'float64') {
        for (let i = 0; i < n; i++) out[i] = view.getFloat64(at + 8 * i, true);
      } else {
        for (let i = 0; i < n; i++) out[i] = view.getInt32(at + 4 * i, true);
      }
      return out;
    }
    case 'F16':
    case 'BF16': {
      const out = allocUninit('float32', n);
      const bits = new Uint32Array(out.buffer, out.byteOffset, n);
      if (e.dtype === 'F16') {
        for (let i = 0; i < n; i++) bits[i] = halfToFloatBits(view.getUint16(at + 2 * i, true));
      } else {
        // bfloat16 is the top half of a float32.
        for (let i = 0; i < n; i++) bits[i] = view.getUint16(at + 2 * i, true) << 16;
      }
      return out;
    }
    case 'I64': {
      const out = allocUninit('int32', n);
      for (let i = 0; i < n; i++) out[i] = view.getInt32(at + 8 * i, true);
      return out;
    }
    case 'I16': {
      const out = allocUninit('int32', n);
      for (let i = 0; i < n; i++) out[i] = view.getInt16(at + 2 * i, true);
      return out;
    }
    case 'I8': {
      const out = allocUninit('int32', n);
      for (let i = 0; i < n; i++) out[i] = view.getInt8(at + i);
      return out;
    }
    case 'U8':
    case 'BOOL': {
      const out = allocUninit('int32', n);
      for (let i = 0; i < n; i++) out[i] = data[at + i];
      return out;
    }
    default: {
      const never: never = e.dtype;
      throw new Error(`nnkit: unhandled safetensors dtype ${String(never)}`);
    }
  }
}

/** Tensors of a checked header, read from its data buffer; values are checked before any is allocated. */
export function decodeTensors(
  header: Header,
  data: Uint8Array,
  where: string,
): Record<string, Tensor> {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (const e of header.entries) checkValues(e, view, where);
  const out: Record<string, Tensor> = {};
  for (const e of header.entries) out[e.name] = new Tensor(decode(e, view, data), e.shape);
  return out;
}

/**
 * Reads a safetensors file from its bytes: a record of tensors by name (in
 * the order of their data), ready for `module.loadStateDict`. Matches
 * Python's `safetensors.torch.load(data)`.
 *
 * dtypes: F32, F64 and I32 load as `float32`, `float64` and `int32`, bit for
 * bit. F16 and BF16 (common in Hugging Face weights) load as `float32`,
 * widened exactly (every half and bfloat16 value, NaN payloads included, is a
 * float32). I64 (PyTorch's default integer) loads as `int32` if every value
 * fits, else it is an error naming the tensor and the value; I16, I8, U8 and
 * BOOL load as `int32`. Other dtypes (F8 variants, U16–U64, C64) are an
 * error.
 *
 * The whole header is checked before any tensor is allocated, as the
 * reference implementation checks it: the header length (at most 100 MB,
 * within the file), valid UTF-8 JSON, each entry's dtype, shape and
 * `data_offsets` (non-negative integers, byte count = product(shape) × the
 * dtype's size), and that the tensors tile the data buffer exactly, with no
 * overlap, gap or trailing bytes. A key given twice and the name
 * `__proto__` are errors too. Each error names the problem and the tensor.
 *
 * @param bytes the whole file, a `Uint8Array` (a Node `Buffer` is one) or an `ArrayBuffer`
 * @example
 * ```ts
 * import { io, nn } from 'nnkit';
 * const model = new nn.Linear(4, 3);
 * // in a browser: new Uint8Array(await (await fetch('model.safetensors')).arrayBuffer())
 * const bytes = io.saveSafetensors(model.stateDict(), { format: 'pt' });
 * const loaded = io.loadSafetensors(bytes);
 * console.log(loaded.weight.shape, loaded.bias.dtype); // [ 3, 4 ] float32
 * console.log(new nn.Linear(4, 3).loadStateDict(loaded)); // { missingKeys: [], unexpectedKeys: [] }
 * ```
 */
export function loadSafetensors(bytes: Uint8Array | ArrayBuffer): Record<string, Tensor> {
  const where = 'io.loadSafetensors';
  const { header, data } = readSafetensors(toBytes(bytes, where), where);
  return decodeTensors(header, data, where);
}

/**
 * The `__metadata__` of a safetensors file (a record of strings, such as
 * `{ format: 'pt' }`), or `null` when it has none; the header is checked as
 * by {@link loadSafetensors} but no tensor is read. Matches Python's
 * `safe_open(...).metadata()`.
 * @example
 * ```ts
 * import { io } from 'nnkit';
 * console.log(io.safetensorsMetadata(io.saveSafetensors({}, { format: 'pt' }))); // { format: 'pt' }
 * console.log(io.safetensorsMetadata(io.saveSafetensors({}))); // null
 * ```
 * @param bytes - The whole safetensors file, as a Uint8Array or an ArrayBuffer.
 */
export function safetensorsMetadata(
  bytes: Uint8Array | ArrayBuffer,
): Record<string, string> | null {
  return readSafetensors(toBytes(bytes, 'io.safetensorsMetadata'), 'io.safetensorsMetadata').header
    .metadata;
}

/** Lone UTF-16 surrogates cannot be written as UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Orders strings as their UTF-8 bytes order (Rust's `String` order): by code point. */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate starts a code point above U+FFFF, so above every other code unit.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    return xs === ys ? x - y : xs ? 1 : -1;
  }
  return a.length - b.length;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isTensor(v);
}

/**
 * Writes tensors (a state dict) as a safetensors file and returns its bytes.
 * Matches Python's `safetensors.torch.save(tensors, metadata)`, byte for
 * byte: tensors in the reference writer's order (float64, then float32, then
 * int32; by name within a dtype), the header as compact JSON padded with
 * spaces to a multiple of 8 bytes, data little-endian. `float32`, `float64`
 * and `int32` are written as F32, F64 and I32 (PyTorch's
 * `load_state_dict` casts I32 into an int64 buffer).
 *
 * @param tensors tensors by name, e.g. `model.stateDict()`
 * @param metadata optional strings stored as `__metadata__`; Hugging Face's
 *   loaders expect `{ format: 'pt' }` for PyTorch weights
 * @example
 * ```ts
 * import { io, tensor } from 'nnkit';
 * const bytes = io.saveSafetensors({ w: tensor([[1, 2]]) }, { format: 'pt' });
 * // the header's length (8 bytes), the JSON header padded with spaces to a multiple of 8 (88),
 * // then the data (2 float32, 8 bytes)
 * console.log(bytes.length); // 104
 * ```
 */
export function saveSafetensors(
  tensors: Record<string, Tensor>,
  metadata?: Record<string, string> | null,
): Uint8Array {
  return encode(tensors, metadata, 'io.saveSafetensors');
}

/** The body of {@link saveSafetensors}, with the caller's name for errors. */
export function encode(tensors: unknown, metadata: unknown, where: string): Uint8Array {
  if (!isRecord(tensors)) {
    throw new Error(
      `${where}: tensors must be an object of Tensors by name, got ${describeValue(tensors)}`,
    );
  }
  const items: { name: string; t: Tensor }[] = [];
  for (const [name, t] of Object.entries(tensors)) {
    if (!isTensor(t)) {
      throw new Error(`${where}: tensors['${name}'] must be a Tensor, got ${describeValue(t)}`);
    }
    if (name === '__metadata__') {
      throw new Error(
        `${where}: '__metadata__' is reserved for the metadata and cannot name a tensor`,
      );
    }
    if (LONE_SURROGATE.test(name)) {
      throw new Error(`${where}: the tensor name ${JSON.stringify(name)} is not valid Unicode`);
    }
    items.push({ name, t: t as Tensor });
  }
  const metaParts: string[] = [];
  if (metadata !== undefined && metadata !== null) {
    if (!isRecord(metadata)) {
      throw new Error(
        `${where}: metadata must be an object of strings, got ${describeValue(metadata)}`,
      );
    }
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') {
        throw new Error(`${where}: metadata['${k}'] must be a string, got ${describeValue(v)}`);
      }
      if (LONE_SURROGATE.test(k) || LONE_SURROGATE.test(v)) {
        throw new Error(`${where}: metadata['${k}'] is not valid Unicode`);
      }
      metaParts.push(`${JSON.stringify(k)}:${JSON.stringify(v)}`);
    }
  }
  items.sort(
    (a, b) =>
      WRITE_DTYPES[b.t.dtype].rank - WRITE_DTYPES[a.t.dtype].rank ||
      compareCodePoints(a.name, b.name),
  );
  const parts =
    metadata !== undefined && metadata !== null ? [`"__metadata__":{${metaParts.join(',')}}`] : [];
  let offset = 0;
  for (const { name, t } of items) {
    const end = offset + t.data.byteLength;
    parts.push(
      `${JSON.stringify(name)}:{"dtype":"${WRITE_DTYPES[t.dtype].name}","shape":[${t.shape.join(',')}],"data_offsets":[${offset},${end}]}`,
    );
    offset = end;
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  if (headerLength > MAX_HEADER_BYTES) {
    throw new Error(
      `${where}: the header would be ${headerLength} bytes, over the format's limit of ${MAX_HEADER_BYTES}`,
    );
  }
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength, true); // the high 32 bits stay 0
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const { t } of items) {
    const d = t.data;
    if (LITTLE_ENDIAN) {
      out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), at);
    } else if (d instanceof Float32Array) {
      for (let i = 0; i < d.length; i++) view.setFloat32(at + 4 * i, d[i], true);
    } else if (d instanceof Float64Array) {
      for (let i = 0; i < d.length; i++) view.setFloat64(at + 8 * i, d[i], true);
    } else {
      for (let i = 0; i < d.length; i++) view.setInt32(at + 4 * i, d[i], true);
    }
    at += d.byteLength;
  }
  return out;
}
