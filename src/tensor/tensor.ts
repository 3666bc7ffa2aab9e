/**
 * The Tensor: a dense, row-major, garbage-collected typed array with a shape,
 * a dtype and (optionally) a place in the autograd graph. No `dispose()`:
 * memory is released when a tensor is no longer referenced.
 */
import { type DType, type TypedArray, dtypeOf, isFloating } from './dtype.js';
import { type Shape, formatShape, sizeOf } from './shape.js';
import { type GradFn } from '../autograd/node.js';
import { runBackward } from '../autograd/engine.js';
import { binaryOp, unaryOp } from '../ops/elementwise/apply.js';
import * as reduce from '../ops/reduce.js';
import * as shapeOps from '../ops/shape-ops.js';
import * as indexOps from '../ops/index-ops.js';
import { matmul } from '../ops/linalg.js';
import { formatTensor } from './format.js';
import { TENSOR_BRAND } from '../signature/types.js';

export type Operand = Tensor | number;

export class Tensor {
  private _data: TypedArray;
  private readonly _shape: readonly number[];
  private _requiresGrad = false;
  private _grad: Tensor | null = null;
  private _gradFn: GradFn | null = null;
  /** Set by `retainGrad()`: a non-leaf that keeps its `.grad`. */
  _retainsGrad = false;

  /** Wraps `data` (not copied) as a tensor of `shape`. Prefer the `tensor()` factory. */
  constructor(data: TypedArray, shape: Shape) {
    if (data.length !== sizeOf(shape)) {
      throw new Error(
        `Tensor: ${data.length} elements do not fill shape ${formatShape(shape)} (${sizeOf(shape)} elements)`,
      );
    }
    this._data = data;
    this._shape = Object.freeze([...shape]);
  }

  /** The elements in row-major order: exactly `size` of them. */
  get data(): TypedArray {
    return this._data;
  }
  get shape(): readonly number[] {
    return this._shape;
  }
  get dtype(): DType {
    return dtypeOf(this._data);
  }
  get ndim(): number {
    return this._shape.length;
  }
  /** Number of elements. */
  get size(): number {
    return this._data.length;
  }
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }
  /** The op that produced this tensor, or null for a leaf. */
  get gradFn(): GradFn | null {
    return this._gradFn;
  }
  /** True for tensors created by the user rather than by a differentiable op. */
  get isLeaf(): boolean {
    return this._gradFn === null;
  }
  /** The accumulated gradient (leaves, and non-leaves after `retainGrad()`). */
  get grad(): Tensor | null {
    return this._grad;
  }
  set grad(g: Tensor | null) {
    if (g !== null) {
      if (!(g instanceof Tensor)) throw new Error('grad: must be a Tensor or null');
      if (g.shape.length !== this.shape.length || g.shape.some((d, i) => d !== this.shape[i])) {
        throw new Error(
          `grad: assigned gradient has shape ${formatShape(g.shape)}, but the tensor has shape ${formatShape(this.shape)}`,
        );
      }
    }
    this._grad = g;
  }

  /** Size of dimension `dim` (negative counts from the end), or the whole shape. */
  dimSize(dim: number): number {
    return this._shape[dim < 0 ? dim + this._shape.length : dim];
  }

  // ---- autograd ---------------------------------------------------------

  /**
   * Sets whether autograd records operations on this tensor (leaves only), in place.
   * @example const w = randn([3]).requiresGrad_();
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
    this._retainsGrad = this._gradFn !== null;
    return this;
  }

  /** A tensor sharing this one's data, cut from the graph. */
  detach(): Tensor {
    return new Tensor(this._data, this._shape);
  }

  /**
   * Computes the gradient of this tensor with respect to the graph's leaves
   * and accumulates it into their `.grad`. `gradient` may be omitted only for
   * a one-element tensor. The graph is freed unless `retainGraph` is set.
   * @example const loss = x.mul(x).sum(); loss.backward(); x.grad;
   */
  backward(gradient?: Tensor | number, opts: { retainGraph?: boolean } = {}): void {
    if (!this._requiresGrad) {
      throw new Error('backward: this tensor does not require grad and has no grad_fn');
    }
    let g: Tensor;
    if (gradient === undefined) {
      if (this.size !== 1) {
        throw new Error(
          `backward: gradient can be implicitly created only for one-element outputs; this has shape ${formatShape(this.shape)}`,
        );
      }
      g = shapeOps.full(this._shape, 1, this.dtype);
    } else if (typeof gradient === 'number') {
      g = shapeOps.full(this._shape, gradient, this.dtype);
    } else {
      if (gradient.size !== this.size || gradient.ndim !== this.ndim) {
        throw new Error(
          `backward: gradient has shape ${formatShape(gradient.shape)}, expected ${formatShape(this.shape)}`,
        );
      }
      g = gradient.dtype === this.dtype ? gradient.detach() : gradient.to(this.dtype);
    }
    runBackward(this, g, opts.retainGraph ?? false);
  }

  /** @internal Marks this tensor as produced by `fn`. */
  _attach(fn: GradFn): void {
    this._gradFn = fn;
    this._requiresGrad = true;
  }

  /** @internal A graph-only stand-in for this tensor's state before an in-place op. */
  _detachedAlias(): Tensor {
    const t = new Tensor(this._data, this._shape);
    t._gradFn = this._gradFn;
    t._requiresGrad = this._requiresGrad;
    return t;
  }

  // ---- values -----------------------------------------------------------

  /** The value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) {
      throw new Error(
        `item: only one-element tensors can be converted to a number, this has ${this.size}`,
      );
    }
    return this._data[0];
  }

  /** Nested arrays, like `torch.Tensor.tolist()`; a number for a scalar. */
  toArray(): NestedArray {
    return shapeOps.toNested(this._data, this._shape);
  }

  /** PyTorch-style text: `tensor([[1., 2.], [3., 4.]], dtype=torch.float64)`. */
  toString(): string {
    return formatTensor(this);
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return formatTensor(this);
  }

  // ---- elementwise ------------------------------------------------------

  add(o: Operand): Tensor {
    return binaryOp('add', this, o);
  }
  sub(o: Operand): Tensor {
    return binaryOp('sub', this, o);
  }
  mul(o: Operand): Tensor {
    return binaryOp('mul', this, o);
  }
  div(o: Operand): Tensor {
    return binaryOp('div', this, o);
  }
  /** `this ** exponent`; a number exponent uses PyTorch's `pow(Tensor, Scalar)` gradient. */
  pow(exponent: Operand): Tensor {
    return typeof exponent === 'number'
      ? unaryOp('powScalar', this, [exponent], { fn: 'pow' })
      : binaryOp('pow', this, exponent);
  }
  /** Elementwise maximum (NaN propagates; ties split the gradient). */
  maximum(o: Operand): Tensor {
    return binaryOp('maximum', this, o);
  }
  minimum(o: Operand): Tensor {
    return binaryOp('minimum', this, o);
  }
  neg(): Tensor {
    return unaryOp('neg', this);
  }
  abs(): Tensor {
    return unaryOp('abs', this);
  }
  exp(): Tensor {
    return unaryOp('exp', this);
  }
  expm1(): Tensor {
    return unaryOp('expm1', this);
  }
  log(): Tensor {
    return unaryOp('log', this);
  }
  log1p(): Tensor {
    return unaryOp('log1p', this);
  }
  sqrt(): Tensor {
    return unaryOp('sqrt', this);
  }
  sign(): Tensor {
    return unaryOp('sign', this);
  }
  floor(): Tensor {
    return unaryOp('floor', this);
  }
  reciprocal(): Tensor {
    return unaryOp('reciprocal', this);
  }
  square(): Tensor {
    return binaryOp('mul', this, this);
  }
  sigmoid(): Tensor {
    return unaryOp('sigmoid', this);
  }
  tanh(): Tensor {
    return unaryOp('tanh', this);
  }
  relu(): Tensor {
    return unaryOp('relu', this);
  }
  /** PyTorch's `clamp(min, max)`; either bound may be omitted (`undefined`). */
  clamp(min?: number, max?: number): Tensor {
    if (min !== undefined && max !== undefined && min > max) {
      // PyTorch sets every element to max in this case; we keep its behaviour.
    }
    return unaryOp('clamp', this, [min ?? -Infinity, max ?? Infinity], { fn: 'clamp' });
  }
  lt(o: Operand): Tensor {
    return binaryOp('lt', this, o);
  }
  le(o: Operand): Tensor {
    return binaryOp('le', this, o);
  }
  gt(o: Operand): Tensor {
    return binaryOp('gt', this, o);
  }
  ge(o: Operand): Tensor {
    return binaryOp('ge', this, o);
  }
  eq(o: Operand): Tensor {
    return binaryOp('eq', this, o);
  }
  ne(o: Operand): Tensor {
    return binaryOp('ne', this, o);
  }

  // ---- reductions -------------------------------------------------------

  /** Sum over `dim` (all elements if omitted). */
  sum(dim?: number | readonly number[], keepdim = false): Tensor {
    return reduce.sum(this, dim, keepdim);
  }
  mean(dim?: number | readonly number[], keepdim = false): Tensor {
    return reduce.mean(this, dim, keepdim);
  }
  /** Maximum over `dim` (all elements if omitted); ties share the gradient like `torch.amax`. */
  amax(dim?: number | readonly number[], keepdim = false): Tensor {
    return reduce.amax(this, dim, keepdim);
  }
  amin(dim?: number | readonly number[], keepdim = false): Tensor {
    return reduce.amin(this, dim, keepdim);
  }
  /** `{ values, indices }` of the maximum along `dim`, like `torch.max(x, dim)`. */
  max(dim: number, keepdim = false): { values: Tensor; indices: Tensor } {
    return reduce.maxWithIndices(this, dim, keepdim, 'max');
  }
  min(dim: number, keepdim = false): { values: Tensor; indices: Tensor } {
    return reduce.maxWithIndices(this, dim, keepdim, 'min');
  }
  argmax(dim?: number, keepdim = false): Tensor {
    return reduce.argmax(this, dim, keepdim);
  }
  /** log Σ exp over `dim`, computed with the maximum subtracted. */
  logsumexp(dim: number | readonly number[], keepdim = false): Tensor {
    return reduce.logsumexp(this, dim, keepdim);
  }
  /** @internal Sums a broadcast gradient back to `shape`. */
  sumToShape(shape: Shape): Tensor {
    return reduce.sumToShape(this, shape);
  }

  // ---- shape ------------------------------------------------------------

  /** Same data, new shape (one dimension may be -1). Shares storage like a PyTorch view. */
  reshape(...shape: number[] | [readonly number[]]): Tensor {
    return shapeOps.reshape(this, shapeArg(shape));
  }
  view(...shape: number[] | [readonly number[]]): Tensor {
    return shapeOps.reshape(this, shapeArg(shape));
  }
  flatten(startDim = 0, endDim = -1): Tensor {
    return shapeOps.flatten(this, startDim, endDim);
  }
  unsqueeze(dim: number): Tensor {
    return shapeOps.unsqueeze(this, dim);
  }
  squeeze(dim?: number): Tensor {
    return shapeOps.squeeze(this, dim);
  }
  permute(...dims: number[] | [readonly number[]]): Tensor {
    return shapeOps.permute(this, shapeArg(dims));
  }
  transpose(dim0: number, dim1: number): Tensor {
    return shapeOps.transpose(this, dim0, dim1);
  }
  /** Transpose of a matrix (or a 1-D tensor unchanged). */
  t(): Tensor {
    return this.ndim < 2 ? this : shapeOps.transpose(this, 0, 1);
  }
  expand(...shape: number[] | [readonly number[]]): Tensor {
    return shapeOps.expand(this, shapeArg(shape));
  }
  narrow(dim: number, start: number, length: number): Tensor {
    return shapeOps.narrow(this, dim, start, length);
  }
  chunk(chunks: number, dim = 0): Tensor[] {
    return shapeOps.chunk(this, chunks, dim);
  }
  /** A copy with its own storage (differentiable). */
  clone(): Tensor {
    return shapeOps.clone(this);
  }
  /** All tensors are contiguous in nnkit; returns `this`. */
  contiguous(): Tensor {
    return this;
  }
  /** Converts to `dtype` (differentiable between floating dtypes). */
  to(dtype: DType): Tensor {
    return shapeOps.cast(this, dtype);
  }
  float(): Tensor {
    return this.to('float32');
  }
  double(): Tensor {
    return this.to('float64');
  }
  int(): Tensor {
    return this.to('int32');
  }

  // ---- indexing and linear algebra --------------------------------------

  /** `out[..i..] = this[..index[..i..]..]` along `dim`, like `torch.gather`. */
  gather(dim: number, index: Tensor): Tensor {
    return indexOps.gather(this, dim, index);
  }
  indexSelect(dim: number, index: Tensor): Tensor {
    return indexOps.indexSelect(this, dim, index);
  }
  /** Elements where `mask` is non-zero replaced by `value`. */
  maskedFill(mask: Tensor, value: number): Tensor {
    return indexOps.where(mask, scalar(value, this.dtype), this);
  }
  /** `this` where `cond` is non-zero, else `other` (PyTorch's `Tensor.where`). */
  where(cond: Tensor, other: Operand): Tensor {
    return indexOps.where(
      cond,
      this,
      typeof other === 'number' ? scalar(other, this.dtype) : other,
    );
  }
  matmul(other: Tensor): Tensor {
    return matmul(this, other);
  }
}

export type NestedArray = number | NestedArray[];

// The brand by which argument checks know a real Tensor from a look-alike object.
Object.defineProperty(Tensor.prototype, TENSOR_BRAND, { value: true });

function scalar(value: number, dtype: DType): Tensor {
  return shapeOps.full([], value, dtype);
}

function shapeArg(args: number[] | [readonly number[]]): number[] {
  return args.length === 1 && Array.isArray(args[0])
    ? [...(args[0] as readonly number[])]
    : (args as number[]);
}
