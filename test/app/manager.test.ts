import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { hongKongDay } from '../../shared/hkTime';
import { COMMAND_NAMES, needsManager, type CommandName } from '../../shared/ipc/contract';
import { appOnSimulator } from '../support/app';

const running = appOnSimulator();

const call = async (name: string, payload: unknown = {}) => running.app.dispatch('cashier', name, payload) as Promise<{ ok: boolean; value?: any; error?: any }>;
const today = () => hongKongDay(running.app.runtime.clock());
/** Every order of today, through the pages the screen asks for. */
async function dayOrders() {
  const first = (await call('managerDayOrders', { day: today(), offset: 0, limit: 200 })).value;
  expect(first.matching).toBe(first.rows.length);
  return first.rows;
}

async function paidOrder(amount: number, wallet = 'alipay') {
  const charged = await call('charge', { amount, wallet });
  const number = charged.value.order.outTradeNo as string;
  await running.simulator.control('POST', `orders/${number}/pay`);
  await running.app.runtime.poller.reconcile();
  return number;
}

describe("the manager's commands", () => {
  const managerCommands = COMMAND_NAMES.filter((name) => needsManager(name as CommandName));

  it.each(managerCommands)('%s is refused until the manager PIN is entered', async (name) => {
    expect(await call(name, { day: today(), outTradeNo: 'X-P1' })).toMatchObject({ ok: false, error: { code: 'manager_locked' } });
    // And never from the customer display, PIN or not.
    expect(await running.app.dispatch('display', name, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('needs a PIN set, then the right one; a wrong one counts down and changes nothing', async () => {
    expect(await call('managerUnlock', { pin: '1234' })).toMatchObject({ ok: false, error: { code: 'pin_not_set' } });
    expect(await call('managerSetPin', { pin: '12a456' })).toMatchObject({ ok: false, error: { code: 'pin_invalid', message: { en: 'A new manager PIN is 6 to 8 digits, numbers only.' } } });
    expect(await call('managerSetPin', { pin: '12' })).toMatchObject({ ok: false, error: { code: 'pin_invalid' } });
    // Four or five digits no longer make a new PIN, said in both languages; nothing is set.
    for (const short of ['4821', '48219']) {
      expect(await call('managerSetPin', { pin: short })).toEqual({
        ok: false,
        error: { code: 'pin_invalid', message: { en: 'A new manager PIN is 6 to 8 digits, numbers only.', 'zh-HK': '新的經理密碼須為 6 至 8 位數字，只可使用數字。' }, details: {} },
      });
    }
    expect(await call('managerUnlock', { pin: '4821' })).toMatchObject({ ok: false, error: { code: 'pin_not_set' } });
    expect(await call('managerSetPin', { pin: '123456789' })).toMatchObject({ ok: false, error: { code: 'pin_invalid' } });
    expect(await call('managerSetPin', { pin: '482193' })).toMatchObject({ ok: true });
    // Once set, it cannot be replaced from a locked screen.
    expect(await call('managerSetPin', { pin: '000000' })).toMatchObject({ ok: false, error: { code: 'pin_already_set' } });
    expect(await call('managerUnlock', { pin: '000000' })).toMatchObject({ ok: false, error: { code: 'pin_wrong', details: { triesLeft: 4 } } });
    expect(await call('managerDay', { day: today() })).toMatchObject({ ok: false, error: { code: 'manager_locked' } });
    expect(await call('managerUnlock', { pin: '482193' })).toEqual({ ok: true, value: { unlockedUntil: expect.any(Number), mustChangePin: false } });
    expect(await call('managerDay', { day: today() })).toMatchObject({ ok: true });
  });

  it('refunds through QFPay, in part and in full, never more than was paid', async () => {
    const number = await paidOrder(1230);
    const partial = await call('managerRefund', { outTradeNo: number, amount: 230 });
    expect(partial).toMatchObject({ ok: true, value: { refund: { state: 'succeeded', amount: 230, orderOutTradeNo: number }, order: { refunded: 230 } } });
    expect(await call('managerRefund', { outTradeNo: number, amount: 1001 })).toMatchObject({ ok: false, error: { code: 'refund_exceeds_refundable', details: { refundable: 1000 } } });
    expect(await call('managerRefund', { outTradeNo: number, amount: 10.5 })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await call('managerRefund', { outTradeNo: number })).toMatchObject({ ok: true, value: { refund: { amount: 1000 } } });
    expect((await running.simulator.control('GET', `orders/${number}`)).json.refunded).toBe(1230);
    const detail = await call('managerOrder', { outTradeNo: number });
    expect(detail.value.refunds).toHaveLength(2);
    expect(detail.value.history.map((step: { toState: string }) => step.toState)).toEqual(['created', 'waiting', 'paid']);
  });

  it("shows the day: every order and refund, the day's money by environment, and the open period", async () => {
    await paidOrder(500, 'fps');
    const day = (await call('managerDay', { day: today() })).value;
    const orders = await dayOrders();
    const refunds = (await call('managerDayRefunds', { day: today(), offset: 0, limit: 200 })).value.rows;
    expect([day.orderCount, day.refundCount]).toEqual([orders.length, refunds.length]);
    const paid = orders.filter((order: { state: string }) => order.state === 'paid');
    const refunded = refunds.filter((refund: { state: string }) => refund.state === 'succeeded');
    const sum = (rows: { amount: number }[]) => rows.reduce((total, row) => total + row.amount, 0);
    expect(day.environment).toBe('custom');
    expect(day.totals).toHaveLength(1);
    expect(day.totals[0]).toMatchObject({
      environment: 'custom',
      training: false,
      totals: { payments: { count: paid.length, amount: sum(paid) }, refunds: { count: refunded.length, amount: sum(refunded) }, net: sum(paid) - sum(refunded) },
    });
    expect(day.totals[0].wallets.find((wallet: { wallet: string }) => wallet.wallet === 'fps').payments).toEqual({ count: 1, amount: 500 });
    // Nothing closed yet: the open period holds the same money, and each paid order says so.
    expect(day.openPeriod).toMatchObject({ kind: 'X', number: 1, closedAt: null });
    expect(day.openPeriod.environments[0].totals).toEqual(day.totals[0].totals);
    expect(paid.every((order: { period: unknown }) => JSON.stringify(order.period) === JSON.stringify({ number: 1, open: true }))).toBe(true);
    expect(day.closedPeriods).toEqual([]);
    expect(day.beforeManager).toEqual({ orders: [], refunds: [] });
  });

  it('exports the day as the CLI does, read back row by row', async () => {
    const exported = (await call('managerExportDay', { day: today() })).value;
    expect(exported).toMatchObject({ fileName: `qfpay-till-1-${today()}-custom.csv`, environment: 'custom', otherEnvironments: [] });
    const rows = parse(exported.csv, { bom: true, columns: true }) as Record<string, string>[];
    const day = (await call('managerDay', { day: today() })).value;
    expect(rows.filter((row) => row.record_type === 'payment').map((row) => row.out_trade_no).sort()).toEqual((await dayOrders()).map((order: { outTradeNo: string }) => order.outTradeNo).sort());
    expect(rows.filter((row) => row.record_type === 'refund')).toHaveLength(day.refundCount);
    const net = rows.reduce((total, row) => total + Math.round(Number(row.row_net_on_day) * 100), 0);
    expect(net).toBe(day.totals[0].totals.net);
  });

  it('decides a late payment, resolves open orders, compares the day with QFPay, and closes the period only when nothing is open', async () => {
    const charged = await call('charge', { amount: 700, wallet: 'octopus' });
    const number = charged.value.order.outTradeNo as string;
    expect(await call('managerClosePeriod')).toMatchObject({ ok: false, error: { code: 'period_not_closable' } });
    await call('cancel', { outTradeNo: number });
    await running.simulator.control('POST', `orders/${number}/pay`);
    expect(await call('managerResolveNow')).toMatchObject({ ok: true, value: { ok: true } });
    expect((await call('managerDay', { day: today() })).value.openPeriod.unresolved.latePayments).toBe(1);
    expect(await call('managerKeepLatePayment', { outTradeNo: number })).toMatchObject({ ok: true, value: { order: { state: 'paid' } } });
    const compared = await call('managerReconcileDay', { day: today() });
    expect(compared).toMatchObject({ ok: true, value: { result: { agrees: true, counts: { differs: 0, atQfpayOnly: 0, open: 0 } } } });
    expect(await call('managerReconcileDay', { day: '2999-01-01' })).toMatchObject({ ok: false, error: { code: 'day_in_future' } });
    const closed = await call('managerClosePeriod');
    expect(closed).toMatchObject({ ok: true, value: { report: { kind: 'Z', number: 1, unresolved: { orders: 0, latePayments: 0, refunds: 0, beforeManager: 0 } }, backup: { ok: true } } });
    expect(closed.value.report.reconciliation).toEqual([expect.objectContaining({ day: today(), agrees: true })]);
    // After the close, the next sale simply opens period 2.
    const next = await paidOrder(100, 'wechat');
    const day = (await call('managerDay', { day: today() })).value;
    expect(day.closedPeriods.map((report: { number: number }) => report.number)).toEqual([1]);
    expect(day.openPeriod).toMatchObject({ number: 2, environments: [expect.objectContaining({ totals: expect.objectContaining({ net: 100 }) })] });
    const orders = await dayOrders();
    expect(orders.find((order: { outTradeNo: string }) => order.outTradeNo === next).period).toEqual({ number: 2, open: true });
    expect(orders.find((order: { outTradeNo: string }) => order.outTradeNo === number).period).toEqual({ number: 1, open: false });
  });

  it('sends the day’s orders a page at a time, filtered by wallet or state, with how many match; a page too large is refused', async () => {
    const all = await dayOrders();
    expect(all.length).toBeGreaterThan(3);
    const second = (await call('managerDayOrders', { day: today(), offset: 1, limit: 2 })).value;
    expect(second).toMatchObject({ offset: 1, matching: all.length });
    expect(second.rows.map((order: { outTradeNo: string }) => order.outTradeNo)).toEqual(all.slice(1, 3).map((order: { outTradeNo: string }) => order.outTradeNo));
    const fps = (await call('managerDayOrders', { day: today(), offset: 0, limit: 200, wallet: 'fps' })).value;
    expect(fps.matching).toBe(all.filter((order: { wallet: string }) => order.wallet === 'fps').length);
    expect(fps.rows.every((order: { wallet: string }) => order.wallet === 'fps')).toBe(true);
    const paid = (await call('managerDayOrders', { day: today(), offset: 0, limit: 200, state: 'paid' })).value;
    expect(paid.matching).toBe(all.filter((order: { state: string }) => order.state === 'paid').length);
    expect(await call('managerDayOrders', { day: today(), offset: 0, limit: 201 })).toMatchObject({ ok: false, error: { code: 'invalid_request', details: { fields: ['limit'] } } });
    expect(await call('managerDayRefunds', { day: today(), offset: -1, limit: 10 })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('locks again on request', async () => {
    expect(await call('managerLock')).toMatchObject({ ok: true });
    expect(await call('managerDay', { day: today() })).toMatchObject({ ok: false, error: { code: 'manager_locked' } });
  });
});

describe('settings through the manager', () => {
  beforeAll(async () => {
    expect(await call('managerUnlock', { pin: '482193' })).toMatchObject({ ok: true });
  });

  it('reads settings without the key', async () => {
    const read = await call('managerReadSettings');
    expect(read).toMatchObject({ ok: true, value: { settings: { environment: 'demo', clientKeySet: false, pinSet: true, shopName: '茶餐廳 Tea House', activeEnvironment: 'custom' } } });
  });

  it('refuses bad settings field by field and saves nothing', async () => {
    const refused = await call('managerSaveSettings', { environment: 'custom', customUrl: 'ftp://x', appCode: '', pollIntervalMs: 11_000, confirmLeaveDemo: true });
    expect(refused).toMatchObject({ ok: false, error: { code: 'settings_invalid' } });
    expect(refused.error.details.problems.map((problem: { field: string }) => problem.field)).toEqual(['customUrl', 'appCode', 'clientKey', 'pollIntervalMs']);
    expect(await call('managerSaveSettings', { pollIntervalMs: '3000' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect((await call('managerReadSettings')).value.settings.environment).toBe('demo');
  });

  it('saves a real gateway (with consent), never echoes the key, and tests it', async () => {
    const saved = await call('managerSaveSettings', {
      environment: 'custom',
      customUrl: running.simulator.url,
      appCode: running.simulator.credentials.appCode,
      clientKey: 'WRONG-KEY',
      confirmLeaveDemo: true,
    });
    expect(saved).toMatchObject({ ok: true, value: { restartNeeded: true, settings: { environment: 'custom', clientKeySet: true } } });
    expect(JSON.stringify(saved)).not.toContain('WRONG-KEY');
    expect(await call('managerTestConnection')).toMatchObject({ ok: true, value: { verdict: 'signature_rejected' } });

    await call('managerSaveSettings', { clientKey: running.simulator.credentials.clientKey });
    const tested = await call('managerTestConnection');
    expect(tested).toMatchObject({ ok: true, value: { verdict: 'ok', message: { en: expect.stringContaining('accepted'), 'zh-HK': expect.any(String) } } });
    expect(JSON.stringify(await call('managerReadSettings'))).not.toContain(running.simulator.credentials.clientKey);

    expect(await call('managerSaveSettings', { shopName: 'Tea House 2' })).toMatchObject({ ok: true, value: { restartNeeded: false } });
    // A form sends every field: only a gateway field that really changes asks for a restart.
    const form = (await call('managerReadSettings')).value.settings;
    const { clientKeySet: _set, pinSet: _pin, keyProtection: _kept, activeEnvironment: _active, headOfficePasswordSet: _office, ...fields } = form;
    expect(await call('managerSaveSettings', { ...fields, shopName: 'Tea House 3' })).toMatchObject({ ok: true, value: { restartNeeded: false } });
    expect(await call('managerSaveSettings', { ...fields, pollIntervalMs: 4000 })).toMatchObject({ ok: true, value: { restartNeeded: true } });

    // "Test connection" tests the form's values, unsaved: a wrong key in the form is rejected, and nothing is saved.
    expect(await call('managerTestConnection', { settings: { clientKey: 'WRONG-KEY' } })).toMatchObject({ ok: true, value: { verdict: 'signature_rejected' } });
    expect(await call('managerTestConnection', {})).toMatchObject({ ok: true, value: { verdict: 'ok' } });
    expect(await call('managerTestConnection', { settings: { appCode: 'has space' } })).toMatchObject({ ok: false, error: { code: 'settings_invalid' } });
    // Trying keys for another environment needs no consent to take real money: nothing is saved.
    await call('managerSaveSettings', { environment: 'demo' });
    expect(await call('managerTestConnection', { settings: { environment: 'custom', customUrl: running.simulator.url, appCode: running.simulator.credentials.appCode } })).toMatchObject({ ok: true, value: { verdict: 'ok' } });
    expect((await call('managerReadSettings')).value.settings.environment).toBe('demo');
    expect((await running.app.dispatch('display', 'readDisplayState', {})) as any).toMatchObject({ value: { display: { shopName: 'Tea House 2' } } });
  });
});
