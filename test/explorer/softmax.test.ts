/**
 * The Softmax temperature panel in Chromium: the entropy read-out at a given β equals nnkit's in
 * Node; editing a logit and moving β change the plots; the annealing run follows
 * optim.exponentialBeta / linearBeta step by step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { F, optim, tensor } from '../../src/index.js';
import {
  CHROMIUM,
  advance,
  launch,
  openPanel,
  pauseAndReset,
  serveSite,
  valueOf,
  type OpenedPage,
} from './harness.js';

/** −Σ p log p of softmax(βz), from nnkit's softmax with temperature 1/β, summed in float64. */
function entropy(z: number[], beta: number): number {
  const p = F.softmax(tensor([z]), 1, { temperature: 1 / beta }).data;
  let h = 0;
  for (const v of p) if (v > 0) h -= v * Math.log(v);
  return h;
}

async function setNumber(page: Page, label: string, v: number): Promise<void> {
  const field = page.getByLabel(label, { exact: true }).and(page.locator('input[type=number]'));
  await field.fill(String(v));
  await field.press('Enter');
}

describe.skipIf(!existsSync(CHROMIUM))('explorer: softmax temperature', () => {
  let server: Server;
  let base = '';
  let browser: Browser;
  let o: OpenedPage;
  beforeAll(async () => {
    ({ server, base } = await serveSite());
    browser = await launch();
    o = await openPanel(browser, base, 'softmax');
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  it('shows the entropy of softmax(βz) that nnkit computes in Node', async () => {
    const { page } = o;
    const z = [2, 1, 0.5, 0, -1];
    expect(await valueOf(page, 'softmax-entropy')).toBeCloseTo(entropy(z, 1), 5);
    for (const beta of [0.05, 2, 30]) {
      await setNumber(page, 'β value', beta);
      await expect.poll(() => valueOf(page, 'softmax-temperature')).toBeCloseTo(1 / beta, 6);
      await expect.poll(() => valueOf(page, 'softmax-entropy')).toBeCloseTo(entropy(z, beta), 5);
    }
    expect(await valueOf(page, 'softmax-logc')).toBeCloseTo(Math.log(5), 6);
  });

  it('a logit edit and the β slider (keyboard) change the plots', async () => {
    const { page } = o;
    await setNumber(page, 'β value', 1);
    const dist = await page.getByTestId('plot-distribution').innerHTML();
    const ent = await page.getByTestId('plot-entropy').innerHTML();
    await setNumber(page, 'logit 4', 3);
    await expect.poll(() => page.getByTestId('plot-distribution').innerHTML()).not.toBe(dist);
    // The two plots re-render separately: wait for each.
    await expect.poll(() => page.getByTestId('plot-entropy').innerHTML()).not.toBe(ent);
    await expect
      .poll(() => valueOf(page, 'softmax-entropy'))
      .toBeCloseTo(entropy([2, 1, 0.5, 0, 3], 1), 5);
    const slider = page.getByLabel('β', { exact: true });
    await slider.focus();
    for (let i = 0; i < 10; i++) await slider.press('ArrowRight');
    // Read β and the entropy together until they belong to one render (the keys re-render
    // one after another) and β has moved past 1.2.
    const gap = async (): Promise<number> => {
      const beta = 1 / (await valueOf(page, 'softmax-temperature'));
      const h = await valueOf(page, 'softmax-entropy');
      return beta > 1.2 ? Math.abs(h - entropy([2, 1, 0.5, 0, 3], beta)) : Infinity;
    };
    await expect.poll(gap).toBeLessThan(5e-5);
    await page.getByRole('button', { name: 'Add logit' }).click();
    await expect.poll(() => valueOf(page, 'softmax-logc')).toBeCloseTo(Math.log(6), 6);
  });

  it('the annealing run follows nnkit’s β schedules, step by step', async () => {
    const { page } = o;
    await pauseAndReset(page, 'anneal');
    const before = await page.getByTestId('plot-anneal-entropy').innerHTML();
    await advance(page, 'anneal', 30);
    const s = optim.exponentialBeta({ start: 0.05, end: 20, steps: 120 });
    await expect.poll(() => valueOf(page, 'anneal-beta')).toBeCloseTo(s.betaAt(30), 6);
    await expect.poll(() => page.getByTestId('plot-anneal-entropy').innerHTML()).not.toBe(before);
    await page.getByLabel('schedule', { exact: true }).selectOption('linearBeta');
    await pauseAndReset(page, 'anneal');
    await advance(page, 'anneal', 60);
    const lin = optim.linearBeta({ start: 0.05, end: 20, steps: 120 });
    await expect.poll(() => valueOf(page, 'anneal-beta')).toBeCloseTo(lin.betaAt(60), 6);
    // Start runs the animation to the end of the schedule by itself.
    await page
      .getByRole('group', { name: 'anneal training' })
      .getByRole('button', { name: /Start/ })
      .click();
    await page
      .getByTestId('anneal-steps')
      .filter({ hasText: /^120$/ })
      .waitFor({ timeout: 60_000 });
    await expect.poll(() => valueOf(page, 'anneal-beta')).toBeCloseTo(20, 6);
    expect(o.errors).toEqual([]);
  });
});
