/**
 * What the explorer's browser tests and the screenshot script share: a static server for the
 * built site (explorer/dist), cross-origin isolated or not, and headless Chromium
 * (playwright-core with Debian's /usr/bin/chromium).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { Browser, ConsoleMessage, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
export const ROOT = join(import.meta.dirname, '..', '..');
export const DIST = join(ROOT, 'explorer', 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

/**
 * Serves DIST on 127.0.0.1: under /isolated/ with COOP/COEP (so the page is cross-origin
 * isolated and nnkit may start worker threads), under /plain/ without.
 */
export async function serveSite(): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/(isolated|plain)(\/.*)$/.exec(url.pathname);
    if (!m) {
      res.writeHead(404).end();
      return;
    }
    let file = normalize(join(DIST, m[2]));
    if (!file.startsWith(DIST)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      ...(m[1] === 'isolated'
        ? {
            'cross-origin-opener-policy': 'same-origin',
            'cross-origin-embedder-policy': 'require-corp',
          }
        : {}),
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export async function launch(): Promise<Browser> {
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
}

export interface OpenedPage {
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
  /** Requests to any other origin than the site's (there must be none: the site works offline). */
  foreign: string[];
}

/** Opens `panel` of the site (isolated or not) at the given viewport and waits for nnkit. */
export async function openPanel(
  browser: Browser,
  base: string,
  panel: string,
  opts: { isolated?: boolean; width?: number; height?: number } = {},
): Promise<OpenedPage> {
  const page = await browser.newPage({
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
  });
  // The machine may be shared and busy: wait generously rather than fail on a slow frame.
  page.setDefaultTimeout(120_000);
  page.setDefaultNavigationTimeout(120_000);
  const errors: string[] = [];
  const foreign: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('blob:') && !r.url().startsWith('data:'))
      foreign.push(r.url());
  });
  await page.goto(`${base}/${opts.isolated === false ? 'plain' : 'isolated'}/#${panel}`);
  await page.getByTestId('runtime').waitFor();
  await page.locator(`#panel-${panel}`).waitFor();
  return { page, errors, foreign };
}

/** The full-precision number behind a read-out (`data-value`). */
export async function valueOf(page: Page, testId: string): Promise<number> {
  const v = await page.getByTestId(testId).first().getAttribute('data-value');
  return Number(v);
}

/** Pauses a live training if it runs, then resets it to step 0. */
export async function pauseAndReset(page: Page, name: string): Promise<void> {
  const group = page.getByRole('group', { name: `${name} training` });
  const pause = group.getByRole('button', { name: /Pause/ });
  if (await pause.count()) await pause.click();
  await group.getByRole('button', { name: /Reset/ }).click();
  await page.getByTestId(`${name}-steps`).filter({ hasText: /^0$/ }).waitFor();
}

/** Runs `n` more steps with the "Step ×" button (`perClick` steps a click), and waits for them. */
export async function advance(page: Page, name: string, n: number, perClick = 100): Promise<void> {
  const group = page.getByRole('group', { name: `${name} training` });
  const counter = page.getByTestId(`${name}-steps`);
  const start = Number(await counter.textContent());
  const size = group.getByLabel('steps per click');
  for (let done = 0; done < n;) {
    const k = Math.min(perClick, n - done);
    await size.fill(String(k));
    await size.press('Enter');
    await group.getByRole('button', { name: `Step ×${k}` }).click();
    done += k;
    await counter
      .filter({ hasText: new RegExp(`^${start + done}$`) })
      .waitFor({ timeout: 120_000 });
  }
}

/**
 * The on-screen box of `locator`, waiting until it has one. The plots are redrawn
 * (a fresh SVG replaces the old one) whenever the model steps or the data change,
 * so a single `boundingBox()` can land between removal and insertion and get null.
 */
export async function boxOf(
  locator: Locator,
): Promise<{ x: number; y: number; width: number; height: number }> {
  let box: Awaited<ReturnType<Locator['boundingBox']>> = null;
  await expect
    .poll(async () => {
      box = await locator.boundingBox({ timeout: 1000 }).catch(() => null);
      return box !== null;
    })
    .toBe(true);
  return box!;
}
