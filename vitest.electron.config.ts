import { defineConfig } from 'vitest/config';

/**
 * The end-to-end suite in real Electron (`npm run test:electron`), apart from `npm test`: it needs
 * Electron's binary and a display (xvfb on Linux CI). Where the binary is absent it says so and
 * skips.
 */
export default defineConfig({
  test: {
    include: ['test/electron/**/*.e2e.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
