/**
 * Runs the `rnd.*` cases of test/fuzz/cases-random.ts: the call, then the
 * same call again from the same seed with fresh arguments (its result and
 * the generators' next draws must be identical: seeded determinism), and
 * returns the result with its bits and the next draws as text, so that the
 * backends are compared bit for bit (the samplers are JavaScript except
 * dropout's mask, which every backend's `bernoulliMask` draws).
 */
import {
  F,
  Generator,
  Tensor,
  bernoulli,
  initialSeed,
  manualSeed,
  multinomial,
  nn,
  noGrad,
  rand,
  randint,
  randn,
  randperm,
} from '../../src/index.js';
import type { Case } from './cases.js';
import type { RandomCheck } from './cases-random.js';
import { materialize } from './spec.js';
import { checkRandom, sampleStream, type RandomRun } from './checks.js';

type AnyFn = (...args: unknown[]) => unknown;
const rec = (o: object): Record<string, unknown> => o as Record<string, unknown>;

/** FNV-1a over the bytes of a tensor's values (and its shape and dtype): its bits as text. */
export function bits(v: unknown): string {
  if (v instanceof Tensor) {
    const d = v.detach().contiguous().data;
    const bytes = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
    let h = 0x811c9dc5;
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
    return `${v.dtype}[${v.shape.join(',')}]#${h.toString(16)}`;
  }
  if (Array.isArray(v)) return `[${v.map(bits).join(';')}]`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  return typeof v === 'string' || typeof v === 'boolean' ? String(v) : typeof v;
}

/** The Generators among a call's arguments (in options objects). */
function generators(args: unknown[]): Generator[] {
  const out: Generator[] = [];
  for (const a of args) {
    if (a instanceof Generator) out.push(a);
    else if (a && typeof a === 'object' && !(a instanceof Tensor) && !Array.isArray(a)) {
      for (const v of Object.values(a as object)) if (v instanceof Generator) out.push(v);
    }
  }
  return out;
}

/** The next draws of the global generator and of `gens`: where the call left the streams. */
function nextDraws(gens: Generator[]): string {
  const draw = (g?: Generator) =>
    bits([
      rand([3], { dtype: 'float64', ...(g ? { generator: g } : {}) }),
      randn([1], { dtype: 'float64', ...(g ? { generator: g } : {}) }),
    ]);
  return [draw(), ...gens.map(draw)].join(' ');
}

/** The tensor an in-place op writes, reached as `wrap` says, and what to check afterwards. */
function reach(
  x: Tensor,
  wrap: RandomCheck['wrap'],
): { target: Tensor; base: Tensor; leaf: Tensor | null; undo: (t: Tensor) => Tensor } {
  switch (wrap) {
    case 'nonLeaf':
      return { target: x.mul(1), base: x, leaf: x, undo: (t) => t };
    case 'viewT': {
      const last = x.ndim - 1;
      return {
        target: x.transpose(0, last),
        base: x,
        leaf: null,
        undo: (t) => t.transpose(0, last),
      };
    }
    case 'viewNarrow': {
      const len = Math.max(0, x.shape[0] - 1);
      return {
        target: x.narrow(0, x.shape[0] - len, len),
        base: x,
        leaf: null,
        undo: (t) => t,
      };
    }
    case 'viewExpand':
      return { target: x.expand([3, ...x.shape.slice(1)]), base: x, leaf: null, undo: (t) => t };
    default:
      return { target: x, base: x, leaf: null, undo: (t) => t };
  }
}

/** One run of the case's call: its result and what the checks need. */
function runOnce(chk: RandomCheck, self: unknown, args: unknown[]): RandomRun {
  const op = chk.op;
  const run: RandomRun = { result: undefined };
  const inplaceLike = (fn: (t: Tensor) => unknown): void => {
    const x = self as Tensor;
    const r = reach(x, chk.wrap);
    run.target = r.target;
    run.baseBefore = Array.from(x.detach().contiguous().data);
    run.requiresGradBefore = r.target.requiresGrad;
    run.shapeBefore = [...r.target.shape];
    run.dtypeBefore = r.target.dtype;
    const call = () => fn(r.target);
    run.result = chk.wrap === 'noGrad' ? noGrad(call) : call();
    run.base = r.base;
    run.undo = r.undo;
    if (r.leaf && r.target.requiresGrad) {
      r.target.sum().backward();
      run.leafGrad = r.leaf.grad;
    }
  };
  if (op.startsWith('init.')) {
    const fn = rec(nn.init)[op.slice(5)] as AnyFn;
    inplaceLike((t) => fn(t, ...args));
    return run;
  }
  if (['uniform_', 'normal_', 'bernoulli_', 'exponential_'].includes(op)) {
    inplaceLike((t) => (rec(t)[op] as AnyFn).apply(t, args));
    return run;
  }
  switch (op) {
    case 'rand':
      run.result = (rand as AnyFn)(...args);
      return run;
    case 'randn':
      run.result = (randn as AnyFn)(...args);
      return run;
    case 'randint':
      run.result = (randint as AnyFn)(...args);
      return run;
    case 'randperm':
      run.result = (randperm as AnyFn)(...args);
      return run;
    case 'multinomial':
    case 'bernoulli': {
      const input = (chk.method ? self : args[0]) as Tensor;
      run.input = input;
      run.result = chk.method
        ? (rec(input)[op] as AnyFn).apply(input, args)
        : (op === 'multinomial' ? (multinomial as AnyFn) : (bernoulli as AnyFn))(...args);
      return run;
    }
    case 'calculateGain':
      run.result = (nn.init.calculateGain as AnyFn)(...args);
      return run;
    case 'dropout': {
      const x = args[0] as Tensor;
      const o = args[1] as { p: number; inplace: boolean };
      const fn = (chk.p?.fn as string) ?? 'dropout';
      run.input = x;
      run.baseBefore = Array.from(x.data);
      const y = (rec(F)[fn] as AnyFn)(x, o) as Tensor;
      run.result = y;
      if (y.requiresGrad) {
        y.sum().backward();
        run.leafGrad = x.grad;
      }
      return run;
    }
    default:
      return generatorOp(op, args, run);
  }
}

/** The Generator API's scenarios. */
function generatorOp(op: string, args: unknown[], run: RandomRun): RandomRun {
  const sample = sampleStream;
  switch (op) {
    case 'gen.new': {
      const g = args.length ? new Generator(args[0] as number) : new Generator();
      run.seed = g.initialSeed();
      run.stream = sample(g);
      run.result = [g.initialSeed(), run.stream];
      return run;
    }
    case 'gen.global': {
      const g = manualSeed(args[0] as number);
      if (!(g instanceof Generator)) run.problems = ['manualSeed did not return a Generator'];
      run.seed = initialSeed();
      run.stream = sample(g);
      run.result = [initialSeed(), run.stream];
      return run;
    }
    case 'gen.method': {
      const g = new Generator(3);
      rand([7], { generator: g });
      const same = g.manualSeed(args[0] as number);
      if (same !== g) run.problems = ['Generator.manualSeed did not return the generator'];
      run.seed = g.initialSeed();
      run.stream = sample(g);
      run.result = [g.initialSeed(), run.stream];
      return run;
    }
    case 'gen.clone': {
      const g = new Generator(args[0] as number);
      for (const step of args[1] as string[]) {
        if (step === 'rand') rand([3], { generator: g });
        else if (step === 'randn1') randn([1], { generator: g, dtype: 'float64' });
        else if (step === 'randn20') randn([20], { generator: g });
        else randint(5, [4], { generator: g });
      }
      const c = g.clone();
      const fromClone = sample(c);
      // The original, untouched by the clone's draws, must continue the same way.
      const fromOriginal = sample(g);
      if (fromClone !== fromOriginal)
        run.problems = [`clone(): the copy draws ${fromClone}, the original ${fromOriginal}`];
      if (c.initialSeed() !== g.initialSeed())
        (run.problems ??= []).push('clone(): another initialSeed');
      run.result = [fromClone];
      return run;
    }
    case 'gen.setState': {
      const g = new Generator(11);
      randn([1], { generator: g });
      const other = args[0];
      const before = other instanceof Generator ? sample(other.clone()) : '';
      g.setState(other as Generator);
      if (other instanceof Generator) {
        const got = sample(g);
        if (got !== before) run.problems = [`setState(): draws ${got}, the source ${before}`];
        run.result = [got];
      } else run.result = ['accepted'];
      return run;
    }
    case 'gen.seed': {
      const g = new Generator(1);
      const s = (g.seed as AnyFn).apply(g, args) as number;
      const problems: string[] = [];
      if (!Number.isSafeInteger(s) || s < 0) problems.push(`seed() returned ${s}`);
      if (g.initialSeed() !== s)
        problems.push(`seed() returned ${s}, initialSeed() ${g.initialSeed()}`);
      const c = new Generator(s);
      if (sample(c) !== sample(g)) problems.push('seed(): the stream is not that of its seed');
      run.problems = problems;
      run.result = ['seeded'];
      return run;
    }
    default: {
      // gen.lowBits
      const [a, b] = args as [number, number];
      const sa = sample(new Generator(a));
      const sb = sample(new Generator(b));
      if (sa !== sb) run.problems = [`seeds ${a} and ${b} (equal low 32 bits) give other streams`];
      run.result = [sa];
      return run;
    }
  }
}

/**
 * The calls whose float64 results take their last bit from the backend's libm: blocked
 * Box–Muller normals (log, cos, sin) and exponentials (log).
 */
const LIBM_OPS = new Set([
  'exponential_',
  'randn',
  'normal_',
  'init.normal_',
  'init.xavierNormal_',
  'init.kaimingNormal_',
  'init.orthogonal_',
  'init.sparse_',
]);

function libmDependent(op: string, out: unknown): boolean {
  return LIBM_OPS.has(op) && out instanceof Tensor && out.dtype === 'float64';
}

/** Runs a `rnd.*` case (see the file's comment); the first run's errors propagate. */
export function randomCall(c: Case, self: unknown, args: unknown[], problems: string[]): unknown {
  const chk = c.check as RandomCheck;
  const seed0 = initialSeed();
  const first = runOnce(chk, self, args);
  const out1 = bits(first.result);
  const next1 = nextDraws(generators(args));
  problems.push(...(first.problems ?? []));
  problems.push(...checkRandom(chk, first, self, args));
  if (!chk.op.startsWith('gen.seed')) {
    manualSeed(seed0);
    const self2 = c.self ? materialize(c.self) : undefined;
    const args2 = c.args.map(materialize);
    try {
      const second = runOnce(chk, self2, args2);
      const out2 = bits(second.result);
      const next2 = nextDraws(generators(args2));
      if (out1 !== out2)
        problems.push(`not deterministic: the same seed gave ${out1}, then ${out2}`);
      else if (next1 !== next2)
        problems.push(
          `not deterministic: after the same call from the same seed, the next draws are ${next1}, then ${next2}`,
        );
    } catch (e) {
      problems.push(`not deterministic: the second run from the same seed threw ${String(e)}`);
    }
  }
  const out = first.target && chk.op.startsWith('init.') ? first.target : first.result;
  return {
    out: out instanceof Tensor || Array.isArray(out) ? out : bits(out),
    // float64 normals (from 16 elements) and exponentials take their last bit from each backend's
    // libm (the native one calls glibc's, as PyTorch does): across backends only `out` is compared,
    // within float64's tolerance. Determinism on one backend is still checked bit for bit.
    bits: libmDependent(chk.op, out) ? 'float64 from libm (it decides the last bit)' : out1,
    next: next1,
  };
}
