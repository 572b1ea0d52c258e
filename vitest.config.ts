import { defineConfig } from 'vitest/config';

/**
 * Files that measure throughput or race real processes against real clocks (a shared call budget
 * kept under QFPay's limit, CLI tills killed at random moments, a relay killed mid-request): on a busy machine they measure
 * the machine. They run one at a time, after the rest.
 */
const TIMED = ['test/headOffice/callBudget.test.ts', 'test/cli/trial.test.ts', 'test/cli/processes.test.ts', 'test/relay/relayCrash.test.ts'];

const shared = {
  environment: 'node',
  // Separate processes: the tests open SQLite files and listen on ports, and a native module is
  // happiest not shared between worker threads.
  pool: 'forks',
  testTimeout: 20_000,
  hookTimeout: 20_000,
} as const;

export default defineConfig({
  test: {
    globalSetup: ['test/globalSetup.ts'],
    projects: [
      {
        test: {
          ...shared,
          name: 'parallel',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: TIMED,
          // Most files wait on servers, browsers and child processes more than they compute: on
          // two cores, three at a time finish the suite in about half the time of one at a time
          // (Vitest's default here is one fewer than the cores: one).
          maxWorkers: 3,
          // A worker runs file after file in one process, so node_modules and the app's modules are
          // loaded once per worker, not once per file (the whole suite: 5m37s against 6m44s, and
          // the workers' CPU 108 s against 191 s, measured side by side). Test files share no
          // module state: each opens its own ledgers, servers and browsers and closes them.
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      { test: { ...shared, name: 'timed', include: TIMED, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
