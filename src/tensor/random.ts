/**
 * The global seeded generator behind `rand`, `randn`, `randint`, dropout-like
 * sampling (rrelu) and parameter initialisation. xoshiro128** seeded through
 * splitmix32: fast, 2^128 period, and reproducible across platforms. The
 * streams differ from PyTorch's (which uses mt19937 and its own transforms);
 * only the distributions match.
 */
export class Generator {
  /**
   * xoshiro128**'s four 32-bit words, as int32 bits: in a typed array they
   * stay raw machine words, where object fields holding values ≥ 2^30 would
   * be boxed numbers (a 4× slower draw, measured).
   */
  private readonly s = new Int32Array(4);
  private spareNormal: number | null = null;

  constructor(seed = 0) {
    this.seed(seed);
  }

  /** Re-seeds the generator; the same seed gives the same stream. */
  seed(seed: number): void {
    let x = (Math.floor(seed) ^ Math.floor(seed / 4294967296)) >>> 0;
    const next = (): number => {
      // splitmix32
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    for (let k = 0; k < 4; k++) this.s[k] = next();
    this.spareNormal = null;
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const s1 = s[1];
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s[2] ^= s[0];
    s[3] ^= s1;
    s[1] = s1 ^ s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 11) | (s[3] >>> 21);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal by the Box–Muller transform (pairs are cached). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /**
   * Fills `out` with Bernoulli draws: `value` with probability `p`, else 0,
   * one 32-bit draw per element (the stream `nextUint32` gives), kept when
   * it is below `p · 2^32`. The generator's state is held in locals for the
   * loop: dropout draws one per element, millions a step.
   */
  fillBernoulli(out: Float32Array | Float64Array, p: number, value: number): void {
    const threshold = p * 4294967296;
    const s = this.s;
    let s0 = s[0];
    let s1 = s[1];
    let s2 = s[2];
    let s3 = s[3];
    for (let i = 0; i < out.length; i++) {
      // xoshiro128** as in nextUint32, on int32 registers (the bits are the same).
      const m = Math.imul(s1, 5);
      const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      out[i] = result < threshold ? value : 0;
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
  }

  /** A uniform integer in [low, high). */
  integer(low: number, high: number): number {
    return low + Math.floor(this.uniform() * (high - low));
  }
}

/** The default generator that every random function uses. */
export const defaultGenerator = new Generator(0x5eed);

/**
 * Seeds nnkit's global random generator, like `torch.manual_seed`.
 * @example
 * ```ts
 * import { manualSeed, randn } from 'nnkit';
 * manualSeed(42);
 * const a = randn([3]);
 * manualSeed(42);
 * const b = randn([3]);
 * console.log(a.eq(b)); // tensor([1, 1, 1], dtype=torch.int32)
 * ```
 */
export function manualSeed(seed: number): void {
  if (!Number.isFinite(seed))
    throw new Error(`manualSeed: seed must be a finite number, got ${seed}`);
  defaultGenerator.seed(seed);
}
