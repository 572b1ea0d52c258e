import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLedgerStore } from '../../electron/services/ledger/ledgerStore';
import { migrateHeadOffice } from '../../electron/services/headOffice/postgresSchema';
import { shipPending } from '../../electron/services/headOffice/shipper';
import { exportStoreDay } from '../../electron/services/headOffice/storeExport';
import { storeDay } from '../../electron/services/headOffice/storeReport';
import { exportDay, EXPORT_COLUMNS } from '../../electron/services/reports/dayExport';
import { closePeriod, moneyEventsBetweenTimes, totalsByEnvironment } from '../../electron/services/reports/periods';
import { hongKongDay, hongKongDayRange } from '../../shared/hkTime';
import { startHeadOfficeServices, stopHeadOfficeServices } from '../support/headOffice';
import { postgresAvailable, type TestPostgres } from '../support/postgres';
import { tempFolder, type TestSimulator } from '../support/simulator';
import { openTestTill, type TestTill } from '../support/till';

/** Three tills' days shipped to one head office: the store's day is the sum of the tills' own. */
describe.skipIf(!postgresAvailable)("the store's day", () => {
  let postgres: TestPostgres;
  let simulator: TestSimulator;
  const tills: TestTill[] = [];

  beforeAll(async () => {
    ({ postgres, simulator } = await startHeadOfficeServices());
  });
  afterAll(async () => {
    for (const till of tills) till.close();
    await stopHeadOfficeServices({ postgres, simulator });
  });

  it("equals the sum of the tills' own day totals, and each till's share equals its own report", async () => {
    const pool = new pg.Pool({ connectionString: await postgres.createDatabase() });
    const client = await pool.connect();
    await migrateHeadOffice(client);
    const sales: Record<string, [wallet: 'fps' | 'alipay' | 'wechat', amount: number][]> = {
      't-1': [['fps', 1230], ['alipay', 4500], ['fps', 999]],
      't-2': [['wechat', 2000], ['fps', 300]],
      't-3': [['alipay', 12345]],
    };
    for (const [tillId, list] of Object.entries(sales)) {
      const test = openTestTill(simulator, { tillId });
      tills.push(test);
      const paid = [];
      for (const [wallet, amount] of list) {
        const order = await test.till.charge({ wallet, amount });
        await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
        paid.push(order);
      }
      await test.till.checkOpenOrders({ includeWatched: false });
      // One till closes a Z period mid-day: the store's rows name the period each till counted them in.
      if (tillId === 't-1') closePeriod(createLedgerStore(test.db), { tillId, now: Date.now(), isMine: () => true });
      await test.till.charge({ wallet: 'fps', amount: 777 }); // still waiting: no money yet
      await test.till.checkOpenOrders({ includeWatched: false });
      await test.till.refund(paid[0]?.outTradeNo as string, 100);
      await shipPending(test.db, client, { tillId });
    }
    const day = hongKongDay(Date.now());
    const { start, end } = hongKongDayRange(day);
    const own = tills.map((test) => moneyEventsBetweenTimes(createLedgerStore(test.db), start, end));

    const report = await storeDay(client, day);
    expect(report.tills).toEqual(['t-1', 't-2', 't-3']);
    expect(report.store).toEqual(totalsByEnvironment(own.flat()));
    for (const index of tills.keys()) expect(report.byTill[index]?.totals).toEqual(totalsByEnvironment(own[index] ?? []));
    // By hand: every sale, less three refunds of HK$1.00, none of the waiting HK$7.77.
    const paidTotal = Object.values(sales).flat().reduce((sum, [, amount]) => sum + amount, 0);
    expect(report.store[0]?.totals).toMatchObject({ payments: { count: 6, amount: paidTotal }, refunds: { count: 3, amount: 300 }, net: paidTotal - 300 });
    expect((await storeDay(client, day, { tillId: 't-2' })).store[0]?.totals.net).toBe(2000 + 300 - 100);

    // The store's CSV is the tills' own CSVs together: the same rows, each naming its till.
    const folder = tempFolder('qfpos-store-export-');
    try {
      const storeFile = join(folder.path, 'store.csv');
      const summary = await exportStoreDay(client, day, storeFile);
      expect(summary).toMatchObject({ environment: 'demo', payments: 9, refunds: 3, net: paidTotal - 300, tills: ['t-1', 't-2', 't-3'] });
      const lines = (file: string) => readFileSync(file, 'utf8').replace(/^\uFEFF/, '').trim().split('\n');
      const [header, ...storeRows] = lines(storeFile);
      expect(header?.split(',')).toEqual([...EXPORT_COLUMNS]);
      for (const test of tills) {
        const tillId = test.till.settings.tillId;
        const own = join(folder.path, `${tillId}.csv`);
        await exportDay(test.dbPath, day, own, { environment: 'demo' });
        const ownRows = lines(own).slice(1);
        expect(storeRows.filter((row) => row.split(',')[3] === tillId).sort()).toEqual(ownRows.sort());
      }
      expect(storeRows.some((row) => row.split(',')[EXPORT_COLUMNS.indexOf('z_period')] === '1')).toBe(true); // t-1's closed Z 1
      // Another environment's day is refused in words, not silently empty.
      await expect(exportStoreDay(client, '2020-01-01', join(folder.path, 'none.csv'))).rejects.toThrow(/holds nothing for 2020-01-01/);
    } finally {
      folder.remove();
    }
    client.release();
    await pool.end();
  });
});
