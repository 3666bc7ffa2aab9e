/**
 * The built site as a whole, in Chromium: every panel renders with no console error, cross-origin
 * isolated (nnkit's wasm backend with worker threads) and not (single-threaded), with no request
 * to any other origin (it works offline); every control has a label and is reachable by
 * keyboard; at 390 px nothing overflows sideways. Screenshots of every panel at 1280×800 and
 * 390 px are kept in out/explorer-tests/ as test artefacts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { CHROMIUM, ROOT, launch, openPanel, serveSite } from './harness.js';

const PANELS = ['activations', 'softmax', 'losses', 'imbalance', 'spiral', 'adaptive'];
const ARTEFACTS = join(ROOT, 'out', 'explorer-tests');

describe.skipIf(!existsSync(CHROMIUM))('explorer: the site', () => {
  let server: Server;
  let base = '';
  let browser: Browser;
  beforeAll(async () => {
    ({ server, base } = await serveSite());
    browser = await launch();
    mkdirSync(ARTEFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  for (const isolated of [true, false]) {
    it(`every panel renders ${isolated ? 'cross-origin isolated, with worker threads' : 'without isolation, single-threaded'}`, async () => {
      for (const panel of PANELS) {
        const o = await openPanel(browser, base, panel, { isolated });
        const { page } = o;
        const runtime = page.getByTestId('runtime');
        expect(await runtime.getAttribute('data-backend')).toBe('wasm');
        // Chromium 114+ has relaxed SIMD: the wasm GEMM and optimizer steps use it.
        expect(await runtime.getAttribute('data-relaxed')).toBe('true');
        expect(await runtime.textContent()).toContain('wasm (relaxed SIMD)');
        expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(isolated);
        const threads = Number(await runtime.getAttribute('data-threads'));
        if (isolated) {
          expect(threads).toBeGreaterThanOrEqual(2);
          expect(await runtime.textContent()).toMatch(/cross-origin isolated, [1-9]\d* worker/);
        } else {
          expect(threads).toBe(1);
          expect(await runtime.textContent()).toContain('single-threaded');
        }
        await expect
          .poll(() => page.locator(`#panel-${panel} .plot svg`).count())
          .toBeGreaterThanOrEqual(2);
        // Let live trainings run a moment: no errors may appear while they do.
        await page.waitForTimeout(1500);
        expect(o.errors, `${panel}: console errors`).toEqual([]);
        expect(o.foreign, `${panel}: requests to other origins`).toEqual([]);
        await page.screenshot({
          path: join(ARTEFACTS, `${panel}-1280${isolated ? '' : '-plain'}.png`),
        });
        await page.close();
      }
    });
  }

  it('every control has a label and the keyboard reaches them all', async () => {
    for (const panel of PANELS) {
      const { page } = await openPanel(browser, base, panel);
      const unlabelled = await page.evaluate(() =>
        Array.from(document.querySelectorAll('input, select, button'))
          .filter((el) => {
            const e = el as HTMLInputElement;
            const name =
              (e.labels?.length ?? 0) > 0 ||
              Boolean(e.getAttribute('aria-label')) ||
              (el.tagName === 'BUTTON' && Boolean(el.textContent?.trim()));
            return !name;
          })
          .map((el) => el.outerHTML.slice(0, 80)),
      );
      expect(unlabelled, panel).toEqual([]);
      const controls = await page.evaluate(
        () =>
          Array.from(document.querySelectorAll('main input, main select, main button')).filter(
            (el) => !(el as HTMLButtonElement).disabled,
          ).length,
      );
      const reached = new Set<string>();
      for (let i = 0; i < controls + 12; i++) {
        await page.keyboard.press('Tab');
        const id = await page.evaluate(() => {
          const a = document.activeElement;
          if (!a || !a.closest('main')) return '';
          const all = Array.from(document.querySelectorAll('main input, main select, main button'));
          return String(all.indexOf(a));
        });
        if (id) reached.add(id);
      }
      expect(reached.size, `${panel}: controls reached by Tab`).toBeGreaterThanOrEqual(controls);
      await page.close();
    }
  });

  it('at 390 px every panel fits the width', async () => {
    for (const panel of PANELS) {
      const o = await openPanel(browser, base, panel, { width: 390, height: 844 });
      const { page } = o;
      await expect
        .poll(() => page.locator(`#panel-${panel} .plot svg`).count())
        .toBeGreaterThanOrEqual(2);
      await page.waitForTimeout(500);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${panel}: horizontal overflow in px`).toBeLessThanOrEqual(0);
      const tooWide = await page.evaluate(
        () =>
          Array.from(document.querySelectorAll('.plot svg'))
            .map((s) => s.getBoundingClientRect())
            .filter((r) => r.right > window.innerWidth + 1).length,
      );
      expect(tooWide, `${panel}: plots wider than the screen`).toBe(0);
      expect(o.errors).toEqual([]);
      await page.screenshot({ path: join(ARTEFACTS, `${panel}-390.png`), fullPage: true });
      await page.close();
    }
  });
});
