import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type RunningRelay } from '../../electron/relay/relayServer';
import { headOfficePool, withHeadOffice } from '../../electron/services/headOffice/connection';
import { migrateHeadOffice } from '../../electron/services/headOffice/postgresSchema';
import { createPushedConfirmations, type PushedConfirmations } from '../../electron/services/headOffice/pushedConfirmations';
import type { OrderRecord } from '../../electron/services/ledger/ledgerStore';
import { createPoller, type Poller } from '../../electron/services/till/poller';
import { notificationBody, notificationSignature } from '../../shared/qfpay/notifications';
import { postgresAvailable, startPostgres, type TestPostgres } from '../support/postgres';
import { startTestSimulator, type TestSimulator } from '../support/simulator';
import { openTestTill, type TestTill } from '../support/till';

/**
 * A till hears QFPay's notifications through the head office (simulator → relay → PostgreSQL →
 * LISTEN) and asks QFPay at once; its own checks are a safety net set here to ten minutes, so a
 * payment recorded in this test was recorded because a notification made the till look.
 */
describe.skipIf(!postgresAvailable)("a till confirming by QFPay's pushes", () => {
  let postgres: TestPostgres;
  let url: URL;
  let pool: pg.Pool;
  let simulator: TestSimulator;
  let relay: RunningRelay | undefined;
  let test: TestTill;
  let push: PushedConfirmations;
  let poller: Poller;

  beforeAll(async () => {
    postgres = await startPostgres();
    url = new URL(await postgres.createDatabase('push'));
    pool = headOfficePool(url, { max: 3 });
    await withHeadOffice(pool, (client) => migrateHeadOffice(client));
    simulator = await startTestSimulator();
  });
  afterAll(async () => {
    await pool?.end();
    await simulator?.stop();
    await postgres?.remove();
  });
  afterEach(async () => {
    await poller?.stop();
    await relay?.close();
    relay = undefined;
    test?.close();
  });

  async function startTill() {
    relay = await startRelay({ pool, keys: new Map([[simulator.credentials.appCode, simulator.credentials.clientKey]]), log: () => undefined });
    test = openTestTill(simulator, { pollIntervalMs: 2_000, liveCheckIntervalMs: 300, pushedCheckIntervalMs: 600_000 });
    push = createPushedConfirmations({
      url,
      tillId: 'test-till',
      appCode: simulator.credentials.appCode,
      till: test.till,
      lookNow: () => poller.lookNow(),
      paceChanged: () => poller.paceChanged(),
      retryMs: 100,
    });
    poller = createPoller(test.till, test.clock, push);
    poller.start();
    await expect.poll(() => push.listenerState().listening).toBe(true);
  }

  /** What QFPay sends for a paid order: signed with the merchant's key, to the relay's address. */
  async function notify(outTradeNo: string, notifyType: 'payment' | 'refund' = 'payment', key = simulator.credentials.clientKey) {
    const order = simulator.store.byOutTradeNo(outTradeNo);
    if (!order || !relay) throw new Error(`no simulator order ${outTradeNo}, or no relay`);
    const body = notificationBody({ syssn: order.syssn, out_trade_no: outTradeNo, txamt: String(order.txamt), respcd: '0000', pay_type: order.payType }, notifyType);
    const response = await fetch(`${relay.url}/qfpay/notify`, { method: 'POST', body, headers: { 'X-QF-SIGN': notificationSignature(body, key) } });
    return response.text();
  }

  const pay = (outTradeNo: string) => simulator.control('POST', `orders/${outTradeNo}/pay`);
  const stateOf = (order: OrderRecord) => test.store.order(order.id).state;
  const queries = () => simulator.requests().filter((entry) => entry.endpoint === 'query').length;

  /** Proves pushes the way a shop does: a sale whose notification arrives. */
  async function provePushes() {
    const first = await test.till.charge({ wallet: 'alipay', amount: 500 });
    await pay(first.outTradeNo);
    await expect.poll(() => stateOf(first), { timeout: 5_000 }).toBe('paid');
    expect(push.status()).toEqual({ mode: 'polling', checkEveryMs: 2_000, reason: 'no_notifications' });
    expect(await notify(first.outTradeNo)).toBe('SUCCESS');
    await expect.poll(() => push.status().mode).toBe('pushed');
  }

  it('looks at once when QFPay pushes a payment, and only the query decides: a notified order QFPay has not paid stays waiting', async () => {
    await startTill();
    await provePushes();
    expect(push.status()).toEqual({ mode: 'pushed', checkEveryMs: 600_000 });

    const order = await test.till.charge({ wallet: 'wechat', amount: 1_230 });
    const before = queries();
    // The customer has not paid: a notification (say, one QFPay sent early) is only a reason to ask.
    expect(await notify(order.outTradeNo)).toBe('SUCCESS');
    await expect.poll(queries).toBe(before + 1);
    expect(stateOf(order)).toBe('waiting');

    // Paid at QFPay: nothing more happens until QFPay says so (the safety net is ten minutes away).
    await pay(order.outTradeNo);
    await sleep(1_000);
    expect(stateOf(order)).toBe('waiting');
    expect(await notify(order.outTradeNo)).toBe('SUCCESS');
    await expect.poll(() => stateOf(order), { timeout: 5_000 }).toBe('paid');
  });

  it("takes the whole path: the simulator's own signed notification, through the relay and PostgreSQL, confirms the sale", async () => {
    await startTill();
    simulator.notifier.configure({ url: `${relay?.url}/qfpay/notify`, faults: [] });
    try {
      const first = await test.till.charge({ wallet: 'alipay', amount: 700 });
      await pay(first.outTradeNo);
      await expect.poll(() => push.status().mode, { timeout: 5_000 }).toBe('pushed');
      const order = await test.till.charge({ wallet: 'octopus', amount: 1_500 });
      await pay(order.outTradeNo);
      // Ten minutes from the safety net: only the push can have made the till ask.
      await expect.poll(() => stateOf(order), { timeout: 5_000 }).toBe('paid');
    } finally {
      simulator.notifier.configure({ url: null });
    }
  });

  it('hears a refund pushed by QFPay: a refund whose answer was lost is awaited news, asked about, and recorded', async () => {
    await startTill();
    await provePushes();
    const order = await test.till.charge({ wallet: 'payme', amount: 2_000 });
    await pay(order.outTradeNo);
    expect(await notify(order.outTradeNo)).toBe('SUCCESS');
    await expect.poll(() => stateOf(order), { timeout: 5_000 }).toBe('paid');
    // QFPay refunds, and its answer is lost on the way back: the till cannot know yet.
    await simulator.control('PUT', 'faults/refund', { kind: 'http_500', afterProcessing: true, times: 1 });
    const refund = await test.till.refund(order.outTradeNo, 500);
    expect(refund.state).toBe('unknown');
    expect(test.till.awaitsNewsOf(refund.outTradeNo)).toBe(true);
    expect(await notify(refund.outTradeNo, 'refund')).toBe('SUCCESS');
    await expect.poll(() => test.store.refund(refund.id).state, { timeout: 5_000 }).toBe('succeeded');
  });

  it('goes back to polling when its LISTEN connection drops, confirms meanwhile, and trusts pushes again once it hears them', async () => {
    await startTill();
    await provePushes();
    // The head office ends the till's connection (a restart, a network fault).
    await pool.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'qfpos-listen%'");
    await expect.poll(() => push.status()).toEqual({ mode: 'polling', checkEveryMs: 2_000, reason: 'not_listening' });
    // A sale while it is lost: confirmed by the till's own checks, no notification needed.
    const order = await test.till.charge({ wallet: 'fps', amount: 800 });
    await pay(order.outTradeNo);
    await expect.poll(() => stateOf(order), { timeout: 5_000 }).toBe('paid');
    // Reconnected by itself; the merchant's pushes were seen minutes ago at most, so they are trusted again.
    await expect.poll(() => push.listenerState().listening, { timeout: 5_000 }).toBe(true);
    await expect.poll(() => push.status().mode).toBe('pushed');
  });

  it('goes back to polling when the relay stops, and ignores another merchant\'s notifications', async () => {
    await startTill();
    await provePushes();
    await relay?.close();
    relay = undefined;
    await expect.poll(() => push.status()).toEqual({ mode: 'polling', checkEveryMs: 2_000, reason: 'no_relay' });
    relay = await startRelay({ pool, keys: new Map([['ANOTHERMERCHANT', 'another-merchant-key'], [simulator.credentials.appCode, simulator.credentials.clientKey]]), log: () => undefined });
    await expect.poll(() => push.status().mode).toBe('pushed');
    const order = await test.till.charge({ wallet: 'unionpay', amount: 900 });
    await pay(order.outTradeNo);
    const before = queries();
    // Signed by another merchant's key: stored for that merchant, and no business of this till.
    expect(await notify(order.outTradeNo, 'payment', 'another-merchant-key')).toBe('SUCCESS');
    await sleep(500);
    expect(queries()).toBe(before);
    expect(stateOf(order)).toBe('waiting');
  });
});
