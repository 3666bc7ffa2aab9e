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
  backward: ({ x, dy }, p) =>
    select(
      x.le(0),
      dy.mul(p.inputScale).mul(p.alpha.mul(p.scale)).mul(exp(x.mul(p.inputScale))),
      dy.mul(p.scale),
    ),
});

/** Gradient of the shrink family: zero on the closed interval [-lambd, lambd]. */
const shrinkBackward = ({ x, dy }: { x: Ex; dy: Ex }, p: { lambd: Ex }): Ex =>
  select(x.ge(p.lambd.neg()).and(x.le(p.lambd)), 0, dy);

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
    forward: (x, p) => select(x.mul(p.beta).gt(p.threshold), x, log1p(exp(x.mul(p.beta))).div(p.beta)),
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
      const innerDerivative = xSq.mul(3 * GELU_TANH_KAPPA).add(1).mul(GELU_TANH_BETA);
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
    backward: ({ x, dy }, p) => select(x.le(p.minVal).or(x.ge(p.maxVal)), 0, dy),
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
    // `x · 0` in the middle keeps NaN, as PyTorch's kernel does.
    forward: (x, p) =>
      select(x.gt(p.lambd), x.sub(p.lambd), select(x.lt(p.lambd.neg()), x.add(p.lambd), x.mul(0))),
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
    backward: ({ x, dy }) => select(x.gt(-3).and(x.lt(3)), dy.mul(1 / 6), 0),
  }),
  hardswish: unary({
    params: {},
    forward: (x) => x.mul(min(max(x.add(3), 0), 6)).div(6),
    backward: ({ x, dy }) =>
      select(x.lt(-3), 0, select(x.le(3), dy.mul(x.div(3).add(0.5)), dy)),
  }),

  // ---- elementary math behind the tensor methods ---------------------------
  neg: unary({ params: {}, forward: (x) => x.neg(), backward: ({ dy }) => dy.neg() }),
  abs: unary({
    params: {},
    forward: (x) => x.abs(),
    backward: ({ x, dy }) => dy.mul(sign(x)),
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
  sign: unary({ params: {}, forward: (x) => sign(x), backward: ({ dy }) => dy.mul(0) }),
  floor: unary({ params: {}, forward: (x) => floor(x), backward: ({ dy }) => dy.mul(0) }),
  reciprocal: unary({
    params: {},
    forward: (x) => c(1).div(x),
    backward: ({ y, dy }) => dy.neg().mul(y.mul(y)),
  }),
  /** `x ** exponent`; PyTorch's gradient is 0 where the exponent is 0. */
  powScalar: unary({
    params: { exponent: 1 },
    forward: (x, p) => x.pow(p.exponent),
    backward: ({ x, dy }, p) =>
      select(p.exponent.eq(0), 0, dy.mul(p.exponent).mul(x.pow(p.exponent.sub(1)))),
  }),
  /** PyTorch's `clamp`: the gradient passes on the closed interval [min, max]. */
  clamp: unary({
    params: { min: -Infinity, max: Infinity },
    forward: (x, p) => min(max(x, p.min), p.max),
    backward: ({ x, dy }, p) => select(x.ge(p.min).and(x.le(p.max)), dy, 0),
  }),
} as const satisfies Record<string, UnaryDef<string>>;

export type UnaryName = keyof typeof UNARY;

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
      a: ({ a, b, dy }) => select(b.eq(0), 0, dy.mul(b).mul(a.pow(b.sub(1)))),
      b: ({ a, b, dy }) => select(a.eq(0).and(b.ge(0)), 0, dy.mul(a.pow(b)).mul(log(a))),
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
} as const satisfies Record<string, BinaryDef>;

export type BinaryName = keyof typeof BINARY;

/** Comparisons produce int32 0/1 tensors (nnkit has no bool dtype). */
export const COMPARISONS: ReadonlySet<BinaryName> = new Set(['lt', 'le', 'gt', 'ge', 'eq', 'ne']);
