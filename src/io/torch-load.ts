/**
 * PyTorch's own weight files, `torch.save`'s ZIP archive (PyTorch 1.6 and
 * later): `<archive>/data.pkl`, a pickle whose tensors point at raw
 * little-endian storages `<archive>/data/<key>`. Read as
 * `torch.load(f, weights_only=True)` reads it: only tensors and Python
 * data load, nothing is imported or run (src/io/pickle.ts).
 */
import { Tensor } from '../tensor/tensor.js';
import { allocUninit, type DType, type TypedArray } from '../tensor/dtype.js';
import { describeValue } from '../signature/types.js';
import { unpickle, type PickleGlobal } from './pickle.js';
import { readZip } from './zip.js';
import { halfToFloatBits } from './safetensors.js';

/** A PyTorch storage type: its element size, how to read one element, and nnkit's dtype. */
interface StorageType {
  readonly name: string;
  readonly bytes: number;
  readonly dtype: DType;
  read(view: DataView, at: number): number;
  /** Whether nnkit's dtype has the same bytes, so a contiguous tensor is a copy of them. */
  readonly copies?: boolean;
}

const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);
const fromBits = (bits: number): number => {
  f32Bits[0] = bits;
  return f32[0];
};

/** True when typed arrays store elements little-endian, as torch.save's storages do. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Whether strides are the row-major ones of the shape (dimensions of size 1 may have any). */
function isRowMajor(shape: readonly number[], strides: readonly number[]): boolean {
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && strides[d] !== expected) return false;
    expected *= shape[d];
  }
  return true;
}

const STORAGE_TYPES: StorageType[] = [
  {
    name: 'FloatStorage',
    bytes: 4,
    dtype: 'float32',
    read: (v, at) => v.getFloat32(at, true),
    copies: LITTLE_ENDIAN,
  },
  {
    name: 'DoubleStorage',
    bytes: 8,
    dtype: 'float64',
    read: (v, at) => v.getFloat64(at, true),
    copies: LITTLE_ENDIAN,
  },
  {
    name: 'HalfStorage',
    bytes: 2,
    dtype: 'float32',
    read: (v, at) => fromBits(halfToFloatBits(v.getUint16(at, true))),
  },
  {
    name: 'BFloat16Storage',
    bytes: 2,
    dtype: 'float32',
    read: (v, at) => fromBits(v.getUint16(at, true) << 16),
  },
  { name: 'LongStorage', bytes: 8, dtype: 'int32', read: (v, at) => readInt64(v, at) },
  {
    name: 'IntStorage',
    bytes: 4,
    dtype: 'int32',
    read: (v, at) => v.getInt32(at, true),
    copies: LITTLE_ENDIAN,
  },
  { name: 'ShortStorage', bytes: 2, dtype: 'int32', read: (v, at) => v.getInt16(at, true) },
  { name: 'CharStorage', bytes: 1, dtype: 'int32', read: (v, at) => v.getInt8(at) },
  { name: 'ByteStorage', bytes: 1, dtype: 'int32', read: (v, at) => v.getUint8(at) },
  { name: 'BoolStorage', bytes: 1, dtype: 'int32', read: (v, at) => (v.getUint8(at) ? 1 : 0) },
];

/** An int64 element as int32, or NaN when it does not fit (the caller names it). */
function readInt64(v: DataView, at: number): number {
  const lo = v.getInt32(at, true);
  return v.getInt32(at + 4, true) === lo >> 31 ? lo : NaN;
}

/** A storage of the archive: its type and bytes (shared by every tensor that views it). */
interface Storage {
  readonly type: StorageType;
  readonly key: string;
  readonly view: DataView;
  readonly numel: number;
}

/** A JavaScript value for a `torch.load` result: what {@link load} returns. */
export type TorchValue =
  | Tensor
  | number
  | bigint
  | string
  | boolean
  | null
  | Uint8Array
  | TorchValue[]
  | { [key: string]: TorchValue };

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/**
 * Reads PyTorch's `torch.save` file from its bytes, as
 * `torch.load(f, weights_only=True)` does: a state dict comes back as a
 * record of tensors by name, ready for `module.loadStateDict`; a checkpoint
 * (`{ model, optimizer, epoch, … }`) as the same nesting of objects,
 * arrays, numbers and strings.
 *
 * Tensors: float32 and float64 load bit for bit; float16 and bfloat16 widen
 * exactly to float32; int64, int32, int16, int8, uint8 and bool load as
 * int32 (an int64 value outside int32 is an error naming the tensor). Views
 * (transposed, sliced, expanded tensors) load as contiguous copies of their
 * elements. Python values: `dict` → object (integer keys as text), `list`
 * and `tuple` → array, `int` → number (bigint beyond ±2^53), `float` →
 * number, `str` → string, `None` → null, `bytes` → Uint8Array.
 *
 * Nothing in the file runs: like `weights_only=True`, any other Python
 * object (a class, a function such as `os.system`, a NumPy array) is an
 * error naming it, as are a truncated or damaged archive, a storage that a
 * tensor reads past, and compressed entries.
 *
 * @param bytes the whole file, a `Uint8Array` (a Node `Buffer` is one) or an `ArrayBuffer`
 * @example
 * ```ts
 * import { io } from 'nnkit';
 * import { readFileSync } from 'node:fs';
 * // PyTorch: torch.save(model.state_dict(), 'model.pt'); here a file of nnkit's tests
 * const state = io.load(readFileSync('test/golden/torch/sequential_state_dict.pt'));
 * console.log(Object.keys(state as object).slice(0, 3)); // [ '0.weight', '0.bias', '1.weight' ]
 * ```
 */
export function load(bytes: Uint8Array | ArrayBuffer): TorchValue {
  const where = 'io.load';
  const data =
    bytes instanceof Uint8Array
      ? bytes
      : bytes instanceof ArrayBuffer
        ? new Uint8Array(bytes)
        : null;
  if (!data) {
    throw new Error(
      `${where}: bytes must be a Uint8Array or an ArrayBuffer, got ${describeValue(bytes)}`,
    );
  }
  const entries = readZip(data, where);
  const pickleName = [...entries.keys()].find((k) => /^[^/]+\/data\.pkl$/.test(k));
  if (!pickleName) {
    throw new Error(
      `${where}: not a PyTorch file: the archive has no <name>/data.pkl (torch.save's format since PyTorch 1.6; older files: re-save them with a recent torch.save)`,
    );
  }
  const archive = pickleName.slice(0, -'/data.pkl'.length);
  const order = entries.get(`${archive}/byteorder`);
  if (order && new TextDecoder().decode(order) !== 'little') {
    throw new Error(`${where}: the file's storages are big-endian, which nnkit does not read`);
  }
  const storages = new Map<string, Storage>();
  const types = new Map<StorageType, { value: StorageType }>();
  for (const t of STORAGE_TYPES) types.set(t, { value: t });

  const persistentLoad = (pid: unknown): Storage => {
    // ('storage', storage type, key, location, numel)
    if (!Array.isArray(pid) || pid.length !== 5 || pid[0] !== 'storage') {
      throw new Error(`${where}: a persistent id that is not a storage: ${describeValue(pid)}`);
    }
    const [, type, key, , numel] = pid as [string, unknown, unknown, unknown, unknown];
    if (!STORAGE_TYPES.includes(type as StorageType)) {
      throw new Error(`${where}: storage '${String(key)}' has no storage type nnkit reads`);
    }
    if (typeof key !== 'string' || !isCount(numel)) {
      throw new Error(`${where}: a storage with a malformed key or size`);
    }
    const st = type as StorageType;
    const cached = storages.get(key);
    if (cached) {
      if (cached.type !== st) throw new Error(`${where}: storage '${key}' is read with two types`);
      return cached;
    }
    const raw = entries.get(`${archive}/data/${key}`);
    if (!raw) throw new Error(`${where}: storage '${key}' is missing from the archive`);
    if (raw.length < numel * st.bytes) {
      throw new Error(
        `${where}: storage '${key}' holds ${raw.length} bytes, less than its ${numel} elements of ${st.bytes}`,
      );
    }
    const s: Storage = {
      type: st,
      key,
      numel,
      view: new DataView(raw.buffer, raw.byteOffset, raw.byteLength),
    };
    storages.set(key, s);
    return s;
  };

  const rebuildTensor = (args: unknown[]): Tensor => {
    // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
    const [storage, offset, size, stride] = args;
    const s = storage as Storage;
    if (!storages.has(s?.key) || storages.get(s.key) !== s) {
      throw new Error(`${where}: a tensor without a storage`);
    }
    if (
      !isCount(offset) ||
      !Array.isArray(size) ||
      !Array.isArray(stride) ||
      size.length !== stride.length ||
      !size.every(isCount) ||
      !stride.every(isCount)
    ) {
      throw new Error(`${where}: a tensor on storage '${s.key}' with a malformed shape or strides`);
    }
    const shape = size as number[];
    const strides = stride as number[];
    let n = 1;
    let last = offset;
    for (let d = 0; d < shape.length; d++) {
      n *= shape[d];
      if (shape[d] > 0) last += (shape[d] - 1) * strides[d];
    }
    if (n > 0 && last >= s.numel) {
      throw new Error(
        `${where}: a tensor of shape [${shape.join(', ')}] reads element ${last} of storage '${s.key}', which has ${s.numel}`,
      );
    }
    const out: TypedArray = allocUninit(s.type.dtype, n);
    if (s.type.copies && isRowMajor(shape, strides)) {
      // Stored as nnkit stores it: the bytes as they are (little-endian, checked above).
      const bytes = new Uint8Array(s.view.buffer, s.view.byteOffset, s.view.byteLength);
      const from = offset * s.type.bytes;
      new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(
        bytes.subarray(from, from + n * s.type.bytes),
      );
      return new Tensor(out, shape);
    }
    const index = new Array<number>(shape.length).fill(0);
    let at = offset;
    for (let i = 0; i < n; i++) {
      const v = s.type.read(s.view, at * s.type.bytes);
      if (Number.isNaN(v) && s.type.name === 'LongStorage') {
        throw new Error(
          `${where}: an int64 value of storage '${s.key}' (element ${at}) does not fit in int32 (nnkit's integer dtype)`,
        );
      }
      out[i] = v;
      // The next index in row-major order, and its element.
      for (let d = shape.length - 1; d >= 0; d--) {
        if (++index[d] < shape[d]) {
          at += strides[d];
          break;
        }
        at -= (shape[d] - 1) * strides[d];
        index[d] = 0;
      }
    }
    return new Tensor(out, shape);
  };

  const globals = new Map<string, PickleGlobal>([
    ['torch._utils _rebuild_tensor_v2', rebuildTensor],
    [
      'torch._utils _rebuild_parameter',
      (args) => {
        if (!(args[0] instanceof Tensor)) throw new Error(`${where}: a parameter without a tensor`);
        return args[0];
      },
    ],
    // The empty backward hooks of a saved tensor: OrderedDict() is built in.
    ...STORAGE_TYPES.map((t): [string, PickleGlobal] => [`torch ${t.name}`, types.get(t)!]),
  ]);
  const pickle = entries.get(pickleName)!;
  return unpickle(pickle, { globals, persistentLoad }, where) as TorchValue;
}
