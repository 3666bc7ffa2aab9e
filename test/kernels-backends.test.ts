/**
 * Every backend's elementwise and softmax kernels against the float64
 * interpretation of the table (src/ops/elementwise/evaluate.ts) and against
 * each other: every UNARY entry, forward and backward, float32 and float64,
 * on random inputs and edge values. Tolerances: float32 1e-5 abs + 1e-5 rel,
 * float64 1e-12 abs + 1e-9 rel; NaN must match NaN, infinities must match.
 *
 * A backend is skipped only when it is not registered here, with the reason
 * printed (the addon was not built, or WebAssembly SIMD is missing).
 */
import { describe, expect, it } from 'vitest';
import '../src/index.js';
import {
  activeBackend,
  availableBackends,
  getBackend,
  setBackend,
  setNumThreads,
  type BackendName,
  type KernelBackend,
} from '../src/kernels/backend.js';
import { BINARY_ROW_MIN, nativeAddon } from '../src/kernels/native/index.js';
import { BINARY, UNARY, type BinaryDef, type UnaryDef } from '../src/ops/elementwise/table.js';
import { evaluate } from '../src/ops/elementwise/evaluate.js';
import { param, v, type Ex, type Node, type VarName } from '../src/ops/elementwise/expr.js';
import { unaryKernels } from '../src/kernels/js/elementwise.generated.js';
import { log1p32 } from '../src/kernels/js/math.js';
import { softmaxBackwardJs, softmaxForwardJs } from '../src/kernels/js/softmax-kernels.js';
import type { Floats } from '../src/kernels/js/types.js';
import { F, tensor } from '../src/index.js';

const TOL = { float32: [1e-5, 1e-5], float64: [1e-12, 1e-9] } as const;
type DT = keyof typeof TOL;

/** Backends to test, each with a way to make it the active one. */
interface Variant {
  label: string;
  backend: BackendName;
  setup: () => void;
  /** The dtypes it implements; it must decline the others (the JS kernels then run). */
  dtypes: readonly DT[];
  /** Whether its softmax handles inner > 1 (reductions over a dimension that is not last). */
  stridedSoftmax: boolean;
  /** Whether its reduceDim handles inner > 1 (sums over a dimension that is not last). */
  stridedReduce: boolean;
}

const variants: Variant[] = [];
const skipped: string[] = [];
if (nativeAddon) {
  const isas = nativeAddon.isas();
  for (const isa of ['avx512', 'avx2'])
    if (!isas.includes(isa)) skipped.push(`native/${isa}: this CPU lacks it`);
  for (const isa of isas) {
    variants.push({
      label: `native/${isa}`,
      backend: 'native',
      setup: () => nativeAddon!.useIsa(isa),
      dtypes: ['float32', 'float64'],
      stridedSoftmax: true,
      stridedReduce: true,
    });
  }
} else {
  skipped.push('native: build/Release/nnkit.node is not built (npm run build:native)');
}
if (availableBackends().includes('wasm')) {
  variants.push({
    label: 'wasm',
    backend: 'wasm',
    setup: () => {},
    dtypes: ['float32'],
    stridedSoftmax: true,
    stridedReduce: false,
  });
} else {
  skipped.push('wasm: WebAssembly SIMD is unavailable in this runtime');
}
if (skipped.length) console.warn(`kernels-backends: skipping ${skipped.join('; ')}`);

function use(variant: Variant): KernelBackend {
  setBackend(variant.backend);
  variant.setup();
  return activeBackend();
}

const EDGES = [
  0,
  -0,
  Infinity,
  -Infinity,
  NaN,
  88,
  -88,
  89,
  -89,
  1000,
  -1000,
  1,
  -1,
  1e-8,
  -1e-8,
  20,
  -20,
  20.5,
  0.5,
  -0.5,
  3,
  -3,
  6,
  -6,
  2.5,
  -2,
  1e-30,
  -1e-30,
  1e-40,
  0.7,
  1.3,
  3.9,
  5.9,
  -104,
  710,
];

/** The first index where two arrays differ bit for bit (NaN equals NaN), or -1. */
function firstBitDifference(a: Floats, b: Floats): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i] && !(a[i] !== a[i] && b[i] !== b[i])) return i;
    if (a[i] === 0 && 1 / a[i] !== 1 / b[i]) return i;
  }
  return a.length === b.length ? -1 : a.length;
}

function inputs(dt: DT, n: number, seed: number): Floats {
  const Arr = dt === 'float32' ? Float32Array : Float64Array;
  const x = new Arr(n + EDGES.length);
  let s = seed;
  const rnd = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  for (let i = 0; i < n; i++) {
    const mag = Math.exp(rnd() * 8 - 3); // about 0.05 … 150
    x[i] = (rnd() < 0.5 ? -1 : 1) * (rnd() < 0.7 ? rnd() * 6 : mag);
  }
  x.set(EDGES, n);
  return x;
}

/** Parameter sets per entry: the defaults (infinite ones made finite) plus one other. */
function paramSets(name: string, def: UnaryDef): number[][] {
  const base = Object.values(def.params).map((p) =>
    p === -Infinity ? -2 : p === Infinity ? 2.5 : p,
  );
  const sets = [base];
  // powScalar's parameters: the exponent p, p − 1 and whether p is 0 (see the table).
  if (name === 'powScalar') sets.push(...[2, 0, 2.5, -1].map((e) => [e, e - 1, e === 0 ? 1 : 0]));
  else if (base.length) sets.push(base.map((p, i) => (i === 0 ? p * 0.5 - 0.25 : p + 0.5)));
  return sets;
}

function close(dt: DT, got: number, want: number): boolean {
  if (Number.isNaN(want) || Number.isNaN(got)) return Number.isNaN(want) && Number.isNaN(got);
  if (!Number.isFinite(want) || !Number.isFinite(got)) return got === want;
  const [atol, rtol] = TOL[dt];
  return Math.abs(got - want) <= atol + rtol * Math.abs(want);
}

function firstMismatch(dt: DT, got: Floats, want: ArrayLike<number>, x: Floats): string | null {
  for (let i = 0; i < want.length; i++) {
    if (!close(dt, got[i], want[i])) return `x=${x[i]}: got ${got[i]}, want ${want[i]}`;
  }
  return null;
}

/**
 * The float32 reference: the table expression with every intermediate
 * rounded to float32, as PyTorch's float kernels compute (so an
 * intermediate that overflows float32 overflows here too, and `log1p` of
 * more than 1e38 is +Infinity, as Sleef's `log1pf` gives it).
 */
const evaluate32 = (
  node: Node,
  vars: Partial<Record<VarName, number>>,
  params: Record<string, number>,
): number => evaluate(node, vars, params, Math.fround, { log1p: log1p32 });

const paramExprs = (def: UnaryDef): Record<string, Ex> =>
  Object.fromEntries(Object.keys(def.params).map((k) => [k, param(k)]));

describe('elementwise kernels on every backend', () => {
  for (const variant of variants) {
    for (const dt of ['float32', 'float64'] as const) {
      if (!variant.dtypes.includes(dt)) {
        it(`${variant.label} ${dt}: declines, leaving the JS kernels to run`, () => {
          const backend = use(variant);
          const x = new Float64Array(8);
          expect(backend.unaryForward?.('gelu', 8, new Float64Array(8), x, [])).toBe(false);
          expect(backend.softmaxForward?.(false, 2, 4, 1, new Float64Array(8), x, 1) ?? false).toBe(
            false,
          );
          const y = F.gelu(tensor([1, 2], { dtype: dt }));
          expect(y.data[1]).toBeCloseTo(1.9545, 3);
        });
        continue;
      }
      it(`${variant.label} ${dt}: every unary entry, forward and backward, matches float64`, () => {
        const backend = use(variant);
        const x = inputs(dt, 3000, 7);
        const n = x.length;
        const Arr = dt === 'float32' ? Float32Array : Float64Array;
        const dy = inputs(dt, n - EDGES.length, 11).map((d) => (Number.isFinite(d) ? d / 10 : 0.5));
        let checked = 0;
        for (const [name, def] of Object.entries(UNARY) as [string, UnaryDef][]) {
          const keys = Object.keys(def.params);
          const fwd = def.forward(v('x'), paramExprs(def)).node;
          const bwd = def.backward?.({ x: v('x'), y: v('y'), dy: v('dy') }, paramExprs(def)).node;
          for (const p of paramSets(name, def)) {
            // Float32 kernels see float32 parameters, as PyTorch's do.
            const pr = dt === 'float32' ? p.map(Math.fround) : p;
            const named = Object.fromEntries(keys.map((k, i) => [k, pr[i]]));
            const out = new Arr(n);
            expect(backend.unaryForward?.(name, n, out, x, p), `${name} forward declined`).toBe(
              true,
            );
            const ev = dt === 'float32' ? evaluate32 : evaluate;
            const want = Array.from(x, (xi) => ev(fwd, { x: xi }, named));
            expect(firstMismatch(dt, out, want, x), `${name}(${p}) forward`).toBeNull();
            // The JS kernel (float64 arithmetic) agrees too wherever float32
            // arithmetic does not overflow on the way.
            const js = new Arr(n);
            unaryKernels[name].forward[dt](n, js, x, p);
            const comparable = (w64: number, w: number): boolean =>
              dt === 'float64' || close(dt, Math.fround(w64), w);
            const jsWhere = Array.from(x, (xi, i) =>
              comparable(evaluate(fwd, { x: xi }, named), want[i]) ? js[i] : out[i],
            );
            expect(firstMismatch(dt, out, jsWhere, x), `${name}(${p}) forward vs js`).toBeNull();
            if (!bwd) continue;
            const dx = new Arr(n);
            expect(backend.unaryBackward?.(name, n, dx, dy, x, js, p), `${name} backward`).toBe(
              true,
            );
            const wantB = Array.from(x, (xi, i) => ev(bwd, { x: xi, y: js[i], dy: dy[i] }, named));
            expect(firstMismatch(dt, dx, wantB, x), `${name}(${p}) backward`).toBeNull();
            checked++;
          }
        }
        expect(checked).toBeGreaterThan(30);
      });

      it(`${variant.label} ${dt}: broadcast rows of every binary entry, forward and backward`, () => {
        const backend = use(variant);
        if (!backend.binaryForward) {
          // Not implemented by this backend: the JS kernels run every row.
          expect(backend.binaryBackward).toBeUndefined();
          return;
        }
        const Arr = dt === 'float32' ? Float32Array : Float64Array;
        const n = BINARY_ROW_MIN * 4 + 37;
        const ROWS = 3;
        const aAll = inputs(dt, ROWS * (n + 2) + 9, 5);
        const bAll = inputs(dt, ROWS * (n + 1) + 9, 13);
        const dyAll = inputs(dt, ROWS * n + 9, 17).map((d) => (Number.isFinite(d) ? d / 10 : 0.5));
        const ev = dt === 'float32' ? evaluate32 : evaluate;
        let checked = 0;
        for (const [name, def] of Object.entries(BINARY) as [string, BinaryDef][]) {
          if (!def.backward) continue;
          const keys = Object.keys(def.params ?? {});
          const p = Object.values(def.params ?? {}).map((q) =>
            dt === 'float32' ? Math.fround(q) : q,
          );
          const named = Object.fromEntries(keys.map((k, i) => [k, p[i]]));
          const pe = Object.fromEntries(keys.map((k) => [k, param(k)]));
          const fwd = def.forward(v('a'), v('b'), pe).node;
          const grads = {
            a: def.backward.a({ a: v('a'), b: v('b'), dy: v('dy') }, pe).node,
            b: def.backward.b({ a: v('a'), b: v('b'), dy: v('dy') }, pe).node,
          };
          // Three rows from offsets 5 (a), 9 (b) and 3 (out). Along a row each operand is a
          // run of elements (stride 1) or one broadcast element (stride 0); from row to row
          // it moves on (row strides n + 2, n + 1, 1, 3) or repeats its row (row stride 0).
          for (const [as, ars, bs, brs] of [
            [1, n + 2, 1, n + 1],
            [1, n + 2, 0, 1],
            [0, 3, 1, 0],
            [0, 0, 0, 1],
            [1, 0, 1, n + 1],
          ]) {
            const aAt = (r: number, i: number): number => aAll[5 + r * ars + i * as];
            const bAt = (r: number, i: number): number => bAll[9 + r * brs + i * bs];
            const out = new Arr(ROWS * n + 3);
            expect(
              backend.binaryForward(name, ROWS, n, out, 3, aAll, 5, ars, as, bAll, 9, brs, bs, p),
              `${name} forward declined`,
            ).toBe(true);
            const at = (i: number): [number, number] => [Math.floor(i / n), i % n];
            const want = Array.from({ length: ROWS * n }, (_, i) =>
              ev(fwd, { a: aAt(...at(i)), b: bAt(...at(i)) }, named),
            );
            const label = `${name} [${as}, ${ars}, ${bs}, ${brs}]`;
            const shown = Float64Array.from({ length: ROWS * n }, (_, i) => aAt(...at(i)));
            expect(firstMismatch(dt, out.subarray(3), want, shown), `${label} forward`).toBeNull();
            for (const which of ['a', 'b'] as const) {
              const d = new Arr(ROWS * n + 3);
              const dy = dyAll.subarray(0, ROWS * n + 3);
              const args = [d, 3, dy, aAll, 5, ars, as, bAll, 9, brs, bs, p] as const;
              expect(backend.binaryBackward?.(name, which, ROWS, n, ...args)).toBe(true);
              const wantD = Array.from({ length: ROWS * n }, (_, i) =>
                ev(grads[which], { a: aAt(...at(i)), b: bAt(...at(i)), dy: dy[3 + i] }, named),
              );
              expect(
                firstMismatch(dt, d.subarray(3), wantD, shown),
                `${label} d${which}`,
              ).toBeNull();
            }
            checked++;
          }
        }
        expect(checked).toBeGreaterThan(40);
        // Short rows are declined (JS runs them); operands out of bounds break the kernel's
        // contract (src/kernels/schema.ts) and throw, naming the kernel and the argument.
        const small = new Arr(8);
        const add = backend.binaryForward.bind(backend, 'add');
        expect(add(1, 8, small, 0, small, 0, 0, 1, small, 0, 0, 1, [])).toBe(false);
        const big = new Arr(2 * n);
        expect(() => add(2, n, big, 0, big, 1, n, 1, big, 0, n, 1, [])).toThrow(
          `kernel binaryForward: a holds ${2 * n} elements, needs rows?aOff+(rows-1)*aRowStride+(aStride?n:1):0 = ${2 * n + 1}`,
        );
        expect(() => add(2, n, big, 0, big, 0, n, 1, big, n + 1, 0, 0, [])).not.toThrow();
        expect(() => add(3, n, big, 0, big, 0, 0, 1, big, 0, 0, 0, [])).toThrow(
          `kernel binaryForward: out holds ${2 * n} elements, needs outOff+rows*n = ${3 * n}`,
        );
      });

      it(`${variant.label} ${dt}: sum, max and min over one dimension, NaN winning`, () => {
        const backend = use(variant);
        if (!backend.reduceDim) {
          // Not implemented by this backend: src/ops/reduce.ts runs its JS loop.
          expect(availableBackends()).toContain(variant.backend);
          return;
        }
        const Arr = dt === 'float32' ? Float32Array : Float64Array;
        // (outer, size, inner): split by rows, by columns, and one long row cut into spans
        // (with 4 threads; 100_003 elements leave some of 256 spans empty at most threads).
        for (const [outer, size, inner] of [
          [64, 100, 3],
          [1, 300, 700],
          [1, 100_003, 1],
          [7, 9, 1000],
          [5000, 3, 1],
        ]) {
          for (const threads of [1, 4]) {
            setNumThreads(threads);
            const n = outer * size * inner;
            const x = inputs(dt, n, outer + size + inner)
              .subarray(0, n)
              .map((z) => (Number.isFinite(z) ? z : 2));
            x[Math.floor(n / 3)] = NaN;
            for (const kind of ['sum', 'max', 'min'] as const) {
              const got = new Arr(outer * inner);
              const handled = backend.reduceDim(kind, outer, size, inner, x, got);
              expect(handled, kind).toBe(inner === 1 || variant.stridedReduce);
              if (!handled) continue;
              const want = new Float64Array(outer * inner);
              for (let o = 0; o < outer; o++) {
                for (let i = 0; i < inner; i++) {
                  let acc = kind === 'sum' ? 0 : x[o * size * inner + i];
                  for (let s = kind === 'sum' ? 0 : 1; s < size; s++) {
                    const v = x[(o * size + s) * inner + i];
                    if (kind === 'sum') acc += v;
                    else if (v !== v || acc !== acc) acc = NaN;
                    else acc = kind === 'max' ? Math.max(acc, v) : Math.min(acc, v);
                  }
                  want[o * inner + i] = acc;
                }
              }
              expect(
                firstMismatch(dt, got, want, x),
                `${kind} ${outer}×${size}×${inner}, ${threads} threads`,
              ).toBeNull();
            }
          }
        }
        setNumThreads(1);
      });

      it(`${variant.label} ${dt}: odd lengths, in place, and every split across threads`, () => {
        const backend = use(variant);
        const Arr = dt === 'float32' ? Float32Array : Float64Array;
        for (const n of [0, 1, 7, 9, 31, 33, 100_003]) {
          const x = inputs(dt, n, n + 1).subarray(0, n);
          const want = new Arr(n);
          unaryKernels.gelu.forward[dt](n, want, x, []);
          const inPlace = x.slice();
          expect(backend.unaryForward?.('gelu', n, inPlace, inPlace, [])).toBe(true);
          expect(firstMismatch(dt, inPlace, want, x)).toBeNull();
        }
      });

      it(`${variant.label} ${dt}: outputs of 8 MB and more (streaming stores) equal the same op in pieces`, () => {
        const backend = use(variant);
        const Arr = dt === 'float32' ? Float32Array : Float64Array;
        // Just over 8 MB per thread at 2 threads, and an output one element
        // off the vector alignment, so the aligning head runs too.
        const n = (16 << 20) / Arr.BYTES_PER_ELEMENT + 5;
        const piece = (1 << 20) / Arr.BYTES_PER_ELEMENT; // 1 MB calls: ordinary stores
        const x = inputs(dt, n, 7).subarray(0, n);
        const dy = inputs(dt, n, 8).subarray(0, n);
        const y = inputs(dt, n, 9).subarray(0, n);
        for (const [name, p] of [
          ['relu', []],
          ['gelu', []],
          ['sigmoid', []],
          ['leakyRelu', [0.1]],
        ] as const) {
          for (const threads of [1, 2]) {
            setNumThreads(threads);
            const big = new Arr(n + 1).subarray(1);
            const bigDx = new Arr(n + 1).subarray(1);
            expect(backend.unaryForward?.(name, n, big, x, [...p])).toBe(true);
            expect(backend.unaryBackward?.(name, n, bigDx, dy, x, y, [...p])).toBe(true);
            setNumThreads(1);
            const want = new Arr(n);
            const wantDx = new Arr(n);
            for (let lo = 0; lo < n; lo += piece) {
              const hi = Math.min(n, lo + piece);
              const [xs, ys, ds] = [x, y, dy].map((a) => a.subarray(lo, hi));
              backend.unaryForward?.(name, hi - lo, want.subarray(lo, hi), xs, [...p]);
              backend.unaryBackward?.(name, hi - lo, wantDx.subarray(lo, hi), ds, xs, ys, [...p]);
            }
            expect(firstBitDifference(big, want), `${name} forward, ${threads} threads`).toBe(-1);
            expect(firstBitDifference(bigDx, wantDx), `${name} backward, ${threads} threads`).toBe(
              -1,
            );
          }
        }
        setNumThreads(1);
      });

      it(`${variant.label} ${dt}: softmax and logSoftmax, any dim, forward and backward`, () => {
        const backend = use(variant);
        const Arr = dt === 'float32' ? Float32Array : Float64Array;
        for (const [outer, size, inner] of [
          [3, 1000, 1],
          [5, 13, 1],
          [2, 7, 3],
          [4, 5, 11],
          [1, 1, 1],
          // From 16,384 elements per call the AVX-512 build runs its own rows.
          [20, 1000, 1],
          [2000, 9, 1],
          [4, 33, 130],
          // Few classes (at most a vector's lanes): blocks of rows, one row per lane.
          [37, 3, 1],
          [100, 8, 1],
          [64, 16, 1],
          [40, 1, 1],
        ]) {
          const total = outer * size * inner;
          const x = inputs(dt, total, total)
            .subarray(0, total)
            .map((z) => (Number.isFinite(z) ? z : 0));
          x[0] = -Infinity;
          const dy = x.map((z, i) => ((i * 7) % 13) / 13 - 0.5 + z * 0);
          for (const log of [false, true]) {
            for (const scale of [1, -0.5]) {
              const got = new Arr(total);
              const want = new Arr(total);
              const handled = backend.softmaxForward?.(log, outer, size, inner, got, x, scale);
              expect(handled).toBe(inner === 1 || variant.stridedSoftmax);
              if (!handled) continue;
              softmaxForwardJs(log, outer, size, inner, want, x, scale);
              expect(
                firstMismatch(dt, got, want, x),
                `fwd ${[outer, size, inner, log, scale]}`,
              ).toBeNull();
              const gdx = new Arr(total);
              const wdx = new Arr(total);
              expect(backend.softmaxBackward?.(log, outer, size, inner, gdx, dy, want, scale)).toBe(
                true,
              );
              softmaxBackwardJs(log, outer, size, inner, wdx, dy, want, scale);
              expect(
                firstMismatch(dt, gdx, wdx, x),
                `bwd ${[outer, size, inner, log, scale]}`,
              ).toBeNull();
            }
          }
        }
      });

      it(`${variant.label} ${dt}: softmax rows holding NaN or infinities give PyTorch's NaNs`, () => {
        const backend = use(variant);
        const Arr = dt === 'float32' ? Float32Array : Float64Array;
        for (const size of [3, 13, 1000, 3000]) {
          // Row r: NaN first, NaN in the middle, NaN in the partial last vector,
          // +Infinity, all −Infinity, and ordinary rows (enough of them, for
          // few classes, to fill the blocks of rows that such sizes run in).
          const rows = size <= 16 ? 40 : 6;
          const x = new Arr(rows * size).map((_, i) => Math.sin(i) * 3);
          x[0] = NaN;
          x[size + (size >> 1)] = NaN;
          x[3 * size - 1] = NaN;
          x[3 * size + 2] = Infinity;
          x.fill(-Infinity, 4 * size, 5 * size);
          for (const log of [false, true]) {
            const got = new Arr(rows * size);
            const want = new Arr(rows * size);
            if (!backend.softmaxForward?.(log, rows, size, 1, got, x, 1)) continue;
            softmaxForwardJs(log, rows, size, 1, want, x, 1);
            expect(firstMismatch(dt, got, want, x), `size ${size} log ${log}`).toBeNull();
            // Every row but the last has a NaN output somewhere (all of it but the +Infinity row).
            for (let r = 0; r < 5; r++) {
              expect(Number.isNaN(got[r * size + 1]) || r === 3).toBe(true);
            }
            expect(got.subarray(5 * size).every(Number.isFinite)).toBe(true);
          }
        }
      });
    }
  }
});

describe('backend selection', () => {
  it('prefers native, then wasm, then js, and can be switched', () => {
    const avail = availableBackends();
    expect(avail).toContain('js');
    for (const name of avail) {
      setBackend(name);
      expect(getBackend()).toBe(name);
      const y = F.gelu(tensor([-1, 0, 1, 2], { dtype: 'float32' }));
      expect(Array.from(y.data)[3]).toBeCloseTo(1.9545, 3);
    }
    expect(() => setBackend('nope' as BackendName)).toThrow(/not available/);
    if (!avail.includes('native')) expect(() => setBackend('native')).toThrow(/not available/);
    setBackend(avail[0]);
  });
});

describe.skipIf(!nativeAddon)('native cross-entropy hooks', () => {
  it('match the JS loss kernels with and without weights, smoothing and ignored targets, any class dim', async () => {
    const js = await import('../src/kernels/js/loss-kernels.js');
    // Every build this CPU runs; the AVX-512 one widens calls of at least
    // 16,384 elements (the larger shapes), the AVX2 one takes the rest.
    for (const [isa, dt] of nativeAddon!
      .isas()
      .flatMap((i) => (['float32', 'float64'] as const).map((d) => [i, d] as const))) {
      nativeAddon!.useIsa(isa);
      const Arr = dt === 'float32' ? Float32Array : Float64Array;
      // inner > 1: the class dimension is not the last ([N, C, d1, …] inputs).
      for (const [outer, C, inner] of [
        [37, 1000, 1],
        [5, 3, 1],
        [300, 17, 1],
        [3, 5, 19],
        [2, 21, 64],
        [40, 4, 8],
        [1100, 16, 1],
        [6000, 3, 1],
        [4, 21, 256],
      ]) {
        const P = outer * inner;
        const x = inputs(dt, P * C, C + inner)
          .subarray(0, P * C)
          .map((z) => (Number.isFinite(z) ? z : 1));
        const target = Int32Array.from({ length: P }, (_, i) => (i * 7) % C);
        target[1] = -100;
        target[P - 1] = -100;
        for (const weight of [null, Arr.from(Array.from({ length: C }, (_, i) => 0.5 + (i % 3)))]) {
          for (const eps of [0, 0.1]) {
            const lossN = new Arr(P);
            const lossJ = new Arr(P);
            const lseN = new Float64Array(2 * P);
            const lseJ = new Float64Array(2 * P);
            const totN = nativeAddon!.crossEntropyForward(
              outer,
              C,
              inner,
              x,
              target,
              weight,
              -100,
              eps,
              lossN,
              lseN,
            );
            const totJ = js.crossEntropyForward(
              outer,
              C,
              inner,
              x,
              target,
              weight,
              -100,
              eps,
              lossJ,
              lseJ,
            );
            expect(totN).toBeCloseTo(totJ, 6);
            expect(firstMismatch(dt, lossN, lossJ, x)).toBeNull();
            const grad = Arr.from(Array.from({ length: P }, (_, i) => 0.3 + i / P));
            for (const stride of [0, 1]) {
              const dxN = new Arr(P * C);
              const dxJ = new Arr(P * C);
              expect(
                nativeAddon!.crossEntropyBackward(
                  outer,
                  C,
                  inner,
                  x,
                  target,
                  weight,
                  -100,
                  eps,
                  lseJ,
                  grad,
                  stride,
                  3,
                  dxN,
                ),
              ).toBe(true);
              js.crossEntropyBackward(
                outer,
                C,
                inner,
                x,
                target,
                weight,
                -100,
                eps,
                lseJ,
                grad,
                stride,
                3,
                dxJ,
              );
              expect(
                firstMismatch(dt, dxN, dxJ, x),
                `${isa} ${dt} ${outer}×${C}×${inner} eps ${eps} stride ${stride}`,
              ).toBeNull();
            }
          }
        }
      }
    }
    nativeAddon!.useIsa(nativeAddon!.isas()[0]);
    // Arrays too short for the layout break the contract: the addon throws before reading.
    expect(() =>
      nativeAddon!.crossEntropyForward(
        2,
        3,
        2,
        new Float32Array(11),
        new Int32Array(4),
        null,
        -100,
        0,
        new Float32Array(4),
        new Float64Array(4),
      ),
    ).toThrow(
      'nnkit native kernel crossEntropyForward: x holds 11 elements, needs outer*C*inner = 12',
    );
  });
});
