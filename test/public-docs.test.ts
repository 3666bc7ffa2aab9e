/**
 * Every public signature an editor can show on hover — each overload of
 * every exported function, every constructor of every exported class —
 * carries TSDoc with a sentence and an `@param` per parameter
 * (`test/helpers/public-signatures.ts` says why a class comment is not
 * enough). The package test runs the same walk on the installed `.d.ts`.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { undocumentedSignatures } from './helpers/public-signatures.js';

const ENTRY = fileURLToPath(new URL('../src/index.ts', import.meta.url));

describe('public signatures carry TSDoc', () => {
  it('every exported function overload and class constructor has a doc and an @param per parameter', () => {
    const { signatures, gaps } = undocumentedSignatures(ENTRY);
    // The walk must see the API, not an empty module: nnkit exports hundreds of signatures.
    expect(signatures).toBeGreaterThan(500);
    expect(gaps.map((g) => `${g.where}: no ${g.missing}`)).toEqual([]);
  }, 120_000);
});
