/** Signatures of the generated JavaScript kernels. */
export type Floats = Float32Array | Float64Array;
export type Numbers = Float32Array | Float64Array | Int32Array;
export type Params = readonly number[];

/** `out[i] = f(x[i])` over `n` contiguous elements. */
export type UnaryForward = (n: number, out: Floats, x: Floats, p: Params) => void;
/** `dx[i] = dy[i] · f'(x[i])`, reading the saved `x` and/or `y`. */
export type UnaryBackward = (
  n: number,
  dx: Floats,
  dy: Floats,
  x: Floats,
  y: Floats,
  p: Params,
) => void;

export interface UnaryKernels {
  forward: { float32: UnaryForward; float64: UnaryForward };
  backward: { float32: UnaryBackward; float64: UnaryBackward } | null;
}

/** One broadcast row: `out[outOff+i] = f(a[aOff+i·aStride], b[bOff+i·bStride])`. */
export type BinaryForward = (
  n: number,
  out: Numbers,
  outOff: number,
  a: Numbers,
  aOff: number,
  aStride: number,
  b: Numbers,
  bOff: number,
  bStride: number,
  p: Params,
) => void;
/** One broadcast row of a partial derivative, multiplied by `dy[outOff+i]`. */
export type BinaryBackward = (
  n: number,
  out: Floats,
  outOff: number,
  dy: Floats,
  a: Numbers,
  aOff: number,
  aStride: number,
  b: Numbers,
  bOff: number,
  bStride: number,
  p: Params,
) => void;

/** Σ f(a[i], b[i]) over `n` equal-shaped contiguous elements, in float64. */
export type BinarySum = (n: number, a: Numbers, b: Numbers, p: Params) => number;
/** `out[i] = ∂f/∂(a or b)(a[i], b[i]) · scale`: the gradient of a fused sum (scale = dy) or mean (dy/n). */
export type BinaryBackwardScaled = (
  n: number,
  out: Floats,
  scale: number,
  a: Numbers,
  b: Numbers,
  p: Params,
) => void;

export interface BinaryKernels {
  forward: BinaryForward;
  backward: { a: BinaryBackward; b: BinaryBackward } | null;
  /** The fused reduction path (entries with a gradient). */
  reduce: { sum: BinarySum; backward: { a: BinaryBackwardScaled; b: BinaryBackwardScaled } } | null;
}
