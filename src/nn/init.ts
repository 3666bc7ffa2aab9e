/**
 * `nn.init`: PyTorch's `torch.nn.init`, the initialisers that fill a
 * parameter in place (without recording a gradient) and return it. They
 * draw as PyTorch draws — the same seed gives the same weights — and
 * compute their bounds and deviations in float64 exactly as PyTorch's
 * Python does (`√3 · gain / √fan`, not the algebraically equal `√(3/fan)`),
 * so that the rounded float32 bound is PyTorch's too.
 */
import { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/grad-mode.js';
import { bindArgs, prefixError, type Param, type Signature } from '../signature/bind.js';
import * as T from '../signature/types.js';
import { fillPermutation } from '../tensor/sampling.js';
import { defaultGenerator } from '../tensor/random.js';
import { erf } from '../kernels/js/math.js';

/** Every `nonlinearity` name {@link calculateGain} knows, as PyTorch spells them. */
export const NONLINEARITIES = [
  'linear',
  'conv1d',
  'conv2d',
  'conv3d',
  'conv_transpose1d',
  'conv_transpose2d',
  'conv_transpose3d',
  'sigmoid',
  'tanh',
  'relu',
  'leaky_relu',
  'selu',
] as const;

/** A `nonlinearity` of {@link calculateGain}: PyTorch's strings. */
export type Nonlinearity = (typeof NONLINEARITIES)[number];

const tensorParam: Param = { name: 'tensor', type: T.tensor, doc: 'the tensor to fill' };
const nonlinearityType = T.oneOf(...NONLINEARITIES);
const modeType = T.oneOf('fan_in', 'fan_out');
const finite = T.number({ finite: true });

const sig = (name: string, ...params: Param[]): Signature => ({
  name,
  params: [tensorParam, ...params],
});

const KAIMING_PARAMS: Param[] = [
  { name: 'a', type: finite, default: 0, doc: 'negative slope of the leaky ReLU that follows' },
  { name: 'mode', type: modeType, default: 'fan_in', doc: "'fan_in' or 'fan_out'" },
  {
    name: 'nonlinearity',
    type: nonlinearityType,
    default: 'leaky_relu',
    doc: 'the nonlinearity that follows',
  },
];

const SIGS = {
  calculateGain: {
    name: 'calculateGain',
    params: [
      { name: 'nonlinearity', type: nonlinearityType, doc: 'the nonlinearity' },
      {
        name: 'param',
        type: T.optional(finite),
        default: null,
        doc: "leaky_relu's negative slope (default 0.01)",
      },
    ],
  },
  uniform_: sig(
    'uniform_',
    { name: 'a', type: finite, default: 0, doc: 'lower bound' },
    { name: 'b', type: finite, default: 1, doc: 'upper bound' },
  ),
  normal_: sig(
    'normal_',
    { name: 'mean', type: finite, default: 0, doc: 'mean' },
    {
      name: 'std',
      type: T.number({ finite: true, min: 0 }),
      default: 1,
      doc: 'standard deviation',
    },
  ),
  truncNormal_: sig(
    'truncNormal_',
    { name: 'mean', type: finite, default: 0, doc: 'mean' },
    { name: 'std', type: T.number({ finite: true, gt: 0 }), default: 1, doc: 'standard deviation' },
    { name: 'a', type: finite, default: -2, doc: 'lowest value' },
    { name: 'b', type: finite, default: 2, doc: 'highest value' },
  ),
  constant_: sig('constant_', { name: 'val', type: T.number({ nan: true }), doc: 'the value' }),
  ones_: sig('ones_'),
  zeros_: sig('zeros_'),
  eye_: sig('eye_'),
  dirac_: sig('dirac_', { name: 'groups', type: T.int({ min: 1 }), default: 1, doc: 'groups' }),
  xavierUniform_: sig('xavierUniform_', { name: 'gain', type: finite, default: 1, doc: 'scale' }),
  xavierNormal_: sig('xavierNormal_', { name: 'gain', type: finite, default: 1, doc: 'scale' }),
  kaimingUniform_: sig('kaimingUniform_', ...KAIMING_PARAMS),
  kaimingNormal_: sig('kaimingNormal_', ...KAIMING_PARAMS),
  orthogonal_: sig('orthogonal_', { name: 'gain', type: finite, default: 1, doc: 'scale' }),
  sparse_: sig(
    'sparse_',
    {
      name: 'sparsity',
      type: T.number({ min: 0, max: 1 }),
      doc: 'fraction of each column set to zero',
    },
    { name: 'std', type: T.number({ finite: true, min: 0 }), default: 0.01, doc: 'deviation' },
  ),
} satisfies Record<string, Signature>;

/**
 * Runs an initialiser's body so that its errors name it: a refusal from the
 * tensor method it calls (`normal_: expects std >= 0`) reads
 * `xavierNormal_: normal_: …`.
 */
function guarded<R>(fn: string, body: () => R): R {
  try {
    return body();
  } catch (e) {
    throw prefixError(e, fn);
  }
}

function fail(fn: string, message: string): never {
  throw new Error(`${fn}: ${message}`);
}

/** The tensor argument, which must be floating-point (the initialisers write floats). */
function target(fn: string, b: Record<string, unknown>): Tensor {
  const t = b.tensor as Tensor;
  if (t.dtype === 'int32') fail(fn, 'expects a floating-point tensor, got int32');
  return t;
}

/**
 * The recommended gain for a nonlinearity (PyTorch's table): 1 for linear,
 * convolutions and sigmoid, 5/3 for tanh, √2 for relu, `√(2 / (1 + slope²))`
 * for leaky_relu (slope `param`, default 0.01), 3/4 for selu.
 *
 * Matches `torch.nn.init.calculate_gain`.
 * @param nonlinearity - The nonlinearity, as PyTorch spells it: `'linear'`, `'conv1d'` …
 *   `'conv_transpose3d'`, `'sigmoid'`, `'tanh'`, `'relu'`, `'leaky_relu'` or `'selu'`.
 * @param param - The negative slope of `'leaky_relu'` (ignored by the others). Default `null`
 *   (slope 0.01).
 * @example
 * ```ts
 * import { nn } from 'nnkit';
 * console.log(nn.init.calculateGain('tanh')); // 1.6666666666666667
 * console.log(nn.init.calculateGain('leaky_relu', 0.2)); // 1.3867504905630728
 * ```
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number | null): number;
export function calculateGain(...args: unknown[]): number {
  return guarded('calculateGain', () => {
    const b = bindArgs(SIGS.calculateGain, args);
    return gain(b.nonlinearity as Nonlinearity, b.param as number | null);
  });
}

function gain(nonlinearity: Nonlinearity, param: number | null): number {
  switch (nonlinearity) {
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.sqrt(2);
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope ** 2));
    }
    case 'selu':
      return 3 / 4;
    default:
      return 1; // linear, the convolutions, sigmoid
  }
}

/**
 * PyTorch's `_calculate_fan_in_and_fan_out`: `size(1)` and `size(0)` times
 * the receptive field (the product of the dimensions after the second).
 */
function fans(fn: string, t: Tensor): [fanIn: number, fanOut: number] {
  if (t.ndim < 2) {
    fail(
      fn,
      `fan in and fan out can not be computed for a tensor with fewer than 2 dimensions (shape [${t.shape.join(', ')}])`,
    );
  }
  const receptive = t.shape.slice(2).reduce((p, d) => p * d, 1);
  return [t.shape[1] * receptive, t.shape[0] * receptive];
}

/**
 * Fills `tensor` with samples of U(a, b), as `tensor.uniform_(a, b)` under
 * `noGrad`. Returns `tensor`.
 *
 * Matches `torch.nn.init.uniform_`.
 * @param tensor - The floating-point tensor to fill in place.
 * @param a - The lower bound. Default `0`.
 * @param b - The upper bound. Default `1`.
 * @example
 * ```ts
 * import { manualSeed, nn, zeros } from 'nnkit';
 * manualSeed(0);
 * console.log(nn.init.uniform_(zeros(3), -1, 1)); // tensor([-0.0075,  0.5364, -0.8230])
 * ```
 */
export function uniform_(tensor: Tensor, a?: number, b?: number): Tensor;
/**
 * Fills `tensor` with samples of U(a, b), the bounds given by name. Returns `tensor`.
 *
 * @param tensor - The floating-point tensor to fill in place.
 * @param options - By name: `a`, `b`.
 */
export function uniform_(tensor: Tensor, options: { a?: number; b?: number }): Tensor;
export function uniform_(...args: unknown[]): Tensor {
  return guarded('uniform_', () => {
    const b = bindArgs(SIGS.uniform_, args);
    const t = target('uniform_', b);
    return noGrad(() => t.uniform_(b.a as number, b.b as number));
  });
}

/**
 * Fills `tensor` with samples of N(mean, std²), as `tensor.normal_(mean,
 * std)` under `noGrad`. Returns `tensor`.
 *
 * Matches `torch.nn.init.normal_`.
 * @param tensor - The floating-point tensor to fill in place.
 * @param mean - The mean. Default `0`.
 * @param std - The standard deviation (≥ 0). Default `1`.
 * @example
 * ```ts
 * import { manualSeed, nn, zeros } from 'nnkit';
 * manualSeed(0);
 * console.log(nn.init.normal_(zeros(3), 0, 0.02)); // tensor([ 0.0308, -0.0059, -0.0436])
 * ```
 */
export function normal_(tensor: Tensor, mean?: number, std?: number): Tensor;
/**
 * Fills `tensor` with samples of N(mean, std²), the options given by name. Returns `tensor`.
 *
 * @param tensor - The floating-point tensor to fill in place.
 * @param options - By name: `mean`, `std`.
 */
export function normal_(tensor: Tensor, options: { mean?: number; std?: number }): Tensor;
export function normal_(...args: unknown[]): Tensor {
  return guarded('normal_', () => {
    const b = bindArgs(SIGS.normal_, args);
    const t = target('normal_', b);
    return noGrad(() => t.normal_(b.mean as number, b.std as number));
  });
}

/**
 * Fills `tensor` with samples of N(mean, std²) truncated to [a, b], by
 * PyTorch's inverse-CDF method: `u ~ U(2Φ(α) − 1, 2Φ(β) − 1)`, then
 * `mean + std·√2·erfinv(u)`, clamped to [a, b] (α, β the bounds in
 * deviations). Returns `tensor`.
 *
 * Matches `torch.nn.init.trunc_normal_` (the same draws; `erfinv` may differ
 * from PyTorch's float32 one by an ulp).
 * @param tensor - The floating-point tensor to fill in place.
 * @param mean - The mean. Default `0`.
 * @param std - The standard deviation (> 0). Default `1`.
 * @param a - The lowest value (an absolute bound, not in deviations). Default `-2`.
 * @param b - The highest value (≥ `a`). Default `2`.
 * @example
 * ```ts
 * import { manualSeed, nn, zeros } from 'nnkit';
 * manualSeed(0);
 * console.log(nn.init.truncNormal_(zeros(3), 0, 1, -1, 1)); // tensor([-0.0064,  0.4764, -0.7754])
 * ```
 */
export function truncNormal_(
  tensor: Tensor,
  mean?: number,
  std?: number,
  a?: number,
  b?: number,
): Tensor;
/**
 * Fills `tensor` with samples of N(mean, std²) truncated to [a, b], the options given by name.
 * Returns `tensor`.
 *
 * @param tensor - The floating-point tensor to fill in place.
 * @param options - By name: `mean`, `std`, `a`, `b`.
 */
export function truncNormal_(
  tensor: Tensor,
  options: { mean?: number; std?: number; a?: number; b?: number },
): Tensor;
export function truncNormal_(...args: unknown[]): Tensor {
  return guarded('truncNormal_', () => {
    const fn = 'truncNormal_';
    const b = bindArgs(SIGS.truncNormal_, args);
    const t = target(fn, b);
    const [mean, std, lo, hi] = [b.mean, b.std, b.a, b.b] as number[];
    if (lo > hi) fail(fn, `a (${lo}) must not exceed b (${hi})`);
    const cdf = (x: number): number => (1 + erf(x / Math.SQRT2)) / 2;
    const l = cdf((lo - mean) / std);
    const u = cdf((hi - mean) / std);
    return noGrad(() => {
      t.uniform_(2 * l - 1, 2 * u - 1);
      const round = t.dtype === 'float32' ? Math.fround : (v: number) => v;
      const scale = round(std * Math.SQRT2);
      const values = Float64Array.from(t.contiguous().data, (v) => {
        // erfinv_, mul_(std·√2), add_(mean), clamp_(a, b): each rounded to the dtype.
        const x = round(round(round(erfinv(v, round)) * scale) + round(mean));
        return Math.min(Math.max(x, round(lo)), round(hi));
      });
      return t.copy_(new Tensor(values, t.shape).to(t.dtype));
    });
  });
}

/**
 * ATen's `calc_erfinv`: a rational first guess (central range |y| ≤ 0.7,
 * tails by `√(−log((1 − |y|)/2))`), then two Newton steps on erf, every
 * step rounded by `round` (float32 or float64).
 */
function erfinv(y: number, round: (v: number) => number): number {
  const ay = Math.abs(y);
  if (ay > 1) return NaN;
  if (ay === 1) return y > 0 ? Infinity : -Infinity;
  const r = round;
  let x: number;
  if (ay <= 0.7) {
    const z = r(y * y);
    const num = r(r(r(r(r(r(ERFINV_A[3] * z) + ERFINV_A[2]) * z) + ERFINV_A[1]) * z) + ERFINV_A[0]);
    const dem = r(
      r(r(r(r(r(r(r(ERFINV_B[3] * z) + ERFINV_B[2]) * z) + ERFINV_B[1]) * z) + ERFINV_B[0]) * z) +
        1,
    );
    x = r(r(y * num) / dem);
  } else {
    const z = r(Math.sqrt(r(-r(Math.log(r(r(1 - ay) / 2))))));
    const num = r(r(r(r(r(r(ERFINV_C[3] * z) + ERFINV_C[2]) * z) + ERFINV_C[1]) * z) + ERFINV_C[0]);
    const dem = r(r(r(ERFINV_D[1] * z) + ERFINV_D[0]) * z) + 1;
    x = r((y < 0 ? -num : num) / r(dem));
  }
  const twoOverSqrtPi = r(2 / r(Math.sqrt(Math.PI)));
  for (let k = 0; k < 2; k++) {
    x = r(x - r(r(r(erf(x)) - y) / r(twoOverSqrtPi * r(Math.exp(r(-r(x * x)))))));
  }
  return x;
}

const ERFINV_A = [0.886226899, -1.645349621, 0.914624893, -0.140543331];
const ERFINV_B = [-2.118377725, 1.442710462, -0.329097515, 0.012229801];
const ERFINV_C = [-1.970840454, -1.624906493, 3.429567803, 1.641345311];
const ERFINV_D = [3.5438892, 1.6370678];

/**
 * Fills `tensor` with `val`. Returns `tensor`.
 *
 * Matches `torch.nn.init.constant_`.
 * @param tensor - The floating-point tensor to fill in place.
 * @param val - The value to fill with (NaN allowed).
 * @example
 * ```ts
 * import { nn, zeros } from 'nnkit';
 * console.log(nn.init.constant_(zeros(2), 0.5)); // tensor([0.5000, 0.5000])
 * ```
 */
export function constant_(tensor: Tensor, val: number): Tensor;
export function constant_(...args: unknown[]): Tensor {
  return guarded('constant_', () => {
    const b = bindArgs(SIGS.constant_, args);
    const t = target('constant_', b);
    return noGrad(() => t.fill_(b.val as number));
  });
}

/**
 * Fills `tensor` with ones. Matches `torch.nn.init.ones_`.
 * @param tensor - The floating-point tensor to fill in place.
 * @example
 * ```ts
 * import { nn, zeros } from 'nnkit';
 * console.log(nn.init.ones_(zeros(2))); // tensor([1., 1.])
 * ```
 */
export function ones_(tensor: Tensor): Tensor;
export function ones_(...args: unknown[]): Tensor {
  return guarded('ones_', () => {
    const t = target('ones_', bindArgs(SIGS.ones_, args));
    return noGrad(() => t.fill_(1));
  });
}

/**
 * Fills `tensor` with zeros. Matches `torch.nn.init.zeros_`.
 * @param tensor - The floating-point tensor to fill in place.
 * @example
 * ```ts
 * import { nn, ones } from 'nnkit';
 * console.log(nn.init.zeros_(ones(2))); // tensor([0., 0.])
 * ```
 */
export function zeros_(tensor: Tensor): Tensor;
export function zeros_(...args: unknown[]): Tensor {
  return guarded('zeros_', () => {
    const t = target('zeros_', bindArgs(SIGS.zeros_, args));
    return noGrad(() => t.zero_());
  });
}

/** Writes `values` (row-major, float64) into `t` without recording a gradient. */
function assign(t: Tensor, values: Float64Array): Tensor {
  return noGrad(() => t.copy_(new Tensor(values, t.shape).to(t.dtype)));
}

/**
 * Fills a 2-D `tensor` with the identity (ones on the main diagonal, also
 * when it is not square). Returns `tensor`.
 *
 * Matches `torch.nn.init.eye_`.
 * @param tensor - The 2-D floating-point tensor to fill in place.
 * @example
 * ```ts
 * import { nn, zeros } from 'nnkit';
 * console.log(nn.init.eye_(zeros(2, 3)));
 * // tensor([[1., 0., 0.],
 * //         [0., 1., 0.]])
 * ```
 */
export function eye_(tensor: Tensor): Tensor;
export function eye_(...args: unknown[]): Tensor {
  return guarded('eye_', () => {
    const t = target('eye_', bindArgs(SIGS.eye_, args));
    if (t.ndim !== 2) fail('eye_', `only tensors with 2 dimensions are supported, got ${t.ndim}`);
    const [rows, cols] = t.shape;
    const v = new Float64Array(t.size);
    for (let i = 0; i < Math.min(rows, cols); i++) v[i * cols + i] = 1;
    return assign(t, v);
  });
}

/**
 * Fills a 3-, 4- or 5-D convolution weight `(out, in, *kernel)` with the
 * Dirac delta: each of the first `min(out/groups, in)` output channels of
 * each group passes its input channel through the kernel's centre. Returns
 * `tensor`.
 *
 * Matches `torch.nn.init.dirac_`.
 * @param tensor - The 3-, 4- or 5-D floating-point convolution weight to fill in place.
 * @param groups - The number of groups `size(0)` is split into (must divide it). Default `1`.
 * @example
 * ```ts
 * import { nn, zeros } from 'nnkit';
 * console.log(nn.init.dirac_(zeros(2, 2, 3)).sum().item()); // 2
 * ```
 */
export function dirac_(tensor: Tensor, groups?: number): Tensor;
export function dirac_(...args: unknown[]): Tensor {
  return guarded('dirac_', () => {
    const fn = 'dirac_';
    const b = bindArgs(SIGS.dirac_, args);
    const t = target(fn, b);
    const groups = b.groups as number;
    if (t.ndim < 3 || t.ndim > 5) {
      fail(fn, `only tensors with 3, 4, or 5 dimensions are supported, got ${t.ndim}`);
    }
    const [out, inCh, ...kernel] = t.shape;
    if (out % groups !== 0) fail(fn, `dim 0 (${out}) must be divisible by groups (${groups})`);
    const perGroup = out / groups;
    const kernelSize = kernel.reduce((p, d) => p * d, 1);
    // The kernel's centre, `size // 2` along each kernel dimension, as a row-major offset.
    let centre = 0;
    for (const k of kernel) centre = centre * k + Math.floor(k / 2);
    const v = new Float64Array(t.size);
    for (let g = 0; g < groups; g++) {
      for (let d = 0; d < Math.min(perGroup, inCh); d++) {
        v[((g * perGroup + d) * inCh + d) * kernelSize + centre] = 1;
      }
    }
    return assign(t, v);
  });
}

/** `fanIn + fanOut`, which must not be 0 (PyTorch: ZeroDivisionError). */
function xavierFans(fn: string, t: Tensor): number {
  const [fanIn, fanOut] = fans(fn, t);
  if (fanIn + fanOut === 0) {
    fail(fn, `fan_in + fan_out is 0 for shape [${t.shape.join(', ')}], so the bound is infinite`);
  }
  return fanIn + fanOut;
}

/**
 * Fills `tensor` with samples of U(−a, a), `a = gain·√(6 / (fanIn + fanOut))`
 * (Glorot and Bengio, 2010). Returns `tensor`.
 *
 * Matches `torch.nn.init.xavier_uniform_`.
 * @param tensor - The floating-point tensor (2-D or more) to fill in place.
 * @param gain - The scale factor. Default `1`.
 * @example
 * ```ts
 * import { manualSeed, nn, zeros } from 'nnkit';
 * manualSeed(0);
 * console.log(nn.init.xavierUniform_(zeros(2, 3)));
 * // tensor([[-0.0082,  0.5876, -0.9016],
 * //         [-0.8062, -0.4219,  0.2938]])
 * ```
 */
export function xavierUniform_(tensor: Tensor, gain?: number): Tensor;
export function xavierUniform_(...args: unknown[]): Tensor {
  return guarded('xavierUniform_', () => {
    const fn = 'xavierUniform_';
    const b = bindArgs(SIGS.xavierUniform_, args);
    const t = target(fn, b);
    const std = (b.gain as number) * Math.sqrt(2 / xavierFans(fn, t));
    const a = Math.sqrt(3) * std;
    return noGrad(() => t.uniform_(-a, a));
  });
}

/**
 * Fills `tensor` with samples of N(0, std²), `std = gain·√(2 / (fanIn +
 * fanOut))` (Glorot and Bengio, 2010). Returns `tensor`.
 *
 * Matches `torch.nn.init.xavier_normal_`.
 * @param tensor - The floating-point tensor (2-D or more) to fill in place.
 * @param gain - The scale factor. Default `1`.
 * @example
 * ```ts
 * import { manualSeed, nn, zeros } from 'nnkit';
 * manualSeed(0);
 * console.log(nn.init.xavierNormal_(zeros(1, 3))); // tensor([[ 1.0896, -0.2075, -1.5406]])
 * ```
 */
export function xavierNormal_(tensor: Tensor, gain?: number): Tensor;
export function xavierNormal_(...args: unknown[]): Tensor {
  return guarded('xavierNormal_', () => {
    const fn = 'xavierNormal_';
    const b = bindArgs(SIGS.xavierNormal_, args);
    const t = target(fn, b);
    const std = (b.gain as number) * Math.sqrt(2 / xavierFans(fn, t));
    return noGrad(() => t.normal_(0, std));
  });
}

/** Options of {@link kaimingUniform_} and {@link kaimingNormal_}. */
export interface KaimingOptions {
  /** Negative slope of the leaky ReLU that follows (default 0). */
  a?: number;
  /** `'fan_in'` (default) keeps the forward variance, `'fan_out'` the backward one. */
  mode?: 'fan_in' | 'fan_out';
  /** The nonlinearity that follows (default `'leaky_relu'`). */
  nonlinearity?: Nonlinearity;
}

/** Kaiming's standard deviation `gain / √fan`, or null for an empty tensor (left as is). */
function kaimingStd(fn: string, args: unknown[], sigOf: Signature): [Tensor, number | null] {
  const b = bindArgs(sigOf, args);
  const t = target(fn, b);
  if (t.size === 0) return [t, null]; // PyTorch warns and leaves it, before computing fans
  const [fanIn, fanOut] = fans(fn, t);
  const fan = b.mode === 'fan_in' ? fanIn : fanOut;
  return [t, gain(b.nonlinearity as Nonlinearity, b.a as number) / Math.sqrt(fan)];
}

/**
 * Fills `tensor` with samples of U(−bound, bound), `bound = √3 · gain / √fan`
 * (He et al., 2015), `gain` from {@link calculateGain} with slope `a`. This
 * is how `nn.Linear` initialises its weight (`a = √5`). Returns `tensor`;
 * an empty tensor is left as it is.
 *
 * Matches `torch.nn.init.kaiming_uniform_`.
 * @param tensor - The floating-point tensor (2-D or more) to fill in place.
 * @param a - The negative slope of the rectifier that follows (used with `'leaky_relu'`). Default
 *   `0`.
 * @param mode - `'fan_in'` keeps the forward pass's variance, `'fan_out'` the backward pass's.
 *   Default `'fan_in'`.
 * @param nonlinearity - The nonlinearity that follows, as {@link calculateGain} names it. Default
 *   `'leaky_relu'`.
 * @example
 * ```ts
 * import { manualSeed, nn, zeros } from 'nnkit';
 * manualSeed(0);
 * console.log(nn.init.kaimingUniform_(zeros(2, 2), { nonlinearity: 'relu' }));
 * // tensor([[-0.0130,  0.9291],
 * //         [-1.4256, -1.2747]])
 * ```
 */
export function kaimingUniform_(
  tensor: Tensor,
  a?: number,
  mode?: 'fan_in' | 'fan_out',
  nonlinearity?: Nonlinearity,
): Tensor;
/**
 * Fills `tensor` with Kaiming uniform samples, the options given by name; see
 * {@link KaimingOptions}. Returns `tensor`.
 *
 * @param tensor - The floating-point tensor to fill in place.
 * @param options - By name: `a`, `mode`, `nonlinearity`.
 */
export function kaimingUniform_(tensor: Tensor, options: KaimingOptions): Tensor;
export function kaimingUniform_(...args: unknown[]): Tensor {
  return guarded('kaimingUniform_', () => {
    const [t, std] = kaimingStd('kaimingUniform_', args, SIGS.kaimingUniform_);
    if (std === null) return t;
    const bound = Math.sqrt(3) * std;
    return noGrad(() => t.uniform_(-bound, bound));
  });
}

/**
 * Fills `tensor` with samples of N(0, std²), `std = gain / √fan` (He et
 * al., 2015). Returns `tensor`; an empty tensor is left as it is.
 *
 * Matches `torch.nn.init.kaiming_normal_`.
 * @param tensor - The floating-point tensor (2-D or more) to fill in place.
 * @param a - The negative slope of the rectifier that follows (used with `'leaky_relu'`). Default
 *   `0`.
 * @param mode - `'fan_in'` keeps the forward pass's variance, `'fan_out'` the backward pass's.
 *   Default `'fan_in'`.
 * @param nonlinearity - The nonlinearity that follows, as {@link calculateGain} names it. Default
 *   `'leaky_relu'`.
 * @example
 * ```ts
 * import { manualSeed, nn, zeros } from 'nnkit';
 * manualSeed(0);
 * console.log(nn.init.kaimingNormal_(zeros(1, 2), { mode: 'fan_out' })); // tensor([[ 2.1793, -0.4150]])
 * ```
 */
export function kaimingNormal_(
  tensor: Tensor,
  a?: number,
  mode?: 'fan_in' | 'fan_out',
  nonlinearity?: Nonlinearity,
): Tensor;
/**
 * Fills `tensor` with Kaiming normal samples, the options given by name; see
 * {@link KaimingOptions}. Returns `tensor`.
 *
 * @param tensor - The floating-point tensor to fill in place.
 * @param options - By name: `a`, `mode`, `nonlinearity`.
 */
export function kaimingNormal_(tensor: Tensor, options: KaimingOptions): Tensor;
export function kaimingNormal_(...args: unknown[]): Tensor {
  return guarded('kaimingNormal_', () => {
    const [t, std] = kaimingStd('kaimingNormal_', args, SIGS.kaimingNormal_);
    if (std === null) return t;
    return noGrad(() => t.normal_(0, std));
  });
}

/**
 * Fills `tensor` (2-D or more, seen as `(size(0), rest)`) with a (semi-)
 * orthogonal matrix times `gain` (Saxe et al., 2013): the Q of the QR
 * decomposition of a standard normal matrix, its columns' signs set so that
 * R's diagonal is positive. Returns `tensor`.
 *
 * Matches `torch.nn.init.orthogonal_` (the same normal draws; the QR is
 * Householder's in float64, so float32 values agree with LAPACK's to
 * rounding).
 * @param tensor - The floating-point tensor (2-D or more) to fill in place.
 * @param gain - The scale factor. Default `1`.
 * @example
 * ```ts
 * import { manualSeed, nn, zeros } from 'nnkit';
 * manualSeed(0);
 * const q = nn.init.orthogonal_(zeros(3, 3));
 * console.log(q.matmul(q.t()).sub(nn.init.eye_(zeros(3, 3))).abs().max().item() < 1e-6); // true
 * ```
 */
export function orthogonal_(tensor: Tensor, gain?: number): Tensor;
export function orthogonal_(...args: unknown[]): Tensor {
  return guarded('orthogonal_', () => {
    const fn = 'orthogonal_';
    const b = bindArgs(SIGS.orthogonal_, args);
    const t = target(fn, b);
    if (t.ndim < 2) fail(fn, `only tensors with 2 or more dimensions are supported, got ${t.ndim}`);
    if (t.size === 0) return t;
    const rows = t.shape[0];
    const cols = t.size / rows;
    // PyTorch draws a (rows, cols) normal matrix in the tensor's dtype and transposes it when wide.
    const drawn = new Tensor(new (t.dtype === 'float64' ? Float64Array : Float32Array)(t.size), [
      rows,
      cols,
    ]).normal_();
    const a = Float64Array.from(drawn.data);
    const q = positiveQ(
      rows < cols ? transpose(a, rows, cols) : a,
      Math.max(rows, cols),
      Math.min(rows, cols),
    );
    const g = b.gain as number;
    const values = rows < cols ? q : transpose(q, cols, rows);
    // q is (max × min) column-major-as-rows: `values` is (rows × cols) row-major.
    return assign(
      t,
      values.map((v) => v * g),
    );
  });
}

/** The (m × n) row-major matrix `a`, transposed to (n × m). */
function transpose(a: Float64Array, m: number, n: number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = a[i * n + j];
  return out;
}

/**
 * The Q of `a = QR` for an (m × n) row-major matrix with m ≥ n, with R's
 * diagonal made positive (PyTorch multiplies Q's columns by `sign(diag R)`),
 * by Householder reflections in float64. Returned as (n × m): row j is Q's
 * column j.
 */
function positiveQ(a: Float64Array, m: number, n: number): Float64Array {
  const r = Float64Array.from(a);
  const vs: Float64Array[] = [];
  const diagSign = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += r[i * n + k] * r[i * n + k];
    norm = Math.sqrt(norm);
    const alpha = r[k * n + k] > 0 ? -norm : norm;
    const v = new Float64Array(m);
    for (let i = k; i < m; i++) v[i] = r[i * n + k];
    v[k] -= alpha;
    let vv = 0;
    for (let i = k; i < m; i++) vv += v[i] * v[i];
    if (vv > 0) {
      for (let j = k; j < n; j++) {
        let dot = 0;
        for (let i = k; i < m; i++) dot += v[i] * r[i * n + j];
        const f = (2 * dot) / vv;
        for (let i = k; i < m; i++) r[i * n + j] -= f * v[i];
      }
    }
    vs.push(v);
    diagSign[k] = r[k * n + k] < 0 ? -1 : r[k * n + k] > 0 ? 1 : 0;
  }
  // Q's first n columns: apply the reflections in reverse to e_j.
  const q = new Float64Array(n * m);
  for (let j = 0; j < n; j++) {
    const col = new Float64Array(m);
    col[j] = 1;
    for (let k = n - 1; k >= 0; k--) {
      const v = vs[k];
      let vv = 0;
      let dot = 0;
      for (let i = k; i < m; i++) {
        vv += v[i] * v[i];
        dot += v[i] * col[i];
      }
      if (vv === 0) continue;
      const f = (2 * dot) / vv;
      for (let i = k; i < m; i++) col[i] -= f * v[i];
    }
    for (let i = 0; i < m; i++) q[j * m + i] = col[i] * diagSign[j];
  }
  return q;
}

/**
 * Fills a 2-D `tensor` with samples of N(0, std²), then zeroes
 * `⌈sparsity · rows⌉` random rows of each column (Martens, 2010): per
 * column, the first entries of a `randperm(rows)`, as PyTorch draws them.
 * Returns `tensor`.
 *
 * Matches `torch.nn.init.sparse_`.
 * @param tensor - The 2-D floating-point tensor to fill in place.
 * @param sparsity - The fraction of each column's elements set to zero, in [0, 1].
 * @param std - The standard deviation of the normal draws (≥ 0). Default `0.01`.
 * @example
 * ```ts
 * import { manualSeed, nn, zeros } from 'nnkit';
 * manualSeed(0);
 * const w = nn.init.sparse_(zeros(4, 3), 0.5);
 * console.log(w.eq(0).sum(0)); // tensor([2, 2, 2], dtype=torch.int32)
 * ```
 */
export function sparse_(tensor: Tensor, sparsity: number, std?: number): Tensor;
export function sparse_(...args: unknown[]): Tensor {
  return guarded('sparse_', () => {
    const fn = 'sparse_';
    const b = bindArgs(SIGS.sparse_, args);
    const t = target(fn, b);
    if (t.ndim !== 2) fail(fn, `only tensors with 2 dimensions are supported, got ${t.ndim}`);
    const [rows, cols] = t.shape;
    const zeros = Math.ceil((b.sparsity as number) * rows);
    noGrad(() => t.normal_(0, b.std as number));
    const v = Float64Array.from(t.contiguous().data);
    const perm = new Int32Array(rows);
    for (let c = 0; c < cols; c++) {
      fillPermutation(perm, defaultGenerator);
      for (let k = 0; k < zeros; k++) v[perm[k] * cols + c] = 0;
    }
    return assign(t, v);
  });
}
