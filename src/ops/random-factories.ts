/**
 * The floating-point random factories — `rand`, `randn`, `randLike`,
 * `randnLike` — with PyTorch's signatures (src/tensor/creation.ts binds them)
 * and PyTorch's samples from the same seed. They live above the kernels
 * because their fills run on the active backend (src/ops/sampling.ts); the
 * integer ones, `randint` and `randperm`, stay with the other factories.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import { defaultGenerator } from '../tensor/random.js';
import {
  bindLike,
  bindSize,
  create,
  floatDtypeParam,
  floatLike,
  generatorOf,
  generatorParam,
  likeSig,
  sizeSig,
  type FactoryOptions,
  type RandomOptions,
  type SizeArgs,
} from '../tensor/creation.js';
import { fillNormal, fillUniform } from './sampling.js';

const RAND_SIG = sizeSig('rand', generatorParam, floatDtypeParam);
const RANDN_SIG = sizeSig('randn', generatorParam, floatDtypeParam);
const RAND_LIKE_SIG = likeSig('randLike', floatDtypeParam);
const RANDN_LIKE_SIG = likeSig('randnLike', floatDtypeParam);

/**
 * Uniform samples in [0, 1), like `torch.rand(*size, *, generator, dtype,
 * requires_grad)`; float32 or float64 only (PyTorch refuses integer dtypes).
 * @example
 * ```ts
 * import { rand } from 'nnkit';
 * console.log(rand(2, 3).shape); // [ 2, 3 ]
 * console.log(rand([4], { dtype: 'float64' }).dtype); // float64
 * ```
 * @param args - `size` as integers (`2, 3`) or one array (`[2, 3]`), then optionally one options object, by name: `generator` (default the global one, seeded by `manualSeed`), `dtype` (`'float32'` or `'float64'`; default `'float32'`), `requiresGrad` (default `false`), or `size` itself.
 */
export function rand(...args: SizeArgs<RandomOptions>): Tensor {
  const b = bindSize(RAND_SIG, args);
  const g = generatorOf(b);
  const dtype = (b.dtype as DType | null) ?? 'float32';
  return create('rand', b.size, dtype, b.requiresGrad as boolean, (d) =>
    fillUniform(d as Float32Array | Float64Array, 0, 1, g),
  );
}

/**
 * Standard normal samples, like `torch.randn(*size, *, generator, dtype,
 * requires_grad)`; float32 or float64 only. The same seed gives PyTorch's
 * samples (see `manualSeed`).
 * @example
 * ```ts
 * import { randn } from 'nnkit';
 * console.log(randn(3, 4).shape); // [ 3, 4 ]
 * console.log(randn([2], { requiresGrad: true }).requiresGrad); // true
 * ```
 * @param args - `size` as integers (`2, 3`) or one array (`[2, 3]`), then optionally one options object, by name: `generator` (default the global one, seeded by `manualSeed`), `dtype` (`'float32'` or `'float64'`; default `'float32'`), `requiresGrad` (default `false`), or `size` itself.
 */
export function randn(...args: SizeArgs<RandomOptions>): Tensor {
  const b = bindSize(RANDN_SIG, args);
  const g = generatorOf(b);
  const dtype = (b.dtype as DType | null) ?? 'float32';
  return create('randn', b.size, dtype, b.requiresGrad as boolean, (d) =>
    fillNormal(d as Float32Array | Float64Array, 0, 1, g),
  );
}

/**
 * Uniform samples in [0, 1) in `input`'s shape, like `torch.rand_like`.
 * @example
 * ```ts
 * import { randLike, zeros } from 'nnkit';
 * console.log(randLike(zeros(2, 3)).shape); // [ 2, 3 ]
 * ```
 * @param input - The tensor whose shape (and dtype) to take; a floating dtype unless `dtype` is given.
 * @param options - One options object, by name: `dtype` (`'float32'` or `'float64'`; default `input`'s), `requiresGrad` (default `false`).
 */
export function randLike(input: Tensor, options?: FactoryOptions): Tensor;
export function randLike(...args: unknown[]): Tensor {
  const [input, dtype, rg] = bindLike(RAND_LIKE_SIG, args);
  return create('randLike', input.shape, floatLike('randLike', input, dtype), rg, (d) =>
    fillUniform(d as Float32Array | Float64Array, 0, 1, defaultGenerator),
  );
}

/**
 * Standard normal samples in `input`'s shape, like `torch.randn_like`.
 * @example
 * ```ts
 * import { randnLike, zeros } from 'nnkit';
 * console.log(randnLike(zeros(4), { dtype: 'float64' }).dtype); // float64
 * ```
 * @param input - The tensor whose shape (and dtype) to take; a floating dtype unless `dtype` is given.
 * @param options - One options object, by name: `dtype` (`'float32'` or `'float64'`; default `input`'s), `requiresGrad` (default `false`).
 */
export function randnLike(input: Tensor, options?: FactoryOptions): Tensor;
export function randnLike(...args: unknown[]): Tensor {
  const [input, dtype, rg] = bindLike(RANDN_LIKE_SIG, args);
  return create('randnLike', input.shape, floatLike('randnLike', input, dtype), rg, (d) =>
    fillNormal(d as Float32Array | Float64Array, 0, 1, defaultGenerator),
  );
}
