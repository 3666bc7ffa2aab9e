/**
 * PyTorch's CPU samplers (ATen's `cpu/DistributionTemplates.h` and
 * `DistributionsHelper.h`), draw for draw: each fills a tensor's storage in
 * row-major order from a {@link Generator}, consuming the same words of the
 * MT19937 stream and transforming them with the same arithmetic, so a seed
 * gives PyTorch's samples. Which words a sample consumes:
 *
 * - float32 uniform: one word, its low 24 bits over 2^24;
 * - float64 uniform, Bernoulli (`bernoulli_(p)`, dropout: the `bernoulliMask`
 *   kernel, which ops/random-methods.ts dispatches), exponential, the `randn`
 *   of fewer than 16 elements: two words per double (`random64()`, the first
 *   high), 53 bits;
 * - `randn`/`normal_` of 16 or more elements: one uniform per element, then
 *   Box–Muller within blocks of 16 (the last block redrawn when the size is
 *   not a multiple of 16);
 * - integers in [low, high): one word modulo the range.
 *
 * The uniform and normal fills that run over millions of elements are the
 * `uniformFill` and `normalFill` kernels (these functions are their JavaScript
 * bodies; src/ops/sampling.ts dispatches them to the active backend).
 */
import { boxMuller16Float32 } from './box-muller-float32.js';
import { fillIntegerWords, fillUniformWords, shuffleWords } from './mt19937.js';
import type { Generator } from './random.js';

type FloatArray = Float32Array | Float64Array;

/**
 * `uniform_(from, to)` into `d[0 .. n)` from an engine's 625-word array (the
 * JavaScript `uniformFill` kernel): `x·(to − from) + from` with `x` uniform
 * in [0, 1). In float32 the bounds and their difference are floats and the
 * multiply-add is fused, as GCC compiles ATen's loop; in float64 too.
 */
export function uniformFromEngine(
  state: Int32Array,
  d: FloatArray,
  n: number,
  from: number,
  to: number,
): void {
  const single = d instanceof Float32Array;
  fillUniformWords(state, d, n, !single);
  if (from === 0 && to === 1) return;
  if (single) {
    const lo = Math.fround(from);
    const span = Math.fround(Math.fround(to) - lo);
    // u·span is exact in double (24 + 24 bits): one rounding of the sum to float, as a fused
    // multiply-add gives (up to the rare double rounding, see box-muller-float32.ts).
    for (let i = 0; i < n; i++) d[i] = d[i] * span + lo;
    return;
  }
  const span = to - from;
  for (let i = 0; i < n; i++) d[i] = fmaDouble(d[i], span, from);
}

/**
 * `normal_(mean, std)` of n ≥ 16 contiguous elements from an engine's
 * 625-word array (the JavaScript `normalFill` kernel): uniforms first, then
 * Box–Muller in blocks of 16 (float32 with AVX2's log and sincos, float64
 * with libm's), the last block drawn again when n is not a multiple of 16.
 * (Fewer elements take the generator's one-at-a-time path, which keeps a
 * spare sample outside the engine.)
 */
export function normalFromEngine(
  state: Int32Array,
  d: FloatArray,
  n: number,
  mean: number,
  std: number,
): void {
  const tail = d.subarray(n - 16, n);
  if (d instanceof Float32Array) {
    const m = Math.fround(mean);
    const s = Math.fround(std);
    fillUniformWords(state, d, n, false);
    for (let i = 0; i + 16 <= n; i += 16) boxMuller16Float32(d, i, m, s);
    if (n % 16 !== 0) {
      fillUniformWords(state, tail, 16, false);
      boxMuller16Float32(d, n - 16, m, s);
    }
    return;
  }
  fillUniformWords(state, d, n, true);
  for (let i = 0; i + 16 <= n; i += 16) boxMuller16Float64(d, i, mean, std);
  if (n % 16 !== 0) {
    fillUniformWords(state, tail, 16, true);
    boxMuller16Float64(d, n - 16, mean, std);
  }
}

/**
 * ATen's scalar `normal_fill_16` in double (libm's log, cos and sin; V8's
 * differ by an ulp at most). GCC fuses `r·cos θ·std + mean` into a
 * multiply-add of `r·cos θ`: without the fusion, 15% of the samples of
 * `normal_(-1, 3)` differ from PyTorch's in the last bit.
 */
function boxMuller16Float64(d: Float64Array, o: number, mean: number, std: number): void {
  for (let j = o; j < o + 8; j++) {
    const r = Math.sqrt(-2 * Math.log(1 - d[j]));
    const theta = 2 * Math.PI * d[j + 8];
    d[j] = fmaDouble(r * Math.cos(theta), std, mean);
    d[j + 8] = fmaDouble(r * Math.sin(theta), std, mean);
  }
}

/** Integers in [low, high) (`random_(from, to)`, `randint`): one word modulo the range. */
export function fillInteger(
  d: FloatArray | Int32Array,
  low: number,
  high: number,
  g: Generator,
): void {
  const range = high - low;
  if (range < 4294967296) {
    fillIntegerWords(g._engineState(), d, d.length, low, range);
    return;
  }
  for (let i = 0; i < d.length; i++) d[i] = g.integer(low, high);
}

/**
 * `exponential_(lambd)` into `d[0 .. n)` from an engine's 625-word array (the
 * JavaScript `exponentialFill` kernel): `−1/λ · log(1 − u)` with `u` a double
 * uniform (two words), in double, then rounded to the dtype — ATen's
 * `exponential_distribution<double>`.
 */
export function exponentialFromEngine(
  state: Int32Array,
  d: FloatArray,
  n: number,
  lambd: number,
): void {
  const scale = -1 / lambd;
  const u = d instanceof Float64Array ? d : new Float64Array(n);
  fillUniformWords(state, u, n, true);
  for (let i = 0; i < n; i++) d[i] = scale * Math.log(1 - u[i]);
}

/**
 * `randperm(n)`: 0..n−1, then for each i < n − 1 a swap with position
 * `i + (word mod (n − i))` — ATen's CPU loop, one word per swap.
 */
export function fillPermutation(d: FloatArray | Int32Array, g: Generator): void {
  for (let i = 0; i < d.length; i++) d[i] = i;
  shuffleWords(g._engineState(), d);
}

/** Veltkamp's splitter for doubles, 2^27 + 1. */
const SPLITTER = 134217729;

/**
 * `a·b + c` with (nearly always) one rounding, as a fused multiply-add, for
 * doubles: Dekker's exact product `a·b = p + e` and Knuth's exact sum
 * `p + c = s + t`, then `s + (t + e)`. Where GCC fused ATen's double
 * `x·(to − from) + from`, this gives its bits; the plain expression
 * differs in the last bit about half the time.
 */
export function fmaDouble(a: number, b: number, c: number): number {
  const p = a * b;
  if (!Number.isFinite(p) || p === 0) return p + c;
  // Veltkamp's split overflows beyond about 2^996: a factor that large is scaled down by 2^600
  // together with c (exact unless c underflows: there one rounding more is the price), and
  // the result back up (exact, or the overflow that the fused result would give too).
  if (Math.abs(a) > 1e290 || Math.abs(b) > 1e290) {
    if (c !== 0 && Math.abs(c) < 1e-120) return p + c;
    return Math.abs(a) > 1e290
      ? fmaDouble(a * 2 ** -600, b, c * 2 ** -600) * 2 ** 600
      : fmaDouble(a, b * 2 ** -600, c * 2 ** -600) * 2 ** 600;
  }
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const e = al * bl - (p - ah * bh - al * bh - ah * bl);
  const s = p + c;
  const bb = s - p;
  const err = p - (s - bb) + (c - bb);
  return s + (err + e);
}
