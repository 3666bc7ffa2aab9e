/**
 * A learnable nonlinearity: a Chebyshev expansion on a clamped range,
 * shared by all units or one per channel. nnkit's own addition (PyTorch has
 * no such module); it answers the lecture's "learn the nonlinearity" the
 * way PReLU learns a slope, but with a whole shape.
 */
import { Tensor } from '../tensor/tensor.js';
import { allocUninit, type DType } from '../tensor/dtype.js';
import { splitAtDim, formatShape } from '../tensor/shape.js';
import { recordOp } from '../autograd/derivatives/index.js';
import { Module, pyNum } from './module.js';
import { bindArgs, type Param } from '../signature/bind.js';
import * as T from '../signature/types.js';
import { checkShape } from '../tensor/checks.js';

/** A named starting shape, or any function of one number. */
export type ChebyshevInit =
  'identity' | 'zero' | 'relu' | 'tanh' | 'sigmoid' | ((x: number) => number);

/** Options of {@link ChebyshevActivation}. */
export interface ChebyshevActivationOptions {
  /** Highest polynomial degree K (default 8): K + 1 coefficients per channel. */
  degree?: number;
  /** 1 (one shared shape, the default) or the number of channels (dimension 1 of the input). */
  numParameters?: number;
  /** The interval [a, b] the expansion lives on; inputs are clamped to it (default [-2, 2]). */
  range?: readonly [number, number];
  /** The function the activation starts as (default `'identity'`). */
  init?: ChebyshevInit;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

const CHEBYSHEV_PARAMS: readonly Param[] = [
  {
    name: 'degree',
    type: T.int({ min: 0, max: 1024 }),
    default: 8,
    kwOnly: true,
    doc: 'highest degree K',
  },
  {
    name: 'numParameters',
    type: T.int({ min: 1 }),
    default: 1,
    kwOnly: true,
    doc: '1 or the number of channels',
  },
  {
    name: 'range',
    type: T.numberPair({ min: -Number.MAX_VALUE, max: Number.MAX_VALUE }),
    default: [-2, 2],
    kwOnly: true,
    doc: 'the interval [a, b], finite, a < b',
  },
  {
    name: 'init',
    type: T.either(
      T.oneOf('identity', 'zero', 'relu', 'tanh', 'sigmoid'),
      T.fn<(x: number) => number>('(x: number) => number'),
    ),
    default: 'identity',
    kwOnly: true,
    doc: 'the function the activation starts as',
  },
  { name: 'dtype', type: T.floatDtype, default: 'float32', kwOnly: true, doc: 'parameter dtype' },
];

const NAMED: Record<Exclude<ChebyshevInit, (x: number) => number>, (x: number) => number> = {
  identity: (x) => x,
  zero: () => 0,
  relu: (x) => Math.max(x, 0),
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
};

/**
 * Coefficients c_0..c_K of the Chebyshev interpolant of `f` on [a, b], from
 * `n` Chebyshev nodes of the first kind. Discrete orthogonality makes this
 * exact for polynomials of degree ≤ K, and near-minimax otherwise.
 *
 * @param f - The function to interpolate, of one number.
 * @param degree - The highest degree K: K + 1 coefficients are returned.
 * @param range - The interval [a, b] the interpolant lives on.
 * @param n - The number of Chebyshev nodes (at least K + 1 for an exact fit). Default
 *   `4 · (degree + 1)`.
 */
export function chebyshevCoefficients(
  f: (x: number) => number,
  degree: number,
  range: readonly [number, number],
  n = 4 * (degree + 1),
): number[] {
  const [a, b] = range;
  const c = new Array<number>(degree + 1).fill(0);
  for (let j = 0; j < n; j++) {
    const theta = (Math.PI * (j + 0.5)) / n;
    const fx = f(((b - a) / 2) * Math.cos(theta) + (a + b) / 2);
    for (let k = 0; k <= degree; k++) c[k] += fx * Math.cos(k * theta);
  }
  return c.map((v, k) => (v * (k === 0 ? 1 : 2)) / n);
}

/**
 * The function behind {@link ChebyshevActivation}, with the coefficients as
 * an explicit input: `y = Σ_k weight[ch, k] · T_k(clamp((2x − a − b)/(b − a), −1, 1))`.
 * `weight` has shape `(C, K + 1)`; with `C > 1`, `ch` is the index along
 * dimension 1 of `input` (dimension 0 for a 1-D input), otherwise 0.
 * Differentiable with respect to `input` and `weight`.
 *
 * @param input - The tensor to transform, of the weight's dtype; with `C > 1`, `C` channels in
 *   dimension 1 (dimension 0 when 1-D).
 * @param weight - The coefficients, shape `(C, K + 1)`: one row per channel, or one shared row.
 * @param range - The interval [a, b] the input is clamped to and mapped onto [−1, 1].
 * @example
 * ```ts
 * import { nn, tensor } from 'nnkit';
 * // T_0 and T_1 on [-2, 2]: y = u = x/2, clamped to [-1, 1]
 * const w = tensor([[0, 1]]);
 * console.log(nn.chebyshevExpansion(tensor([-4, -1, 0, 1, 4]), w, [-2, 2]));
 * // tensor([-1.0000, -0.5000,  0.0000,  0.5000,  1.0000])
 * ```
 */
export function chebyshevExpansion(
  input: Tensor,
  weight: Tensor,
  range: readonly [number, number],
): Tensor {
  const fn = 'ChebyshevActivation';
  const w = weight;
  if (input.dtype !== w.dtype) {
    throw new Error(
      `${fn}: input dtype ${input.dtype} does not match the weight's dtype ${w.dtype}`,
    );
  }
  if (w.ndim !== 2)
    throw new Error(
      `${fn}: weight must have shape (numParameters, degree + 1), got ${formatShape(w.shape)}`,
    );
  const C = w.shape[0];
  const chDim = input.ndim >= 2 ? 1 : 0;
  let inner = input.size;
  if (C > 1) {
    const channels = input.ndim === 0 ? 1 : input.shape[chDim];
    if (channels !== C) {
      throw new Error(
        `${fn}: input of shape ${formatShape(input.shape)} has ${channels} channels in dimension ${chDim}, but numParameters is ${C}`,
      );
    }
    inner = splitAtDim(input.shape, chDim).inner;
  }
  const K = w.shape[1] - 1;
  const k1 = K + 1;
  const [a, b] = range;
  const scale = 2 / (b - a);
  const shift = (a + b) / (b - a);
  const xd = input.data;
  const wd = w.data;
  const n = input.size;
  const out = allocUninit(input.dtype, n);
  // Element i belongs to channel ch(i) = floor(i / inner) mod C (0 when shared).
  const channelOf = (i: number): number => (C === 1 ? 0 : Math.floor(i / inner) % C);
  const uOf = (x: number): number => Math.min(Math.max(x * scale - shift, -1), 1);
  for (let i = 0; i < n; i++) {
    const u = uOf(xd[i]);
    const base = channelOf(i) * k1;
    let tPrev = 1;
    let t = u;
    let y = wd[base];
    if (K >= 1) y += wd[base + 1] * u;
    for (let k = 2; k <= K; k++) {
      const next = 2 * u * t - tPrev;
      tPrev = t;
      t = next;
      y += wd[base + k] * t;
    }
    out[i] = Number.isNaN(xd[i]) ? NaN : y;
  }
  const result = new Tensor(out, input.shape);
  return recordOp(result, 'ChebyshevActivation', [input, w], {
    input,
    weight: w,
    xd,
    wd,
    scale,
    shift,
    inner,
  });
}

/**
 * `y = Σ_{k=0}^{K} c_k · T_k(u)`, with `u = clamp((2x − a − b)/(b − a), −1, 1)`
 * and `T_k` the Chebyshev polynomials (`T_0 = 1`, `T_1 = u`,
 * `T_{k+1} = 2u·T_k − T_{k−1}`). The coefficients `weight`, of shape
 * `(numParameters, K + 1)`, are learnt; with `numParameters > 1` each channel
 * (input dimension 1, or 0 for a 1-D input) has its own. Inputs outside
 * [a, b] are clamped, so the function is flat there and the gradient to `x`
 * is zero (at the ends it passes, as for `clamp`). Chebyshev polynomials stay
 * within [−1, 1] on the range, so the coefficients are well conditioned.
 *
 * Gradients: `∂y/∂c_k = T_k(u)`; `∂y/∂x = Σ c_k·k·U_{k−1}(u) · 2/(b − a)` inside the range,
 * with `U` the polynomials of the second kind.
 *
 * Defaults: `{ degree: 8, numParameters: 1, range: [-2, 2], init: 'identity' }`.
 * The initial coefficients interpolate `init` at Chebyshev nodes, so the
 * module starts as that function (exactly, for polynomials of degree ≤ K).
 *
 * @example
 * ```ts
 * import { nn, tensor } from 'nnkit';
 * const act = new nn.ChebyshevActivation({ degree: 6, init: 'tanh', numParameters: 16 });
 * console.log(act.weight.shape); // [ 16, 7 ]
 * // it starts as identity (the default) on [-2, 2], clamped outside:
 * const id = new nn.ChebyshevActivation({ degree: 3 });
 * console.log(id.forward(tensor([-3, -1, 0.5, 3])));
 * // tensor([-2.0000, -1.0000,  0.5000,  2.0000],
 * //        grad_fn=<ChebyshevActivationBackward0>)
 * ```
 */
export class ChebyshevActivation extends Module {
  /** The degree K of the expansion (K + 1 coefficients per channel). */
  readonly degree: number;
  /** Channels with their own coefficients (1: shared). */
  readonly numParameters: number;
  /** The interval [a, b] the input is clamped to and mapped onto [−1, 1]. */
  readonly range: readonly [number, number];

  /**
   * Creates the activation, its coefficients interpolating `init`; see
   * {@link ChebyshevActivationOptions}.
   *
   * @param opts - By name: `degree` (default `8`), `numParameters` (default `1`), `range`
   *   (default `[-2, 2]`), `init` (default `'identity'`), `dtype`. Default `{}`.
   */
  constructor(opts: ChebyshevActivationOptions = {}) {
    super();
    const fn = 'ChebyshevActivation';
    const o = bindArgs({ name: fn, params: CHEBYSHEV_PARAMS }, [opts]);
    this.degree = o.degree as number;
    this.numParameters = o.numParameters as number;
    this.range = o.range as [number, number];
    const [a, b] = this.range;
    if (!(Number.isFinite(a) && Number.isFinite(b) && a < b)) {
      throw new Error(`${fn}: range must be finite with a < b, got [${a}, ${b}]`);
    }
    const init = o.init as ChebyshevInit;
    const f = typeof init === 'function' ? init : NAMED[init];
    if (!f) throw new Error(`${fn}: unknown init '${String(init)}'`);
    const c = chebyshevCoefficients(f, this.degree, this.range);
    const k1 = this.degree + 1;
    const dtype = o.dtype as DType;
    checkShape(fn, [this.numParameters, k1], dtype, 'weight shape');
    const w = allocUninit(dtype, this.numParameters * k1);
    for (let p = 0; p < this.numParameters; p++) w.set(c, p * k1);
    this.registerParameter('weight', new Tensor(w, [this.numParameters, k1]));
  }

  /** The coefficients, shape `(numParameters, degree + 1)`. */
  get weight(): Tensor {
    return this.param('weight');
  }

  /** Applies the expansion with the current coefficients. */
  forward(...args: [input: Tensor]): Tensor {
    const fn = 'ChebyshevActivation.forward';
    if (args.length !== 1)
      throw new Error(`${fn}: takes 1 argument (input) but ${args.length} were given`);
    const input = args[0];
    if (!T.isTensor(input))
      throw new Error(`${fn}: input must be a Tensor, got ${T.describeValue(input)}`);
    if (input.dtype !== this.weight.dtype) {
      throw new Error(
        `${fn}: input has dtype ${input.dtype} but the coefficients are ${this.weight.dtype}; convert one of them with .to()`,
      );
    }
    return chebyshevExpansion(input, this.weight, this.range);
  }

  /** Evaluates the current shape at plain numbers (no autograd), e.g. for plotting. */
  evaluate(xs: readonly number[], channel = 0): number[] {
    const w = this.weight.data;
    const k1 = this.degree + 1;
    const [a, b] = this.range;
    return xs.map((x) => {
      const u = Math.min(Math.max((2 * x - a - b) / (b - a), -1), 1);
      let y = 0;
      let tPrev = 1;
      let t = u;
      for (let k = 0; k < k1; k++) {
        const tk = k === 0 ? 1 : k === 1 ? u : 2 * u * t - tPrev;
        if (k >= 2) {
          tPrev = t;
          t = tk;
        }
        y += w[channel * k1 + k] * tk;
      }
      return y;
    });
  }

  override extraRepr(): string {
    return `degree=${this.degree}, num_parameters=${this.numParameters}, range=(${pyNum(this.range[0])}, ${pyNum(this.range[1])})`;
  }
}
