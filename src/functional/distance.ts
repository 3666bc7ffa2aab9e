/**
 * Distances between batches of vectors: the p-norm of a difference and the
 * cosine similarity, the companions of the triplet and cosine-embedding
 * losses; and `normalize`, vectors divided by their p-norm. Signatures and
 * docs: src/registry/distances.ts and src/registry/activations.ts.
 */
import { Tensor } from '../tensor/tensor.js';
import { allocUninit } from '../tensor/dtype.js';
import { broadcastShapes, formatShape, normalizeDim } from '../tensor/shape.js';
import { recordOp } from '../autograd/derivatives/index.js';
import { requireFloating } from '../ops/elementwise/apply.js';
import { fail } from './validate.js';

/**
 * The Euclidean norm over `dim`, with PyTorch's gradient `x·g/‖x‖`, which is
 * 0 where the norm is 0 (composing `sqrt(Σx²)` would give 0/0 there).
 * With `clampMin`, the value is raised to at least `clampMin` and the
 * gradient divides by the raised value, as PyTorch's in-place `clamp_min_`
 * on the norm's output does in `cosine_similarity`.
 */
function euclideanNorm(x: Tensor, dim: number, keepdim: boolean, clampMin = 0): Tensor {
  const squared = x.detach().mul(x.detach()).sum(dim, true);
  const n = allocUninit(x.dtype, squared.size);
  const sd = squared.data;
  for (let i = 0; i < n.length; i++) n[i] = Math.max(Math.sqrt(sd[i]), clampMin);
  const normKeep = new Tensor(n, squared.shape);
  const out = keepdim ? normKeep : normKeep.squeeze(dim);
  return recordOp(new Tensor(out.data, out.shape), 'norm', [x], { x, dim, keepdim, normKeep });
}

/** `‖x1 − x2 + eps‖_p` over the last dimension, the shapes broadcast. */
export function pairwiseDistanceImpl(a: {
  x1: Tensor;
  x2: Tensor;
  p: number;
  eps: number;
  keepdim: boolean;
}): Tensor {
  const fn = 'pairwiseDistance';
  const { x1, x2, p, eps, keepdim } = a;
  requireFloating(x1, fn, 'x1');
  requireFloating(x2, fn, 'x2');
  broadcastOrFail(fn, x1, x2);
  const diff = x1.sub(x2).add(eps);
  if (diff.ndim === 0) return diff.abs();
  const dim = diff.ndim - 1;
  if (p === Infinity) return diff.abs().amax(dim, keepdim);
  if (p === 1) return diff.abs().sum(dim, keepdim);
  if (p === 2) return euclideanNorm(diff, dim, keepdim);
  return diff
    .abs()
    .pow(p)
    .sum(dim, keepdim)
    .pow(1 / p);
}

/**
 * Cosine similarity along `dim`, computed as PyTorch 1.13 does:
 * `Σ (x1/max(‖x1‖, eps))·(x2/max(‖x2‖, eps))`, each vector normalised
 * first so that large entries cannot overflow the product of the norms.
 */
export function cosineSimilarityImpl(a: {
  x1: Tensor;
  x2: Tensor;
  dim: number;
  eps: number;
}): Tensor {
  const fn = 'cosineSimilarity';
  const { x1, x2, eps } = a;
  requireFloating(x1, fn, 'x1');
  requireFloating(x2, fn, 'x2');
  const shape = broadcastOrFail(fn, x1, x2);
  const e1 = x1.expand(shape);
  const e2 = x2.expand(shape);
  if (shape.length === 0) fail(fn, 'inputs must have at least 1 dimension, got scalars');
  const d = normalizeDim(a.dim, shape.length, fn);
  const n1 = euclideanNorm(e1, d, true, eps);
  const n2 = euclideanNorm(e2, d, true, eps);
  return e1.div(n1).mul(e2.div(n2)).sum(d);
}

/**
 * `x / max(‖x‖_p, eps)` along `dim`, as PyTorch 1.13's `F.normalize`
 * (`input.norm(p, dim, keepdim=True).clamp_min(eps)`), with the gradient of
 * PyTorch's norm: 0 through the norm of an all-zero vector. p = 2 uses the
 * Euclidean norm above; p = 1 and ∞ compose `abs`, `sum`, `amax`, whose
 * gradients are PyTorch's norm's (sign(x)·g; g split among the ties of the
 * maximum). Other p compose `(Σ|x|^p)^(1/p)` on a copy whose all-zero
 * vectors read as ones and whose norm is then multiplied by 0: the power
 * rule's 0^(negative) never meets a gradient there, as PyTorch masks it.
 */
export function normalizeImpl(a: { input: Tensor; p: number; dim: number; eps: number }): Tensor {
  const fn = 'normalize';
  const { input, p, eps } = a;
  requireFloating(input, fn);
  // A 0-d input is a vector of one element along dim 0 (or -1), as in PyTorch.
  const x = input.ndim === 0 ? input.reshape([1]) : input;
  const d = normalizeDim(a.dim, x.ndim, fn);
  const out = x.div(pNorm(x, p, d).clamp(eps));
  return input.ndim === 0 ? out.reshape([]) : out;
}

/** ‖x‖_p over `dim`, kept as a dimension of size 1. */
function pNorm(x: Tensor, p: number, dim: number): Tensor {
  if (p === 2) return euclideanNorm(x, dim, true);
  if (p === 1) return x.abs().sum(dim, true);
  if (p === Infinity) return x.abs().amax(dim, true);
  const sums = x.detach().abs().sum(dim, true).data;
  const zero = allocUninit(x.dtype, sums.length);
  for (let i = 0; i < zero.length; i++) zero[i] = sums[i] === 0 ? 1 : 0;
  const isZero = new Tensor(zero, keptShape(x.shape, dim));
  return x
    .abs()
    .add(isZero)
    .pow(p)
    .sum(dim, true)
    .pow(1 / p)
    .mul(isZero.neg().add(1));
}

function keptShape(shape: readonly number[], dim: number): number[] {
  const s = [...shape];
  s[dim] = 1;
  return s;
}

function broadcastOrFail(fn: string, x1: Tensor, x2: Tensor): number[] {
  try {
    return broadcastShapes(x1.shape, x2.shape, fn);
  } catch {
    return fail(
      fn,
      `x1 of shape ${formatShape(x1.shape)} and x2 of shape ${formatShape(x2.shape)} do not broadcast`,
    );
  }
}
