/**
 * Generators for the APIs added after the first fuzz suite: the reductions
 * and sorts among the tensor methods (`var`, `std`, `prod`, `cumsum`,
 * `sort`, `argsort`, `topk`, `split`, `unbind`), `sin`/`cos`/`round`, the
 * int32 forms of `neg`/`abs`/`clamp`, `x.softmax(dim, dtype)`,
 * `nn.MultiheadAttention`, and the containers' integer indexing. Each case
 * carries `check`: what test/fuzz/checks.ts verifies about a result beyond
 * the cross-backend comparison (sortedness, permutations, a float64
 * recomputation, ...).
 */
import type { Case, Expect } from './cases.js';
import type { G } from './gen.js';
import { num, type DTypeName, type Fill, type Spec } from './spec.js';
import type { RandomCheck } from './cases-random.js';

type TensorSpec = Extract<Spec, { t: 'tensor' }>;

/** What the checker needs to know about a call, already resolved from its arguments. */
export type Check =
  | { k: 'varStd'; fn: 'var' | 'std'; dims: number[] | null; correction: number; keepdim: boolean }
  | { k: 'prod'; dim: number | null; keepdim: boolean }
  | { k: 'cumsum'; dim: number }
  | { k: 'unary'; fn: 'sin' | 'cos' | 'round' | 'neg' | 'abs' }
  | { k: 'clamp'; min: number | null; max: number | null }
  | { k: 'sort'; fn: 'sort' | 'argsort'; dim: number; descending: boolean; stable: boolean }
  | { k: 'topk'; count: number; dim: number; largest: boolean; sorted: boolean }
  | { k: 'split'; sizes: number[]; dim: number }
  | { k: 'unbind'; dim: number }
  | { k: 'softmax'; dim: number; dtype: DTypeName }
  | { k: 'mha'; weights: 'none' | 'avg' | 'heads'; exact: boolean; embedDim: number }
  | { k: 'container' }
  | RandomCheck;

/** A dim in range for `rank` (a 0-d tensor has dims 0 and −1), normalised, or null if out of range. */
function norm(d: number, rank: number): number | null {
  const m = Math.max(rank, 1);
  if (!Number.isInteger(d) || d < -m || d >= m) return null;
  return d < 0 ? d + m : d;
}

/** The trailing options object of a call, or nothing when every value is positional. */
function withOpts(args: Spec[], named: Record<string, Spec>): Spec[] {
  return Object.keys(named).length ? [...args, { t: 'opts', v: named }] : args;
}

/** Places the values of `order` positionally up to a random cut, the rest by name. */
function bind(
  g: G,
  order: [string, Spec | undefined][],
  kwOnly: Record<string, Spec> = {},
): Spec[] {
  // Positional up to the first omitted parameter (a gap can only be filled by name).
  let cut = order.findIndex(([, v]) => v === undefined);
  if (cut < 0) cut = order.length;
  cut = g.int(0, cut);
  const args: Spec[] = [];
  const named: Record<string, Spec> = { ...kwOnly };
  order.forEach(([n, v], i) => {
    if (v === undefined) return;
    if (i < cut) args.push(v);
    else named[n] = v;
  });
  return withOpts(args, named);
}

const bool = (v: boolean): Spec => ({ t: 'json', v });

/** The new tensor methods, with valid and hostile arguments. */
export function newMethodCase(g: G): Case {
  const dtype: DTypeName = g.bool(0.6) ? 'float32' : g.bool() ? 'float64' : 'int32';
  const hugeEmpty = g.bool(0.07);
  const shape = hugeEmpty ? g.hugeEmptyShape() : g.shape();
  const fill =
    dtype === 'int32'
      ? g.pick([
          { k: 'int', lo: -5, hi: 5 } as const,
          { k: 'int', lo: -(2 ** 31), hi: 2 ** 31 - 1 } as const,
          { k: 'const', v: -(2 ** 31) } as const,
        ])
      : g.bool(0.3)
        ? // Few distinct values: ties for the sorts.
          ({ k: 'int', lo: -2, hi: 3 } as const)
        : g.floatFill();
  const self: TensorSpec = { t: 'tensor', shape, dtype, fill, seed: g.seed() };
  if (dtype !== 'int32' && g.bool(0.5)) self.grad = true;
  const rank = shape.length;
  const m = Math.max(rank, 1);
  const size = shape.reduce((p, d) => p * d, 1);
  /** A dim: mostly valid, sometimes out of range, fractional, NaN or not a number. */
  const dimArg = (): { spec: Spec; d: number | null; wrongType: boolean } => {
    if (g.bool(0.85)) {
      const d = g.int(-m, m - 1);
      return { spec: num(d), d: norm(d, rank), wrongType: false };
    }
    if (g.bool(0.7)) {
      const d = g.pick([m, -m - 1, 1.5, NaN, Infinity, 2 ** 31, -(2 ** 53)]);
      return { spec: num(d), d: null, wrongType: !Number.isInteger(d) };
    }
    // Not `[1]`, `null` or `true`: var and std take a list of dims, null (every dim) and unbiased there.
    return {
      spec: g.pick<Spec>([
        { t: 'json', v: '1' },
        { t: 'json', v: 'abc' },
        { t: 'json', v: { v: 1 } },
      ]),
      d: null,
      wrongType: true,
    };
  };
  const make = (
    name: string,
    args: Spec[],
    expect: Expect,
    check?: Check,
    why?: string,
    names = [name],
  ): Case => ({
    target: `T.${name}`,
    self,
    args,
    expect: hugeEmpty && expect === 'ok' ? 'either' : expect,
    why,
    names,
    backward: true,
    ...(check ? { check } : {}),
  });
  const name = g.pick([
    'var',
    'std',
    'prod',
    'cumsum',
    'sin',
    'cos',
    'round',
    'neg',
    'abs',
    'clamp',
    'sort',
    'argsort',
    'topk',
    'split',
    'unbind',
    'softmax',
  ]);
  const int = dtype === 'int32';
  switch (name) {
    case 'var':
    case 'std': {
      const form = g.int(0, 5);
      if (form === 0) {
        // var(unbiased): over every element.
        const unbiased = g.bool();
        const extra = g.bool(0.1);
        return make(
          name,
          extra ? [bool(unbiased), bool(true)] : [bool(unbiased)],
          extra || int ? 'error' : 'ok',
          { k: 'varStd', fn: name, dims: null, correction: unbiased ? 1 : 0, keepdim: false },
          extra ? 'a boolean first argument takes no other' : int ? 'an int32 input' : undefined,
        );
      }
      let dims: number[] | null = null;
      let dimSpec: Spec | undefined;
      let bad: string | undefined;
      let either = false;
      const r = g.int(0, 5);
      if (r === 0) {
        dimSpec = g.bool() ? undefined : { t: 'json', v: null };
      } else if (r <= 3) {
        const a = dimArg();
        dimSpec = a.spec;
        if (a.d === null) bad = 'a dim out of range or not an integer';
        else dims = [a.d];
      } else {
        const list = Array.from({ length: g.int(0, Math.min(rank, 3)) }, () => g.int(-m, m - 1));
        if (g.bool(0.15)) list.push(g.pick([m, 1.5]));
        dimSpec = { t: 'json', v: list };
        const normed = list.map((d) => norm(d, rank));
        if (normed.some((d) => d === null)) bad = 'a dim out of range';
        else if (new Set(normed).size !== normed.length) bad = 'a dim given twice';
        else dims = list.length ? (normed as number[]) : null;
      }
      const keepdim = g.bool(0.4) ? g.bool() : undefined;
      let correction = 1;
      let unbiased: boolean | undefined;
      let corr: Spec | undefined;
      if (g.bool(0.4)) {
        unbiased = g.bool();
        correction = unbiased ? 1 : 0;
      }
      if (g.bool(0.35)) {
        const c = g.pick<number | null>([0, 1, 2, 5, null, -1, 1.5, NaN, 1e20]);
        corr = c === null ? { t: 'json', v: null } : num(c);
        if (c === null) {
          // correction=None is the default.
        } else if (!Number.isSafeInteger(c)) {
          bad = 'correction not an integer';
        } else if (unbiased !== undefined) {
          bad = 'both unbiased and correction';
        } else {
          correction = c;
          // PyTorch 1.13 takes a negative correction (N − c > N); nnkit may refuse it.
          if (c < 0) either = true;
        }
      }
      if (g.bool(0.05)) {
        bad = 'an unknown option';
        corr = corr ?? num(1);
      }
      const args = bind(
        g,
        [
          ['dim', dimSpec],
          ['unbiased', unbiased === undefined ? undefined : bool(unbiased)],
          ['keepdim', keepdim === undefined ? undefined : bool(keepdim)],
        ],
        {
          ...(corr ? { correction: corr } : {}),
          ...(bad === 'an unknown option' ? { bogus: num(1) } : {}),
        },
      );
      // An omitted dim before a given unbiased: bind() names the later ones, so the call is valid.
      let expect: Expect = bad || int ? 'error' : either ? 'either' : 'ok';
      // A result of a huge empty shape is refused (too many elements), as PyTorch cannot allocate it.
      if (size === 0 && expect === 'ok') expect = 'either';
      return make(
        name,
        args,
        expect,
        { k: 'varStd', fn: name, dims, correction, keepdim: keepdim ?? false },
        bad ?? (int ? 'an int32 input' : undefined),
      );
    }
    case 'prod': {
      if (g.bool(0.3)) {
        const kd = g.bool(0.15);
        return make(
          name,
          kd ? [{ t: 'opts', v: { keepdim: bool(true) } }] : [],
          kd ? 'error' : 'ok',
          { k: 'prod', dim: null, keepdim: false },
          kd ? 'keepdim without a dim' : undefined,
        );
      }
      const a = dimArg();
      const keepdim = g.bool(0.5) ? g.bool() : undefined;
      const args = bind(g, [
        ['dim', a.spec],
        ['keepdim', keepdim === undefined ? undefined : bool(keepdim)],
      ]);
      return make(
        name,
        args,
        a.d === null ? 'error' : size === 0 ? 'either' : 'ok',
        { k: 'prod', dim: a.d ?? 0, keepdim: keepdim ?? false },
        a.d === null ? 'a bad dim' : undefined,
      );
    }
    case 'cumsum': {
      if (g.bool(0.05)) return make(name, [], 'error', undefined, 'the dim is missing');
      const a = dimArg();
      return make(
        name,
        g.bool(0.8) ? [a.spec] : [{ t: 'opts', v: { dim: a.spec } }],
        a.d === null ? 'error' : 'ok',
        { k: 'cumsum', dim: a.d ?? 0 },
        a.d === null ? 'a bad dim' : undefined,
      );
    }
    case 'sin':
    case 'cos':
    case 'neg':
    case 'abs': {
      const extra = g.bool(0.05);
      return make(
        name,
        extra ? [num(1)] : [],
        extra ? 'error' : 'ok',
        { k: 'unary', fn: name },
        extra ? 'an argument to a method that takes none' : undefined,
      );
    }
    case 'round': {
      const r = g.int(0, 5);
      if (r <= 1) return make(name, [], 'ok', { k: 'unary', fn: 'round' });
      if (r === 2)
        // decimals is keyword-only.
        return make(name, [num(g.int(-2, 3))], 'error', undefined, 'decimals by position');
      const d = g.bool(0.8) ? g.int(-3, 4) : g.pick([1.5, NaN, 400, -400, 2 ** 31]);
      const bad = !Number.isSafeInteger(d);
      const v: Spec = g.bool(0.9) ? num(d) : g.notNumber();
      const wrong = v.t !== 'num' || bad;
      return make(
        name,
        [{ t: 'opts', v: { decimals: v } }],
        wrong ? 'error' : int && d !== 0 ? 'either' : 'ok',
        d === 0 && !wrong ? { k: 'unary', fn: 'round' } : undefined,
        wrong ? 'decimals not an integer' : undefined,
      );
    }
    case 'clamp': {
      // int32 bounds (and, sometimes, a fractional or non-finite one).
      const bound = (): number | null =>
        g.bool(0.15)
          ? null
          : g.bool(0.8)
            ? g.int(-6, 6)
            : g.pick([2.5, -0.5, Infinity, -Infinity, NaN, 2 ** 31, -(2 ** 31) - 1, 2 ** 31 - 1]);
      const lo = bound();
      const hi = bound();
      const spec = (b: number | null): Spec => (b === null ? { t: 'json', v: null } : num(b));
      const args = g.bool(0.7)
        ? [spec(lo), spec(hi)]
        : [{ t: 'opts', v: { ...(lo !== null ? { min: spec(lo) } : {}), max: spec(hi) } } as Spec];
      const none = lo === null && hi === null;
      const nan = Number.isNaN(lo) || Number.isNaN(hi);
      const integral = (b: number | null) => b === null || Number.isSafeInteger(b);
      const overflow = [lo, hi].some(
        (b) => b !== null && Number.isSafeInteger(b) && (b < -(2 ** 31) || b >= 2 ** 31),
      );
      const expect: Expect =
        none || nan ? 'error' : int && overflow && integral(lo) && integral(hi) ? 'error' : 'ok';
      return make(
        name,
        args,
        expect,
        { k: 'clamp', min: lo, max: hi },
        none
          ? 'no bound'
          : nan
            ? 'a NaN bound'
            : expect === 'error'
              ? 'a bound beyond int32'
              : undefined,
      );
    }
    case 'sort':
    case 'argsort': {
      const a = g.bool(0.2) ? null : dimArg();
      const descending = g.bool(0.5) ? g.bool() : undefined;
      const stable = g.bool(0.3) ? g.bool() : undefined;
      let bad: string | undefined = a && a.d === null ? 'a bad dim' : undefined;
      let args = bind(
        g,
        [
          ['dim', a?.spec],
          ['descending', descending === undefined ? undefined : bool(descending)],
        ],
        stable === undefined ? {} : { stable: bool(stable) },
      );
      if (stable !== undefined && g.bool(0.1)) {
        // stable is keyword-only.
        args = [a?.spec ?? num(-1), bool(descending ?? false), bool(stable)];
        bad = 'stable by position';
      }
      const d = a ? a.d : norm(-1, rank);
      return make(
        name,
        args,
        bad ? 'error' : 'ok',
        {
          k: 'sort',
          fn: name,
          dim: d ?? 0,
          descending: descending ?? false,
          stable: stable ?? false,
        },
        bad,
      );
    }
    case 'topk': {
      const a = g.bool(0.3) ? null : dimArg();
      const d = a ? a.d : norm(-1, rank);
      const n = d === null ? 0 : rank === 0 ? 1 : shape[d];
      const kv = g.bool(0.85)
        ? g.int(0, Math.min(n, 6))
        : g.pick([n + 1, -1, 1.5, NaN, 2 ** 31, Infinity]);
      const kSpec: Spec = g.bool(0.95) ? num(kv) : g.notNumber();
      const largest = g.bool(0.5) ? g.bool() : undefined;
      const sorted = g.bool(0.4) ? g.bool() : undefined;
      const args = bind(g, [
        ['k', kSpec],
        ['dim', a?.spec],
        ['largest', largest === undefined ? undefined : bool(largest)],
        ['sorted', sorted === undefined ? undefined : bool(sorted)],
      ]);
      const badK = kSpec.t !== 'num' || !Number.isInteger(kv) || kv < 0 || kv > n;
      const bad = d === null ? 'a bad dim' : badK ? 'k out of range' : undefined;
      return make(
        name,
        args,
        bad ? 'error' : 'ok',
        { k: 'topk', count: kv, dim: d ?? 0, largest: largest ?? true, sorted: sorted ?? true },
        bad,
      );
    }
    case 'split': {
      const a = g.bool(0.2) ? null : dimArg();
      const d = a ? a.d : norm(0, rank);
      const n = d === null || rank === 0 ? 0 : shape[d];
      // A huge dim split in pieces of 1 would be 2^40 views: PyTorch would not finish either.
      const huge = n > 64;
      let sizes: number[] = [];
      let spec: Spec;
      let bad: string | undefined;
      if (g.bool(0.5)) {
        const s = g.bool(0.85)
          ? huge
            ? n
            : g.int(n === 0 ? 0 : 1, Math.max(n + 1, 1))
          : g.pick([0, -1, 1.5, NaN, 2 ** 31, Infinity]);
        // Not a number, and not a list either (a list of sizes is the other valid form).
        const other = g.notNumber();
        spec = g.bool(0.95) || (other.t === 'json' && Array.isArray(other.v)) ? num(s) : other;
        if (spec.t !== 'num' || !Number.isInteger(s)) bad = 'splitSize not an integer';
        else if (s < 0) bad = 'a negative splitSize';
        else if (s === 0 && n !== 0) bad = 'splitSize 0 of a non-empty dim';
        else if (s === 0) sizes = [0];
        else
          sizes = Array.from({ length: Math.max(1, Math.ceil(n / s)) }, (_v, i) =>
            Math.max(0, Math.min(s, n - i * s)),
          );
      } else {
        const parts: number[] = [];
        if (huge) parts.push(n);
        else {
          let left = n;
          while (left > 0) {
            const p = g.int(0, left);
            parts.push(p);
            left -= p;
          }
          if (g.bool(0.3)) parts.splice(g.int(0, parts.length), 0, 0);
        }
        const mut = g.int(0, 9);
        if (mut === 0) parts.push(1);
        if (mut === 1 && parts.length) parts[0] = -1;
        if (mut === 2) parts.push(1.5);
        spec = { t: 'json', v: parts };
        if (mut === 2) bad = 'a fractional size';
        else if (parts.some((p) => p < 0)) bad = 'a negative size';
        else if (parts.reduce((x, y) => x + y, 0) !== n) bad = 'sizes that do not sum to the dim';
        sizes = parts;
      }
      if (rank === 0) bad = bad ?? 'a 0-d tensor';
      if (a && a.d === null) bad = 'a bad dim';
      const args = bind(g, [
        ['splitSize', spec],
        ['dim', a?.spec],
      ]);
      return make(name, args, bad ? 'error' : 'ok', { k: 'split', sizes, dim: d ?? 0 }, bad);
    }
    case 'unbind': {
      const a = g.bool(0.2) ? null : dimArg();
      const d = a ? a.d : norm(0, rank);
      if (rank > 0 && d !== null && shape[d] > 64) {
        // 2^40 slices: not a call anyone can finish; unbind the empty dim instead.
        const z = shape.indexOf(0);
        return make(name, [num(z)], 'ok', { k: 'unbind', dim: z });
      }
      const bad = rank === 0 ? 'a 0-d tensor' : d === null ? 'a bad dim' : undefined;
      return make(
        name,
        a ? (g.bool(0.8) ? [a.spec] : [{ t: 'opts', v: { dim: a.spec } }]) : [],
        bad ? 'error' : 'ok',
        { k: 'unbind', dim: d ?? 0 },
        bad,
      );
    }
    default: {
      // x.softmax(dim, dtype): dtype by position, as PyTorch's method.
      const a = dimArg();
      const dt = g.pick<unknown>(['float32', 'float64', 'float64', 'int32', 'int64', null, 3]);
      const how = g.int(0, 4);
      let args: Spec[];
      let bad: string | undefined = a.d === null ? 'a bad dim' : undefined;
      const dtSpec: Spec = { t: 'json', v: dt };
      if (how <= 2) args = [a.spec, dtSpec];
      else if (how === 3) args = [a.spec, { t: 'opts', v: { dtype: dtSpec } }];
      else {
        args = [a.spec, dtSpec, { t: 'opts', v: { dtype: dtSpec } }];
        bad = bad ?? 'dtype given twice';
      }
      const floatDt = dt === 'float32' || dt === 'float64';
      // Only a string moves into the options: dtype null or 3 by position is a wrong _stacklevel (either).
      if (!bad && typeof dt === 'string' && !floatDt) bad = `dtype ${dt}`;
      const ok = !bad && floatDt;
      let expect: Expect = bad ? 'error' : ok ? 'ok' : 'either';
      // PyTorch 1.13 has no integer softmax: an int32 input needs a floating dtype.
      if (int && !ok) expect = bad ? 'error' : 'either';
      return make(
        'softmax',
        args,
        expect,
        ok ? { k: 'softmax', dim: a.d as number, dtype: dt as DTypeName } : undefined,
        bad,
      );
    }
  }
}

/** nn.MultiheadAttention: a random configuration, random valid and invalid inputs and masks. */
export function mhaCase(g: G): Case {
  const dtype: DTypeName = g.bool(0.8) ? 'float32' : 'float64';
  const H = g.int(1, 3);
  const E = H * g.int(1, 3);
  const kdim = g.bool(0.3) ? g.int(1, 5) : null;
  const vdim = g.bool(0.3) ? g.int(1, 5) : null;
  const dropout = g.bool(0.2) ? g.pick([0.1, 0.5, 1]) : 0;
  const bias = g.bool(0.8);
  const addBiasKv = g.bool(0.2);
  const addZeroAttn = g.bool(0.2);
  const batchFirst = g.bool(0.4);
  const train = g.bool(0.3);
  let expect: Expect = 'ok';
  let why: string | undefined;
  const error = (reason: string): void => {
    if (expect !== 'error') why = reason;
    expect = 'error';
  };
  const either = (): void => {
    if (expect === 'ok') expect = 'either';
  };
  // ---- constructor
  const ctorVals: [string, Spec][] = [
    ['embedDim', num(E)],
    ['numHeads', num(H)],
    ['dropout', num(dropout)],
    ['bias', bool(bias)],
    ['addBiasKv', bool(addBiasKv)],
    ['addZeroAttn', bool(addZeroAttn)],
    ['kdim', kdim === null ? { t: 'json', v: null } : num(kdim)],
    ['vdim', vdim === null ? { t: 'json', v: null } : num(vdim)],
    ['batchFirst', bool(batchFirst)],
  ];
  const ctorMut = g.bool(0.15) ? g.int(0, 8) : -1;
  if (ctorMut === 0) {
    ctorVals[1][1] = num(E + 1 === H ? H + 1 : g.pick([E + 1, 0, -1, 1.5, NaN]));
    error('numHeads does not divide embedDim or is not positive');
    if (E % (E + 1) === 0) expect = 'either';
  } else if (ctorMut === 1) {
    ctorVals[0][1] = g.pick<Spec>([num(0), num(-4), num(2.5), num(Infinity), g.notNumber()]);
    error('a bad embedDim');
  } else if (ctorMut === 2) {
    ctorVals[2][1] = g.pick<Spec>([num(-0.1), num(1.5), num(NaN), g.notNumber()]);
    error('a dropout outside [0, 1]');
  } else if (ctorMut === 3) {
    ctorVals[g.int(3, 5)][1] = g.pick<Spec>([num(1), { t: 'json', v: 'yes' }]);
    error('a flag that is not a boolean');
  } else if (ctorMut === 4) {
    ctorVals[g.int(6, 7)][1] = g.pick<Spec>([num(-1), num(1.5), { t: 'json', v: '3' }]);
    error('a bad kdim or vdim');
  }
  if (ctorMut === 8) {
    // Parameters of more than 2^32 bytes: PyTorch cannot allocate them either.
    if (g.bool()) ctorVals[0][1] = num(g.pick([2 ** 16, 2 ** 20, 2 ** 30]));
    else ctorVals[g.int(6, 7)][1] = num(g.pick([2 ** 31, 2 ** 40]));
    error('parameters too big to allocate');
  }
  const cut = g.int(2, ctorVals.length);
  const ctorNamed: Record<string, Spec> = {};
  for (const [n, v] of ctorVals.slice(cut)) ctorNamed[n] = v;
  if (dtype !== 'float32' || g.bool(0.2)) ctorNamed.dtype = { t: 'json', v: dtype };
  if (ctorMut === 5) {
    ctorNamed.dtype = { t: 'json', v: g.pick(['int32', 'float16', 'int64']) };
    error('a non-float dtype');
  }
  if (ctorMut === 6) {
    ctorNamed.bogus = num(1);
    error('an unknown option');
  }
  const ctor: Spec[] = [
    ...ctorVals.slice(0, cut).map(([, v]) => v),
    ...(Object.keys(ctorNamed).length ? [{ t: 'opts', v: ctorNamed } as Spec] : []),
  ];
  if (ctorMut === 7) {
    // dtype is keyword-only (PyTorch's device comes before it).
    ctor.splice(cut, ctor.length - cut, ...ctorVals.slice(cut).map(([, v]) => v));
    ctor.push({ t: 'json', v: dtype });
    error('dtype by position');
  }
  // ---- inputs
  const batched = g.bool(0.75);
  const N = g.int(1, 3);
  const L = g.int(1, 4);
  const selfAttn = kdim === null && vdim === null && g.bool(0.3);
  // Self-attention passes the query as key and value: one sequence length.
  const S = selfAttn ? L : g.int(1, 4);
  let inputBad: string | undefined;
  const inErr = (reason: string): void => {
    inputBad = reason;
  };
  const kd = kdim ?? E;
  const vd = vdim ?? E;
  const shp = (len: number, f: number): number[] =>
    batched ? (batchFirst ? [N, len, f] : [len, N, f]) : [len, f];
  const grad = g.bool(0.6);
  // No overflowing values: a float32 projection of 1e30s overflows in the GEMM, whose summation
  // order decides between ±Infinity and NaN (known.ts, matmul-inf-times-zero; seed 2026, case 17813).
  const t = (
    s: number[],
    fill: Fill = g.bool(0.1)
      ? g.pick<Fill>([
          { k: 'const', v: 0 },
          { k: 'randn', scale: 10 },
          { k: 'int', lo: -2, hi: 3 },
        ])
      : { k: 'randn' },
  ): TensorSpec => ({
    t: 'tensor',
    shape: s,
    dtype,
    fill,
    seed: g.seed(),
    ...(grad ? { grad: true } : {}),
  });
  const q = t(shp(L, E));
  const k = t(shp(S, kd));
  const v = t(shp(S, vd));
  const inMut = g.bool(0.2) ? g.int(0, 6) : -1;
  if (inMut === 0) {
    q.shape = g.pick([[E], [1, 1, L, E], []]);
    k.shape = [...q.shape.slice(0, -1), kd];
    v.shape = [...q.shape.slice(0, -1), vd];
    inErr('a query of rank other than 2 or 3');
  } else if (inMut === 1) {
    const which = g.pick([q, k, v]);
    which.shape = [...which.shape.slice(0, -1), which.shape[which.shape.length - 1] + 1];
    inErr('a feature size that is not the module’s');
  } else if (inMut === 2 && batched) {
    k.shape = shp(S + 1, kd);
    inErr('key and value of different lengths');
  } else if (inMut === 3 && batched) {
    q.shape = batchFirst ? [N + 1, L, E] : [L, N + 1, E];
    inErr('query and key of different batch sizes');
  } else if (inMut === 4) {
    g.pick([q, k, v]).dtype = dtype === 'float32' ? 'float64' : 'float32';
    inErr('an input of another dtype than the module');
  } else if (inMut === 5) {
    // Zero-length sequences: PyTorch gives empty outputs (or NaN rows for an empty key).
    if (g.bool()) q.shape = shp(0, E);
    else {
      k.shape = shp(0, kd);
      v.shape = shp(0, vd);
    }
    either();
  } else if (inMut === 6 && batched) {
    q.shape = shp(L, E).map((d, i) => (i === (batchFirst ? 0 : 1) ? 0 : d));
    k.shape = shp(S, kd).map((d, i) => (i === (batchFirst ? 0 : 1) ? 0 : d));
    v.shape = shp(S, vd).map((d, i) => (i === (batchFirst ? 0 : 1) ? 0 : d));
    either();
  }
  if (inputBad) {
    // Self-attention replaces key and value by the query: a mutation of them may not apply.
    if (selfAttn && inMut >= 1) either();
    else error(inputBad);
  }
  // ---- masks
  const mask = (s: number[]): TensorSpec =>
    g.bool(0.6)
      ? { t: 'tensor', shape: s, dtype: 'int32', fill: { k: 'int', lo: 0, hi: 2 }, seed: g.seed() }
      : {
          t: 'tensor',
          shape: s,
          dtype,
          fill: g.bool(0.7) ? { k: 'randn' } : { k: 'const', v: g.pick(['-Infinity', 0] as const) },
          seed: g.seed(),
        };
  let kpm: Spec | undefined;
  let attn: Spec | undefined;
  if (g.bool(0.35)) kpm = mask(batched ? [N, S] : [S]);
  if (g.bool(0.35)) attn = mask(g.bool() ? [L, S] : [(batched ? N : 1) * H, L, S]);
  const isFloat = (s: Spec | undefined) => s?.t === 'tensor' && s.dtype !== 'int32';
  const maskMut = g.bool(0.15) ? g.int(0, 4) : -1;
  if (maskMut === 0) {
    kpm = mask(batched ? [N, S + 1] : [S, 1]);
    error('a keyPaddingMask of the wrong shape');
  } else if (maskMut === 1) {
    attn = mask(g.pick([[L + 1, S], [S], [1, 1, L, S], [H * N + 1, L, S]]));
    error('an attnMask of the wrong shape');
  } else if (maskMut === 2) {
    const m2 = mask(batched ? [N, S] : [S]);
    m2.dtype = dtype === 'float32' ? 'float64' : 'float32';
    kpm = m2;
    if (isFloat(attn)) attn = undefined;
    error('a float mask of another dtype');
  } else if (maskMut === 3) {
    attn = g.pick<Spec>([
      { t: 'json', v: [[0]] },
      { t: 'json', v: 'x' },
      num(1),
      { t: 'duck', shape: [L, S] },
    ]);
    error('an attnMask that is not a tensor');
  } else if (maskMut === 4) {
    // Fully masked rows: NaN there, as PyTorch 1.13 gives.
    attn = { t: 'tensor', shape: [L, S], dtype: 'int32', fill: { k: 'const', v: 1 }, seed: 0 };
    if (isFloat(kpm)) kpm = undefined;
  }
  if (isFloat(kpm) && isFloat(attn)) error('a float attnMask with a float keyPaddingMask');
  const needWeights = g.bool(0.3) ? g.bool() : undefined;
  const average = g.bool(0.3) ? g.bool() : undefined;
  const fwd: [string, Spec | undefined][] = [
    [
      'keyPaddingMask',
      kpm ?? (needWeights !== undefined && g.bool() ? { t: 'json', v: null } : undefined),
    ],
    ['needWeights', needWeights === undefined ? undefined : bool(needWeights)],
    ['attnMask', attn],
    ['averageAttnWeights', average === undefined ? undefined : bool(average)],
  ];
  const fwdCut = (() => {
    let c = fwd.findIndex(([, x]) => x === undefined);
    if (c < 0) c = fwd.length;
    return g.int(0, c);
  })();
  const args: Spec[] = [
    q,
    selfAttn ? { t: 'json', v: 'query' } : k,
    selfAttn ? { t: 'json', v: 'query' } : v,
  ];
  const named: Record<string, Spec> = {};
  fwd.forEach(([n, x], i) => {
    if (x === undefined) return;
    if (i < fwdCut) args.push(x);
    else named[n] = x;
  });
  if (g.bool(0.04)) {
    named.bogus = num(1);
    error('an unknown forward option');
  }
  if (Object.keys(named).length) args.push({ t: 'opts', v: named });
  const weights = needWeights === false ? 'none' : average === false ? 'heads' : 'avg';
  return {
    target: 'mha.forward',
    ctor,
    args,
    expect,
    why,
    names: ['MultiheadAttention', 'MultiheadAttention.forward'],
    backward: true,
    check: {
      k: 'mha',
      weights,
      exact: !(train && dropout > 0),
      embedDim: E,
    },
    mode: train ? 'train' : 'eval',
  };
}

/** `net[i]`, `net[-i]`, `net[i] = module`, `i in net` on Sequential and ModuleList. */
export function containerCase(g: G): Case {
  const cls = g.pick(['Sequential', 'ModuleList']);
  const n = g.int(0, 4);
  const op = g.pick(['get', 'get', 'set', 'set', 'has']);
  const iv = g.bool(0.75)
    ? g.int(-n - 1, n)
    : g.pick([1.5, -0.5, NaN, Infinity, -Infinity, -0, 2 ** 53, 1e21, -(2 ** 31), 2 ** 32]);
  const validIndex = Number.isInteger(iv) && iv >= -n && iv < n;
  const value = g.pick([
    'Tanh',
    'Linear',
    'Linear',
    'Linear2',
    'ModuleList',
    'null',
    'number',
    'object',
    'tensor',
  ]);
  let expect: Expect;
  let why: string | undefined;
  const nonNumeric = Number.isNaN(iv) || iv === Infinity;
  if (op === 'has') {
    expect = 'ok';
  } else if (nonNumeric) {
    // net['NaN'], net['Infinity']: property names, not indices, in JavaScript.
    expect = 'either';
  } else if (!validIndex) {
    expect = 'error';
    why = 'an index out of range or not an integer';
  } else if (op === 'get') {
    expect = 'ok';
  } else if (['null', 'number', 'object', 'tensor'].includes(value)) {
    expect = 'error';
    why = 'a value that is not a Module';
  } else if (cls === 'Sequential' && value === 'Linear2') {
    expect = 'error';
    why = 'a Linear(2, 2) in a chain of 3 features';
  } else if (cls === 'Sequential' && value === 'ModuleList') {
    // PyTorch: NotImplementedError (ModuleList has no forward).
    expect = 'error';
    why = 'a ModuleList (no forward) in a Sequential';
  } else {
    expect = 'ok';
  }
  const key = String(iv);
  return {
    target: `container.${cls}`,
    args: [
      num(n),
      { t: 'json', v: op },
      num(iv),
      { t: 'json', v: value },
      {
        t: 'tensor',
        shape: [g.int(0, 3), 3],
        dtype: 'float32',
        fill: { k: 'randn' },
        seed: g.seed(),
      },
    ],
    expect,
    why,
    names: [
      cls,
      `${cls}[${key}]`,
      `${cls}.forward`,
      'Linear',
      'Linear.forward',
      'ModuleList',
      'ModuleList.forward',
      'forward',
      'Module.forward',
    ],
    backward: true,
    check: { k: 'container' },
  };
}
