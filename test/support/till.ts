import { join } from 'node:path';
import { createGatewayClient } from '../../electron/services/gateway/client';
import { createTill } from '../../electron/services/till/till';
import { DEFAULT_TILL_SETTINGS, type TillSettings } from '../../electron/services/config/tillSettings';
import { ledgerAt } from './ledger';
import { tempFolder, type TestSimulator } from './simulator';

/** A till on a real SQLite file in a temp folder, talking to a real simulator, with a clock a test can move. */
export function openTestTill(simulator: TestSimulator, overrides: Partial<TillSettings> = {}, options: { dbPath?: string; timeoutMs?: number; baseUrl?: string } = {}) {
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
