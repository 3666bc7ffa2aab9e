/**
 * The explorer's Vite config. `nnkit` is imported by its package name and
 * resolved as any app would resolve it: through the root package.json's
 * `exports` (the alias points at the package's folder, not at a file), so
 * the app gets the built `dist/` entry today and the `browser` condition
 * once the package has one.
 */
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/** Cross-origin isolation, so that the wasm backend may start its worker threads. */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: { alias: { nnkit: packageRoot } },
  // The package is this repository, not a node_modules dependency: keep it out of pre-bundling.
  optimizeDeps: { exclude: ['nnkit'] },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // One chunk per panel is not worth it: the panels share nnkit and the plotting library.
    chunkSizeWarningLimit: 1400,
  },
});
