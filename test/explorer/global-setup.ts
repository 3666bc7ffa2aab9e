/**
 * Builds the explorer once before its browser tests: `npm run explorer:build` (nnkit's dist/,
 * then the Vite site in explorer/dist, then the size check). Set NNKIT_EXPLORER_BUILT=1 to reuse
 * an existing build while iterating. Nothing is built when Chromium is missing (the tests skip).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM, DIST, ROOT } from './harness.js';

export default function setup(): void {
  if (!existsSync(CHROMIUM)) return;
  if (process.env.NNKIT_EXPLORER_BUILT === '1' && existsSync(join(DIST, 'index.html'))) return;
  execFileSync('npm', ['run', 'explorer:build'], { cwd: ROOT, stdio: 'inherit' });
}
