/**
 * The Activations panel in Chromium: every activation renders, and its read-out (f and the
 * autograd f′ at the probe x) equals nnkit's in Node for the same x and options; each kind of
 * control (number slider, log slider by keyboard, checkbox, enum) changes the plot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { F, cat, manualSeed, tensor, zeros, type Tensor } from '../../src/index.js';
import { ACTIVATIONS, type ActivationInfo } from '../../explorer/src/activation-info.js';
import {
  CHROMIUM,
  boxOf,
  launch,
  openPanel,
  serveSite,
  valueOf,
  type OpenedPage,
} from './harness.js';

type Values = Record<string, number | boolean | string>;

/** nnkit in Node: f and f′ at x, written here independently of the explorer's code. */
function reference(info: ActivationInfo, values: Values, x: number): { f: number; df: number } {
  const fn = new Map<string, unknown>(Object.entries(F)).get(info.name) as (
    ...a: unknown[]
  ) => Tensor;
  const pos: unknown[] = [];
  const opts: Values = {};
  for (const o of info.options) {
    const v = values[o.name] ?? o.default;
    if (o.positional) pos.push(o.tensor ? tensor([Number(v)]) : v);
    else if (!(o.none !== undefined && v === o.none)) opts[o.name] = v;
  }
  const args = Object.keys(opts).length ? [...pos, opts] : pos;
  manualSeed(0);
  const xt = tensor([x], { requiresGrad: true });
  const input = values.inplace === true ? xt.clone() : xt;
  let y: Tensor;
  if (info.layout === 'row') {
    y = fn(cat([input.unsqueeze(1), zeros([1, 2])], 1), ...args).narrow(1, 0, 1);
  } else if (info.layout === 'glu') {
    y = fn(cat([input.unsqueeze(1), input.unsqueeze(1)], 1), ...args);
  } else y = fn(input, ...args);
  y.sum().backward();
  return { f: y.data[0], df: xt.grad?.data[0] ?? NaN };
}

const close = (got: number, want: number): boolean =>
  Object.is(got, want) || Math.abs(got - want) <= 2e-5 + 2e-5 * Math.abs(want);

async function setNumber(page: Page, label: string, v: number): Promise<void> {
  const field = page.getByLabel(label, { exact: true }).and(page.locator('input[type=number]'));
  await field.fill(String(v));
  await field.press('Enter');
  await field.blur();
}

async function plotHtml(page: Page, id: string): Promise<string> {
  return page.getByTestId(id).innerHTML();
}

/**
 * Waits until read-out `id` shows `want` (within `close`): the plot and the
 * read-outs can follow the code panel a frame later, so a test that waited
 * for the code polls for them too (one immediate comparison failed in CI).
 */
async function expectReadout(page: Page, id: string, want: number): Promise<void> {
  await expect
    .poll(async () => close(await valueOf(page, id), want), { message: `${id} → ${want}` })
    .toBe(true);
}

describe.skipIf(!existsSync(CHROMIUM))('explorer: activations', () => {
  let server: Server;
  let base = '';
  let browser: Browser;
  let o: OpenedPage;
  beforeAll(async () => {
    ({ server, base } = await serveSite());
    browser = await launch();
    o = await openPanel(browser, base, 'activations');
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  it('draws every activation, and its read-out equals nnkit in Node', async () => {
    const { page } = o;
    const select = page.getByLabel('activation', { exact: true });
    await setNumber(page, 'probe x value', -0.75);
    const options = await select
      .locator('option')
      .evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
    expect(options).toEqual(ACTIVATIONS.map((a) => a.name));
    for (const info of ACTIVATIONS) {
      await select.selectOption(info.name);
      await page
        .getByTestId('code-nnkit')
        .filter({ hasText: `F.${info.name}(` })
        .waitFor();
      expect(await page.getByTestId('plot-f').locator('svg [aria-label=line] path').count()).toBe(
        1,
      );
      const want = reference(info, {}, -0.75);
      const f = await valueOf(page, 'readout-f-0');
      const df = await valueOf(page, 'readout-df-0');
      expect(close(f, want.f), `${info.name}: f(-0.75) = ${f}, Node ${want.f}`).toBe(true);
      expect(close(df, want.df), `${info.name}: f'(-0.75) = ${df}, Node ${want.df}`).toBe(true);
    }
    expect(o.errors).toEqual([]);
  });

  it('a number option changes the plot and the read-out, as in Node', async () => {
    const { page } = o;
    await page.getByLabel('activation', { exact: true }).selectOption('leakyRelu');
    await setNumber(page, 'probe x value', -1.5);
    const before = await plotHtml(page, 'plot-f');
    await setNumber(page, 'negativeSlope value', 0.2);
    await page.getByTestId('code-nnkit').filter({ hasText: 'negativeSlope: 0.2' }).waitFor();
    await expect.poll(() => plotHtml(page, 'plot-f')).not.toBe(before);
    const want = reference(
      ACTIVATIONS.find((a) => a.name === 'leakyRelu')!,
      { negativeSlope: 0.2 },
      -1.5,
    );
    await expectReadout(page, 'readout-f-0', want.f);
    await expectReadout(page, 'readout-df-0', want.df);
    expect(want.df).toBeCloseTo(0.2, 6);
    expect(await page.getByTestId('code-torch').textContent()).toContain('negative_slope=0.2');
  });

  it('a log-scale slider moves by keyboard', async () => {
    const { page } = o;
    await page.getByLabel('activation', { exact: true }).selectOption('softplus');
    await setNumber(page, 'probe x value', 0.3);
    const slider = page.getByLabel('beta', { exact: true });
    const before = await plotHtml(page, 'plot-f');
    await slider.focus();
    for (let i = 0; i < 20; i++) await slider.press('ArrowRight');
    const beta = Number(await page.getByLabel('beta value').inputValue());
    expect(beta).toBeGreaterThan(1.5);
    await expect.poll(() => plotHtml(page, 'plot-f')).not.toBe(before);
    const want = reference(
      ACTIVATIONS.find((a) => a.name === 'softplus')!,
      { beta },
      0.3,
    );
    await expectReadout(page, 'readout-f-0', want.f);
    await expectReadout(page, 'readout-df-0', want.df);
  });

  it('RReLU in training mode (checkbox) draws random slopes from the seeded generator', async () => {
    const { page } = o;
    const info = ACTIVATIONS.find((a) => a.name === 'rrelu')!;
    await page.getByLabel('activation', { exact: true }).selectOption('rrelu');
    await setNumber(page, 'probe x value', -2);
    const evalF = await valueOf(page, 'readout-f-0');
    expect(close(evalF, reference(info, {}, -2).f)).toBe(true);
    const before = await plotHtml(page, 'plot-f');
    await page.getByLabel('training', { exact: true }).check();
    await page.getByTestId('code-nnkit').filter({ hasText: 'training: true' }).waitFor();
    await expect.poll(() => plotHtml(page, 'plot-f')).not.toBe(before);
    const want = reference(info, { training: true }, -2);
    await expectReadout(page, 'readout-df-0', want.df);
    const slope = await valueOf(page, 'readout-df-0');
    expect(slope).toBeGreaterThanOrEqual(1 / 8);
    expect(slope).toBeLessThanOrEqual(1 / 3);
    expect(slope).not.toBeCloseTo((1 / 8 + 1 / 3) / 2, 6);
  });

  it('an enum option (GELU approximate) changes the read-out as in Node', async () => {
    const { page } = o;
    const info = ACTIVATIONS.find((a) => a.name === 'gelu')!;
    await page.getByLabel('activation', { exact: true }).selectOption('gelu');
    await setNumber(page, 'probe x value', -1.25);
    await page.getByLabel('approximate', { exact: true }).selectOption('tanh');
    await page.getByTestId('code-torch').filter({ hasText: "approximate='tanh'" }).waitFor();
    const want = reference(info, { approximate: 'tanh' }, -1.25);
    await expectReadout(page, 'readout-f-0', want.f);
    await expectReadout(page, 'readout-df-0', want.df);
  });

  it('hovering a plot moves the probe; pinned functions overlay', async () => {
    const { page } = o;
    await page.getByLabel('activation', { exact: true }).selectOption('tanh');
    await page.getByRole('button', { name: 'Pin for overlay' }).click();
    await page.getByLabel('activation', { exact: true }).selectOption('sigmoid');
    await expect
      .poll(() => page.getByTestId('plot-f').locator('[aria-label=line] path').count())
      .toBe(2);
    const box = await boxOf(page.getByTestId('plot-f').locator('svg').last());
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await expect.poll(() => valueOf(page, 'probe-x-0')).toBeLessThan(0);
    const x = await valueOf(page, 'probe-x-0');
    const sig = reference(
      ACTIVATIONS.find((a) => a.name === 'sigmoid')!,
      {},
      x,
    );
    const tanh = reference(
      ACTIVATIONS.find((a) => a.name === 'tanh')!,
      {},
      x,
    );
    await expectReadout(page, 'readout-f-0', sig.f);
    await expectReadout(page, 'readout-f-1', tanh.f);
    await expectReadout(page, 'readout-df-1', tanh.df);
    expect(o.errors).toEqual([]);
  });
});
