/**
 * The Losses panel in Chromium: after N steps from the reset state the fitted slopes,
 * intercepts and constants equal those of the same training run by nnkit in Node (written here
 * independently); dragging, adding and removing points changes the data and the fit; the
 * cross-entropy view's loss and gradient per logit equal nnkit's in Node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { F, optim, tensor, zeros, type Tensor } from '../../src/index.js';
import {
  CHROMIUM,
  advance,
  boxOf,
  launch,
  openPanel,
  pauseAndReset,
  serveSite,
  valueOf,
  type OpenedPage,
} from './harness.js';

interface Point {
  x: number;
  y: number;
}

const LOSS: Record<string, (a: Tensor, b: Tensor) => Tensor> = {
  MSE: (a, b) => F.mseLoss(a, b),
  L1: (a, b) => F.l1Loss(a, b),
  SmoothL1: (a, b) => F.smoothL1Loss(a, b, { beta: 1 }),
  Huber: (a, b) => F.huberLoss(a, b, { delta: 1 }),
};

/** Adam (lr 0.05) from w = b = c = 0, full batch: the line and the constant, `steps` steps. */
function fitInNode(points: Point[], loss: (a: Tensor, b: Tensor) => Tensor, steps: number) {
  const x = tensor(points.map((p) => p.x));
  const y = tensor(points.map((p) => p.y));
  const w = zeros([1], { requiresGrad: true });
  const b = zeros([1], { requiresGrad: true });
  const c = zeros([1], { requiresGrad: true });
  const opt = new optim.Adam([w, b, c], { lr: 0.05 });
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    loss(x.mul(w).add(b), y)
      .add(loss(c.expand([points.length]), y))
      .backward();
    opt.step();
  }
  return { slope: w.item(), intercept: b.item(), constant: c.item() };
}

async function points(page: Page): Promise<Point[]> {
  return JSON.parse((await page.getByTestId('fit-table').getAttribute('data-points')) ?? '[]');
}

describe.skipIf(!existsSync(CHROMIUM))('explorer: losses and outliers', () => {
  let server: Server;
  let base = '';
  let browser: Browser;
  let o: OpenedPage;
  beforeAll(async () => {
    ({ server, base } = await serveSite());
    browser = await launch();
    o = await openPanel(browser, base, 'losses');
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  it('fits after 200 steps equal nnkit in Node; MSE sits at the mean, L1 at the median', async () => {
    const { page } = o;
    await pauseAndReset(page, 'fit');
    await advance(page, 'fit', 200);
    const pts = await points(page);
    expect(pts).toHaveLength(24);
    for (const name of Object.keys(LOSS)) {
      const want = fitInNode(pts, LOSS[name], 200);
      for (const k of ['slope', 'intercept', 'constant'] as const) {
        const got = await valueOf(page, `fit-${k}-${name}`);
        expect(Math.abs(got - want[k]), `${name} ${k}: page ${got}, Node ${want[k]}`).toBeLessThan(
          1e-4 + 1e-4 * Math.abs(want[k]),
        );
      }
    }
    // Longer training: the constants converge to the mean (MSE) and the median (L1).
    await advance(page, 'fit', 1500);
    const ys = pts.map((p) => p.y).sort((a, b) => a - b);
    const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
    const median = (ys[11] + ys[12]) / 2;
    expect(await valueOf(page, 'fit-mean')).toBeCloseTo(mean, 4);
    expect(await valueOf(page, 'fit-median')).toBeCloseTo(median, 4);
    expect(Math.abs((await valueOf(page, 'fit-constant-MSE')) - mean)).toBeLessThan(0.05);
    expect(Math.abs((await valueOf(page, 'fit-constant-L1')) - median)).toBeLessThan(0.1);
    // The outliers pull the MSE line up and steeper than the L1 line.
    expect(await valueOf(page, 'fit-slope-MSE')).toBeGreaterThan(
      await valueOf(page, 'fit-slope-L1'),
    );
  });

  it('dragging, adding and removing points changes the data and the fit', async () => {
    const { page } = o;
    const before = await points(page);
    const slope = await valueOf(page, 'fit-slope-MSE');
    const dot = page.getByTestId('plot-fit').locator('[aria-label=dot] circle').first();
    const box = await boxOf(dot);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y - 120, { steps: 6 });
    await page.mouse.up();
    // The drag's last move may still be rendering: wait for the data to move.
    await expect.poll(async () => (await points(page))[0]?.y).toBeGreaterThan(before[0].y + 2);
    expect(await points(page)).toHaveLength(24);
    await advance(page, 'fit', 600);
    await expect.poll(() => valueOf(page, 'fit-slope-MSE')).not.toBeCloseTo(slope, 3);
    // Double-click removes the point; a click on empty space adds one there.
    const dot0 = await boxOf(dot);
    await page.mouse.dblclick(dot0.x + dot0.width / 2, dot0.y + dot0.height / 2);
    await expect.poll(() => valueOf(page, 'fit-count')).toBe(23);
    const svg = await boxOf(page.getByTestId('plot-fit').locator('svg').last());
    await page.mouse.click(svg.x + svg.width * 0.8, svg.y + svg.height * 0.2);
    await expect.poll(() => valueOf(page, 'fit-count')).toBe(24);
    await page.getByRole('button', { name: 'Add point at (0, 0)' }).click();
    await expect.poll(() => valueOf(page, 'fit-count')).toBe(25);
    expect((await points(page)).at(-1)).toEqual({ x: 0, y: 0 });
    expect(o.errors).toEqual([]);
  });

  it('cross-entropy with weights, ignoreIndex and label smoothing equals nnkit in Node', async () => {
    const { page } = o;
    const logits = [
      [2, 0.5, -1, 0],
      [0, 1.5, 0.2, -0.5],
      [-1, 0, 0.5, 3],
    ];
    const check = async (
      weights: number[],
      ignoreIndex: number,
      labelSmoothing: number,
    ): Promise<void> => {
      const x = tensor(logits, { requiresGrad: true });
      const t = tensor([0, 2, 3], { dtype: 'int32' });
      const loss = F.crossEntropy(x, t, { weight: tensor(weights), ignoreIndex, labelSmoothing });
      loss.backward();
      await expect.poll(() => valueOf(page, 'ce-loss-0')).toBeCloseTo(loss.item(), 5);
      for (let i = 0; i < 3; i++)
        for (let c = 0; c < 4; c++)
          expect(await valueOf(page, `ce-grad-${i}-${c}`)).toBeCloseTo(x.grad!.data[i * 4 + c], 5);
    };
    await check([1, 1, 1, 1], -100, 0);
    const plot = await page.getByTestId('plot-ce-grad').innerHTML();
    const w0 = page.getByLabel('weight of class 0 value');
    await w0.fill('2');
    await w0.press('Enter');
    await check([2, 1, 1, 1], -100, 0);
    await page.getByLabel('ignoreIndex', { exact: true }).selectOption('2');
    await check([2, 1, 1, 1], 2, 0);
    const ls = page.getByLabel('labelSmoothing value');
    await ls.fill('0.1');
    await ls.press('Enter');
    await check([2, 1, 1, 1], 2, 0.1);
    await expect.poll(() => page.getByTestId('plot-ce-grad').innerHTML()).not.toBe(plot);
    // NLL of log-softmax equals cross-entropy without smoothing; here it is the same weights.
    const nll = F.nllLoss(F.logSoftmax(tensor(logits), 1), tensor([0, 2, 3], { dtype: 'int32' }), {
      weight: tensor([2, 1, 1, 1]),
      ignoreIndex: 2,
    });
    await expect.poll(() => valueOf(page, 'ce-nll-0')).toBeCloseTo(nll.item(), 5);
    expect(o.errors).toEqual([]);
  });
});
