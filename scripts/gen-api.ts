/**
 * Generates the public API from the registry (src/registry/): the typed
 * `F.*` functions, the `nn.*` module classes, the function tables of
 * docs/functions.md, the README's list of their names
 * and the golden case list for scripts/golden/registry.py.
 * `npm run gen` rewrites them; `--check` fails if a committed file is stale
 * (the test suite runs that check).
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// The package root installs the Tensor methods that module constructors may use.
import '../src/index.js';
import { entrySources } from './api/sources.js';
import { emitFunctional } from './api/emit-functional.js';
import { emitModules } from './api/emit-modules.js';
import { emitFunctionTables, emitReadmeNames } from './api/emit-readme.js';
import { emitGoldenCases } from './api/emit-golden.js';
import { format, resolveConfig } from 'prettier';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** A Markdown file as `npm run format` leaves it (prettier aligns the tables' columns). */
async function prettierMarkdown(text: string, path: string): Promise<string> {
  return format(text, { ...(await resolveConfig(path)), filepath: path });
}

/** Each output: a path and a function from its current text to its new text. */
export const API_OUTPUTS: Record<string, (old: string | null) => string | Promise<string>> = {
  'src/functional/api.generated.ts': () => emitFunctional(entrySources()),
  'src/nn/modules.generated.ts': () => emitModules(entrySources()),
  'docs/functions.md': (old) =>
    prettierMarkdown(
      emitFunctionTables(old ?? '', entrySources()),
      join(root, 'docs/functions.md'),
    ),
  'README.md': (old) =>
    prettierMarkdown(emitReadmeNames(old ?? '', entrySources()), join(root, 'README.md')),
  'scripts/golden/registry.generated.json': () => emitGoldenCases(entrySources()),
};

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [rel, emit] of Object.entries(API_OUTPUTS)) {
    const path = join(root, rel);
    const old = existsSync(path) ? readFileSync(path, 'utf8') : null;
    const text = await emit(old);
    if (old === text) continue;
    if (check) {
      console.error(`stale: ${rel} (run npm run gen)`);
      stale++;
    } else {
      writeFileSync(path, text);
      console.log(`wrote ${rel}`);
    }
  }
  if (stale) process.exit(1);
}

await main();
