import { join } from 'node:path';
import { createGatewayClient } from '../../electron/services/gateway/client';
import { createTill } from '../../electron/services/till/till';
import { DEFAULT_TILL_SETTINGS, type TillSettings } from '../../electron/services/config/tillSettings';
import type { SimulatorOptions } from '../../electron/simulator/server';
import { ledgerAt } from './ledger';
import { sharedByBlock } from './scope';
import { startTestSimulator, tempFolder, type TestSimulator } from './simulator';

export type TestTillOptions = { dbPath?: string; timeoutMs?: number; baseUrl?: string };

/** A till on a real SQLite file in a temp folder, talking to a real simulator, with a clock a test can move. */
export function openTestTill(simulator: TestSimulator, overrides: Partial<TillSettings> = {}, options: TestTillOptions = {}) {
  const folder = options.dbPath ? undefined : tempFolder('qfpos-till-');
  const dbPath = options.dbPath ?? join((folder as { path: string }).path, 'till.sqlite');
  const { db, store } = ledgerAt(dbPath);
  let offset = 0;
  const clock = () => Date.now() + offset;
  const gateway = createGatewayClient({
    baseUrl: options.baseUrl ?? simulator.url,
    credentials: { appCode: simulator.credentials.appCode, clientKey: simulator.credentials.clientKey, signType: 'SHA256' },
    timeoutMs: options.timeoutMs ?? 1_000,
  });
  const till = createTill({
    store,
    gateway,
    clock,
    settings: {
      ...DEFAULT_TILL_SETTINGS,
      tillId: 'test-till',
      gateway: { environment: 'demo', baseUrl: gateway.baseUrl, appCode: gateway.appCode, mchid: gateway.mchid },
      callBudgetPerMinute: 1_000,
      ...overrides,
    },
  });
  return {
    till,
    store,
    db,
    dbPath,
    clock,
    /** Moves the till's clock forward (the simulator keeps real time, scaled). */
    advance(ms: number) {
      offset += ms;
    },
    close() {
      db.close();
      folder?.remove();
    },
  };
}

export type TestTill = ReturnType<typeof openTestTill>;

/**
 * A simulator for the file or describe block this is called in (started before its tests, stopped
 * after them), and tills on it: `open()` is openTestTill on this simulator, and the till is closed
 * for the caller, after the test when a test opened it, after the block when its set-up did. After
 * each test the simulator's faults and its log of requests are cleared, so each test starts on a
 * gateway that answers. `simulator` may be destructured at the top of a file (see lateBound).
 *
 *   const { simulator, open: till } = tillsOnSimulator({ timeScale: 600 });
 */
export function tillsOnSimulator(options: Partial<SimulatorOptions> = {}): { readonly simulator: TestSimulator; open(overrides?: Partial<TillSettings>, options?: TestTillOptions): TestTill } {
  const { service: simulator, closeAfterUse } = sharedByBlock('tillsOnSimulator', () => startTestSimulator(options), (started) => started.stop(), {
    afterEachTest: async (started) => {
      await started.control('DELETE', 'faults');
      await started.control('DELETE', 'requests');
    },
  });
  return {
    simulator,
    open(overrides = {}, tillOptions = {}) {
      const opened = openTestTill(simulator, overrides, tillOptions);
      closeAfterUse(() => opened.close());
      return opened;
    },
  };
}

export type TillOnSimulator = TestTill & { readonly simulator: TestSimulator; close(): Promise<void> };

/**
 * A simulator and one till on it, started now and both stopped by `close()`: for tests that each
 * need a gateway of their own (its clock moved, say), where tillsOnSimulator shares one.
 */

export async function startTillOnSimulator(options: { simulator?: Partial<SimulatorOptions>; settings?: Partial<TillSettings> } = {}): Promise<TillOnSimulator> {
  const simulator = await startTestSimulator(options.simulator);
  let opened: TestTill;
  try {
    opened = openTestTill(simulator, options.settings);
  } catch (error) {
    await simulator.stop();
    throw error;
  }
  return {
    ...opened,
    simulator,
    async close() {
      try {
        opened.close();
      } finally {
        await simulator.stop();
      }
    },
  };
}
