import { join } from 'node:path';
import { openLedgerDatabase, type LedgerDatabase } from '../../electron/services/ledger/database';
import { createLedgerStore, type LedgerStore, type NewOrder, type OrderRecord } from '../../electron/services/ledger/ledgerStore';
import { tempFolder } from './simulator';

/**
 * A till's ledger for the tests that drive the ledger store itself: a real SQLite file
 * (`till.sqlite`) in a fresh temp folder, opened as the app opens it, with its store. A file's
 * hooks keep what they open in its own variables, so a test may close and reopen the ledger:
 *
 *   beforeEach(() => {
 *     ({ folder, path, db, store } = openTestLedger('qfpos-x-'));
 *   });
 *   afterEach(() => closeTestLedger(db, folder));
 */
export type TestFolder = ReturnType<typeof tempFolder>;

export interface TestLedger {
  readonly folder: TestFolder;
  readonly path: string;
  readonly db: LedgerDatabase;
  readonly store: LedgerStore;
}

/** A ledger file's place in a fresh temp folder, not yet made. */
export function testLedgerFile(prefix: string): { folder: TestFolder; path: string } {
  const folder = tempFolder(prefix);
  return { folder, path: join(folder.path, 'till.sqlite') };
}

export function openTestLedger(prefix: string): TestLedger {
  const { folder, path } = testLedgerFile(prefix);
  return { folder, path, ...ledgerAt(path) };
}

/** The ledger at `path` opened as the app opens it (made if there is none), with a store on it. */
export function ledgerAt(path: string): { db: LedgerDatabase; store: LedgerStore } {
  const db = openLedgerDatabase(path);
  return { db, store: createLedgerStore(db) };
}

/** Closes the ledger the test holds now (unless the test closed it) and removes its folder. */
export function closeTestLedger(db: LedgerDatabase, folder: TestFolder): void {
  if (db.open) db.close();
  folder.remove();
}

/**
 * A new order as these tests make them: an FPS payment of HK$12.50 by till t1 in the demo
 * environment, no gateway named, its QR shown for 5 minutes and watched for 10; any field given
 * replaces the default.
 */
export function orderFields(fields: Partial<NewOrder> & Pick<NewOrder, 'outTradeNo' | 'createdAt'>): NewOrder {
  return {
    tillId: 't1',
    environment: 'demo',
    gatewayUrl: null,
    appCode: null,
    mchid: null,
    wallet: 'fps',
    payType: '802001',
    amount: 1_250,
    currency: 'HKD',
    goodsName: null,
    requestFields: {},
    qrDeadline: fields.createdAt + 300_000,
    gatewayDeadline: fields.createdAt + 600_000,
    ...fields,
  };
}

/** An order made, its QR shown at `shownAt` and paid at `paidAt` (by a query): the till's three history rows. */
export function paidOrder(store: LedgerStore, order: NewOrder, times: { readonly shownAt: number; readonly paidAt: number }): OrderRecord {
  const made = store.insertOrder(order);
  store.transitionOrder(made.id, 'waiting', 'qr_issued', times.shownAt);
  return store.transitionOrder(made.id, 'paid', 'query_paid', times.paidAt);
}
