/**
 * Browser smoke test: the library, bundled for browsers with esbuild, is
 * served from a local HTTP server on 127.0.0.1 and loaded in headless
 * Chromium (playwright-core, /usr/bin/chromium). The page awaits
 * `wasmReady`, selects the wasm backend and computes a few kernels; the
 * results must match the JS kernels run here in Node.
 *
 * Skipped, with the reason, when /usr/bin/chromium is not installed
 * (`apt-get install -y chromium`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { F, tensor, setBackend, availableBackends } from '../src/index.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const ROOT = join(import.meta.dirname, '..');

const ENTRY = `
import * as nnkit from './src/index.ts';
window.nnkit = nnkit;
`;
const PAGE = `<!doctype html><meta charset="utf-8"><title>nnkit</title><script type="module" src="/nnkit.js"></script>`;

interface PageResult {
  ready: boolean;
  backend: string;
  available: string[];
  gelu: number[];
  tanh: number[];
  softmax: number[];
  grad: number[];
}

const INPUT = Array.from({ length: 37 }, (_, i) => (i - 18) * 0.37);

function expected(): Omit<PageResult, 'ready' | 'backend' | 'available'> {
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
        if (req.url === '/nnkit.js') {
          res.writeHead(200, { 'content-type': 'text/javascript' });
          res.end(js);
        } else {
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end(PAGE);
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    afterAll(
      () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
    );

    it('loads the wasm backend and matches the JS kernels', async () => {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({
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
      try {
        const page = await browser.newPage();
        await page.goto(url);
        await page.waitForFunction(() => 'nnkit' in window);
        const got = await page.evaluate(async (input: number[]): Promise<PageResult> => {
          type Lib = typeof import('../src/index.js');
          const nk = (window as unknown as { nnkit: Lib }).nnkit;
          const ready = await nk.wasmReady;
          nk.setBackend('wasm');
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
          };
        }, INPUT);
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
  },
);
