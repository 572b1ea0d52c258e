import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    globalSetup: ['test/globalSetup.ts'],
    // Separate processes: the tests open SQLite files and listen on ports, and a native module is
    // happiest not shared between worker threads.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
