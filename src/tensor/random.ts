/**
 * The seeded generator behind every random number nnkit draws: PyTorch's
 * CPU generator (`CPUGeneratorImpl`), an MT19937 engine with PyTorch's
 * transforms, so that the same seed gives PyTorch's numbers —
 * `manualSeed(0); randn([3])` is `torch.manual_seed(0); torch.randn(3)`.
 * The samplers that fill tensors (rand, randn, dropout's Bernoulli, …) are
 * in `sampling.ts`; this file holds the engine and the scalar draws they
 * share.
 */
import { MT19937 } from './mt19937.js';
import { describeValue, type ParamType } from '../signature/types.js';

/** `c10::detail::default_rng_seed_val`: the seed of a new `torch.Generator()`. */
const DEFAULT_SEED = 67280421310721;

const TWO_POW_32 = 4294967296;
/** 2^-53: a 53-bit integer times this is a double in [0, 1), exactly. */
const TWO_POW_MINUS_53 = 1 / 9007199254740992;

/** A seed as PyTorch reads it: an integer in [−2^63, 2^64), negatives taken modulo 2^64. */
function seedValue(fn: string, seed: unknown): bigint {
  let s: bigint;
  if (typeof seed === 'bigint') s = seed;
  else if (typeof seed === 'number' && Number.isFinite(seed)) s = BigInt(Math.trunc(seed));
  else throw new Error(`${fn}: seed must be a finite number or a bigint, got ${String(seed)}`);
  if (s < -(2n ** 63n) || s >= 2n ** 64n) {
    throw new Error(`${fn}: seed ${s} is outside [-2^63, 2^64), the range of PyTorch's seeds`);
  }
  return BigInt.asUintN(64, s);
}

/** A fresh non-deterministic 53-bit seed (`Generator.seed()`). */
function entropySeed(): number {
  const words = new Uint32Array(2);
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint32Array) => void } }).crypto;
  if (c?.getRandomValues) c.getRandomValues(words);
  else for (let i = 0; i < 2; i++) words[i] = Math.floor(Math.random() * TWO_POW_32);
  return (words[0] & 0x1fffff) * TWO_POW_32 + words[1];
}

/**
 * A random number generator, PyTorch's CPU generator (`torch.Generator()`):
 * MT19937 seeded from the seed's low 32 bits, and PyTorch's transforms of
 * its 32-bit stream, so a seed gives PyTorch's samples. Pass one as the
 * `generator` option of `rand`, `randn`, `randint`, `randperm`; the global
 * one (`manualSeed`) serves everything else.
 *
 * `new Generator()` starts from PyTorch's default seed, 67280421310721;
 * `new Generator(seed)` is `new Generator().manualSeed(seed)`.
 *
 * Matches `torch.Generator` (CPU).
 * @example
 * ```ts
 * import { Generator, rand } from 'nnkit';
 * const g = new Generator().manualSeed(0);
 * console.log(rand([3], { generator: g })); // tensor([0.4963, 0.7682, 0.0885])
 * console.log(g.initialSeed()); // 0
 * ```
 */
export class Generator {
  private readonly engine: MT19937;
  private initial: bigint = 0n;
  /** The second value of the last Box–Muller pair (`next_double_normal_sample`), or null. */
  private spareNormal: number | null = null;

  /**
   * Creates a generator seeded with `seed`, like `torch.Generator().manual_seed(seed)`.
   *
   * @param seed - An integer (number or bigint), as {@link Generator.manualSeed} takes. Default PyTorch's, 67280421310721.
   */
  constructor(seed: number | bigint = DEFAULT_SEED) {
    this.engine = new MT19937(0);
    this.manualSeed(seed);
  }

  /**
   * Re-seeds the generator and returns it; the same seed gives the same
   * stream. Any integer in [−2^63, 2^64) (a fraction is truncated, a negative
   * seed taken modulo 2^64, as PyTorch does); only its low 32 bits reach
   * MT19937. Matches `torch.Generator.manual_seed`.
   */
  manualSeed(seed: number | bigint): this {
    const s = seedValue('manualSeed', seed);
    this.initial = s;
    this.engine.seed(Number(s & 0xffffffffn));
    this.spareNormal = null;
    return this;
  }

  /**
   * The seed given last (a number; exact below 2^53). Matches
   * `torch.Generator.initial_seed`.
   */
  initialSeed(): number {
    return Number(this.initial);
  }

  /**
   * Re-seeds from a non-deterministic source (the platform's
   * `crypto.getRandomValues`) and returns the new seed. Matches
   * `torch.Generator.seed`.
   */
  seed(): number;
  seed(...args: unknown[]): number {
    if (args.length > 0) {
      throw new Error('Generator.seed: takes no argument; use manualSeed(seed) to set a seed');
    }
    const s = entropySeed();
    this.manualSeed(s);
    return s;
  }

  /** A copy of the generator in its current state (`torch.Generator.get_state`, as an object). */
  clone(): Generator {
    const g = new Generator();
    g.setState(this);
    return g;
  }

  /** Puts this generator in `other`'s state (`torch.Generator.set_state`). */
  setState(other: Generator): this {
    if (!(other instanceof Generator)) {
      throw new Error(
        `Generator.setState: expects a Generator (a state saved with clone()), got ${describeValue(other)}`,
      );
    }
    this.engine.copyFrom(other.engine);
    this.initial = other.initial;
    this.spareNormal = other.spareNormal;
    return this;
  }

  /** The next 32-bit word of the stream (PyTorch's `random()`), an unsigned integer. */
  nextUint32(): number {
    return this.engine.nextUint32();
  }

  /**
   * Fills `out` with PyTorch's uniforms in [0, 1): 53-bit doubles (two words
   * each) with `bits53`, else 24-bit floats (one word each).
   */
  fillUniform(out: Float32Array | Float64Array, bits53: boolean): void {
    this.engine.fillUniform(out, bits53);
  }

  /**
   * The engine as one Int32Array of 625 words (the MT19937 state, then the
   * read position), which the `bernoulliMask` kernels of every backend read
   * and advance. For nnkit's samplers; writing it corrupts the stream.
   * @internal
   */
  _engineState(): Int32Array {
    return this.engine.state;
  }

  /**
   * Uniform in [0, 1) with 53 random bits, PyTorch's
   * `uniform_real_distribution<double>(0, 1)`: two words, the first one high
   * (`random64()`), its low 53 bits over 2^53.
   */
  uniform(): number {
    const hi = this.engine.nextUint32() & 0x1fffff;
    const lo = this.engine.nextUint32();
    return (hi * TWO_POW_32 + lo) * TWO_POW_MINUS_53;
  }

  /**
   * A standard normal sample, PyTorch's `normal_distribution<double>`:
   * Box–Muller on two doubles `u1, u2`, `r = √(−2 log(1 − u2))`, returning
   * `r cos(2πu1)` and keeping `r sin(2πu1)` for the next call (which
   * `manualSeed` forgets, as PyTorch's does).
   */
  normal(): number {
    const spare = this.spareNormal;
    if (spare !== null) {
      this.spareNormal = null;
      return spare;
    }
    const u1 = this.uniform();
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log1p(-u2));
    const theta = 2 * Math.PI * u1;
    this.spareNormal = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /**
   * A uniform integer in [low, high), PyTorch's `random_(from, to)`: one
   * word modulo the range (two words when the range reaches 2^32), so the
   * stream and its slight modulo bias are PyTorch's.
   */
  integer(low: number, high: number): number {
    const range = high - low;
    if (range < TWO_POW_32) return low + (this.engine.nextUint32() % range);
    const hi = BigInt(this.engine.nextUint32());
    const lo = BigInt(this.engine.nextUint32());
    return low + Number(((hi << 32n) | lo) % BigInt(range));
  }
}

/** The `generator` parameter of PyTorch's samplers: a {@link Generator}, or null for the global one. */
export const generatorType: ParamType<Generator | null> = {
  ts: 'Generator | null',
  py: 'Optional[torch.Generator]',
  validate: (v) => (v === null || v instanceof Generator ? null : 'a Generator or null'),
};

/** The default generator that every random function uses unless given one. */
export const defaultGenerator = new Generator();

/**
 * Seeds nnkit's global random generator, like `torch.manual_seed`: the same
 * seed gives PyTorch's numbers, from `randn` to `nn.Linear`'s initial
 * weights and dropout's masks. Returns the global {@link Generator}.
 * @example
 * ```ts
 * import { manualSeed, randn } from 'nnkit';
 * manualSeed(0);
 * const a = randn([3]);
 * console.log(a); // tensor([ 1.5410, -0.2934, -2.1788])
 * manualSeed(0);
 * console.log(randn([3]).eq(a)); // tensor([1, 1, 1], dtype=torch.int32)
 * ```
 * @param seed - An integer (number or bigint) in [−2^63, 2^64); a fraction is truncated, a negative taken modulo 2^64.
 */
export function manualSeed(seed: number | bigint): Generator {
  return defaultGenerator.manualSeed(seed);
}

/**
 * The seed given last to the global generator (`torch.initial_seed`).
 * @example
 * ```ts
 * import { manualSeed, initialSeed } from 'nnkit';
 * manualSeed(7);
 * console.log(initialSeed()); // 7
 * ```
 */
export function initialSeed(): number {
  return defaultGenerator.initialSeed();
}
