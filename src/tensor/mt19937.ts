/**
 * The 32-bit Mersenne Twister (MT19937, Matsumoto and Nishimura 1998), the
 * engine behind PyTorch's CPU generator (`at::mt19937`): 624 words of state,
 * seeded from the low 32 bits of the seed by Knuth's multiplier 1812433253,
 * the standard tempering. The same seed gives PyTorch's 32-bit stream, which
 * every PyTorch CPU sampler transforms.
 *
 * The loops that consume millions of words (`fillUniformWords`, and `fillBernoulli53`,
 * the JavaScript kernel of dropout's mask) live here, with the read position in
 * a local: a call per word would cost more than the word.
 */

const N = 624;
const M = 397;
const UPPER = 0x80000000 | 0;
const LOWER = 0x7fffffff;
const MATRIX_A = 0x9908b0df | 0;
const TEMPER_B = 0x9d2c5680 | 0;
const TEMPER_C = 0xefc60000 | 0;
const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_24 = 1 / 16777216;
const TWO_POW_MINUS_53 = 1 / 9007199254740992;

/** Regenerates all 624 words of `s` at once (the "twist"). */
export function twist(s: Int32Array): void {
  let k = 0;
  for (; k < N - M; k++) {
    const y = (s[k] & UPPER) | (s[k + 1] & LOWER);
    s[k] = s[k + M] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  }
  for (; k < N - 1; k++) {
    const y = (s[k] & UPPER) | (s[k + 1] & LOWER);
    s[k] = s[k + M - N] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  }
  const y = (s[N - 1] & UPPER) | (s[0] & LOWER);
  s[N - 1] = s[M - 1] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
}

/** The read index after using up the state: twists it and starts over (returns 0). */
function twistAt(s: Int32Array): number {
  twist(s);
  return 0;
}

/** MT19937's tempering of one state word (int32 bits in, int32 bits out). */
function temper(y: number): number {
  y ^= y >>> 11;
  y ^= (y << 7) & TEMPER_B;
  y ^= (y << 15) & TEMPER_C;
  return y ^ (y >>> 18);
}

/**
 * MT19937's state and its read position in one Int32Array of 625 words (so the
 * words stay raw machine words, and a kernel of any backend can take the
 * whole engine as one array): words 0–623 are the state, word 624 the index
 * of the next word to temper (624: twist first).
 */
export class MT19937 {
  /** The state (words 0–623) and the read position (word 624). */
  readonly state = new Int32Array(N + 1);

  constructor(seed: number) {
    this.seed(seed);
  }

  /** `init_genrand`: the state from the seed's low 32 bits. */
  seed(seed32: number): void {
    const s = this.state;
    s[0] = seed32;
    for (let j = 1; j < N; j++) {
      const prev = s[j - 1];
      s[j] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + j) | 0;
    }
    s[N] = N;
  }

  /** The next 32-bit word of the stream, as an unsigned integer. */
  nextUint32(): number {
    const s = this.state;
    let k = s[N];
    if (k >= N) k = twistAt(s);
    s[N] = k + 1;
    return temper(s[k]) >>> 0;
  }

  /**
   * Fills `out` with uniforms in [0, 1) as PyTorch's samplers make them (see
   * {@link fillUniformWords}).
   */
  fillUniform(out: Float32Array | Float64Array, bits53: boolean): void {
    fillUniformWords(this.state, out, out.length, bits53);
  }

  /** Overwrites this engine with `other`'s state and position. */
  copyFrom(other: MT19937): void {
    this.state.set(other.state);
  }
}

/**
 * Uniforms in [0, 1) as PyTorch's samplers make them, into `out[0 .. n)` from
 * an engine's 625-word array: with `bits53`, two words per element
 * (`random64()`, the first high), its low 53 bits over 2^53 (a double's
 * `uniform_real_distribution`); else one word per element, its low 24 bits
 * over 2^24 (a float's). The caller checks `state[624]`.
 */
export function fillUniformWords(
  state: Int32Array,
  out: Float32Array | Float64Array,
  n: number,
  bits53: boolean,
): void {
  const s = state;
  let k = s[N];
  for (let i = 0; i < n; i++) {
    if (k === N) k = twistAt(s);
    const hi = temper(s[k++]);
    if (!bits53) {
      out[i] = (hi & 0xffffff) * TWO_POW_MINUS_24;
      continue;
    }
    if (k === N) k = twistAt(s);
    const lo = temper(s[k++]);
    out[i] = ((hi & 0x1fffff) * TWO_POW_32 + (lo >>> 0)) * TWO_POW_MINUS_53;
  }
  s[N] = k;
}

/**
 * `w mod r` for integers w < 2^32 and 0 < r < 2^32, exactly. V8 computes `%`
 * of numbers beyond int32 as a floating-point remainder, several times slower
 * than this. The double quotient never rounds across an integer: a
 * non-integer w / r lies at least 1/r from one, while its ulp is below
 * 2^-20 / r (the quotient is below 2^32 / r), so the floor is exact, and so
 * is the product (below 2^33).
 */
export function modulo(w: number, r: number): number {
  return w - Math.floor(w / r) * r;
}

/**
 * Integers in [low, low + range) for range < 2^32 into `out[0 .. n)`: one
 * word each, modulo the range (PyTorch's `random_(from, to)`, its slight
 * modulo bias included). The caller checks `state[624]`.
 */
export function fillIntegerWords(
  state: Int32Array,
  out: Float32Array | Float64Array | Int32Array,
  n: number,
  low: number,
  range: number,
): void {
  const s = state;
  let k = s[N];
  for (let i = 0; i < n; i++) {
    if (k === N) k = twistAt(s);
    out[i] = low + modulo(temper(s[k++]) >>> 0, range);
  }
  s[N] = k;
}

/**
 * ATen's CPU `randperm` shuffle of `d` (which holds 0 … n − 1): for each
 * i < n − 1, a swap with position `i + (word mod (n − i))`, one word per swap.
 */
export function shuffleWords(state: Int32Array, d: Float32Array | Float64Array | Int32Array): void {
  const s = state;
  const n = d.length;
  let k = s[N];
  for (let i = 0; i < n - 1; i++) {
    if (k === N) k = twistAt(s);
    const z = i + modulo(temper(s[k++]) >>> 0, n - i);
    const t = d[i];
    d[i] = d[z];
    d[z] = t;
  }
  s[N] = k;
}

/**
 * Dropout's mask loop (the JavaScript `bernoulliMask` kernel) on an engine's
 * 625-word array: for i < n, two words, the first high, make PyTorch's
 * `random64()`; its low 53 bits `u` give `out[i] = u < threshold ? value :
 * 0`. With `threshold = p·2^53` this is `bernoulli_(p)`, a double uniform
 * `u / 2^53 < p`, without the division. The caller checks `state[624]`.
 */
export function fillBernoulli53(
  state: Int32Array,
  out: Float32Array | Float64Array,
  n: number,
  threshold: number,
  value: number,
): void {
  const s = state;
  let k = s[N];
  for (let i = 0; i < n; i++) {
    if (k === N) k = twistAt(s);
    const hi = temper(s[k++]);
    if (k === N) k = twistAt(s);
    const lo = temper(s[k++]);
    out[i] = (hi & 0x1fffff) * TWO_POW_32 + (lo >>> 0) < threshold ? value : 0;
  }
  s[N] = k;
}
