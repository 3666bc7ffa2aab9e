import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SECTIONS, runTour, type SectionResult } from '../src/cli/tour/index.js';
import { progressFactory } from '../src/cli/progress.js';
import { htmlReport } from '../src/cli/report.js';
import { main, parseArgs } from '../src/cli/main.js';
import { availableBackends } from '../src/kernels/backend.js';

const ctx = { quick: true, seed: 1, progress: progressFactory(null) };
const results = new Map<string, SectionResult>(runTour(ctx).map((r) => [r.id, r]));
const get = (id: string): SectionResult => {
  const r = results.get(id);
  if (!r) throw new Error(`no section ${id}`);
  return r;
};

describe('the CLI', () => {
  it('registers the fast backends (its modules import nnkit by parts, not through the root)', () => {
    // Nothing in this file imports src/index.ts; only src/cli/main.ts can have registered them.
    expect(availableBackends()).toContain('wasm');
  });
});

describe('the tour (--quick): every section runs and its claim holds', () => {
  it('runs every section', () => {
    expect([...results.keys()]).toEqual(SECTIONS.map(([id]) => id));
    for (const r of results.values()) {
      expect(r.figures.length, r.id).toBeGreaterThan(0);
      for (const f of r.figures) expect(f.svg.startsWith('<svg'), f.file).toBe(true);
    }
  });

  it('a) dying ReLU: more dead units and a higher loss than LeakyReLU and PReLU', () => {
    const m = get('dying-relu').metrics;
    expect(m.reluDead).toBeGreaterThan(m.leakyDead);
    expect(m.reluLoss).toBeGreaterThan(m.leakyLoss);
    expect(m.reluLoss).toBeGreaterThan(m.preluLoss);
    expect(get('dying-relu').holds).toBe(true);
  });

  it('b) L2 fits the mean, L1 the median, SmoothL1 lies between; L1 lines resist outliers', () => {
    const m = get('robust-regression').metrics;
    const spread = Math.abs(m.sampleMean - m.sampleMedian);
    expect(Math.abs(m.c2 - m.sampleMean)).toBeLessThan(0.02 * spread);
    expect(Math.abs(m.c1 - m.sampleMedian)).toBeLessThan(0.05 * spread);
    expect(m.cs).toBeGreaterThan(Math.min(m.c1, m.c2));
    expect(m.cs).toBeLessThan(Math.max(m.c1, m.c2));
    expect(m.lineErrorL1).toBeLessThan(m.lineErrorL2);
    expect(m.lineErrorSmoothL1).toBeLessThan(m.lineErrorL2);
  });

  it("c) the rare class's recall under the balanced sampler exceeds plain sampling's; fine-tuning recovers accuracy", () => {
    const m = get('class-imbalance').metrics;
    expect(m.rareRecallBalanced).toBeGreaterThan(m.rareRecallPlain);
    expect(m.rareRecallTuned).toBeGreaterThan(m.rareRecallPlain);
    expect(m.accuracyTuned).toBeGreaterThan(m.accuracyBalanced);
  });

  it('d) entropy falls with β from log C to 0; annealing beats a constant hard β', () => {
    const m = get('softmax-temperature').metrics;
    expect(m.monotone).toBe(1);
    expect(m.entropyAtSmallBeta).toBeGreaterThan(0.99 * m.logC);
    expect(m.entropyAtLargeBeta).toBeLessThan(0.05 * m.logC);
    expect(m.distortionAnnealed).toBeLessThan(m.distortionConstant);
    expect(m.prototypesUsedAnnealed).toBeGreaterThan(m.prototypesUsedConstant);
  });

  it('e) PReLU learns the teacher slope; the Chebyshev activation learns the shape', () => {
    const m = get('learnable-activations').metrics;
    expect(Math.abs(m.preluSlope - m.preluTarget)).toBeLessThan(0.05);
    expect(m.chebFinalMse).toBeLessThan(0.01 * m.chebInitialMse);
  });

  it('f) adaptive softmax is faster per step than a full softmax over 50,000 classes, and reaches a lower loss', () => {
    const m = get('adaptive-softmax').metrics;
    expect(m.speedup).toBeGreaterThan(3);
    expect(m.adaptiveLossEnd).toBeLessThan(m.fullLoss);
  });

  it('is deterministic for a seed (every number except wall-clock times)', () => {
    const again = runTour(ctx, ['robust-regression', 'class-imbalance', 'learnable-activations']);
    for (const r of again) expect(r.metrics).toEqual(get(r.id).metrics);
    const other = runTour({ ...ctx, seed: 2 }, ['robust-regression']);
    expect(other[0].metrics).not.toEqual(get('robust-regression').metrics);
  });

  it('writes one self-contained HTML report', () => {
    const html = htmlReport([...results.values()], {
      seed: 1,
      quick: true,
      totalSeconds: 1,
      nodeVersion: process.version,
      date: '2000-01-01',
    });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|src="http/);
    const svgCount = (html.match(/<svg /g) ?? []).length;
    expect(svgCount).toBe([...results.values()].reduce((a, r) => a + r.figures.length, 0));
  });
});

describe('the command line', () => {
  it('parses its options and rejects unknown ones', () => {
    expect(parseArgs(['--quick', '--seed', '7', '--out', 'x', '--only', 'a,b'])).toMatchObject({
      quick: true,
      seed: 7,
      out: 'x',
      only: ['a', 'b'],
    });
    expect(() => parseArgs(['--bogus'])).toThrow(/unknown option --bogus/);
    expect(() => parseArgs(['--seed', '-1'])).toThrow(/--seed/);
  });

  it('main writes the figures and report.html for the chosen sections', () => {
    const out = mkdtempSync(join(tmpdir(), 'nnkit-tour-'));
    const write = process.stdout.write.bind(process.stdout);
    let printed = '';
    process.stdout.write = ((s: string) => {
      printed += s;
      return true;
    }) as typeof process.stdout.write;
    try {
      expect(main(['--quick', '--no-progress', '--out', out, '--only', 'robust-regression'])).toBe(
        0,
      );
    } finally {
      process.stdout.write = write;
    }
    expect(printed).toMatch(/== Summary ==/);
    expect(readdirSync(out).sort()).toEqual([
      'report.html',
      'robust-constant.svg',
      'robust-line.svg',
    ]);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/L1 versus L2/);
  });
});
