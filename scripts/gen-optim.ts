/**
 * Generates the optimizers' kernels from their definitions in
 * `src/optim/kernels/updates.ts` (each the body of a kernel declared in
 * `src/kernels/schema.ts`) for every backend: see `codegen/emit-optim.ts`.
 * The WebAssembly module itself is compiled by `gen-kernels.ts`, which
 * prints the AssemblyScript afresh.
 *
 *   npx tsx scripts/gen-optim.ts           # rewrite the files
 *   npx tsx scripts/gen-optim.ts --check   # fail if one is stale (the tests run this)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  emitOptimAs,
  emitOptimBindings,
  emitOptimJs,
  emitOptimLoops,
  emitOptimTable,
  emitOptimWasm,
} from './codegen/emit-optim.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const OPTIM_OUTPUTS: Record<string, () => string> = {
  'src/kernels/js/optim.generated.ts': emitOptimJs,
  'src/kernels/wasm/optim.generated.ts': emitOptimWasm,
  'native/optim_table.generated.h': emitOptimTable,
  'native/optim_loops.generated.h': emitOptimLoops,
  'native/optim_bindings.generated.h': emitOptimBindings,
  'wasm/assembly/optim.generated.ts': emitOptimAs,
};

function main(): void {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [rel, emit] of Object.entries(OPTIM_OUTPUTS)) {
    const path = join(root, rel);
    const text = emit();
    const old = existsSync(path) ? readFileSync(path, 'utf8') : null;
    if (old === text) continue;
    if (check) {
      console.error(`stale: ${rel} (run npm run gen:optim)`);
      stale++;
    } else {
      writeFileSync(path, text);
      console.log(`wrote ${rel}`);
    }
  }
  if (stale) process.exit(1);
}

main();
