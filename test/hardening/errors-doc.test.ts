/**
 * docs/errors.md is a table of calls and the errors nnkit raises: each row's
 * call is run here, on every backend, and must throw an Error whose message
 * begins with the row's nnkit column (up to its `…`).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as nnkit from '../../src/index.js';
import { forEachBackend } from '../helpers/backends.js';

interface Row {
  what: string;
  call: string;
  message: string;
}

const text = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const rows: Row[] = text
  .split('\n')
  .filter((l) => l.startsWith('| ') && !l.startsWith('| Bad input') && !l.startsWith('| ---'))
  .map((l) => {
    // Cells as prettier pads them: `| a    | b |`.
    const cells = l
      .slice(1, -1)
      .split(' | ')
      .map((c) => c.trim());
    const code = (cell: string) => /^`(.*)`$/.exec(cell)?.[1] ?? '';
    return { what: cells[0], call: code(cells[1]), message: code(cells[2]).replace(/…$/, '') };
  });

const names = [
  'F',
  'nn',
  'optim',
  'data',
  'io',
  'Tensor',
  'tensor',
  'zeros',
  'randn',
  'full',
  'arange',
  'randint',
  'randperm',
  'manualSeed',
  'multinomial',
  'matmul',
  'cat',
  'setNumThreads',
  'setBackend',
  'noGrad',
  'autograd',
] as const;
const scope = names.map((n) => (nnkit as Record<string, unknown>)[n]);

describe('docs/errors.md', () => {
  it('has a row for each kind of bad input, each with a call and a message', () => {
    expect(rows.length).toBeGreaterThanOrEqual(70);
    for (const r of rows) {
      expect(r.call, r.what).not.toBe('');
      expect(r.message, r.what).toMatch(/^[A-Za-z_.][A-Za-z0-9_.]*: /);
    }
  });
});

forEachBackend(() => {
  describe('docs/errors.md', () => {
    it.each(rows)('$what', ({ call, message }) => {
      // The documented call, as a user would type it, with nnkit's exports in scope.
      const run = new Function(...names, `${call};`) as (...a: unknown[]) => unknown;
      let thrown: unknown;
      try {
        run(...scope);
      } catch (e) {
        thrown = e;
      }
      expect(thrown, `${call} did not throw`).toBeInstanceOf(Error);
      expect((thrown as Error).constructor).toBe(Error);
      expect((thrown as Error).message.startsWith(message), (thrown as Error).message).toBe(true);
    });
  });
});
