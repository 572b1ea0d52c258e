import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../electron/services/till/callBudget';
import { createPoller } from '../../electron/services/till/poller';
import type { OrderRecord } from '../../electron/services/ledger/ledgerStore';
import { tillsOnSimulator } from '../support/till';

const { simulator, open } = tillsOnSimulator();

describe('the poller', () => {
  it('resumes open orders on start and announces the payment when QFPay has it', async () => {
    const test = open({ pollIntervalMs: 200 });
    const order = await test.till.charge({ wallet: 'wechat', amount: 4200 });
    const poller = createPoller(test.till);
    const paid = new Promise<OrderRecord>((resolve) => test.till.events.on('order', (update) => update.state === 'paid' && resolve(update)));
    poller.start();
    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    expect((await paid).id).toBe(order.id);
    await poller.stop();
  });

  it('backs off while QFPay answers 429, and recovers', async () => {
    const test = open({ pollIntervalMs: 100 });
    await test.till.charge({ wallet: 'fps', amount: 100 });
    await simulator.control('PUT', 'faults/query', { kind: 'http_429' });
    await simulator.control('DELETE', 'requests');
    const poller = createPoller(test.till);
    poller.start();
    await sleep(1_000);
    const throttled = simulator.requests().filter((entry) => entry.endpoint === 'query').length;
    // 100 ms without backoff would be ~10 calls; doubling (100, 200, 400, 800) makes at most 4.
    expect(throttled).toBeLessThanOrEqual(4);
    expect(poller.consecutiveFailures).toBeGreaterThan(0);
    await simulator.control('DELETE', 'faults');
    // The next try is at most 1.6 s away (the fourth doubling); it succeeds and the count resets.
    for (let waited = 0; poller.consecutiveFailures > 0 && waited < 5_000; waited += 100) await sleep(100);
    expect(poller.consecutiveFailures).toBe(0);
    await poller.stop();
  });

  it('checks a new live QR at the live pace, and goes back to the idle pace once it is over', async () => {
    const test = open({ pollIntervalMs: 2_000, liveCheckIntervalMs: 300 });
    const poller = createPoller(test.till);
    poller.start();
    await sleep(100);
    await simulator.control('DELETE', 'requests');
    const order = await test.till.charge({ wallet: 'fps', amount: 4200 });
    const queries = () => simulator.requests().filter((entry) => entry.endpoint === 'query').length;
    await sleep(2_000);
    // About every 300 ms, the first one 300 ms after the QR appeared (not at the idle 2 s).
    expect(queries()).toBeGreaterThanOrEqual(4);
    await test.till.cancel(order.id);
    await sleep(300);
    const before = queries();
    await sleep(2_000);
    expect(queries() - before).toBeLessThanOrEqual(2);
    await poller.stop();
  });

  it('doubles its delay up to a minute, and honours Retry-After', () => {
    expect([0, 1, 2, 3].map((failures) => backoffDelay(3_000, failures))).toEqual([3_000, 6_000, 12_000, 24_000]);
    expect(backoffDelay(3_000, 10)).toBe(60_000);
    expect(backoffDelay(3_000, 1, 30)).toBe(30_000);
  });
});
