import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryFields } from '../../shared/qfpay/requests';
import type { TestSimulator } from '../support/simulator';
import { startTillOnSimulator, type TillOnSimulator } from '../support/till';

/**
 * QFPay searches only the current month unless a query names a window, so an order still open
 * at midnight on the last day of a month comes back empty on the 1st. Both clocks, the
 * simulator's and the till's, are moved across a Hong Kong month end with orders open.
 */

let simulator: TestSimulator;
let test: TillOnSimulator;
// 2026-10-31 23:58:00 in Hong Kong (UTC+8).
const BEFORE_MIDNIGHT = Date.UTC(2026, 9, 31, 15, 58, 0);

// A gateway of its own for each test: its clock is moved.
beforeEach(async () => {
  test = await startTillOnSimulator();
  simulator = test.simulator;
  await moveClocksTo(BEFORE_MIDNIGHT);
});
afterEach(() => test.close());

/** Both clocks to the same instant: the gateway's and the till's. */
async function moveClocksTo(instant: number) {
  const offset = instant - Date.now();
  await simulator.control('PUT', 'clock', { offsetMs: offset });
  test.advance(instant - test.clock());
}

const queries = () => simulator.requests().filter((entry) => entry.endpoint === 'query');

describe('a month end crossed with orders open', () => {
  it('finds October’s orders in November through a window inside October, and pays one', async () => {
    const fps = await test.till.charge({ wallet: 'fps', amount: 3_100, qrLifetimeMinutes: 30 });
    const octopus = await test.till.charge({ wallet: 'octopus', amount: 3_200, qrLifetimeMinutes: 30 });
    expect(fps.sysdtm?.startsWith('2026-10-31 23:58')).toBe(true);

    await moveClocksTo(BEFORE_MIDNIGHT + 5 * 60_000);
    // The bug's mechanism: asked without a window, QFPay has "no such order" any more.
    const plain = queryFields({ outTradeNos: [fps.outTradeNo, octopus.outTradeNo] });
    const bare = await simulator.client().query(plain.ok ? plain.value : {});
    expect(bare).toMatchObject({ kind: 'success', body: { data: [] } });

    await simulator.control('DELETE', 'requests');
    await test.till.checkOpenOrders({ includeWatched: true });
    expect(test.store.order(fps.id)).toMatchObject({ state: 'waiting', attention: null, gatewaySettled: false });
    const asked = queries();
    expect(asked).toHaveLength(1);
    expect(asked[0]?.fields).toMatchObject({ start_time: '2026-10-01 00:00:00', end_time: '2026-10-31 23:59:59' });

    await simulator.control('POST', `orders/${fps.outTradeNo}/pay`);
    await test.till.checkOpenOrders({ includeWatched: false });
    expect(test.store.order(fps.id)).toMatchObject({ state: 'paid' });

    // Much later, still in November: the unpaid one is never written off by an empty answer.
    await moveClocksTo(BEFORE_MIDNIGHT + 60 * 60_000);
    await test.till.checkOpenOrders({ includeWatched: true });
    const after = test.store.order(octopus.id);
    // QFPay itself says what became of it: expired (its 30 minutes are over), found in October.
    expect(after).toMatchObject({ state: 'expired', gatewaySettled: true });
  });

  it('an order whose answer was lost a minute before midnight is looked for in both months', async () => {
    await simulator.control('PUT', 'faults/payment', { kind: 'hang', afterProcessing: true, times: 1 });
    const lost = await test.till.charge({ wallet: 'payme', amount: 880, qrLifetimeMinutes: 30 });
    expect(lost).toMatchObject({ state: 'unknown', sysdtm: null });
    await moveClocksTo(BEFORE_MIDNIGHT + 3 * 60_000);
    await simulator.control('DELETE', 'requests');
    await simulator.control('POST', `orders/${lost.outTradeNo}/pay`);
    await test.till.checkOpenOrders({ includeWatched: false });
    expect(test.store.order(lost.id).state).toBe('paid');
    expect(queries().map((entry) => entry.fields.start_time).sort()).toEqual(['2026-10-01 00:00:00', '2026-11-01 00:00:00']);
  });

  it('a refund in November of an October payment, its answer lost, is found in November and not paid out twice', async () => {
    const order = await test.till.charge({ wallet: 'alipay', amount: 6_000 });
    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    await test.till.checkOpenOrders({ includeWatched: false });
    await moveClocksTo(BEFORE_MIDNIGHT + 10 * 60_000);
    await simulator.control('PUT', 'faults/refund', { kind: 'http_500', afterProcessing: true, times: 1 });
    const refund = await test.till.refund(order.id);
    expect(refund.state).toBe('unknown');
    await test.till.checkOpenOrders({ includeWatched: false });
    expect(test.store.refund(refund.id)).toMatchObject({ state: 'succeeded', sysdtm: expect.stringMatching(/^2026-11-01/) });
    await expect(test.till.refund(order.id)).rejects.toMatchObject({ code: 'order_fully_refunded' });
    expect((await simulator.control('GET', `orders/${order.outTradeNo}`)).json.refunded).toBe(6_000);
  });
});
