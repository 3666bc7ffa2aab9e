/** The generated API (F, nn, docs/functions.md's tables, the README's list, golden case list) is fresh with respect to the registry. */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

describe('generated API', () => {
  it('is up to date with the registry (npm run gen:check)', () => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/gen-api.ts', '--check'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(out).toBe('');
  }, 120_000);
});
