import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { lateBound, sharedByBlock } from './scope';
import { startTestSimulator, tempFolder, tillEnvironment, type TestSimulator } from './simulator';
import type { TestFolder } from './ledger';

export interface CliOnSimulatorOptions {
  /** The temp folders' prefix (qfpos-cli-, say), so that one left behind says whose it is. */
  readonly prefix: string;
  /** The till's environment beyond the simulator's and its ledger's (QFPOS_TILL, say). */
  readonly env?: NodeJS.ProcessEnv;
  /** Starts from this process's environment, for tills run as child processes (PATH, the run's mark). */
  readonly inheritEnv?: boolean;
}

/**
 * The command-line till's tests: a simulator for the file or describe block this is called in
 * (started before its tests, stopped after them), and for each test a fresh folder for the till's
 * ledger and the QFPOS_* environment of a till on that simulator keeping its ledger there. The
 * simulator's log of requests is emptied before each test, its faults cleared after it.
 *
 *   const till = cliOnSimulator({ prefix: 'qfpos-cli-', env: { QFPOS_TILL: 'front-1' } });
 *   const { simulator, folder, env } = till;
 *   const cli = (...argv: string[]) => runCli([...argv, '--json'], env);
 *
 * `simulator`, `folder` and `env` are lateBound stand-ins: the test's own from its start. A test
 * that runs the till another way sets `till.env` for itself. A describe block whose tests need a
 * gateway of their own (its day free of the other tests' orders) calls `simulatorOfItsOwn()`:
 * `simulator` and `env` are then on that one for the block's tests.
 */
export function cliOnSimulator(options: CliOnSimulatorOptions) {
  const { started } = sharedByBlock('cliOnSimulator', () => startTestSimulator(), (shared) => shared.stop());
  let own: TestSimulator | undefined;
  let folder: TestFolder | undefined;
  let env: NodeJS.ProcessEnv | undefined;
  const simulator = lateBound('cliOnSimulator', () => own ?? started());
  beforeEach(async () => {
    folder = tempFolder(options.prefix);
    env = { ...(options.inheritEnv ? process.env : {}), ...tillEnvironment(simulator, folder.path, options.env) };
    await simulator.control('DELETE', 'requests');
  });
  afterEach(async () => {
    folder?.remove();
    folder = undefined;
    env = undefined;
    await simulator.control('DELETE', 'faults');
  });
  const testEnv = lateBound('cliOnSimulator', () => env, 'its environment is made for each test, and used outside one');
  return {
    simulator,
    folder: lateBound('cliOnSimulator', () => folder, 'its folder is made for each test, and used outside one'),
    get env(): NodeJS.ProcessEnv {
      return testEnv;
    },
    /** Replaces this test's environment (a demo till, one configured in the app's settings). */
    set env(replaced: NodeJS.ProcessEnv) {
      env = replaced;
    },
    simulatorOfItsOwn(): void {
      beforeAll(async () => {
        own = await startTestSimulator();
      });
      afterAll(async () => {
        await own?.stop();
        own = undefined;
      });
    },
  };
}

/** How many orders the ledger at `dbPath` holds (none when there is no file yet), read as another program would. */
export function ordersInLedger(dbPath: string): number {
  if (!existsSync(dbPath)) return 0;
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM orders').get() as { n: number }).n;
  } finally {
    db.close();
  }
}
