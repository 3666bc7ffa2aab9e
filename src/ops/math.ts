/**
 * Elementwise functions evaluated in JavaScript on every backend: `sin`,
 * `cos` and `round`. They are not in the generated kernel table: `Math.sin`
 * and `Math.cos` (float64, then rounded once to float32) are within an ulp
 * of PyTorch's SLEEF kernels, and `round` is exact, so a kernel of each in
 * C++ and WebAssembly would add code (and browser bytes) without changing a
 * number. Their gradients are in src/autograd/derivatives/math.ts.
 * Also the int32 forms of `neg`, `abs` and `clamp`, which the float-only
 * kernel table does not cover.
 */
import { Tensor } from '../tensor/tensor.js';
import { allocUninit, isFloating } from '../tensor/dtype.js';
import { recordOp } from '../autograd/derivatives/index.js';
import { cast } from './shape-ops.js';

/** `f` of every element into a new tensor of `x`'s shape and dtype. */
function map(x: Tensor, f: (v: number) => number): Tensor {
  const src = x.data;
  const out = allocUninit(x.dtype, src.length);
  for (let i = 0; i < src.length; i++) out[i] = f(src[i]);
  return new Tensor(out, x.shape);
}

/** An int32 input becomes float32, as PyTorch promotes integers for `sin` and `cos`. */
function floating(x: Tensor): Tensor {
  return isFloating(x.dtype) ? x : cast(x, 'float32');
}

export function sin(input: Tensor): Tensor {
  const x = floating(input);
  return recordOp(map(x, Math.sin), 'sin', [x], { x });
}

export function cos(input: Tensor): Tensor {
  const x = floating(input);
  return recordOp(map(x, Math.cos), 'cos', [x], { x });
}

/** C's `nearbyint` in the default rounding mode: to the nearest integer, ties to even. */
function rint(v: number): number {
  // |v| ≥ 2^52 (and ±∞, NaN) is already an integer; Math.round rounds ties up.
  if (!(Math.abs(v) < 4503599627370496)) return v;
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * PyTorch's `round(decimals)`: `nearbyint(x · 10^d) / 10^d` (for d < 0,
 * `nearbyint(x / 10^−d) · 10^−d`), with `10^d` and every step rounded to
 * the dtype as PyTorch's float kernel does; an int32 tensor is returned as a
 * copy for `decimals = 0` and refused otherwise (PyTorch has no integer
 * kernel for it).
 */
export function round(x: Tensor, decimals = 0): Tensor {
  if (!isFloating(x.dtype)) {
    if (decimals !== 0) {
      throw new Error(
        `round: decimals needs a floating-point tensor (float32 or float64), got ${x.dtype}`,
      );
    }
    return map(x, (v) => v);
  }
  const f32 = x.dtype === 'float32';
  const r = f32 ? Math.fround : (v: number) => v;
  let out: Tensor;
  if (decimals === 0) {
    out = map(x, rint);
  } else {
    // std::pow(10, |d|) in double (correctly rounded, as the decimal literal is), then the dtype.
    const scale = r(Number(`1e${Math.abs(decimals)}`));
    out =
      decimals > 0
        ? map(x, (v) => r(rint(r(v * scale)) / scale))
        : map(x, (v) => r(rint(r(v / scale)) * scale));
  }
  return recordOp(out, 'round', [x], { x });
}

/** `−x` of int32, wrapping as PyTorch's int32 does (−(−2³¹) is −2³¹). */
export function negInt(x: Tensor): Tensor {
  return map(x, (v) => -v | 0);
}

/** `|x|` of int32, wrapping as PyTorch's int32 does (|−2³¹| is −2³¹). */
export function absInt(x: Tensor): Tensor {
  return map(x, (v) => Math.abs(v) | 0);
}

/**
 * `clamp` of an int32 tensor: with integer bounds (or none) an int32
 * `min(max(x, min), max)`, as PyTorch's; a fractional or non-finite bound
 * promotes to float32 first (PyTorch's result type of an int tensor and a
 * float scalar), where `clampFloat` runs.
 */
export function clampInt(
  x: Tensor,
  minBound: number | null | undefined,
  maxBound: number | null | undefined,
  clampFloat: (x: Tensor) => Tensor,
): Tensor {
  // `null` is an omitted bound, as Python's None.
  const min = minBound ?? undefined;
  const max = maxBound ?? undefined;
  const integral = (b: number | undefined) => b === undefined || Number.isSafeInteger(b);
  if (!integral(min) || !integral(max)) return clampFloat(cast(x, 'float32'));
  // An integer bound is converted to the tensor's int32, as PyTorch converts it (and refuses).
  for (const [name, b] of [
    ['min', min],
    ['max', max],
  ] as const) {
    if (b !== undefined && (b < -2147483648 || b > 2147483647))
      throw new Error(`clamp: ${name} ${b} cannot be converted to int32 without overflow`);
  }
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  return map(x, (v) => Math.min(Math.max(v, lo), hi));
}
