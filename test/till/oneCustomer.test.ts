import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { tillsOnSimulator, type TestTillOptions } from '../support/till';

/**
 * One customer at a time (shared/ledger/saleInProgress), through a real till on a real ledger
 * file and a real simulator: two charges at once, a second process's charge, and the way out of
 * a sale that a crashed process left half-sent. And what a close's answer proves, at the till.
 */
const { simulator, open } = tillsOnSimulator();
const till = (options: TestTillOptions = {}) => open({}, options);
const payments = () => simulator.requests().filter((entry) => entry.endpoint === 'payment');
const refusalOf = (promise: Promise<unknown>) => promise.then(() => 'charged', (error: { code?: string; details?: unknown }) => error);

describe('one customer at a time', () => {
  it('lets one of two charges made at once through, and refuses the other before it reaches QFPay', async () => {
    const test = till();
    const [first, second] = await Promise.allSettled([test.till.chargeNextCustomer({ wallet: 'fps', amount: 500 }), test.till.chargeNextCustomer({ wallet: 'fps', amount: 500 })]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { state: 'waiting' } });
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'payment_in_progress' } });
    expect(payments()).toHaveLength(1);
  });

  it('refuses, under the ledger’s write lock, a charge from another process on the same ledger', async () => {
    const app = till();
    const cli = till({ dbPath: app.dbPath });
    const taken = await app.till.chargeNextCustomer({ wallet: 'payme', amount: 800 });
    // The other process's charge, past its own early check: only the check inside the insert is left.
    const refused = await refusalOf(cli.till.charge({ wallet: 'payme', amount: 800 }, { oneCustomer: true }));
    expect(refused).toMatchObject({ code: 'payment_in_progress', details: { outTradeNo: taken.outTradeNo, state: 'waiting' } });
    expect(payments()).toHaveLength(1);
    expect(cli.store.activeOrders()).toHaveLength(1);
  });

  it('frees the counter from a sale a crashed process left half-sent, once the cashier cancels it', async () => {
    const crashed = till();
    await simulator.control('PUT', 'faults/payment', { kind: 'hang', times: 1 });
    const charging = crashed.till.charge({ wallet: 'fps', amount: 1200 }).catch(() => undefined);
    while (crashed.store.activeOrders().length === 0) await sleep(10);
    crashed.db.close(); // killed: its folder stays, as a dead process leaves it
    await charging;

    const restarted = till({ dbPath: crashed.dbPath });
    const [left] = restarted.store.activeOrders();
    expect(left?.state).toBe('created');
    const refused = await refusalOf(restarted.till.chargeNextCustomer({ wallet: 'fps', amount: 300 }));
    expect(refused).toMatchObject({ code: 'payment_in_progress', details: { outTradeNo: left?.outTradeNo, state: 'created' } });
    expect(String((refused as Error).message)).toContain('check it');

    await restarted.till.cancel(left?.outTradeNo as string);
    // Its sender is gone for good once no client could still be waiting for the answer.
    restarted.advance(31_000);
    await restarted.till.checkOpenOrders({ includeWatched: false });
    const cancelled = restarted.store.order(left?.id as number);
    expect(cancelled).toMatchObject({ state: 'cancelled', gatewaySettled: false });
    expect(await restarted.till.chargeNextCustomer({ wallet: 'fps', amount: 300 })).toMatchObject({ state: 'waiting' });
  });
});

describe('what a close proves, at the till', () => {
  it.each([
    ['1142', true],
    ['1263', true],
    ['1294', false],
    ['9999', false],
  ])('a close answered %s settles the order: %s', async (respcd, settled) => {
    const test = till();
    const order = await test.till.charge({ wallet: 'wechat', amount: 600, qrLifetimeMinutes: 30 });
    await simulator.control('PUT', 'faults/close', { kind: 'respcd', respcd, times: 1 });
    const cancelled = await test.till.cancel(order.outTradeNo);
    expect(cancelled).toMatchObject({ state: 'cancelled', gatewaySettled: settled });
  });
});
