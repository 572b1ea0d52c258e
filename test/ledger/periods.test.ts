import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS, exportDay } from '../../electron/services/reports/dayExport';
import { closedPeriod, closePeriod, PeriodNotClosable, periodLocator, periodsTouching, xReport } from '../../electron/services/reports/periods';
import { hongKongDay, hongKongDayRange } from '../../shared/hkTime';
import type { PeriodReport } from '../../shared/ledger/reportTypes';
import { startTestSimulator, type TestSimulator } from '../support/simulator';
import { openTestTill, type TestTill } from '../support/till';

/**
 * Z reports as periods, through a real till, a real simulator and a real SQLite file, with the
 * till's clock moved across a Hong Kong midnight: closes in the middle of a day, refunds of
 * orders from closed periods, late payments, and the rule that the Z reports touching a day add
 * up to that day's export.
 */

let simulator: TestSimulator;
let test: TestTill;
beforeAll(async () => {
  simulator = await startTestSimulator({ timeScale: 600 });
});
afterAll(async () => {
  await simulator.stop();
});
afterEach(() => test?.close());

const HOUR = 3_600_000;

/** A till whose clock starts at 10:00 Hong Kong time on a fixed day. */
function tillAt(dayStart: string) {
  test = openTestTill(simulator, { callBudgetPerMinute: 10_000 });
  const { start } = hongKongDayRange(dayStart);
  test.advance(start + 10 * HOUR - Date.now());
  return test;
}

async function paid(amount: number, wallet: 'alipay' | 'fps' | 'wechat' = 'alipay') {
  const order = await test.till.charge({ wallet, amount });
  await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
  await test.till.checkOpenOrders({ includeWatched: false });
  expect(test.store.order(order.id).state).toBe('paid');
  return test.store.order(order.id);
}

const options = () => ({ tillId: 'test-till', now: test.clock(), isMine: test.till.isMine });
const close = () => closePeriod(test.store, options());
const netOf = (report: PeriodReport) => report.environments.reduce((sum, environment) => sum + environment.totals.net, 0);
const dayShare = (report: PeriodReport, day: string) => report.environments.flatMap((environment) => environment.days).filter((entry) => entry.day === day).reduce((sum, entry) => sum + entry.net, 0);

async function exportNet(day: string): Promise<{ net: number; rows: Record<string, string>[] }> {
  const file = join(test.dbPath, '..', `${day}.csv`);
  const summary = await exportDay(test.dbPath, day, file, { environment: 'demo', now: test.clock() });
  const rows = parse(readFileSync(file), { bom: true, columns: true }) as Record<string, string>[];
  const net = rows.reduce((sum, row) => sum + Math.round(Number(row.row_net_on_day) * 100), 0);
  expect(net).toBe(summary.net);
  return { net, rows };
}

/** ISO 8601 with Hong Kong's offset, as every time in the CSV is written. */
const ISO_HK = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/;

describe("the day's CSV, one row read alone (issue 24, item 7)", () => {
  it('says in its header what a row\'s net is, writes times with +08:00, and the Z period as a number with an open flag', async () => {
    tillAt('2026-12-07');
    const sale = await paid(23_040);
    expect((await test.till.refund(sale.id, 3_000)).state).toBe('succeeded');
    const z1 = close();
    const later = await paid(1_000);
    const day = '2026-12-07';
    const file = join(test.dbPath, '..', `${day}-header.csv`);
    await exportDay(test.dbPath, day, file, { environment: 'demo', now: test.clock() });
    const text = readFileSync(file, 'utf8');
    // The header as an accountant sees it: what net is, in its name; the refund's money in its own row.
    expect(text.replace(/^\uFEFF/, '').split('\n')[0]).toBe(
      'record_type,created_at,paid_or_refunded_at,till,environment,wallet,pay_type,out_trade_no,syssn,original_out_trade_no,amount,currency,state,refunded_in_refund_rows,row_net_on_day,goods_name,respcd,message,counted_at,z_period,wallet_zh_hk,alipay_region,mode,z_period_open',
    );
    expect(EXPORT_COLUMNS.join(',')).toBe(text.replace(/^\uFEFF/, '').split('\n')[0]);
    const rows = parse(readFileSync(file), { bom: true, columns: true }) as Record<string, string>[];
    const payment = rows.find((row) => row.record_type === 'payment' && row.out_trade_no === sale.outTradeNo);
    const refund = rows.find((row) => row.record_type === 'refund');
    // The payment row: its whole amount as this row's net, the refund named as being in the refund rows.
    expect(payment).toMatchObject({ amount: '230.40', refunded_in_refund_rows: '30.00', row_net_on_day: '230.40', z_period: '1', z_period_open: 'no' });
    expect(refund).toMatchObject({ original_out_trade_no: sale.outTradeNo, amount: '30.00', refunded_in_refund_rows: '', row_net_on_day: '-30.00', z_period: '1', z_period_open: 'no' });
    expect(rows.find((row) => row.out_trade_no === later.outTradeNo)).toMatchObject({ row_net_on_day: '10.00', z_period: '2', z_period_open: 'yes' });
    // Every time says its zone; the till's own clock wrote created_at and counted_at: 10:00 Hong Kong time.
    for (const row of rows) {
      for (const column of ['created_at', 'paid_or_refunded_at', 'counted_at'] as const) expect(row[column], `${row.out_trade_no} ${column}`).toMatch(ISO_HK);
    }
    expect(payment?.created_at).toMatch(/^2026-12-07T10:00:\d\d\+08:00$/);
    // Summing the column gives the day's takings once: 230.40 - 30.00 + 10.00, Z 1's share and the open period's.
    expect(rows.reduce((sum, row) => sum + Math.round(Number(row.row_net_on_day) * 100), 0)).toBe(23_040 - 3_000 + 1_000);
    expect(netOf(z1)).toBe(23_040 - 3_000);
  });
});

describe('periods', () => {
  it('a close in the middle of the day; the next sale opens the next period; old orders refunded later count where the refund happened', async () => {
    tillAt('2026-11-20');
    const day = '2026-11-20';
    const a = await paid(10_000);
    const b = await paid(20_000, 'fps');
    test.advance(HOUR);
    const z1 = close();
    expect(z1).toMatchObject({ kind: 'Z', number: 1, environments: [expect.objectContaining({ environment: 'demo', training: true, totals: expect.objectContaining({ net: 30_000 }) })] });

    // After the close, sales go into period 2, and the screens say so.
    test.advance(HOUR);
    const c = await paid(5_000, 'wechat');
    const locate = periodLocator(test.store, test.clock());
    const moneyOf = (id: number) => test.store.db.prepare<[number], { id: number }>("SELECT MIN(id) AS id FROM transitions WHERE order_id = ? AND to_state = 'paid'").get(id)?.id as number;
    expect(locate(moneyOf(a.id))).toEqual({ number: 1, open: false });
    expect(locate(moneyOf(c.id))).toEqual({ number: 2, open: true });
    expect(xReport(test.store, options())).toMatchObject({ kind: 'X', number: 2, closedAt: null });

    // A refund of an order from the closed period belongs to the period it happens in.
    const refund = await test.till.refund(a.id, 3_000);
    expect(refund.state).toBe('succeeded');
    expect(closedPeriod(test.store, 1)).toEqual(z1);

    // A late payment: cancelled, then paid by the customer, then kept by the manager.
    const late = await test.till.charge({ wallet: 'fps', amount: 700 });
    await test.till.cancel(late.id);
    await simulator.control('POST', `orders/${late.outTradeNo}/pay`);
    await test.till.checkOpenOrders({ includeWatched: true });
    expect(test.store.order(late.id).state).toBe('paid_late');
    expect(() => close()).toThrow(PeriodNotClosable);
    test.till.keepLatePayment(late.id);

    test.advance(HOUR);
    const z2 = close();
    expect(z2).toMatchObject({ number: 2 });
    expect(z2.environments[0]?.totals).toEqual({ payments: { count: 2, amount: 5_700 }, refunds: { count: 1, amount: 3_000 }, net: 2_700 });
    expect(z2.openedAt).toBe(z1.closedAt);

    // The next day: a refund of an order from period 1, and a new sale.
    test.advance(14 * HOUR);
    const next = hongKongDay(test.clock());
    expect(next).toBe('2026-11-21');
    await test.till.refund(b.id, 5_000);
    await paid(1_000);
    const x = xReport(test.store, options());
    expect(x).toMatchObject({ number: 3, environments: [expect.objectContaining({ totals: expect.objectContaining({ net: -4_000 }), days: [{ day: next, net: -4_000 }] })] });

    // The Z reports that touch a day, and the open period's share of it, add up to that day's export.
    expect(periodsTouching(test.store, day).map((report) => report.number)).toEqual([1, 2]);
    const first = await exportNet(day);
    expect(first.net).toBe(netOf(z1) + netOf(z2));
    expect(first.net).toBe(dayShare(z1, day) + dayShare(z2, day) + dayShare(x, day));
    const second = await exportNet(next);
    expect(second.net).toBe(dayShare(x, next));
    // The refund of b shows on the day it happened, not on b's day, and names its period.
    const refundRow = second.rows.find((row) => row.record_type === 'refund');
    expect(refundRow).toMatchObject({ original_out_trade_no: b.outTradeNo, row_net_on_day: '-50.00', z_period: '3', z_period_open: 'yes' });
    expect(first.rows.find((row) => row.out_trade_no === a.outTradeNo)).toMatchObject({ row_net_on_day: '100.00', z_period: '1', z_period_open: 'no' });
  });

  it('a QR cancelled before midnight and paid after counts on the day and in the period it was paid', async () => {
    tillAt('2026-11-22');
    test.advance(13 * HOUR + 55 * 60_000); // 23:55
    const order = await test.till.charge({ wallet: 'fps', amount: 4_200, qrLifetimeMinutes: 30 });
    // The customer walks away; the QR is still payable at QFPay, so the till keeps watching it.
    await test.till.cancel(order.id);
    const z1 = close();
    expect(netOf(z1)).toBe(0);
    test.advance(10 * 60_000); // 00:05 the next day
    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    await test.till.checkOpenOrders({ includeWatched: true });
    expect(test.store.order(order.id).state).toBe('paid_late');
    test.till.keepLatePayment(order.id);
    const z2 = close();
    expect(z2.environments[0]?.days).toEqual([{ day: '2026-11-23', net: 4_200 }]);
    const before = await exportNet('2026-11-22');
    const after = await exportNet('2026-11-23');
    // The order is listed on the day it was made (no money that day) and on the day it was paid.
    expect(before.rows.find((row) => row.out_trade_no === order.outTradeNo)).toMatchObject({ row_net_on_day: '0.00', state: 'paid', counted_at: expect.stringMatching(/^2026-11-23T00:05:\d\d\+08:00$/) });
    expect(after.rows.find((row) => row.out_trade_no === order.outTradeNo)).toMatchObject({ row_net_on_day: '42.00', z_period: '2', z_period_open: 'no' });
    expect(before.net).toBe(dayShare(z1, '2026-11-22') + dayShare(z2, '2026-11-22'));
    expect(after.net).toBe(dayShare(z2, '2026-11-23'));
  });

  it('a payment stamped by a clock a moment behind still adds up on its own day', async () => {
    tillAt('2026-11-25');
    await paid(1_000);
    test.advance(14 * HOUR); // 00:00 on the 26th
    const z1 = close();
    // Another process's clock, ten seconds behind, records a payment after the close: 23:59:50 on the 25th.
    test.advance(-10_000);
    await paid(2_500);
    test.advance(HOUR);
    const z2 = close();
    expect(z2.openedAt).toBe(z1.closedAt);
    expect(periodsTouching(test.store, '2026-11-25').map((report) => report.number)).toEqual([1, 2]);
    expect((await exportNet('2026-11-25')).net).toBe(dayShare(z1, '2026-11-25') + dayShare(z2, '2026-11-25'));
  });

  it('leaves out what a day report of ledger schema 1 counted, and nothing else', async () => {
    tillAt('2026-11-10');
    const counted = await paid(1_000); // made and paid on the 10th, before its day was closed
    const late = await test.till.charge({ wallet: 'fps', amount: 700 });
    await test.till.cancel(late.id);
    test.advance(23 * HOUR); // 09:00 on the 11th
    const earlyNextDay = await paid(2_000); // made on the 11th before the 10th was closed
    // Schema 1 closed the 10th at 09:00 on the 11th, as day report no. 4.
    const closedAt = test.clock() + 60_000;
    test.store.db.prepare('INSERT INTO z_reports (number, day, till_id, closed_at, report) VALUES (4, ?, ?, ?, ?)').run('2026-11-10', 'test-till', closedAt, '{}');
    test.advance(2 * 60_000);
    // The 10th's cancelled QR is paid after its day report: that money was not in it.
    await simulator.control('POST', `orders/${late.outTradeNo}/pay`);
    await test.till.checkOpenOrders({ includeWatched: true });
    test.till.keepLatePayment(late.id);

    const x = xReport(test.store, options());
    expect(x.number).toBe(5);
    expect(x.environments[0]?.totals).toMatchObject({ payments: { count: 2, amount: 2_700 } });
    const locate = periodLocator(test.store, test.clock());
    const moneyOf = (id: number) => test.store.db.prepare<[number], { id: number }>("SELECT MIN(id) AS id FROM transitions WHERE order_id = ? AND to_state IN ('paid', 'paid_late')").get(id)?.id as number;
    expect(locate(moneyOf(counted.id))).toEqual({ number: 0, open: false });
    expect(locate(moneyOf(earlyNextDay.id))).toEqual({ number: 5, open: true });
    expect(locate(moneyOf(late.id))).toEqual({ number: 5, open: true });
    expect(close()).toMatchObject({ number: 5 });
  });

  it('refuses to close while anything is open or before a manager, and never changes a closed period', async () => {
    tillAt('2026-11-24');
    await paid(100);
    const open = await test.till.charge({ wallet: 'octopus', amount: 300 });
    expect(() => close()).toThrow(PeriodNotClosable);
    await simulator.control('PUT', 'faults/query', { kind: 'empty' });
    test.advance(11 * 60_000);
    await test.till.checkOpenOrders({ includeWatched: true });
    expect(test.store.order(open.id).attention).toBe('no_final_answer');
    try {
      close();
      expect.unreachable('the close should be refused');
    } catch (error) {
      expect((error as PeriodNotClosable).unresolved).toMatchObject({ beforeManager: 1, orders: 0 });
    }
    await simulator.control('DELETE', 'faults');
    await test.till.decideOrder(open.id, 'not_paid', 'cancelled with the customer; not in the QFPay portal');
    const z = close();
    expect(z.unresolved).toEqual({ orders: 0, latePayments: 0, refunds: 0, beforeManager: 0, otherGateway: 0 });
    expect(() => test.store.db.prepare('UPDATE z_periods SET closed_at = 0').run()).toThrow(/never changes/);
    expect(() => test.store.db.prepare('DELETE FROM z_periods').run()).toThrow(/never changes/);
  });
});
