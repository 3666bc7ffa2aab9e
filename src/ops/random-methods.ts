/**
 * The in-place samplers of a tensor — `uniform_`, `normal_`, `bernoulli_`,
 * `exponential_` — with PyTorch's draws (see `tensor/sampling.ts`), so that
 * `nn.init` and hand-written initialisation give PyTorch's values from the
 * same seed. Like `fill_`, they replace the values: a tensor that required
 * a gradient through them gets a zero one, and a leaf that requires grad is
 * written only under `noGrad` (as `torch.nn.init` does).
 *
 * A non-contiguous view is filled in row-major order: PyTorch walks it in
 * memory order, so a transposed view holds PyTorch's values in another
 * arrangement (and `normal_` takes PyTorch's one-at-a-time path there, as
 * ATen does for any non-contiguous tensor).
 */
import { Tensor } from '../tensor/tensor.js';
import { allocUninit, isFloating } from '../tensor/dtype.js';
import { defaultGenerator, type Generator } from '../tensor/random.js';
import { fillExponential, fillNormal, fillUniform } from './sampling.js';
import { dispatch } from '../kernels/backend.js';
import { checkInplace, needsGrad } from '../autograd/node.js';
import { inplace } from './inplace.js';

type Floats = Float32Array | Float64Array;

/** The generator option of the samplers. */
export interface GeneratorOption {
  /** The generator to draw from (default `null`: the global one, seeded by `manualSeed`). */
  generator?: Generator | null;
}

/**
 * Writes `draw`'s samples into `x`: straight into the storage when x is
 * contiguous and no gradient is recorded, else through `inplace` (which
 * writes a view's elements and records the replacement).
 */
function sampleInto(x: Tensor, fn: string, draw: (d: Floats, contiguous: boolean) => void): Tensor {
  if (!isFloating(x.dtype)) {
    throw new Error(`${fn}: expects a floating-point tensor, got ${x.dtype}`);
  }
  if (x.isContiguous() && !needsGrad(x)) {
    x._checkWritable(fn);
    checkInplace(x, fn);
    draw(x.data as Floats, true);
    x._bumpVersion();
    return x;
  }
  return inplace(
    x,
    fn,
    () => {
      const d = allocUninit(x.dtype, x.size) as Floats;
      draw(d, x.isContiguous());
      return new Tensor(d, x.shape);
    },
    true,
  );
}

function generatorOf(options: GeneratorOption | undefined): Generator {
  return options?.generator ?? defaultGenerator;
}

function requireFinite(fn: string, name: string, v: number): void {
  if (!Number.isFinite(v)) throw new Error(`${fn}: ${name} must be finite, got ${v}`);
}

/** `x.uniform_(from, to)`: samples of U[from, to) (see the Tensor method). */
export function uniform_(x: Tensor, from = 0, to = 1, options?: GeneratorOption): Tensor {
  const fn = 'uniform_';
  requireFinite(fn, 'from', from);
  requireFinite(fn, 'to', to);
  if (from > to) {
    throw new Error(`${fn}: expects a [from, to) range, but found from=${from} > to=${to}`);
  }
  // PyTorch's bounds: both ends and their distance within the dtype (else Infinity or NaN).
  const max = x.dtype === 'float32' ? 3.4028234663852886e38 : Number.MAX_VALUE;
  for (const [name, v] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (Math.abs(v) > max) throw new Error(`${fn}: ${name} (${v}) is out of bounds for ${x.dtype}`);
  }
  if (to - from > max) {
    throw new Error(
      `${fn}: expects to − from ≤ the largest ${x.dtype}, but found to=${to} and from=${from}`,
    );
  }
  const g = generatorOf(options);
  return sampleInto(x, fn, (d) => fillUniform(d, from, to, g));
}

/** `x.normal_(mean, std)`: samples of N(mean, std²) (see the Tensor method). */
export function normal_(x: Tensor, mean = 0, std = 1, options?: GeneratorOption): Tensor {
  const fn = 'normal_';
  requireFinite(fn, 'mean', mean);
  requireFinite(fn, 'std', std);
  if (std < 0) throw new Error(`${fn}: expects std >= 0, but found std=${std}`);
  const g = generatorOf(options);
  return sampleInto(x, fn, (d, contiguous) => fillNormal(d, mean, std, g, !contiguous));
}

/**
 * `bernoulli_(p)` scaled, into `d`: `value` where a double uniform (two
 * words of `g`'s stream) is below `p`, else 0 — compared as the 53-bit
 * integer against `p·2^53`, exactly. The `bernoulliMask` kernel: dropout's
 * mask, native and wasm as well as JavaScript, all advancing `g`'s engine.
 */
export function fillBernoulli(d: Floats, p: number, value: number, g: Generator): void {
  dispatch('bernoulliMask', g._engineState(), d, d.length, p * 9007199254740992, value);
}

/** `x.bernoulli_(p)`: 1 with probability p, else 0 (see the Tensor method). */
export function bernoulli_(x: Tensor, p = 0.5, options?: GeneratorOption): Tensor {
  const fn = 'bernoulli_';
  if (!(p >= 0 && p <= 1)) throw new Error(`${fn}: expects p in [0, 1], but got p=${p}`);
  const g = generatorOf(options);
  return sampleInto(x, fn, (d) => fillBernoulli(d, p, 1, g));
}

/** `x.exponential_(lambd)`: samples of Exp(λ) (see the Tensor method). */
export function exponential_(x: Tensor, lambd = 1, options?: GeneratorOption): Tensor {
  const fn = 'exponential_';
  if (!(lambd > 0) || lambd === Infinity) {
    throw new Error(`${fn}: expects a positive, finite lambd, but found lambd=${lambd}`);
  }
  const g = generatorOf(options);
  return sampleInto(x, fn, (d) => fillExponential(d, lambd, g));
}
