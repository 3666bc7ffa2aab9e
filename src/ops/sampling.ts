/**
 * The uniform, normal and exponential fills of every sampler (`rand`,
 * `randn`, `uniform_`, `normal_`, `exponential_`, `nn.init`, gumbel-softmax's
 * noise, `multinomial`): PyTorch's draws (src/tensor/sampling.ts says which
 * words and which arithmetic), run by the active backend's `uniformFill`,
 * `normalFill` and `exponentialFill` kernels on the generator's engine.
 */
import { dispatch } from '../kernels/backend.js';
import type { Generator } from '../tensor/random.js';
import { fmaDouble } from '../tensor/sampling.js';

type Floats = Float32Array | Float64Array;

/** `uniform_(from, to)` over all of `d`: `u·(to − from) + from`, u uniform in [0, 1). */
export function fillUniform(d: Floats, from: number, to: number, g: Generator): void {
  dispatch('uniformFill', g._engineState(), d, d.length, from, to);
}

/**
 * `normal_(mean, std)` over all of `d`. From 16 elements, ATen's blocked
 * Box–Muller (the `normalFill` kernel); for fewer, or with `serial` (ATen's
 * path for a non-contiguous tensor), one double sample at a time, the
 * pair's second value kept in the generator for the next call.
 */
export function fillNormal(
  d: Floats,
  mean: number,
  std: number,
  g: Generator,
  serial = false,
): void {
  const n = d.length;
  if (n < 16 || serial) {
    // ATen's `normal_distribution<double>`: `x·std + mean` in double, fused by GCC, then
    // rounded to the dtype.
    for (let i = 0; i < n; i++) d[i] = fmaDouble(g.normal(), std, mean);
    return;
  }
  dispatch('normalFill', g._engineState(), d, n, mean, std);
}

/** `exponential_(lambd)` over all of `d`: `−1/λ · log(1 − u)`, u a double uniform. */
export function fillExponential(d: Floats, lambd: number, g: Generator): void {
  dispatch('exponentialFill', g._engineState(), d, d.length, lambd);
}
