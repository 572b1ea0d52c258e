import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, startPostgres, type TestPostgres } from '../support/postgres';
import { startRelayProcess, type RelayProcess } from '../support/relay';
import { closedPort, startTestSimulator, type TestSimulator } from '../support/simulator';
import { openTestTill, type TestTill } from '../support/till';

/**
 * The relay killed (SIGKILL) after it received a notification and before its transaction
 * committed: nothing is stored, QFPay (the simulator) had no SUCCESS, and its retry lands the
 * notification once a relay runs again, exactly once.
 */
describe.skipIf(!postgresAvailable)('a relay killed between receipt and commit', () => {
  let postgres: TestPostgres;
  let headOffice: string;
  let simulator: TestSimulator;
  let relay: RelayProcess | undefined;
  let test: TestTill;
  let office: pg.Client;

  beforeAll(async () => {
    postgres = await startPostgres();
    headOffice = await postgres.createDatabase('crash');
    simulator = await startTestSimulator({ notifyRetryDelaysMs: Array.from({ length: 20 }, () => 300) });
    office = new pg.Client({ connectionString: headOffice });
    await office.connect();
  });
  afterAll(async () => {
    await relay?.stop();
    await office?.end();
    test?.close();
    await simulator?.stop();
    await postgres?.remove();
  });

  it('loses nothing: QFPay\'s retry stores it once the relay is back', { timeout: 60_000 }, async () => {
    const port = await closedPort();
    const credentials = { headOffice, appCode: simulator.credentials.appCode, clientKey: simulator.credentials.clientKey, port };
    relay = await startRelayProcess(credentials);
    simulator.notifier.configure({ url: relay.notifyUrl });
    test = openTestTill(simulator);
    const order = await test.till.charge({ wallet: 'alipay', amount: 4_200 });

    // Another session holds the table: the relay's insert, inside its transaction, waits there.
    const blocker = new pg.Client({ connectionString: headOffice });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE qfpay_notifications IN ACCESS EXCLUSIVE MODE');
    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    await expect
      .poll(async () => (await office.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO qfpay_notifications%'")).rows[0]?.n, { timeout: 10_000 })
      .toBe(1);

    await relay.kill();
    await blocker.query('ROLLBACK');
    await blocker.end();
    // The killed relay's transaction never committed; the simulator heard no SUCCESS and keeps trying.
    const stored = async () => (await office.query<{ deliveries: number }>('SELECT deliveries FROM qfpay_notifications WHERE out_trade_no = $1', [order.outTradeNo])).rows;
    expect(await stored()).toEqual([]);
    await expect.poll(() => simulator.notifier.deliveries().find((item) => item.outTradeNo === order.outTradeNo)?.attempts.length ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(simulator.notifier.deliveries().find((item) => item.outTradeNo === order.outTradeNo)?.state).not.toBe('delivered');

    relay = await startRelayProcess(credentials);
    await expect.poll(() => simulator.notifier.deliveries().find((item) => item.outTradeNo === order.outTradeNo)?.state, { timeout: 10_000 }).toBe('delivered');
    expect(await stored()).toEqual([{ deliveries: 1 }]);
    expect(relay.lines().some((line) => line.includes(`stored payment ${order.outTradeNo}`))).toBe(true);
  });
});
