/**
 * `npm run build`: a clean `dist/` from src/ — TypeScript compiled without
 * source maps (the package ships no sources for them to point at), and the
 * committed WebAssembly modules copied beside the loaders that reference
 * them (`new URL('./kernels.wasm', import.meta.url)`).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(ROOT, 'dist'), { recursive: true, force: true });
execFileSync(
  process.execPath,
  [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
  { cwd: ROOT, stdio: 'inherit' },
);
const wasmDir = join('kernels', 'wasm');
for (const file of readdirSync(join(ROOT, 'src', wasmDir))) {
  if (file.endsWith('.wasm')) {
    copyFileSync(join(ROOT, 'src', wasmDir, file), join(ROOT, 'dist', wasmDir, file));
  }
}
