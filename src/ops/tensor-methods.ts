/**
 * The tensor methods that are ops: arithmetic with broadcasting, math,
 * comparisons, reductions, shape changes, indexing and matmul. They are
 * declared on `Tensor`'s type here (declaration merging) and installed on
 * its prototype when this module loads, so that `tensor.ts` imports no op
 * at run time (the layers run tensor → autograd → ops, never back).
 */
import { Tensor, type Operand } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import { binaryOp, unaryOp } from './elementwise/apply.js';
import * as reduce from './reduce.js';
import * as shapeOps from './shape-ops.js';
import * as indexOps from './index-ops.js';
import { matmul, matmulTransposed } from './linalg.js';
import { col2im, im2col } from './windows.js';
import { boxSpread, boxSum } from './boxes.js';
import type { Boxes, Windows } from '../autograd/derivatives/index.js';
import { installChecks } from './method-checks.js';
import { addScaledInPlace, fillInPlace, inplace } from './inplace.js';
import * as math from './math.js';
import * as sorting from './sort.js';
import * as sampling from './random-methods.js';
import type { GeneratorOption } from './random-methods.js';
import { sampleBernoulli, sampleMultinomial } from './multinomial.js';
import type { Generator } from '../tensor/random.js';

type Dims = number | readonly number[];

/**
 * PyTorch 1.13's forms of `var`/`std`: `(unbiased)` alone, or
 * `(dim, unbiased, keepdim)`, or `(dim, *, correction, keepdim)`.
 */
function varStd(
  x: Tensor,
  fn: 'var' | 'std',
  dim: Dims | boolean | null | undefined,
  unbiased: boolean | undefined,
  keepdim: boolean | undefined,
  correction: number | null | undefined,
): Tensor {
  if (typeof dim === 'boolean') {
    if (unbiased !== undefined || keepdim !== undefined || (correction ?? null) !== null) {
      throw new Error(
        `${fn}: a boolean first argument is unbiased (PyTorch's ${fn}(unbiased)), which takes no other argument; give the dim first: ${fn}(dim, unbiased, keepdim)`,
      );
    }
    return reduce.varStd(x, fn, undefined, dim ? 1 : 0, false);
  }
  if (unbiased !== undefined && (correction ?? null) !== null) {
    throw new Error(
      `${fn}: give unbiased or correction, not both (unbiased=${unbiased} is correction=${unbiased ? 1 : 0})`,
    );
  }
  return reduce.varStd(x, fn, dim, correction ?? (unbiased === false ? 0 : 1), keepdim ?? false);
}

/**
 * What `x.max(dim)`, `x.min(dim)`, `x.sort()` and `x.topk(k)` return:
 * PyTorch's `(values, indices)` named tuple, by name (`.values`) or
 * unpacked (`const [v, i] = x.max(1)`).
 */
export interface ValuesIndices extends Iterable<Tensor> {
  /** The extrema along `dim` (max/min), or the sorted or top-k values (differentiable). */
  values: Tensor;
  /** Where they are along `dim` (int32; max/min give the first on ties). */
  indices: Tensor;
}

/** The arguments of `sort` and `argsort` that may be given by name (`stable` only by name). */
export interface SortOptions {
  /** Sort largest first (default `false`). */
  descending?: boolean;
  /** Keep equal elements in their input order (default `false`; keyword-only, as in PyTorch). */
  stable?: boolean;
}

/** The keyword arguments of `var` and `std` (PyTorch 1.13's `unbiased` or `correction`, and `keepdim`). */
export interface VarOptions {
  /** `true` (the default): divide by N − 1; `false`: by N. Not with `correction`. */
  unbiased?: boolean;
  /** Divide by `max(0, N − correction)`; an integer, default 1. Not with `unbiased`. */
  correction?: number | null;
  /** Keep the reduced dims with size 1 (default `false`). */
  keepdim?: boolean;
}

declare module '../tensor/tensor.js' {
  interface Tensor {
    /**
     * `this + other`, broadcasting (PyTorch's type promotion).
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * console.log(tensor([1, 2]).add(1)); // tensor([2., 3.])
     * console.log(tensor([[1], [2]]).add(tensor([10, 20])));
     * // tensor([[11., 21.],
     * //         [12., 22.]])
     * ```
     */
    add(other: Operand): Tensor;
    /**
     * `this − other`, broadcasting.
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * console.log(tensor([1, 2]).sub(tensor([1, 1]))); // tensor([0., 1.])
     * ```
     */
    sub(other: Operand): Tensor;
    /**
     * `this · other`, broadcasting.
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * console.log(tensor([1, 2]).mul(3)); // tensor([3., 6.])
     * ```
     */
    mul(other: Operand): Tensor;
    /**
     * `this / other`, broadcasting; integer operands give float32, as in PyTorch.
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * console.log(tensor([1, 2]).div(4)); // tensor([0.2500, 0.5000])
     * console.log(tensor([1, 2], { dtype: 'int32' }).div(2)); // tensor([0.5000, 1.0000])
     * ```
     */
    div(other: Operand): Tensor;
    /**
     * `this ** exponent`; a number exponent uses PyTorch's `pow(Tensor, Scalar)` gradient.
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * console.log(tensor([2, 3]).pow(2)); // tensor([4., 9.])
     * ```
     */
    pow(exponent: Operand): Tensor;
    /**
     * Elementwise maximum (NaN propagates; ties split the gradient).
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * console.log(tensor([1, 5, NaN]).maximum(tensor([3, 2, 0]))); // tensor([3., 5., nan])
     * ```
     */
    maximum(other: Operand): Tensor;
    /**
     * Elementwise minimum (NaN propagates; ties split the gradient).
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * console.log(tensor([1, 5]).minimum(3)); // tensor([1., 3.])
     * ```
     */
    minimum(other: Operand): Tensor;
    /** `−this` (int32 wraps as PyTorch's: `−(−2³¹)` is `−2³¹`). */
    neg(): Tensor;
    /** `|this|` (gradient sign(x), 0 at 0; int32 wraps as PyTorch's: `|−2³¹|` is `−2³¹`). */
    abs(): Tensor;
    /** `exp(this)`. */
    exp(): Tensor;
    /** `exp(this) − 1`, exact near 0. */
    expm1(): Tensor;
    /** Natural logarithm. */
    log(): Tensor;
    /** `log(1 + this)`, exact near 0. */
    log1p(): Tensor;
    /** Square root. */
    sqrt(): Tensor;
    /**
     * Sine, like `torch.sin` (an int32 tensor gives float32, as in PyTorch).
     * Evaluated with `Math.sin` in float64 and rounded once, within an ulp
     * of PyTorch's SLEEF kernel. The gradient is `G · cos x`.
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * console.log(tensor([0, Math.PI / 6, Infinity]).sin()); // tensor([0.0000, 0.5000,    nan])
     * ```
     */
    sin(): Tensor;
    /**
     * Cosine, like `torch.cos` (an int32 tensor gives float32). The
     * gradient is `G · (−sin x)`.
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * console.log(tensor([0, Math.PI / 3]).cos()); // tensor([1.0000, 0.5000])
     * ```
     */
    cos(): Tensor;
    /**
     * Rounds to the nearest integer, ties to even, like `torch.round`; with
     * `decimals` (by name only, as in PyTorch) to `decimals` decimal places:
     * `nearbyint(x · 10^decimals) / 10^decimals` in the tensor's dtype, so
     * float32 rounds as PyTorch's does (`2.675` is `2.67499995` and becomes
     * `2.68`); a negative `decimals` rounds to tens, hundreds…
     * The gradient is 0. An int32 tensor is copied (`decimals` must be 0).
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * console.log(tensor([0.5, 1.5, 2.5, -0.5]).round()); // tensor([0., 2., 2., -0.])
     * console.log(tensor([1.2345, 2.675]).round({ decimals: 2 })); // tensor([1.2300, 2.6800])
     * console.log(tensor([1250, 1350]).round({ decimals: -2 })); // tensor([1200., 1400.])
     * ```
     */
    round(options?: { decimals?: number }): Tensor;
    /** −1, 0 or 1 (gradient 0). */
    sign(): Tensor;
    /** Rounds down (gradient 0). */
    floor(): Tensor;
    /** `1 / this`. */
    reciprocal(): Tensor;
    /** `this · this`. */
    square(): Tensor;
    /** The logistic function. */
    sigmoid(): Tensor;
    /** Hyperbolic tangent. */
    tanh(): Tensor;
    /** `max(0, this)`. */
    relu(): Tensor;
    /**
     * PyTorch's `clamp(min, max)`; either bound may be omitted (`undefined`).
     * An int32 tensor stays int32 with integer bounds; a fractional or
     * infinite bound gives float32, as PyTorch's type promotion does.
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * console.log(tensor([-2, 0, 2]).clamp(-1, 1)); // tensor([-1.,  0.,  1.])
     * console.log(tensor([-2, 0, 2]).clamp(undefined, 1)); // tensor([-2.,  0.,  1.])
     * console.log(tensor([-7, 7], { dtype: 'int32' }).clamp(-3, 3)); // tensor([-3,  3], dtype=torch.int32)
     * ```
     */
    clamp(min?: number, max?: number): Tensor;
    /** `clamp` with the bounds by name: `x.clamp({ min: 0 })` (PyTorch's `x.clamp(min=0)`). */
    clamp(options: { min?: number | null; max?: number | null }): Tensor;

    /**
     * In place: `this += alpha · other` (broadcasting `other` to this
     * tensor's shape), PyTorch's `add_(other, *, alpha=1)`; returns `this`.
     * Like every in-place method it writes into the tensor's storage (a
     * view writes through to its base) and bumps its version; with
     * gradients recorded it refuses a leaf that requires grad, so a
     * hand-written update runs under `noGrad`.
     * @example
     * ```ts
     * import { noGrad, tensor } from 'nnkit';
     * const w = tensor([1, 2], { requiresGrad: true });
     * w.mul(w).sum().backward(); // w.grad = 2w
     * noGrad(() => w.sub_(w.grad!, { alpha: 0.1 })); // PyTorch: w -= 0.1 * w.grad
     * console.log(w); // tensor([0.8000, 1.6000], requires_grad=True)
     * w.grad!.zero_();
     * console.log(w.grad); // tensor([0., 0.])
     * ```
     */
    add_(other: Operand, options?: { alpha?: number }): Tensor;
    /** In place: `this −= alpha · other`, PyTorch's `sub_(other, *, alpha=1)`. */
    sub_(other: Operand, options?: { alpha?: number }): Tensor;
    /** In place: `this ·= other` (broadcasting `other`). */
    mul_(other: Operand): Tensor;
    /** In place: `this /= other` (broadcasting `other`). */
    div_(other: Operand): Tensor;
    /** In place: `clamp(min, max)`. */
    clamp_(min?: number | null, max?: number | null): Tensor;
    /** `clamp_` with the bounds by name. */
    clamp_(options: { min?: number | null; max?: number | null }): Tensor;
    /** In place: copies `src` (broadcast to this shape, cast to this dtype); the gradient flows to `src`. */
    copy_(src: Tensor): Tensor;
    /** In place: every element becomes `value`. */
    fill_(value: number): Tensor;
    /** In place: every element becomes 0, like `fill_(0)`. */
    zero_(): Tensor;
    /**
     * In place: samples of U[from, to), PyTorch's `uniform_(from=0, to=1, *,
     * generator)` — the same seed gives PyTorch's values (float32: 24 random
     * bits per sample, float64: 53). Returns `this`.
     * @example
     * ```ts
     * import { manualSeed, zeros } from 'nnkit';
     * manualSeed(0);
     * console.log(zeros(3).uniform_(-1, 1)); // tensor([-0.0075,  0.5364, -0.8230])
     * ```
     */
    uniform_(from?: number, to?: number, options?: GeneratorOption): Tensor;
    /**
     * In place: samples of N(mean, std²), PyTorch's `normal_(mean=0, std=1,
     * *, generator)` with its draws (Box–Muller in blocks of 16 from 16
     * elements on). Returns `this`.
     * @example
     * ```ts
     * import { manualSeed, zeros } from 'nnkit';
     * manualSeed(0);
     * console.log(zeros(3).normal_(0, 2)); // tensor([ 3.0820, -0.5869, -4.3576])
     * ```
     */
    normal_(mean?: number, std?: number, options?: GeneratorOption): Tensor;
    /**
     * In place: 1 with probability `p`, else 0, PyTorch's `bernoulli_(p=0.5,
     * *, generator)` (one double uniform per element). Returns `this`.
     * @example
     * ```ts
     * import { manualSeed, zeros } from 'nnkit';
     * manualSeed(0);
     * console.log(zeros(4).bernoulli_(0.5)); // tensor([0., 0., 1., 0.])
     * ```
     */
    bernoulli_(p?: number, options?: GeneratorOption): Tensor;
    /**
     * In place: samples of the exponential distribution with rate `lambd`,
     * `−log(1 − u)/λ`, PyTorch's `exponential_(lambd=1, *, generator)`.
     * Returns `this`.
     * @example
     * ```ts
     * import { manualSeed, zeros } from 'nnkit';
     * manualSeed(0);
     * console.log(zeros(2).exponential_()); // tensor([3.5083, 1.2304])
     * ```
     */
    exponential_(lambd?: number, options?: GeneratorOption): Tensor;
    /**
     * Category indices sampled from this tensor's rows of weights, as
     * `torch.multinomial(this, numSamples, replacement)` (see the free
     * function `multinomial`).
     * @example
     * ```ts
     * import { manualSeed, tensor } from 'nnkit';
     * manualSeed(0);
     * console.log(tensor([0.1, 0.2, 0.7]).multinomial(3)); // tensor([2, 1, 0], dtype=torch.int32)
     * ```
     */
    multinomial(numSamples: number, replacement?: boolean, options?: GeneratorOption): Tensor;
    /** 0/1 samples with this tensor's probabilities, as `torch.bernoulli(this)`. */
    bernoulli(options?: GeneratorOption): Tensor;
    /** `this < other` as int32 0/1. */
    lt(other: Operand): Tensor;
    /** `this ≤ other` as int32 0/1. */
    le(other: Operand): Tensor;
    /** `this > other` as int32 0/1. */
    gt(other: Operand): Tensor;
    /** `this ≥ other` as int32 0/1. */
    ge(other: Operand): Tensor;
    /** `this == other` as int32 0/1. */
    eq(other: Operand): Tensor;
    /** `this != other` as int32 0/1. */
    ne(other: Operand): Tensor;

    /**
     * Sum over `dim` (all elements if omitted), accumulated in float64.
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * const x = tensor([[1, 2, 3], [4, 5, 6]]);
     * console.log(x.sum()); // tensor(21.)
     * console.log(x.sum(1)); // tensor([ 6., 15.])
     * console.log(x.sum(0, true)); // tensor([[5., 7., 9.]])
     * // PyTorch's x.sum(dim=1, keepdim=True):
     * console.log(x.sum({ dim: 1, keepdim: true }));
     * // tensor([[ 6.],
     * //         [15.]])
     * ```
     */
    sum(dim?: number | readonly number[], keepdim?: boolean): Tensor;
    /** `sum` with `keepdim` (or both) by name. */
    sum(dim: number | readonly number[] | undefined, options: { keepdim?: boolean }): Tensor;
    /** `sum` with `dim` and `keepdim` by name. */
    sum(options: { dim?: number | readonly number[]; keepdim?: boolean }): Tensor;
    /** Mean over `dim` (all elements if omitted or `[]`). */
    mean(dim?: number | readonly number[], keepdim?: boolean): Tensor;
    /** `mean` with `keepdim` by name. */
    mean(dim: number | readonly number[] | undefined, options: { keepdim?: boolean }): Tensor;
    /** `mean` with `dim` and `keepdim` by name. */
    mean(options: { dim?: number | readonly number[]; keepdim?: boolean }): Tensor;
    /** Maximum over `dim` (all elements if omitted or `[]`); ties share the gradient like `torch.amax`. */
    amax(dim?: number | readonly number[], keepdim?: boolean): Tensor;
    /** `amax` with `keepdim` by name. */
    amax(dim: number | readonly number[] | undefined, options: { keepdim?: boolean }): Tensor;
    /** `amax` with `dim` and `keepdim` by name. */
    amax(options: { dim?: number | readonly number[]; keepdim?: boolean }): Tensor;
    /** Minimum over `dim` (all elements if omitted or `[]`); ties share the gradient like `torch.amin`. */
    amin(dim?: number | readonly number[], keepdim?: boolean): Tensor;
    /** `amin` with `keepdim` by name. */
    amin(dim: number | readonly number[] | undefined, options: { keepdim?: boolean }): Tensor;
    /** `amin` with `dim` and `keepdim` by name. */
    amin(options: { dim?: number | readonly number[]; keepdim?: boolean }): Tensor;
    /**
     * The largest element, like `torch.max(x)`: NaN if there is one, the
     * gradient shared evenly among the elements equal to it (the NaNs, if
     * it is NaN). An empty tensor has none (an error, as in PyTorch).
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * const x = tensor([[1, 5], [5, 2]], { requiresGrad: true });
     * x.max().backward();
     * console.log(x.grad);
     * // tensor([[0.0000, 0.5000],
     * //         [0.5000, 0.0000]])
     * console.log(x.max(1).indices); // tensor([1, 0], dtype=torch.int32)
     * ```
     */
    max(): Tensor;
    /** `{ values, indices }` of the maximum along `dim`, like `torch.max(x, dim)`. */
    max(dim: number, keepdim?: boolean | { keepdim?: boolean }): ValuesIndices;
    /** `max` along `dim`, given by name: `x.max({ dim: 1 })`. */
    max(options: { dim: number; keepdim?: boolean }): ValuesIndices;
    /** `torch.max(x, other)`: the elementwise maximum, as `maximum`. */
    max(other: Tensor): Tensor;
    /** The smallest element, like `torch.min(x)` (see `max()`). */
    min(): Tensor;
    /** `{ values, indices }` of the minimum along `dim`, like `torch.min(x, dim)`. */
    min(dim: number, keepdim?: boolean | { keepdim?: boolean }): ValuesIndices;
    /** `min` along `dim`, given by name: `x.min({ dim: 1 })`. */
    min(options: { dim: number; keepdim?: boolean }): ValuesIndices;
    /** `torch.min(x, other)`: the elementwise minimum, as `minimum`. */
    min(other: Tensor): Tensor;
    /** Index of the maximum along `dim` (of the flattened tensor if omitted), int32; the first on ties. */
    argmax(dim?: number, keepdim?: boolean | { keepdim?: boolean }): Tensor;
    /** `argmax` with `dim` and `keepdim` by name. */
    argmax(options: { dim?: number; keepdim?: boolean }): Tensor;
    /** Index of the minimum along `dim` (of the flattened tensor if omitted), int32; the first on ties. */
    argmin(dim?: number, keepdim?: boolean | { keepdim?: boolean }): Tensor;
    /** `argmin` with `dim` and `keepdim` by name. */
    argmin(options: { dim?: number; keepdim?: boolean }): Tensor;
    /** log Σ exp over `dim`, computed with the maximum subtracted. */
    logsumexp(dim: number | readonly number[], keepdim?: boolean | { keepdim?: boolean }): Tensor;
    /** `logsumexp` with `dim` and `keepdim` by name. */
    logsumexp(options: { dim: number | readonly number[]; keepdim?: boolean }): Tensor;
    /**
     * Variance over `dim` (all elements if omitted, `null` or `[]`), like
     * `torch.Tensor.var` in PyTorch 1.13:
     * `Σ (x − mean)² / max(0, N − correction)`, N the number of elements
     * reduced. `unbiased` (default `true`) is `correction = 1` (Bessel's),
     * `false` is 0; or give `correction` (an integer) by name, as PyTorch's
     * `var(dim, *, correction, keepdim)`. A boolean alone is `unbiased`
     * (`x.var(false)`). Computed in float64 and rounded once (PyTorch
     * accumulates float32 in double). N ≤ correction gives NaN (equal
     * elements) or +∞, and the gradient `2·G·(x − mean) / (N − correction)`
     * is ±∞, NaN or of the opposite sign there, all as in PyTorch.
     * Differences: `correction` needs no `dim` (PyTorch 2's rule; 1.13
     * wants `dim=None` with it); `dim = []` has the gradient of `dim`
     * omitted (1.13's is ±∞); with `dim` omitted and N = correction the
     * gradient is +∞·G everywhere (1.13 raises unless x is 0-D).
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * const x = tensor([[1, 2, 3, 4], [2, 2, 2, 6]]);
     * console.log(x.var(1)); // tensor([1.6667, 4.0000])
     * console.log(x.var(1, false)); // tensor([1.2500, 3.0000])
     * console.log(x.var({ dim: 1, correction: 2, keepdim: true }));
     * // tensor([[2.5000],
     * //         [6.0000]])
     * console.log(tensor([1.5]).var(0)); // tensor(nan)
     * ```
     */
    var(dim?: number | readonly number[] | null, unbiased?: boolean, keepdim?: boolean): Tensor;
    /** PyTorch's `var(unbiased)`: over all elements. */
    var(unbiased: boolean): Tensor;
    /** `var` with `unbiased` or `correction`, and `keepdim`, by name. */
    var(dim: number | readonly number[] | null | undefined, options: VarOptions): Tensor;
    /** `var` with `keepdim` by name. */
    var(
      dim: number | readonly number[] | null | undefined,
      unbiased: boolean | undefined,
      options: { keepdim?: boolean },
    ): Tensor;
    /** `var` with every argument by name: `x.var({ dim: 1, correction: 0 })`. */
    var(options: VarOptions & { dim?: number | readonly number[] | null }): Tensor;
    /**
     * Standard deviation over `dim`, `√var` (see `var` for the arguments),
     * like `torch.Tensor.std` in PyTorch 1.13; the square root is taken in
     * float64 before rounding. The gradient is PyTorch's
     * `var_backward(G / (2·std))` with 0 where `std = 0`, so constant data
     * get a zero gradient rather than NaN.
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * const x = tensor([[1, 2, 3, 4], [2, 2, 2, 2]], { requiresGrad: true });
     * const s = x.std(1);
     * console.log(s); // tensor([1.2910, 0.0000], grad_fn=<StdBackward0>)
     * s.sum().backward();
     * console.log(x.grad);
     * // tensor([[-0.3873, -0.1291,  0.1291,  0.3873],
     * //         [ 0.0000,  0.0000,  0.0000,  0.0000]])
     * console.log(x.detach().std({ correction: 0 })); // tensor(0.8292)
     * ```
     */
    std(dim?: number | readonly number[] | null, unbiased?: boolean, keepdim?: boolean): Tensor;
    /** PyTorch's `std(unbiased)`: over all elements. */
    std(unbiased: boolean): Tensor;
    /** `std` with `unbiased` or `correction`, and `keepdim`, by name. */
    std(dim: number | readonly number[] | null | undefined, options: VarOptions): Tensor;
    /** `std` with `keepdim` by name. */
    std(
      dim: number | readonly number[] | null | undefined,
      unbiased: boolean | undefined,
      options: { keepdim?: boolean },
    ): Tensor;
    /** `std` with every argument by name: `x.std({ dim: 1, correction: 0 })`. */
    std(options: VarOptions & { dim?: number | readonly number[] | null }): Tensor;
    /**
     * Product over `dim` (one dim; all elements, to a 0-D tensor, if
     * omitted), like `torch.Tensor.prod`, in PyTorch's CPU order so float32
     * products are PyTorch's bit for bit (up to 32768 elements per
     * product; larger ones PyTorch splits across threads). The gradient is
     * PyTorch's: `G · prod / x` without zeros, and products of the other
     * elements where x has zeros (one zero gets the product of the rest; two
     * zeros in a product give 0). int32 stays int32: PyTorch returns int64,
     * and nnkit gives that product modulo 2³² (wrapping as int32).
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * const x = tensor([[1, 2, 3], [4, 0, 6]], { requiresGrad: true });
     * console.log(x.prod(1)); // tensor([6., 0.], grad_fn=<ProdBackward0>)
     * x.prod(1).sum().backward();
     * console.log(x.grad);
     * // tensor([[ 6.,  3.,  2.],
     * //         [ 0., 24.,  0.]])
     * console.log(tensor([2, 3], { dtype: 'int32' }).prod()); // tensor(6, dtype=torch.int32)
     * ```
     */
    prod(dim?: number, keepdim?: boolean): Tensor;
    /** `prod` with `keepdim` by name. */
    prod(dim: number, options: { keepdim?: boolean }): Tensor;
    /** `prod` with `dim` and `keepdim` by name. */
    prod(options: { dim?: number; keepdim?: boolean }): Tensor;
    /**
     * Running sums along `dim`, `y_i = Σ_{j≤i} x_j`, like `torch.Tensor.cumsum`:
     * accumulated in float64 and rounded at each element, as PyTorch's CPU
     * kernel does, so float32 results are PyTorch's bit for bit. The
     * gradient is the reversed running sum of G. int32 stays int32 (PyTorch
     * returns int64; nnkit wraps modulo 2³²).
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * const x = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
     * console.log(x.cumsum(1));
     * // tensor([[ 1.,  3.,  6.],
     * //         [ 4.,  9., 15.]], grad_fn=<CumsumBackward0>)
     * x.cumsum(1).sum().backward();
     * console.log(x.grad);
     * // tensor([[3., 2., 1.],
     * //         [3., 2., 1.]])
     * ```
     */
    cumsum(dim: number): Tensor;
    /** `cumsum` with `dim` by name. */
    cumsum(options: { dim: number }): Tensor;
    /**
     * Sorts along `dim` (default −1, the last), ascending unless
     * `descending`, like `torch.Tensor.sort`; returns `{ values, indices }`
     * (unpacks as `const [values, indices] = x.sort()`), the indices int32
     * positions along `dim`. NaN counts as larger than every number (last
     * ascending, first descending), as in PyTorch; −0 and 0 are equal.
     * Equal values keep their input order with `stable: true` (by name, as
     * PyTorch's keyword-only `stable`) and in rows of at most 16 elements;
     * in longer rows without `stable` they come in the order PyTorch 1.13's
     * CPU sort leaves them (nnkit runs the same algorithm, libstdc++'s
     * introsort, step by step). The gradient of `values` flows back through
     * the indices: `dx[…, indices[j], …] = G[…, j, …]`.
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * const x = tensor([3, NaN, 1, 2], { requiresGrad: true });
     * const [values, indices] = x.sort();
     * console.log(values); // tensor([1., 2., 3., nan], grad_fn=<SortBackward0>)
     * console.log(indices); // tensor([2, 3, 0, 1], dtype=torch.int32)
     * console.log(x.detach().sort(0, true).values); // tensor([nan, 3., 2., 1.])
     * values.mul(tensor([1, 2, 3, 4])).sum().backward();
     * console.log(x.grad); // tensor([3., 4., 1., 2.])
     * console.log(tensor([1, 0, 1, 0]).sort({ stable: true }).indices); // tensor([1, 3, 0, 2], dtype=torch.int32)
     * ```
     */
    sort(dim?: number, descending?: boolean): ValuesIndices;
    /** `sort` with `descending` or `stable` by name. */
    sort(dim: number | undefined, options: SortOptions): ValuesIndices;
    /** `sort` with `stable` by name. */
    sort(
      dim: number | undefined,
      descending: boolean | undefined,
      options: SortOptions,
    ): ValuesIndices;
    /** `sort` with every argument by name: `x.sort({ dim: 0, descending: true, stable: true })`. */
    sort(options: SortOptions & { dim?: number }): ValuesIndices;
    /**
     * The indices that sort this tensor along `dim`, `x.sort(dim,
     * descending).indices` (int32; nnkit has no int64), like
     * `torch.Tensor.argsort`, with the same NaN and tie order; `stable`
     * by name. Not differentiable (indices).
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * const x = tensor([[3, 1, 2], [0, 5, 4]]);
     * console.log(x.argsort());
     * // tensor([[1, 2, 0],
     * //         [0, 2, 1]], dtype=torch.int32)
     * console.log(x.argsort(0, true));
     * // tensor([[0, 1, 1],
     * //         [1, 0, 0]], dtype=torch.int32)
     * ```
     */
    argsort(dim?: number, descending?: boolean): Tensor;
    /** `argsort` with `descending` or `stable` by name. */
    argsort(dim: number | undefined, options: SortOptions): Tensor;
    /** `argsort` with `stable` by name. */
    argsort(dim: number | undefined, descending: boolean | undefined, options: SortOptions): Tensor;
    /** `argsort` with every argument by name. */
    argsort(options: SortOptions & { dim?: number }): Tensor;
    /**
     * The `k` largest elements along `dim` (default −1), or the smallest
     * with `largest = false`, and their int32 indices, like
     * `torch.Tensor.topk(k, dim=-1, largest=True, sorted=True)`; returns
     * `{ values, indices }`. NaN counts as the largest value. With
     * `sorted` the values are in order (largest first, or smallest first);
     * with `sorted = false` in PyTorch 1.13's unspecified order. Which of
     * several equal values are taken, and their order, is PyTorch 1.13's
     * CPU result (nnkit runs the same algorithms: libstdc++'s
     * `partial_sort` when `k · 64 ≤ n`, else `nth_element` then `sort`).
     * `0 ≤ k ≤ size`. The gradient flows back through the indices, zero
     * for the elements not selected.
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * const x = tensor([[1, 5, 3, 4], [9, 7, 8, 6]]);
     * const { values, indices } = x.topk(2);
     * console.log(values);
     * // tensor([[5., 4.],
     * //         [9., 8.]])
     * console.log(indices);
     * // tensor([[1, 3],
     * //         [0, 2]], dtype=torch.int32)
     * console.log(x.topk(1, 0, false).values); // tensor([[1., 5., 3., 4.]])
     * ```
     */
    topk(k: number, dim?: number, largest?: boolean, sorted?: boolean): ValuesIndices;
    /** `topk` with the later arguments by name: `x.topk(3, { largest: false })`. */
    topk(
      k: number,
      dim: number | undefined,
      largest: boolean | undefined,
      options: { sorted?: boolean },
    ): ValuesIndices;
    /** `topk` with the later arguments by name. */
    topk(
      k: number,
      dim: number | undefined,
      options: { largest?: boolean; sorted?: boolean },
    ): ValuesIndices;
    /** `topk` with the later arguments by name. */
    topk(k: number, options: { dim?: number; largest?: boolean; sorted?: boolean }): ValuesIndices;
    /** `topk` with every argument by name. */
    topk(options: { k: number; dim?: number; largest?: boolean; sorted?: boolean }): ValuesIndices;
    /** @internal Running sums along `dim` from the end (cumsum's gradient). */
    _cumsum(dim: number, reverse: boolean): Tensor;
    /** @internal Sums a broadcast gradient back to `shape`. */
    sumToShape(shape: Shape): Tensor;

    /**
     * Same elements, new shape (one dimension may be −1): `x.reshape(2, 3)` or
     * `x.reshape([2, 3])`, like `torch.Tensor.reshape`. A view sharing this
     * tensor's storage whenever its strides allow one (always for a contiguous
     * tensor); otherwise (some `t()` or `permute` results) a contiguous copy.
     * @example
     * ```ts
     * import { arange } from 'nnkit';
     * const x = arange(6);
     * console.log(x.reshape(2, 3).stride(), x.t().reshape(3, 2).storageOffset()); // [ 3, 1 ] 0
     * console.log(x.reshape(2, 3).t().reshape(6)); // tensor([0, 3, 1, 4, 2, 5], dtype=torch.int32)
     * ```
     */
    reshape(...shape: number[] | [readonly number[]]): Tensor;
    /**
     * `reshape` that never copies, like `torch.Tensor.view`: it throws, as
     * PyTorch's does, when the strides cannot express the new shape.
     * @example
     * ```ts
     * import { zeros } from 'nnkit';
     * console.log(zeros(2, 3).view(-1).shape); // [ 6 ]
     * const message = (f: () => unknown) => {
     *   try {
     *     f();
     *   } catch (e) {
     *     return (e as Error).message.slice(0, 44);
     *   }
     * };
     * console.log(message(() => zeros(2, 3).t().view(6))); // view: view size is not compatible with input
     * ```
     */
    view(...shape: number[] | [readonly number[]]): Tensor;
    /** Flattens dimensions `startDim..endDim` into one (a view where `reshape` gives one). */
    flatten(startDim?: number, endDim?: number): Tensor;
    /** Inserts a dimension of size 1 at `dim` (a view). */
    unsqueeze(dim: number): Tensor;
    /** Removes dimensions of size 1 (only `dim` if given; a view). */
    squeeze(dim?: number): Tensor;
    /**
     * Reorders the dimensions, `out.shape[i] = shape[dims[i]]`: a view with the
     * strides reordered alike, like `torch.Tensor.permute`. In-place writes
     * into it show in this tensor; the gradient is permuted back.
     * @example
     * ```ts
     * import { zeros } from 'nnkit';
     * const p = zeros(2, 3, 4).permute(2, 0, 1);
     * console.log(p.shape, p.stride(), p.isContiguous()); // [ 4, 2, 3 ] [ 1, 12, 4 ] false
     * ```
     */
    permute(...dims: number[] | [readonly number[]]): Tensor;
    /** Swaps two dimensions (a view, like `torch.Tensor.transpose`). */
    transpose(dim0: number, dim1: number): Tensor;
    /**
     * Transpose of a matrix (a 0-D or 1-D tensor unchanged), like
     * `torch.Tensor.t()`: a view sharing this tensor's storage, so an in-place
     * write into either shows in the other. `matmul` reads it in place.
     * @example
     * ```ts
     * import { F, tensor } from 'nnkit';
     * const b = tensor([[-1, 2], [3, -4]]);
     * F.relu(b.t(), { inplace: true });
     * console.log(b);
     * // tensor([[0., 2.],
     * //         [3., 0.]])
     * ```
     */
    t(): Tensor;
    /** The tensor with its dimensions reversed (a view), like PyTorch's `x.T`. */
    readonly T: Tensor;
    /** The last two dimensions swapped (a batch of matrices transposed; a view), like PyTorch's `x.mT`. */
    readonly mT: Tensor;
    /**
     * Broadcasts to `shape` (−1 keeps a dimension), like `torch.Tensor.expand`:
     * a view in which the broadcast dimensions have stride 0, so no memory is
     * copied. Writing into it in place is refused (its elements share storage);
     * the gradient is summed over the broadcast dimensions.
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * const e = tensor([[1], [2]]).expand(2, 3);
     * console.log(e.stride(), e.toArray()); // [ 1, 0 ] [ [ 1, 1, 1 ], [ 2, 2, 2 ] ]
     * ```
     */
    expand(...shape: number[] | [readonly number[]]): Tensor;
    /**
     * `length` elements of `dim` from `start`, like `torch.Tensor.narrow`: a
     * view starting `start · stride(dim)` elements further into the storage.
     * @example
     * ```ts
     * import { arange } from 'nnkit';
     * const x = arange(12).reshape(3, 4);
     * const n = x.narrow(1, 1, 2);
     * console.log(n.storageOffset(), n.stride(), n.isContiguous()); // 1 [ 4, 1 ] false
     * ```
     */
    narrow(dim: number, start: number, length: number): Tensor;
    /**
     * The slice `index` along `dim`, without that dim, like
     * `torch.Tensor.select`: `x.select(1, 0)` is PyTorch's `x[:, 0]`, and
     * `x.select(0, -1)` its `x[-1]`. A view sharing the storage (in-place
     * writes show through); its gradient goes to that slice of the base.
     * @param dim - The dimension to index (negative counts from the end).
     * @param index - The position along it (negative counts from the end).
     * @example
     * ```ts
     * import { arange } from 'nnkit';
     * const x = arange(6).reshape(2, 3);
     * console.log(x.select(1, 0).toArray(), x.select(0, -1).toArray()); // [ 0, 3 ] [ 3, 4, 5 ]
     * console.log(x.select(1, 2).stride(), x.select(1, 2).storageOffset()); // [ 3 ] 2
     * ```
     */
    select(dim: number, index: number): Tensor;
    /**
     * Sliding windows along `dimension`, as `torch.Tensor.unfold`: `size`
     * elements each, `step` apart. A view sharing the storage: that
     * dimension becomes the number of windows, `⌊(n − size)/step⌋ + 1`, and
     * a last dimension of `size` holds each window. Where windows overlap
     * (`step < size`) an element's gradient sums those of its copies.
     * @param dimension - The dimension to slide along.
     * @param size - Elements per window (at most the dimension's size).
     * @param step - Distance between window starts (> 0).
     * @example
     * ```ts
     * import { arange } from 'nnkit';
     * const x = arange(7, { dtype: 'float32' });
     * const w = x.unfold(0, 3, 2);
     * console.log(w.toString());
     * // tensor([[0., 1., 2.],
     * //         [2., 3., 4.],
     * //         [4., 5., 6.]])
     * console.log(w.stride(), w.storageOffset()); // [ 2, 1 ] 0
     * ```
     */
    unfold(dimension: number, size: number, step: number): Tensor;
    /**
     * Splits into `chunks` pieces along `dim` (views, as `narrow` makes). As in
     * PyTorch, a piece that requires grad may not be written in place while
     * gradients are recorded.
     */
    chunk(chunks: number, dim?: number): Tensor[];
    /**
     * Splits along `dim` (default 0) into views, like `torch.Tensor.split`:
     * an integer `splitSize` gives pieces of that many elements (the last
     * may be shorter; an empty dim gives one empty piece), a list gives
     * pieces of those sizes (summing to the dim's size). Each piece is a
     * `narrow` view sharing this tensor's storage; gradients flow back to
     * it. As in PyTorch, a piece that requires grad may not be written in
     * place while gradients are recorded.
     * @example
     * ```ts
     * import { arange } from 'nnkit';
     * const x = arange(5);
     * console.log(x.split(2).map((t) => t.toArray())); // [ [ 0, 1 ], [ 2, 3 ], [ 4 ] ]
     * console.log(x.split([1, 4]).map((t) => t.toArray())); // [ [ 0 ], [ 1, 2, 3, 4 ] ]
     * const [a, b] = arange(6).reshape(2, 3).split(2, 1);
     * console.log(a.shape, b.shape, b.storageOffset()); // [ 2, 2 ] [ 2, 1 ] 2
     * ```
     */
    split(splitSize: number | readonly number[], dim?: number): Tensor[];
    /** `split` with `dim` (or both) by name: `x.split(2, { dim: 1 })`. */
    split(splitSize: number | readonly number[], options: { dim?: number }): Tensor[];
    /** `split` with every argument by name. */
    split(options: { splitSize: number | readonly number[]; dim?: number }): Tensor[];
    /**
     * The slices along `dim` (default 0), each without that dim, like
     * `torch.Tensor.unbind`: views sharing this tensor's storage, with
     * gradients flowing back to it.
     * @example
     * ```ts
     * import { tensor } from 'nnkit';
     * const [row0, row1] = tensor([[1, 2], [3, 4]]).unbind();
     * console.log(row0, row1); // tensor([1., 2.]) tensor([3., 4.])
     * console.log(tensor([[1, 2], [3, 4]]).unbind(1)[1]); // tensor([2., 4.])
     * ```
     */
    unbind(dim?: number): Tensor[];
    /** `unbind` with `dim` by name. */
    unbind(options: { dim?: number }): Tensor[];
    /** A copy with its own storage (differentiable). */
    clone(): Tensor;
    /**
     * This tensor if its elements are contiguous in row-major order, else a
     * contiguous copy (recorded as a copy: the gradient passes through), like
     * `torch.Tensor.contiguous()`.
     * @example
     * ```ts
     * import { zeros } from 'nnkit';
     * const x = zeros(2, 3);
     * console.log(x.contiguous() === x, x.t().contiguous().stride()); // true [ 2, 1 ]
     * ```
     */
    contiguous(): Tensor;
    /** Converts to `dtype` (differentiable between floating dtypes). */
    to(dtype: DType): Tensor;
    /** `to` with the dtype by name: `x.to({ dtype: 'float64' })`. */
    to(options: { dtype: DType }): Tensor;
    /** `to('float32')`. */
    float(): Tensor;
    /** `to('float64')`. */
    double(): Tensor;
    /** `to('int32')`. */
    int(): Tensor;

    /** `out[..i..] = this[..index[..i..]..]` along `dim`, like `torch.gather`. */
    gather(dim: number, index: Tensor): Tensor;
    /** The slices `index` of `dim`, like `torch.index_select`. */
    indexSelect(dim: number, index: Tensor): Tensor;
    /** Elements where `mask` is non-zero replaced by `value`. */
    maskedFill(mask: Tensor, value: number): Tensor;
    /** `this` where `cond` is non-zero, else `other` (PyTorch's `Tensor.where`). */
    where(cond: Tensor, other: Operand): Tensor;
    /** Matrix product with broadcasting batch dimensions, like `torch.matmul`. */
    matmul(other: Tensor): Tensor;
    /**
     * @internal `op(this) · op(other)`, op transposing where asked, the
     * transposed operand read in place (`matmulTransposed` in ./linalg.ts);
     * matmul's backward (src/autograd/derivatives/linalg.ts) calls it.
     */
    _matmulTransposed(other: Tensor, transA: boolean, transB: boolean): Tensor;
    /** @internal This `(batch, channels, H, W)` cut into windows (`im2col` in ./windows.ts). */
    _im2col(windows: Windows): Tensor;
    /** @internal These columns summed back into planes (`col2im` in ./windows.ts). */
    _col2im(windows: Windows): Tensor;
    /** @internal The sum of each box of these `(planes, H, W)` (`boxSum` in ./boxes.ts). */
    _boxSum(boxes: Boxes): Tensor;
    /** @internal Each value spread over its box of planes of `size` (`boxSpread` in ./boxes.ts). */
    _boxSpread(boxes: Boxes, size: readonly [number, number]): Tensor;
  }
}

/** PyTorch's check: `clamp` needs a bound (`clamp()` and `clamp(null, null)` raise in PyTorch too). */
function requireClampBound(
  fn: string,
  min: number | null | undefined,
  max: number | null | undefined,
) {
  if (min == null && max == null)
    throw new Error(`${fn}: at least one of 'min' or 'max' must be given (not null)`);
}

function scalar(value: number, dtype: DType): Tensor {
  return shapeOps.full([], value, dtype);
}

function shapeArg(args: number[] | [readonly number[]]): number[] {
  return args.length === 1 && Array.isArray(args[0])
    ? [...(args[0] as readonly number[])]
    : (args as number[]);
}

const methods: ThisType<Tensor> & Record<string, (this: Tensor, ...args: never[]) => unknown> = {
  add(o: Operand) {
    return binaryOp('add', this, o);
  },
  sub(o: Operand) {
    return binaryOp('sub', this, o);
  },
  mul(o: Operand) {
    return binaryOp('mul', this, o);
  },
  div(o: Operand) {
    return binaryOp('div', this, o);
  },
  pow(exponent: Operand) {
    return typeof exponent === 'number'
      ? unaryOp('powScalar', this, [exponent, exponent - 1, exponent === 0 ? 1 : 0], { fn: 'pow' })
      : binaryOp('pow', this, exponent);
  },
  maximum(o: Operand) {
    return binaryOp('maximum', this, o);
  },
  minimum(o: Operand) {
    return binaryOp('minimum', this, o);
  },
  neg() {
    return this.dtype === 'int32' ? math.negInt(this) : unaryOp('neg', this);
  },
  abs() {
    return this.dtype === 'int32' ? math.absInt(this) : unaryOp('abs', this);
  },
  exp() {
    return unaryOp('exp', this);
  },
  expm1() {
    return unaryOp('expm1', this);
  },
  log() {
    return unaryOp('log', this);
  },
  log1p() {
    return unaryOp('log1p', this);
  },
  sqrt() {
    return unaryOp('sqrt', this);
  },
  sin() {
    return math.sin(this);
  },
  cos() {
    return math.cos(this);
  },
  round(decimals = 0) {
    return math.round(this, decimals);
  },
  sign() {
    return unaryOp('sign', this);
  },
  floor() {
    return unaryOp('floor', this);
  },
  reciprocal() {
    return unaryOp('reciprocal', this);
  },
  square() {
    return binaryOp('mul', this, this);
  },
  sigmoid() {
    return unaryOp('sigmoid', this);
  },
  tanh() {
    return unaryOp('tanh', this);
  },
  relu() {
    return unaryOp('relu', this);
  },
  // The checks bind `{ alpha }` (keyword-only) to the second position.
  add_(o: Operand, alpha = 1) {
    return (
      addScaledInPlace(this, o, alpha, 'add_') ??
      inplace(this, 'add_', (x) => x.add(scaled(o, alpha)))
    );
  },
  sub_(o: Operand, alpha = 1) {
    return (
      addScaledInPlace(this, o, -alpha, 'sub_') ??
      inplace(this, 'sub_', (x) => x.sub(scaled(o, alpha)))
    );
  },
  mul_(o: Operand) {
    return inplace(this, 'mul_', (x) => x.mul(o));
  },
  div_(o: Operand) {
    return inplace(this, 'div_', (x) => x.div(o));
  },
  clamp_(min?: number | null, max?: number | null) {
    requireClampBound('clamp_', min, max);
    return inplace(this, 'clamp_', (x) => x.clamp(min ?? undefined, max ?? undefined));
  },
  copy_(src: Tensor) {
    return inplace(
      this,
      'copy_',
      (x) => (src.dtype === x.dtype ? src : src.to(x.dtype)).expand(x.shape as number[]),
      true,
    );
  },
  fill_(value: number) {
    return (
      fillInPlace(this, value, 'fill_') ??
      inplace(this, 'fill_', (x) => shapeOps.full(x.shape, value, x.dtype), true)
    );
  },
  zero_() {
    return (
      fillInPlace(this, 0, 'zero_') ??
      inplace(this, 'zero_', (x) => shapeOps.full(x.shape, 0, x.dtype), true)
    );
  },
  // The checks bind the options object: `generator` arrives by position.
  uniform_(from?: number, to?: number, generator?: Generator | null) {
    return sampling.uniform_(this, from, to, { generator });
  },
  normal_(mean?: number, std?: number, generator?: Generator | null) {
    return sampling.normal_(this, mean, std, { generator });
  },
  bernoulli_(p?: number, generator?: Generator | null) {
    return sampling.bernoulli_(this, p, { generator });
  },
  exponential_(lambd?: number, generator?: Generator | null) {
    return sampling.exponential_(this, lambd, { generator });
  },
  multinomial(numSamples: number, replacement?: boolean, generator?: Generator | null) {
    return sampleMultinomial(this, numSamples, replacement ?? false, generator ?? null);
  },
  bernoulli(generator?: Generator | null) {
    return sampleBernoulli(this, generator ?? null);
  },
  clamp(min?: number, max?: number) {
    requireClampBound('clamp', min, max);
    const floating = (x: Tensor) =>
      unaryOp('clamp', x, [min ?? -Infinity, max ?? Infinity], { fn: 'clamp' });
    return this.dtype === 'int32' ? math.clampInt(this, min, max, floating) : floating(this);
  },
  lt(o: Operand) {
    return binaryOp('lt', this, o);
  },
  le(o: Operand) {
    return binaryOp('le', this, o);
  },
  gt(o: Operand) {
    return binaryOp('gt', this, o);
  },
  ge(o: Operand) {
    return binaryOp('ge', this, o);
  },
  eq(o: Operand) {
    return binaryOp('eq', this, o);
  },
  ne(o: Operand) {
    return binaryOp('ne', this, o);
  },

  sum(dim?: number | readonly number[], keepdim = false) {
    return reduce.sum(this, dim, keepdim);
  },
  mean(dim?: number | readonly number[], keepdim = false) {
    return reduce.mean(this, dim, keepdim);
  },
  amax(dim?: number | readonly number[], keepdim = false) {
    return reduce.amax(this, dim, keepdim);
  },
  amin(dim?: number | readonly number[], keepdim = false) {
    return reduce.amin(this, dim, keepdim);
  },
  max(dim?: number | Tensor, keepdim?: boolean) {
    return reduce.maxOrMin(this, dim, keepdim, 'max');
  },
  min(dim?: number | Tensor, keepdim?: boolean) {
    return reduce.maxOrMin(this, dim, keepdim, 'min');
  },
  argmax(dim?: number, keepdim = false) {
    return reduce.argmax(this, dim, keepdim);
  },
  argmin(dim?: number, keepdim = false) {
    return reduce.argmax(this, dim, keepdim, 'min');
  },
  logsumexp(dim: number | readonly number[], keepdim = false) {
    return reduce.logsumexp(this, dim, keepdim);
  },
  var(
    dim?: Dims | boolean | null,
    unbiased?: boolean,
    keepdim?: boolean,
    correction?: number | null,
  ) {
    return varStd(this, 'var', dim, unbiased, keepdim, correction);
  },
  std(
    dim?: Dims | boolean | null,
    unbiased?: boolean,
    keepdim?: boolean,
    correction?: number | null,
  ) {
    return varStd(this, 'std', dim, unbiased, keepdim, correction);
  },
  prod(dim?: number, keepdim?: boolean) {
    return reduce.prod(this, dim, keepdim);
  },
  cumsum(dim: number) {
    return reduce.cumsum(this, dim);
  },
  sort(dim = -1, descending = false, stable = false) {
    return reduce.valuesIndices(...pair(sorting.sort(this, dim, descending, stable)));
  },
  argsort(dim = -1, descending = false, stable = false) {
    return sorting.sort(this, dim, descending, stable, 'argsort').indices;
  },
  topk(k: number, dim = -1, largest = true, sorted = true) {
    return reduce.valuesIndices(...pair(sorting.topk(this, k, dim, largest, sorted)));
  },
  _cumsum(dim: number, reverse: boolean) {
    return reduce.cumsum(this, dim, reverse);
  },
  sumToShape(shape: Shape) {
    return reduce.sumToShape(this, shape);
  },

  reshape(...shape: number[] | [readonly number[]]) {
    return shapeOps.reshape(this, shapeArg(shape));
  },
  view(...shape: number[] | [readonly number[]]) {
    return shapeOps.reshape(this, shapeArg(shape), 'view');
  },
  flatten(startDim = 0, endDim = -1) {
    return shapeOps.flatten(this, startDim, endDim);
  },
  unsqueeze(dim: number) {
    return shapeOps.unsqueeze(this, dim);
  },
  squeeze(dim?: number) {
    return shapeOps.squeeze(this, dim);
  },
  permute(...dims: number[] | [readonly number[]]) {
    return shapeOps.permute(this, shapeArg(dims));
  },
  transpose(dim0: number, dim1: number) {
    return shapeOps.transpose(this, dim0, dim1);
  },
  t() {
    if (this.ndim > 2)
      throw new Error(`t: expects a tensor with at most 2 dimensions, got ${this.ndim}`);
    return this.ndim < 2 ? this : shapeOps.transpose(this, 0, 1);
  },
  expand(...shape: number[] | [readonly number[]]) {
    return shapeOps.expand(this, shapeArg(shape));
  },
  narrow(dim: number, start: number, length: number) {
    return shapeOps.narrow(this, dim, start, length);
  },
  select(dim: number, index: number) {
    return shapeOps.select(this, dim, index);
  },
  unfold(dimension: number, size: number, step: number) {
    return shapeOps.unfold(this, dimension, size, step);
  },
  chunk(chunks: number, dim = 0) {
    return shapeOps.chunk(this, chunks, dim);
  },
  split(splitSize: number | readonly number[], dim = 0) {
    return shapeOps.split(this, splitSize, dim);
  },
  unbind(dim = 0) {
    return shapeOps.unbind(this, dim);
  },
  clone() {
    return shapeOps.clone(this);
  },
  contiguous() {
    return shapeOps.contiguous(this);
  },
  to(dtype: DType) {
    return shapeOps.cast(this, dtype);
  },
  float() {
    return shapeOps.cast(this, 'float32');
  },
  double() {
    return shapeOps.cast(this, 'float64');
  },
  int() {
    return shapeOps.cast(this, 'int32');
  },

  gather(dim: number, index: Tensor) {
    return indexOps.gather(this, dim, index);
  },
  indexSelect(dim: number, index: Tensor) {
    return indexOps.indexSelect(this, dim, index);
  },
  maskedFill(mask: Tensor, value: number) {
    return indexOps.where(mask, scalar(value, this.dtype), this);
  },
  where(cond: Tensor, other: Operand) {
    return indexOps.where(
      cond,
      this,
      typeof other === 'number' ? scalar(other, this.dtype) : other,
    );
  },
  matmul(other: Tensor) {
    return matmul(this, other);
  },
  _matmulTransposed(other: Tensor, transA: boolean, transB: boolean) {
    return matmulTransposed(this, other, transA, transB);
  },
  _im2col(windows: Windows) {
    return im2col(this, windows);
  },
  _col2im(windows: Windows) {
    return col2im(this, windows);
  },
  _boxSum(boxes: Boxes) {
    return boxSum(this, boxes);
  },
  _boxSpread(boxes: Boxes, size: readonly [number, number]) {
    return boxSpread(this, boxes, size);
  },
};

/** Installs `methods` on the prototype as class methods are (non-enumerable). */
export function installMethods(
  proto: object,
  table: Record<string, (...args: never[]) => unknown>,
): void {
  for (const [name, fn] of Object.entries(table)) {
    Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true });
  }
}

installMethods(Tensor.prototype, methods);
// Every method checks its arguments' types before the op runs (./method-checks.ts).
function pair(s: sorting.Sorted): [Tensor, Tensor] {
  return [s.values, s.indices];
}

/** `alpha · o`: for a number exactly in float64, as PyTorch multiplies scalars. */
function scaled(o: Operand, alpha: number): Operand {
  if (alpha === 1) return o;
  return typeof o === 'number' ? o * alpha : o.mul(alpha);
}

installChecks(Tensor.prototype);

Object.defineProperties(Tensor.prototype, {
  T: {
    configurable: true,
    get(this: Tensor): Tensor {
      if (this.ndim < 2) return this;
      return shapeOps.permute(this, [...Array(this.ndim).keys()].reverse());
    },
  },
  mT: {
    configurable: true,
    get(this: Tensor): Tensor {
      if (this.ndim < 2)
        throw new Error(`mT: expects a tensor with at least 2 dimensions, got ${this.ndim}`);
      return shapeOps.transpose(this, -2, -1);
    },
  },
});
