/**
 * Writing PyTorch's `torch.save` format (the ZIP archive of PyTorch 1.6 and
 * later), so that `torch.load` in Python reads nnkit's weights: the pickle
 * that Python's pickler (protocol 2) writes for the same dict, opcode for
 * opcode and memo slot for memo slot, and the archive PyTorch's writer makes
 * (src/io/zip.ts). For a dict of tensors and plain values the bytes are
 * `torch.save`'s own (test/torch-load.test.ts compares them).
 */
import { Tensor } from '../tensor/tensor.js';
import type { TypedArray } from '../tensor/dtype.js';
import { describeValue } from '../signature/types.js';
import { writeZip } from './zip.js';
import type { TorchValue } from './torch-load.js';

/** Arrays and objects within one another, at most (Python's default recursion limit). */
const MAX_DEPTH = 1000;

const STORAGE_NAMES = { float32: 'FloatStorage', float64: 'DoubleStorage', int32: 'IntStorage' };

/** Python's pickler (protocol 2) for the values {@link save} takes. */
class Pickler {
  private out: number[] = [];
  private memoSize = 0;
  /** Memo slots of the objects Python would share by identity: globals and constant strings. */
  private readonly shared = new Map<string, number>();
  readonly storages: [string, Uint8Array][] = [];

  constructor(private readonly where: string) {}

  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }

  op(...b: number[]): void {
    for (const x of b) this.out.push(x);
  }

  u32(v: number): void {
    this.op(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  }

  /** BINPUT the top of the stack into the next slot. */
  put(): number {
    const slot = this.memoSize++;
    if (slot < 256) this.op(0x71, slot);
    else {
      this.op(0x72);
      this.u32(slot);
    }
    return slot;
  }

  get(slot: number): void {
    if (slot < 256) this.op(0x68, slot);
    else {
      this.op(0x6a);
      this.u32(slot);
    }
  }

  /** An object Python shares by identity (a global, an interned constant): written once, then fetched. */
  once(key: string, write: () => void): void {
    const slot = this.shared.get(key);
    if (slot !== undefined) return this.get(slot);
    write();
    this.shared.set(key, this.put());
  }

  str(s: string): void {
    const b = new TextEncoder().encode(s);
    this.op(0x58);
    this.u32(b.length);
    for (const x of b) this.out.push(x);
  }

  global(module: string, name: string): void {
    this.once(`global ${module} ${name}`, () => {
      this.op(0x63);
      for (const c of `${module}\n${name}\n`) this.out.push(c.charCodeAt(0));
    });
  }

  int(v: number | bigint): void {
    if (typeof v === 'number' && v >= 0 && v < 256) return this.op(0x4b, v);
    if (typeof v === 'number' && v >= 0 && v < 65536) return this.op(0x4d, v & 0xff, v >> 8);
    if (typeof v === 'number' && v >= -(2 ** 31) && v < 2 ** 31) {
      this.op(0x4a);
      return this.u32(v);
    }
    // LONG1: little-endian two's complement, as few bytes as hold the sign.
    let x = BigInt(v);
    const bytes: number[] = [];
    while (true) {
      bytes.push(Number(x & 0xffn));
      const rest = x >> 8n;
      const sign = bytes[bytes.length - 1] & 0x80;
      if ((rest === 0n && !sign) || (rest === -1n && sign)) break;
      x = rest;
    }
    this.op(0x8a, bytes.length, ...bytes);
  }

  float(v: number): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, false);
    this.op(0x47, ...b);
  }

  /** A tuple of small integers (sizes and strides): TUPLE1–3, or MARK … TUPLE. */
  tuple(items: readonly number[]): void {
    if (items.length === 0) return this.op(0x29);
    if (items.length > 3) this.op(0x28);
    for (const v of items) this.int(v);
    this.op(items.length > 3 ? 0x74 : [0, 0x85, 0x86, 0x87][items.length]);
    this.put();
  }

  /** Memo slots of the tensors written (Python fetches a tensor it has pickled before). */
  private readonly tensorSlots = new Map<Tensor, number>();
  /** The key of each storage written, and the memo slot of the key's string. */
  private readonly storageKeys = new Map<TypedArray, { key: string; slot: number }>();

  tensor(t: Tensor, path: string): void {
    const seen = this.tensorSlots.get(t);
    if (seen !== undefined) return this.get(seen);
    if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
      throw new Error(
        `${this.where}: ${path}: this machine is big-endian; torch.save files are little-endian`,
      );
    }
    // _rebuild_tensor_v2(('storage', <type>, key, 'cpu', numel), offset, size, stride, requires_grad, OrderedDict())
    this.global('torch._utils', '_rebuild_tensor_v2');
    this.op(0x28, 0x28);
    this.once('str storage', () => this.str('storage'));
    this.global('torch', STORAGE_NAMES[t.dtype]);
    // One storage per typed array, as torch.save writes one per storage: views share it.
    const storage = t._storage;
    const known = this.storageKeys.get(storage);
    if (known) this.get(known.slot);
    else {
      const key = String(this.storageKeys.size);
      this.storages.push([
        key,
        new Uint8Array(storage.buffer, storage.byteOffset, storage.byteLength).slice(),
      ]);
      this.str(key);
      this.storageKeys.set(storage, { key, slot: this.put() });
    }
    this.once('str cpu', () => this.str('cpu'));
    this.int(storage.length);
    this.op(0x74);
    this.put();
    this.op(0x51); // BINPERSID
    this.int(t.storageOffset());
    this.tuple(t.shape);
    this.tuple(t.stride());
    this.op(t.requiresGrad ? 0x88 : 0x89);
    this.global('collections', 'OrderedDict');
    this.op(0x29, 0x52); // () REDUCE
    this.put();
    this.op(0x74);
    this.put();
    this.op(0x52);
    this.tensorSlots.set(t, this.put());
  }

  /** The arrays and objects being written, outermost first (a cycle would never end). */
  private readonly open = new Set<object>();

  value(v: unknown, path: string): void {
    if (v instanceof Tensor) return this.tensor(v, path);
    if (typeof v === 'object' && v !== null && this.open.has(v)) {
      throw new Error(
        `${this.where}: ${path} contains itself (a cycle), which torch.save cannot write`,
      );
    }
    if (typeof v === 'object' && v !== null) {
      if (this.open.size >= MAX_DEPTH) {
        throw new Error(
          `${this.where}: ${path.length > 80 ? `${path.slice(0, 80)}…` : path} is nested more than ${MAX_DEPTH} levels deep (Python's pickler stops there too, with a RecursionError)`,
        );
      }
      this.open.add(v);
      try {
        this.container(v, path);
      } finally {
        this.open.delete(v);
      }
      return;
    }
    this.scalar(v, path);
  }

  private scalar(v: unknown, path: string): void {
    if (v === null) return this.op(0x4e);
    if (v === true) return this.op(0x88);
    if (v === false) return this.op(0x89);
    if (typeof v === 'string') {
      this.str(v);
      this.put();
      return;
    }
    if (typeof v === 'bigint') return this.int(v);
    if (typeof v === 'number') {
      return Number.isSafeInteger(v) && !Object.is(v, -0) ? this.int(v) : this.float(v);
    }
    this.unsupported(v, path);
  }

  private container(v: object, path: string): void {
    if (Array.isArray(v)) {
      this.op(0x5d);
      this.put();
      this.batch(v.length, (i) => this.value(v[i], `${path}[${i}]`), 0x61, 0x65);
      return;
    }
    if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      const entries = Object.entries(v as Record<string, unknown>);
      this.op(0x7d);
      this.put();
      this.batch(
        entries.length,
        (i) => {
          const [k, x] = entries[i];
          // Integer keys (an optimizer state dict's parameter indices) go back as Python ints.
          if (/^(0|-?[1-9]\d{0,14})$/.test(k)) this.int(Number(k));
          else {
            this.str(k);
            this.put();
          }
          this.value(x, `${path}.${k}`);
        },
        0x73,
        0x75,
      );
      return;
    }
    this.unsupported(v, path);
  }

  private unsupported(v: unknown, path: string): never {
    throw new Error(
      `${this.where}: ${path} is ${describeValue(v)}; torch.save files hold tensors, plain objects, arrays, numbers, bigints, strings, booleans and null`,
    );
  }

  /** Python's batched APPENDS / SETITEMS: runs of up to 1,000, a lone item with APPEND / SETITEM. */
  private batch(n: number, item: (i: number) => void, single: number, many: number): void {
    for (let i = 0; i < n; i += 1000) {
      const m = Math.min(1000, n - i);
      if (m > 1) this.op(0x28);
      for (let j = i; j < i + m; j++) item(j);
      this.op(m > 1 ? many : single);
    }
  }
}

/**
 * Writes `obj` in PyTorch's `torch.save` format: Python's
 * `torch.load(io.BytesIO(bytes))` (or of the file) gives it back, tensors
 * as tensors. A state dict (`module.stateDict()`) becomes a dict of tensors
 * that `model.load_state_dict` takes; nested objects, arrays, numbers,
 * strings, booleans and null become dicts, lists, ints or floats, strs,
 * bools and None, so a checkpoint `{ model, optimizer, epoch }` saves too.
 *
 * Mapping: float32, float64 and int32 tensors keep their layout: tensors
 * that share a storage (a tensor and its transpose, slices, reshapes) are
 * written as views of one storage, the whole of it, as torch.save writes
 * them, and `requiresGrad` is saved as `requires_grad`; a
 * number that is a safe integer becomes a Python `int`, any other a
 * `float` (JavaScript does not tell `1` from `1.0`); object keys that are
 * integers in canonical form (`'0'`, `'12'`) become Python ints, as an
 * optimizer state dict's `state` needs. For a dict of tensors, strings and
 * numbers, the bytes are `torch.save`'s own.
 *
 * @param obj a state dict, or any nesting of the values above
 * @example
 * ```ts
 * import { io, nn } from 'nnkit';
 * const model = new nn.Linear(3, 2);
 * const bytes = io.save(model.stateDict()); // Python: model.load_state_dict(torch.load(f))
 * console.log(Object.keys(io.load(bytes) as object)); // [ 'weight', 'bias' ]
 * ```
 */
export function save(obj: TorchValue | Record<string, unknown>): Uint8Array {
  const where = 'io.save';
  const p = new Pickler(where);
  p.op(0x80, 2);
  p.value(obj, 'the value');
  p.op(0x2e);
  const archive = 'archive';
  const storages = [...p.storages].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return writeZip([
    [`${archive}/data.pkl`, p.bytes()],
    ...storages.map(([k, b]): [string, Uint8Array] => [`${archive}/data/${k}`, b]),
    [`${archive}/version`, new TextEncoder().encode('3\n')],
  ]);
}
