import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Building bundles and starting Chromium can take long on a loaded 2-core machine.
    hookTimeout: 120_000,
  },
});
