/**
 * Broadcast binary ops over every layout the block walker
 * (`forEachBroadcastBlock` in src/ops/elementwise/apply.ts) distinguishes —
 * merged dimensions, blocks of rows with an odometer outside, rows of one
 * element where an operand's last stride is neither 0 nor 1, views read in
 * place, dimensions of size 1, scalars and empty outputs — on every backend,
 * against a reference computed here element by element from the operands'
 * contiguous copies by index arithmetic. Sizes exceed the backends' minimum
 * call (256 elements), so native and wasm take the blocks.
 */
import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../src/index.js';
import { forEachBackend } from './helpers/backends.js';
import { rng } from './helpers/random.js';

type DT = 'float32' | 'float64';

/** A tensor of `shape` with values in (0.5, 2.5) (pow and div stay finite). */
function values(shape: number[], dtype: DT, seed: number): Tensor {
  const next = rng(seed);
  const n = shape.reduce((p, s) => p * s, 1);
  const flat = Array.from({ length: n }, () => 0.5 + 2 * next());
  return tensor(flat, { dtype }).reshape(shape);
}

/** Each case: the two operands (possibly views of larger tensors), made fresh. */
const CASES: [string, (dt: DT) => [Tensor, Tensor]][] = [
  [
    'channel scale [64, 32, 16] · [1, 32, 1]',
    (dt) => [values([64, 32, 16], dt, 1), values([1, 32, 1], dt, 2)],
  ],
  [
    'image batch [8, 16, 4, 4] · [1, 16, 1, 1]',
    (dt) => [values([8, 16, 4, 4], dt, 3), values([1, 16, 1, 1], dt, 4)],
  ],
  ['a scalar tensor', (dt) => [values([300], dt, 5), values([], dt, 6)]],
  ['bias row [40, 30] + [30]', (dt) => [values([40, 30], dt, 7), values([30], dt, 8)]],
  ['column [40, 30] · [40, 1]', (dt) => [values([40, 30], dt, 9), values([40, 1], dt, 10)]],
  [
    'both broadcast [5, 1, 70] · [1, 6, 70]',
    (dt) => [values([5, 1, 70], dt, 11), values([1, 6, 70], dt, 12)],
  ],
  ['outer [6, 1] · [1, 300]', (dt) => [values([6, 1], dt, 13), values([1, 300], dt, 14)]],
  ['narrow of columns', (dt) => [values([40, 64], dt, 15).narrow(1, 3, 30), values([30], dt, 16)]],
  ['expand of a row', (dt) => [values([1, 30], dt, 17).expand(40, 30), values([40, 30], dt, 18)]],
  [
    'a column view with a long stride (rows of one element)',
    (dt) => [values([300, 7], dt, 19).narrow(1, 2, 1), values([300, 1], dt, 20)],
  ],
  [
    'permute keeping the last dimension',
    (dt) => [values([6, 50, 20], dt, 21).permute(1, 0, 2), values([20], dt, 22)],
  ],
  [
    'five dimensions [2, 3, 4, 5, 6] · [3, 1, 5, 1]',
    (dt) => [values([2, 3, 4, 5, 6], dt, 23), values([3, 1, 5, 1], dt, 24)],
  ],
  ['a transpose against a row', (dt) => [values([30, 40], dt, 25).t(), values([30], dt, 26)]],
  ['empty [0, 5] + [5]', (dt) => [values([0, 5], dt, 27), values([5], dt, 28)]],
];

/** Row-major strides of a shape. */
function stridesOf(shape: number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) s[d] = s[d + 1] * shape[d + 1];
  return s;
}

/** The flat index into an operand of `shape` of output element `o` of `out` (broadcast). */
function indexIn(o: number, out: number[], shape: number[]): number {
  const lead = out.length - shape.length;
  const os = stridesOf(out);
  const ss = stridesOf(shape);
  let k = 0;
  for (let d = 0; d < out.length; d++) {
    const i = Math.floor(o / os[d]) % out[d];
    if (d >= lead && shape[d - lead] !== 1) k += i * ss[d - lead];
  }
  return k;
}

const OPS = {
  mul: {
    f: (a: number, b: number) => a * b,
    da: (_a: number, b: number) => b,
    db: (a: number) => a,
  },
  sub: { f: (a: number, b: number) => a - b, da: () => 1, db: () => -1 },
  div: {
    f: (a: number, b: number) => a / b,
    da: (_a: number, b: number) => 1 / b,
    db: (a: number, b: number) => -a / (b * b),
  },
} as const;

forEachBackend(() => {
  describe('broadcast binary ops, block by block', () => {
    for (const dt of ['float64', 'float32'] as const) {
      for (const [label, make] of CASES) {
        for (const [op, d] of Object.entries(OPS) as [
          keyof typeof OPS,
          (typeof OPS)[keyof typeof OPS],
        ][]) {
          it(`${dt} ${op}: ${label}`, () => {
            const [a, b] = make(dt);
            a.requiresGrad_(a.isLeaf);
            b.requiresGrad_(true);
            const got = a[op](b);
            const A = Array.from(a.contiguous().data);
            const B = Array.from(b.contiguous().data);
            const out = got.shape as number[];
            const n = out.reduce((p, s) => p * s, 1);
            const ia = (o: number) => indexIn(o, out, a.shape as number[]);
            const ib = (o: number) => indexIn(o, out, b.shape as number[]);
            const round = dt === 'float32' ? Math.fround : (v: number) => v;
            const g = values(out, dt, 99);
            const G = Array.from(g.data);
            const dA = new Array<number>(A.length).fill(0);
            const dB = new Array<number>(B.length).fill(0);
            for (let o = 0; o < n; o++) {
              const want = round(d.f(A[ia(o)], B[ib(o)]));
              if (!Object.is(got.data[o], want)) {
                expect.fail(`element ${o}: got ${got.data[o]}, want ${want}`);
              }
              dA[ia(o)] += G[o] * d.da(A[ia(o)], B[ib(o)]);
              dB[ib(o)] += G[o] * d.db(A[ia(o)], B[ib(o)]);
            }
            got.backward(g);
            // Sums of per-element gradients: float32 rounds each partial, in its own order.
            const tol = dt === 'float32' ? 2e-6 : 1e-13;
            const check = (grad: Tensor | null, want: number[], what: string) => {
              expect(grad, what).not.toBeNull();
              const gd = (grad as Tensor).contiguous().data;
              expect(gd.length, what).toBe(want.length);
              for (let i = 0; i < want.length; i++) {
                if (Math.abs(gd[i] - want[i]) > tol * (1 + Math.abs(want[i]))) {
                  expect.fail(`${what} element ${i}: got ${gd[i]}, want ${want[i]}`);
                }
              }
            };
            if (a.isLeaf) check(a.grad, dA, 'gradient of a');
            check(b.grad, dB, 'gradient of b');
          });
        }
      }
    }
  });
});
