/**
 * Browser smoke test: the library's browser entry (src/browser.ts), bundled
 * with esbuild, is served from a local HTTP server on 127.0.0.1 with the
 * `.wasm` assets it references (`new URL('./kernels.wasm', import.meta.url)`,
 * which esbuild leaves alone, so they are fetched next to the bundle) and
 * loaded in headless Chromium (playwright-core, /usr/bin/chromium). The page
 * awaits `wasmReady`, selects the wasm backend and computes a few kernels;
 * the results must match the JS kernels run here in Node. The shared-memory
 * module must not be fetched until a cross-origin isolated page asks for
 * threads. Chromium accepts relaxed SIMD, so its GEMM is the fused
 * multiply-add build (relaxed.ts); this file turns relaxed SIMD on in
 * Node too (a V8 flag, for this test process only) and registers the wasm
 * backend here with the same build. The page's GEMM (a product over two k
 * blocks and its gradients, which read transposed operands in place) must
 * then equal the wasm GEMM run here in Node bit for bit (the same fused
 * multiply-adds in the same order) and a float64 reference within
 * γ_k·Σ|a|·|b|, γ_k = k·2⁻²⁴/(1 − k·2⁻²⁴).
 *
 * A second page is served cross-origin isolated (COOP same-origin, COEP
 * require-corp): there `setNumThreads(2)` starts the wasm worker pool, whose
 * results on ≥ 1M-element arrays must equal the single-threaded wasm results
 * bit for bit and the JS kernels within 1e-5 abs + 1e-5 rel; so must the
 * GEMM's (split by rows between the threads) on products of 19.7M
 * multiply-adds, and the GEMM must have dispatched to the pool.
 *
 * Skipped, with the reason, when /usr/bin/chromium is not installed
 * (`apt-get install -y chromium`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { F, tensor, setBackend, availableBackends, Tensor } from '../src/index.js';
import { registerRelaxedWasm } from './helpers/relaxed.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const ROOT = join(import.meta.dirname, '..');

const ENTRY = `
import * as nnkit from './src/browser.ts';
window.nnkit = nnkit;
`;
const WASM_DIR = join(ROOT, 'src', 'kernels', 'wasm');

const PAGE = `<!doctype html><meta charset="utf-8"><title>nnkit</title><script type="module" src="/nnkit.js"></script>`;

/** The product, its gradients, as a page computes them (see `matmulCase`). */
interface MatmulResult {
  c: number[];
  gradA: number[];
  gradB: number[];
}

interface PageResult {
  matmul: MatmulResult;
  ready: boolean;
  backend: string;
  available: string[];
  gelu: number[];
  tanh: number[];
  softmax: number[];
  grad: number[];
  poolWorkers: number;
  /** wasmRelaxedSimd() once the backend is ready. */
  relaxed: boolean | null;
}

interface PoolResult {
  relaxed: boolean | null;
  matmulSingle: MatmulResult;
  matmulThreaded: MatmulResult;
  matmulDispatches: number;
  /** nn.Linear's forward (bias in the GEMM's epilogue) on one thread and on the pool. */
  linearSingle: number[];
  linearThreaded: number[];
  msMatmulSingle: number;
  msMatmulThreaded: number;
  isolated: boolean;
  lengths: number[];
  mismatches: Record<string, number>;
  maxRel: Record<string, number>;
  dispatchesBefore: number;
  workers: number;
  threads: number;
  dispatches: number;
  msSingle: number;
  /** The .wasm files the page had fetched before and after asking for threads. */
  wasmBefore: string[];
  wasmAfter: string[];
  msThreaded: number;
}

const INPUT = Array.from({ length: 37 }, (_, i) => (i - 18) * 0.37);

/** m×k·k×n products for the pages: over one k block (256) on the plain page, 19.7M multiply-adds on the pool. */
type Shape = [number, number, number];
type Operands = [number[], number[], number[]];
const SMALL: Shape = [37, 300, 45];
const LARGE: Shape = [256, 300, 256];

/** Operands a[m×k], b[k×n] and the upstream gradient g[m×n], uniform in [−1, 1) (an LCG, reproducible). */
function operands([m, k, n]: [number, number, number]): [number[], number[], number[]] {
  let seed = m * 1000003 + k * 1009 + n;
  const rand = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return Math.fround((seed / 2 ** 32) * 2 - 1);
  };
  const fill = (len: number): number[] => Array.from({ length: len }, rand);
  return [fill(m * k), fill(k * n), fill(m * n)];
}

type Lib = typeof import('../src/browser.js');

/**
 * c = a·b, and the gradients of Σ c·g: ∂a = g·bᵀ and ∂b = aᵀ·g (the GEMM
 * reading b, then a, transposed). Run in the pages (serialized) and here.
 */
function matmulCase(
  nk: Lib,
  [m, k, n]: [number, number, number],
  [a, b, g]: [number[], number[], number[]],
): { c: number[]; gradA: number[]; gradB: number[] } {
  const ta = new nk.Tensor(Float32Array.from(a), [m, k]).requiresGrad_();
  const tb = new nk.Tensor(Float32Array.from(b), [k, n]).requiresGrad_();
  const c = ta.matmul(tb);
  c.mul(new nk.Tensor(Float32Array.from(g), [m, n]))
    .sum()
    .backward();
  return {
    c: Array.from(c.data),
    gradA: Array.from(ta.grad!.data),
    gradB: Array.from(tb.grad!.data),
  };
}

/** The case in float64 with Σ|x|·|y| per element: [value, magnitude] arrays of c, ∂a, ∂b. */
function matmulReference(
  [m, k, n]: [number, number, number],
  [a, b, g]: [number[], number[], number[]],
): Record<keyof MatmulResult, [Float64Array, Float64Array, number]> {
  // x[r×q] · y[q×s] with x(i, p) = x[i·xr + p·xc] and y(p, j) = y[p·yr + j·yc].
  const product = (
    x: number[],
    xr: number,
    xc: number,
    y: number[],
    yr: number,
    yc: number,
    r: number,
    q: number,
    s: number,
  ): [Float64Array, Float64Array, number] => {
    const v = new Float64Array(r * s);
    const mag = new Float64Array(r * s);
    for (let i = 0; i < r; i++)
      for (let p = 0; p < q; p++)
        for (let j = 0; j < s; j++) {
          const t = x[i * xr + p * xc] * y[p * yr + j * yc];
          v[i * s + j] += t;
          mag[i * s + j] += Math.abs(t);
        }
    return [v, mag, q];
  };
  return {
    c: product(a, k, 1, b, n, 1, m, k, n),
    gradA: product(g, n, 1, b, 1, n, m, n, k), // g·bᵀ
    gradB: product(a, 1, k, g, n, 1, k, m, n), // aᵀ·g
  };
}

/** The GEMM results against Node's wasm GEMM (bit for bit) and the float64 reference. */
function expectMatmul(got: MatmulResult, shape: [number, number, number], what: string): void {
  const ops = operands(shape);
  const previous = availableBackends()[0];
  setBackend('wasm');
  const here = matmulCase({ Tensor } as Lib, shape, ops);
  setBackend(previous);
  const ref = matmulReference(shape, ops);
  for (const key of ['c', 'gradA', 'gradB'] as const) {
    const [want, mag, k] = ref[key];
    const gamma = (k * 2 ** -24) / (1 - k * 2 ** -24);
    expect(got[key].length, `${what} ${key}`).toBe(want.length);
    let bad = 0;
    got[key].forEach((v, i) => {
      if (!Object.is(v, here[key][i]) || !(Math.abs(v - want[i]) <= gamma * mag[i])) bad++;
    });
    expect(bad, `${what} ${key}: elements off`).toBe(0);
  }
}

function expected(): Omit<
  PageResult,
  'ready' | 'backend' | 'available' | 'poolWorkers' | 'matmul' | 'relaxed'
> {
  setBackend('js');
  const x = tensor(INPUT);
  const xr = tensor(INPUT).requiresGrad_();
  F.silu(xr).sum().backward();
  const r = {
    gelu: Array.from(F.gelu(x).data),
    tanh: Array.from(F.tanh(x).data),
    softmax: Array.from(F.softmax(x.reshape([1, 37]), 1).data),
    grad: Array.from(xr.grad!.data),
  };
  setBackend(availableBackends()[0]);
  return r;
}

describe.skipIf(!haveChromium)(
  `wasm backend in headless Chromium${haveChromium ? '' : ` (skipped: ${CHROMIUM} not installed)`}`,
  () => {
    let server: Server;
    let url = '';
    /** The paths the pages requested, in order. */
    const requests: string[] = [];
    beforeAll(async () => {
      registerRelaxedWasm();
      const bundle = await build({
        stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'ts' },
        bundle: true,
        format: 'esm',
        platform: 'browser',
        write: false,
        logLevel: 'error',
      });
      const js = bundle.outputFiles[0].text;
      server = createServer((req, res) => {
        requests.push(req.url ?? '');
        // Only /isolated/ is cross-origin isolated (and so may use the worker pool).
        const isolation = req.url?.startsWith('/isolated/')
          ? {
              'cross-origin-opener-policy': 'same-origin',
              'cross-origin-embedder-policy': 'require-corp',
            }
          : {};
        const wasm = req.url?.match(/^\/(?:isolated\/)?(kernels(?:-shared)?\.wasm)$/);
        if (req.url === '/nnkit.js') {
          res.writeHead(200, { 'content-type': 'text/javascript' });
          res.end(js);
        } else if (wasm) {
          res.writeHead(200, { 'content-type': 'application/wasm', ...isolation });
          res.end(readFileSync(join(WASM_DIR, wasm[1])));
        } else {
          res.writeHead(200, { 'content-type': 'text/html', ...isolation });
          res.end(PAGE);
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    }, 60_000); // bundling takes seconds on a loaded machine
    afterAll(
      () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
    );

    const launch = async () => {
      const { chromium } = await import('playwright-core');
      return chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
        ],
      });
    };

    it('loads the wasm backend and matches the JS kernels', async () => {
      const browser = await launch();
      try {
        const page = await browser.newPage();
        await page.goto(url);
        await page.waitForFunction(() => 'nnkit' in window);
        const got = await page.evaluate(
          async ([input, mmShape, mmOps, mmCase]): Promise<PageResult> => {
            const nk = (window as unknown as { nnkit: Lib }).nnkit;
            const matmulOf = new Function(`return ${mmCase}`)() as typeof matmulCase;
            const ready = await nk.wasmReady;
            nk.setBackend('wasm');
            // Not cross-origin isolated: no worker pool, the kernels stay single-threaded.
            nk.setNumThreads(2);
            const pool = await nk.wasmThreadPool();
            const x = nk.tensor(input);
            const xr = nk.tensor(input).requiresGrad_();
            nk.F.silu(xr).sum().backward();
            return {
              ready,
              backend: nk.getBackend(),
              available: nk.availableBackends(),
              gelu: Array.from(nk.F.gelu(x).data),
              tanh: Array.from(nk.F.tanh(x).data),
              softmax: Array.from(nk.F.softmax(x.reshape([1, input.length]), 1).data),
              grad: Array.from(xr.grad!.data),
              poolWorkers: pool.workers,
              relaxed: nk.wasmRelaxedSimd(),
              matmul: matmulOf(nk, mmShape, mmOps),
            };
          },
          [INPUT, SMALL, operands(SMALL), matmulCase.toString()] as [
            number[],
            Shape,
            Operands,
            string,
          ],
        );
        expect(got.poolWorkers).toBe(0);
        expect(got.ready).toBe(true);
        expect(got.backend).toBe('wasm');
        expect(got.available).toEqual(['wasm', 'js']);
        // Chromium 114+ accepts relaxed SIMD: the GEMM's fused multiply-add build joins the module
        // (inline, so still one .wasm request below).
        expect(got.relaxed).toBe(true);
        expectMatmul(got.matmul, SMALL, 'single-threaded page');
        // The single-threaded module only: threads were asked for, but the page is not isolated.
        expect(requests.filter((r) => r.endsWith('.wasm'))).toEqual(['/kernels.wasm']);
        const want = expected();
        for (const key of ['gelu', 'tanh', 'softmax', 'grad'] as const) {
          expect(got[key].length, key).toBe(INPUT.length);
          got[key].forEach((v, i) =>
            expect(Math.abs(v - want[key][i]), `${key}[${i}]`).toBeLessThanOrEqual(
              1e-5 + 1e-5 * Math.abs(want[key][i]),
            ),
          );
        }
      } finally {
        await browser.close();
      }
    });

    it('splits large kernels over a worker pool when cross-origin isolated', async () => {
      const browser = await launch();
      try {
        const page = await browser.newPage();
        await page.goto(`${url}isolated/`);
        requests.length = 0;
        await page.waitForFunction(() => 'nnkit' in window);
        const got = await page.evaluate(
          async ([mmShape, mmOps, mmCase]): Promise<PoolResult> => {
            const matmulOf = new Function(`return ${mmCase}`)() as typeof matmulCase;
            // Best of 10 of the product alone, for the log (the first calls of the
            // shared module run unoptimized code until V8 tiers them up).
            const timeMatmul = (): number => {
              const [m, k, n] = mmShape;
              const a = new nk.Tensor(Float32Array.from(mmOps[0]), [m, k]);
              const b = new nk.Tensor(Float32Array.from(mmOps[1]), [k, n]);
              let best = Infinity;
              for (let r = 0; r < 10; r++) {
                const t0 = performance.now();
                a.matmul(b);
                best = Math.min(best, performance.now() - t0);
              }
              return best;
            };
            const nk = (window as unknown as { nnkit: Lib }).nnkit;
            const wasmFetched = (): string[] =>
              performance
                .getEntriesByType('resource')
                .map((e) => new URL(e.name).pathname)
                .filter((p) => p.endsWith('.wasm'));
            await nk.wasmReady;
            nk.setBackend('wasm');
            const N = 1_000_003;
            const ROWS = 1000;
            const SIZE = 1003;
            let seed = 12345;
            const rand = (): number => {
              seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
              return (seed / 2 ** 32) * 16 - 8;
            };
            const flat = Float32Array.from({ length: N }, rand);
            const rows = Float32Array.from({ length: ROWS * SIZE }, rand);
            const run = (): Record<string, Float32Array> => {
              const x = nk.tensor(flat);
              const xr = nk.tensor(flat).requiresGrad_();
              nk.F.silu(xr).sum().backward();
              return {
                gelu: nk.F.gelu(x).data as Float32Array,
                tanh: nk.F.tanh(x).data as Float32Array,
                softplus: nk.F.softplus(x).data as Float32Array,
                softmax: nk.F.softmax(nk.tensor(rows).reshape([ROWS, SIZE]), 1)
                  .data as Float32Array,
                grad: xr.grad!.data as Float32Array,
              };
            };
            // Best of 3 of the gelu/tanh/softplus forwards alone, for the log.
            const time = (): number => {
              const x = nk.tensor(flat);
              let best = Infinity;
              for (let k = 0; k < 3; k++) {
                const t0 = performance.now();
                nk.F.gelu(x);
                nk.F.tanh(x);
                nk.F.softplus(x);
                best = Math.min(best, performance.now() - t0);
              }
              return best;
            };
            nk.setNumThreads(1);
            const single = run();
            const msSingle = time();
            // nn.Linear(k → n) on a[m×k], weight b read as [n×k], bias from g: with k = 300 over
            // two k blocks, the bias must join the first block's sums on the pool as on one thread.
            const linearOf = (): number[] => {
              const [m, k, n] = mmShape;
              const lin = new nk.nn.Linear(k, n);
              (lin.weight.data as Float32Array).set(Float32Array.from(mmOps[1]));
              (lin.bias!.data as Float32Array).set(Float32Array.from(mmOps[2].slice(0, n)));
              return Array.from(
                lin.forward(new nk.Tensor(Float32Array.from(mmOps[0]), [m, k])).data,
              );
            };
            const linearSingle = linearOf();
            const matmulSingle = matmulOf(nk, mmShape, mmOps);
            const msMatmulSingle = timeMatmul();
            const wasmBefore = wasmFetched();
            nk.setNumThreads(2);
            const stats0 = await nk.wasmThreadPool();
            const wasmAfter = wasmFetched();
            const matmulThreaded = matmulOf(nk, mmShape, mmOps);
            const matmulDispatches = (await nk.wasmThreadPool()).dispatches;
            const linearThreaded = linearOf();
            const msMatmulThreaded = timeMatmul();
            const threaded = run();
            const msThreaded = time();
            const stats = await nk.wasmThreadPool();
            nk.setBackend('js');
            const js = run();
            nk.setBackend('wasm');
            nk.setNumThreads(1);
            const mismatches: Record<string, number> = {};
            const maxRel: Record<string, number> = {};
            for (const k of Object.keys(single)) {
              let bad = 0;
              let rel = 0;
              for (let i = 0; i < single[k].length; i++) {
                if (!Object.is(single[k][i], threaded[k][i])) bad++;
                const want = js[k][i];
                const d = Math.abs(threaded[k][i] - want);
                // The backends' float32 contract (kernels-backends.test.ts): 1e-5 abs + 1e-5 rel,
                // i.e. d / (1 + |want|) ≤ 1e-5; purely relative fails where gelu's tail
                // nears 0, for the single-threaded wasm kernel just the same.
                rel = Math.max(rel, d / (1 + Math.abs(want)));
              }
              mismatches[k] = bad;
              maxRel[k] = rel;
            }
            return {
              relaxed: nk.wasmRelaxedSimd(),
              isolated: globalThis.crossOriginIsolated,
              lengths: Object.values(threaded).map((a) => a.length),
              mismatches,
              maxRel,
              dispatchesBefore: stats0.dispatches,
              workers: stats.workers,
              threads: stats.threads,
              dispatches: stats.dispatches,
              msSingle,
              wasmBefore,
              wasmAfter,
              msThreaded,
              matmulSingle,
              matmulThreaded,
              matmulDispatches,
              linearSingle,
              linearThreaded,
              msMatmulSingle,
              msMatmulThreaded,
            };
          },
          [LARGE, operands(LARGE), matmulCase.toString()] as [Shape, Operands, string],
        );
        expect(got.isolated).toBe(true);
        // The pool's threads run the relaxed GEMM too, or the GEMM would not dispatch to them
        // (checked below), and nn.Linear's rows would not match one thread's bit for bit.
        expect(got.relaxed).toBe(true);
        // The shared-memory module is fetched when threads are asked for, not before.
        expect(got.wasmBefore).toEqual(['/kernels.wasm']);
        expect(got.wasmAfter).toEqual(['/kernels.wasm', '/kernels-shared.wasm']);
        expect(got.lengths).toEqual([1_000_003, 1_000_003, 1_000_003, 1_003_000, 1_000_003]);
        expect(got.workers).toBe(1);
        expect(got.threads).toBe(2);
        expect(got.dispatchesBefore).toBe(0);
        expect(got.dispatches).toBeGreaterThan(0);
        expect(got.mismatches).toEqual({ gelu: 0, tanh: 0, softplus: 0, softmax: 0, grad: 0 });
        // The product and both gradients went through the pool (a dispatch per k block at least).
        expect(got.matmulDispatches).toBeGreaterThanOrEqual(3);
        expectMatmul(got.matmulSingle, LARGE, 'pool page, one thread');
        expectMatmul(got.matmulThreaded, LARGE, 'pool page, two threads');
        const [lm, lk, ln] = LARGE;
        expect(got.linearSingle.length).toBe(lm * ln);
        const linearDiffer = got.linearSingle.filter(
          (v, i) => !Object.is(v, got.linearThreaded[i]),
        );
        expect(linearDiffer.length, `nn.Linear ${lm}×${lk}→${ln}: pool vs one thread`).toBe(0);
        for (const [k, rel] of Object.entries(got.maxRel)) {
          expect(rel, k).toBeLessThanOrEqual(1e-5);
        }
        console.log(
          `wasm pool, gelu+tanh+softplus of 1M floats: ${got.msSingle.toFixed(1)} ms on 1 thread, ${got.msThreaded.toFixed(1)} ms on 2; max error vs JS, d / (1 + |js|):`,
          got.maxRel,
        );
        console.log(
          `wasm pool, ${LARGE.join('×')} matmul: ${got.msMatmulSingle.toFixed(1)} ms on 1 thread, ${got.msMatmulThreaded.toFixed(1)} ms on 2`,
        );
      } finally {
        await browser.close();
      }
    });
  },
);
