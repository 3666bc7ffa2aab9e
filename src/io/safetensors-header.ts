/**
 * Reading and checking a safetensors header, before any tensor data is
 * allocated.
 *
 * The format (Hugging Face's `safetensors`): an unsigned 64-bit little-endian
 * header length N; N bytes of UTF-8 JSON mapping each tensor name to
 * `{ "dtype", "shape", "data_offsets": [begin, end] }`, plus an optional
 * `"__metadata__"` object of strings; then the data buffer, every tensor's
 * elements little-endian and row-major at `data_offsets` (relative to the
 * end of the header).
 *
 * The checks follow the reference implementation's
 * (`safetensors/src/tensor.rs`: `read_metadata` and `Metadata::validate`): N
 * at most 100,000,000 and within the file; the header valid UTF-8 and JSON;
 * each entry's byte count equal to product(shape) × the dtype's size; and the
 * tensors, sorted by offset, tiling the data buffer exactly, from byte 0 to
 * its end, with no overlap, gap or trailing bytes. nnkit adds what
 * JavaScript needs: duplicate keys are an error (JSON.parse would keep the
 * last silently) and so is the key `__proto__`.
 */

/** Largest header accepted, as in the reference implementation (`MAX_HEADER_SIZE`). */
export const MAX_HEADER_BYTES = 100_000_000;

/** How a safetensors dtype is stored and what nnkit makes of it. */
interface DTypeInfo {
  /** Bytes per element. */
  readonly bytes: number;
  /** The nnkit dtype it loads as. */
  readonly to: 'float32' | 'float64' | 'int32';
}

/** The safetensors dtypes nnkit reads. */
export const READ_DTYPES = {
  F64: { bytes: 8, to: 'float64' },
  F32: { bytes: 4, to: 'float32' },
  F16: { bytes: 2, to: 'float32' },
  BF16: { bytes: 2, to: 'float32' },
  I64: { bytes: 8, to: 'int32' },
  I32: { bytes: 4, to: 'int32' },
  I16: { bytes: 2, to: 'int32' },
  I8: { bytes: 1, to: 'int32' },
  U8: { bytes: 1, to: 'int32' },
  BOOL: { bytes: 1, to: 'int32' },
} as const satisfies Record<string, DTypeInfo>;

export type SafetensorsDType = keyof typeof READ_DTYPES;

/** Dtypes of the format that nnkit does not read (a clear error, not "unknown"). */
const UNSUPPORTED_DTYPES = [
  'U16',
  'U32',
  'U64',
  'C64',
  'F8_E5M2',
  'F8_E4M3',
  'F8_E8M0',
  'F8_E4M3FNUZ',
  'F8_E5M2FNUZ',
  'F4',
  'F6_E2M3',
  'F6_E3M2',
];

/** One tensor of a checked header. */
export interface HeaderEntry {
  readonly name: string;
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  /** Element count: product(shape). */
  readonly size: number;
  readonly begin: number;
  readonly end: number;
}

/** A checked header: the tensors in data order, and `__metadata__` (null when absent). */
export interface Header {
  readonly entries: readonly HeaderEntry[];
  readonly metadata: Record<string, string> | null;
}

function show(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (v === undefined) return 'undefined';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

/**
 * Reads the 8-byte header length from the first bytes of a file of
 * `fileLength` bytes and checks it: at most {@link MAX_HEADER_BYTES} and within
 * the file. Read as two 32-bit halves, so a length of 2⁶⁴ − 1 is reported,
 * not rounded.
 */
export function readHeaderLength(prefix: Uint8Array, fileLength: number, where: string): number {
  if (fileLength < 8 || prefix.length < 8) {
    throw new Error(
      `${where}: the file is ${fileLength} byte${fileLength === 1 ? '' : 's'}, too short for the 8-byte header length`,
    );
  }
  const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  if (hi !== 0 || lo > MAX_HEADER_BYTES) {
    const n = (BigInt(hi) << 32n) | BigInt(lo);
    throw new Error(
      `${where}: header length ${n} bytes is over the limit of ${MAX_HEADER_BYTES} bytes (a corrupt or non-safetensors file)`,
    );
  }
  if (8 + lo > fileLength) {
    throw new Error(
      `${where}: header length ${lo} bytes runs past the end of the file (${fileLength} bytes, so at most ${fileLength - 8} after the length)`,
    );
  }
  return lo;
}

/**
 * Finds a key that occurs twice in one object of `text`, which is already
 * known to be valid JSON. One pass over the text with a stack of the open
 * objects' keys; keys are compared decoded (`"a"` and `"\u0061"` collide).
 */
export function findDuplicateKey(text: string): { key: string; path: string[] } | null {
  interface Frame {
    keys: Set<string> | null; // null for an array
    expectKey: boolean;
    lastKey: string;
  }
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      while (text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c /* \ */ ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) {
          return { key, path: stack.slice(0, -1).map((f) => f.lastKey) };
        }
        top.keys.add(key);
        top.lastKey = key;
        top.expectKey = false;
      }
      i = j;
    } else if (c === 0x7b /* { */) {
      stack.push({ keys: new Set(), expectKey: true, lastKey: '' });
    } else if (c === 0x5b /* [ */) {
      stack.push({ keys: null, expectKey: false, lastKey: '' });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.keys) top.expectKey = true;
    }
  }
  return null;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkMetadata(v: unknown, where: string): Record<string, string> {
  if (!isPlainObject(v)) {
    throw new Error(`${where}: __metadata__ must be an object of strings, got ${show(v)}`);
  }
  const out: Record<string, string> = {};
  for (const [k, s] of Object.entries(v)) {
    if (typeof s !== 'string') {
      throw new Error(`${where}: __metadata__ value of '${k}' must be a string, got ${show(s)}`);
    }
    // defineProperty: a key '__proto__' stays a key instead of setting the prototype.
    Object.defineProperty(out, k, {
      value: s,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function checkEntry(name: string, v: unknown, dataLength: number, where: string): HeaderEntry {
  const at = `${where}: tensor '${name}'`;
  if (!isPlainObject(v)) {
    throw new Error(
      `${at}: the header entry must be an object { dtype, shape, data_offsets }, got ${show(v)}`,
    );
  }
  const { dtype, shape, data_offsets: offsets } = v;
  if (typeof dtype !== 'string' || !Object.prototype.hasOwnProperty.call(READ_DTYPES, dtype)) {
    const known = Object.keys(READ_DTYPES).join(', ');
    if (typeof dtype === 'string' && UNSUPPORTED_DTYPES.includes(dtype)) {
      throw new Error(`${at}: dtype '${dtype}' is not supported (nnkit reads ${known})`);
    }
    throw new Error(`${at}: unknown dtype ${show(dtype)} (nnkit reads ${known})`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new Error(`${at}: shape must be an array of non-negative integers, got ${show(shape)}`);
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
    offsets[0] > offsets[1]
  ) {
    throw new Error(
      `${at}: data_offsets must be [begin, end] with integers 0 ≤ begin ≤ end, got ${show(offsets)}`,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (end > dataLength) {
    throw new Error(
      `${at}: data_offsets [${begin}, ${end}] run past the end of the data (${dataLength} bytes after the header)`,
    );
  }
  const info = READ_DTYPES[dtype as SafetensorsDType];
  let size = 1;
  for (const d of shape as number[]) size *= d;
  const bytes = size * info.bytes;
  if (!Number.isSafeInteger(bytes)) {
    throw new Error(`${at}: shape ${show(shape)} has too many elements`);
  }
  if (bytes !== end - begin) {
    throw new Error(
      `${at}: shape [${shape.join(', ')}] of ${dtype} is ${bytes} bytes, but data_offsets [${begin}, ${end}] hold ${end - begin}`,
    );
  }
  return { name, dtype: dtype as SafetensorsDType, shape: shape as number[], size, begin, end };
}

/**
 * Parses and checks the header bytes of a file whose data buffer (everything
 * after the header) is `dataLength` bytes. Allocates nothing in proportion to
 * the data; every error starts with `where` and names the tensor.
 */
export function parseHeader(headerBytes: Uint8Array, dataLength: number, where: string): Header {
  let text: string;
  try {
    // fatal: invalid UTF-8 is an error; ignoreBOM: a byte-order mark stays, and JSON refuses it.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(headerBytes);
  } catch {
    throw new Error(`${where}: the header is not valid UTF-8`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: the header is not valid JSON (${(e as Error).message})`);
  }
  if (!isPlainObject(json)) {
    throw new Error(`${where}: the header must be a JSON object, got ${show(json)}`);
  }
  const dup = findDuplicateKey(text);
  if (dup) {
    const [tensor, ...rest] = dup.path;
    const place =
      tensor === undefined
        ? 'at the top level'
        : tensor === '__metadata__'
          ? 'in __metadata__'
          : `in the entry of tensor '${tensor}'${rest.length ? ` (under ${rest.join('.')})` : ''}`;
    throw new Error(`${where}: the header has the key '${dup.key}' twice, ${place}`);
  }
  let metadata: Record<string, string> | null = null;
  const entries: HeaderEntry[] = [];
  for (const [name, v] of Object.entries(json)) {
    if (name === '__metadata__') {
      metadata = checkMetadata(v, where);
    } else if (name === '__proto__') {
      throw new Error(
        `${where}: the tensor name '__proto__' is not allowed (a JavaScript object cannot hold it as a key)`,
      );
    } else {
      entries.push(checkEntry(name, v, dataLength, where));
    }
  }
  // Sorted by offset, the tensors must tile [0, dataLength) exactly.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  let prev: HeaderEntry | null = null;
  for (const e of entries) {
    if (prev && e.begin < pos) {
      throw new Error(
        `${where}: tensors '${prev.name}' (data_offsets [${prev.begin}, ${prev.end}]) and '${e.name}' ([${e.begin}, ${e.end}]) overlap`,
      );
    }
    if (e.begin > pos) {
      throw new Error(
        `${where}: bytes [${pos}, ${e.begin}) of the data belong to no tensor (${prev ? `between '${prev.name}' and '${e.name}'` : `before '${e.name}'`})`,
      );
    }
    pos = e.end;
    prev = e;
  }
  if (pos !== dataLength) {
    throw new Error(
      `${where}: bytes [${pos}, ${dataLength}) of the data belong to no tensor (${prev ? `after '${prev.name}'` : 'the header lists no tensors'})`,
    );
  }
  return { entries, metadata };
}
