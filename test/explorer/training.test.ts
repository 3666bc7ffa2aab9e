/**
 * The live trainings in Chromium — class imbalance, the spiral classifier, adaptive softmax:
 * each makes progress (its loss falls) within a fixed number of steps; the spiral's loss after
 * 10 steps equals the same run by nnkit in Node (data, initialisation and Adam written here);
 * the controls restart the runs and change the plots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { F, Generator, manualSeed, nn, optim, tensor } from '../../src/index.js';
import {
  CHROMIUM,
  advance,
  launch,
  openPanel,
  pauseAndReset,
  serveSite,
  valueOf,
} from './harness.js';

/** The course's spiral and a 2-32-32-3 ReLU MLP with Adam (lr 0.01), as the page sets them up. */
function spiralLossInNode(steps: number): number[] {
  const g = new Generator(1);
  const K = 3;
  const N = 100;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let k = 0; k < K; k++)
    for (let i = 0; i < N; i++) {
      const r = i / (N - 1);
      const t = ((k * 4 + (4 * i) / (N - 1)) * 3) / K + 0.2 * g.normal();
      xs.push(r * Math.sin(t), r * Math.cos(t));
      ys.push(k);
    }
  const x = tensor(xs).reshape([K * N, 2]);
  const y = tensor(ys, { dtype: 'int32' });
  manualSeed(1);
  const model = new nn.Sequential(
    new nn.Linear(2, 32),
    new nn.ReLU(),
    new nn.Linear(32, 32),
    new nn.ReLU(),
    new nn.Linear(32, 3),
  );
  const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    const loss = F.crossEntropy(model.forward(x), y);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  return losses;
}

async function setNumber(page: Page, label: string, v: number): Promise<void> {
  const field = page.getByLabel(label, { exact: true });
  await field.fill(String(v));
  await field.press('Enter');
}

describe.skipIf(!existsSync(CHROMIUM))('explorer: live trainings', () => {
  let server: Server;
  let base = '';
  let browser: Browser;
  beforeAll(async () => {
    ({ server, base } = await serveSite());
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  it('spiral: the loss after 10 steps equals nnkit in Node, and falls by step 300', async () => {
    const o = await openPanel(browser, base, 'spiral');
    const { page } = o;
    await pauseAndReset(page, 'spiral');
    await advance(page, 'spiral', 10);
    const want = spiralLossInNode(10);
    const got = await valueOf(page, 'spiral-loss');
    expect(Math.abs(got - want[9]), `page ${got}, Node ${want[9]}`).toBeLessThan(1e-4);
    const regions = await page.getByTestId('plot-spiral-regions').innerHTML();
    await advance(page, 'spiral', 300);
    expect(await valueOf(page, 'spiral-loss')).toBeLessThan(0.7 * want[9]);
    expect(await valueOf(page, 'spiral-accuracy')).toBeGreaterThan(0.6);
    await expect.poll(() => page.getByTestId('plot-spiral-regions').innerHTML()).not.toBe(regions);
    const dead = await valueOf(page, 'spiral-dead');
    expect(dead).toBeGreaterThanOrEqual(0);
    expect(dead).toBeLessThanOrEqual(64);
    // Another activation restarts the run from step 0.
    await page.getByLabel('activation', { exact: true }).selectOption('GELU');
    await pauseAndReset(page, 'spiral');
    await advance(page, 'spiral', 10);
    await expect.poll(() => valueOf(page, 'spiral-loss')).not.toBeCloseTo(got, 4);
    expect(o.errors).toEqual([]);
    await page.close();
  });

  it('class imbalance: losses fall; the balanced sampler learns the rare class', async () => {
    const o = await openPanel(browser, base, 'imbalance');
    const { page } = o;
    await pauseAndReset(page, 'imbalance');
    await advance(page, 'imbalance', 20);
    const first = [0, 1, 2].map(() => 0);
    for (let k = 0; k < 3; k++) first[k] = await valueOf(page, `imbalance-loss-${k}`);
    const plot = await page.getByTestId('plot-imbalance').innerHTML();
    await advance(page, 'imbalance', 300);
    for (let k = 0; k < 3; k++)
      expect(await valueOf(page, `imbalance-loss-${k}`)).toBeLessThan(first[k]);
    await expect.poll(() => page.getByTestId('plot-imbalance').innerHTML()).not.toBe(plot);
    const recall = async (k: number): Promise<number[]> =>
      JSON.parse((await page.getByTestId(`imbalance-recall-${k}`).getAttribute('data-value'))!);
    const [natural, balanced] = [await recall(0), await recall(1)];
    expect(balanced[2]).toBeGreaterThan(natural[2]);
    expect(await valueOf(page, 'imbalance-acc-0')).toBeGreaterThan(
      await valueOf(page, 'imbalance-acc-1'),
    );
    // A frequency slider rebuilds the data set and restarts the runs.
    await setNumber(page, 'class 2 frequency value', 20);
    await page.getByTestId('imbalance-steps').filter({ hasText: /^\d+$/ }).waitFor();
    await pauseAndReset(page, 'imbalance');
    // 20 / (90 + 9 + 20) of 2,000 samples.
    await expect.poll(() => page.getByText('336 samples').count()).toBe(1);
    expect(o.errors).toEqual([]);
    await page.close();
  });

  it('adaptive softmax: both models train, timed; the adaptive loss falls', async () => {
    const o = await openPanel(browser, base, 'adaptive');
    const { page } = o;
    await pauseAndReset(page, 'adaptive');
    await setNumber(page, 'vocabulary size V value', 5000);
    await pauseAndReset(page, 'adaptive');
    await expect.poll(() => page.getByText('cut-offs [100, 1000]').count()).toBe(1);
    await advance(page, 'adaptive', 40);
    const full = await valueOf(page, 'adaptive-steps-full');
    const asm = await valueOf(page, 'adaptive-steps-asm');
    expect(full + asm).toBe(40);
    expect(full).toBeGreaterThan(0);
    expect(asm).toBeGreaterThan(full);
    expect(await valueOf(page, 'adaptive-ms-full')).toBeGreaterThan(0);
    expect(await valueOf(page, 'adaptive-ms-asm')).toBeGreaterThan(0);
    const losses: number[] = JSON.parse(
      (await page.getByTestId('adaptive-loss-asm').getAttribute('data-value'))!,
    );
    const head = losses.slice(0, 5).reduce((a, b) => a + b, 0) / 5;
    const tail = losses.slice(-5).reduce((a, b) => a + b, 0) / 5;
    expect(tail).toBeLessThan(head);
    expect(o.errors).toEqual([]);
    await page.close();
  });
});
