/**
 * The wasm backend's fused loss reductions and softmax against the JS
 * kernels: `binarySum` and `binaryBackwardScaled` for every BINARY entry with
 * a gradient (random inputs in each entry's domain plus its kinks: a = b,
 * |a − b| = 1, zeros, the ends of [0, 1] for probabilities), several lengths
 * (tails, more than one tile), and float64 declined; softmax rows with NaN,
 * −Infinity and +Infinity; cross-entropy with class-index targets (ignored
 * rows, rows of −Infinity and NaN, 'none' and reduced upstream gradients;
 * plain, with class weights, with label smoothing) and what it declines.
 * Softmax and cross-entropy rows longer than a tile (streamed in chunks):
 * against JS at 40,000 columns, and bit for bit against the one-pass kernels
 * on a second instance whose chunks are shrunk to 64 columns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getBackend,
  setBackend,
  activeBackend,
  availableBackends,
  type BackendName,
} from '../src/kernels/backend.js';
import { binaryKernels } from '../src/kernels/js/elementwise.generated.js';
import * as lossJs from '../src/kernels/js/loss-kernels.js';
import { softmaxBackwardJs, softmaxForwardJs } from '../src/kernels/js/softmax-kernels.js';
import { BINARY, type BinaryDef } from '../src/ops/elementwise/table.js';
import '../src/index.js';
import { readFileSync } from 'node:fs';
import { makeBackend, type WasmExports } from '../src/kernels/wasm/index.js';

const hasWasm = availableBackends().includes('wasm');
let previous: BackendName = 'js';
beforeAll(() => {
  previous = getBackend();
  if (hasWasm) setBackend('wasm');
});
afterAll(() => setBackend(previous));

/** A small deterministic generator (xorshift32) in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

const PROB_A = new Set(['bce', 'bceMean']);
const NONNEG_B = new Set(['klDiv', 'bce', 'bceMean']);
const POS_A = new Set(['pow']);

/** Inputs in the entry's domain, with kinks every few elements; values are exact quarters at the kinks. */
function inputs(name: string, n: number, seed: number): [Float32Array, Float32Array] {
  const r = rng(seed);
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let x = (r() - 0.5) * 8;
    let y = (r() - 0.5) * 8;
    if (PROB_A.has(name)) x = r();
    if (POS_A.has(name)) x = r() * 3;
    if (NONNEG_B.has(name)) y = r();
    if (name === 'pow') y = (r() - 0.5) * 4;
    switch (i % 7) {
      case 1: // a = b
        x = Math.round(x * 4) / 4;
        y = x;
        break;
      case 2: // |a − b| = 1 (the default β and δ)
        x = Math.round(x * 4) / 4;
        y = PROB_A.has(name) || NONNEG_B.has(name) ? y : x - (i % 2 ? 1 : -1);
        break;
      case 3: // zeros
        if (PROB_A.has(name)) x = i % 2 ? 0 : 1;
        else if (!POS_A.has(name)) x = 0;
        y = name === 'pow' ? 0 : NONNEG_B.has(name) ? 0 : y;
        break;
    }
    a[i] = x;
    b[i] = y;
  }
  return [a, b];
}

const PARAMS: Record<string, number[][]> = {
  smoothL1: [[1], [0.5]],
  huber: [[1], [2]],
  // The 'mean' variants' norm 2/n and n (src/ops/elementwise/table.ts, MEAN_BACKWARD).
  squaredErrorMean: [[2 / 7], [2]],
  bceMean: [[7]],
  bceWithLogitsMean: [[3]],
};

const entries = (Object.entries(BINARY) as [string, BinaryDef][]).filter(([, d]) => d.backward);

function close(got: number, want: number, tol: number): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (!Number.isFinite(want)) return got === want;
  return Math.abs(got - want) <= tol;
}

describe.skipIf(!hasWasm)('wasm fused loss reductions', () => {
  for (const [name] of entries) {
    const k = binaryKernels[name].reduce;
    if (!k) continue;
    for (const p of PARAMS[name] ?? [[]]) {
      it(`${name}(${p.join(', ')}): binarySum and binaryBackwardScaled match JS`, () => {
        const backend = activeBackend();
        expect(backend.name).toBe('wasm');
        const sizes =
          name === 'squaredError'
            ? [1, 3, 4, 17, 256, 257, 1000, 2 * 16384 + 5]
            : [1, 3, 4, 17, 256, 257, 1000];
        for (const n of sizes) {
          const [a, b] = inputs(name, n, n * 31 + name.length);
          const terms = new Float64Array(n);
          binaryKernels[name].forward(n, terms, 0, a, 0, 1, b, 0, 1, p);
          let mag = 0;
          for (let i = 0; i < n; i++)
            mag += Math.abs(terms[i]) + Math.abs(a[i]) + Math.abs(b[i]) + 1;
          const want = k.sum(n, a, b, p);
          const got = backend.binarySum?.(name, n, a, b, p);
          expect(typeof got, `${name} n=${n}`).toBe('number');
          expect(close(got as number, want, 2e-6 * mag), `${name} n=${n}: ${got} vs ${want}`).toBe(
            true,
          );
          for (const which of ['a', 'b'] as const) {
            for (const scale of [1, -0.25]) {
              const g = new Float32Array(n);
              const w = new Float32Array(n);
              expect(backend.binaryBackwardScaled?.(name, which, n, g, scale, a, b, p)).toBe(true);
              k.backward[which](n, w, scale, a, b, p);
              for (let i = 0; i < n; i++) {
                const tol = 1e-5 * Math.abs(w[i]) + 1e-5 * (1 + Math.abs(a[i]) + Math.abs(b[i]));
                if (!close(g[i], w[i], tol))
                  expect.fail(
                    `${name} ∂${which} scale=${scale} n=${n} i=${i} (a=${a[i]}, b=${b[i]}): ${g[i]} vs ${w[i]}`,
                  );
              }
            }
          }
        }
      });
    }
  }

  it('NaN and infinities propagate through the sum', () => {
    const backend = activeBackend();
    const a = new Float32Array([1, 2, NaN, 4, 5]);
    const b = new Float32Array(5);
    expect(backend.binarySum?.('squaredError', 5, a, b, [])).toBeNaN();
    a[2] = Infinity;
    expect(backend.binarySum?.('squaredError', 5, a, b, [])).toBe(Infinity);
  });

  it('declines float64, unknown entries and entries without a gradient', () => {
    const backend = activeBackend();
    const a64 = new Float64Array(8);
    expect(backend.binarySum?.('squaredError', 8, a64, a64, [])).toBe(false);
    expect(
      backend.binaryBackwardScaled?.('squaredError', 'a', 8, new Float64Array(8), 1, a64, a64, []),
    ).toBe(false);
    const a = new Float32Array(8);
    expect(backend.binarySum?.('lt', 8, a, a, [])).toBe(false);
    expect(backend.binarySum?.('nope', 8, a, a, [])).toBe(false);
  });
});

describe.skipIf(!hasWasm)('wasm softmax edge rows', () => {
  it('NaN wins the max, rows of −Infinity and rows with +Infinity give NaN, any tail length', () => {
    const backend = activeBackend();
    for (const size of [1, 2, 3, 5, 8, 17, 33]) {
      const rows = 6;
      const x = new Float32Array(rows * size).map((_, i) => Math.sin(i * 1.7) * 3);
      x.fill(-Infinity, 0, size); // row 0
      x[size + (size >> 1)] = NaN; // row 1
      x[2 * size + size - 1] = Infinity; // row 2
      x[3 * size + size - 1] = -Infinity; // row 3: one −Infinity is fine
      for (const log of [false, true]) {
        for (const scale of [1, 0.5, -2]) {
          const got = new Float32Array(x.length);
          const want = new Float32Array(x.length);
          expect(backend.softmaxForward?.(log, rows, size, 1, got, x, scale)).toBe(true);
          softmaxForwardJs(log, rows, size, 1, want, x, scale);
          for (let i = 0; i < x.length; i++) {
            if (!close(got[i], want[i], 1e-5 * (1 + Math.abs(want[i]))))
              expect.fail(
                `fwd size=${size} log=${log} scale=${scale} i=${i}: ${got[i]} vs ${want[i]}`,
              );
          }
          const dy = x.map((_, i) => Math.cos(i));
          const gdx = new Float32Array(x.length);
          const wdx = new Float32Array(x.length);
          expect(backend.softmaxBackward?.(log, rows, size, 1, gdx, dy, want, scale)).toBe(true);
          softmaxBackwardJs(log, rows, size, 1, wdx, dy, want, scale);
          for (let i = 0; i < x.length; i++) {
            if (!close(gdx[i], wdx[i], 1e-5 * (1 + Math.abs(wdx[i]))))
              expect.fail(
                `bwd size=${size} log=${log} scale=${scale} i=${i}: ${gdx[i]} vs ${wdx[i]}`,
              );
          }
        }
      }
    }
  });
});

describe.skipIf(!hasWasm)('wasm softmax rows longer than a tile', () => {
  /** Rows of `size` with a row of −Infinity, a NaN, a +Infinity and a maximum past the first chunk. */
  function wideRows(rows: number, size: number): Float32Array {
    const x = new Float32Array(rows * size).map((_, i) => Math.sin(i * 0.61) * 9);
    x.fill(-Infinity, 0, size);
    x[size + size - 2] = NaN;
    x[2 * size + 1] = Infinity;
    x[3 * size + 70] = 80;
    return x;
  }

  it('chunks shrunk to 64 columns give bit for bit what one pass gives', () => {
    const bytes = readFileSync(new URL('../src/kernels/wasm/kernels.wasm', import.meta.url));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    const chunked = makeBackend(instance.exports as unknown as WasmExports, { rowChunk: 64 });
    const onePass = activeBackend();
    const same = (a: Float32Array, b: Float32Array, what: string): void => {
      for (let i = 0; i < a.length; i++) {
        if (!Object.is(a[i], b[i])) expect.fail(`${what} [${i}]: ${a[i]} vs ${b[i]}`);
      }
    };
    for (const size of [65, 80, 1000, 1007]) {
      const rows = 6;
      const x = wideRows(rows, size);
      const dy = x.map((_, i) => Math.cos(i * 0.3));
      for (const log of [false, true]) {
        for (const scale of [1, 0.5, -2]) {
          const what = `size=${size} log=${log} scale=${scale}`;
          const y = [new Float32Array(x.length), new Float32Array(x.length)];
          [chunked, onePass].forEach((b, k) =>
            expect(b.softmaxForward?.(log, rows, size, 1, y[k], x, scale)).toBe(true),
          );
          same(y[0], y[1], `fwd ${what}`);
          const dx = [new Float32Array(x.length), new Float32Array(x.length)];
          [chunked, onePass].forEach((b, k) =>
            expect(b.softmaxBackward?.(log, rows, size, 1, dx[k], dy, y[1], scale)).toBe(true),
          );
          same(dx[0], dx[1], `bwd ${what}`);
        }
      }
    }
  });

  it('a row of 40,000 matches JS', () => {
    const backend = activeBackend();
    const rows = 5;
    const size = 40_000;
    const x = wideRows(rows, size);
    const dy = x.map((_, i) => Math.cos(i * 0.3));
    for (const log of [false, true]) {
      const got = new Float32Array(x.length);
      const want = new Float32Array(x.length);
      expect(backend.softmaxForward?.(log, rows, size, 1, got, x, 0.5)).toBe(true);
      softmaxForwardJs(log, rows, size, 1, want, x, 0.5);
      for (let i = 0; i < x.length; i++) {
        if (!close(got[i], want[i], 1e-6 + 1e-5 * Math.abs(want[i])))
          expect.fail(`fwd log=${log} [${i}]: ${got[i]} vs ${want[i]}`);
      }
      const gdx = new Float32Array(x.length);
      const wdx = new Float32Array(x.length);
      expect(backend.softmaxBackward?.(log, rows, size, 1, gdx, dy, want, 0.5)).toBe(true);
      softmaxBackwardJs(log, rows, size, 1, wdx, dy, want, 0.5);
      // dx = scale·(dy − exp(y)·Σ dy): each float32 sum of n terms is within
      // γ_n·Σ|dy| of the exact one (γ_n = n·u/(1 − n·u), u = 2⁻²⁴), so two
      // orders differ by up to 2γ_n·Σ|dy|, scaled by |scale|·exp(y) (softmax:
      // by |scale|·|y|, with Σ|dy·y|).
      const gamma = (size * 2 ** -24) / (1 - size * 2 ** -24);
      const mass = Array.from({ length: rows }, (_, r) => {
        let m = 0;
        for (let j = r * size; j < (r + 1) * size; j++)
          m += Math.abs(log ? dy[j] : dy[j] * want[j]);
        return m;
      });
      for (let i = 0; i < x.length; i++) {
        const w = log ? Math.exp(want[i]) : Math.abs(want[i]);
        const tol =
          1e-6 + 1e-5 * Math.abs(wdx[i]) + 0.5 * w * 2 * gamma * mass[Math.floor(i / size)];
        if (!close(gdx[i], wdx[i], tol))
          expect.fail(`bwd log=${log} [${i}]: ${gdx[i]} vs ${wdx[i]}`);
      }
    }
  });
});

describe.skipIf(!hasWasm)('wasm softmax along a dimension that is not the last', () => {
  it('gives bit for bit what the same rows give when contiguous', () => {
    const backend = activeBackend();
    for (const [outer, size, inner] of [
      [3, 1, 4],
      [2, 5, 7],
      [3, 17, 2],
      [2, 1000, 40], // 16 rows per tile: three blocks of inner positions
    ]) {
      const n = outer * size * inner;
      const x = new Float32Array(n).map((_, i) => Math.sin(i * 0.71) * 7);
      x[0 * size * inner + 0 * inner + 1] = NaN; // row (0, ·, 1)
      for (let c = 0; c < size; c++) x[(outer - 1) * size * inner + c * inner] = -Infinity;
      const dy = x.map((_, i) => Math.cos(i * 0.3));
      /** (outer, size, inner) → (outer, inner, size), and back. */
      const toRows = (a: Float32Array): Float32Array => {
        const t = new Float32Array(n);
        for (let o = 0; o < outer; o++)
          for (let c = 0; c < size; c++)
            for (let i = 0; i < inner; i++)
              t[(o * inner + i) * size + c] = a[(o * size + c) * inner + i];
        return t;
      };
      for (const log of [false, true]) {
        for (const scale of [1, -0.5]) {
          const what = `(${outer}, ${size}, ${inner}) log=${log} scale=${scale}`;
          const y = new Float32Array(n);
          const yRows = new Float32Array(n);
          expect(backend.softmaxForward?.(log, outer, size, inner, y, x, scale)).toBe(true);
          expect(
            backend.softmaxForward?.(log, outer * inner, size, 1, yRows, toRows(x), scale),
          ).toBe(true);
          const yt = toRows(y);
          for (let i = 0; i < n; i++) {
            if (!Object.is(yt[i], yRows[i]))
              expect.fail(`fwd ${what} [${i}]: ${yt[i]} vs ${yRows[i]}`);
          }
          const dx = new Float32Array(n);
          const dxRows = new Float32Array(n);
          expect(backend.softmaxBackward?.(log, outer, size, inner, dx, dy, y, scale)).toBe(true);
          expect(
            backend.softmaxBackward?.(
              log,
              outer * inner,
              size,
              1,
              dxRows,
              toRows(dy),
              yRows,
              scale,
            ),
          ).toBe(true);
          const dxt = toRows(dx);
          for (let i = 0; i < n; i++) {
            if (!Object.is(dxt[i], dxRows[i]))
              expect.fail(`bwd ${what} [${i}]: ${dxt[i]} vs ${dxRows[i]}`);
          }
          // And the JS kernels' values, within the tolerance of the contiguous tests above.
          const want = new Float32Array(n);
          softmaxForwardJs(log, outer, size, inner, want, x, scale);
          for (let i = 0; i < n; i++) {
            if (!close(y[i], want[i], 1e-5 * (1 + Math.abs(want[i]))))
              expect.fail(`fwd vs JS ${what} [${i}]: ${y[i]} vs ${want[i]}`);
          }
        }
      }
    }
  });

  it('declines rows longer than a tile along a middle dimension', () => {
    const backend = activeBackend();
    const size = 20_000;
    const x = new Float32Array(2 * size);
    expect(backend.softmaxForward?.(false, 1, size, 2, new Float32Array(2 * size), x, 1)).toBe(
      false,
    );
  });
});

describe.skipIf(!hasWasm)('wasm cross-entropy (class-index targets)', () => {
  /** Plain, with class weights, with label smoothing: what the wasm kernels take. */
  const variants = (C: number): { name: string; weight: Float32Array | null; eps: number }[] => [
    { name: 'plain', weight: null, eps: 0 },
    {
      name: 'weights',
      weight: new Float32Array(C).map((_, c) => 0.25 + ((c * 5) % 7) / 4),
      eps: 0,
    },
    { name: 'smoothing', weight: null, eps: 0.1 },
  ];

  /** Rows with an ignored one, a row of −Infinity and one holding a NaN. */
  function logits(rows: number, C: number): { x: Float32Array; target: Int32Array } {
    const x = new Float32Array(rows * C).map((_, i) => Math.sin(i * 0.37) * 6);
    const target = Int32Array.from({ length: rows }, (_, r) => (r * 7) % C);
    target[2] = -100; // ignored
    x.fill(-Infinity, 3 * C, 4 * C); // a row of −Infinity
    x[5 * C + (C >> 1)] = NaN;
    return { x, target };
  }

  it('forward and backward match JS, including ignored and non-finite rows', () => {
    const backend = activeBackend();
    for (const C of [1, 3, 5, 16, 17, 1000, 40_000]) {
      const rows = C === 1000 ? 40 : C === 40_000 ? 7 : 23;
      const { x, target } = logits(rows, C);
      for (const { name, weight, eps } of variants(C)) {
        const what = `C=${C} ${name}`;
        const loss = new Float32Array(rows);
        const wantLoss = new Float32Array(rows);
        const lse = new Float64Array(2 * rows);
        const wantLse = new Float64Array(2 * rows);
        // The arguments both sides share, before their outputs.
        const args = [rows, C, 1, x, target, weight, -100, eps] as const;
        const total = backend.crossEntropyForward?.(...args, loss, lse);
        const want = lossJs.crossEntropyForward(...args, wantLoss, wantLse);
        expect(total, what).toBe(want);
        for (let r = 0; r < rows; r++) {
          expect(
            close(loss[r], wantLoss[r], 1e-5 * (1 + Math.abs(wantLoss[r]))),
            `${what} loss ${r}: ${loss[r]} vs ${wantLoss[r]}`,
          ).toBe(true);
          // The pair (log Σ exp, max) of row r; the max of a row holding NaN is
          // not specified (wasm's pmax skips NaN, JS's max is NaN): log Σ is NaN either way.
          for (const q of Number.isNaN(wantLse[2 * r]) ? [2 * r] : [2 * r, 2 * r + 1]) {
            expect(
              close(lse[q], wantLse[q], 1e-5 * (1 + Math.abs(wantLse[q]))),
              `${what} lse ${q}`,
            ).toBe(true);
          }
        }
        for (const [grad, gs, div] of [
          [new Float32Array([1]), 0, want],
          [new Float32Array(rows).map((_, r) => r - 3), 1, 1],
        ] as const) {
          const dx = new Float32Array(rows * C);
          const wdx = new Float32Array(rows * C);
          const bargs = [...args, wantLse, grad, gs, div] as const;
          expect(backend.crossEntropyBackward?.(...bargs, dx)).toBe(true);
          lossJs.crossEntropyBackward(...bargs, wdx);
          for (let i = 0; i < dx.length; i++) {
            if (!close(dx[i], wdx[i], 1e-6 + 1e-5 * Math.abs(wdx[i])))
              expect.fail(`${what} gs=${gs} dx[${i}]: ${dx[i]} vs ${wdx[i]}`);
          }
        }
      }
    }
  });

  it('rows longer than a chunk give bit for bit what one pass gives', () => {
    const bytes = readFileSync(new URL('../src/kernels/wasm/kernels.wasm', import.meta.url));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    const exports = instance.exports as unknown as WasmExports;
    const chunked = makeBackend(exports, { rowChunk: 64 });
    const onePass = activeBackend();
    for (const C of [65, 80, 1000, 1007]) {
      const rows = 9;
      const x = new Float32Array(rows * C).map((_, i) => Math.sin(i * 0.61) * 9);
      // Targets in the first chunk, the last, and one past a chunk's end.
      const target = Int32Array.from(
        { length: rows },
        (_, r) => [0, C - 1, 64, 63, 130 % C][r % 5],
      );
      target[1] = -100; // ignored
      x.fill(-Infinity, 3 * C, 4 * C);
      x[5 * C + C - 2] = NaN; // in the last chunk
      x[6 * C + 1] = Infinity;
      x[7 * C + 70] = 80; // the maximum in the second chunk
      for (const { name, weight, eps } of variants(C)) {
        const what = `C=${C} ${name}`;
        const loss = [new Float32Array(rows), new Float32Array(rows)];
        const lse = [new Float64Array(2 * rows), new Float64Array(2 * rows)];
        const totals = [chunked, onePass].map((b, k) =>
          b.crossEntropyForward?.(rows, C, 1, x, target, weight, -100, eps, loss[k], lse[k]),
        );
        expect(totals[0], what).toBe(totals[1]);
        expect(Array.from(loss[0]), `${what} loss`).toEqual(Array.from(loss[1]));
        expect(Array.from(lse[0]), `${what} lse`).toEqual(Array.from(lse[1]));
        for (const [grad, gs, div] of [
          [new Float32Array([1]), 0, totals[1] as number],
          [new Float32Array(rows).map((_, r) => r - 3.5), 1, 1],
        ] as const) {
          const dx = [new Float32Array(rows * C), new Float32Array(rows * C)];
          [chunked, onePass].forEach((b, k) =>
            expect(
              b.crossEntropyBackward?.(
                rows,
                C,
                1,
                x,
                target,
                weight,
                -100,
                eps,
                lse[1],
                grad,
                gs,
                div,
                dx[k],
              ),
            ).toBe(true),
          );
          for (let i = 0; i < dx[0].length; i++) {
            if (!Object.is(dx[0][i], dx[1][i]))
              expect.fail(`${what} gs=${gs} dx[${i}]: ${dx[0][i]} vs ${dx[1][i]}`);
          }
        }
      }
    }
  });

  it('classes along a middle dimension give bit for bit what contiguous rows give', () => {
    const backend = activeBackend();
    for (const [outer, C, inner] of [
      [2, 5, 7],
      [3, 17, 2],
      [2, 1000, 40], // 16 rows per tile: three blocks of positions
    ]) {
      const P = outer * inner;
      const x = new Float32Array(outer * C * inner).map((_, i) => Math.sin(i * 0.53) * 6);
      x[1] = NaN; // position (0, 1)
      for (let c = 0; c < C; c++) x[(outer - 1) * C * inner + c * inner] = -Infinity;
      const target = Int32Array.from({ length: P }, (_, p) => (p * 5) % C);
      target[2] = -100;
      /** (outer, C, inner) → (outer·inner, C). */
      const rows = new Float32Array(x.length);
      for (let o = 0; o < outer; o++)
        for (let c = 0; c < C; c++)
          for (let i = 0; i < inner; i++)
            rows[(o * inner + i) * C + c] = x[(o * C + c) * inner + i];
      for (const { name, weight, eps } of variants(C)) {
        const what = `(${outer}, ${C}, ${inner}) ${name}`;
        const loss = [new Float32Array(P), new Float32Array(P)];
        const lse = [new Float64Array(2 * P), new Float64Array(2 * P)];
        // Targets and options, shared by the strided call and the contiguous one.
        const opts = [target, weight, -100, eps] as const;
        const totals = [
          backend.crossEntropyForward?.(outer, C, inner, x, ...opts, loss[0], lse[0]),
          backend.crossEntropyForward?.(P, C, 1, rows, ...opts, loss[1], lse[1]),
        ];
        expect(totals[0], what).toBe(totals[1]);
        expect(Array.from(loss[0]), `${what} loss`).toEqual(Array.from(loss[1]));
        expect(Array.from(lse[0]), `${what} lse`).toEqual(Array.from(lse[1]));
        const grad = new Float32Array(P).map((_, p) => p - 2.5);
        const dx = new Float32Array(x.length);
        const dxRows = new Float32Array(x.length);
        const up = [lse[1], grad, 1, 1] as const;
        expect(backend.crossEntropyBackward?.(outer, C, inner, x, ...opts, ...up, dx)).toBe(true);
        expect(backend.crossEntropyBackward?.(P, C, 1, rows, ...opts, ...up, dxRows)).toBe(true);
        for (let o = 0; o < outer; o++)
          for (let c = 0; c < C; c++)
            for (let i = 0; i < inner; i++) {
              const got = dx[(o * C + c) * inner + i];
              const want = dxRows[(o * inner + i) * C + c];
              if (!Object.is(got, want))
                expect.fail(`${what} dx (${o}, ${c}, ${i}): ${got} vs ${want}`);
            }
        // And the JS kernel's losses, within the tolerance of the contiguous tests.
        const wantLoss = new Float32Array(P);
        lossJs.crossEntropyForward(
          outer,
          C,
          inner,
          x,
          target,
          weight,
          -100,
          eps,
          wantLoss,
          new Float64Array(2 * P),
        );
        for (let p = 0; p < P; p++) {
          if (!close(loss[0][p], wantLoss[p], 1e-5 * (1 + Math.abs(wantLoss[p]))))
            expect.fail(`${what} loss ${p} vs JS: ${loss[0][p]} vs ${wantLoss[p]}`);
        }
      }
    }
  });

  it('declines more classes than a tile along a middle dimension', () => {
    const bytes = readFileSync(new URL('../src/kernels/wasm/kernels.wasm', import.meta.url));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    const chunked = makeBackend(instance.exports as unknown as WasmExports, { rowChunk: 64 });
    const x = new Float32Array(2 * 100 * 3);
    const t = new Int32Array(6);
    expect(
      chunked.crossEntropyForward?.(
        2,
        100,
        3,
        x,
        t,
        null,
        -100,
        0,
        new Float32Array(6),
        new Float64Array(12),
      ),
    ).toBe(false);
    expect(
      chunked.crossEntropyBackward?.(
        2,
        100,
        3,
        x,
        t,
        null,
        -100,
        0,
        new Float64Array(12),
        new Float32Array([1]),
        0,
        1,
        new Float32Array(600),
      ),
    ).toBe(false);
  });

  it('declines weights with label smoothing, float64 weights and float64', () => {
    const backend = activeBackend();
    const x = new Float32Array(12);
    const t = new Int32Array(4);
    const loss = new Float32Array(4);
    const lse = new Float64Array(8);
    expect(
      backend.crossEntropyForward?.(4, 3, 1, x, t, new Float32Array(3), -100, 0.1, loss, lse),
    ).toBe(false);
    expect(
      backend.crossEntropyForward?.(4, 3, 1, x, t, new Float64Array(3), -100, 0, loss, lse),
    ).toBe(false);
    expect(
      backend.crossEntropyForward?.(
        4,
        3,
        1,
        new Float64Array(12),
        t,
        null,
        -100,
        0,
        new Float64Array(4),
        lse,
      ),
    ).toBe(false);
    const g = new Float32Array([1]);
    expect(
      backend.crossEntropyBackward?.(
        4,
        3,
        1,
        x,
        t,
        new Float32Array(3),
        -100,
        0.1,
        lse,
        g,
        0,
        1,
        new Float32Array(12),
      ),
    ).toBe(false);
  });
});
