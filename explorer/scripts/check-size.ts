/**
 * The explorer's size budget: the gzipped JavaScript and WebAssembly of explorer/dist must stay
 * within BUDGET_KB. Run by `npm run explorer:build`; exits non-zero over budget.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const BUDGET_KB = 400;
const dist = join(import.meta.dirname, '..', 'dist');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

const counted = files(dist).filter((f) => /\.(js|mjs|wasm)$/.test(f));
let total = 0;
for (const f of counted) {
  const gz = gzipSync(readFileSync(f), { level: 9 }).length;
  total += gz;
  console.log(`${(gz / 1024).toFixed(1).padStart(8)} KB gzipped  ${f.slice(dist.length + 1)}`);
}
const kb = total / 1024;
console.log(`explorer: ${kb.toFixed(1)} KB of gzipped JS + wasm (budget ${BUDGET_KB} KB)`);
if (counted.length === 0 || kb > BUDGET_KB) {
  console.error(counted.length ? 'explorer: over the size budget' : 'explorer: no JS in dist');
  process.exit(1);
}
