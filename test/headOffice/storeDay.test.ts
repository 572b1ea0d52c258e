import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLedgerStore } from '../../electron/services/ledger/ledgerStore';
import { migrateHeadOffice } from '../../electron/services/headOffice/postgresSchema';
import { shipPending } from '../../electron/services/headOffice/shipper';
import { storeDay } from '../../electron/services/headOffice/storeReport';
import { moneyEventsBetweenTimes, totalsByEnvironment } from '../../electron/services/reports/periods';
import { hongKongDay, hongKongDayRange } from '../../shared/hkTime';
import { postgresAvailable, startPostgres, type TestPostgres } from '../support/postgres';
import { startTestSimulator, type TestSimulator } from '../support/simulator';
import { openTestTill, type TestTill } from '../support/till';

/** Three tills' days shipped to one head office: the store's day is the sum of the tills' own. */
describe.skipIf(!postgresAvailable)("the store's day", () => {
  let postgres: TestPostgres;
  let simulator: TestSimulator;
  const tills: TestTill[] = [];

  beforeAll(async () => {
    postgres = await startPostgres();
    simulator = await startTestSimulator();
  });
  afterAll(async () => {
    for (const till of tills) till.close();
    await simulator?.stop();
    await postgres?.remove();
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
    client.release();
    await pool.end();
  });
});
