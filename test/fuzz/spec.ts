/**
 * The fuzz suite's values, as plain data: every argument of a fuzzed call is
 * a `Spec` that can be printed (the reproducer), compared, and materialised
 * afresh for each backend (in-place ops must not leak from one backend's
 * run into the next). Tensors are filled from their own seed by a small
 * PRNG that does not depend on nnkit.
 */
import { Generator, Tensor, nn } from '../../src/index.js';
import { rng } from '../helpers/random.js';

export type DTypeName = 'float32' | 'float64' | 'int32';

/** How a tensor's values are drawn. */
export type Fill =
  | { k: 'randn'; scale?: number }
  | { k: 'rand'; lo?: number; hi?: number }
  | { k: 'int'; lo: number; hi: number }
  | { k: 'sign' }
  | { k: 'special' }
  | { k: 'const'; v: Num };

/** A number, with NaN, ±Infinity and −0 spelled so that JSON keeps them. */
export type Num = number | 'NaN' | 'Infinity' | '-Infinity' | '-0';

export type Spec =
  | {
      t: 'tensor';
      shape: number[];
      dtype: DTypeName;
      fill: Fill;
      seed: number;
      grad?: boolean;
      /** Make it a non-leaf (`x.mul(1)`), so in-place ops on it are allowed. */
      nonLeaf?: boolean;
    }
  | { t: 'num'; v: Num }
  | { t: 'json'; v: unknown }
  | { t: 'undef' }
  | { t: 'duck'; shape: number[] }
  | { t: 'typed'; kind: 'Uint8Array' | 'Float32Array' | 'Int32Array' | 'Float64Array'; n: number }
  | { t: 'opts'; v: Record<string, Spec> }
  | { t: 'list'; v: Spec[] }
  | { t: 'fn'; name: 'pairwise' | 'throws' | 'nan' | 'badShape' }
  /** A fresh `new Generator(seed)` (`new Generator()` for null). */
  | { t: 'gen'; seed: number | null }
  /** A bigint, spelled as its decimal digits (JSON has no bigints). */
  | { t: 'bigint'; v: string };

export const num = (v: number): Spec => ({ t: 'num', v: encodeNum(v) });

export function encodeNum(v: number): Num {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (Object.is(v, -0)) return '-0';
  return v;
}

export function decodeNum(v: Num): number {
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (v === '-0') return -0;
  return v;
}

/** mulberry32: a tiny seeded PRNG in [0, 1). */
export const prng = rng;

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1e30, -1e30, 88, -88, 1e-40, 3.4e38, 1, -1];

function fillValues(n: number, fill: Fill, seed: number, int: boolean): number[] {
  const r = prng(seed);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let v: number;
    switch (fill.k) {
      case 'randn': {
        const u = Math.max(r(), 1e-12);
        v = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r()) * (fill.scale ?? 1);
        break;
      }
      case 'rand':
        v = (fill.lo ?? 0) + ((fill.hi ?? 1) - (fill.lo ?? 0)) * r();
        break;
      case 'int':
        v = fill.lo + Math.floor(r() * (fill.hi - fill.lo));
        break;
      case 'sign':
        v = r() < 0.5 ? -1 : 1;
        break;
      case 'special':
        v = r() < 0.5 ? SPECIAL[Math.floor(r() * SPECIAL.length)] : (r() - 0.5) * 6;
        break;
      case 'const':
        v = decodeNum(fill.v);
        break;
    }
    out[i] = int ? (Number.isFinite(v) ? Math.trunc(v) : 0) : v;
  }
  return out;
}

/** Builds the JavaScript value a spec stands for (fresh tensors every time). */
export function materialize(s: Spec): unknown {
  switch (s.t) {
    case 'tensor': {
      const n = s.shape.reduce((p, d) => p * d, 1);
      // The suite's tensors are small or empty; a big one is a generator bug (it would be slow).
      if (n > 1 << 20) throw new Error(`fuzz: a ${n}-element tensor spec`);
      const values = fillValues(n, s.fill, s.seed, s.dtype === 'int32');
      const data =
        s.dtype === 'float32'
          ? Float32Array.from(values)
          : s.dtype === 'float64'
            ? Float64Array.from(values)
            : Int32Array.from(values);
      let t = new Tensor(data, s.shape);
      if (s.grad && s.dtype !== 'int32') t.requiresGrad_(true);
      if (s.nonLeaf && s.dtype !== 'int32') t = t.mul(1);
      return t;
    }
    case 'num':
      return decodeNum(s.v);
    case 'json':
      return structuredClone(s.v);
    case 'undef':
      return undefined;
    case 'duck':
      return { shape: s.shape, data: new Float32Array(s.shape.reduce((p, d) => p * d, 1)) };
    case 'typed': {
      const C = { Uint8Array, Float32Array, Int32Array, Float64Array }[s.kind];
      return new C(s.n);
    }
    case 'opts':
      return Object.fromEntries(Object.entries(s.v).map(([k, v]) => [k, materialize(v)]));
    case 'list':
      return s.v.map(materialize);
    case 'gen':
      return s.seed === null ? new Generator() : new Generator(s.seed);
    case 'bigint':
      return BigInt(s.v);
    case 'fn':
      switch (s.name) {
        case 'pairwise':
          return (a: Tensor, b: Tensor) => new nn.PairwiseDistance().forward(a, b);
        case 'throws':
          return () => {
            throw new Error('distanceFunction: user function failed');
          };
        case 'nan':
          // A distance function that returns NaN, or a schedule's lambda that does.
          return (a: unknown) => (a instanceof Tensor ? a.sum(-1).mul(NaN) : NaN);
        case 'badShape':
          return (a: Tensor) => a;
      }
  }
}

/** The spec as a short, readable expression for a reproducer. */
export function describe(s: Spec): string {
  switch (s.t) {
    case 'tensor': {
      const fill =
        s.fill.k === 'int'
          ? `int[${s.fill.lo},${s.fill.hi})`
          : s.fill.k === 'const'
            ? `const ${String(s.fill.v)}`
            : s.fill.k;
      return `T([${s.shape.join(',')}] ${s.dtype} ${fill} #${s.seed}${s.grad ? ' grad' : ''}${s.nonLeaf ? ' nonleaf' : ''})`;
    }
    case 'num':
      return String(s.v);
    case 'json':
      return s.v === undefined ? 'undefined' : JSON.stringify(s.v);
    case 'undef':
      return 'undefined';
    case 'duck':
      return `{ shape: [${s.shape.join(',')}], data }`;
    case 'typed':
      return `new ${s.kind}(${s.n})`;
    case 'opts':
      return `{ ${Object.entries(s.v)
        .map(([k, v]) => `${k}: ${describe(v)}`)
        .join(', ')} }`;
    case 'list':
      return `[${s.v.map(describe).join(', ')}]`;
    case 'fn':
      return `<fn ${s.name}>`;
    case 'gen':
      return `new Generator(${s.seed ?? ''})`;
    case 'bigint':
      return `${s.v}n`;
  }
}
