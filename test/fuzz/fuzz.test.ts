/**
 * The fuzz suite in `npm test`: a fixed, seeded slice of cases on every
 * available backend, each batch in a child process (test/fuzz/runner.ts).
 * `npm run fuzz:long` runs the same generator for 30 minutes.
 * NNKIT_FUZZ_SEED and NNKIT_FUZZ_CASES change the slice.
 */
import { describe, expect, it } from 'vitest';
import { formatFailures, runFuzz } from './runner.js';

const SEED = Number(process.env.NNKIT_FUZZ_SEED ?? 1);
const CASES = Number(process.env.NNKIT_FUZZ_CASES ?? 2500);

describe('fuzz', () => {
  it(`${CASES} random cases (seed ${SEED}) give a correct result or a clear nnkit error`, async () => {
    const r = await runFuzz({ seed: SEED, cases: CASES, parallel: 2, batch: 500 });
    expect(r.backends.length).toBeGreaterThanOrEqual(2);
    expect(formatFailures(r.failures)).toBe('');
  }, 180_000);

  it('reports a crash and a hang in a child with the case that caused them, and runs the rest', async () => {
    const r = await runFuzz({
      seed: SEED,
      cases: 12,
      batch: 12,
      parallel: 1,
      backends: ['js'],
      hangMs: 3_000,
      env: { NNKIT_FUZZ_CRASH_AT: '3', NNKIT_FUZZ_HANG_AT: '8' },
    });
    expect(
      r.failures.map((f) => f.index),
      formatFailures(r.failures),
    ).toEqual([3, 8]);
    expect(r.failures[0].problems[0]).toMatch(/^js: the process crashed \(signal SIGSEGV\)/);
    expect(r.failures[1].problems[0]).toMatch(/^js: the process hung/);
    expect(r.failures[0].reproduce).toBe(
      `node --import tsx test/fuzz/worker.ts --seed ${SEED} --case 3 --backends js`,
    );
    expect(r.backends).toEqual(['js']);
  }, 60_000);
});
