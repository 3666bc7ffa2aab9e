/**
 * The Tensor: a garbage-collected typed array (its storage) read through a
 * shape, strides and an offset, with a dtype and (optionally) a place in the
 * autograd graph. Factories and ops make dense row-major tensors; shape ops
 * make views of their source's storage, as PyTorch's do. No `dispose()`:
 * memory is released when a tensor is no longer referenced.
 *
 * This class is the bottom of the house: it imports nothing from the ops,
 * autograd or functional layers at run time. Its arithmetic, reductions,
 * shape methods and `backward` are installed onto the prototype by those
 * layers (`src/ops/tensor-methods.ts`, `src/autograd/tensor-methods.ts`,
 * `src/functional/tensor-methods.ts`), which also declare them on this
 * class's type; the package root loads all of them.
 */
import { type DType, type TypedArray, dtypeOf, isFloating } from './dtype.js';
import { type NestedArray, type Shape, formatShape, sizeOf, stridesOf, toNested } from './shape.js';
import type { GradFn } from '../autograd/node.js';
import { formatTensor } from './format.js';
import { TENSOR_BRAND, describeValue } from '../signature/types.js';
import { checkShape } from './checks.js';
import { tensorToJSON, type TensorJSON } from './json.js';
import {
  gatherStrided,
  hasInternalOverlap,
  isContiguousLayout,
  scatterStrided,
} from './strided.js';

/** The other operand of a binary op: a tensor (broadcast against this one) or a number. */
export type Operand = Tensor | number;

/**
 * Version counters, one per storage (typed array), as PyTorch keeps one per
 * storage: every tensor that wraps the same array (reshapes, views,
 * `detach()`) sees the same count. Each in-place write through nnkit bumps
 * it; autograd records it for what a backward rule saves and refuses to
 * read a saved tensor whose count has moved. Storage never written in place
 * has no entry (version 0).
 */
const versions = new WeakMap<TypedArray, number>();

/** How many nested arrays beyond its element count `toArray()` builds at most. */
const MAX_EXTRA_ARRAYS = 2 ** 24;

/**
 * An n-dimensional array of float32, float64 or int32, after `torch.Tensor`,
 * with reverse-mode autograd. Create tensors with {@link tensor},
 * {@link zeros}, {@link randn} and the other factories rather than with the
 * constructor. A tensor reads a typed array (its storage) that the garbage
 * collector frees: there is no `dispose()`. Tensors made by factories and
 * ops are dense and row-major; `reshape`, `t()`, `permute`, `expand`,
 * `narrow` and the other shape ops return views that share their source's
 * storage with their own strides (see `stride()` and `isContiguous()`), so
 * an in-place write through one shows in the other, as in PyTorch.
 *
 * The methods (arithmetic with broadcasting, reductions, shape changes,
 * indexing, `matmul`, `softmax`, `backward`) are PyTorch's, in camelCase.
 * `console.log(t)` and `t.toString()` print exactly as PyTorch prints.
 *
 * @example
 * ```ts
 * import { tensor } from 'nnkit';
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * console.log(x.shape, x.dtype, x.size); // [ 2, 2 ] float32 4
 * const y = x.mul(x).sum();
 * console.log(y); // tensor(30., grad_fn=<SumBackward0>)
 * y.backward();
 * console.log(x.grad);
 * // tensor([[2., 4.],
 * //         [6., 8.]])
 * console.log(x.detach().toArray()); // [ [ 1, 2 ], [ 3, 4 ] ]
 * ```
 */
export class Tensor {
  /** The storage: for a view, the whole array it shares with its base. */
  private _data: TypedArray;
  private _shape: readonly number[];
  private _size: number;
  /** Where the first element is in the storage (elements). */
  private _offset = 0;
  /**
   * Strides in elements, or null for a plain tensor: row-major, from offset
   * 0, covering the whole storage (every tensor the constructor makes).
   */
  private _strides: readonly number[] | null = null;
  /** Whether the layout is row-major contiguous (a plain tensor, or a view from an offset). */
  private _contig = true;
  private _requiresGrad = false;
  private _grad: Tensor | null = null;
  private _gradFn: GradFn | null = null;
  /** Set by `retainGrad()`: a non-leaf that keeps its `.grad`. @internal */
  _retainsGrad = false;
  /**
   * @internal This tensor's gradient hooks (`registerHook`), in the order
   * registered, keyed by handle id; null until the first. For a non-leaf the
   * map is also one entry of the `preHooks` of the node that made the tensor
   * when the first hook was registered, and stays with that node, as PyTorch
   * 1.13 binds a tensor's hook dict to its `grad_fn` of that moment (hooks
   * registered after an in-place op still see the gradient from before it).
   */
  _gradHooks: Map<number, (grad: Tensor) => unknown> | null = null;
  /** @internal For a reshape/view: the tensor whose storage it shares (the root of a chain of views). */
  _base: Tensor | null = null;
  /**
   * @internal For one of several views returned by one call (`chunk`): which
   * one, of what, and why it may not be written in place while gradients
   * are recorded (PyTorch refuses it), where the reason is not `chunk`'s.
   */
  _multiOutput: { fn: string; index: number; reason?: string } | null = null;
  /** @internal A view made while gradients were not recorded (`noGrad`): PyTorch refuses to write it in place with them recorded. */
  _viewWithoutGrad = false;
  /** @internal The storage's version when this tensor's `gradFn` was attached (stale views are re-derived). */
  _gradFnVersion = 0;

  /**
   * Wraps `data` (not copied) as a tensor of `shape`. Prefer the `tensor()` factory.
   *
   * @param data - The elements, row-major: a Float32Array, Float64Array or Int32Array, which sets the dtype.
   * @param shape - The dimensions; their product must equal `data.length` (`[]` for a scalar).
   */
  constructor(data: TypedArray, shape: Shape) {
    if (!(
      data instanceof Float32Array ||
      data instanceof Float64Array ||
      data instanceof Int32Array
    )) {
      throw new Error(
        `Tensor: data must be a Float32Array, Float64Array or Int32Array, got ${describeValue(data)}`,
      );
    }
    const s = checkShape('Tensor', shape, dtypeOf(data), 'shape');
    if (data.length !== sizeOf(s)) {
      throw new Error(
        `Tensor: ${data.length} elements do not fill shape ${formatShape(s)} (${sizeOf(s)} elements)`,
      );
    }
    this._data = data;
    this._shape = Object.freeze(s);
    this._size = data.length;
  }

  /**
   * @internal A view of `source`'s storage with its own geometry (shape,
   * strides and offset in elements, which the caller has checked lie inside
   * the storage). Not linked to a base: the view ops call `_viewOf`.
   */
  static _view(
    source: Tensor,
    shape: readonly number[],
    strides: readonly number[],
    offset: number,
  ): Tensor {
    const storage = source._data;
    const t = new Tensor(storage.subarray(0, 0), [0]);
    t._data = storage;
    t._shape = Object.freeze([...shape]);
    t._size = sizeOf(shape);
    t._offset = offset;
    t._contig = isContiguousLayout(shape, strides);
    t._strides =
      t._contig && offset === 0 && t._size === storage.length ? null : Object.freeze([...strides]);
    return t;
  }

  /**
   * The elements in row-major order: exactly `size` of them. For a tensor
   * that owns its storage, or a contiguous view (`narrow` of the first
   * dimension, `chunk`), it is the storage itself (a `subarray` for a view):
   * writes into it show in the tensor and in every tensor sharing the
   * storage. For a non-contiguous view (`t()`, `permute`, `expand`, most
   * `narrow`s) it is a fresh contiguous copy on every access: writes into it
   * change nothing; call `contiguous()` first to get a tensor whose `data`
   * is its own.
   */
  get data(): TypedArray {
    if (this._strides === null) return this._data;
    return this._contig
      ? this._data.subarray(this._offset, this._offset + this._size)
      : gatherStrided(this._data, this._shape, this._strides, this._offset);
  }

  /**
   * Whether the elements lie in row-major order without gaps, like
   * `torch.Tensor.is_contiguous()`. A tensor made by a factory or an op is;
   * views made by `t()`, `transpose`, `permute`, `expand` and `narrow` of an
   * inner dimension are not (dimensions of size 1 do not count).
   * @example
   * ```ts
   * import { zeros } from 'nnkit';
   * const x = zeros(2, 3);
   * console.log(x.isContiguous(), x.t().isContiguous(), x.t().contiguous().isContiguous()); // true false true
   * ```
   */
  isContiguous(): boolean {
    return this._contig;
  }

  /**
   * The step in storage elements between neighbours along each dimension,
   * like `torch.Tensor.stride()`; `stride(dim)` gives one dimension's
   * (negative counts from the end). A view shares its base's storage and
   * reads it with its own strides: a transpose swaps them, `expand` gives
   * 0 to the broadcast dimensions.
   * @example
   * ```ts
   * import { zeros } from 'nnkit';
   * const x = zeros(2, 3);
   * console.log(x.stride(), x.t().stride(), x.stride(-1)); // [ 3, 1 ] [ 1, 3 ] 1
   * console.log(zeros(3, 1).expand(3, 4).stride()); // [ 1, 0 ]
   * ```
   */
  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number[] | number {
    const strides = this._strides ?? stridesOf(this._shape);
    if (dim === undefined) return [...strides];
    const nd = this._shape.length;
    if (!Number.isInteger(dim) || dim < -Math.max(nd, 1) || dim >= Math.max(nd, 1)) {
      throw new Error(
        `stride: dim ${String(dim)} is out of range for a tensor of ${nd} dimension${nd === 1 ? '' : 's'}`,
      );
    }
    if (nd === 0) throw new Error('stride: a 0-dim tensor has no dimensions');
    return strides[dim < 0 ? dim + nd : dim];
  }

  /**
   * Where this tensor's first element lies in its storage (elements), like
   * `torch.Tensor.storage_offset()`: 0 except for views that start further in.
   * @example
   * ```ts
   * import { arange } from 'nnkit';
   * const x = arange(12).reshape(3, 4);
   * console.log(x.narrow(0, 1, 2).storageOffset(), x.narrow(1, 2, 2).storageOffset()); // 4 2
   * ```
   */
  storageOffset(): number {
    return this._offset;
  }

  /** @internal The whole storage this tensor reads (shared with its base and other views). */
  get _storage(): TypedArray {
    return this._data;
  }

  /** @internal Whether this tensor is plain: contiguous from offset 0 over all of its storage. */
  get _isPlain(): boolean {
    return this._strides === null;
  }

  /**
   * @internal Writes `values` (row-major, `size` of them) into this tensor's
   * elements in its storage, so that its base and every view sharing the
   * storage see them. Refuses a layout in which two elements share one
   * storage element (an `expand`), as PyTorch does.
   */
  _writeStrided(values: TypedArray): void {
    if (this._strides === null || this._contig) {
      const at = this._offset;
      const same =
        values.buffer === this._data.buffer &&
        values.byteOffset === this._data.byteOffset + at * this._data.BYTES_PER_ELEMENT;
      if (!same) this._data.set(values, at);
      return;
    }
    scatterStrided(this._data, this._shape, this._strides, this._offset, values);
  }

  /**
   * @internal Throws, naming `fn`, if this tensor cannot be written in place:
   * more than one of its elements refers to a single storage element.
   */
  _checkWritable(fn: string): void {
    // An empty view has no elements to collide (PyTorch writes nothing and does not complain).
    if (this._strides !== null && this.size > 0 && hasInternalOverlap(this._shape, this._strides)) {
      throw new Error(
        `${fn}: unsupported operation: more than one element of the written-to tensor refers to a single memory location (an expand()ed view); clone() it before writing in place`,
      );
    }
  }
  /** The size of each dimension, like `torch.Tensor.shape` (`[]` for a scalar tensor). */
  get shape(): readonly number[] {
    return this._shape;
  }
  /** The element type: `'float32'`, `'float64'` or `'int32'`. */
  get dtype(): DType {
    return dtypeOf(this._data);
  }
  /** The number of dimensions. */
  get ndim(): number {
    return this._shape.length;
  }
  /** Number of elements. */
  get size(): number {
    return this._size;
  }
  /**
   * Whether autograd records operations on this tensor. Assignable, as in PyTorch:
   * `w.requiresGrad = true` is `w.requiresGrad_(true)`.
   */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }
  /** `w.requiresGrad = flag` is `w.requiresGrad_(flag)` (leaves only). */
  set requiresGrad(flag: boolean) {
    if (typeof flag !== 'boolean')
      throw new Error(`requiresGrad: must be true or false, got ${String(flag)}`);
    this.requiresGrad_(flag);
  }
  /** The op that produced this tensor, or null for a leaf. */
  get gradFn(): GradFn | null {
    return this._gradFn;
  }
  /** True for tensors created by the user rather than by a differentiable op. */
  get isLeaf(): boolean {
    return this._gradFn === null;
  }
  /**
   * The accumulated gradient (leaves, and non-leaves after `retainGrad()`). Assignable, as in
   * PyTorch: a tensor of this tensor's shape, or `null`.
   */
  get grad(): Tensor | null {
    return this._grad;
  }
  /**
   * Assignable, as in PyTorch: a tensor of this tensor's shape and dtype, or
   * `null`. A gradient of another shape or dtype is refused (PyTorch:
   * "assigned grad has data of a different type/size"), so an optimizer
   * never reads a float64 or int32 gradient into a float32 parameter.
   */
  set grad(g: Tensor | null) {
    if (g !== null) {
      if (!(g instanceof Tensor))
        throw new Error(`grad: must be a Tensor or null, got ${describeValue(g)}`);
      if (g.shape.length !== this.shape.length || g.shape.some((d, i) => d !== this.shape[i])) {
        throw new Error(
          `grad: assigned gradient has shape ${formatShape(g.shape)}, but the tensor has shape ${formatShape(this.shape)}`,
        );
      }
      if (g.dtype !== this.dtype) {
        throw new Error(
          `grad: assigned gradient has dtype ${g.dtype}, but the tensor has dtype ${this.dtype}; convert it with .to('${this.dtype}')`,
        );
      }
    }
    this._grad = g;
  }

  /** Size of dimension `dim` (negative counts from the end), or the whole shape. */
  dimSize(dim: number): number {
    return this._shape[dim < 0 ? dim + this._shape.length : dim];
  }

  /** The number of elements, like `torch.Tensor.numel()` (the same as `size`). */
  numel(): number {
    return this._size;
  }

  /** The number of dimensions, like `torch.Tensor.dim()` (the same as `ndim`). */
  dim(): number {
    return this._shape.length;
  }

  // ---- autograd ---------------------------------------------------------

  /**
   * Sets whether autograd records operations on this tensor (leaves only), in place.
   * @example
   * ```ts
   * import { zeros } from 'nnkit';
   * const w = zeros([3]).requiresGrad_();
   * console.log(w.requiresGrad, w.isLeaf); // true true
   * w.add(1).sum().backward();
   * console.log(w.grad); // tensor([1., 1., 1.])
   * ```
   */
  requiresGrad_(flag = true): this {
    if (!flag && this._gradFn) {
      throw new Error(
        'requiresGrad_: cannot turn off requiresGrad on a non-leaf tensor; use detach()',
      );
    }
    if (flag && !isFloating(this.dtype)) {
      throw new Error(
        `requiresGrad_: only floating-point tensors can require gradients, got ${this.dtype}`,
      );
    }
    this._requiresGrad = flag;
    return this;
  }

  /** Keeps `.grad` on this non-leaf tensor during backward. */
  retainGrad(): this {
    if (this._gradFn === null || this._retainsGrad) return this;
    this._retainsGrad = true;
    (this._gradFn.preHooks ??= []).push(this);
    return this;
  }

  /** A tensor sharing this one's data (and its version counter), cut from the graph. */
  detach(): Tensor {
    return this._sameStorage();
  }

  /** @internal A new tensor object with this one's storage and geometry, outside the graph. */
  _sameStorage(): Tensor {
    if (this._strides === null) return new Tensor(this._data, this._shape);
    return Tensor._view(this, this._shape, this._strides, this._offset);
  }

  /** @internal Marks this tensor as produced by `fn`. */
  _attach(fn: GradFn): void {
    if (this._retainsGrad) {
      // retainGrad follows the tensor to its newest history (an in-place op),
      // as in PyTorch 1.13; its hooks stay where they were bound.
      const old = this._gradFn?.preHooks;
      if (old) old.splice(old.indexOf(this), 1);
      (fn.preHooks ??= []).push(this);
    }
    this._gradFn = fn;
    this._requiresGrad = true;
    this._gradFnVersion = this._version;
  }

  /** @internal A graph-only stand-in for this tensor's state before an in-place op. */
  _detachedAlias(): Tensor {
    const t = this._sameStorage();
    t._gradFn = this._gradFn;
    t._requiresGrad = this._requiresGrad;
    return t;
  }

  /** @internal Marks this tensor as a view (it shares `base`'s storage); returns it. */
  _viewOf(base: Tensor): this {
    this._base = base._base ?? base;
    return this;
  }

  /**
   * @internal How many times this tensor's storage has been written in place
   * through nnkit (PyTorch's `_version`). Writes into `t.data` by hand are
   * not counted.
   */
  get _version(): number {
    return versions.get(this._data) ?? 0;
  }

  /** @internal Records an in-place write into this tensor's storage. */
  _bumpVersion(): void {
    versions.set(this._data, (versions.get(this._data) ?? 0) + 1);
  }

  /**
   * @internal Replaces this tensor's storage with `data` of the same length
   * (another dtype allowed), keeping the Tensor object: `module.to(dtype)`
   * converts parameters this way, as PyTorch's `param.data = param.data.to(dtype)`,
   * so optimizers holding the parameter keep working. The version carries
   * over and is bumped: a graph recorded before the swap cannot be replayed.
   */
  _setData(data: TypedArray): void {
    if (!(
      data instanceof Float32Array ||
      data instanceof Float64Array ||
      data instanceof Int32Array
    )) {
      throw new Error(`_setData: data must be a typed array, got ${describeValue(data)}`);
    }
    if (this._strides !== null) {
      throw new Error('_setData: cannot replace the storage of a view; clone() it first');
    }
    if (data.length !== this._data.length) {
      throw new Error(
        `_setData: ${data.length} elements do not fill shape ${formatShape(this._shape)} (${this._data.length} elements)`,
      );
    }
    if (this._requiresGrad && !isFloating(dtypeOf(data))) {
      throw new Error('_setData: a tensor that requires grad must keep floating-point data');
    }
    const version = this._version;
    this._data = data;
    this._size = data.length;
    versions.set(data, Math.max(versions.get(data) ?? 0, version) + 1);
    if (this._grad && this._grad.dtype !== dtypeOf(data)) this._grad = null;
  }

  // ---- values -----------------------------------------------------------

  /** The value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) {
      throw new Error(
        `item: only one-element tensors can be converted to a number, this has ${this.size}`,
      );
    }
    return this._data[this._offset];
  }

  /**
   * Nested arrays, like `torch.Tensor.tolist()`; a number for a scalar. An
   * empty tensor whose other dimensions are huge (`[2 ** 20, 2 ** 20, 0]`)
   * would be 2^40 empty arrays: beyond 2^24 arrays more than it has
   * elements, it is refused at once (PyTorch would run out of time or memory).
   */
  toArray(): NestedArray {
    let arrays = 1;
    let level = 1;
    for (let d = 0; d < this._shape.length - 1; d++) {
      level *= this._shape[d];
      arrays += level;
    }
    if (arrays > MAX_EXTRA_ARRAYS + this.size) {
      throw new Error(
        `toArray: a tensor of shape ${formatShape(this._shape)} would be ${arrays} nested arrays for ${this.size} elements; refusing more than 2^24 arrays beyond its element count`,
      );
    }
    return toNested(this.data, this._shape);
  }

  /** `{ dtype, shape, data }` for `JSON.stringify` (NaN, ±Infinity, −0 as strings); `io.tensorFromJSON` reads it back. */
  toJSON(): TensorJSON {
    return tensorToJSON(this);
  }

  /** PyTorch-style text: `tensor([[1., 2.], [3., 4.]], dtype=torch.float64)`. */
  toString(): string {
    return formatTensor(this);
  }
  /** What `console.log(x)` shows in Node: the same text as `toString()`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return formatTensor(this);
  }
}

export type { NestedArray };

// The brand by which argument checks know a real Tensor from a look-alike object.
Object.defineProperty(Tensor.prototype, TENSOR_BRAND, { value: true });
