/**
 * Gradient clipping, after `torch.nn.utils.clip_grad_norm_` and
 * `clip_grad_value_`: both change the `.grad` of each parameter in place.
 */
import { Tensor } from '../../tensor/tensor.js';
import { tensor } from '../../tensor/creation.js';
import { promoteTypes, type DType } from '../../tensor/dtype.js';
import { bindArgs, type Signature } from '../../signature/bind.js';
import * as T from '../../signature/types.js';

/** One tensor, or an iterable of them (PyTorch's `_tensor_or_tensors`). */
export type TensorOrTensors = Tensor | Iterable<Tensor>;

const parametersType: T.ParamType = {
  ts: 'Tensor | Iterable<Tensor>',
  py: 'Union[Tensor, Iterable[Tensor]]',
  validate: (v) =>
    T.isTensor(v) ||
    (typeof v === 'object' && v !== null && !ArrayBuffer.isView(v) && Symbol.iterator in v)
      ? null
      : 'a Tensor or an iterable of Tensors',
};

const normTypeType: T.ParamType = {
  ts: "number | 'inf'",
  py: 'float',
  validate: (v) => (v === 'inf' || T.number().validate(v) === null ? null : "a number or 'inf'"),
};

const CLIP_NORM: Signature = {
  name: 'clipGradNorm_',
  params: [
    { name: 'parameters', type: parametersType, doc: 'tensors whose gradients are clipped' },
    { name: 'maxNorm', type: T.number({ min: 0 }), doc: 'the largest norm allowed' },
    { name: 'normType', type: normTypeType, default: 2, doc: 'p of the p-norm (Infinity: max)' },
    { name: 'errorIfNonfinite', type: T.bool, default: false, doc: 'throw on a NaN/∞ norm' },
  ],
};

const CLIP_VALUE: Signature = {
  name: 'clipGradValue_',
  params: [
    { name: 'parameters', type: parametersType, doc: 'tensors whose gradients are clipped' },
    { name: 'clipValue', type: T.number({ min: 0 }), doc: 'gradients are clamped to ±clipValue' },
  ],
};

/** The gradients of `parameters`, skipping tensors without one; checks the elements are tensors. */
function gradsOf(fn: string, parameters: unknown): Tensor[] {
  const list = T.isTensor(parameters) ? [parameters] : [...(parameters as Iterable<unknown>)];
  const grads: Tensor[] = [];
  list.forEach((p, i) => {
    if (!T.isTensor(p))
      throw new Error(`${fn}: parameters[${i}] must be a Tensor, got ${T.describeValue(p)}`);
    const g = (p as Tensor).grad;
    if (g) grads.push(g);
  });
  return grads;
}

/** `‖x‖_p` of a typed array, in double precision, as `torch.linalg.vector_norm` defines it. */
function vectorNorm(x: ArrayLike<number>, p: number): number {
  const n = x.length;
  if (p === Infinity || p === -Infinity) {
    if (n === 0) return 0;
    let m = Math.abs(x[0]);
    // Math.max/min propagate NaN, like torch.max of abs.
    for (let i = 1; i < n; i++)
      m = p > 0 ? Math.max(m, Math.abs(x[i])) : Math.min(m, Math.abs(x[i]));
    return m;
  }
  let s = 0;
  if (p === 0) {
    for (let i = 0; i < n; i++) if (x[i] !== 0) s += 1;
    return s;
  }
  if (p === 1) {
    for (let i = 0; i < n; i++) s += Math.abs(x[i]);
    return s;
  }
  if (p === 2) {
    for (let i = 0; i < n; i++) s += x[i] * x[i];
    return Math.sqrt(s);
  }
  for (let i = 0; i < n; i++) s += Math.abs(x[i]) ** p;
  return s ** (1 / p);
}

/**
 * Rescales the gradients of `parameters` so that their joint p-norm — the
 * norm of all gradients concatenated into one vector — is at most `maxNorm`,
 * and returns that norm (before clipping) as a scalar tensor:
 *
 * ```
 * total = ‖(‖g₁‖_p, ‖g₂‖_p, …)‖_p        (p = Infinity: max |gᵢⱼ|)
 * coef  = min(maxNorm / (total + 1e-6), 1)
 * gᵢ   ← coef · gᵢ                      (in place; a coefficient of 1 still multiplies)
 * ```
 *
 * Matches `torch.nn.utils.clip_grad_norm_` of PyTorch 1.13: each gradient's
 * norm and the total are rounded to the gradients' dtype, the 1e-6 is added
 * in that dtype, and the coefficient is computed as PyTorch's
 * `max_norm / tensor` does it (`reciprocal(total + 1e-6) · maxNorm`).
 * Parameters without a `.grad` are skipped; with none at all the result is
 * `tensor(0)`. A NaN or infinite norm makes every gradient NaN (or zero),
 * as in PyTorch, unless `errorIfNonfinite` turns it into an error.
 * `normType` may be any p (`Infinity` or PyTorch's string `'inf'` for the
 * maximum norm, `0` counts non-zeros). Beyond PyTorch, a negative or NaN
 * `maxNorm` is an error (PyTorch would flip or poison the gradients).
 *
 * @param parameters - The tensors whose `.grad` is clipped: one tensor or an iterable of them.
 * @param maxNorm - The largest total norm allowed (≥ 0). PyTorch's `max_norm`.
 * @param rest - `normType` (p of the norm: a number, `Infinity` or `'inf'`; default `2`),
 *   `errorIfNonfinite` (throw on a NaN or infinite total; default `false`) by position, or one
 *   options object with those names. PyTorch's `norm_type`, `error_if_nonfinite`.
 *
 * @example
 * ```ts
 * import { nn, tensor } from 'nnkit';
 * const w = tensor([3, 4], { requiresGrad: true });
 * w.grad = tensor([30, 40]);
 * const norm = nn.utils.clipGradNorm_([w], 5);
 * console.log(norm, w.grad); // tensor(50.) tensor([3.0000, 4.0000])
 * ```
 */
export function clipGradNorm_(
  parameters: TensorOrTensors,
  maxNorm: number,
  ...rest:
    | []
    | [normType: number | 'inf']
    | [normType: number | 'inf', errorIfNonfinite: boolean]
    | [{ normType?: number | 'inf'; errorIfNonfinite?: boolean }]
    | [normType: number | 'inf', { errorIfNonfinite?: boolean }]
): Tensor {
  const b = bindArgs(CLIP_NORM, [parameters, maxNorm, ...rest]);
  const grads = gradsOf(CLIP_NORM.name, b.parameters);
  const p = b.normType === 'inf' ? Infinity : (b.normType as number);
  if (grads.length === 0) return tensor(0);
  const dtype = grads
    .map((g) => g.dtype)
    .reduce<DType>((a, d) => promoteTypes(a, d), grads[0].dtype);
  const round = dtype === 'float64' ? (v: number) => v : Math.fround;
  const norms = grads.map((g) => round(vectorNorm(g.data, p)));
  const total = round(vectorNorm(norms, p));
  if (b.errorIfNonfinite && !Number.isFinite(total)) {
    throw new Error(
      `clipGradNorm_: the total norm of order ${p} for gradients from parameters is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set errorIfNonfinite: false`,
    );
  }
  const coef = round(round(1 / round(total + round(1e-6))) * round(b.maxNorm as number));
  // torch.clamp(max=1) keeps NaN.
  const clamped = coef > 1 ? 1 : coef;
  for (const g of grads) {
    const d = g.data;
    const c = g.dtype === 'float32' ? Math.fround(clamped) : clamped;
    for (let i = 0; i < d.length; i++) d[i] *= c;
    // A non-contiguous gradient (a view) was scaled in a copy of its elements: store them.
    if (!g.isContiguous()) g._writeStrided(d);
    g._bumpVersion();
  }
  return tensor(total, { dtype });
}

/**
 * Clamps every gradient element of `parameters` to `[−clipValue, clipValue]`,
 * in place (NaN stays NaN). Matches `torch.nn.utils.clip_grad_value_`;
 * parameters without a `.grad` are skipped. Beyond PyTorch, a negative or
 * NaN `clipValue` is an error (PyTorch would set every gradient to
 * `−|clipValue|`).
 *
 * @param parameters - The tensors whose `.grad` is clamped: one tensor or an iterable of them.
 * @param clipValue - The largest absolute gradient value allowed (≥ 0), or `{ clipValue }`.
 *   PyTorch's `clip_value`.
 *
 * @example
 * ```ts
 * import { nn, tensor } from 'nnkit';
 * const w = tensor([1, 2, 3], { requiresGrad: true });
 * w.grad = tensor([-5, 0.5, 7]);
 * nn.utils.clipGradValue_([w], 1);
 * console.log(w.grad); // tensor([-1.0000,  0.5000,  1.0000])
 * ```
 */
export function clipGradValue_(
  parameters: TensorOrTensors,
  clipValue: number | { clipValue: number },
): void {
  const b = bindArgs(CLIP_VALUE, [parameters, clipValue]);
  const c = b.clipValue as number;
  for (const g of gradsOf(CLIP_VALUE.name, b.parameters)) {
    const d = g.data;
    const hi = g.dtype === 'float32' ? Math.fround(c) : c;
    for (let i = 0; i < d.length; i++) {
      const v = d[i];
      if (v > hi) d[i] = hi;
      else if (v < -hi) d[i] = -hi;
    }
    if (!g.isContiguous()) g._writeStrided(d);
    g._bumpVersion();
  }
}
