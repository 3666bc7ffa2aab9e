/**
 * `F.linear` and `F.bilinear`: the affine and bilinear maps of the last
 * dimension, as `torch.nn.functional.linear` / `bilinear`. `F.linear` is the
 * GEMM with the bias added in its store (src/ops/linalg.ts `linear`, which
 * `nn.Linear` runs); `F.bilinear` is one GEMM against the weight laid out
 * (in1, out·in2), then a product with the second input summed over in2.
 * Signatures and docs: src/registry/linear.ts.
 */
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { linear } from '../ops/linalg.js';
import { requireFloating } from '../ops/elementwise/apply.js';
import { fail } from './validate.js';

/** Throws unless `t` (when given) has `like`'s dtype. */
function sameDtype(fn: string, arg: string, t: Tensor | null, like: Tensor): void {
  if (t !== null && t.dtype !== like.dtype) {
    fail(fn, `${arg} has dtype ${t.dtype} but the input has ${like.dtype}`);
  }
}

/** `y = x·Wᵀ + b` over the last dimension: input `(*, in)`, weight `(out, in)`, bias `(out)`. */
export function linearImpl(a: { input: Tensor; weight: Tensor; bias: Tensor | null }): Tensor {
  const fn = 'linear';
  const { input, weight, bias } = a;
  requireFloating(input, fn, 'input');
  sameDtype(fn, 'weight', weight, input);
  sameDtype(fn, 'bias', bias, input);
  if (weight.ndim !== 2) {
    fail(
      fn,
      `weight must have 2 dimensions (outFeatures, inFeatures), got shape ${formatShape(weight.shape)}`,
    );
  }
  const [out, features] = weight.shape;
  if (input.ndim === 0 || input.shape[input.ndim - 1] !== features) {
    fail(
      fn,
      `input of shape ${formatShape(input.shape)} must have ${features} features in its last dimension, as weight of shape ${formatShape(weight.shape)}`,
    );
  }
  // A bias of one value per output is added in the GEMM's store; others broadcast after it.
  const fused = bias === null || (bias.ndim === 1 && bias.shape[0] === out);
  const lead = input.shape.slice(0, -1);
  const rows = lead.reduce((p, d) => p * d, 1);
  const flat = input.ndim === 2 ? input : input.reshape([rows, features]);
  let y = linear(flat, weight, fused ? bias : null);
  if (!fused) y = y.add(bias as Tensor);
  return input.ndim === 2 ? y : y.reshape([...lead, out]);
}

/**
 * `y_o = x1ᵀ·W_o·x2 + b_o` over the last dimensions: inputs `(*, in1)` and
 * `(*, in2)` with the same leading dimensions, weight `(out, in1, in2)`,
 * bias `(out)`.
 */
export function bilinearImpl(a: {
  input1: Tensor;
  input2: Tensor;
  weight: Tensor;
  bias: Tensor | null;
}): Tensor {
  const fn = 'bilinear';
  const { input1, input2, weight, bias } = a;
  requireFloating(input1, fn, 'input1');
  sameDtype(fn, 'input2', input2, input1);
  sameDtype(fn, 'weight', weight, input1);
  sameDtype(fn, 'bias', bias, input1);
  if (weight.ndim !== 3) {
    fail(
      fn,
      `weight must have 3 dimensions (outFeatures, in1Features, in2Features), got shape ${formatShape(weight.shape)}`,
    );
  }
  const [out, in1, in2] = weight.shape;
  const lead = input1.shape.slice(0, -1);
  if (
    input1.ndim === 0 ||
    input2.ndim !== input1.ndim ||
    input2.shape.slice(0, -1).some((d, i) => d !== lead[i])
  ) {
    fail(
      fn,
      `input1 and input2 must have the same leading dimensions, got shapes ${formatShape(input1.shape)} and ${formatShape(input2.shape)}`,
    );
  }
  if (input1.shape[input1.ndim - 1] !== in1 || input2.shape[input2.ndim - 1] !== in2) {
    fail(
      fn,
      `inputs of shapes ${formatShape(input1.shape)} and ${formatShape(input2.shape)} must have ${in1} and ${in2} features in their last dimension, as weight of shape ${formatShape(weight.shape)}`,
    );
  }
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== out)) {
    fail(fn, `bias must have shape [${out}], got ${formatShape(bias.shape)}`);
  }
  const rows = lead.reduce((p, d) => p * d, 1);
  const x1 = input1.reshape([rows, in1]);
  const x2 = input2.reshape([rows, 1, in2]);
  // x1 · W as (in1, out·in2), then each output's row times x2, summed over in2.
  const w = weight.permute(1, 0, 2).reshape([in1, out * in2]);
  let y = x1.matmul(w).reshape([rows, out, in2]).mul(x2).sum(2);
  if (bias !== null) y = y.add(bias);
  return y.reshape([...lead, out]);
}
