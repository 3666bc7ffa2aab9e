/**
 * Runs table entries on tensors: allocation, dtype rules, broadcasting,
 * in-place variants and the autograd record. Nothing here knows any formula.
 */
import { Tensor } from '../../tensor/tensor.js';
import { allocUninit, isFloating, promoteTypes, type DType } from '../../tensor/dtype.js';
import { coalesceLayout } from '../../tensor/strided.js';
import {
  broadcastShapes,
  broadcastStrides,
  sameShape,
  sizeOf,
  type Shape,
} from '../../tensor/shape.js';
import { needsGrad, record, checkInplace, commitInplace } from '../../autograd/node.js';
import { dispatch } from '../../kernels/backend.js';
import { binaryKernels } from '../../kernels/js/elementwise.generated.js';
import type { Floats, Numbers } from '../../kernels/js/types.js';
import {
  UNARY,
  BINARY,
  COMPARISONS,
  MEAN_BACKWARD,
  type BinaryName,
  type UnaryName,
} from './table.js';
import { v, param, varsUsed, type Ex } from './expr.js';

/** Which saved values each entry's backward reads (`x`, `y`), found once from the table. */
const SAVES: Record<string, { x: boolean; y: boolean }> = {};
for (const [name, def] of Object.entries(UNARY)) {
  if (!def.backward) continue;
  const p: Record<string, Ex> = Object.fromEntries(
    Object.keys(def.params).map((k) => [k, param(k)]),
  );
  const used = varsUsed(
    (def.backward as (g: { x: Ex; y: Ex; dy: Ex }, p: Record<string, Ex>) => Ex)(
      { x: v('x'), y: v('y'), dy: v('dy') },
      p,
    ).node,
  );
  SAVES[name] = { x: used.has('x'), y: used.has('y') };
}

/**
 * Which operands each binary entry's partial derivatives read, found once from the table, and
 * which partials are the incoming gradient itself (`add`'s both, `sub`'s first): those hand the
 * gradient on without a kernel pass, as the engine reduces a broadcast operand's share anyway.
 */
const BINARY_SAVES: Record<string, { a: Set<string>; b: Set<string> }> = {};
const PASSES_GRADIENT: Record<string, { a: boolean; b: boolean }> = {};
const isIncomingGradient = (e: Ex): boolean => e.node.k === 'var' && e.node.name === 'dy';
for (const [name, def] of Object.entries(BINARY)) {
  type Partial = (g: { a: Ex; b: Ex; dy: Ex }, p: Record<string, Ex>) => Ex;
  const bw = def.backward as { a: Partial; b: Partial } | null;
  if (!bw) continue;
  const params = (def as { params?: Record<string, number> }).params ?? {};
  const p: Record<string, Ex> = Object.fromEntries(Object.keys(params).map((k) => [k, param(k)]));
  const g = { a: v('a'), b: v('b'), dy: v('dy') };
  BINARY_SAVES[name] = { a: varsUsed(bw.a(g, p).node), b: varsUsed(bw.b(g, p).node) };
  PASSES_GRADIENT[name] = { a: isIncomingGradient(bw.a(g, p)), b: isIncomingGradient(bw.b(g, p)) };
}

/** The operands a binary op's backward will read, given which of them require grad. */
function binarySaved(name: string, a: Tensor, b: Tensor): (Tensor | null)[] {
  const s = BINARY_SAVES[name];
  if (!s) return [a, b];
  const reads = (operand: 'a' | 'b'): boolean =>
    (a.requiresGrad && s.a.has(operand)) || (b.requiresGrad && s.b.has(operand));
  return [reads('a') ? a : null, reads('b') ? b : null];
}

/** Throws unless `t` holds floating-point data. */
export function requireFloating(t: Tensor, fn: string, arg = 'input'): void {
  if (!isFloating(t.dtype)) {
    throw new Error(
      `${fn}: ${arg} must be a floating-point tensor (float32 or float64), got ${t.dtype}`,
    );
  }
}

export interface UnaryOptions {
  /** Name used in error messages (the public function). */
  fn?: string;
  /** Write the result into `x` (PyTorch's `inplace=True`). */
  inplace?: boolean;
}

/** Applies the table entry `name` with kernel parameters `params` (in the entry's order). */
export function unaryOp(
  name: UnaryName,
  x: Tensor,
  params: readonly number[] = [],
  opts: UnaryOptions = {},
): Tensor {
  const fn = opts.fn ?? name;
  requireFloating(x, fn);
  const n = x.size;
  const xData = x.data as Floats;
  const grad = needsGrad(x) && UNARY[name].backward !== null;
  const saves = SAVES[name] ?? { x: false, y: false };

  if (opts.inplace) {
    x._checkWritable(fn);
    checkInplace(x, fn);
    const savedX = grad && saves.x ? (xData.slice() as Floats) : null;
    dispatch('unaryForward', name, n, xData, xData, params);
    // A non-contiguous view's `data` is a copy: scatter the result into the storage.
    if (!x.isContiguous()) x._writeStrided(xData);
    // The graph keeps the pre-modification tensor as this node's input.
    const rule = grad
      ? (g: Tensor, _final: boolean, scratch: boolean) => [
          unaryBackward(name, g, savedX, xData, params, scratch),
        ]
      : null;
    commitInplace(x, name, rule, saves.y ? [x] : []);
    return x;
  }

  const out = new Tensor(allocUninit(x.dtype, n), x.shape);
  dispatch('unaryForward', name, n, out.data as Floats, xData, params);
  if (grad) {
    const savedX = saves.x ? xData : null;
    const savedY = saves.y ? (out.data as Floats) : null;
    const saved = [savedX ? x : null, savedY ? out : null];
    record(out, name, [x], saved, (g, _final, scratch) => [
      unaryBackward(name, g, savedX, savedY, params, scratch),
    ]);
  }
  return out;
}

/**
 * `dx = f'(x, y) · dy`, into a new array, or over `g` itself when the
 * backward pass says `g` is scratch (every kernel reads an element of dy
 * before writing that element of dx): workload a of bench:train, whose
 * ReLU gradients are 1.2 MB, ran 4–7 % faster per step.
 */
function unaryBackward(
  name: string,
  g: Tensor,
  x: Floats | null,
  y: Floats | null,
  params: readonly number[],
  scratch = false,
): Tensor {
  const dy = g.data as Floats;
  const dx = scratch ? dy : (allocUninit(g.dtype, g.size) as Floats);
  dispatch('unaryBackward', name, g.size, dx, dy, x, y, params);
  return new Tensor(dx, g.shape);
}

/**
 * How a broadcast binary op reads an operand: its shape, and its strides and
 * offset into the array it is read from (`strides` null: row-major from 0).
 */
export interface RowLayout {
  readonly shape: Shape;
  readonly strides: readonly number[] | null;
  readonly offset: number;
}

/**
 * An operand's elements and layout for `forEachBroadcastBlock`. A view whose
 * rows the kernels can step through (last stride 0 or 1: `narrow` of an
 * inner dimension, `expand`, a `permute` keeping the last dimension) is
 * read in place from its storage; another non-contiguous view (a transpose)
 * through `data`, a contiguous copy.
 */
export function rowOperand(t: Tensor): { data: Numbers; layout: RowLayout } {
  if (!t.isContiguous()) {
    const strides = t.stride();
    const last = strides[strides.length - 1];
    if (last === 0 || last === 1 || t.shape[t.ndim - 1] === 1) {
      return {
        data: t._storage as Numbers,
        layout: { shape: t.shape, strides, offset: t.storageOffset() },
      };
    }
  }
  return { data: t.data as Numbers, layout: { shape: t.shape, strides: null, offset: 0 } };
}

/** The layout's strides over the broadcast output's dimensions (0 where it is broadcast). */
function stridesIn(l: RowLayout, outShape: Shape): number[] {
  if (l.strides === null) return broadcastStrides(l.shape, outShape);
  const lead = outShape.length - l.shape.length;
  return outShape.map((_n, i) =>
    i < lead || l.shape[i - lead] === 1 ? 0 : (l.strides as readonly number[])[i - lead],
  );
}

/**
 * One kernel call of a broadcast binary op: `rows` rows of `n` output
 * elements from `outOff` on; row r of operand a starts at
 * `aOff + r·aRowStride` and steps by `aStride` (0 or 1), and likewise b.
 */
export type BroadcastBlock = (
  outOff: number,
  rows: number,
  n: number,
  aOff: number,
  aRowStride: number,
  aStride: number,
  bOff: number,
  bRowStride: number,
  bStride: number,
) => void;

/**
 * Calls `block` for each block of the broadcast output, in order. The
 * output's dimensions of size 1 are dropped, and neighbours that both
 * operands step through as one (a contiguous operand, a broadcast one) are
 * merged, so a bias over a batch ([B, C] + [C]) or a channel scale over an
 * image batch ([N, C, H, W] · [1, C, 1, 1] → N blocks of C rows of H·W) is
 * a few calls, not one per row: each call into the addon costs about a
 * microsecond. The last two dimensions left are the rows of a block (its
 * last dimension the row itself, unless an operand steps through it by a
 * stride other than 0 or 1: then rows of one element); earlier ones are
 * walked with an odometer.
 */
export function forEachBroadcastBlock(
  outShape: Shape,
  a: RowLayout,
  b: RowLayout,
  block: BroadcastBlock,
): void {
  if (sizeOf(outShape) === 0) return;
  const c = coalesceLayout(outShape, stridesIn(a, outShape), stridesIn(b, outShape));
  const dims = c.shape;
  const [as, bs] = c.strides;
  const unit = (s: number): boolean => s === 0 || s === 1;
  // The row is the last dimension, or one element where an operand steps through it by more;
  // the rows of a block the dimension before; the outer dimensions [0, k) the odometer's.
  let k = dims.length;
  let [n, aStride, bStride, rows, aRow, bRow] = [1, 0, 0, 1, 0, 0];
  if (k > 0 && unit(as[k - 1]) && unit(bs[k - 1])) {
    k--;
    [n, aStride, bStride] = [dims[k], as[k], bs[k]];
  }
  if (k > 0) {
    k--;
    [rows, aRow, bRow] = [dims[k], as[k], bs[k]];
  }
  const idx = new Array<number>(k).fill(0);
  let aOff = a.offset;
  let bOff = b.offset;
  for (let outOff = 0, total = sizeOf(outShape); outOff < total; outOff += rows * n) {
    block(outOff, rows, n, aOff, aRow, aStride, bOff, bRow, bStride);
    for (let d = k - 1; d >= 0; d--) {
      idx[d]++;
      aOff += as[d];
      bOff += bs[d];
      if (idx[d] < dims[d]) break;
      aOff -= as[d] * dims[d];
      bOff -= bs[d] * dims[d];
      idx[d] = 0;
    }
  }
}

/** The dtype of `a op b` under PyTorch's promotion (comparisons give int32 0/1). */
function resultDType(name: BinaryName, a: DType, b: DType): DType {
  if (COMPARISONS.has(name)) return 'int32';
  const t = promoteTypes(a, b);
  if (t === 'int32' && (name === 'div' || name === 'pow')) return 'float32';
  return t;
}

/** Turns a JS number operand into a scalar tensor matching the other operand, as PyTorch's weak scalars do. */
export function scalarLike(value: number, other: Tensor): Tensor {
  const dtype: DType =
    other.dtype === 'int32' && !Number.isInteger(value) ? 'float32' : other.dtype;
  const data = allocUninit(dtype, 1);
  data[0] = value;
  return new Tensor(data, []);
}

/** Applies a binary table entry with broadcasting; `params` in the entry's order. */
export function binaryOp(
  name: BinaryName,
  aIn: Tensor | number,
  bIn: Tensor | number,
  params: readonly number[] = [],
): Tensor {
  if (typeof aIn === 'number' && typeof bIn === 'number') {
    throw new Error(`${name}: at least one operand must be a tensor`);
  }
  const a = typeof aIn === 'number' ? scalarLike(aIn, bIn as Tensor) : aIn;
  const b = typeof bIn === 'number' ? scalarLike(bIn, a) : bIn;
  const outShape = broadcastShapes(a.shape, b.shape, name);
  const dtype = resultDType(name, a.dtype, b.dtype);
  const out = new Tensor(allocUninit(dtype, sizeOf(outShape)), outShape);
  const { data: ad, layout: al } = rowOperand(a);
  const { data: bd, layout: bl } = rowOperand(b);
  const od = out.data as Numbers;
  forEachBroadcastBlock(outShape, al, bl, (oo, rows, n, ao, ars, as, bo, brs, bs) => {
    dispatch('binaryForward', name, rows, n, od, oo, ad, ao, ars, as, bd, bo, brs, bs, params);
  });
  if (binaryKernels[name].backward && isFloating(dtype) && needsGrad(a, b)) {
    record(out, name, [a, b], binarySaved(name, a, b), (gIn) => {
      // A view (the expanded gradient of a sum) is laid out once, for both partials.
      const g = gIn._isPlain ? gIn : gIn.contiguous();
      const dy = g.data as Floats;
      const partial = (which: 'a' | 'b', t: Tensor): Tensor | null => {
        if (!t.requiresGrad) return null;
        if (PASSES_GRADIENT[name]?.[which]) return g;
        const d = allocUninit(g.dtype, g.size) as Floats;
        forEachBroadcastBlock(outShape, al, bl, (oo, rows, n, ao, ars, as, bo, brs, bs) => {
          const args = [d, oo, dy, ad, ao, ars, as, bd, bo, brs, bs, params] as const;
          dispatch('binaryBackward', name, which, rows, n, ...args);
        });
        return new Tensor(d, outShape);
      };
      return [partial('a', a), partial('b', b)];
    });
  }
  return out;
}

/**
 * `sum` or `mean` of a binary table entry over two tensors of one shape,
 * fused: one pass computes Σ f(a, b) without materialising the elementwise
 * values, and the gradient is one pass of ∂f/∂a · (dy or dy/n). This is how
 * the pointwise losses reduce. Mixed dtypes take the unfused path.
 */
export function binaryReduceOp(
  name: BinaryName,
  a: Tensor,
  b: Tensor,
  params: readonly number[],
  reduction: 'sum' | 'mean',
): Tensor {
  if (
    !binaryKernels[name].reduce ||
    a.dtype !== b.dtype ||
    !isFloating(a.dtype) ||
    !sameShape(a.shape, b.shape)
  ) {
    const full = binaryOp(name, a, b, params);
    return reduction === 'sum' ? full.sum() : full.mean();
  }
  const n = a.size;
  const ad = a.data as Floats;
  const bd = b.data as Floats;
  // The kernels accumulate in float64; a float32 sum is rounded to float32
  // before the mean divides it, so it overflows to ±Infinity where PyTorch's does.
  const f32 = a.dtype === 'float32';
  const total = dispatch('binarySum', name, n, ad, bd, params);
  const out = allocUninit(a.dtype, 1);
  out[0] = reduction === 'sum' ? total : (f32 ? Math.fround(total) : total) / n;
  const result = new Tensor(out, []);
  if (needsGrad(a, b)) {
    record(result, name, [a, b], binarySaved(name, a, b), (g) => {
      // PyTorch's mean backward divides the float32 gradient by n in float32,
      // except in the loss kernels that apply 1/n in their own place.
      const own = reduction === 'mean' ? MEAN_BACKWARD[name] : undefined;
      const scale =
        reduction === 'sum' || own ? g.data[0] : f32 ? Math.fround(g.data[0] / n) : g.data[0] / n;
      const entry = own ? own.entry : name;
      const entryParams = own ? own.params(n) : params;
      const partial = (which: 'a' | 'b', t: Tensor): Tensor | null => {
        if (!t.requiresGrad) return null;
        if (PASSES_GRADIENT[name]?.[which]) return g;
        const d = allocUninit(a.dtype, n) as Floats;
        dispatch('binaryBackwardScaled', entry, which, n, d, scale, ad, bd, entryParams);
        return new Tensor(d, a.shape);
      };
      return [partial('a', a), partial('b', b)];
    });
  }
  return result;
}
