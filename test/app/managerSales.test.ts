import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NewOrder } from '../../electron/services/ledger/ledgerStore';
import { hongKongDayRange } from '../../shared/hkTime';
import { catalogues } from '../../shared/i18n/words';
import { appOnSimulator } from '../support/app';
import { orderFields, paidOrder } from '../support/ledger';

/**
 * Issue 24's "find an order" and "the day at a glance", through the validated IPC boundary of an
 * app on a real SQLite ledger: ranges of days for the list, the totals and the export, the sales
 * by hour or by day (adding up to the totals), search by number, syssn, amount, and the refusals
 * of a reversed or too long range in both languages. The ledger is written directly with fixed
 * Hong Kong times (around midnight), as the till itself writes it.
 */

const running = appOnSimulator();
const call = async (name: string, payload: unknown = {}) => running.app.dispatch('cashier', name, payload) as Promise<{ ok: boolean; value?: any; error?: any }>;

const HOUR = 3_600_000;
const MINUTE = 60_000;
const D1 = '2026-11-10';
const D2 = '2026-11-11';
const D3 = '2026-11-12';
const at = (day: string, hours: number, minutes = 0) => hongKongDayRange(day).start + hours * HOUR + minutes * MINUTE;

/** A paid order of this till's environment ('custom'), made a minute before it is paid. */
function paid(outTradeNo: string, paidAt: number, fields: Partial<NewOrder> & { syssn?: string } = {}) {
  const { syssn, ...rest } = fields;
  const { store } = running.app.runtime;
  const order = paidOrder(store, orderFields({ outTradeNo, tillId: 'till-1', environment: 'custom', createdAt: paidAt - MINUTE, ...rest }), { shownAt: paidAt - MINUTE + 1, paidAt });
  if (syssn) store.patchOrder(order.id, { syssn });
  return order;
}

function refunded(orderId: number, outTradeNo: string, amount: number, succeededAt: number, syssn: string) {
  const { store } = running.app.runtime;
  const refund = store.insertRefund({ orderId, outTradeNo, tillId: 'till-1', amount, requestFields: {}, createdAt: succeededAt - MINUTE });
  return store.transitionRefund(refund.id, 'succeeded', 'refund_succeeded', succeededAt, { syssn });
}

const sales = async (from: string, to: string) => {
  const answer = await call('managerSales', { from, to });
  expect(answer.ok).toBe(true);
  return answer.value;
};
const numbers = (page: { rows: { outTradeNo: string }[] }) => page.rows.map((row) => row.outTradeNo);
const ordersFound = async (request: Record<string, unknown>) => (await call('managerDayOrders', { day: D1, to: D3, offset: 0, limit: 200, ...request })).value;
const refundsFound = async (request: Record<string, unknown>) => (await call('managerDayRefunds', { day: D1, to: D3, offset: 0, limit: 200, ...request })).value;
const sum = (rows: readonly { amount: number }[]) => rows.reduce((total, row) => total + row.amount, 0);

beforeAll(async () => {
  expect(await call('managerSetPin', { pin: '482193' })).toMatchObject({ ok: true });
  expect(await call('managerUnlock', { pin: '482193' })).toMatchObject({ ok: true });
  // Day 1: a morning sale, one at 23:59; day 2: one at 00:01 and an AlipayHK one; day 3: a refund
  // of day 1's morning sale, and a training sale (another environment) never in the buckets.
  const morning = paid('S-20261110-0001', at(D1, 9, 30), { amount: 1_250, syssn: '20261110000123456789' });
  paid('S-20261110-0002', at(D1, 23, 59), { amount: 4_000, syssn: '20261110000198765432' });
  paid('S-20261111-0003', at(D2, 0, 1), { amount: 700, syssn: '20261111000155550000' });
  paid('S-20261111-0004', at(D2, 14, 5), { amount: 123_400, wallet: 'alipay', payType: '801501', syssn: '20261111000177770000' });
  paid('S_20261112-0005', at(D3, 10, 0), { amount: 990, syssn: '20261112000100001111' });
  paid('S%20261112-0006', at(D3, 11, 0), { amount: 991, syssn: '20261112000100002222' });
  paid('D-20261112-0007', at(D3, 12, 0), { amount: 5_000, environment: 'demo', syssn: '20261112000100003333' });
  refunded(morning.id, 'R-20261112-0001', 250, at(D3, 15, 0), '20261112000199990000');
});

describe('the sales of a range', () => {
  it('over three days are the sum of the three single days', async () => {
    const range = await sales(D1, D3);
    const days = await Promise.all([D1, D2, D3].map((day) => sales(day, day)));
    expect(range).toMatchObject({ from: D1, to: D3, environment: 'custom' });
    expect(range.orderCount).toBe(days.reduce((total, day) => total + day.orderCount, 0));
    expect(range.refundCount).toBe(1);
    for (const environment of ['custom', 'demo']) {
      const of = (view: any) => view.totals.find((totals: { environment: string }) => totals.environment === environment)?.totals ?? { payments: { count: 0, amount: 0 }, refunds: { count: 0, amount: 0 }, net: 0 };
      const added = days.map(of).reduce((total, day) => ({
        payments: { count: total.payments.count + day.payments.count, amount: total.payments.amount + day.payments.amount },
        refunds: { count: total.refunds.count + day.refunds.count, amount: total.refunds.amount + day.refunds.amount },
        net: total.net + day.net,
      }));
      expect(of(range)).toEqual(added);
    }
    expect(range.totals.find((totals: { environment: string }) => totals.environment === 'custom').totals).toEqual({
      payments: { count: 6, amount: 1_250 + 4_000 + 700 + 123_400 + 990 + 991 },
      refunds: { count: 1, amount: 250 },
      net: 1_250 + 4_000 + 700 + 123_400 + 990 + 991 - 250,
    });
    // The same money as the day's own screen.
    expect((await call('managerDay', { day: D2 })).value.totals).toEqual(days[1].totals);
  });

  it('of one day come by hour: 24 slots, zeros included, adding up to the totals; 23:59 and 00:01 fall on their own days', async () => {
    const [first, second, third] = [await sales(D1, D1), await sales(D2, D2), await sales(D3, D3)];
    for (const [view, day] of [[first, D1], [second, D2], [third, D3]] as const) {
      expect(view.buckets.unit).toBe('hour');
      expect(view.buckets.rows.map((row: { label: string }) => row.label)).toEqual(Array.from({ length: 24 }, (_, hour) => String(hour).padStart(2, '0')));
      expect(view.buckets.rows.map((row: { start: number }) => row.start)).toEqual(Array.from({ length: 24 }, (_, hour) => at(day, hour)));
      const custom = view.totals.find((totals: { environment: string }) => totals.environment === 'custom').totals;
      expect(sum(view.buckets.rows)).toBe(custom.payments.amount);
      expect(view.buckets.rows.reduce((total: number, row: { payments: number }) => total + row.payments, 0)).toBe(custom.payments.count);
      expect(view.buckets.rows.reduce((total: number, row: { refunds: number }) => total + row.refunds, 0)).toBe(custom.refunds.amount);
    }
    expect(first.buckets.rows[23]).toEqual({ label: '23', start: at(D1, 23), payments: 1, amount: 4_000, refunds: 0 });
    expect(first.buckets.rows[9]).toMatchObject({ payments: 1, amount: 1_250 });
    expect(first.buckets.rows.filter((row: { payments: number }) => row.payments === 0)).toHaveLength(22);
    expect(second.buckets.rows[0]).toEqual({ label: '00', start: at(D2, 0), payments: 1, amount: 700, refunds: 0 });
    // Day 3: the demo sale at 12:00 is in the totals (apart), not in this till's environment's hours.
    expect(third.buckets.rows[12]).toMatchObject({ payments: 0, amount: 0 });
    expect(third.buckets.rows[15]).toMatchObject({ payments: 0, amount: 0, refunds: 250 });
    expect(third.totals.map((totals: { environment: string }) => totals.environment)).toEqual(['custom', 'demo']);
  });

  it('of a week come by day: seven slots in order, zeros included, adding up to the totals', async () => {
    const week = await sales('2026-11-08', '2026-11-14');
    expect(week.buckets.unit).toBe('day');
    expect(week.buckets.rows.map((row: { label: string }) => row.label)).toEqual(['2026-11-08', '2026-11-09', D1, D2, D3, '2026-11-13', '2026-11-14']);
    expect(week.buckets.rows.map((row: { start: number }) => row.start)).toEqual(week.buckets.rows.map((row: { label: string }) => hongKongDayRange(row.label).start));
    expect(week.buckets.rows.map((row: { payments: number; amount: number; refunds: number }) => [row.payments, row.amount, row.refunds])).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [2, 5_250, 0],
      [2, 124_100, 0],
      [2, 1_981, 250],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    const custom = week.totals.find((totals: { environment: string }) => totals.environment === 'custom').totals;
    expect([sum(week.buckets.rows), week.buckets.rows.reduce((total: number, row: { refunds: number }) => total + row.refunds, 0)]).toEqual([custom.payments.amount, custom.refunds.amount]);
  });
});

describe('finding an order or a refund', () => {
  it('lists a range of days, and a blank search finds every row', async () => {
    const all = await ordersFound({});
    expect(all.matching).toBe(7);
    expect((await ordersFound({ search: '   ' })).matching).toBe(7);
    expect((await call('managerDayOrders', { day: D1, offset: 0, limit: 200 })).value.matching).toBe(2);
  });

  it('by the full order number, any case, and by the last digits of its syssn', async () => {
    expect(numbers(await ordersFound({ search: 'S-20261111-0004' }))).toEqual(['S-20261111-0004']);
    expect(numbers(await ordersFound({ search: 's-20261111-0004' }))).toEqual(['S-20261111-0004']);
    expect(numbers(await ordersFound({ search: '6789' }))).toEqual(['S-20261110-0001']);
    expect(numbers(await ordersFound({ search: '5432' }))).toEqual(['S-20261110-0002']);
  });

  it('by the amount as people type it', async () => {
    for (const typed of ['12.50', 'HK$12.50', '12.5']) expect(numbers(await ordersFound({ search: typed }))).toEqual(['S-20261110-0001']);
    expect(numbers(await ordersFound({ search: '1,234.00' }))).toEqual(['S-20261111-0004']);
    expect(numbers(await ordersFound({ search: '40' }))).toEqual(['S-20261110-0002']);
  });

  it('with % or _ matched as themselves, never as wildcards', async () => {
    expect(numbers(await ordersFound({ search: 'S_2026' }))).toEqual(['S_20261112-0005']);
    expect(numbers(await ordersFound({ search: 'S%2026' }))).toEqual(['S%20261112-0006']);
    expect((await ordersFound({ search: '%' })).matching).toBe(1);
    expect((await ordersFound({ search: '_' })).matching).toBe(1);
  });

  it('with the wallet and state filters alongside', async () => {
    expect(numbers(await ordersFound({ search: '2026', wallet: 'alipay' }))).toEqual(['S-20261111-0004']);
    expect((await ordersFound({ search: '2026', wallet: 'fps', state: 'paid' })).matching).toBe(6);
    expect((await ordersFound({ search: 'S-20261111-0004', wallet: 'fps' })).matching).toBe(0);
    expect((await ordersFound({ search: '12.50', state: 'failed' })).matching).toBe(0);
  });

  it('refunds by their own number, their order’s, their syssn or their amount', async () => {
    for (const search of ['R-20261112', 'S-20261110-0001', '9990000', '2.50', '']) expect(numbers(await refundsFound({ search }))).toEqual(['R-20261112-0001']);
    expect((await refundsFound({ search: 'S-20261111' })).matching).toBe(0);
    expect((await refundsFound({ search: '12.50' })).matching).toBe(0);
    expect((await call('managerDayRefunds', { day: D1, offset: 0, limit: 200 })).value.matching).toBe(0);
  });

  it("narrows the refunds by their order's wallet, as the wallet filter narrows the orders", async () => {
    const wallet = running.app.runtime.store.orderByNumber('S-20261110-0001')?.wallet;
    expect(wallet).not.toBe('alipay');
    expect(numbers(await refundsFound({ wallet }))).toEqual(['R-20261112-0001']);
    expect((await refundsFound({ wallet: 'alipay' })).matching).toBe(0);
    expect((await refundsFound({ wallet: 'alipay', search: 'R-20261112' })).matching).toBe(0);
  });

  it('refuses a search longer than 40 characters at the boundary', async () => {
    expect(await call('managerDayOrders', { day: D1, offset: 0, limit: 10, search: 'x'.repeat(41) })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });
});

describe('a range', () => {
  it('that ends before it starts, or covers more than 31 days, is refused in both languages', async () => {
    const reversed = { code: 'range_reversed', message: { en: catalogues.en.commandErrors.range_reversed, 'zh-HK': catalogues['zh-HK'].commandErrors.range_reversed } };
    const tooLong = { code: 'range_too_long', message: { en: catalogues.en.commandErrors.range_too_long, 'zh-HK': catalogues['zh-HK'].commandErrors.range_too_long } };
    expect(reversed.message.en).toMatch(/before its first day/);
    expect(tooLong.message['zh-HK']).toMatch(/31 日/);
    expect(await call('managerSales', { from: D3, to: D1 })).toMatchObject({ ok: false, error: reversed });
    expect(await call('managerSales', { from: '2026-11-01', to: '2026-12-02' })).toMatchObject({ ok: false, error: { ...tooLong, details: { days: 32, maxDays: 31 } } });
    expect(await call('managerSales', { from: '2026-11-01', to: '2026-12-01' })).toMatchObject({ ok: true, value: { buckets: { unit: 'day' } } });
    expect((await call('managerSales', { from: '2026-11-01', to: '2026-12-01' })).value.buckets.rows).toHaveLength(31);
    expect(await call('managerDayOrders', { day: D3, to: D1, offset: 0, limit: 10 })).toMatchObject({ ok: false, error: reversed });
    expect(await call('managerDayRefunds', { day: '2026-10-01', to: '2026-11-01', offset: 0, limit: 10 })).toMatchObject({ ok: false, error: tooLong });
    expect(await call('managerExportDay', { day: D3, to: D1 })).toMatchObject({ ok: false, error: reversed });
    expect(await call('managerExportDay', { day: '2026-10-01', to: '2026-11-01' })).toMatchObject({ ok: false, error: tooLong });
    expect(await call('managerSales', { from: D1 })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('exports as one file naming both days, with rows of each day adding up to the range’s money', async () => {
    const exported = (await call('managerExportDay', { day: D1, to: D3 })).value;
    expect(exported).toMatchObject({ fileName: `qfpay-till-1-${D1}_${D3}-custom.csv`, environment: 'custom', payments: 6, refunds: 1, otherEnvironments: ['demo'] });
    const rows = parse(exported.csv, { bom: true, columns: true }) as Record<string, string>[];
    const created = rows.filter((row) => row.record_type === 'payment').map((row) => (row.created_at ?? '').slice(0, 10));
    expect([...new Set(created)]).toEqual([D1, D2, D3]);
    expect(rows.filter((row) => row.record_type === 'refund').map((row) => row.original_out_trade_no)).toEqual(['S-20261110-0001']);
    const net = rows.reduce((total, row) => total + Math.round(Number(row.row_net_on_day) * 100), 0);
    expect(net).toBe((await sales(D1, D3)).totals.find((totals: { environment: string }) => totals.environment === 'custom').totals.net);
    // One day, as before: its own name, its own rows.
    const one = (await call('managerExportDay', { day: D2 })).value;
    expect(one).toMatchObject({ fileName: `qfpay-till-1-${D2}-custom.csv`, payments: 2, refunds: 0 });
    expect((await call('managerExportDay', { day: D2, to: D2 })).value.fileName).toBe(`qfpay-till-1-${D2}-custom.csv`);
  });
});
