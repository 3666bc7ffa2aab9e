/**
 * Generators for the random API (PyTorch's CPU generator): `manualSeed`,
 * `Generator`, `rand`/`randn`/`randint`/`randperm`, `multinomial`,
 * `bernoulli`, the in-place samplers (`uniform_`, `normal_`, `bernoulli_`,
 * `exponential_`), `nn.init.*` and dropout's mask. Each case is a `rnd.*`
 * target run by test/fuzz/exec-random.ts: the call twice from the same seed
 * (the results and the generators' states after it must be identical), its
 * result's bits as text (so the backends must agree bit for bit), and the
 * properties test/fuzz/checks.ts `checkRandom` verifies (a permutation,
 * 0/1 values, distinct samples, bounds, shape, dtype and `requiresGrad`
 * left as they were).
 */
import type { Tensor } from '../../src/index.js';
import type { Case, Expect } from './cases.js';
import type { G } from './gen.js';
import { materialize, num, type DTypeName, type Fill, type Spec } from './spec.js';

/** How the tensor an in-place sampler or initialiser writes is reached. */
export type Wrap = 'plain' | 'noGrad' | 'nonLeaf' | 'viewT' | 'viewNarrow' | 'viewExpand';

/** What exec-random.ts needs to run a `rnd.*` case and checks.ts to check it. */
export interface RandomCheck {
  k: 'rnd';
  /** `rand`, `uniform_`, `init.xavierUniform_`, `gen.clone`, `dropout`, ... */
  op: string;
  /** A tensor method (`x.multinomial(...)`) rather than the free function. */
  method?: boolean;
  wrap?: Wrap;
  /** The call's parameters, resolved, for the property checks (valid calls only). */
  p?: Record<string, number | string | boolean | null | number[]>;
}

const bool = (v: boolean): Spec => ({ t: 'json', v });
const json = (v: unknown): Spec => ({ t: 'json', v });

type TensorSpec = Extract<Spec, { t: 'tensor' }>;

/** The trailing options object, or nothing. */
function withOpts(args: Spec[], named: Record<string, Spec>): Spec[] {
  return Object.keys(named).length ? [...args, { t: 'opts', v: named }] : args;
}

/** The `generator` option: absent, a Generator, null, or something that is not one. */
function generatorOpt(g: G): { spec?: Spec; bad: boolean } {
  const r = g.int(0, 9);
  if (r <= 4) return { bad: false };
  if (r <= 7)
    return {
      spec: { t: 'gen', seed: g.pick([0, 1, 42, -1, 2 ** 32 + 5, 2 ** 53, null]) },
      bad: false,
    };
  if (r === 8) return { spec: json(null), bad: false };
  return {
    spec: g.pick<Spec>([num(3), json('gen'), json({ seed: 1 }), { t: 'duck', shape: [2] }]),
    bad: true,
  };
}

/** A seed as a user may pass it, and what PyTorch makes of it (null: refused). */
function seedSpec(g: G): { spec: Spec; value: bigint | null; exactInt: boolean } {
  const r = g.int(0, 9);
  if (r <= 6) {
    const v = g.pick([
      0,
      1,
      42,
      -1,
      2 ** 32,
      2 ** 32 + 7,
      2 ** 53,
      2 ** 63,
      -(2 ** 63),
      2 ** 64,
      -(2 ** 63) - 2 ** 11,
      1.5,
      -0,
      NaN,
      Infinity,
      1e300,
    ]);
    const ok = Number.isFinite(v);
    let value: bigint | null = ok ? BigInt(Math.trunc(v)) : null;
    if (value !== null && (value < -(2n ** 63n) || value >= 2n ** 64n)) value = null;
    return { spec: num(v), value, exactInt: Number.isInteger(v) };
  }
  if (r <= 8) {
    const v = g.pick([
      '0',
      '7',
      '18446744073709551615',
      '-9223372036854775808',
      '4294967303',
      '18446744073709551616',
      '-9223372036854775809',
    ]);
    const b = BigInt(v);
    return {
      spec: { t: 'bigint', v },
      value: b < -(2n ** 63n) || b >= 2n ** 64n ? null : b,
      exactInt: true,
    };
  }
  return { spec: g.notNumber(), value: null, exactInt: false };
}

/** The values a tensor spec materialises to (the generator decides expectations from them). */
function valuesOf(s: TensorSpec): number[] {
  return Array.from((materialize(s) as Tensor).data);
}

const OPS: [number, string][] = [
  [3, 'rand'],
  [3, 'randn'],
  [3, 'randint'],
  [3, 'randperm'],
  [6, 'multinomial'],
  [3, 'bernoulli'],
  [10, 'sampler'],
  [14, 'init'],
  [1, 'calculateGain'],
  [4, 'dropout'],
  [5, 'gen'],
];
const OPS_TOTAL = OPS.reduce((s, [w]) => s + w, 0);

/** A case of the random API. */
export function randomCase(g: G): Case {
  let r = g.int(0, OPS_TOTAL - 1);
  let kind = OPS[0][1];
  for (const [w, k] of OPS) {
    if (r < w) {
      kind = k;
      break;
    }
    r -= w;
  }
  switch (kind) {
    case 'rand':
    case 'randn':
      return randCase(g, kind);
    case 'randint':
      return randintCase(g);
    case 'randperm':
      return randpermCase(g);
    case 'multinomial':
      return multinomialCase(g);
    case 'bernoulli':
      return bernoulliCase(g);
    case 'sampler':
      return samplerCase(g);
    case 'init':
      return initCase(g);
    case 'calculateGain':
      return gainCase(g);
    case 'dropout':
      return dropoutCase(g);
    default:
      return generatorCase(g);
  }
}

function rcase(
  op: string,
  args: Spec[],
  expect: Expect,
  why: string | undefined,
  names: string[],
  check: Omit<RandomCheck, 'k' | 'op'> = {},
  self?: Spec,
): Case {
  return {
    // The wrap in the name, so that a reproducer says how the tensor was reached.
    target: `rnd.${op}${check.wrap && check.wrap !== 'plain' ? `@${check.wrap}` : ''}`,
    ...(self ? { self } : {}),
    args,
    expect,
    why,
    names,
    check: { k: 'rnd', op, ...check },
  };
}

function randCase(g: G, name: 'rand' | 'randn'): Case {
  let bad: string | undefined;
  let shape = g.shape(3);
  if (g.bool(0.1)) shape = [g.int(1000, 5000)];
  let sizeArgs: Spec[];
  const form = g.int(0, 9);
  if (form === 0) {
    const v = g.pick<unknown>([[-1], [1.5], [NaN], [2 ** 31, 2 ** 31], 'x', [null]]);
    sizeArgs = [json(v)];
    bad = 'a bad size';
  } else if (form <= 4 && shape.length > 0) {
    sizeArgs = shape.map((d) => num(d));
  } else {
    sizeArgs = [json(shape)];
  }
  const named: Record<string, Spec> = {};
  const gen = generatorOpt(g);
  if (gen.spec) named.generator = gen.spec;
  if (gen.bad) bad = bad ?? 'a generator that is not a Generator';
  let dtype: DTypeName = 'float32';
  if (g.bool(0.4)) {
    const dt = g.pick(['float32', 'float64', 'float64', 'int32', 'int64']);
    named.dtype = json(dt);
    if (dt === 'int32' || dt === 'int64') bad = bad ?? `dtype ${dt}`;
    else dtype = dt as DTypeName;
  }
  if (g.bool(0.2)) named.requiresGrad = bool(g.bool());
  if (g.bool(0.03)) {
    named.bogus = num(1);
    bad = bad ?? 'an unknown option';
  }
  return rcase(name, withOpts(sizeArgs, named), bad ? 'error' : 'ok', bad, [name], {
    p: { shape, dtype },
  });
}

function randintCase(g: G): Case {
  const dt = g.pick<DTypeName>(['int32', 'int32', 'float32', 'float64']);
  const lo = g.pick([0, -5, 3, -(2 ** 31), -(2 ** 24), -(2 ** 53)]);
  let hi = lo + g.pick([1, 2, 10, 1000, 2 ** 31, 2 ** 33]);
  let bad: string | undefined;
  let either = false;
  const m = g.int(0, 9);
  if (m === 0) {
    hi = lo - g.pick([0, 1]);
    bad = 'high not above low';
  } else if (m === 1) {
    hi = g.pick([1.5, NaN, Infinity]);
    bad = 'a bound that is not an integer';
  }
  const exact = {
    int32: [-(2 ** 31), 2 ** 31 - 1],
    float32: [-(2 ** 24), 2 ** 24],
    float64: [-(2 ** 53), 2 ** 53],
  }[dt];
  // PyTorch's int64 takes bounds beyond int32 (nnkit refuses them); float dtypes only warn.
  if (!bad && (lo < exact[0] || hi - 1 > exact[1])) either = true;
  // nnkit takes safe integers only: −2^53 is refused though float64 holds it (PyTorch takes it).
  if (!bad && lo <= -(2 ** 53)) either = true;
  let shape = g.shape(2);
  if (g.bool(0.05)) shape = [2000];
  const named: Record<string, Spec> = {};
  const gen = generatorOpt(g);
  if (gen.spec) named.generator = gen.spec;
  if (gen.bad) bad = bad ?? 'a generator that is not a Generator';
  if (dt !== 'int32' || g.bool(0.2)) named.dtype = json(dt);
  const size: Spec = g.bool(0.95) ? json(shape) : json('x');
  if (size.t === 'json' && size.v === 'x') bad = bad ?? 'a size that is not a list';
  const pos = lo === 0 && g.bool() ? [num(hi), size] : [num(lo), num(hi), size];
  return rcase(
    'randint',
    withOpts(pos, named),
    bad ? 'error' : either ? 'either' : 'ok',
    bad,
    ['randint'],
    { p: { low: lo, high: hi, shape, dtype: dt } },
  );
}

function randpermCase(g: G): Case {
  const dt = g.pick<DTypeName>(['int32', 'int32', 'float32', 'float64']);
  let n: number = g.pick([0, 1, 2, 3, 5, 17, 100, 1000, 5000]);
  let bad: string | undefined;
  let nSpec: Spec = num(n);
  const m = g.int(0, 11);
  if (m === 0) {
    n = g.pick([-1, 1.5, NaN, Infinity]);
    nSpec = num(n);
    bad = 'n not a non-negative integer';
  } else if (m === 1) {
    nSpec = g.notNumber();
    bad = 'n not a number';
  } else if (m === 2 && dt !== 'float64') {
    // Beyond the dtype's exact integers: refused before anything is allocated.
    n = dt === 'float32' ? 2 ** 24 + 2 : 2 ** 31 + 1;
    nSpec = num(n);
    bad = 'n too large for the dtype';
  }
  const named: Record<string, Spec> = {};
  const gen = generatorOpt(g);
  if (gen.spec) named.generator = gen.spec;
  if (gen.bad) bad = bad ?? 'a generator that is not a Generator';
  if (dt !== 'int32' || g.bool(0.2)) named.dtype = json(dt);
  if (g.bool(0.1)) named.requiresGrad = bool(dt !== 'int32' && g.bool());
  return rcase('randperm', withOpts([nSpec], named), bad ? 'error' : 'ok', bad, ['randperm'], {
    p: { n, dtype: dt },
  });
}

function multinomialCase(g: G): Case {
  const dtype: DTypeName = g.bool(0.05) ? 'int32' : g.bool(0.6) ? 'float32' : 'float64';
  const C = g.bool(0.05) ? 0 : g.int(1, 6);
  const rank = g.bool(0.05) ? g.pick([0, 3]) : g.int(1, 2);
  const R = g.bool(0.08) ? 0 : g.int(1, 4);
  const shape = rank === 0 ? [] : rank === 1 ? [C] : rank === 2 ? [R, C] : [1, R, C];
  const fill = g.pick<Fill>([
    { k: 'rand' },
    { k: 'rand' },
    { k: 'int', lo: 0, hi: 3 },
    { k: 'int', lo: 0, hi: 2 },
    { k: 'rand', lo: 0, hi: 1e38 },
    { k: 'const', v: 0 },
    { k: 'randn' },
    { k: 'special' },
  ]);
  const input: TensorSpec = { t: 'tensor', shape, dtype, fill, seed: g.seed() };
  if (dtype !== 'int32' && g.bool(0.15)) input.grad = true;
  const vals = valuesOf(input);
  let bad: string | undefined;
  let either = false;
  if (dtype === 'int32') bad = 'an int32 input';
  else if (rank === 0 || rank === 3) bad = 'an input neither 1-D nor 2-D';
  else if (C === 0) bad = 'no categories';
  else if (vals.some((v) => !(v >= 0) || v === Infinity))
    bad = 'a negative, NaN or infinite weight';
  else {
    for (let i = 0; i < vals.length; i += C) {
      if (vals.slice(i, i + C).every((v) => v === 0)) bad = 'a row of zeros';
    }
  }
  const replacement = g.bool(0.3) ? undefined : g.bool();
  let nv: number = g.int(1, Math.max(1, C + (replacement ? 4 : 1)));
  let nSpec: Spec = num(nv);
  const m = g.int(0, 11);
  if (m === 0) {
    nv = g.pick([0, -1, 1.5, NaN]);
    nSpec = num(nv);
    bad = bad ?? 'numSamples not a positive integer';
  } else if (m === 1) {
    nSpec = g.notNumber();
    bad = bad ?? 'numSamples not a number';
  } else if (m === 2) {
    // Not 2^31: nnkit then draws 2^31 samples (97 s) before refusing the result's size.
    nv = g.pick([2 ** 40, 2 ** 53]);
    nSpec = num(nv);
    // With replacement, more samples than any array holds: PyTorch cannot allocate them.
    either = true;
  }
  if (!bad && replacement !== true && nv > C)
    bad = 'more samples than categories without replacement';
  let replSpec: Spec | undefined = replacement === undefined ? undefined : bool(replacement);
  if (g.bool(0.04)) {
    replSpec = g.pick<Spec>([num(1), json('yes')]);
    bad = bad ?? 'replacement not a boolean';
  }
  const named: Record<string, Spec> = {};
  const gen = generatorOpt(g);
  if (gen.spec) named.generator = gen.spec;
  if (gen.bad) bad = bad ?? 'a generator that is not a Generator';
  const args: Spec[] = [nSpec];
  if (replSpec) {
    if (g.bool(0.7)) args.push(replSpec);
    else named.replacement = replSpec;
  }
  const method = g.bool(0.4);
  return rcase(
    'multinomial',
    withOpts(method ? args : [input, ...args], named),
    bad ? 'error' : either ? 'either' : 'ok',
    bad,
    ['multinomial'],
    { method, p: { numSamples: nv, replacement: replacement ?? false } },
    method ? input : undefined,
  );
}

function bernoulliCase(g: G): Case {
  const dtype: DTypeName = g.bool(0.05) ? 'int32' : g.bool(0.6) ? 'float32' : 'float64';
  const shape = g.bool(0.1) ? [g.int(1000, 4000)] : g.shape(3);
  const fill = g.pick<Fill>([
    { k: 'rand' },
    { k: 'rand' },
    { k: 'int', lo: 0, hi: 2 },
    { k: 'const', v: 0.5 },
    { k: 'special' },
    { k: 'rand', lo: -0.5, hi: 1.5 },
  ]);
  const input: TensorSpec = { t: 'tensor', shape, dtype, fill, seed: g.seed() };
  if (dtype !== 'int32' && g.bool(0.15)) input.grad = true;
  const vals = valuesOf(input);
  let bad: string | undefined;
  if (dtype === 'int32') bad = 'an int32 input';
  else if (vals.some((v) => !(v >= 0 && v <= 1))) bad = 'a probability outside [0, 1]';
  const named: Record<string, Spec> = {};
  const gen = generatorOpt(g);
  if (gen.spec) named.generator = gen.spec;
  if (gen.bad) bad = bad ?? 'a generator that is not a Generator';
  const method = g.bool(0.4);
  return rcase(
    'bernoulli',
    withOpts(method ? [] : [input], named),
    bad ? 'error' : 'ok',
    bad,
    ['bernoulli'],
    { method },
    method ? input : undefined,
  );
}

/** A tensor to write into, and how it is reached; whether that write must be refused. */
function writeTarget(
  g: G,
  floatOnly = false,
): { self: TensorSpec; wrap: Wrap; bad?: string; int: boolean } {
  const dtype: DTypeName =
    !floatOnly && g.bool(0.08) ? 'int32' : g.bool(0.6) ? 'float32' : 'float64';
  const wrap = g.pick<Wrap>([
    'plain',
    'plain',
    'noGrad',
    'nonLeaf',
    'viewT',
    'viewNarrow',
    'viewExpand',
  ]);
  let shape: number[];
  if (wrap === 'viewT') shape = g.shape(4, 2);
  else if (wrap === 'viewNarrow') shape = [g.int(1, 5), ...g.shape(2)];
  else if (wrap === 'viewExpand') shape = [1, g.int(1, 4)];
  else shape = g.bool(0.1) ? [g.int(1000, 5000)] : g.shape(4);
  const self: TensorSpec = { t: 'tensor', shape, dtype, fill: { k: 'randn' }, seed: g.seed() };
  const grad = dtype !== 'int32' && (wrap === 'nonLeaf' || (wrap !== 'viewExpand' && g.bool(0.4)));
  if (grad) self.grad = true;
  let bad: string | undefined;
  if (wrap === 'plain' && grad) bad = 'a leaf that requires grad, outside noGrad';
  if ((wrap === 'viewT' || wrap === 'viewNarrow') && grad)
    bad = 'a view of a leaf that requires grad, outside noGrad';
  if (wrap === 'viewExpand') bad = 'an expanded tensor (elements sharing memory)';
  return { self, wrap, bad, int: dtype === 'int32' };
}

/** `x.uniform_`, `x.normal_`, `x.bernoulli_`, `x.exponential_`. */
function samplerCase(g: G): Case {
  const name = g.pick(['uniform_', 'normal_', 'bernoulli_', 'exponential_']);
  const w = writeTarget(g);
  const f32 = w.self.dtype === 'float32';
  let bad: string | undefined;
  let either = false;
  const vals: [string, number | Spec | undefined][] = [];
  const p: Record<string, number> = {};
  const pick = (valid: number[], hostile: number[], why: string, eitherVals: number[] = []) => {
    if (g.bool(0.8)) return g.pick(valid);
    const v = g.pick([...hostile, ...eitherVals]);
    if (eitherVals.includes(v) || (Number.isNaN(v) && eitherVals.some(Number.isNaN))) either = true;
    else bad = bad ?? why;
    return v;
  };
  switch (name) {
    case 'uniform_': {
      const pairs: [number, number][] = [
        [0, 1],
        [-1, 1],
        [2, 2],
        [-3, 5],
        [1e-3, 2e-3],
        [-1e30, 1e30],
      ];
      let [from, to] = g.pick(pairs);
      const m = g.int(0, 9);
      if (m === 0) {
        [from, to] = [3, 1];
        bad = 'from > to';
      } else if (m === 1) {
        [from, to] = g.pick<[number, number]>([
          [NaN, 1],
          [0, Infinity],
          [-Infinity, 0],
        ]);
        bad = 'a bound that is not finite';
      } else if (m === 2) {
        // PyTorch's check_uniform_bounds: each bound within the dtype's range, to − from too.
        [from, to] = f32
          ? g.pick<[number, number]>([
              [-1e39, 0],
              [0, 1e39],
              [-3e38, 3e38],
            ])
          : [-1e308, 1e308];
        bad = f32 ? 'a bound or a range beyond float32' : 'to − from beyond float64';
      }
      vals.push(['from', from], ['to', to]);
      Object.assign(p, { from, to });
      break;
    }
    case 'normal_': {
      const mean = pick([0, 2, -1e3, 1e30], [NaN], 'a NaN mean', [Infinity]);
      const std = pick([1, 0.5, 0, 1e-3, 10], [-1, NaN], 'std < 0 or NaN', [Infinity]);
      vals.push(['mean', mean], ['std', std]);
      Object.assign(p, { mean, std });
      break;
    }
    case 'bernoulli_': {
      const pr = pick(
        [0, 1, 0.5, 0.3, 0.999, 1e-300],
        [-0.1, 1.5, NaN, Infinity],
        'p outside [0, 1]',
      );
      vals.push(['p', pr]);
      p.p = pr;
      break;
    }
    default: {
      const lambd = pick([1, 0.5, 1e6, 1e-6], [-1, NaN], 'lambd < 0 or NaN', [0, Infinity]);
      vals.push(['lambd', lambd]);
      p.lambd = lambd;
    }
  }
  // Some parameters omitted (their defaults), positional up to a cut, the rest by name.
  let keep = vals.length;
  while (keep > 0 && g.bool(0.2) && !bad && !either) keep--;
  if (keep < vals.length) {
    const defaults: Record<string, number> = { from: 0, to: 1, mean: 0, std: 1, p: 0.5, lambd: 1 };
    for (const [n] of vals.slice(keep)) p[n] = defaults[n];
    if (name === 'uniform_' && p.from > p.to) bad = 'from above the default to = 1';
  }
  const cut = g.int(0, keep);
  const args: Spec[] = [];
  const named: Record<string, Spec> = {};
  vals.slice(0, keep).forEach(([n, v], i) => {
    const s = typeof v === 'number' ? num(v) : (v as Spec);
    if (i < cut) args.push(s);
    else named[n] = s;
  });
  if (g.bool(0.04)) {
    const k = g.int(0, Math.max(0, cut - 1));
    if (cut > 0) {
      args[k] = g.notNumber();
      bad = bad ?? 'a parameter that is not a number';
    }
  }
  const gen = generatorOpt(g);
  if (gen.spec) named.generator = gen.spec;
  if (gen.bad) bad = bad ?? 'a generator that is not a Generator';
  if (g.bool(0.03)) {
    named.bogus = num(1);
    bad = bad ?? 'an unknown option';
  }
  let expect: Expect = bad ? 'error' : either ? 'either' : 'ok';
  let why = bad;
  // PyTorch's bernoulli_ writes int tensors too; its other samplers refuse them.
  if (w.int) {
    if (name === 'bernoulli_') expect = expect === 'error' ? 'error' : 'either';
    else {
      expect = 'error';
      why = why ?? 'an int32 tensor';
    }
  }
  if (w.bad && expect !== 'error') {
    expect = 'error';
    why = w.bad;
  }
  // An empty write is refused or not by PyTorch depending on the order of its checks.
  if (w.bad && !bad && w.self.shape.includes(0)) expect = 'either';
  return rcase(name, withOpts(args, named), expect, why, [name], { wrap: w.wrap, p }, w.self);
}

const INITS = [
  'uniform_',
  'normal_',
  'truncNormal_',
  'constant_',
  'ones_',
  'zeros_',
  'eye_',
  'dirac_',
  'xavierUniform_',
  'xavierNormal_',
  'kaimingUniform_',
  'kaimingNormal_',
  'orthogonal_',
  'sparse_',
] as const;

const NONLIN = [
  'linear',
  'conv1d',
  'conv_transpose2d',
  'sigmoid',
  'tanh',
  'relu',
  'leaky_relu',
  'selu',
];

function initCase(g: G): Case {
  const name = g.pick(INITS);
  const w = writeTarget(g);
  // The shapes each initialiser takes, mostly.
  const shapeFor = (): number[] => {
    const d = () => (g.bool(0.06) ? 0 : g.int(1, 4));
    switch (name) {
      case 'eye_':
      case 'sparse_':
        return g.bool(0.85) ? [d(), d()] : g.shape(3);
      case 'dirac_':
        return g.bool(0.85) ? Array.from({ length: g.int(3, 5) }, d) : g.shape(2);
      case 'xavierUniform_':
      case 'xavierNormal_':
      case 'kaimingUniform_':
      case 'kaimingNormal_':
      case 'orthogonal_':
        return g.bool(0.85) ? Array.from({ length: g.int(2, 4) }, d) : g.shape(1);
      default:
        return g.shape(4);
    }
  };
  if (w.wrap === 'plain' || w.wrap === 'noGrad' || w.wrap === 'nonLeaf') w.self.shape = shapeFor();
  else if (w.wrap === 'viewT' && ['eye_', 'sparse_'].includes(name))
    w.self.shape = [g.int(1, 4), g.int(1, 4)];
  // The shape of the tensor written: transpose(0, -1) swaps the first and last dims, narrow
  // takes one row less.
  const shape = [...w.self.shape];
  if (w.wrap === 'viewT') [shape[0], shape[shape.length - 1]] = [shape[shape.length - 1], shape[0]];
  if (w.wrap === 'viewNarrow') shape[0] -= 1;
  const rank = shape.length;
  const size = shape.reduce((a, b) => a * b, 1);
  let bad: string | undefined;
  let either = false;
  const p: Record<string, number | string | null> = {};
  const vals: [string, Spec | undefined][] = [];
  const fin = (valid: number[], hostile: number[], why: string): number => {
    if (g.bool(0.85)) return g.pick(valid);
    bad = bad ?? why;
    return g.pick(hostile);
  };
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  const fanIn = rank >= 2 ? shape[1] * receptive : 0;
  const fanOut = rank >= 2 ? shape[0] * receptive : 0;
  switch (name) {
    case 'uniform_': {
      let a = fin([0, -1, 2, -0.5], [NaN, Infinity], 'a bound that is not finite');
      let b = fin([1, 1, 3, 0.5], [NaN, -Infinity], 'a bound that is not finite');
      if (!bad && a > b) [a, b] = g.bool(0.7) ? [b, a] : [a, b];
      if (!bad && a > b) bad = 'a > b';
      vals.push(['a', num(a)], ['b', num(b)]);
      Object.assign(p, { a, b });
      break;
    }
    case 'normal_': {
      const mean = fin([0, 1, -2], [NaN, Infinity], 'mean not finite');
      const std = fin([1, 0.02, 0, 3], [-1, NaN, Infinity], 'std < 0 or not finite');
      vals.push(['mean', num(mean)], ['std', num(std)]);
      Object.assign(p, { mean, std });
      break;
    }
    case 'truncNormal_': {
      const mean = fin([0, 1, -2, 10], [NaN], 'mean not finite');
      const std = fin([1, 0.02, 3], [0, -1, NaN], 'std not positive');
      let a = fin([-2, -1, 0, 5], [NaN, -Infinity], 'a not finite');
      let b = fin([2, 1, 0.5, 20], [NaN, Infinity], 'b not finite');
      if (!bad && a > b) [a, b] = g.bool(0.7) ? [b, a] : [a, b];
      if (!bad && a > b) bad = 'a > b';
      vals.push(['mean', num(mean)], ['std', num(std)], ['a', num(a)], ['b', num(b)]);
      Object.assign(p, { mean, std, a, b });
      break;
    }
    case 'constant_': {
      const v = g.bool(0.9) ? g.pick([0, 1.5, -3, NaN, Infinity, 1e30]) : undefined;
      if (v === undefined) bad = 'the value is missing';
      vals.push(['val', v === undefined ? undefined : num(v)]);
      p.val = v ?? null;
      break;
    }
    case 'dirac_': {
      const groups = fin([1, 1, 2, 3], [0, -1, 1.5], 'groups not a positive integer');
      vals.push(['groups', num(groups)]);
      p.groups = groups;
      if (!bad && rank >= 3 && rank <= 5 && shape[0] % groups !== 0)
        bad = 'groups not dividing dim 0';
      break;
    }
    case 'xavierUniform_':
    case 'xavierNormal_':
    case 'orthogonal_': {
      const gain = fin([1, 1, 2, 0.5, 5 / 3, 0], [NaN, Infinity], 'gain not finite');
      let gv = gain;
      if (!bad && name !== 'orthogonal_' && g.bool(0.1)) {
        // A negative gain: uniform_(−a, a) with −a > a, normal_ with std < 0 (PyTorch refuses both).
        gv = g.pick([-1, 1e308]);
        if (gv < 0 && size > 0) bad = 'a negative gain';
        else if (gv < 0) either = true;
        else if (name === 'xavierUniform_') {
          // uniform_(−a, a) needs 2a within the dtype: never for float32; for float64 only
          // when fanIn + fanOut is large enough (PyTorch accepts a = 8.7e307 in float64).
          const a = Math.sqrt(3) * gv * Math.sqrt(2 / (fanIn + fanOut));
          const max = w.self.dtype === 'float32' ? 3.4028234663852886e38 : Number.MAX_VALUE;
          if (size > 0 && !(2 * a <= max)) bad = 'a bound beyond the dtype (gain 1e308)';
          else either = true;
        } else either = true;
      }
      vals.push(['gain', num(gv)]);
      p.gain = gv;
      break;
    }
    case 'kaimingUniform_':
    case 'kaimingNormal_': {
      const a = fin([0, Math.sqrt(5), 0.01, 1], [NaN, Infinity], 'a not finite');
      const mode = g.bool(0.9) ? g.pick(['fan_in', 'fan_out']) : 'fan_avg';
      if (mode === 'fan_avg') bad = bad ?? 'an unknown mode';
      const nl = g.bool(0.95) ? g.pick(NONLIN) : 'gelu';
      if (nl === 'gelu') bad = bad ?? 'an unknown nonlinearity';
      const opt = g.bool(0.5);
      if (opt)
        vals.push([
          '__opts',
          { t: 'opts', v: { a: num(a), mode: json(mode), nonlinearity: json(nl) } },
        ]);
      else vals.push(['a', num(a)], ['mode', json(mode)], ['nonlinearity', json(nl)]);
      Object.assign(p, { a, mode, nonlinearity: nl });
      break;
    }
    case 'sparse_': {
      const sp = fin([0, 0.1, 0.5, 0.9, 1], [-0.1, 1.5, NaN], 'sparsity outside [0, 1]');
      const std = fin([0.01, 1, 0], [-1, NaN], 'std < 0');
      vals.push(['sparsity', num(sp)], ['std', num(std)]);
      Object.assign(p, { sparsity: sp, std });
      break;
    }
    default:
      break;
  }
  // Shape requirements.
  const ranks: Record<string, (r: number) => boolean> = {
    eye_: (r) => r === 2,
    sparse_: (r) => r === 2,
    dirac_: (r) => r >= 3 && r <= 5,
    xavierUniform_: (r) => r >= 2,
    xavierNormal_: (r) => r >= 2,
    orthogonal_: (r) => r >= 2,
    kaimingUniform_: (r) => r >= 2 || size === 0,
    kaimingNormal_: (r) => r >= 2 || size === 0,
  };
  if (ranks[name] && !ranks[name](rank)) bad = bad ?? `a ${rank}-D tensor`;
  if ((name === 'xavierUniform_' || name === 'xavierNormal_') && rank >= 2 && fanIn + fanOut === 0)
    bad = bad ?? 'fan_in + fan_out = 0';
  const args: Spec[] = [];
  const named: Record<string, Spec> = {};
  const cut = g.int(0, vals.length);
  vals.forEach(([n, v], i) => {
    if (v === undefined) return;
    if (n === '__opts') args.push(v);
    else if (i < cut) args.push(v);
    else named[n] = v;
  });
  if (g.bool(0.03)) {
    named.bogus = num(1);
    bad = bad ?? 'an unknown option';
  }
  let expect: Expect = bad ? 'error' : either ? 'either' : 'ok';
  let why = bad;
  if (w.int) {
    expect = 'error';
    why = why ?? 'an int32 tensor';
  }
  // The initialisers write under noGrad: a leaf that requires grad (and a view of it) is fine.
  if (w.wrap === 'viewExpand' && expect !== 'error') {
    expect = ['ones_', 'zeros_', 'constant_'].includes(name) ? 'either' : 'error';
    why = w.bad;
  }
  if (w.wrap === 'viewExpand' && size === 0) expect = 'either';
  return rcase(
    `init.${name}`,
    withOpts(args, named),
    expect,
    why,
    [name, `nn.init.${name}`],
    { wrap: w.wrap, p: { ...p, fanIn, fanOut } },
    w.self,
  );
}

function gainCase(g: G): Case {
  const nl = g.bool(0.9) ? g.pick(NONLIN) : g.pick(['gelu', 'Tanh', '']);
  let bad = NONLIN.includes(nl) ? undefined : 'an unknown nonlinearity';
  const args: Spec[] = [json(nl)];
  let param: number | null = null;
  if (g.bool(0.4)) {
    param = g.pick([0.2, 0, -1, 0.01, NaN, Infinity]);
    if (!Number.isFinite(param)) bad = bad ?? 'param not finite';
    args.push(num(param));
  }
  return rcase('calculateGain', args, bad ? 'error' : 'ok', bad, ['calculateGain'], {
    p: { nonlinearity: nl, param },
  });
}

function dropoutCase(g: G): Case {
  const fn = g.pick([
    'dropout',
    'dropout',
    'dropout',
    'alphaDropout',
    'featureAlphaDropout',
    'dropout2d',
  ]);
  const dtype: DTypeName = g.bool(0.6) ? 'float32' : 'float64';
  const shape =
    fn === 'dropout2d'
      ? [g.int(1, 3), g.int(1, 4), g.int(1, 5), g.int(1, 5)]
      : fn === 'featureAlphaDropout'
        ? [g.int(1, 3), g.int(1, 4), g.int(1, 5)]
        : g.bool(0.3)
          ? [g.pick([2000, 4097, 20000, 70001])]
          : g.shape(4);
  const p = g.pick([0.1, 0.5, 0.9, 1e-9, 1 - 1e-9, 0, 1, 0.25]);
  const grad = g.bool(0.3);
  const inplace = !grad && g.bool(0.3);
  const x: TensorSpec = { t: 'tensor', shape, dtype, fill: { k: 'randn' }, seed: g.seed() };
  if (grad) x.grad = true;
  return rcase(
    'dropout',
    [x, { t: 'opts', v: { p: num(p), training: bool(true), inplace: bool(inplace) } }],
    'ok',
    undefined,
    [fn],
    { p: { fn, p, inplace } },
  );
}

/** `new Generator`, `manualSeed`, `clone`, `setState`, `seed`. */
function generatorCase(g: G): Case {
  const names = [
    'Generator',
    'manualSeed',
    'Generator.manualSeed',
    'Generator.seed',
    'Generator.setState',
    'setState',
    'seed',
  ];
  const op = g.pick(['new', 'global', 'method', 'clone', 'setState', 'seed', 'lowBits']);
  const s = seedSpec(g);
  const bad = s.value === null ? 'a seed that is not an integer in [-2^63, 2^64)' : undefined;
  // PyTorch refuses a fractional seed (an int is required); nnkit truncates it.
  const fractional = !bad && !s.exactInt;
  const expect = (): Expect => (bad ? 'error' : fractional ? 'either' : 'ok');
  const value = s.value === null ? null : s.value.toString();
  switch (op) {
    case 'new':
    case 'global':
    case 'method': {
      if (op === 'new' && g.bool(0.1))
        return rcase('gen.new', [], 'ok', undefined, names, { p: {} });
      return rcase(`gen.${op}`, [s.spec], expect(), bad, names, { p: { seed: value } });
    }
    case 'clone':
      return rcase(
        'gen.clone',
        [
          s.spec,
          json(
            Array.from({ length: g.int(0, 3) }, () =>
              g.pick(['rand', 'randn1', 'randn20', 'randint']),
            ),
          ),
        ],
        expect(),
        bad,
        names,
        { p: { seed: value } },
      );
    case 'setState': {
      const other = g.bool(0.7)
        ? ({ t: 'gen', seed: g.pick([0, 5, null]) } as Spec)
        : g.pick<Spec>([
            num(1),
            json(null),
            json({}),
            json('state'),
            { t: 'duck', shape: [625] },
            { t: 'undef' },
          ]);
      return rcase(
        'gen.setState',
        [other],
        other.t === 'gen' ? 'ok' : 'error',
        other.t === 'gen' ? undefined : 'a state that is not a Generator',
        names,
      );
    }
    case 'seed': {
      const extra = g.bool(0.2);
      return rcase(
        'gen.seed',
        extra ? [num(1)] : [],
        extra ? 'error' : 'ok',
        extra ? 'an argument to seed()' : undefined,
        names,
      );
    }
    default: {
      // Seeds equal in their low 32 bits give the same stream.
      const base = g.int(0, 2 ** 32 - 1);
      const k = g.pick([1, 2, 1000, 2 ** 20]);
      return rcase('gen.lowBits', [num(base), num(base + k * 2 ** 32)], 'ok', undefined, names, {
        p: { seed: String(base) },
      });
    }
  }
}
