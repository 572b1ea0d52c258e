import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main';
import { reconcileDay } from '../../electron/services/reports/reconciliation';
import { hongKongDay, hongKongDayRange } from '../../shared/hkTime';
import { reconciliationReasonWords } from '../../shared/i18n/reconciliationWords';
import { startTestSimulator, tempFolder, tillEnvironment, type TestSimulator } from '../support/simulator';
import { openTestTill, type TestTill } from '../support/till';

/**
 * A Hong Kong business day compared with QFPay's own records, through a real simulator (paged
 * window queries) and real ledgers: matched, at QFPay only, differs, still open.
 */

let simulator: TestSimulator;
let test: TestTill;
beforeEach(async () => {
  simulator = await startTestSimulator();
  test = openTestTill(simulator, { callBudgetPerMinute: 10_000 });
});
afterEach(async () => {
  test.close();
  await simulator.stop();
});

const runtime = () => ({ store: test.store, till: test.till, clock: test.clock });
const today = () => hongKongDay(test.clock());

async function paid(amount: number) {
  const order = await test.till.charge({ wallet: 'wechat', amount });
  await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
  await test.till.checkOpenOrders({ includeWatched: false });
  return test.store.order(order.id);
}

describe('a day compared with QFPay', () => {
  it('agrees when every payment and refund matches, whatever labels QFPay leaves off', async () => {
    const a = await paid(1_000);
    await paid(2_000);
    await test.till.refund(a.id, 400);
    await simulator.control('PUT', 'faults/payment', { kind: 'respcd', respcd: '1201', times: 1 });
    expect((await test.till.charge({ wallet: 'alipay', amount: 50 })).state).toBe('failed');
    const cancelled = await test.till.charge({ wallet: 'unionpay', amount: 70 });
    await test.till.cancel(cancelled.id);
    await simulator.control('PUT', 'faults/query', { kind: 'unlabelled' });

    const result = await reconcileDay(runtime(), today());
    expect(result).toMatchObject({ agrees: true, counts: { matched: 5, differs: 0, atQfpayOnly: 0, open: 0 }, lines: [], requests: 1, qfpayRecords: 4 });
    expect(test.store.latestReconciliation(today(), 'demo')).toEqual(result);
  });

  it('names what QFPay holds that this ledger does not (another till on the same credentials), and what is still open', async () => {
    await paid(1_000);
    const other = openTestTill(simulator, { tillId: 'till-2' });
    try {
      const theirs = await other.till.charge({ wallet: 'fps', amount: 999 });
      const open = await test.till.charge({ wallet: 'octopus', amount: 500 });
      const result = await reconcileDay(runtime(), today());
      expect(result.agrees).toBe(false);
      expect(result.counts).toEqual({ matched: 1, atQfpayOnly: 1, differs: 0, open: 1 });
      expect(result.lines).toContainEqual(expect.objectContaining({ category: 'at_qfpay_only', outTradeNo: theirs.outTradeNo, why: { code: 'not_in_ledger', till: 'till-2' } }));
      expect(result.lines).toContainEqual(expect.objectContaining({ category: 'open', outTradeNo: open.outTradeNo, why: { code: 'qfpay_waiting' } }));
    } finally {
      other.close();
    }
  });

  it('says why an order cancelled at the till is still open: QFPay cannot close it, so it may yet be paid', async () => {
    const cancelled = await test.till.charge({ wallet: 'fps', amount: 700 });
    await test.till.cancel(cancelled.id);
    expect(test.store.order(cancelled.id).state).toBe('cancelled');

    const result = await reconcileDay(runtime(), today());
    expect(result.counts).toEqual({ matched: 0, atQfpayOnly: 0, differs: 0, open: 1 });
    expect(result.lines).toEqual([expect.objectContaining({ category: 'open', outTradeNo: cancelled.outTradeNo, why: { code: 'withdrawn_qfpay_open', state: 'cancelled' } })]);
    expect(reconciliationReasonWords(result.lines[0]!.why, 'en')).toMatch(/^cancelled at the till, but QFPay still holds the order open/);
    expect(reconciliationReasonWords(result.lines[0]!.why, 'zh-HK')).toMatch(/QFPay 仍保留此訂單/);

    // Paid all the same: the watch finds it, and the comparison then says it is a late payment.
    await simulator.control('POST', `orders/${cancelled.outTradeNo}/pay`);
    await test.till.checkOpenOrders({ includeWatched: true });
    const after = await reconcileDay(runtime(), today());
    expect(after.lines).toEqual([expect.objectContaining({ outTradeNo: cancelled.outTradeNo, ledger: { state: 'paid_late', amount: 700 }, why: { code: 'paid_late' } })]);
  });

  it('finds a payment the ledger wrote down as unpaid by a wrong decision', async () => {
    await simulator.control('PUT', 'faults/payment', { kind: 'http_500', afterProcessing: true, times: 1 });
    const order = await test.till.charge({ wallet: 'fps', amount: 4_400, qrLifetimeMinutes: 30 });
    await simulator.control('PUT', 'faults/query', { kind: 'empty' });
    test.advance(36 * 60_000);
    await test.till.checkOpenOrders({ includeWatched: true });
    await test.till.decideOrder(order.id, 'not_paid', 'customer said the phone died');
    await simulator.control('DELETE', 'faults');
    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    const result = await reconcileDay(runtime(), hongKongDay(order.createdAt));
    expect(result.counts.differs).toBe(1);
    expect(result.lines).toEqual([expect.objectContaining({ category: 'differs', outTradeNo: order.outTradeNo, ledger: { state: 'failed', amount: 4_400 }, why: { code: 'qfpay_paid_ledger_not', state: 'failed' } })]);
  });

  it('reads every page of a busy day (100 records a page)', async () => {
    for (let index = 0; index < 230; index += 1) await test.till.charge({ wallet: 'fps', amount: 100 + index });
    await simulator.control('DELETE', 'requests');
    const result = await reconcileDay(runtime(), today());
    expect(result).toMatchObject({ qfpayRecords: 230, requests: 3, counts: { open: 230 } });
    const pages = simulator.requests().map((entry) => [entry.fields.page, entry.fields.page_size, entry.fields.start_time]);
    expect(pages).toEqual([
      ['1', '100', `${today()} 00:00:00`],
      ['2', '100', `${today()} 00:00:00`],
      ['3', '100', `${today()} 00:00:00`],
    ]);
  });

  it('matches an order made a second before midnight that QFPay filed under the next day', async () => {
    // QFPay's clock a few seconds ahead of the till's, across a Hong Kong midnight.
    const midnight = hongKongDayRange('2026-11-20').start;
    await simulator.control('PUT', 'clock', { offsetMs: midnight + 2_000 - Date.now() });
    test.advance(midnight - 1_000 - test.clock());
    const order = await paid(3_300);
    expect(hongKongDay(order.createdAt)).toBe('2026-11-19');
    expect(order.sysdtm).toMatch(/^2026-11-20 00:00/);
    test.advance(2 * 3_600_000);
    await simulator.control('PUT', 'clock', { offsetMs: midnight + 2 * 3_600_000 - Date.now() });
    expect(await reconcileDay(runtime(), '2026-11-19')).toMatchObject({ agrees: true, qfpayRecords: 1, counts: { matched: 1 } });
    expect(await reconcileDay(runtime(), '2026-11-20')).toMatchObject({ agrees: true, qfpayRecords: 1, counts: { matched: 1 } });
  });
});

describe('reconcile --day in the CLI', () => {
  it('exits 0 when the books agree, 4 while something is open, 6 when they differ', async () => {
    const folder = tempFolder('qfpos-reconcile-');
    try {
      const env = tillEnvironment(simulator, folder.path);
      const day = hongKongDay(Date.now());
      const charged = (await runCli(['charge', '--amount', '9.00', '--wallet', 'alipay', '--json'], env)).json as { order: { outTradeNo: string } };
      const open = await runCli(['reconcile', '--day', day], env);
      expect(open.exitCode).toBe(4);
      expect(open.lines.join('\n')).toContain('still open (1)');
      await simulator.control('POST', `orders/${charged.order.outTradeNo}/pay`);
      const agrees = await runCli(['reconcile', '--day', day], env);
      expect(agrees.exitCode).toBe(0);
      expect(agrees.lines[0]).toMatch(new RegExp(`^${day} \\(custom\\): agrees with QFPay at \\d\\d:\\d\\d \\(1 matched\\)$`));
      await runCli(['charge', '--amount', '1.00', '--wallet', 'fps'], { ...tillEnvironment(simulator, join(folder.path, 'other')), QFPOS_TILL: 'till-9' });
      const differs = await runCli(['reconcile', '--day', day, '--json'], env);
      expect(differs.exitCode).toBe(6);
      expect((differs.json as any).reconciliation.counts).toMatchObject({ atQfpayOnly: 1, matched: 1 });
      await simulator.control('PUT', 'faults/query', { kind: 'http_500' });
      expect((await runCli(['reconcile', '--day', day], env)).exitCode).toBe(4);
    } finally {
      folder.remove();
    }
  });
});
