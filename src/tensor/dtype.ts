import { hasNodeBuffer, noteAllocated, takeRecycled } from './recycle.js';

/** The element types nnkit stores. PyTorch's int64 class targets map to `int32`. */
export type DType = 'float32' | 'float64' | 'int32';

/** The typed array that backs each dtype. */
export type TypedArray = Float32Array | Float64Array | Int32Array;

/** Maps a dtype name to its typed-array type. */
export interface DTypeArrays {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
}

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32'];

/** True for the dtypes that can carry gradients. */
export function isFloating(dtype: DType): boolean {
  return dtype !== 'int32';
}

export function bytesPerElement(dtype: DType): number {
  return dtype === 'float64' ? 8 : 4;
}

/** PyTorch's type promotion restricted to nnkit's dtypes. */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a === 'float64' || b === 'float64') return 'float64';
  return 'float32';
}

/** The dtype of a typed array. */
export function dtypeOf(data: TypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  return 'int32';
}

/**
 * The last line of defence against a result too large for a typed array
 * (the boundary checks shapes; an op whose result shape is computed, such as
 * a loss with `reduction: 'none'` over `[2 ** 40, 0]` logits, ends here):
 * an nnkit error that the public function's name is prefixed to, never
 * Node's internal RangeError.
 */
function checkAllocation(dtype: DType, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0 || n * bytesPerElement(dtype) > 2 ** 32) {
    throw new Error(
      `cannot allocate ${String(n)} ${String(dtype)} elements: a tensor holds at most 2^32 bytes (the typed-array limit)`,
    );
  }
}

/**
 * Below this many bytes Node carves `Buffer.allocUnsafe` from a shared 8 KB
 * pool (`Buffer.poolSize / 2`): one ArrayBuffer serves many small tensors.
 * A fresh ArrayBuffer costs 0.3–2 µs whatever its size (backing store,
 * external-memory accounting, its share of the garbage collections that
 * accounting triggers) — most of the time of an op on a 1,000-element
 * tensor. A typed array small enough for V8 to keep on its heap (64 bytes)
 * is cheap to make but moved off the heap, at that same cost, the first time
 * it is handed to the native addon. The price of the pool is Node's own: a
 * small tensor that outlives its neighbours keeps at most its 8 KB pool alive.
 */
const POOLED_BELOW = 4096;

/**
 * New storage of at least this many bytes is shown to the platform's
 * large-buffer advice before anything writes it (see {@link setLargeBufferAdvice}).
 */
const LARGE_BYTES = 4 << 20;

let adviseLarge: ((buf: ArrayBuffer) => unknown) | null = null;

/**
 * Registers what to do with each new buffer of at least 4 MB before its first
 * write. The native backend registers `adviseHugePages`: storage that large
 * may be memory the process has not touched yet, whose first touch costs a
 * page fault per 4 KB (about 2 µs each here), and 2 MB pages cut that
 * fourfold or more.
 */
export function setLargeBufferAdvice(advise: ((buf: ArrayBuffer) => unknown) | null): void {
  adviseLarge = advise;
}

/**
 * Allocates storage for `n` elements without zero-filling where the platform
 * allows it (Node's `Buffer.allocUnsafe` below 4 KB, from Node's shared pool,
 * and `Buffer.allocUnsafeSlow` above: V8-owned memory that the garbage
 * collector frees, never an external buffer with a finalizer). Callers must
 * write every element. Outside Node, ordinary zero-filled typed arrays.
 */
export function allocUninit<D extends DType>(dtype: D, n: number): DTypeArrays[D] {
  checkAllocation(dtype, n);
  const bytes = n * bytesPerElement(dtype);
  if (hasNodeBuffer && bytes > 0) {
    let out: DTypeArrays[D];
    if (bytes < POOLED_BELOW) {
      const buf = Buffer.allocUnsafe(bytes);
      out = viewAs(dtype, buf.buffer, buf.byteOffset, n);
    } else {
      // A whole buffer of its own: one the backward pass let go of, or a new one.
      let buf = takeRecycled(bytes);
      if (buf === undefined) {
        buf = Buffer.allocUnsafeSlow(bytes).buffer;
        if (bytes >= LARGE_BYTES) adviseLarge?.(buf);
      }
      noteAllocated(buf);
      out = viewAs(dtype, buf, 0, n);
    }
    if (POISON) out.fill(dtype === 'int32' ? -0x7fffffff : NaN);
    return out;
  }
  return allocZeroed(dtype, n);
}

/**
 * `NNKIT_POISON_UNINIT=1` (Node) fills uninitialised storage with NaN (int32:
 * −2^31 + 1), so that a kernel which leaves an element unwritten shows up in
 * the tests instead of passing on whatever the memory held.
 */
const POISON =
  hasNodeBuffer &&
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
    ?.NNKIT_POISON_UNINIT === '1';

/** Allocates zero-filled storage for `n` elements. */
export function allocZeroed<D extends DType>(dtype: D, n: number): DTypeArrays[D] {
  checkAllocation(dtype, n);
  const bytes = n * bytesPerElement(dtype);
  // Small: from Node's pool (see POOLED_BELOW), zeroed here; large: calloc's zero pages.
  if (hasNodeBuffer && bytes > 0 && bytes < POOLED_BELOW) {
    const buf = Buffer.allocUnsafe(bytes).fill(0);
    return viewAs(dtype, buf.buffer, buf.byteOffset, n);
  }
  const out = zeroedArray(dtype, n);
  if (bytes >= LARGE_BYTES) adviseLarge?.(out.buffer as ArrayBuffer);
  return out;
}

function zeroedArray<D extends DType>(dtype: D, n: number): DTypeArrays[D] {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n) as DTypeArrays[D];
    case 'float64':
      return new Float64Array(n) as DTypeArrays[D];
    case 'int32':
      return new Int32Array(n) as DTypeArrays[D];
    default:
      throw new Error(`nnkit: unknown dtype ${String(dtype)}`);
  }
}

function viewAs<D extends DType>(
  dtype: D,
  buffer: ArrayBufferLike,
  byteOffset: number,
  n: number,
): DTypeArrays[D] {
  switch (dtype) {
    case 'float32':
      return new Float32Array(buffer, byteOffset, n) as DTypeArrays[D];
    case 'float64':
      return new Float64Array(buffer, byteOffset, n) as DTypeArrays[D];
    case 'int32':
      return new Int32Array(buffer, byteOffset, n) as DTypeArrays[D];
    default:
      throw new Error(`nnkit: unknown dtype ${String(dtype)}`);
  }
}

/**
 * Copies `src` into a new array of `dtype`, rounding or truncating as
 * PyTorch's cast does on x86-64: to int32 towards zero, and a NaN or a value
 * outside int32's range becomes −2^31 (what `cvttss2si` gives; C++ leaves it
 * undefined, JavaScript's `Int32Array` would wrap it modulo 2^32).
 */
export function castArray(src: ArrayLike<number>, dtype: DType): TypedArray {
  const out = allocUninit(dtype, src.length);
  if (dtype === 'int32') {
    for (let i = 0; i < src.length; i++) {
      const t = Math.trunc(src[i]);
      out[i] = t >= -2147483648 && t <= 2147483647 ? t : -2147483648;
    }
  } else {
    out.set(src as ArrayLike<number>);
  }
  return out;
}
