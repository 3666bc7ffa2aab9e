/**
 * `npm run explorer:screenshots`: screenshots of every panel of the built site (explorer/dist)
 * at 1280×800 and 390 px wide (full page), in explorer/screenshots/. Live trainings are paused,
 * reset and advanced a fixed number of steps first, so the pictures show a known state. Prints
 * the rates the page measures (steps per second, milliseconds per step) for the README.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  advance,
  launch,
  openPanel,
  pauseAndReset,
  serveSite,
  valueOf,
} from '../../test/explorer/harness.js';

const OUT = join(import.meta.dirname, '..', 'screenshots');
const SIZES = [
  { width: 1280, height: 800, fullPage: false },
  { width: 390, height: 844, fullPage: true },
];

/** Puts a panel in the state the screenshot shows. */
const PREPARE: Record<string, (page: Page) => Promise<void>> = {
  activations: async (page) => {
    await page.getByLabel('activation', { exact: true }).selectOption('elu');
    await page.getByRole('button', { name: 'Pin for overlay' }).click();
    await page.getByLabel('activation', { exact: true }).selectOption('leakyRelu');
    const slope = page.getByLabel('negativeSlope value');
    await slope.fill('0.1');
    await slope.press('Enter');
  },
  softmax: async (page) => {
    await pauseAndReset(page, 'anneal');
    await advance(page, 'anneal', 70);
  },
  losses: async (page) => {
    await pauseAndReset(page, 'fit');
    await advance(page, 'fit', 1500, 500);
  },
  imbalance: async (page) => {
    await pauseAndReset(page, 'imbalance');
    await advance(page, 'imbalance', 600, 200);
  },
  spiral: async (page) => {
    await pauseAndReset(page, 'spiral');
    await advance(page, 'spiral', 600, 200);
  },
  adaptive: async (page) => {
    await pauseAndReset(page, 'adaptive');
    await advance(page, 'adaptive', 60, 20);
  },
};

/**
 * Lets a training run for `ms` and reads the rate the page shows: the last one read while it
 * still ran, since a fast page may reach the panel's step limit (the spiral's 5,000) first and
 * stop by itself, and then shows no rate and no Pause button.
 */
async function rate(page: Page, name: string, ms: number): Promise<number> {
  const group = page.getByRole('group', { name: `${name} training` });
  const pause = group.getByRole('button', { name: /Pause/ });
  // Live trainings start by themselves when their panel opens.
  await pause.waitFor();
  let r = NaN;
  for (const end = Date.now() + ms; Date.now() < end && (await pause.isVisible());) {
    const shown = Number(await page.getByTestId(`${name}-rate`).textContent());
    if (Number.isFinite(shown) && shown > 0) r = shown;
    await page.waitForTimeout(250);
  }
  if (await pause.isVisible()) await pause.click();
  return r;
}

mkdirSync(OUT, { recursive: true });
const { server, base } = await serveSite();
const browser = await launch();
try {
  for (const size of SIZES) {
    for (const [panel, prepare] of Object.entries(PREPARE)) {
      const o = await openPanel(browser, base, panel, size);
      await prepare(o.page);
      await o.page.waitForTimeout(300);
      const file = join(OUT, `${panel}-${size.width}.png`);
      await o.page.screenshot({ path: file, fullPage: size.fullPage });
      if (o.errors.length) throw new Error(`${panel}: ${o.errors.join('; ')}`);
      console.log(`wrote ${file}`);
      await o.page.close();
    }
  }
  // What the page measures, from one run on this machine (cross-origin isolated, 2 threads).
  const spiral = await openPanel(browser, base, 'spiral');
  const spiralRate = await rate(spiral.page, 'spiral', 5000);
  const lossRate = await rate((await openPanel(browser, base, 'losses')).page, 'fit', 5000);
  const adaptive = await openPanel(browser, base, 'adaptive');
  await pauseAndReset(adaptive.page, 'adaptive');
  await advance(adaptive.page, 'adaptive', 60, 20);
  const msFull = await valueOf(adaptive.page, 'adaptive-ms-full');
  const msAsm = await valueOf(adaptive.page, 'adaptive-ms-asm');
  const runtime = await spiral.page.getByTestId('runtime').textContent();
  console.log(`runtime: ${runtime}`);
  console.log(
    `spiral classifier (2-32-32-3 ReLU MLP, 300 points, full batch): ${spiralRate} steps/s`,
  );
  console.log(`line fits (4 losses × line + constant, 24 points): ${lossRate} steps/s`);
  console.log(
    `adaptive softmax, V = 20,000, batch 32: full ${msFull.toFixed(1)} ms/step, adaptive ${msAsm.toFixed(1)} ms/step (${(msFull / msAsm).toFixed(1)}×)`,
  );
} finally {
  await browser.close();
  server.close();
}
