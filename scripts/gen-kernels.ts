/**
 * Generates every backend's elementwise kernels from `src/ops/elementwise/table.ts`.
 * `npm run gen` rewrites them; `--check` fails if a committed file is stale
 * (the test suite runs that check, so the table and the kernels never drift).
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitJs } from './codegen/emit-js.js';
import { emitCpp } from './codegen/emit-cpp.js';
import {
  buildWasm,
  buildWasmShared,
  emitAs,
  emitRelaxed,
  emitWasmExports,
} from './codegen/emit-as.js';
import {
  emitKernelArgs,
  emitKernelBindings,
  emitKernelChecks,
  emitKernelSignatures,
} from './codegen/emit-kernel-api.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Each output's text, or bytes for the WebAssembly modules (committed as `.wasm` assets). */
export const OUTPUTS: Record<string, () => string | Uint8Array> = {
  'src/kernels/js/elementwise.generated.ts': emitJs,
  'src/kernels/signatures.generated.ts': emitKernelSignatures,
  'src/kernels/checks.generated.ts': emitKernelChecks,
  'native/kernel_args.generated.h': emitKernelArgs,
  'native/bindings.generated.h': emitKernelBindings,
  'native/elementwise.generated.h': emitCpp,
  'wasm/assembly/kernels.generated.ts': emitAs,
  'src/kernels/wasm/kernels.wasm': buildWasm,
  'src/kernels/wasm/kernels-shared.wasm': buildWasmShared,
  'src/kernels/wasm/exports.generated.ts': emitWasmExports,
  'src/kernels/wasm/relaxed.generated.ts': emitRelaxed,
};

const same = (old: Buffer | null, now: string | Uint8Array): boolean =>
  old !== null && old.equals(typeof now === 'string' ? Buffer.from(now, 'utf8') : now);

function main(): void {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [rel, emit] of Object.entries(OUTPUTS)) {
    const path = join(root, rel);
    const text = emit();
    const old = existsSync(path) ? readFileSync(path) : null;
    if (same(old, text)) continue;
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
