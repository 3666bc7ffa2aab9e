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
import { checkShape } from '../tensor/checks.js';
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
  /** Its elements in nnkit's dtype, one tensor that every loaded view shares (made on first use). */
  elements?: Tensor;
  /** The elements of an int64 storage that int32 cannot hold (an error only if a tensor reads one). */
  tooWide?: Set<number>;
}

/** The storage's elements as one tensor of nnkit's dtype (bytes copied, or each element converted). */
function elementsOf(s: Storage): Tensor {
  if (s.elements) return s.elements;
  const out: TypedArray = allocUninit(s.type.dtype, s.numel);
  if (s.type.copies) {
    // Stored as nnkit stores it: the bytes as they are (little-endian, checked by the caller).
    const bytes = new Uint8Array(s.view.buffer, s.view.byteOffset, s.numel * s.type.bytes);
    new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(bytes);
  } else {
    for (let i = 0; i < s.numel; i++) {
      const v = s.type.read(s.view, i * s.type.bytes);
      if (Number.isNaN(v) && s.type.name === 'LongStorage') {
        (s.tooWide ??= new Set()).add(i);
        out[i] = 0;
      } else out[i] = v;
    }
  }
  s.elements = new Tensor(out, [s.numel]);
  return s.elements;
}

/** The first storage element a strided tensor reads from `elements` (a set), or -1. */
function firstRead(
  elements: Set<number>,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): number {
  const n = shape.reduce((a, b) => a * b, 1);
  const index = new Array<number>(shape.length).fill(0);
  let at = offset;
  for (let i = 0; i < n; i++) {
    if (elements.has(at)) return at;
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
  return -1;
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
 * int32 (an int64 value outside int32 is an error naming the tensor).
 * Tensors that shared a storage when saved share one again, with the
 * storage offsets and strides torch.load gives them (a transposed or sliced
 * tensor is a view; an in-place write shows in the others), and
 * `requires_grad` comes back as it was saved. Python values: `dict` → object (integer keys as text), `list`
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
    checkShape(where, [numel], st.dtype, `the size of storage '${key}'`);
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
    const [storage, offset, size, stride, requiresGrad] = args;
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
    checkShape(where, shape, s.type.dtype, `the shape of a tensor on storage '${s.key}'`);
    const elements = elementsOf(s);
    const wide = s.tooWide ? firstRead(s.tooWide, shape, strides, offset) : -1;
    if (wide >= 0) {
      throw new Error(
        `${where}: an int64 value of storage '${s.key}' (element ${wide}) does not fit in int32 (nnkit's integer dtype)`,
      );
    }
    // A view of the storage, as torch.load makes it: tensors on one storage share it.
    const t = Tensor._view(elements, shape, strides, offset);
    if (requiresGrad === true && s.type.dtype !== 'int32') t.requiresGrad_(true);
    return t;
  };

  const globals = new Map<string, PickleGlobal>([
    ['torch._utils _rebuild_tensor_v2', rebuildTensor],
    [
      'torch._utils _rebuild_parameter',
      (args) => {
        // _rebuild_parameter(data, requires_grad, backward_hooks)
        if (!(args[0] instanceof Tensor)) throw new Error(`${where}: a parameter without a tensor`);
        if (args[1] === true && args[0].dtype !== 'int32') args[0].requiresGrad_(true);
        return args[0];
      },
    ],
    // The empty backward hooks of a saved tensor: OrderedDict() is built in.
    ...STORAGE_TYPES.map((t): [string, PickleGlobal] => [`torch ${t.name}`, types.get(t)!]),
  ]);
  const pickle = entries.get(pickleName)!;
  return unpickle(pickle, { globals, persistentLoad }, where) as TorchValue;
}
