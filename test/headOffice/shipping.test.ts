import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { migrateHeadOffice } from '../../electron/services/headOffice/postgresSchema';
import { HeadOfficeConflict, shipPending } from '../../electron/services/headOffice/shipper';
import { openSqlite, type SqliteDatabase } from '../../electron/services/sqlite/openSqlite';
import { startHeadOfficeServices, stopHeadOfficeServices } from '../support/headOffice';
import { postgresAvailable, type TestPostgres } from '../support/postgres';
import { tempFolder, type TestSimulator } from '../support/simulator';
import { openTestTill, type TestTill } from '../support/till';

/**
 * A till's books shipped to a real PostgreSQL (a throwaway cluster) from a real ledger filled by a
 * real till against the simulator.
 */
describe.skipIf(!postgresAvailable)('shipping a till to the head office', () => {
  let postgres: TestPostgres;
  let simulator: TestSimulator;
  const tills: TestTill[] = [];
  const pools: pg.Pool[] = [];

  beforeAll(async () => {
    ({ postgres, simulator } = await startHeadOfficeServices());
  });
  afterEach(async () => {
    for (const pool of pools.splice(0)) await pool.end();
    for (const till of tills.splice(0)) till.close();
  });
  afterAll(async () => {
    await stopHeadOfficeServices({ postgres, simulator });
  });

  async function headOffice() {
    const url = await postgres.createDatabase();
    const pool = Object.assign(new pg.Pool({ connectionString: url }), { url });
    // An idle connection dropped by a stopped server is expected here, not a test failure.
    pool.on('error', () => undefined);
    pools.push(pool);
    const client = await pool.connect();
    await migrateHeadOffice(client);
    client.release();
    return pool;
  }

  /** A day at a till: paid, failed, still waiting, and a paid order partly refunded. */
  async function aDay(count = 3) {
    const test = openTestTill(simulator);
    tills.push(test);
    const made = [];
    for (let index = 0; index < count; index += 1) {
      const paid = await test.till.charge({ wallet: 'fps', amount: 1000 + index });
      await simulator.control('POST', `orders/${paid.outTradeNo}/pay`);
      made.push(paid);
    }
    const failed = await test.till.charge({ wallet: 'alipay', amount: 250 });
    await simulator.control('POST', `orders/${failed.outTradeNo}/fail`, { respcd: '1201' });
    await test.till.checkOpenOrders({ includeWatched: false });
    await test.till.refund(made[0]?.outTradeNo as string, 400);
    await test.till.charge({ wallet: 'wechat', amount: 3300 });
    return test;
  }

  async function ship(pool: pg.Pool, ledger: SqliteDatabase, batchSize?: number) {
    const client = await pool.connect();
    client.on('error', () => undefined); // a server stopped mid-test: the query rejects, which is what is checked
    try {
      return await shipPending(ledger, client, { tillId: 'till-1', batchSize });
    } finally {
      client.release();
    }
  }

  /** The head office's copy, and the ledger's own, in one shape. */
  async function copies(pool: pg.Pool, ledger: SqliteDatabase) {
    const remote = await pool.query('SELECT out_trade_no, amount::int, state FROM orders ORDER BY out_trade_no');
    const remoteRefunds = await pool.query('SELECT out_trade_no, amount::int, state FROM refunds ORDER BY out_trade_no');
    const remoteHistory = await pool.query('SELECT seq::int, to_state FROM transitions ORDER BY seq');
    return {
      head: { orders: remote.rows, refunds: remoteRefunds.rows, history: remoteHistory.rows },
      till: {
        orders: ledger.prepare('SELECT out_trade_no, amount, state FROM orders ORDER BY out_trade_no').all(),
        refunds: ledger.prepare('SELECT out_trade_no, amount, state FROM refunds ORDER BY out_trade_no').all(),
        history: ledger.prepare('SELECT id AS seq, to_state FROM transitions ORDER BY id').all(),
      },
    };
  }

  it('ships every order, refund and transition, and the copy equals the ledger', async () => {
    const pool = await headOffice();
    const test = await aDay();
    const result = await ship(pool, test.db);
    const { head, till } = await copies(pool, test.db);
    expect(head).toEqual(till);
    expect(result).toMatchObject({ orders: 5, refunds: 1, behind: 0 });
    expect(result.transitions).toBe(till.history.length);
    expect(head.orders.map((order) => order.state).sort()).toEqual(['failed', 'paid', 'paid', 'paid', 'waiting']);
  });

  it('ships the same records twice, and in small batches, without a change or a duplicate', async () => {
    const pool = await headOffice();
    const test = await aDay();
    await ship(pool, test.db, 2);
    const before = await copies(pool, test.db);
    const again = await ship(pool, test.db, 2);
    expect(again).toMatchObject({ transitions: 0, orders: 0, refunds: 0, batches: 0, behind: 0 });
    expect(await copies(pool, test.db)).toEqual(before);
  });

  it('an older copy of the ledger shipped after a newer one changes nothing (records out of order)', async () => {
    const pool = await headOffice();
    const test = await aDay(1);
    const folder = tempFolder('qfpos-older-');
    try {
      test.db.pragma('wal_checkpoint(TRUNCATE)');
      const olderPath = join(folder.path, 'older.sqlite');
      copyFileSync(test.dbPath, olderPath);
      // The till moves on: the waiting order is paid.
      const waiting = test.store.recentOrders(10).find((order) => order.state === 'waiting');
      await simulator.control('POST', `orders/${waiting?.outTradeNo}/pay`);
      await test.till.checkOpenOrders({ includeWatched: false });
      await ship(pool, test.db);
      const newer = await copies(pool, test.db);

      const older = openSqlite(olderPath, { readonly: true });
      const replay = await ship(pool, older);
      older.close();
      expect(replay).toMatchObject({ transitions: 0, orders: 0 });
      expect(await copies(pool, test.db)).toEqual(newer);
      expect(newer.head.orders.find((order) => order.out_trade_no === waiting?.outTradeNo)?.state).toBe('paid');
    } finally {
      folder.remove();
    }
  });

  it('resumes after a till process is killed with SIGKILL between batches, with nothing lost or doubled', async () => {
    const pool = await headOffice();
    const test = await aDay(4);
    test.db.pragma('wal_checkpoint(TRUNCATE)');

    const child = spawnSync(process.execPath, ['--import', 'tsx', 'test/support/shipOnce.ts', test.dbPath, pool.url, '3'], { encoding: 'utf8' });
    expect(child.signal).toBe('SIGKILL');
    const partial = await pool.query('SELECT COUNT(*)::int AS n FROM transitions');
    expect(partial.rows[0].n).toBe(3);

    const resumed = await ship(pool, test.db, 3);
    expect(resumed.behind).toBe(0);
    const { head, till } = await copies(pool, test.db);
    expect(head).toEqual(till);
  });

  it('refuses another ledger under the same till id instead of mixing two tills', async () => {
    const pool = await headOffice();
    const first = await aDay(1);
    await ship(pool, first.db);
    const second = openTestTill(simulator);
    tills.push(second);
    await second.till.charge({ wallet: 'fps', amount: 999 });
    await expect(ship(pool, second.db)).rejects.toThrow(HeadOfficeConflict);
    await expect(ship(pool, second.db)).rejects.toThrow(/keeps till till-1 for ledger .{8}, and this is ledger .{8}/);
    // The batch was rolled back whole.
    const { head } = await copies(pool, first.db);
    expect(head.orders.some((order) => order.amount === 999)).toBe(false);
  });

  it('catches up after the head office was down during sales; the sales never waited for it', async () => {
    const pool = await headOffice();
    const test = await aDay(1);
    await ship(pool, test.db);
    postgres.stop();
    try {
      const sale = await test.till.charge({ wallet: 'payme', amount: 4200 });
      expect(sale.state).toBe('waiting');
      await expect(ship(pool, test.db)).rejects.toThrow();
    } finally {
      postgres.start();
    }
    const caughtUp = await ship(pool, test.db);
    expect(caughtUp.behind).toBe(0);
    const { head, till } = await copies(pool, test.db);
    expect(head).toEqual(till);
  });
});
