import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    // Building bundles and starting Chromium can take long on a loaded 2-core machine.
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/explorer/**'],
        },
      },
      {
        // The explorer in headless Chromium: globalSetup builds the site (npm run explorer:build)
        // once; files run one at a time, each with its own browser.
        extends: true,
        resolve: { alias: { nnkit: fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
        test: {
          name: 'explorer',
          include: ['test/explorer/**/*.test.ts'],
          globalSetup: ['test/explorer/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
