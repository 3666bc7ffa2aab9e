/**
 * Generates the public API from the registry (src/registry/): the typed
 * `F.*` functions, the `nn.*` module classes, the README's function tables
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
import { emitReadmeTables } from './api/emit-readme.js';
import { emitGoldenCases } from './api/emit-golden.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Each output: a path and a function from its current text to its new text. */
export const API_OUTPUTS: Record<string, (old: string | null) => string> = {
  'src/functional/api.generated.ts': () => emitFunctional(entrySources()),
  'src/nn/modules.generated.ts': () => emitModules(entrySources()),
  'README.md': (old) => emitReadmeTables(old ?? '', entrySources()),
  'scripts/golden/registry.generated.json': () => emitGoldenCases(entrySources()),
};

function main(): void {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [rel, emit] of Object.entries(API_OUTPUTS)) {
    const path = join(root, rel);
    const old = existsSync(path) ? readFileSync(path, 'utf8') : null;
    const text = emit(old);
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

main();
