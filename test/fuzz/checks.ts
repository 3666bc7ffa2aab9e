/**
 * Reference checks for the cases of test/fuzz/cases-extra.ts: what a result
 * must satisfy whatever the backend, computed from the input's values in
 * plain JavaScript (float64) without nnkit's ops. Each returns the problems
 * it finds (empty if none).
 */
import { Generator, Tensor, rand, randint, randn, randperm } from '../../src/index.js';
import type { Check } from './cases-extra.js';
import type { RandomCheck } from './cases-random.js';

/** `shape` around `dim`: rows of `size` elements `inner` apart, `outer` of them (a 0-d tensor is one row of 1). */
function around(
  shape: readonly number[],
  dim: number,
): { outer: number; size: number; inner: number } {
  if (shape.length === 0) return { outer: 1, size: 1, inner: 1 };
  const prod = (a: readonly number[]) => a.reduce((p, d) => p * d, 1);
  return { outer: prod(shape.slice(0, dim)), size: shape[dim], inner: prod(shape.slice(dim + 1)) };
}

const same = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b));

/** Equal within `rtol` (NaN equal to NaN, infinities exact). */
function near(a: number, b: number, rtol: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= rtol * (1 + Math.abs(a) + Math.abs(b));
}

const round32 = (dtype: string) => (dtype === 'float32' ? Math.fround : (v: number) => v);

/** PyTorch's sort order: NaN largest. */
const before = (a: number, b: number, desc: boolean): boolean =>
  desc
    ? (Number.isNaN(a) && !Number.isNaN(b)) || a > b
    : (!Number.isNaN(a) && Number.isNaN(b)) || a < b;

function shapeIs(t: unknown, shape: readonly number[], what: string): string | null {
  if (!(t instanceof Tensor)) return `${what} is not a Tensor`;
  if (String(t.shape) !== String(shape))
    return `${what} has shape [${String(t.shape)}], expected [${String(shape)}]`;
  return null;
}

/** Checks a sorted (or top-k) result along `dim` against the input `x`. */
function checkSorted(
  x: Tensor,
  values: Float64Array | number[] | null,
  indices: Tensor,
  dim: number,
  count: number,
  desc: boolean,
  stable: boolean,
  sorted: boolean,
  what: string,
): string[] {
  const out: string[] = [];
  const { outer, size, inner } = around(x.shape, dim);
  const src = x.data;
  const idx = indices.data;
  if (src.length === 0) return [];
  if (indices.dtype !== 'int32') return [`${what}: indices of dtype ${indices.dtype}`];
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const seen = new Set<number>();
      const row: number[] = [];
      for (let j = 0; j < count; j++) {
        const at = (o * count + j) * inner + i;
        const ix = idx[at];
        if (!(ix >= 0 && ix < size) || seen.has(ix))
          return [`${what}: row ${o}/${i}: index ${ix} out of range or repeated`];
        seen.add(ix);
        const v = src[(o * size + ix) * inner + i];
        if (values && !same(values[at], v))
          return [`${what}: values[${at}] is ${values[at]}, but the input at index ${ix} is ${v}`];
        row.push(v);
      }
      if (sorted) {
        for (let j = 1; j < count; j++) {
          if (before(row[j], row[j - 1], desc))
            return [`${what}: row ${o}/${i} is not sorted: ${row[j - 1]} then ${row[j]}`];
          const ia = idx[(o * count + j - 1) * inner + i];
          const ib = idx[(o * count + j) * inner + i];
          if (stable && same(row[j], row[j - 1]) && ia > ib)
            return [`${what}: stable sort left equal values at indices ${ia} before ${ib}`];
        }
      }
      if (count < size) {
        // topk: nothing left out comes before the k-th chosen (the largest or smallest k).
        const all = Array.from({ length: size }, (_v, j) => src[(o * size + j) * inner + i]);
        const chosen = [...row].sort((a, b) =>
          before(a, b, desc) ? -1 : before(b, a, desc) ? 1 : 0,
        );
        const worst = chosen[chosen.length - 1];
        for (let j = 0; j < size; j++) {
          if (seen.has(j)) continue;
          if (count > 0 && before(all[j], worst, desc))
            return [`${what}: row ${o}/${i}: ${all[j]} was left out but ${worst} was chosen`];
          if (count === 0) break;
        }
      }
    }
  }
  return out;
}

/** The problems with `result` of the call described by `chk` on `self` (or on the module's inputs). */
export function checkResult(chk: Check, self: unknown, args: unknown[], result: unknown): string[] {
  if (chk.k === 'mha') return checkMha(chk, args, result);
  if (chk.k === 'container') return [];
  // The random API's cases are checked as they run (exec-random.ts calls checkRandom).
  if (chk.k === 'rnd') return [];
  const x = self as Tensor;
  const src = x.data;
  const shape = x.shape;
  const rank = shape.length;
  switch (chk.k) {
    case 'varStd': {
      const r = result as Tensor;
      if (!(r instanceof Tensor)) return ['var/std: not a Tensor'];
      const dims = chk.dims ?? shape.map((_d, i) => i);
      const kept = shape.map((d, i) => (dims.includes(i) ? 1 : d));
      const want = chk.keepdim && rank > 0 ? kept : shape.filter((_d, i) => !dims.includes(i));
      const bad = shapeIs(r, chk.dims === null ? (chk.keepdim ? kept : []) : want, 'result');
      if (bad) return [bad];
      if (r.dtype !== x.dtype) return [`result dtype ${r.dtype} of a ${x.dtype} input`];
      if (src.length === 0) return [];
      // Group the input's elements by their position in the kept shape.
      const m = kept.reduce((p, d) => p * d, 1);
      const groups: number[][] = Array.from({ length: m }, () => []);
      const strides = kept.map((_d, i) => kept.slice(i + 1).reduce((p, d) => p * d, 1));
      const coord = new Array<number>(rank).fill(0);
      for (let e = 0; e < src.length; e++) {
        let rest = e;
        for (let k = rank - 1; k >= 0; k--) {
          coord[k] = rest % shape[k];
          rest = Math.floor(rest / shape[k]);
        }
        let g = 0;
        for (let k = 0; k < rank; k++) if (!dims.includes(k)) g += coord[k] * strides[k];
        groups[g].push(src[e]);
      }
      const f = round32(x.dtype);
      for (let g = 0; g < m; g++) {
        const vs = groups[g];
        const mean = vs.reduce((a, b) => a + b, 0) / vs.length;
        const m2 = vs.reduce((a, b) => a + (b - mean) * (b - mean), 0);
        const v = m2 / Math.max(0, vs.length - chk.correction);
        const ref = f(chk.fn === 'std' ? Math.sqrt(v) : v);
        // float64 sums of float32 inputs: the order of summation is the only difference.
        if (!near(r.data[g], ref, 1e-6) && !(Math.abs(ref) > 1e300))
          return [
            `${chk.fn}: result[${g}] is ${r.data[g]}, the float64 mean of squared deviations gives ${ref}`,
          ];
      }
      return [];
    }
    case 'prod': {
      const r = result as Tensor;
      const d = chk.dim;
      const { outer, size, inner } =
        d === null ? { outer: 1, size: src.length, inner: 1 } : around(shape, d);
      const want =
        d === null
          ? []
          : chk.keepdim
            ? shape.map((s, i) => (i === d ? 1 : s))
            : shape.filter((_s, i) => i !== d);
      const bad = shapeIs(r, rank === 0 ? [] : want, 'result');
      if (bad) return [bad];
      if (src.length === 0)
        return r.data.every((v) => v === 1) ? [] : ['prod: a product of no elements is not 1'];
      // Float32 products of large or tiny values may overflow or underflow on the way.
      if (x.dtype !== 'int32' && src.some((v) => !(Math.abs(v) <= 100))) return [];
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          let p = 1;
          for (let j = 0; j < size; j++) {
            const v = src[(o * size + j) * inner + i];
            p = x.dtype === 'int32' ? Math.imul(p, v) : p * v;
          }
          const got = r.data[o * inner + i];
          // Rounding at each step in float32 may overflow (or not) where float64 does not.
          const exact = x.dtype === 'int32';
          if (exact ? got !== p : Math.abs(p) < 1e30 && Math.abs(p) > 1e-30 && !near(got, p, 1e-4))
            return [`prod: result[${o * inner + i}] is ${got}, the float64 product ${p}`];
        }
      }
      return [];
    }
    case 'cumsum': {
      const r = result as Tensor;
      const bad = shapeIs(r, shape, 'result');
      if (bad) return [bad];
      // An empty input of huge nominal dims ([2^40, 0]) has 2^40 empty rows: nothing to check.
      if (src.length === 0) return [];
      const { outer, size, inner } = around(shape, chk.dim);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          let acc = 0;
          for (let j = 0; j < size; j++) {
            const at = (o * size + j) * inner + i;
            acc = x.dtype === 'int32' ? (acc + src[at]) | 0 : acc + src[at];
            const ref = round32(x.dtype)(acc);
            if (x.dtype === 'int32' ? r.data[at] !== ref : !near(r.data[at], ref, 1e-6))
              return [`cumsum: result[${at}] is ${r.data[at]}, the running sum ${ref}`];
          }
        }
      }
      return [];
    }
    case 'unary': {
      const r = result as Tensor;
      const bad = shapeIs(r, shape, 'result');
      if (bad) return [bad];
      const floating = chk.fn === 'sin' || chk.fn === 'cos';
      const dt = floating && x.dtype === 'int32' ? 'float32' : x.dtype;
      if (r.dtype !== dt) return [`${chk.fn}: result dtype ${r.dtype} of a ${x.dtype} input`];
      const f = round32(dt);
      for (let e = 0; e < src.length; e++) {
        // sin and cos of int32 convert it to float32 first (2^31 − 1 is 2^31 there), as PyTorch.
        const v = floating && x.dtype === 'int32' ? Math.fround(src[e]) : src[e];
        const ref =
          chk.fn === 'sin'
            ? f(Math.sin(v))
            : chk.fn === 'cos'
              ? f(Math.cos(v))
              : chk.fn === 'neg'
                ? x.dtype === 'int32'
                  ? -v | 0
                  : -v
                : chk.fn === 'abs'
                  ? x.dtype === 'int32'
                    ? Math.abs(v) | 0
                    : Math.abs(v)
                  : Math.abs(v) >= 2 ** 52 || !Number.isFinite(v)
                    ? v
                    : v - Math.floor(v) === 0.5
                      ? 2 * Math.round(v / 2)
                      : Math.round(v);
        const ok = floating
          ? near(r.data[e], ref, 1e-6)
          : same(r.data[e], ref) || (ref === 0 && r.data[e] === 0);
        if (!ok) return [`${chk.fn}: result[${e}] is ${r.data[e]} for ${v}, expected ${ref}`];
      }
      return [];
    }
    case 'clamp': {
      const r = result as Tensor;
      const bad = shapeIs(r, shape, 'result');
      if (bad) return [bad];
      // An int32 tensor stays int32 with integer bounds (a null one is no bound), as in PyTorch;
      // a fractional or non-finite bound gives float32.
      const integral = [chk.min, chk.max].every((b) => b === null || Number.isSafeInteger(b));
      const dt = x.dtype === 'int32' && !integral ? 'float32' : x.dtype;
      if (r.dtype !== dt)
        return [`clamp(${chk.min}, ${chk.max}) of ${x.dtype} gave ${r.dtype}, expected ${dt}`];
      const lo = chk.min ?? -Infinity;
      const hi = chk.max ?? Infinity;
      const f = round32(r.dtype);
      for (let e = 0; e < src.length; e++) {
        const v = src[e];
        // PyTorch's clamp: min(max(x, lo), hi), NaN propagating; the bounds in the result's dtype.
        const ref = Number.isNaN(v) ? NaN : Math.min(Math.max(v, f(lo)), f(hi));
        if (!same(r.data[e], f(ref)) && !(ref === 0 && r.data[e] === 0))
          return [
            `clamp: result[${e}] is ${r.data[e]} for ${v} in [${lo}, ${hi}], expected ${f(ref)}`,
          ];
      }
      return [];
    }
    case 'sort': {
      const d = chk.dim;
      const values = chk.fn === 'sort' ? (result as { values: Tensor }).values : null;
      const indices =
        chk.fn === 'sort' ? (result as { indices: Tensor }).indices : (result as Tensor);
      const bad =
        shapeIs(indices, shape, 'indices') ?? (values ? shapeIs(values, shape, 'values') : null);
      if (bad) return [bad];
      if (values && values.dtype !== x.dtype) return [`values of dtype ${values.dtype}`];
      const { size } = around(shape, d);
      return checkSorted(
        x,
        values ? Array.from(values.data) : null,
        indices,
        d,
        size,
        chk.descending,
        chk.stable,
        true,
        chk.fn,
      );
    }
    case 'topk': {
      const r = result as { values: Tensor; indices: Tensor };
      const d = chk.dim;
      const count = rank === 0 ? 1 : chk.count;
      const want = rank === 0 ? [] : shape.map((s, i) => (i === d ? count : s));
      const bad = shapeIs(r.values, want, 'values') ?? shapeIs(r.indices, want, 'indices');
      if (bad) return [bad];
      if (rank === 0)
        return same(r.values.data[0], src[0]) ? [] : ['topk of a 0-d tensor changed it'];
      return checkSorted(
        x,
        Array.from(r.values.data),
        r.indices,
        d,
        count,
        chk.largest,
        false,
        chk.sorted,
        'topk',
      );
    }
    case 'split': {
      const pieces = result as Tensor[];
      if (!Array.isArray(pieces)) return ['split: not an array'];
      if (pieces.length !== chk.sizes.length)
        return [
          `split: ${pieces.length} pieces, expected ${chk.sizes.length} (${String(chk.sizes)})`,
        ];
      const { outer, size, inner } = around(shape, chk.dim);
      if (src.length === 0) return [];
      let start = 0;
      for (let p = 0; p < pieces.length; p++) {
        const len = chk.sizes[p];
        const bad = shapeIs(
          pieces[p],
          shape.map((s, i) => (i === chk.dim ? len : s)),
          `piece ${p}`,
        );
        if (bad) return [bad];
        const data = pieces[p].data;
        for (let o = 0; o < outer; o++)
          for (let j = 0; j < len; j++)
            for (let i = 0; i < inner; i++) {
              const got = data[(o * len + j) * inner + i];
              const want = src[(o * size + start + j) * inner + i];
              if (!same(got, want)) return [`split: piece ${p} differs from the input's slice`];
            }
        start += len;
      }
      return [];
    }
    case 'unbind': {
      const pieces = result as Tensor[];
      if (!Array.isArray(pieces)) return ['unbind: not an array'];
      const { outer, size, inner } = around(shape, chk.dim);
      if (pieces.length !== size) return [`unbind: ${pieces.length} pieces of a dim of ${size}`];
      const want = shape.filter((_s, i) => i !== chk.dim);
      if (src.length === 0)
        return pieces.every((p) => shapeIs(p, want, 'piece') === null)
          ? []
          : ['unbind: a piece of the wrong shape'];
      for (let j = 0; j < size; j++) {
        const bad = shapeIs(pieces[j], want, `piece ${j}`);
        if (bad) return [bad];
        const data = pieces[j].data;
        for (let o = 0; o < outer; o++)
          for (let i = 0; i < inner; i++)
            if (!same(data[o * inner + i], src[(o * size + j) * inner + i]))
              return [`unbind: piece ${j} differs from narrow(${chk.dim}, ${j}, 1)`];
      }
      return [];
    }
    case 'softmax': {
      const r = result as Tensor;
      const bad = shapeIs(r, shape, 'result');
      if (bad) return [bad];
      if (r.dtype !== chk.dtype) return [`softmax(dim, '${chk.dtype}') gave ${r.dtype}`];
      if (src.length === 0) return [];
      const { outer, size, inner } = around(shape, chk.dim);
      for (let o = 0; o < outer; o++)
        for (let i = 0; i < inner; i++) {
          const row = Array.from({ length: size }, (_v, j) => src[(o * size + j) * inner + i]);
          if (row.some((v) => !Number.isFinite(v))) continue;
          const mx = Math.max(...row);
          const ex = row.map((v) => Math.exp(v - mx));
          const s = ex.reduce((a, b) => a + b, 0);
          for (let j = 0; j < size; j++) {
            const at = (o * size + j) * inner + i;
            if (
              !near(
                r.data[at],
                ex[j] / s,
                chk.dtype === 'float64' && x.dtype === 'float64' ? 1e-9 : 1e-5,
              )
            )
              return [`softmax: result[${at}] is ${r.data[at]}, the float64 softmax ${ex[j] / s}`];
          }
        }
      return [];
    }
  }
  return [];
}

function checkMha(chk: Extract<Check, { k: 'mha' }>, args: unknown[], result: unknown): string[] {
  if (!Array.isArray(result) || result.length !== 2)
    return ['MultiheadAttention: not [output, weights]'];
  const [out, w] = result as [Tensor, Tensor | null];
  const q = args[0] as Tensor;
  const bad = shapeIs(out, [...q.shape.slice(0, -1), chk.embedDim], 'output');
  if (bad) return [bad];
  if (chk.weights === 'none') return w === null ? [] : ['weights returned with needWeights false'];
  if (!(w instanceof Tensor)) return ['no attention weights'];
  const want = chk.weights === 'heads' ? (q.ndim === 3 ? 4 : 3) : q.ndim;
  if (w.ndim !== want) return [`weights of rank ${w.ndim}, expected ${want}`];
  if (!chk.exact) return [];
  // Each row of weights is a distribution over the keys (NaN where every key is masked).
  const srcLen = w.shape[w.ndim - 1];
  if (srcLen === 0) return [];
  const data = w.data;
  for (let r = 0; r < data.length / srcLen; r++) {
    let s = 0;
    let nan = 0;
    for (let j = 0; j < srcLen; j++) {
      const v = data[r * srcLen + j];
      if (Number.isNaN(v)) nan++;
      else if (v < 0) return [`weights[${r * srcLen + j}] is negative: ${v}`];
      s += v;
    }
    if (nan === 0 && Math.abs(s - 1) > 1e-4) return [`weights row ${r} sums to ${s}, not 1`];
  }
  return [];
}

// ---- the random API (test/fuzz/cases-random.ts) ---------------------------------------------

/** What one run of a `rnd.*` case produced, for {@link checkRandom}. */
export interface RandomRun {
  result: unknown;
  /** The tensor an in-place sampler or initialiser wrote (a view, a non-leaf, or the input). */
  target?: Tensor;
  /** The tensor the target views, and the map from a view of it back to the target's layout. */
  base?: Tensor;
  undo?: (t: Tensor) => Tensor;
  /** The base's values before the call. */
  baseBefore?: number[];
  requiresGradBefore?: boolean;
  shapeBefore?: number[];
  dtypeBefore?: string;
  /** The gradient that reached the leaf behind a non-leaf target (or dropout's input). */
  leafGrad?: Tensor | null;
  /** multinomial's, bernoulli's and dropout's input. */
  input?: Tensor;
  /** What a Generator scenario found on its own. */
  problems?: string[];
  seed?: number;
  stream?: string;
}

const values = (t: Tensor): number[] => Array.from(t.detach().contiguous().data);
const f32 = (dtype: string, v: number): number => (dtype === 'float32' ? Math.fround(v) : v);

/** Draws of U[0, 1) or Bernoulli(p) whose mean is far from it (5σ and more). */
function meanOff(v: number[], want: number, what: string): string[] {
  if (v.length < 2000) return [];
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.abs(m - want) > 0.06
    ? [`${what}: the mean of ${v.length} draws is ${m}, expected ${want}`]
    : [];
}

/** The problems with one run of the random case `chk`. */
export function checkRandom(
  chk: RandomCheck,
  run: RandomRun,
  self: unknown,
  args: unknown[],
): string[] {
  const op = chk.op;
  const p = chk.p ?? {};
  const out: string[] = [];
  const r = run.result;
  if (op.startsWith('gen.')) {
    if (op === 'gen.new' || op === 'gen.global' || op === 'gen.method') {
      const want =
        p.seed === null || p.seed === undefined
          ? op === 'gen.new' && args.length === 0
            ? 67280421310721
            : null
          : Number(BigInt.asUintN(64, BigInt(p.seed as string)));
      if (want !== null && run.seed !== want)
        out.push(`${op}: initialSeed() is ${run.seed}, expected ${want}`);
      // Every way of seeding with s gives the stream of a Generator seeded with s's low 32 bits.
      if (want !== null && run.stream !== undefined && op !== 'gen.new') {
        const low = Number(BigInt.asUintN(32, BigInt(p.seed as string)));
        if (sampleStream(new Generator(low)) !== run.stream)
          out.push(`${op}: the stream after seed ${String(p.seed)} is not new Generator(${low})'s`);
      }
    }
    return out;
  }
  if (op === 'calculateGain') {
    const nl = p.nonlinearity as string;
    const param = p.param as number | null;
    const slope = param ?? 0.01;
    const want =
      nl === 'tanh'
        ? 5 / 3
        : nl === 'relu'
          ? Math.SQRT2
          : nl === 'leaky_relu'
            ? Math.sqrt(2 / (1 + slope ** 2))
            : nl === 'selu'
              ? 3 / 4
              : 1;
    return r === want ? [] : [`calculateGain('${nl}') is ${String(r)}, expected ${want}`];
  }
  if (op === 'rand' || op === 'randn' || op === 'randint' || op === 'randperm') {
    if (!(r instanceof Tensor)) return [`${op}: not a Tensor`];
    const shape = op === 'randperm' ? [p.n as number] : (p.shape as number[]);
    if (String(r.shape) !== String(shape))
      out.push(`${op}: shape [${String(r.shape)}], expected [${String(shape)}]`);
    if (r.dtype !== p.dtype) out.push(`${op}: dtype ${r.dtype}, expected ${String(p.dtype)}`);
    const v = values(r);
    if (op === 'rand') {
      const i = v.findIndex((x) => !(x >= 0 && x < 1));
      if (i >= 0) out.push(`rand: value ${v[i]} at ${i} is outside [0, 1)`);
      out.push(...meanOff(v, 0.5, 'rand'));
    } else if (op === 'randn') {
      const i = v.findIndex((x) => !Number.isFinite(x));
      if (i >= 0) out.push(`randn: value ${v[i]} at ${i}`);
      out.push(...meanOff(v, 0, 'randn'));
    } else if (op === 'randint') {
      const [lo, hi] = [p.low as number, p.high as number];
      const i = v.findIndex((x) => !(Number.isInteger(x) && x >= lo && x < hi));
      if (i >= 0) out.push(`randint: value ${v[i]} at ${i} is not an integer in [${lo}, ${hi})`);
    } else {
      const sorted = [...v].sort((a, b) => a - b);
      if (sorted.some((x, i) => x !== i))
        out.push(`randperm(${String(p.n)}) is not a permutation of 0..n-1`);
    }
    return out;
  }
  if (op === 'multinomial') {
    if (!(r instanceof Tensor)) return ['multinomial: not a Tensor'];
    const x = run.input as Tensor;
    const n = p.numSamples as number;
    const C = x.shape[x.ndim - 1];
    const rows = x.ndim === 2 ? x.shape[0] : 1;
    const want = x.ndim === 2 ? [rows, n] : [n];
    if (String(r.shape) !== String(want))
      return [`multinomial: shape [${String(r.shape)}], expected [${String(want)}]`];
    if (r.dtype !== 'int32') return [`multinomial: dtype ${r.dtype}`];
    const w = values(x);
    const idx = values(r);
    for (let row = 0; row < rows; row++) {
      const weights = w.slice(row * C, row * C + C);
      const got = idx.slice(row * n, row * n + n);
      const nonzero = weights.filter((v) => v > 0).length;
      const bad = got.find((i) => !(Number.isInteger(i) && i >= 0 && i < C));
      if (bad !== undefined) return [`multinomial: row ${row}: index ${bad} outside [0, ${C})`];
      if (!p.replacement && new Set(got).size !== got.length)
        return [`multinomial: row ${row}: a repeated index without replacement: ${got.join(',')}`];
      // A zero weight is never drawn, unless there are fewer others than samples without
      // replacement (or it is the last category, which ATen's search may land on by rounding).
      const zero = got.find((i) => weights[i] === 0 && !(p.replacement && i === C - 1));
      if (zero !== undefined && (p.replacement || nonzero >= n))
        return [
          `multinomial: row ${row}: category ${zero} of weight 0 drawn (weights ${weights.join(',')})`,
        ];
      if (!p.replacement && nonzero < n && weights.some((v, i) => v > 0 && !got.includes(i)))
        return [
          `multinomial: row ${row}: a category of positive weight left out of ${n} samples without replacement`,
        ];
    }
    return out;
  }
  if (op === 'bernoulli') {
    const x = run.input as Tensor;
    if (!(r instanceof Tensor)) return ['bernoulli: not a Tensor'];
    if (String(r.shape) !== String(x.shape) || r.dtype !== x.dtype)
      return [`bernoulli: ${r.dtype} [${String(r.shape)}] from ${x.dtype} [${String(x.shape)}]`];
    const pv = values(x);
    const v = values(r);
    const i = v.findIndex(
      (b, k) => !(b === 0 || b === 1) || (pv[k] === 0 && b !== 0) || (pv[k] === 1 && b !== 1),
    );
    if (i >= 0) out.push(`bernoulli: ${v[i]} at ${i} for p = ${pv[i]}`);
    if (r.requiresGrad) out.push('bernoulli: the samples require grad');
    return out;
  }
  if (op === 'dropout') {
    const y = r as Tensor;
    const x = run.input as Tensor;
    const before = run.baseBefore as number[];
    if (!(y instanceof Tensor)) return ['dropout: not a Tensor'];
    if (String(y.shape) !== String(x.shape) || y.dtype !== x.dtype)
      return ['dropout: shape or dtype changed'];
    if (p.inplace && y !== x) out.push('dropout(inplace): not the input');
    if (p.fn !== 'dropout') return out;
    const pr = p.p as number;
    const dt = x.dtype;
    const scale = f32(dt, 1 / f32(dt, 1 - pr));
    const v = values(y);
    let dropped = 0;
    for (let i = 0; i < v.length; i++) {
      const kept = pr === 0 ? before[i] : f32(dt, before[i] * scale);
      const zero = before[i] * 0;
      if (Object.is(v[i], zero) && before[i] !== 0) dropped++;
      else if (!Object.is(v[i], kept) && !Object.is(v[i], zero))
        return [`dropout(p=${pr}): ${v[i]} at ${i} is neither ${zero} nor x·${scale} = ${kept}`];
    }
    if (v.length >= 2000 && Math.abs(dropped / v.length - pr) > 0.06)
      out.push(`dropout(p=${pr}): ${dropped} of ${v.length} dropped`);
    return out;
  }
  // In-place samplers and nn.init.
  const t = run.target as Tensor;
  const name = op.startsWith('init.') ? op.slice(5) : op;
  if (r !== t) out.push(`${name}: did not return the tensor it wrote`);
  if (String(t.shape) !== String(run.shapeBefore) || t.dtype !== run.dtypeBefore)
    out.push(`${name}: the tensor became ${t.dtype} [${String(t.shape)}]`);
  if (t.requiresGrad !== run.requiresGradBefore)
    out.push(
      `${name}: requiresGrad went from ${String(run.requiresGradBefore)} to ${String(t.requiresGrad)}`,
    );
  // A sampler replaces the values: no gradient reaches the leaf behind them. (nn.init writes under
  // noGrad, which records nothing: the gradient flows as before, as in PyTorch.)
  if (!op.startsWith('init.') && run.leafGrad && values(run.leafGrad).some((g) => g !== 0))
    out.push(`${name}: a gradient flowed through the replaced values to the leaf`);
  if (t.isLeaf && t.grad) out.push(`${name}: the tensor got a gradient`);
  const base = run.base as Tensor;
  const before = run.baseBefore as number[];
  if (chk.wrap === 'viewT' || chk.wrap === 'viewNarrow') {
    // The view's values are the base's: the write went through.
    const again = chk.wrap === 'viewT' ? (run.undo as (b: Tensor) => Tensor)(base) : null;
    if (again && bitsOf(values(again)) !== bitsOf(values(t)))
      out.push(`${name}: writing a transposed view did not write the tensor it views`);
    if (chk.wrap === 'viewNarrow') {
      const now = values(base);
      const rowLen = base.shape.slice(1).reduce((a, b) => a * b, 1);
      const skipped = base.shape[0] - t.shape[0];
      for (let i = 0; i < skipped * rowLen; i++)
        if (!Object.is(now[i], before[i]))
          return [...out, `${name}: wrote outside the narrowed view (at ${i})`];
      const inView = now.slice(skipped * rowLen);
      if (bitsOf(inView) !== bitsOf(values(t)))
        out.push(`${name}: writing a narrowed view did not write the tensor it views`);
    }
  }
  const v = values(t);
  const dt = t.dtype;
  const bad = (pred: (x: number, i: number) => boolean, what: string): void => {
    const i = v.findIndex((x, k) => !pred(x, k));
    if (i >= 0) out.push(`${name}: ${v[i]} at ${i}: ${what}`);
  };
  switch (op) {
    case 'uniform_':
    case 'init.uniform_': {
      const lo = f32(dt, (p.from ?? p.a) as number);
      const hi = f32(dt, (p.to ?? p.b) as number);
      bad((x) => x >= lo && x <= hi, `outside [${lo}, ${hi}]`);
      if (lo === 0 && hi === 1) out.push(...meanOff(v, 0.5, name));
      break;
    }
    case 'normal_':
    case 'init.normal_':
      if (Math.abs(p.mean as number) < 1e20 && (p.std as number) < 1e20)
        bad(Number.isFinite, 'not finite');
      if (p.std === 0) bad((x) => x === f32(dt, p.mean as number), 'std 0 but not the mean');
      break;
    case 'bernoulli_':
      bad((x) => x === 0 || x === 1, 'not 0 or 1');
      if (p.p === 0) bad((x) => x === 0, 'p = 0');
      if (p.p === 1) bad((x) => x === 1, 'p = 1');
      out.push(...meanOff(v, p.p as number, name));
      break;
    case 'exponential_':
      bad((x) => x >= 0, 'negative or NaN');
      break;
    case 'init.truncNormal_':
      bad(
        (x) => x >= f32(dt, p.a as number) && x <= f32(dt, p.b as number),
        `outside [${p.a}, ${p.b}]`,
      );
      break;
    case 'init.constant_':
      bad(
        (x) => Object.is(x, f32(dt, p.val as number)) || (Number.isNaN(x) && Number.isNaN(p.val)),
        `not ${p.val}`,
      );
      break;
    case 'init.ones_':
      bad((x) => x === 1, 'not 1');
      break;
    case 'init.zeros_':
      bad((x) => x === 0, 'not 0');
      break;
    case 'init.eye_': {
      const cols = t.shape[1];
      bad((x, i) => x === (Math.floor(i / cols) === i % cols ? 1 : 0), 'not the identity');
      break;
    }
    case 'init.dirac_': {
      const [o, c, ...k] = t.shape;
      const groups = p.groups as number;
      const per = o / groups;
      const ks = k.reduce((a, b) => a * b, 1);
      let centre = 0;
      for (const d of k) centre = centre * d + Math.floor(d / 2);
      const ones = new Set<number>();
      for (let g = 0; g < groups; g++)
        for (let d = 0; d < Math.min(per, c); d++) ones.add(((g * per + d) * c + d) * ks + centre);
      bad((x, i) => x === (ones.has(i) ? 1 : 0), 'not the Dirac delta');
      break;
    }
    case 'init.xavierUniform_':
    case 'init.kaimingUniform_': {
      let bound: number;
      if (op === 'init.xavierUniform_') {
        bound =
          Math.sqrt(3) *
          (p.gain as number) *
          Math.sqrt(2 / ((p.fanIn as number) + (p.fanOut as number)));
      } else {
        const fan = p.mode === 'fan_in' ? (p.fanIn as number) : (p.fanOut as number);
        const nl = p.nonlinearity as string;
        const a = p.a as number;
        const gain =
          nl === 'tanh'
            ? 5 / 3
            : nl === 'relu'
              ? Math.SQRT2
              : nl === 'leaky_relu'
                ? Math.sqrt(2 / (1 + a ** 2))
                : nl === 'selu'
                  ? 3 / 4
                  : 1;
        bound = (Math.sqrt(3) * gain) / Math.sqrt(fan);
      }
      const b = f32(dt, Math.abs(bound));
      if (v.length) bad((x) => Math.abs(x) <= b, `beyond the bound ${b}`);
      break;
    }
    case 'init.orthogonal_': {
      if (v.length === 0) break;
      const rows = t.shape[0];
      const cols = v.length / rows;
      const g2 = (p.gain as number) ** 2;
      const tol = (dt === 'float32' ? 1e-4 : 1e-9) * Math.max(1, g2) * Math.max(rows, cols);
      // Rows orthonormal (times gain) when rows ≤ cols, else columns.
      const [m, n] = rows <= cols ? [rows, cols] : [cols, rows];
      const at = (i: number, j: number) => (rows <= cols ? v[i * cols + j] : v[j * cols + i]);
      for (let i = 0; i < m; i++)
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += at(i, k) * at(j, k);
          const want = i === j ? g2 : 0;
          if (!(Math.abs(s - want) <= tol))
            return [
              ...out,
              `orthogonal_: the product of vectors ${i} and ${j} is ${s}, expected ${want}`,
            ];
        }
      break;
    }
    case 'init.sparse_': {
      const [rows, cols] = t.shape;
      const zeros = Math.ceil((p.sparsity as number) * rows);
      for (let c = 0; c < cols; c++) {
        let z = 0;
        for (let i = 0; i < rows; i++) if (v[i * cols + c] === 0) z++;
        if (z < zeros)
          return [...out, `sparse_: column ${c} has ${z} zeros, expected at least ${zeros}`];
      }
      break;
    }
    default:
      break;
  }
  return out;
}

/** A list of numbers as exact text (−0 and NaN included). */
function bitsOf(v: number[]): string {
  return v.map((x) => (Object.is(x, -0) ? '-0' : String(x))).join(',');
}

/** Draws of every sampler from `g`, as exact text: where its stream is. */
export function sampleStream(g: Generator): string {
  return [
    rand([5], { generator: g, dtype: 'float64' }),
    randn([1], { generator: g }),
    randn([3], { generator: g, dtype: 'float64' }),
    randint(0, 1000, [2], { generator: g }),
    randperm(6, { generator: g }),
  ]
    .map((t) => `${t.dtype}[${t.shape.join(',')}]:${bitsOf(values(t))}`)
    .join(';');
}
