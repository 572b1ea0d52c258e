import { defineConfig } from 'vitest/config';

/**
 * Files that measure throughput or race real processes against real clocks: on a busy machine they
 * measure the machine, so they run after the rest. The shared call budget (20 tills' calls counted
 * against QFPay's limit) runs alone; the command-line tills killed at random moments, the CLI's
 * processes and the relay killed mid-request then run two at a time: what they check (no payment
 * sent twice, nothing lost) does not depend on the machine's speed, only their time limits do.
 */
const THROUGHPUT = ['test/headOffice/callBudget.test.ts'];
const PROCESS_RACES = ['test/cli/trial.test.ts', 'test/cli/processes.test.ts', 'test/relay/relayCrash.test.ts'];
const TIMED = [...THROUGHPUT, ...PROCESS_RACES];

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
      { test: { ...shared, name: 'throughput', include: THROUGHPUT, maxWorkers: 1, sequence: { groupOrder: 1 } } },
      { test: { ...shared, name: 'process races', include: PROCESS_RACES, maxWorkers: 2, sequence: { groupOrder: 2 } } },
    ],
  },
});
