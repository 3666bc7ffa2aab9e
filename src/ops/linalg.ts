/** Matrix products. */
import { Tensor } from '../tensor/tensor.js';
import { allocUninit, allocZeroed, promoteTypes, isFloating } from '../tensor/dtype.js';
import {
  broadcastShapes,
  broadcastStrides,
  formatShape,
  sizeOf,
  type Shape,
} from '../tensor/shape.js';
import { checkShape } from '../tensor/checks.js';
import * as T from '../signature/types.js';
import { bindPositional, p } from './method-checks.js';
import { recordOp } from '../autograd/derivatives/index.js';
import { dispatch } from '../kernels/backend.js';
import type { Floats } from '../kernels/js/types.js';

/**
 * Matrix product with `torch.matmul`'s rules: 1-D · 1-D is a dot product; a
 * 1-D operand gains a dimension (prepended on the left, appended on the
 * right) that the result drops; N-D operands are batches of matrices whose
 * batch dimensions (all but the last two) broadcast, so `[2, 1, 3, 4] @
 * [5, 4, 2]` has shape `[2, 5, 3, 2]`. The gradient of a broadcast operand
 * is summed over the batch dimensions it was broadcast along.
 * @example
 * ```ts
 * import { matmul, tensor } from 'nnkit';
 * const x = tensor([[1, 2], [3, 4]]);
 * const w = tensor([[1, 0], [1, 1], [0, 2]]);
 * // x · wᵀ, of shape [2, 3]:
 * console.log(matmul(x, w.t()));
 * // tensor([[1., 3., 4.],
 * //         [3., 7., 8.]])
 * console.log(matmul(tensor([1, 2]), tensor([3, 4]))); // tensor(11.)
 * ```
 * @param input - The left operand, a floating tensor of at least 1 dimension.
 * @param other - The right operand, a floating tensor of at least 1 dimension.
 */
export function matmul(input: Tensor, other: Tensor): Tensor;
export function matmul(...args: unknown[]): Tensor {
  const [a, b] = bindPositional('matmul', MATMUL_PARAMS, args) as [Tensor, Tensor];
  checkOperands(a, b);
  if (!isFloating(a.dtype) || !isFloating(b.dtype)) {
    throw new Error(
      `matmul: operands must be floating-point tensors, got ${a.dtype} and ${b.dtype}`,
    );
  }
  if (a.ndim === 0 || b.ndim === 0)
    throw new Error('matmul: both arguments need at least 1 dimension');
  if (a.ndim === 1 && b.ndim === 1) {
    // A dot product: equal lengths, not broadcast ([3]·[1] would broadcast through mul).
    if (a.shape[0] !== b.shape[0]) {
      throw new Error(
        `matmul: 1-D tensors of ${a.shape[0]} and ${b.shape[0]} elements cannot be multiplied (a dot product needs the same number)`,
      );
    }
    return a.mul(b).sum();
  }
  const k = a.shape[a.ndim - 1];
  const k2 = b.shape[Math.max(b.ndim - 2, 0)];
  if (k !== k2) {
    throw new Error(
      `matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} cannot be multiplied (${k} vs ${k2})`,
    );
  }
  if (a.ndim === 1) return matmul(a.unsqueeze(0), b).squeeze(-2);
  if (b.ndim === 1) return matmul(a, b.unsqueeze(1)).squeeze(-1);
  const m = a.shape[a.ndim - 2];
  const n = b.shape[b.ndim - 1];
  if (b.ndim === 2 && a.ndim > 2) {
    checkShape('matmul', [...a.shape.slice(0, -1), n], a.dtype, 'result shape');
    // Rows counted, not -1: an empty `a` cannot infer a -1 (reshape refuses [-1, 0]).
    const flat = matmul(a.reshape([sizeOf(a.shape.slice(0, -2)) * m, k]), b);
    return flat.reshape([...a.shape.slice(0, -1), n]);
  }
  if (
    a.ndim === 2 &&
    b.ndim === 2 &&
    a.dtype === b.dtype &&
    m * n > 0 &&
    k > 0 &&
    (!a.isContiguous() || !b.isContiguous())
  ) {
    // A transposed view is read in place by the GEMM (its transpose flag flipped).
    return matmulTransposed(a, b, false, false);
  }
  return batchedProduct(a, b, false, false);
}

/**
 * `op(a) · op(b)` over broadcast batches of matrices (`a`, `b` at least 2-D,
 * of one floating dtype; op transposes the last two dimensions where asked,
 * read in place by the GEMM: no transposed copy). One GEMM per batch entry;
 * a broadcast operand is read once per entry, never expanded.
 */
function batchedProduct(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  const [ra, ca] = a.shape.slice(-2);
  const [rb, cb] = b.shape.slice(-2);
  const [m, k] = transA ? [ca, ra] : [ra, ca];
  const [k2, n] = transB ? [cb, rb] : [rb, cb];
  const mark = (t: boolean) => (t ? 'ᵀ' : '');
  if (k !== k2) {
    throw new Error(
      `matmul: shapes ${formatShape(a.shape)}${mark(transA)} and ${formatShape(b.shape)}${mark(transB)} cannot be multiplied (${k} vs ${k2})`,
    );
  }
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  let batch: number[];
  try {
    batch = broadcastShapes(batchA, batchB, 'matmul');
  } catch {
    throw new Error(
      `matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} cannot be multiplied (batch dimensions ${formatShape(batchA)} and ${formatShape(batchB)} do not broadcast)`,
    );
  }
  const dtype = promoteTypes(a.dtype, b.dtype);
  checkShape('matmul', [...batch, m, n], dtype, 'result shape');
  // An empty product (k = 0 included) is all zeros: no kernel runs over its nominal rows.
  const out = (k === 0 ? allocZeroed : allocUninit)(dtype, sizeOf(batch) * m * n) as Floats;
  const ad = a.data as Floats;
  const bd = b.data as Floats;
  if (out.length > 0 && k > 0) {
    const ia = matrixIndices(batchA, batch);
    const ib = matrixIndices(batchB, batch);
    for (let s = 0; s < ia.length; s++) {
      dispatch(
        'matmul',
        m,
        k,
        n,
        ad.subarray(ia[s] * m * k, (ia[s] + 1) * m * k),
        bd.subarray(ib[s] * k * n, (ib[s] + 1) * k * n),
        out.subarray(s * m * n, (s + 1) * m * n),
        transA,
        transB,
      );
    }
  }
  // A broadcast operand's gradient has the batch shape `batch`; autograd sums it
  // over the broadcast dimensions back to the operand's shape (`sumToShape`).
  const t = new Tensor(out, [...batch, m, n]);
  return recordOp(t, 'matmul', [a, b], { a, b, transA, transB });
}

/**
 * For each entry of the broadcast batch shape `to`, in row-major order, the
 * index of the matrix it reads in a contiguous batch of shape `from`.
 */
function matrixIndices(from: Shape, to: Shape): number[] {
  const strides = broadcastStrides(from, to);
  let idx = [0];
  to.forEach((d, i) => {
    idx = idx.flatMap((o) => Array.from({ length: d }, (_, j) => o + j * strides[i]));
  });
  return idx;
}

/**
 * The checks PyTorch makes first: two tensors of one dtype (PyTorch: "expected
 * scalar type Float but found Double"; nnkit does not promote either).
 */
const MATMUL_PARAMS = [p('input', T.tensor), p('other', T.tensor)];

function checkOperands(a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype && isFloating(a.dtype) && isFloating(b.dtype)) {
    throw new Error(
      `matmul: both operands must have the same dtype, got ${a.dtype} and ${b.dtype} (convert one with .to())`,
    );
  }
}

/**
 * `op(a) · op(b)`, op transposing the last two dimensions where asked. For
 * operands of one floating dtype, at least 2-D, every backend's GEMM reads
 * the transposed operand in place (no transposed copy; batches broadcast as
 * in `matmul`); otherwise the transpose is copied and `matmul` runs. The backward of `matmul` and `nn.Linear` (`x·Wᵀ`) use it:
 * `matmulTransposed(x, w, false, true)` is `x · wᵀ`.
 */
export function matmulTransposed(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  if (a.ndim < 2 || b.ndim < 2 || a.dtype !== b.dtype || !isFloating(a.dtype)) {
    return matmul(transA ? a.transpose(-1, -2) : a, transB ? b.transpose(-1, -2) : b);
  }
  if (a.ndim > 2 || b.ndim > 2) return batchedProduct(a, b, transA, transB);
  const [m, k] = transA ? [a.shape[1], a.shape[0]] : a.shape;
  const [k2, n] = transB ? [b.shape[1], b.shape[0]] : b.shape;
  if (k !== k2) {
    throw new Error(
      `matmul: shapes ${formatShape(a.shape)}${transA ? 'ᵀ' : ''} and ${formatShape(b.shape)}${transB ? 'ᵀ' : ''} cannot be multiplied (${k} vs ${k2})`,
    );
  }
  checkShape('matmul', [m, n], a.dtype, 'result shape');
  if (m * n === 0 || k === 0) {
    // All zeros (or empty): matmul skips the kernels.
    return matmul(transA ? a.transpose(-1, -2) : a, transB ? b.transpose(-1, -2) : b);
  }
  const out = allocUninit(a.dtype, m * n) as Floats;
  const opA = gemmOperand(a, transA);
  const opB = gemmOperand(b, transB);
  dispatch('matmul', m, k, n, opA.data, opB.data, out, opA.trans, opB.trans);
  const t = new Tensor(out, [m, n]);
  return recordOp(t, 'matmul', [a, b], { a, b, transA, transB });
}

/**
 * A 2-D operand of the GEMM as its row-major elements and whether the GEMM
 * reads them transposed: a contiguous matrix as it is; a transposed view of
 * a contiguous matrix (strides `[1, rows]`, as `t()` makes) as that
 * matrix's storage, read in place with the flag flipped; any other view as
 * a contiguous copy.
 */
function gemmOperand(t: Tensor, trans: boolean): { data: Floats; trans: boolean } {
  if (!t.isContiguous() && t.ndim === 2) {
    const [rows, cols] = t.shape;
    const [s0, s1] = t.stride();
    if (s0 === 1 && s1 === rows) {
      const at = t.storageOffset();
      return { data: t._storage.subarray(at, at + rows * cols) as Floats, trans: !trans };
    }
  }
  return { data: t.data as Floats, trans };
}

/**
 * `y = x·wᵀ + b` for `x` `(m, k)`, `w` `(n, k)` and `b` `(n)` or null, the
 * affine map of `nn.Linear` and `F.linear`, as one GEMM that reads `w`
 * transposed in place and adds `b` as it stores `y` (no second pass over
 * `y`, no broadcast add node). Backward: `∂x = g·w` (a GEMM), and `∂w = gᵀ·x`
 * with `∂b = Σ_rows g` (column sums in float64, as `sum` accumulates) in one
 * `linearBackward` kernel call. Operands of other ranks or mixed dtypes, and views (a
 * transposed one read in place by the GEMM), take
 * `matmulTransposed` and a broadcast `add`. `nn.Linear.forward` calls
 * `linear(x, this.weight, this.bias)`.
 */
export function linear(x: Tensor, w: Tensor, b: Tensor | null): Tensor {
  const dtype = x.dtype;
  if (
    x.ndim !== 2 ||
    w.ndim !== 2 ||
    !isFloating(dtype) ||
    w.dtype !== dtype ||
    (b !== null && (b.ndim !== 1 || b.dtype !== dtype || b.shape[0] !== w.shape[0])) ||
    x.shape[1] !== w.shape[1] ||
    !x.isContiguous() ||
    !w.isContiguous()
  ) {
    const y = matmulTransposed(x, w, false, true);
    return b ? y.add(b) : y;
  }
  const [m, k] = x.shape;
  const n = w.shape[0];
  const out = allocUninit(dtype, m * n) as Floats;
  dispatch(
    'linear',
    m,
    k,
    n,
    x.data as Floats,
    w.data as Floats,
    b ? (b.data as Floats) : null,
    out,
  );
  const y = new Tensor(out, [m, n]);
  return recordOp(y, 'linear', b ? [x, w, b] : [x, w], { x, w, b });
}
