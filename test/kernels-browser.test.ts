/**
 * Browser smoke test: the library's browser entry (src/browser.ts), bundled
 * with esbuild, is served from a local HTTP server on 127.0.0.1 with the
 * `.wasm` assets it references (`new URL('./kernels.wasm', import.meta.url)`,
 * which esbuild leaves alone, so they are fetched next to the bundle) and
 * loaded in headless Chromium (playwright-core, /usr/bin/chromium). The page
 * awaits `wasmReady`, selects the wasm backend and computes a few kernels;
 * the results must match the JS kernels run here in Node. The shared-memory
 * module must not be fetched until a cross-origin isolated page asks for
 * threads.
 *
 * A second page is served cross-origin isolated (COOP same-origin, COEP
 * require-corp): there `setNumThreads(2)` starts the wasm worker pool, whose
 * results on ≥ 1M-element arrays must equal the single-threaded wasm results
 * bit for bit and the JS kernels within 1e-5 abs + 1e-5 rel.
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
import { F, tensor, setBackend, availableBackends } from '../src/index.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const ROOT = join(import.meta.dirname, '..');

const ENTRY = `
import * as nnkit from './src/browser.ts';
window.nnkit = nnkit;
`;
const WASM_DIR = join(ROOT, 'src', 'kernels', 'wasm');
const PAGE = `<!doctype html><meta charset="utf-8"><title>nnkit</title><script type="module" src="/nnkit.js"></script>`;

interface PageResult {
  ready: boolean;
  backend: string;
  available: string[];
  gelu: number[];
  tanh: number[];
  softmax: number[];
  grad: number[];
  poolWorkers: number;
}

interface PoolResult {
  isolated: boolean;
  lengths: number[];
  mismatches: Record<string, number>;
  maxRel: Record<string, number>;
  dispatchesBefore: number;
  workers: number;
  threads: number;
  dispatches: number;
  msSingle: number;
  msThreaded: number;
  /** The .wasm files the page had fetched before and after asking for threads. */
  wasmBefore: string[];
  wasmAfter: string[];
}

const INPUT = Array.from({ length: 37 }, (_, i) => (i - 18) * 0.37);

function expected(): Omit<PageResult, 'ready' | 'backend' | 'available' | 'poolWorkers'> {
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
    });
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
        const got = await page.evaluate(async (input: number[]): Promise<PageResult> => {
          type Lib = typeof import('../src/browser.js');
          const nk = (window as unknown as { nnkit: Lib }).nnkit;
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
          };
        }, INPUT);
        expect(got.poolWorkers).toBe(0);
        // The single-threaded module only: threads were asked for, but the page is not isolated.
        expect(requests.filter((r) => r.endsWith('.wasm'))).toEqual(['/kernels.wasm']);
        expect(got.ready).toBe(true);
        expect(got.backend).toBe('wasm');
        expect(got.available).toEqual(['wasm', 'js']);
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
        requests.length = 0;
        await page.goto(`${url}isolated/`);
        await page.waitForFunction(() => 'nnkit' in window);
        const got = await page.evaluate(async (): Promise<PoolResult> => {
          type Lib = typeof import('../src/browser.js');
          const nk = (window as unknown as { nnkit: Lib }).nnkit;
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
              softmax: nk.F.softmax(nk.tensor(rows).reshape([ROWS, SIZE]), 1).data as Float32Array,
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
          const wasmFetched = (): string[] =>
            performance
              .getEntriesByType('resource')
              .map((e) => new URL(e.name).pathname)
              .filter((p) => p.endsWith('.wasm'));
          nk.setNumThreads(1);
          const single = run();
          const msSingle = time();
          const wasmBefore = wasmFetched();
          nk.setNumThreads(2);
          const stats0 = await nk.wasmThreadPool();
          const wasmAfter = wasmFetched();
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
            isolated: globalThis.crossOriginIsolated,
            lengths: Object.values(threaded).map((a) => a.length),
            mismatches,
            maxRel,
            dispatchesBefore: stats0.dispatches,
            workers: stats.workers,
            threads: stats.threads,
            dispatches: stats.dispatches,
            msSingle,
            msThreaded,
            wasmBefore,
            wasmAfter,
          };
        });
        expect(got.isolated).toBe(true);
        // The shared-memory module is fetched when threads are asked for, not before.
        expect(got.wasmBefore).toEqual(['/kernels.wasm']);
        expect(got.wasmAfter).toEqual(['/kernels.wasm', '/kernels-shared.wasm']);
        expect(got.lengths).toEqual([1_000_003, 1_000_003, 1_000_003, 1_003_000, 1_000_003]);
        expect(got.workers).toBe(1);
        expect(got.threads).toBe(2);
        expect(got.dispatchesBefore).toBe(0);
        expect(got.dispatches).toBeGreaterThan(0);
        expect(got.mismatches).toEqual({ gelu: 0, tanh: 0, softplus: 0, softmax: 0, grad: 0 });
        for (const [k, rel] of Object.entries(got.maxRel)) {
          expect(rel, k).toBeLessThanOrEqual(1e-5);
        }
        console.log(
          `wasm pool, gelu+tanh+softplus of 1M floats: ${got.msSingle.toFixed(1)} ms on 1 thread, ${got.msThreaded.toFixed(1)} ms on 2; max error vs JS, d / (1 + |js|):`,
          got.maxRel,
        );
      } finally {
        await browser.close();
      }
    });
  },
);
