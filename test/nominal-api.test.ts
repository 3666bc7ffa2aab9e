/**
 * The public API with an empty dimension beside huge ones, on every backend:
 * each registry function (its golden samples, every size in them replaced in
 * turn so that one becomes 0 and another 2^40, or two 2^20 and a third 0), the
 * tensor methods that reduce or scan along a dimension, and `.backward()` of
 * the results either return or throw nnkit's clear error (an `Error` naming
 * the function), and no call takes long: a walk over the 2^40 nominal rows of
 * nothing hangs instead (see test/kernels-nominal-all.test.ts for the kernels).
 */
import { expect, it } from 'vitest';
import { F, nn, Tensor, zeros } from '../src/index.js';
import { REGISTRY } from '../src/registry/index.js';
import { moduleShape, type FunctionEntry } from '../src/registry/define.js';
import { decodeNumber, isEncodedTensor, loadGolden, type EncodedTensor } from './helpers/golden.js';
import { forEachBackend } from './helpers/backends.js';

const BIG = 2 ** 20;
const HUGE = 2 ** 40;
/** Tensors with more elements than this are not made: the variant is left out. */
const MAX_ELEMENTS = 2 ** 22;
/** A call slower than this counts as walking its nominal rows (the fuzzer's limit). */
const SLOW_MS = 5_000;

interface Sample {
  inputs: Record<string, EncodedTensor>;
  args: Record<string, unknown>;
  grads?: Record<string, unknown>;
}
const golden = loadGolden<{ name: string; samples: Sample[] }>('registry');
const samplesOf = new Map(golden.cases.map((c) => [c.name, c.samples]));
const fns = F as unknown as Record<string, (...args: unknown[]) => unknown>;
const modules = nn as unknown as Record<
  string,
  new (...args: unknown[]) => { forward: (...args: unknown[]) => unknown }
>;

/** Size substitutions: one size to 0 and another to 2^40, or two to 2^20 and a third to 0. */
function substitutions(sizes: readonly number[]): Map<number, number>[] {
  const v = [...new Set(sizes)];
  const out: Map<number, number>[] = [];
  for (const a of v)
    for (const b of v)
      if (a !== b)
        out.push(
          new Map([
            [a, 0],
            [b, HUGE],
          ]),
        );
  for (let i = 0; i < v.length; i++)
    for (let j = i + 1; j < v.length; j++)
      for (const z of v)
        if (z !== v[i] && z !== v[j])
          out.push(
            new Map([
              [v[i], BIG],
              [v[j], BIG],
              [z, 0],
            ]),
          );
  return out;
}

/** Every size of every tensor in a sample. */
function sizesOf(s: Sample): number[] {
  const all = [...Object.values(s.inputs), ...Object.values(s.args).filter(isEncodedTensor)];
  return all.flatMap((t) => t.shape);
}

/** A zero tensor of the encoded one's dtype, its sizes substituted; null if too large. */
function nominalTensor(
  e: EncodedTensor,
  sub: Map<number, number>,
  requiresGrad: boolean,
): Tensor | null {
  const shape = e.shape.map((d) => sub.get(d) ?? d);
  if (shape.reduce((p, d) => p * d, 1) > MAX_ELEMENTS) return null;
  return zeros(shape, { dtype: e.dtype, requiresGrad: requiresGrad && e.dtype !== 'int32' });
}

/** Inputs by position while every parameter before them is one; the rest by name. */
function callArgs(
  e: FunctionEntry,
  s: Sample,
  sub: Map<number, number>,
): { args: unknown[]; leaves: Tensor[] } | null {
  const args: unknown[] = [];
  const named: Record<string, unknown> = {};
  const leaves: Tensor[] = [];
  let byPosition = true;
  for (const p of e.params) {
    const encoded = s.inputs[p.name] ?? (isEncodedTensor(s.args[p.name]) ? s.args[p.name] : null);
    let value: unknown;
    if (encoded) {
      const t = nominalTensor(encoded as EncodedTensor, sub, p.name in (s.grads ?? {}));
      // A huge optional tensor (a class weight) is left out: its default stands.
      if (t === null && !(p.name in s.inputs)) {
        byPosition = false;
        continue;
      }
      if (t === null) return null;
      if (t.requiresGrad) leaves.push(t);
      value = t;
    } else if (p.name in s.args) {
      const raw = s.args[p.name];
      value =
        typeof raw === 'string' && ['NaN', 'Infinity', '-Infinity'].includes(raw)
          ? decodeNumber(raw)
          : raw;
    } else {
      byPosition = false;
      continue;
    }
    if (byPosition && !p.kwOnly && p.name in s.inputs) args.push(value);
    else {
      byPosition = false;
      named[p.name] = value;
    }
  }
  return { args: Object.keys(named).length ? [...args, named] : args, leaves };
}

/** Runs `f`; an error must be nnkit's clear one, naming one of `names`. */
function returnsOrRefuses<T>(label: string, names: readonly string[], f: () => T): T | undefined {
  const t = performance.now();
  let result: T | undefined;
  try {
    result = f();
  } catch (err) {
    expect((err as Error).constructor, `${label}: ${String(err)}`).toBe(Error);
    const message = (err as Error).message;
    expect(
      names.some((n) => message.startsWith(`${n}: `)),
      `${label}: unclear error: ${message}`,
    ).toBe(true);
  }
  expect(performance.now() - t, `${label}: took long`).toBeLessThan(SLOW_MS);
  return result;
}

/** The tensor that carries the gradient: the first of a pair, the values of a sort. */
function primary(y: unknown): unknown {
  if (Array.isArray(y)) return y[0];
  if (typeof y === 'object' && y !== null && 'values' in y) return y.values;
  return y;
}

/** `.backward()` of an output: a scalar's, or with a zero gradient of its shape. */
function backwardOf(label: string, y: unknown): void {
  const out = primary(y);
  if (!(out instanceof Tensor) || !out.requiresGrad) return;
  if (out.size > MAX_ELEMENTS) return;
  returnsOrRefuses(`${label} backward`, ['backward'], () =>
    out.size === 1 && out.ndim === 0 ? out.backward() : out.backward(zeros(out.shape)),
  );
}

const SHAPES = [
  [BIG, BIG, 0],
  [BIG, 0, BIG],
  [0, BIG, BIG],
  [HUGE, 0],
  [0, HUGE],
  [HUGE, 1, 0],
  [HUGE, 0, 1],
];

/** The entry as a function: `F.<name>`, or its module's forward (`softmax2d` has no `F` form). */
function callableOf(e: FunctionEntry): (...args: unknown[]) => unknown {
  if (e.functional !== false) return fns[e.name];
  const shape = moduleShape(e);
  const inputs = new Set(shape.inputs.map((p) => p.name));
  return (...args: unknown[]) => {
    const named = (args.length && !(args.at(-1) instanceof Tensor) ? args.pop() : {}) as Record<
      string,
      unknown
    >;
    const ctor = Object.fromEntries(Object.entries(named).filter(([k]) => !inputs.has(k)));
    const m = new modules[shape.spec.name](ctor);
    return m.forward(...args);
  };
}

forEachBackend((backend) => {
  for (const e of REGISTRY) {
    it(`${backend}: F.${e.name} with an empty dimension beside huge ones`, () => {
      const f = callableOf(e);
      const samples = samplesOf.get(e.name) ?? [];
      if (samples.length === 0) {
        // No golden sample (a random function): the input alone, of each nominal shape.
        for (const shape of SHAPES) {
          const x = zeros(shape, { requiresGrad: true });
          const label = `F.${e.name}([${shape.join(', ')}])`;
          const y = returnsOrRefuses(label, [e.name], () => f(x));
          if (y !== undefined) backwardOf(label, y);
        }
        return;
      }
      let calls = 0;
      for (const [k, s] of samples.entries()) {
        for (const sub of substitutions(sizesOf(s))) {
          const call = callArgs(e, s, sub);
          if (call === null) continue;
          calls++;
          const label = `F.${e.name} sample ${k} ${JSON.stringify([...sub])}`;
          const y = returnsOrRefuses(label, [e.name], () => f(...call.args));
          if (y !== undefined) backwardOf(label, y);
        }
      }
      // An entry with an input of two or more dimensions gets nominal calls.
      if (samples.some((s) => Object.values(s.inputs).some((t) => t.shape.length >= 2)))
        expect(calls, `${e.name}: nominal calls`).toBeGreaterThan(0);
    });
  }

  type Method = (x: Tensor, dim: number) => unknown;
  const METHODS: Record<string, Method> = {
    sum: (x, d) => x.sum(d),
    sumKeepdim: (x, d) => x.sum(d, true),
    mean: (x, d) => x.mean(d),
    amax: (x, d) => x.amax(d),
    amin: (x, d) => x.amin(d),
    max: (x, d) => x.max(d),
    min: (x, d) => x.min(d),
    argmax: (x, d) => x.argmax(d),
    argmin: (x, d) => x.argmin(d),
    prod: (x, d) => x.prod(d),
    var: (x, d) => x.var(d),
    std: (x, d) => x.std(d),
    logsumexp: (x, d) => x.logsumexp(d),
    cumsum: (x, d) => x.cumsum(d),
    sort: (x, d) => x.sort(d),
    argsort: (x, d) => x.argsort(d),
    topk: (x, d) => x.topk(0, d),
    softmax: (x, d) => x.softmax(d),
    logSoftmax: (x, d) => x.logSoftmax(d),
  };
  for (const [name, method] of Object.entries(METHODS)) {
    it(`${backend}: Tensor.${name} along each dimension of empty tensors with huge ones`, () => {
      const names = [name.replace(/Keepdim$/, '')];
      for (const shape of SHAPES) {
        for (let dim = 0; dim < shape.length; dim++) {
          const x = zeros(shape, { requiresGrad: true });
          const label = `${name}(${dim}) of [${shape.join(', ')}]`;
          const y = returnsOrRefuses(label, names, () => method(x, dim));
          if (y === undefined) continue;
          const out = primary(y);
          if (out instanceof Tensor && out.requiresGrad && out.size <= MAX_ELEMENTS) {
            returnsOrRefuses(`${label} backward`, ['backward'], () => out.sum().backward());
          }
        }
      }
    });
  }
});
