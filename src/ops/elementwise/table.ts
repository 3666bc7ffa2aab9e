/**
 * THE elementwise table: every elementwise function of nnkit, written once.
 *
 * Each entry gives the options with PyTorch's defaults (in kernel-argument
 * order), the forward formula in terms of `x`, and the gradient formula in
 * terms of `x`, the output `y` and the incoming gradient `dy`. The formulas
 * follow PyTorch's CPU kernels term for term, so that kinks, NaN and
 * infinities come out as PyTorch's do (for example `softsign` keeps PyTorch's
 * composite `x / (1 + |x|)`, which is NaN at ±Infinity).
 *
 * From these entries `scripts/gen-kernels.ts` generates the JavaScript,
 * C++ and AssemblyScript kernels; the tests evaluate them as a float64
 * reference. Adding an activation is one entry here plus its public wrapper.
 */
import {
  type Ex,
  c,
  erf,
  exp,
  expm1,
  floor,
  log,
  log1p,
  max,
  min,
  select,
  sign,
  sqrt,
  tanh,
} from './expr.js';

export interface UnaryDef<P extends string = string> {
  /** Options with their defaults; their order is the kernels' argument order. */
  readonly params: Readonly<Record<P, number>>;
  /** `y = f(x)`. */
  readonly forward: (x: Ex, p: Readonly<Record<P, Ex>>) => Ex;
  /** `dx = dy · f'(x)`, in whatever terms of `x`, `y`, `dy` PyTorch uses; `null` if not differentiable. */
  readonly backward: ((g: { x: Ex; y: Ex; dy: Ex }, p: Readonly<Record<P, Ex>>) => Ex) | null;
}

export interface BinaryDef<P extends string = string> {
  /** Options with their defaults, in kernel-argument order (most binary ops have none). */
  readonly params?: Readonly<Record<P, number>>;
  /** `y = f(a, b)`. */
  readonly forward: (a: Ex, b: Ex, p: Readonly<Record<P, Ex>>) => Ex;
  /** Gradients with respect to `a` and `b`, or `null` for comparisons. */
  readonly backward: {
    readonly a: (g: { a: Ex; b: Ex; dy: Ex }, p: Readonly<Record<P, Ex>>) => Ex;
    readonly b: (g: { a: Ex; b: Ex; dy: Ex }, p: Readonly<Record<P, Ex>>) => Ex;
  } | null;
}

const unary = <P extends string>(def: UnaryDef<P>): UnaryDef<P> => def;

// PyTorch's constants (ATen/native/cpu/Activation.cpp, torch/nn/functional.py).
const M_SQRT1_2 = Math.SQRT1_2;
const M_2_SQRTPI = 2 / Math.sqrt(Math.PI);
const GELU_PDF_SCALE = M_2_SQRTPI * M_SQRT1_2 * 0.5; // 1/sqrt(2π)
const GELU_TANH_BETA = Math.SQRT2 * M_2_SQRTPI * 0.5; // sqrt(2/π)
const GELU_TANH_KAPPA = 0.044715;

/** The shared ELU kernel: ELU, CELU and SELU are its parameterisations, as in PyTorch. */
const eluFamily = unary({
  params: { alpha: 1, scale: 1, inputScale: 1 },
  forward: (x, p) =>
    select(x.le(0), expm1(x.mul(p.inputScale)).mul(p.alpha.mul(p.scale)), x.mul(p.scale)),
  // Written `x > 0 ? … : …` so NaN takes the negative branch and yields NaN,
  // as PyTorch's vectorised CPU kernel does (its scalar tail differs).
  backward: ({ x, dy }, p) =>
    select(
      x.gt(0),
      dy.mul(p.scale),
      dy
        .mul(p.inputScale)
        .mul(p.alpha.mul(p.scale))
        .mul(exp(x.mul(p.inputScale))),
    ),
});

/**
 * Gradient of the shrink family: zero on the closed interval [-lambd, lambd]
 * and at NaN (PyTorch's vectorised kernel tests `x < -λ || x > λ`).
 */
const shrinkBackward = ({ x, dy }: { x: Ex; dy: Ex }, p: { lambd: Ex }): Ex =>
  select(x.lt(p.lambd.neg()).or(x.gt(p.lambd)), dy, 0);

/** PyTorch's `sign`: `(0 < x) − (x < 0)`, which is 0 for NaN (JavaScript's `Math.sign(NaN)` is NaN). */
const torchSign = (x: Ex): Ex => select(x.gt(0), 1, 0).sub(select(x.lt(0), 1, 0));

export const UNARY = {
  // ---- activations -------------------------------------------------------
  relu: unary({
    params: {},
    forward: (x) => max(x, 0),
    backward: ({ y, dy }) => select(y.le(0), 0, dy),
  }),
  leakyRelu: unary({
    params: { negativeSlope: 0.01 },
    forward: (x, p) => select(x.gt(0), x, x.mul(p.negativeSlope)),
    backward: ({ x, dy }, p) => select(x.gt(0), dy, dy.mul(p.negativeSlope)),
  }),
  softplus: unary({
    params: { beta: 1, threshold: 20 },
    // Above the threshold log1p(exp(βx))/β equals x to working precision and exp would overflow.
    forward: (x, p) =>
      select(x.mul(p.beta).gt(p.threshold), x, log1p(exp(x.mul(p.beta))).div(p.beta)),
    backward: ({ x, dy }, p) => {
      const z = exp(x.mul(p.beta));
      return select(x.mul(p.beta).gt(p.threshold), dy, dy.mul(z).div(z.add(1)));
    },
  }),
  elu: eluFamily,
  gelu: unary({
    params: {},
    forward: (x) => x.mul(0.5).mul(erf(x.mul(M_SQRT1_2)).add(1)),
    backward: ({ x, dy }) => {
      const cdf = erf(x.mul(M_SQRT1_2)).add(1).mul(0.5);
      const pdf = exp(x.mul(x).mul(-0.5)).mul(GELU_PDF_SCALE);
      return dy.mul(cdf.add(x.mul(pdf)));
    },
  }),
  geluTanh: unary({
    params: {},
    forward: (x) => {
      const inner = x.add(x.mul(x).mul(x).mul(GELU_TANH_KAPPA)).mul(GELU_TANH_BETA);
      return x.mul(0.5).mul(tanh(inner).add(1));
    },
    backward: ({ x, dy }) => {
      const xSq = x.mul(x);
      const inner = x.add(xSq.mul(x).mul(GELU_TANH_KAPPA)).mul(GELU_TANH_BETA);
      const t = tanh(inner);
      const left = x.mul(0.5);
      const leftDerivative = t.add(1).mul(0.5);
      const tanhDerivative = c(1).sub(t.mul(t));
      const innerDerivative = xSq
        .mul(3 * GELU_TANH_KAPPA)
        .add(1)
        .mul(GELU_TANH_BETA);
      return dy.mul(leftDerivative.add(left.mul(tanhDerivative).mul(innerDerivative)));
    },
  }),
  sigmoid: unary({
    params: {},
    forward: (x) => c(1).div(exp(x.neg()).add(1)),
    backward: ({ y, dy }) => dy.mul(c(1).sub(y)).mul(y),
  }),
  tanh: unary({
    params: {},
    forward: (x) => tanh(x),
    backward: ({ y, dy }) => dy.mul(c(1).sub(y.mul(y))),
  }),
  softsign: unary({
    params: {},
    // PyTorch composes x / (|x| + 1); its autograd gives NaN at ±Infinity, and so do we.
    forward: (x) => x.div(x.abs().add(1)),
    backward: ({ x, dy }) => {
      const d = x.abs().add(1);
      return dy.div(d).sub(sign(x).mul(dy.mul(x.div(d).div(d))));
    },
  }),
  hardtanh: unary({
    params: { minVal: -1, maxVal: 1 },
    forward: (x, p) => min(max(x, p.minVal), p.maxVal),
    // Strictly inside passes the gradient; the bounds and NaN give 0 (PyTorch's vectorised kernel).
    backward: ({ x, dy }, p) => select(x.gt(p.minVal).and(x.lt(p.maxVal)), dy, 0),
  }),
  threshold: unary({
    params: { threshold: 0, value: 0 },
    forward: (x, p) => select(x.le(p.threshold), p.value, x),
    backward: ({ x, dy }, p) => select(x.le(p.threshold), 0, dy),
  }),
  tanhshrink: unary({
    params: {},
    forward: (x) => x.sub(tanh(x)),
    backward: ({ x, dy }) => {
      const t = tanh(x);
      return dy.add(dy.neg().mul(c(1).sub(t.mul(t))));
    },
  }),
  softshrink: unary({
    params: { lambd: 0.5 },
    // NaN falls through both tests to 0, as in PyTorch 1.13.
    forward: (x, p) =>
      select(x.gt(p.lambd), x.sub(p.lambd), select(x.lt(p.lambd.neg()), x.add(p.lambd), 0)),
    backward: shrinkBackward,
  }),
  hardshrink: unary({
    params: { lambd: 0.5 },
    forward: (x, p) => select(x.ge(p.lambd.neg()).and(x.le(p.lambd)), 0, x),
    backward: shrinkBackward,
  }),
  logsigmoid: unary({
    params: {},
    // min(x, 0) − log1p(exp(−|x|)): exp never overflows, and log1p keeps the tail exact.
    forward: (x) => min(x, 0).sub(log1p(exp(x.abs().neg()))),
    backward: ({ x, dy }) => {
      const negative = x.lt(0);
      const z = exp(x.abs().neg());
      return dy.mul(select(negative, 1, 0).sub(select(negative, 1, -1).mul(z.div(z.add(1)))));
    },
  }),
  silu: unary({
    params: {},
    forward: (x) => x.div(exp(x.neg()).add(1)),
    backward: ({ x, dy }) => {
      const s = c(1).div(exp(x.neg()).add(1));
      return dy.mul(s).mul(x.mul(c(1).sub(s)).add(1));
    },
  }),
  mish: unary({
    params: {},
    forward: (x) => x.mul(tanh(log1p(exp(x)))),
    backward: ({ x, dy }) => {
      const s = c(1).div(exp(x.neg()).add(1));
      const t = tanh(log1p(exp(x)));
      return dy.mul(t.add(x.mul(s).mul(c(1).sub(t.mul(t)))));
    },
  }),
  hardsigmoid: unary({
    params: {},
    forward: (x) => min(max(x.add(3), 0), 6).div(6),
    // PyTorch multiplies by the float literal 1.0f/6.0f, even in float64.
    backward: ({ x, dy }) => select(x.gt(-3).and(x.lt(3)), dy.mul(Math.fround(1 / 6)), 0),
  }),
  hardswish: unary({
    params: {},
    forward: (x) => x.mul(min(max(x.add(3), 0), 6)).div(6),
    // The middle branch is the fall-through, so NaN gives NaN (PyTorch's vectorised kernel).
    backward: ({ x, dy }) => select(x.lt(-3), 0, select(x.ge(3), dy, dy.mul(x.div(3).add(0.5)))),
  }),

  // ---- elementary math behind the tensor methods ---------------------------
  neg: unary({ params: {}, forward: (x) => x.neg(), backward: ({ dy }) => dy.neg() }),
  abs: unary({
    params: {},
    forward: (x) => x.abs(),
    // PyTorch's `grad · sgn(x)`, 0 at NaN.
    backward: ({ x, dy }) => dy.mul(torchSign(x)),
  }),
  exp: unary({ params: {}, forward: (x) => exp(x), backward: ({ y, dy }) => dy.mul(y) }),
  expm1: unary({ params: {}, forward: (x) => expm1(x), backward: ({ y, dy }) => dy.mul(y.add(1)) }),
  log: unary({ params: {}, forward: (x) => log(x), backward: ({ x, dy }) => dy.div(x) }),
  log1p: unary({ params: {}, forward: (x) => log1p(x), backward: ({ x, dy }) => dy.div(x.add(1)) }),
  sqrt: unary({
    params: {},
    forward: (x) => sqrt(x),
    backward: ({ y, dy }) => dy.div(y.mul(2)),
  }),
  // PyTorch's `zeros_like(grad)`: +0 even where the incoming gradient is NaN, ±∞ or negative.
  sign: unary({ params: {}, forward: (x) => torchSign(x), backward: () => c(0) }),
  floor: unary({ params: {}, forward: (x) => floor(x), backward: () => c(0) }),
  reciprocal: unary({
    params: {},
    forward: (x) => c(1).div(x),
    backward: ({ y, dy }) => dy.neg().mul(y.mul(y)),
  }),
  /**
   * `x ** exponent`; PyTorch's gradient is 0 where the exponent is 0. The
   * caller passes `exponentMinusOne = exponent − 1` and `exponentIsZero`
   * computed from the float64 exponent, as PyTorch's pow_backward computes
   * them on its double Scalar: each kernel rounds every parameter to the
   * tensor's dtype, and float32(p − 1) is not float32(p) − 1 (p = 2^24 + 1
   * gives x^(2^24) in PyTorch, an even power, and x^(2^24 − 1) otherwise),
   * nor is float32(p) = 0 the same as p = 0 (p = 1e-300 has gradient
   * 0·x^−1, NaN at x = 0).
   */
  powScalar: unary({
    params: { exponent: 1, exponentMinusOne: 0, exponentIsZero: 0 },
    forward: (x, p) => x.pow(p.exponent),
    // PyTorch's `grad · (exponent · x^(exponent − 1))`: the factor first, so
    // an underflowing power gives 0 rather than a huge gradient times 0.
    backward: ({ x, dy }, p) =>
      select(p.exponentIsZero.ne(0), 0, dy.mul(p.exponent.mul(x.pow(p.exponentMinusOne)))),
  }),
  /** PyTorch's `clamp`: the gradient passes on the closed interval [min, max]. */
  clamp: unary({
    params: { min: -Infinity, max: Infinity },
    forward: (x, p) => min(max(x, p.min), p.max),
    backward: ({ x, dy }, p) => select(x.ge(p.min).and(x.le(p.max)), dy, 0),
  }),
} as const satisfies Record<string, UnaryDef<string>>;

export type UnaryName = keyof typeof UNARY;

// ---- losses (issue 3): helpers for the loss entries at the end of BINARY ----

/** The EPSILON of PyTorch's BCE backward, a float constant (`1e-12f`). */
const BCE_EPSILON = Math.fround(1e-12);

/** PyTorch's smooth-L1 backward for `x = input − target` (and with the roles swapped for the target). */
const smoothL1Grad = (x: Ex, dy: Ex, beta: Ex): Ex =>
  select(x.le(beta.neg()), dy.neg(), select(x.ge(beta), dy, x.mul(dy).div(beta)));

/** PyTorch's Huber backward for `x = input − target`. */
const huberGrad = (x: Ex, dy: Ex, delta: Ex): Ex =>
  select(x.le(delta.neg()), dy.neg().mul(delta), select(x.ge(delta), dy.mul(delta), x.mul(dy)));

// The loss terms whose 'mean' variants below differ only in where 1/n enters the gradient.
const squaredErrorTerm = (a: Ex, b: Ex): Ex => a.sub(b).mul(a.sub(b));
const bceTerm = (a: Ex, b: Ex): Ex =>
  b
    .sub(1)
    .mul(max(log1p(a.neg()), -100))
    .sub(b.mul(max(log(a), -100)));
const bceGradA = (a: Ex, b: Ex, dy: Ex): Ex =>
  dy.mul(a.sub(b)).div(max(c(1).sub(a).mul(a), BCE_EPSILON));
const bceGradB = (a: Ex, dy: Ex): Ex =>
  log(a.div(c(1).sub(a)))
    .neg()
    .mul(dy);
const bceWithLogitsTerm = (a: Ex, b: Ex): Ex => {
  const m = max(a.neg(), 0);
  return c(1)
    .sub(b)
    .mul(a)
    .add(m)
    .add(log(exp(m.neg()).add(exp(a.neg().sub(m)))));
};
const bceWithLogitsGradA = (a: Ex, b: Ex, dy: Ex): Ex =>
  c(1).div(exp(a.neg()).add(1)).sub(b).mul(dy);

export const BINARY = {
  add: { forward: (a, b) => a.add(b), backward: { a: ({ dy }) => dy, b: ({ dy }) => dy } },
  sub: { forward: (a, b) => a.sub(b), backward: { a: ({ dy }) => dy, b: ({ dy }) => dy.neg() } },
  mul: {
    forward: (a, b) => a.mul(b),
    backward: { a: ({ b, dy }) => dy.mul(b), b: ({ a, dy }) => dy.mul(a) },
  },
  div: {
    forward: (a, b) => a.div(b),
    backward: { a: ({ b, dy }) => dy.div(b), b: ({ a, b, dy }) => dy.neg().mul(a.div(b).div(b)) },
  },
  pow: {
    forward: (a, b) => a.pow(b),
    backward: {
      // PyTorch's pow_backward: `grad · (b · a^(b − 1))` and `grad · (a^b · log a)`,
      // the factor computed first (it decides where float32 overflows).
      a: ({ a, b, dy }) => select(b.eq(0), 0, dy.mul(b.mul(a.pow(b.sub(1))))),
      b: ({ a, b, dy }) => select(a.eq(0).and(b.ge(0)), 0, dy.mul(a.pow(b).mul(log(a)))),
    },
  },
  /** NaN-propagating; at ties the gradient is split evenly, as in PyTorch. */
  maximum: {
    forward: (a, b) => max(a, b),
    backward: {
      a: ({ a, b, dy }) => select(a.eq(b), dy.div(2), select(a.lt(b), 0, dy)),
      b: ({ a, b, dy }) => select(a.eq(b), dy.div(2), select(a.gt(b), 0, dy)),
    },
  },
  minimum: {
    forward: (a, b) => min(a, b),
    backward: {
      a: ({ a, b, dy }) => select(a.eq(b), dy.div(2), select(a.gt(b), 0, dy)),
      b: ({ a, b, dy }) => select(a.eq(b), dy.div(2), select(a.lt(b), 0, dy)),
    },
  },
  lt: { forward: (a, b) => select(a.lt(b), 1, 0), backward: null },
  le: { forward: (a, b) => select(a.le(b), 1, 0), backward: null },
  gt: { forward: (a, b) => select(a.gt(b), 1, 0), backward: null },
  ge: { forward: (a, b) => select(a.ge(b), 1, 0), backward: null },
  eq: { forward: (a, b) => select(a.eq(b), 1, 0), backward: null },
  ne: { forward: (a, b) => select(a.ne(b), 1, 0), backward: null },

  // ---- losses (issue 3): pointwise loss terms, a = input, b = target -------
  // Each backward follows PyTorch's kernel (ATen/native/Loss.cpp,
  // derivatives.yaml) term for term. Where PyTorch computes the target's
  // gradient by calling the input's backward with the arguments swapped
  // (mse, smooth L1, huber), `b` is written the same way, so the kinks agree.
  /** `(a − b)²`; PyTorch's `mse_loss` term. */
  squaredError: {
    forward: squaredErrorTerm,
    backward: {
      a: ({ a, b, dy }) => c(2).mul(a.sub(b)).mul(dy),
      b: ({ a, b, dy }) => c(2).mul(b.sub(a)).mul(dy),
    },
  },
  /**
   * `squaredError` under a `'mean'` reduction: PyTorch's mse_loss_backward
   * folds `norm = 2/n` (float64, rounded to the dtype) into `(a − b)` before
   * the upstream gradient, `norm·(a − b)·dy`, so with `a − b` near 3e38 the
   * float32 gradient stays finite where `2·(a − b)·(dy/n)` overflows.
   * The caller passes `norm = 2/n` and the unscaled `dy`.
   */
  squaredErrorMean: {
    params: { norm: 2 },
    forward: squaredErrorTerm,
    backward: {
      a: ({ a, b, dy }, p) => p.norm.mul(a.sub(b)).mul(dy),
      b: ({ a, b, dy }, p) => p.norm.mul(b.sub(a)).mul(dy),
    },
  },
  /** `|a − b|`; `l1_loss` is `(input − target).abs()` in PyTorch, so its gradient is `sign` (0 at NaN). */
  absError: {
    forward: (a, b) => a.sub(b).abs(),
    backward: {
      a: ({ a, b, dy }) => dy.mul(torchSign(a.sub(b))),
      b: ({ a, b, dy }) => dy.mul(torchSign(a.sub(b))).neg(),
    },
  },
  /** Smooth L1: `0.5·z²/β` for `|z| < β`, else `|z| − 0.5·β`, z = a − b. */
  smoothL1: {
    params: { beta: 1 },
    forward: (a, b, p) => {
      const z = a.sub(b).abs();
      return select(z.lt(p.beta), c(0.5).mul(z).mul(z).div(p.beta), z.sub(c(0.5).mul(p.beta)));
    },
    backward: {
      a: ({ a, b, dy }, p) => smoothL1Grad(a.sub(b), dy, p.beta),
      b: ({ a, b, dy }, p) => smoothL1Grad(b.sub(a), dy, p.beta),
    },
  },
  /** Huber: `0.5·z²` for `|z| < δ`, else `δ·(|z| − 0.5·δ)`, z = a − b. */
  huber: {
    params: { delta: 1 },
    forward: (a, b, p) => {
      const z = a.sub(b).abs();
      return select(z.lt(p.delta), c(0.5).mul(z).mul(z), p.delta.mul(z.sub(c(0.5).mul(p.delta))));
    },
    backward: {
      a: ({ a, b, dy }, p) => huberGrad(a.sub(b), dy, p.delta),
      b: ({ a, b, dy }, p) => huberGrad(b.sub(a), dy, p.delta),
    },
  },
  /**
   * Binary cross-entropy of a probability `a` against `b`:
   * `(b − 1)·max(log1p(−a), −100) − b·max(log(a), −100)`. The clamp at −100
   * keeps `a = 0` or `a = 1` finite; the gradient divides by
   * `max((1 − a)·a, ε)` for the same reason (ε is PyTorch's float constant
   * `1e-12f`, i.e. 9.9999999600419720e-13). The target's gradient is
   * `−logit(a)`, as in PyTorch.
   */
  bce: {
    forward: bceTerm,
    backward: {
      a: ({ a, b, dy }) => bceGradA(a, b, dy),
      b: ({ a, dy }) => bceGradB(a, dy),
    },
  },
  /**
   * `bce` under a `'mean'` reduction: PyTorch's backward computes the
   * elementwise gradient with the unscaled upstream gradient and divides by
   * `n` last (`grad_input.div_(numel)`), so a float32 product that overflows
   * stays Infinity. The caller passes `n` and the unscaled `dy`.
   */
  bceMean: {
    params: { n: 1 },
    forward: bceTerm,
    backward: {
      a: ({ a, b, dy }, p) => bceGradA(a, b, dy).div(p.n),
      b: ({ a, dy }, p) => bceGradB(a, dy).div(p.n),
    },
  },
  /**
   * Binary cross-entropy of logits `a` against `b` without `pos_weight`:
   * `(1 − b)·a + m + log(exp(−m) + exp(−a − m))` with `m = max(−a, 0)`, so
   * no exp overflows for large |a|.
   */
  bceWithLogits: {
    forward: bceWithLogitsTerm,
    backward: {
      a: ({ a, b, dy }) => bceWithLogitsGradA(a, b, dy),
      b: ({ a, dy }) => a.neg().mul(dy),
    },
  },
  /**
   * `bceWithLogits` under a `'mean'` reduction: PyTorch multiplies by the
   * unscaled upstream gradient and divides by `n` last
   * (binary_cross_entropy_with_logits_backward and its target backward).
   */
  bceWithLogitsMean: {
    params: { n: 1 },
    forward: bceWithLogitsTerm,
    backward: {
      a: ({ a, b, dy }, p) => bceWithLogitsGradA(a, b, dy).div(p.n),
      b: ({ a, dy }, p) => a.neg().mul(dy).div(p.n),
    },
  },
  /**
   * The `pos_weight` term of BCE with logits: `b·softplus(−a)` with the
   * stable `log(exp(−m) + exp(−a − m)) + m`, m = max(−a, 0); `b` is the
   * per-element log-weight `1 + (pos_weight − 1)·target`.
   */
  bceLogitsWeightedSoftplus: {
    forward: (a, b) => {
      const m = max(a.neg(), 0);
      return b.mul(log(exp(m.neg()).add(exp(a.neg().sub(m)))).add(m));
    },
    backward: {
      a: ({ a, b, dy }) => b.mul(c(1).div(exp(a.neg()).add(1)).sub(1)).mul(dy),
      b: ({ a, dy }) => {
        const m = max(a.neg(), 0);
        return log(exp(m.neg()).add(exp(a.neg().sub(m))))
          .add(m)
          .mul(dy);
      },
    },
  },
  /**
   * Kullback–Leibler term `xlogy(b, b) − b·a` (a = log-probabilities,
   * b = probabilities); `xlogy` is 0 where `b = 0`. PyTorch composes it from
   * `xlogy` and `mul`, and its autograd gives the target a NaN gradient at
   * `b = 0` (from `b / b`); we keep that.
   */
  klDiv: {
    forward: (a, b) => select(b.eq(0), 0, b.mul(log(b))).sub(b.mul(a)),
    backward: {
      a: ({ b, dy }) => dy.mul(b).neg(),
      b: ({ a, b, dy }) =>
        dy
          .mul(select(b.eq(0), 0, log(b)))
          .add(dy.mul(b).div(b))
          .sub(dy.mul(a)),
    },
  },
  /** Kullback–Leibler term with a log-target: `exp(b)·(b − a)`. */
  klDivLogTarget: {
    forward: (a, b) => exp(b).mul(b.sub(a)),
    backward: {
      a: ({ b, dy }) => dy.mul(exp(b)).neg(),
      b: ({ a, b, dy }) =>
        dy
          .mul(b.sub(a))
          .mul(exp(b))
          .add(dy.mul(exp(b))),
    },
  },
  /** Soft margin `log1p(exp(−a·b))`; gradient `−b·z/(1 + z)`, z = exp(−a·b), as PyTorch's kernel. */
  softMargin: {
    forward: (a, b) => log1p(exp(a.neg().mul(b))),
    backward: {
      a: ({ a, b, dy }) => {
        const z = exp(a.neg().mul(b));
        return b.neg().mul(z).div(z.add(1)).mul(dy);
      },
      b: ({ a, b, dy }) => {
        const z = exp(a.neg().mul(b));
        return a.neg().mul(z).div(z.add(1)).mul(dy);
      },
    },
  },
} as const satisfies Record<string, BinaryDef>;

export type BinaryName = keyof typeof BINARY;

/**
 * Pointwise losses whose fused `'mean'` gradient PyTorch does not compute as
 * `f'(a, b)·(dy/n)`: the entry computing it from the unscaled `dy`, and its
 * parameters for `n` elements (the others scale `dy` by `1/n` first, as
 * PyTorch's composite `mean` does).
 */
export const MEAN_BACKWARD: Partial<
  Record<BinaryName, { readonly entry: BinaryName; readonly params: (n: number) => number[] }>
> = {
  squaredError: { entry: 'squaredErrorMean', params: (n) => [2 / n] },
  bce: { entry: 'bceMean', params: (n) => [n] },
  bceWithLogits: { entry: 'bceWithLogitsMean', params: (n) => [n] },
};

/** Comparisons produce int32 0/1 tensors (nnkit has no bool dtype). */
export const COMPARISONS: ReadonlySet<BinaryName> = new Set(['lt', 'le', 'gt', 'ge', 'eq', 'ne']);
