/**
 * The README's code runs, and prints what it says it prints.
 *
 * Every ```ts block of README.md is run as a module body (top-level `await`
 * allowed) with `'nnkit'` bound to the package root of the source tree, and
 * each statement that calls `console.log` must print exactly the comment that
 * follows it: `console.log(x); // text` for one line, or the `// ` lines right
 * below the statement for several; `// e.g. …` marks an output that depends on
 * the machine and is not compared. The runner and the full format are in
 * test/helpers/doc-runner.ts (`markdownBlocks`, `runExample`); to run the same
 * blocks against an installed package, pass a loader that imports 'nnkit'
 * from there.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as nnkit from '../src/index.js';
import { markdownBlocks, runExample, type Loader } from './helpers/doc-runner.js';

const ROOT = join(import.meta.dirname, '..');
const blocks = markdownBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));

const load: Loader = async (spec) =>
  spec === 'nnkit'
    ? (nnkit as Record<string, unknown>)
    : ((await import(spec)) as Record<string, unknown>);

afterEach(() => {
  nnkit.setPrintOptions({ profile: 'default' });
  nnkit.setBackend(nnkit.availableBackends()[0]);
  nnkit.setNumThreads(1);
});

describe('README examples', () => {
  it('has examples', () => expect(blocks.length).toBeGreaterThanOrEqual(8));
  for (const { line, code } of blocks) {
    it(`the block at README.md:${line} prints what its comments say`, async () => {
      const checks = await runExample(code, load);
      const asserted = checks.filter((c) => c.expected !== null);
      expect(asserted.length, 'a block asserts at least one output').toBeGreaterThan(0);
      for (const c of asserted) {
        expect(c.printed, `README.md:${line + c.line}`).toBe(c.expected);
      }
    });
  }
});
