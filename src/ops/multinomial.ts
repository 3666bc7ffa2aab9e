/**
 * Sampling from given probabilities — `torch.multinomial` and
 * `torch.bernoulli` — with ATen's CPU algorithms and draws, so that the same
 * seed gives PyTorch's samples (a name generator sampling characters from a
 * softmax, `multinomial(probs, 1, true)`, produces PyTorch's names).
 */
import { Tensor } from '../tensor/tensor.js';
import { allocUninit, isFloating } from '../tensor/dtype.js';
import { defaultGenerator, type Generator } from '../tensor/random.js';
import { fillExponential, fillUniform } from './sampling.js';
import { bindArgs, type Signature } from '../signature/bind.js';
import * as T from '../signature/types.js';
import { generatorType } from '../tensor/random.js';
import { topk } from './sort.js';
import { checkShape } from '../tensor/checks.js';
import type { GeneratorOption } from './random-methods.js';

type Floats = Float32Array | Float64Array;

function fail(fn: string, message: string): never {
  throw new Error(`${fn}: ${message}`);
}

/**
 * `multinomial(input, numSamples, replacement)` (bound): category indices drawn
 * from each row of `input` (1-D or 2-D, non-negative weights, not
 * necessarily normalised), int32 `(numSamples)` or `(rows, numSamples)`.
 *
 * ATen 1.13's two paths, draw for draw:
 * - without replacement: `q ~ Exp(1)` of the input's shape
 *   (`exponential_`), then the argmax (one sample) or the top k of `p / q`
 *   — the Gumbel-max trick, exact for sampling without replacement (later
 *   PyTorch versions take this path for any single sample);
 * - with replacement: per row, the cumulative sums in the input's dtype,
 *   divided by their total, the last set to 1; then per sample a double
 *   uniform and a binary search for the first bucket not below it.
 */
export function sampleMultinomial(
  input: Tensor,
  numSamples: number,
  replacement: boolean,
  generator: Generator | null,
): Tensor {
  const fn = 'multinomial';
  const g = generator ?? defaultGenerator;
  if (!isFloating(input.dtype))
    fail(fn, `input must be a floating-point tensor, got ${input.dtype}`);
  if (input.ndim < 1 || input.ndim > 2) fail(fn, `input must be 1-D or 2-D, got ${input.ndim}-D`);
  const categories = input.shape[input.ndim - 1];
  const rows = input.ndim === 2 ? input.shape[0] : 1;
  if (categories === 0) fail(fn, 'the input has no categories');
  if (numSamples <= 0) fail(fn, `numSamples must be positive, got ${numSamples}`);
  if (!replacement && numSamples > categories) {
    fail(fn, `cannot sample ${numSamples} > ${categories} categories without replacement`);
  }
  const p = input.contiguous().data as Floats;
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let j = 0; j < categories; j++) {
      const v = p[r * categories + j];
      if (!(v >= 0) || v === Infinity) {
        fail(fn, `probability tensor contains either inf, nan or element < 0 (${v} in row ${r})`);
      }
      sum += v;
    }
    if (sum === 0)
      fail(fn, `invalid multinomial distribution (sum of probabilities <= 0) in row ${r}`);
  }
  const outShape = input.ndim === 2 ? [rows, numSamples] : [numSamples];
  checkShape(fn, outShape, 'int32', 'the result');
  if (!replacement) {
    const q = allocUninit(input.dtype, input.size) as Floats;
    fillExponential(q, 1, g);
    for (let i = 0; i < q.length; i++) q[i] = p[i] / q[i];
    const ratio = new Tensor(q, [rows, categories]);
    const index =
      numSamples === 1 ? ratio.argmax(1, true) : topk(ratio, numSamples, 1, true, true).indices;
    return index.reshape(outShape);
  }
  const out = new Int32Array(rows * numSamples);
  const cum = allocUninit(input.dtype, categories) as Floats;
  for (let r = 0; r < rows; r++) {
    // Cumulative sums and their normalisation in the dtype (the array rounds each one).
    let sum = 0;
    for (let j = 0; j < categories; j++) {
      sum =
        cum instanceof Float32Array
          ? Math.fround(sum + p[r * categories + j])
          : sum + p[r * categories + j];
      cum[j] = sum;
    }
    for (let j = 0; j < categories; j++) cum[j] /= sum;
    cum[categories - 1] = 1;
    for (let s = 0; s < numSamples; s++) {
      const u = g.uniform();
      let left = 0;
      let right = categories;
      while (right - left > 0) {
        const mid = left + ((right - left) >> 1);
        if (cum[mid] < u) left = mid + 1;
        else right = mid;
      }
      out[r * numSamples + s] = left;
    }
  }
  return new Tensor(out, outShape);
}

/**
 * `bernoulli(input)` (bound): 1 where a uniform draw falls below the probability
 * `input[i]`, else 0, in the input's dtype — ATen's tensor-`p` kernel: a
 * float32 probability draws a float uniform (one word), a float64 one a
 * double (two words).
 */
export function sampleBernoulli(input: Tensor, generator: Generator | null): Tensor {
  const fn = 'bernoulli';
  const g = generator ?? defaultGenerator;
  if (!isFloating(input.dtype))
    fail(fn, `input must be a floating-point tensor, got ${input.dtype}`);
  const p = input.contiguous().data as Floats;
  for (let i = 0; i < p.length; i++) {
    if (!(p[i] >= 0 && p[i] <= 1))
      fail(fn, `probabilities must be in [0, 1], got ${p[i]} at index ${i}`);
  }
  const out = allocUninit(input.dtype, input.size) as Floats;
  fillUniform(out, 0, 1, g);
  for (let i = 0; i < out.length; i++) out[i] = out[i] < p[i] ? 1 : 0;
  return new Tensor(out, input.shape);
}

const generatorParam = {
  name: 'generator',
  type: generatorType,
  default: null,
  kwOnly: true,
  doc: 'the random generator (default: the global one)',
};

const MULTINOMIAL: Signature = {
  name: 'multinomial',
  params: [
    { name: 'input', type: T.tensor, doc: 'weights, `(C)` or `(N, C)`, non-negative' },
    { name: 'numSamples', type: T.int({ min: 1 }), doc: 'samples per row' },
    { name: 'replacement', type: T.bool, default: false, doc: 'draw with replacement' },
    generatorParam,
  ],
};

const BERNOULLI: Signature = {
  name: 'bernoulli',
  params: [{ name: 'input', type: T.tensor, doc: 'probabilities in [0, 1]' }, generatorParam],
};

/**
 * Category indices sampled from the rows of `input` (weights, normalised
 * per row), int32 `(numSamples)` or `(N, numSamples)`, like
 * `torch.multinomial(input, num_samples, replacement=False, *, generator)`:
 * with ATen 1.13's algorithms and draws, so the same seed gives PyTorch's
 * samples. Without replacement, a row's samples are distinct (no more than
 * its categories). A row of zeros, a negative, NaN or infinite weight throw.
 * @example
 * ```ts
 * import { manualSeed, multinomial, tensor } from 'nnkit';
 * manualSeed(0);
 * const probs = tensor([0.1, 0.2, 0.7]);
 * console.log(multinomial(probs, 5, true)); // tensor([2, 2, 2, 2, 2], dtype=torch.int32)
 * ```
 * @param input - Non-negative weights, `(C)` or `(N, C)`; they need not sum to 1.
 * @param numSamples - Samples per row (PyTorch's `num_samples`), at least 1.
 * @param replacement - Draw with replacement. Default `false`.
 * @param options - By name: `generator` (default the global one, seeded by `manualSeed`).
 */
export function multinomial(
  input: Tensor,
  numSamples: number,
  replacement?: boolean,
  options?: GeneratorOption,
): Tensor;
export function multinomial(...args: unknown[]): Tensor {
  const b = bindArgs(MULTINOMIAL, args);
  return sampleMultinomial(
    b.input as Tensor,
    b.numSamples as number,
    b.replacement as boolean,
    b.generator as Generator | null,
  );
}

/**
 * 0/1 samples with the probabilities in `input`, in its shape and dtype,
 * like `torch.bernoulli(input, *, generator)`, drawn as PyTorch draws them.
 * @example
 * ```ts
 * import { bernoulli, manualSeed, tensor } from 'nnkit';
 * manualSeed(0);
 * console.log(bernoulli(tensor([0.1, 0.5, 0.9, 0.3]))); // tensor([0., 0., 1., 1.])
 * ```
 * @param input - The probabilities of a 1, in [0, 1].
 * @param options - By name: `generator` (default the global one, seeded by `manualSeed`).
 */
export function bernoulli(input: Tensor, options?: GeneratorOption): Tensor;
export function bernoulli(...args: unknown[]): Tensor {
  const b = bindArgs(BERNOULLI, args);
  return sampleBernoulli(b.input as Tensor, b.generator as Generator | null);
}
