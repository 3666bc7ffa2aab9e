/**
 * Runs one fuzz case on the active backend and reduces what happened to
 * comparable data: the values it returned (and the gradients that reached
 * its inputs), or the error it threw.
 */
import * as nnkit from '../../src/index.js';
import {
  F,
  Tensor,
  io,
  manualSeed,
  nn,
  optim,
  data,
  setNumThreads,
  setPrintOptions,
} from '../../src/index.js';
import type { Case } from './cases.js';
import { materialize, prng, type Spec } from './spec.js';
import { checkResult } from './checks.js';
import { randomCall } from './exec-random.js';

export interface Rec {
  label: string;
  dtype?: string;
  shape?: number[];
  data?: number[];
  text?: string;
}

export type Outcome =
  | { kind: 'ok'; recs: Rec[]; problems: string[] }
  | { kind: 'error'; ctor: string; message: string; phase: string; problems: string[] };

type AnyFn = (...args: unknown[]) => unknown;
const rec = (o: object): Record<string, unknown> => o as Record<string, unknown>;

/** Checks a tensor's invariants; returns what is wrong, or null. */
export function tensorProblem(t: Tensor): string | null {
  const shape = t.shape;
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0))
    return `bad shape ${String(shape)}`;
  const n = shape.reduce((p, d) => p * d, 1);
  if (t.data.length !== n) return `data length ${t.data.length} ≠ product of shape ${n}`;
  const kind =
    t.dtype === 'float32' ? Float32Array : t.dtype === 'float64' ? Float64Array : Int32Array;
  if (!(t.data instanceof kind)) return `dtype ${t.dtype} but data ${t.data.constructor.name}`;
  return null;
}

function toRec(label: string, v: unknown, problems: string[]): Rec[] {
  if (v instanceof Tensor) {
    const p = tensorProblem(v);
    if (p) problems.push(`${label}: ${p}`);
    return [
      { label, dtype: v.dtype, shape: [...v.shape], data: Array.from(v.data.subarray(0, 4096)) },
    ];
  }
  if (
    v === undefined ||
    v === null ||
    typeof v === 'number' ||
    typeof v === 'string' ||
    typeof v === 'boolean'
  )
    return [
      { label, text: typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? 'undefined') },
    ];
  if (Array.isArray(v)) return v.flatMap((x, i) => toRec(`${label}[${i}]`, x, problems));
  if (v instanceof Int32Array) return [{ label, data: Array.from(v) }];
  if (typeof v === 'object') {
    return Object.entries(v as object)
      .filter(([, x]) => x instanceof Tensor || typeof x !== 'function')
      .flatMap(([k, x]) => toRec(`${label}.${k}`, x, problems));
  }
  return [{ label, text: typeof v }];
}

/** Options for a run: `float64` recomputes with every float32 tensor cast to float64 (the reference). */
export interface ExecOptions {
  float64?: boolean;
}

function upstream(t: Tensor): Tensor {
  const r = prng(12345);
  const out = t.dtype === 'float64' ? new Float64Array(t.size) : new Float32Array(t.size);
  for (let i = 0; i < out.length; i++) out[i] = r() * 2 - 1;
  return new Tensor(out, t.shape);
}

function mat(s: Spec, opts: ExecOptions, leaves: Tensor[]): unknown {
  if (s.t === 'tensor' && opts.float64 && s.dtype === 'float32') {
    const t = materialize({ ...s, grad: false, nonLeaf: false }) as Tensor;
    let u = t.to('float64');
    if (s.grad) u.requiresGrad_(true);
    if (s.grad) leaves.push(u);
    if (s.nonLeaf && s.grad) u = u.mul(1);
    return u;
  }
  if (s.t === 'tensor') {
    const v = materialize({ ...s, nonLeaf: false }) as Tensor;
    if (v.requiresGrad) leaves.push(v);
    return s.nonLeaf && v.requiresGrad ? v.mul(1) : v;
  }
  if (s.t === 'list') return s.v.map((x) => mat(x, opts, leaves));
  if (s.t === 'opts')
    return Object.fromEntries(Object.entries(s.v).map(([k, x]) => [k, mat(x, opts, leaves)]));
  return materialize(s);
}

const LINEAR_W = [0.3, -0.2, 0.1, 0.5, -0.4, 0.25];
const LINEAR_B = [0.05, -0.1];

function linear(): nn.Linear {
  const m = new nn.Linear(3, 2);
  (m.weight.data as Float32Array).set(LINEAR_W);
  (m.bias as Tensor).data.set(LINEAR_B);
  return m;
}

/** In-place activation `name` with PyTorch's required arguments filled in. */
function act(name: string, t: Tensor, inplace: boolean): Tensor {
  const f = rec(F)[name] as AnyFn;
  if (name === 'threshold') return f(t, 0.1, 20, { inplace }) as Tensor;
  if (name === 'rrelu') return f(t, { inplace, training: false }) as Tensor;
  // p = 1 draws nothing (x·0), so in place and out of place must agree exactly.
  if (name.toLowerCase().includes('dropout'))
    return f(t, { p: 1, training: true, inplace }) as Tensor;
  return f(t, { inplace }) as Tensor;
}

function scenarioInplace(args: unknown[], problems: string[]): unknown {
  const [a1, a2, op, x0, useH] = args as [string, string, string, Tensor, boolean];
  const build = (functional: boolean) => {
    const x = x0.detach().clone().requiresGrad_(true);
    const w = x0.detach().clone().mul(-0.5).add(0.25).requiresGrad_(true);
    const h = act(a1, x.mul(1), false);
    let y: Tensor;
    let hAfter = h;
    const opOn = (t: Tensor): Tensor => {
      switch (op) {
        case 'mul':
          return t.mul(w);
        case 'add':
          return t.add(w);
        case 'sigmoid':
          return t.sigmoid();
        case 'sum':
          return t.sum();
        case 'reshape':
          return t.reshape([-1]).mul(w.reshape([-1]));
        case 'matmul':
          return t.matmul(w.t());
        default:
          return t.mul(w);
      }
    };
    if (op === 'viewInplace') {
      hAfter = functional ? act(a2, h, false) : (act(a2, h.view(-1), true), h);
      y = opOn(hAfter);
    } else {
      y = opOn(h);
      hAfter = functional ? act(a2, h, false) : act(a2, h, true);
    }
    const loss = useH ? y.sum().add(hAfter.sum()) : y.sum();
    loss.backward();
    return { x, w, loss };
  };
  const ref = build(true);
  const got = build(false);
  const close = (a: Tensor | null, b: Tensor | null, what: string): void => {
    if (!a || !b) {
      if (a !== b)
        problems.push(
          `${what}: gradient ${a ? 'present' : 'missing'} in place, ${b ? 'present' : 'missing'} in the reference`,
        );
      return;
    }
    for (let i = 0; i < a.size; i++) {
      const p = a.data[i];
      const q = b.data[i];
      if ((Number.isNaN(p) && Number.isNaN(q)) || p === q) continue;
      if (!(Math.abs(p - q) <= 1e-4 * (1 + Math.abs(q)))) {
        problems.push(
          `silent wrong gradient: ${what}[${i}] is ${p} with the in-place op, ${q} without`,
        );
        return;
      }
    }
  };
  close(got.x.grad, ref.x.grad, 'x.grad');
  close(got.w.grad, ref.w.grad, 'w.grad');
  return got.loss;
}

function safetensorsBytes(seed: number, mutations: number): Uint8Array {
  const bytes = io.saveSafetensors(linear().stateDict());
  const r = prng(seed);
  for (let i = 0; i < mutations; i++) {
    const at =
      r() < 0.5 ? Math.floor(r() * Math.min(bytes.length, 16)) : Math.floor(r() * bytes.length);
    bytes[at] = Math.floor(r() * 256);
  }
  return r() < 0.2 ? bytes.subarray(0, Math.floor(r() * bytes.length)) : bytes;
}

function schedule(name: string, args: unknown[]): unknown {
  if (name === 'beta') {
    const [kind, opts, t] = args as [string, unknown, number];
    const s =
      kind === 'constantBeta'
        ? optim.constantBeta((opts as { start: number }).start)
        : (rec(optim)[kind] as AnyFn)(opts);
    return (s as { betaAt(t: number): number }).betaAt(t);
  }
  const m = linear();
  const opt = new optim.SGD(m.parameters(), { lr: 0.1, momentum: 0.9 });
  const Ctor = rec(optim.lrScheduler)[name] as new (...a: unknown[]) => {
    step(): void;
    getLastLr(): number[];
  };
  const s = new Ctor(opt, ...args);
  const lrs: number[] = [];
  for (let i = 0; i < 5; i++) {
    opt.step();
    s.step();
    lrs.push(...s.getLastLr());
  }
  return lrs;
}

/** A value to store in a container: modules of several kinds, and values that are not modules. */
function containerValue(kind: string): unknown {
  switch (kind) {
    case 'Tanh':
      return new nn.Tanh();
    case 'Linear':
      return new nn.Linear(3, 3);
    case 'Linear2':
      return new nn.Linear(2, 2);
    case 'ModuleList':
      return new nn.ModuleList([new nn.ReLU()]);
    case 'null':
      return null;
    case 'number':
      return 3;
    case 'object':
      return { forward: (x: Tensor) => x };
    default:
      return new Tensor(new Float32Array(3), [3]);
  }
}

/** `net[i]`, `net[i] = value` or `i in net` on a Sequential or ModuleList of `n` modules. */
function containerCall(cls: string, args: unknown[], problems: string[]): unknown {
  const [n, op, i, kind, x] = args as [number, string, number, string, Tensor];
  const mods: nn.Module[] = Array.from({ length: n }, (_v, j) =>
    j % 2 === 0 ? new nn.Linear(3, 3) : new nn.Tanh(),
  );
  const net =
    cls === 'Sequential' ? new nn.Sequential(...(mods as nn.Linear[])) : new nn.ModuleList(mods);
  const at = net as unknown as Record<number, unknown>;
  const valid = Number.isInteger(i) && i >= -n && i < n;
  const pos = i < 0 ? i + n : i;
  const run = (): unknown => (net instanceof nn.Sequential ? net.forward(x) : null);
  if (op === 'has') {
    const got = i in net;
    if (got !== valid) problems.push(`${String(i)} in ${cls} of ${n} is ${got}`);
    return got;
  }
  if (op === 'get') {
    const m = at[i];
    if (valid && m !== mods[pos]) problems.push(`${cls}[${String(i)}] is not module ${pos}`);
    return [m instanceof nn.Module ? m.constructor.name : String(m), run()];
  }
  const value = containerValue(kind);
  at[i] = value;
  if (valid) {
    if (at[i] !== value) problems.push(`${cls}[${String(i)}] = m; ${cls}[${String(i)}] is not m`);
    if (net.length !== n)
      problems.push(`${cls}[${String(i)}] = m changed the length to ${net.length}`);
    if (net.children()[pos] !== value)
      problems.push(`${cls}[${String(i)}] = m did not replace child ${pos}`);
    const keys = [...net.namedModules()]
      .map(([k]) => k)
      .filter((k) => k !== '' && !k.includes('.'));
    if (keys.some((k, j) => k !== String(j)))
      problems.push(`${cls}[${String(i)}] = m: children named ${keys.join(', ')}`);
  }
  return [net.length, run()];
}

/** Runs the case's call; returns its result (may throw). */
function call(c: Case, self: unknown, args: unknown[], problems: string[]): unknown {
  const [kind, name] = [
    c.target.slice(0, c.target.indexOf('.')),
    c.target.slice(c.target.indexOf('.') + 1),
  ];
  switch (kind) {
    case 'F':
      return (rec(F)[name] as AnyFn)(...args);
    case 'T': {
      const t = self as Tensor;
      if (name === 'setGrad') {
        t.grad = args[0] as Tensor;
        return t.grad;
      }
      if (name === 'backward') {
        (t.requiresGrad ? t.mul(2) : t).backward(args[0] as Tensor);
        return t.grad;
      }
      return (rec(t)[name] as AnyFn).apply(t, args);
    }
    case 'fn':
      return (rec(nnkit)[name] as AnyFn)(...args);
    case 'create':
      if (name === 'Tensor') return new Tensor(...(args as [Float32Array, number[]]));
      return (rec(nnkit)[name] as AnyFn)(...args);
    case 'nn': {
      if (name === 'loadStateDict') {
        const m = linear();
        try {
          return m.loadStateDict(...(args as [Record<string, Tensor>]));
        } catch (e) {
          const w = Array.from(m.weight.data);
          const b = Array.from((m.bias as Tensor).data);
          if (
            w.some((v, i) => Math.fround(LINEAR_W[i]) !== v) ||
            b.some((v, i) => Math.fround(LINEAR_B[i]) !== v)
          )
            problems.push('loadStateDict threw after changing the module');
          throw e;
        }
      }
      if (name === 'to') {
        const m = linear();
        const opt = new optim.SGD(m.parameters(), 0.1);
        m.to(args[0] as 'float64');
        const before = Array.from(m.weight.data);
        m.forward(new Tensor(Float64Array.from([1, 2, 3]), [1, 3]).to(m.weight.dtype))
          .sum()
          .backward();
        opt.step();
        if (Array.from(m.weight.data).every((v, i) => v === before[i]))
          problems.push('module.to(): the optimizer no longer updates the parameters');
        return [m.weight, m.bias];
      }
      if (name === 'Sequential') {
        const s = new nn.Sequential(linear(), new nn.ReLU({ inplace: true }), new nn.Linear(2, 2));
        return s.forward(args[0] as Tensor);
      }
      const Ctor = rec(nn)[name] as new (...a: unknown[]) => { forward: AnyFn };
      const m = new Ctor(...((c.ctor ?? []).map((s) => materialize(s)) as unknown[]));
      return m.forward(...args);
    }
    case 'optim': {
      const [opts, steps, patch, toDtype] = args as [
        Record<string, unknown>,
        number,
        Record<string, unknown>,
        string | null,
      ];
      const m = linear();
      const Opt = rec(optim)[name] as new (...a: unknown[]) => optim.Optimizer;
      const opt = new Opt(m.parameters(), opts);
      const x = new Tensor(Float32Array.from([0.5, -1, 2, 1, 0, -0.5]), [2, 3]);
      const lr = typeof opts.lr === 'number' ? opts.lr : 0.01;
      for (let s = 0; s < steps; s++) {
        if (s === 1) {
          Object.assign(opt.paramGroups[0], patch);
          if (toDtype) m.to(toDtype as 'float64');
        }
        opt.zeroGrad();
        m.forward(x.to(m.weight.dtype)).square().mean().backward();
        opt.step();
      }
      const values = [...m.weight.data, ...(m.bias as Tensor).data];
      // Centered RMSprop with alpha 0 divides by sqrt(g² − g²) + eps: NaN in PyTorch too.
      const degenerate = opts.alpha === 0 && opts.centered === true;
      if (
        lr <= 1 &&
        !degenerate &&
        Object.keys(patch).length === 0 &&
        values.some((v) => !Number.isFinite(v))
      )
        problems.push(`${name}: the parameters became non-finite with finite options`);
      return [m.weight, m.bias];
    }
    case 'data': {
      const Ctor = rec(data)[name] as new (...a: unknown[]) => Iterable<Int32Array>;
      const sampler = new Ctor(...args);
      const out: number[][] = [];
      for (const b of sampler) {
        out.push(Array.from(b));
        if (out.length > 50) break;
      }
      return out.map((b) => new Tensor(Int32Array.from(b), [b.length]));
    }
    case 'io':
      if (name === 'tensorFromJSON') return io.tensorFromJSON(args[0] as never);
      return io.loadSafetensors(safetensorsBytes(args[0] as number, args[1] as number));
    case 'rt': {
      const backend = nnkit.getBackend();
      try {
        switch (name) {
          case 'setNumThreads':
            return setNumThreads(args[0] as number);
          case 'manualSeed':
            manualSeed(args[0] as number);
            return nnkit.rand([3]);
          case 'noGrad':
            return nnkit.noGrad(args[0] as () => unknown);
          case 'setBackend':
            nnkit.setBackend(args[0] as 'js');
            return nnkit.getBackend() === 'js' ? 'js' : 'other';
          case 'gradcheck': {
            const [x, f] = args as [Tensor, string];
            const fn = (t: Tensor): Tensor =>
              f === 'pow' ? t.pow(3) : ((rec(t)[f] as AnyFn).call(t) as Tensor);
            return nnkit.gradcheck(fn, [x]);
          }
          default:
            return setPrintOptions(args[0] as never);
        }
      } finally {
        setNumThreads(1);
        setPrintOptions({ profile: 'default' });
        nnkit.setBackend(backend);
      }
    }
    case 'mha': {
      const m = new nn.MultiheadAttention(
        ...((c.ctor ?? []).map((s) => materialize(s)) as [number, number]),
      );
      if (c.mode === 'eval') m.eval();
      // Self-attention: key and value are the query itself (PyTorch's packed in-projection path).
      const fwd = args.map((a) => (a === 'query' ? args[0] : a)) as [Tensor, Tensor, Tensor];
      return m.forward(...fwd);
    }
    case 'container':
      return containerCall(name, args, problems);
    case 'rnd':
      return randomCall(c, self, args, problems);
    case 'scenario':
      return scenarioInplace(args, problems);
    case 'sched':
      return schedule(name, args);
    case 'clip': {
      const [value, ...rest] = args;
      const grad = rest[rest.length - 1] as Tensor;
      const p = new Tensor(new Float32Array(grad.size), grad.shape).requiresGrad_();
      p.grad = grad;
      const fn = rec(nn.utils)[name] as AnyFn;
      const out = fn([p], value, ...rest.slice(0, -1));
      return [out, p.grad];
    }
    case 'optimState': {
      const [state, corrupt] = args as [unknown, string];
      const m = linear();
      const opt = new optim.Adam(m.parameters(), 0.1);
      m.forward(new Tensor(Float32Array.from([1, 2, 3]), [1, 3]))
        .sum()
        .backward();
      opt.step();
      let dict: unknown = state === 'valid' ? opt.stateDict() : state;
      if (state === 'valid' && corrupt !== 'none') {
        const d = structuredClone(opt.stateDict()) as unknown as {
          state: Record<string, Record<string, unknown>>;
          param_groups: Record<string, unknown>[];
        };
        if (corrupt === 'lr') d.param_groups[0].lr = -1;
        if (corrupt === 'step') d.state[0].step = 'x';
        if (corrupt === 'exp_avg') d.state[0].exp_avg = new Tensor(new Float32Array(2), [2]);
        if (corrupt === 'params') d.param_groups[0].params = [0];
        dict = d;
      }
      const fresh = new optim.Adam(linear().parameters(), 0.1);
      fresh.loadStateDict(dict as never);
      return fresh.paramGroups[0].lr;
    }
    default:
      throw new Error(`fuzz: unknown target ${c.target}`);
  }
}

/** Runs `c` on the active backend. */
export function execute(c: Case, seed: number, opts: ExecOptions = {}): Outcome {
  const problems: string[] = [];
  const leaves: Tensor[] = [];
  manualSeed(seed >>> 0);
  let self: unknown;
  let args: unknown[];
  try {
    self = c.self ? mat(c.self, opts, leaves) : undefined;
    args = c.args.map((s) => mat(s, opts, leaves));
  } catch (e) {
    return {
      kind: 'error',
      ctor: 'setup',
      message: `fuzz setup failed: ${(e as Error).message}`,
      phase: 'setup',
      problems: ['the generator built an invalid spec'],
    };
  }
  let result: unknown;
  try {
    result = call(c, self, args, problems);
  } catch (e) {
    return errorOutcome(e, 'call', problems);
  }
  if (c.check && !opts.float64) {
    try {
      problems.push(...checkResult(c.check, self, args, result));
    } catch (e) {
      problems.push(`the reference check failed: ${(e as Error).message}`);
    }
  }
  // A pair (max pooling's `[output, indices]`): the output is differentiated.
  const output = Array.isArray(result) && result[0] instanceof Tensor ? result[0] : result;
  if (c.backward && output instanceof Tensor && output.requiresGrad && output.dtype !== 'int32') {
    try {
      output.backward(upstream(output));
    } catch (e) {
      return errorOutcome(e, 'backward', problems);
    }
  }
  const recs = toRec('result', result, problems);
  leaves.forEach((t, i) => {
    if (t.grad) recs.push(...toRec(`grad${i}`, t.grad, problems));
  });
  return { kind: 'ok', recs, problems };
}

function errorOutcome(e: unknown, phase: string, problems: string[]): Outcome {
  if (!(e instanceof Error))
    return { kind: 'error', ctor: typeof e, message: String(e), phase, problems };
  return { kind: 'error', ctor: e.constructor.name, message: e.message, phase, problems };
}
