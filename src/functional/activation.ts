/**
 * Elementwise activations, `F.*`. Each function is a thin wrapper: its
 * formula, derivative and defaults live in the elementwise table
 * (src/ops/elementwise/table.ts); here are only the option handling and the
 * checks that PyTorch users expect to fail loudly.
 */
import type { Tensor } from '../tensor/tensor.js';
import { unaryOp, requireFloating } from '../ops/elementwise/apply.js';
import { UNARY, type UnaryName } from '../ops/elementwise/table.js';
import { allocUninit } from '../tensor/dtype.js';
import { Tensor as TensorClass } from '../tensor/tensor.js';
import { defaultGenerator } from '../tensor/random.js';
import { normalizeDim } from '../tensor/shape.js';
import { checkOptions, checkTensor, fail } from './validate.js';
import { where } from '../ops/index-ops.js';

/** Options that PyTorch spells `inplace=True`: write the result into the input. */
export interface InplaceOption {
  /** Overwrite `input` with the result (default false). */
  inplace?: boolean;
}

/**
 * Runs table entry `entry` for public function `fn`: defaults from the
 * table, unknown option keys rejected, numeric options checked.
 */
function pointwise(
  fn: string,
  entry: UnaryName,
  input: Tensor,
  opts: object,
  allowInplace: boolean,
  check?: (p: Record<string, number>) => void,
): Tensor {
  checkTensor(fn, 'input', input);
  requireFloating(input, fn);
  const defaults: Record<string, number> = UNARY[entry].params;
  const names = Object.keys(defaults);
  checkOptions(fn, opts, allowInplace ? [...names, 'inplace'] : names);
  const given = opts as Record<string, unknown>;
  const p: Record<string, number> = {};
  for (const k of names) {
    const v = given[k] ?? defaults[k];
    if (typeof v !== 'number' || Number.isNaN(v))
      fail(fn, `${k} must be a number, got ${String(v)}`);
    p[k] = v;
  }
  check?.(p);
  return unaryOp(
    entry,
    input,
    names.map((k) => p[k]),
    { fn, inplace: allowInplace && given.inplace === true },
  );
}

/**
 * ReLU(x) = max(0, x). NaN propagates; the gradient at 0 is 0.
 * Matches `torch.nn.functional.relu`.
 * @example F.relu(tensor([-1, 0, 2])) // [0, 0, 2]
 */
export function relu(input: Tensor, opts: InplaceOption = {}): Tensor {
  return pointwise('relu', 'relu', input, opts, true);
}

export interface LeakyReluOptions extends InplaceOption {
  /** Slope for x ≤ 0 (default 0.01). */
  negativeSlope?: number;
}

/**
 * LeakyReLU(x) = x if x > 0 else negativeSlope·x. The gradient at 0 is negativeSlope.
 * Matches `torch.nn.functional.leaky_relu`.
 * @example F.leakyRelu(x, { negativeSlope: 0.2 })
 */
export function leakyRelu(input: Tensor, opts: LeakyReluOptions = {}): Tensor {
  return pointwise('leakyRelu', 'leakyRelu', input, opts, true);
}

export interface RreluOptions extends InplaceOption {
  /** Lower bound of the random slope (default 1/8). */
  lower?: number;
  /** Upper bound of the random slope (default 1/3). */
  upper?: number;
  /** Sample slopes (true) or use (lower + upper)/2 (false, the default). */
  training?: boolean;
}

/**
 * Randomized leaky ReLU: x if x > 0, else a·x with a ~ U(lower, upper) drawn
 * per element in training, a = (lower + upper)/2 otherwise. Uses nnkit's
 * seeded generator (`manualSeed`). Matches `torch.nn.functional.rrelu`
 * (same distribution; the random stream differs from PyTorch's).
 * @example F.rrelu(x, { training: true })
 */
export function rrelu(input: Tensor, opts: RreluOptions = {}): Tensor {
  const fn = 'rrelu';
  checkTensor(fn, 'input', input);
  requireFloating(input, fn);
  checkOptions(fn, opts, ['lower', 'upper', 'training', 'inplace']);
  const lower = opts.lower ?? 1 / 8;
  const upper = opts.upper ?? 1 / 3;
  if (typeof lower !== 'number' || typeof upper !== 'number' || !(lower <= upper)) {
    fail(fn, `lower (${lower}) must not exceed upper (${upper})`);
  }
  if (!opts.training) {
    return unaryOp('leakyRelu', input, [(lower + upper) / 2], {
      fn,
      inplace: opts.inplace === true,
    });
  }
  // Training: PyTorch draws a slope for every x ≤ 0 and keeps it as the "noise" for backward.
  const x = input.data;
  const noise = allocUninit(input.dtype, input.size);
  for (let i = 0; i < x.length; i++) {
    noise[i] = x[i] <= 0 ? lower + (upper - lower) * defaultGenerator.uniform() : 1;
  }
  const out = input.mul(new TensorClass(noise, input.shape));
  if (opts.inplace) {
    if (input.requiresGrad)
      fail(fn, 'inplace: true with training: true is not supported on tensors that require grad');
    input.data.set(out.data);
    return input;
  }
  return out;
}

/**
 * PReLU(x) = x if x > 0 else w·x, with `weight` of one element (shared) or
 * one per channel (dimension 1 of the input). Learnable: the gradient
 * reaches `weight`. Matches `torch.nn.functional.prelu`.
 * @example F.prelu(x, tensor([0.25]))
 */
export function prelu(input: Tensor, weight: Tensor): Tensor {
  const fn = 'prelu';
  checkTensor(fn, 'input', input);
  checkTensor(fn, 'weight', weight);
  requireFloating(input, fn);
  requireFloating(weight, fn, 'weight');
  if (weight.ndim > 1)
    fail(fn, `weight must be a scalar or 1-D tensor, got ${weight.ndim} dimensions`);
  const channels = input.ndim >= 2 ? input.shape[1] : 1;
  if (weight.size !== 1 && weight.size !== channels) {
    fail(
      fn,
      `weight has ${weight.size} elements, but the input has ${channels} channel${channels === 1 ? '' : 's'} (expected 1 or ${channels})`,
    );
  }
  // Broadcast the slope along the channel dimension: shape [C, 1, ..., 1].
  const w =
    weight.size === 1 || input.ndim < 2
      ? weight.reshape([])
      : weight.reshape([channels, ...new Array<number>(input.ndim - 2).fill(1)]);
  return where(input.gt(0), input, w.mul(input));
}

export interface SoftplusOptions {
  /** Sharpness β (default 1); must not be 0. */
  beta?: number;
  /** Above β·x > threshold the function is x (default 20). */
  threshold?: number;
}

/**
 * Softplus(x) = log(1 + exp(β·x))/β, and x once β·x > threshold.
 * Matches `torch.nn.functional.softplus`. Deliberate difference: β = 0 throws.
 * @example F.softplus(x, { beta: 2 })
 */
export function softplus(input: Tensor, opts: SoftplusOptions = {}): Tensor {
  return pointwise('softplus', 'softplus', input, opts, false, (p) => {
    if (p.beta === 0) fail('softplus', 'beta must not be 0, got 0');
  });
}

export interface EluOptions extends InplaceOption {
  /** Scale of the negative part (default 1). */
  alpha?: number;
}

/**
 * ELU(x) = x if x > 0 else α·(exp(x) − 1). Matches `torch.nn.functional.elu`.
 * @example F.elu(x, { alpha: 0.5 })
 */
export function elu(input: Tensor, opts: EluOptions = {}): Tensor {
  checkOptions('elu', opts, ['alpha', 'inplace']);
  const alpha = opts.alpha ?? 1;
  if (typeof alpha !== 'number' || Number.isNaN(alpha))
    fail('elu', `alpha must be a number, got ${String(alpha)}`);
  return eluFamily('elu', input, alpha, 1, 1, opts.inplace);
}

/**
 * CELU(x) = max(0, x) + min(0, α·(exp(x/α) − 1)). Matches
 * `torch.nn.functional.celu`; α = 0 throws (PyTorch divides by zero).
 * @example F.celu(x, { alpha: 2 })
 */
export function celu(input: Tensor, opts: EluOptions = {}): Tensor {
  checkOptions('celu', opts, ['alpha', 'inplace']);
  const alpha = opts.alpha ?? 1;
  if (typeof alpha !== 'number' || Number.isNaN(alpha))
    fail('celu', `alpha must be a number, got ${String(alpha)}`);
  if (alpha === 0) fail('celu', 'alpha must not be 0, got 0');
  return eluFamily('celu', input, alpha, 1, 1 / alpha, opts.inplace);
}

/** SELU's constants, as in PyTorch (Klambauer et al., 2017). */
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;

/**
 * SELU(x) = scale·(max(0, x) + min(0, α·(exp(x) − 1))) with α ≈ 1.6733,
 * scale ≈ 1.0507. Matches `torch.nn.functional.selu`.
 * @example F.selu(x)
 */
export function selu(input: Tensor, opts: InplaceOption = {}): Tensor {
  checkOptions('selu', opts, ['inplace']);
  return eluFamily('selu', input, SELU_ALPHA, SELU_SCALE, 1, opts.inplace);
}

function eluFamily(
  fn: string,
  input: Tensor,
  alpha: number,
  scale: number,
  inputScale: number,
  inplace?: boolean,
): Tensor {
  checkTensor(fn, 'input', input);
  return unaryOp('elu', input, [alpha, scale, inputScale], { fn, inplace: inplace === true });
}

export interface GeluOptions {
  /** `'none'` (exact, with erf; the default) or `'tanh'` (the tanh approximation). */
  approximate?: 'none' | 'tanh';
}

/**
 * GELU(x) = x·Φ(x) = x/2·(1 + erf(x/√2)); with `approximate: 'tanh'`,
 * x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³))). Matches `torch.nn.functional.gelu`.
 * @example F.gelu(x, { approximate: 'tanh' })
 */
export function gelu(input: Tensor, opts: GeluOptions = {}): Tensor {
  checkTensor('gelu', 'input', input);
  checkOptions('gelu', opts, ['approximate']);
  const approximate = opts.approximate ?? 'none';
  switch (approximate) {
    case 'none':
      return unaryOp('gelu', input, [], { fn: 'gelu' });
    case 'tanh':
      return unaryOp('geluTanh', input, [], { fn: 'gelu' });
    default:
      return fail('gelu', `approximate must be 'none' or 'tanh', got '${String(approximate)}'`);
  }
}

/**
 * ReLU6(x) = min(max(0, x), 6); PyTorch computes it as hardtanh(x, 0, 6),
 * so the gradient is 0 at both kinks. Matches `torch.nn.functional.relu6`.
 * @example F.relu6(x)
 */
export function relu6(input: Tensor, opts: InplaceOption = {}): Tensor {
  checkTensor('relu6', 'input', input);
  checkOptions('relu6', opts, ['inplace']);
  return unaryOp('hardtanh', input, [0, 6], { fn: 'relu6', inplace: opts.inplace === true });
}

/**
 * Sigmoid(x) = 1/(1 + exp(−x)). Matches `torch.sigmoid`.
 * @example F.sigmoid(x)
 */
export function sigmoid(input: Tensor): Tensor {
  return pointwise('sigmoid', 'sigmoid', input, {}, false);
}

/**
 * Tanh(x). Matches `torch.tanh`.
 * @example F.tanh(x)
 */
export function tanh(input: Tensor): Tensor {
  return pointwise('tanh', 'tanh', input, {}, false);
}

/**
 * Softsign(x) = x/(1 + |x|); NaN at ±Infinity, as PyTorch's composite gives.
 * Matches `torch.nn.functional.softsign`.
 * @example F.softsign(x)
 */
export function softsign(input: Tensor): Tensor {
  return pointwise('softsign', 'softsign', input, {}, false);
}

export interface HardtanhOptions extends InplaceOption {
  /** Lower bound (default −1). */
  minVal?: number;
  /** Upper bound (default 1). */
  maxVal?: number;
}

/**
 * Hardtanh(x) = clamp(x, minVal, maxVal); gradient 1 strictly inside, 0 at
 * and beyond the bounds. Matches `torch.nn.functional.hardtanh`.
 * Deliberate difference: `minVal > maxVal` throws.
 * @example F.hardtanh(x, { minVal: -2, maxVal: 2 })
 */
export function hardtanh(input: Tensor, opts: HardtanhOptions = {}): Tensor {
  return pointwise('hardtanh', 'hardtanh', input, opts, true, (p) => {
    if (p.minVal > p.maxVal)
      fail('hardtanh', `minVal (${p.minVal}) must not exceed maxVal (${p.maxVal})`);
  });
}

/**
 * Threshold(x) = x if x > threshold else value. Matches
 * `torch.nn.functional.threshold`.
 * @example F.threshold(x, 0.1, 20)
 */
export function threshold(
  input: Tensor,
  thresholdValue: number,
  value: number,
  opts: InplaceOption = {},
): Tensor {
  checkOptions('threshold', opts, ['inplace']);
  if (typeof thresholdValue !== 'number' || Number.isNaN(thresholdValue)) {
    fail('threshold', `threshold must be a number, got ${String(thresholdValue)}`);
  }
  if (typeof value !== 'number') fail('threshold', `value must be a number, got ${String(value)}`);
  return pointwise(
    'threshold',
    'threshold',
    input,
    { threshold: thresholdValue, value, inplace: opts.inplace },
    true,
  );
}

/**
 * Tanhshrink(x) = x − tanh(x). Matches `torch.nn.functional.tanhshrink`.
 * @example F.tanhshrink(x)
 */
export function tanhshrink(input: Tensor): Tensor {
  return pointwise('tanhshrink', 'tanhshrink', input, {}, false);
}

export interface ShrinkOptions {
  /** Half-width λ ≥ 0 of the dead zone (default 0.5). */
  lambd?: number;
}

const checkLambd = (fn: string) => (p: Record<string, number>) => {
  if (p.lambd < 0) fail(fn, `lambd must be non-negative, got ${p.lambd}`);
};

/**
 * Softshrink(x) = x − λ if x > λ, x + λ if x < −λ, else 0; gradient 0 on
 * [−λ, λ]. Matches `torch.nn.functional.softshrink`.
 * @example F.softshrink(x, { lambd: 0.3 })
 */
export function softshrink(input: Tensor, opts: ShrinkOptions = {}): Tensor {
  return pointwise('softshrink', 'softshrink', input, opts, false, checkLambd('softshrink'));
}

/**
 * Hardshrink(x) = x if |x| > λ else 0; gradient 0 on [−λ, λ]. Matches
 * `torch.nn.functional.hardshrink`. Deliberate difference: a negative λ throws.
 * @example F.hardshrink(x, { lambd: 0.3 })
 */
export function hardshrink(input: Tensor, opts: ShrinkOptions = {}): Tensor {
  return pointwise('hardshrink', 'hardshrink', input, opts, false, checkLambd('hardshrink'));
}

/**
 * LogSigmoid(x) = log(1/(1 + exp(−x))) = min(x, 0) − log1p(exp(−|x|)), stable
 * for large |x|. Matches `torch.nn.functional.logsigmoid`.
 * @example F.logsigmoid(x)
 */
export function logsigmoid(input: Tensor): Tensor {
  return pointwise('logsigmoid', 'logsigmoid', input, {}, false);
}

/**
 * SiLU(x) = x·sigmoid(x) (also called swish). Matches `torch.nn.functional.silu`.
 * @example F.silu(x)
 */
export function silu(input: Tensor, opts: InplaceOption = {}): Tensor {
  return pointwise('silu', 'silu', input, opts, true);
}

/**
 * Mish(x) = x·tanh(softplus(x)). Matches `torch.nn.functional.mish`.
 * @example F.mish(x)
 */
export function mish(input: Tensor, opts: InplaceOption = {}): Tensor {
  return pointwise('mish', 'mish', input, opts, true);
}

/**
 * Hardsigmoid(x) = clamp(x/6 + 1/2, 0, 1); gradient 1/6 strictly inside (−3, 3).
 * Matches `torch.nn.functional.hardsigmoid`.
 * @example F.hardsigmoid(x)
 */
export function hardsigmoid(input: Tensor, opts: InplaceOption = {}): Tensor {
  return pointwise('hardsigmoid', 'hardsigmoid', input, opts, true);
}

/**
 * Hardswish(x) = x·clamp(x + 3, 0, 6)/6. Matches `torch.nn.functional.hardswish`.
 * @example F.hardswish(x)
 */
export function hardswish(input: Tensor, opts: InplaceOption = {}): Tensor {
  return pointwise('hardswish', 'hardswish', input, opts, true);
}

/**
 * GLU(a ‖ b) = a ⊙ sigmoid(b), where the input is split in half along `dim`
 * (default −1, whose size must be even). Matches `torch.nn.functional.glu`.
 * @example F.glu(tensor([[1, 2, 3, 4]])) // [[1·σ(3), 2·σ(4)]]
 */
export function glu(input: Tensor, dim = -1): Tensor {
  checkTensor('glu', 'input', input);
  requireFloating(input, 'glu');
  if (input.ndim === 0) fail('glu', 'input must have at least 1 dimension, got a scalar');
  const d = normalizeDim(dim, input.ndim, 'glu');
  const size = input.shape[d];
  if (size % 2 !== 0)
    fail('glu', `dimension ${dim} must have an even size to be halved, got ${size}`);
  const a = input.narrow(d, 0, size / 2);
  const b = input.narrow(d, size / 2, size / 2);
  return a.mul(sigmoid(b));
}
