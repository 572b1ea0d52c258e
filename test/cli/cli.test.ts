import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main';
import { hongKongDay } from '../../shared/hkTime';
import { cliOnSimulator, ordersInLedger } from '../support/cli';
import { TEST_CREDENTIALS } from '../support/simulator';
import { leaveOpenSale } from '../support/openSale';

const till = cliOnSimulator({ prefix: 'qfpos-cli-', env: { QFPOS_SIGN_TYPE: 'MD5', QFPOS_TILL: 'front-1' } });
const { simulator, folder, env } = till;

const cli = (...argv: string[]) => runCli([...argv, '--json'], env);
const json = (outcome: { json: unknown }) => outcome.json as Record<string, any>;

async function paidOrder(amount = '12.30', goods?: string) {
  const charged = json(await cli('charge', '--amount', amount, '--wallet', 'alipay', ...(goods ? ['--goods', goods] : [])));
  await simulator.control('POST', `orders/${charged.order.outTradeNo}/pay`);
  const status = json(await cli('status', charged.order.outTradeNo));
  expect(status.order.state).toBe('paid');
  return status.order;
}

const ledgerOrderCount = () => ordersInLedger(env.QFPOS_DB as string);

describe('charge, status, cancel, refund', () => {
  it('follows a payment from QR to paid to refunded', async () => {
    const charged = await cli('charge', '--amount', '12.30', '--wallet', 'wechat', '--expires', '10', '--goods', '凍檸茶');
    expect(charged.exitCode).toBe(0);
    const order = json(charged).order;
    expect(order).toMatchObject({ state: 'waiting', amount: 1230, amountDecimal: '12.30', wallet: 'wechat', goodsName: '凍檸茶', tillId: 'front-1' });
    expect(order).not.toHaveProperty('requestFields');
    expect(simulator.requests().find((entry) => entry.endpoint === 'payment')?.fields).toMatchObject({ expired_time: '10', udid: 'front-1' });

    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    const status = await cli('status', order.outTradeNo);
    expect(status.exitCode).toBe(0);
    expect(json(status).order.state).toBe('paid');
    expect(json(status).history.map((step: { toState: string }) => step.toState)).toEqual(['created', 'waiting', 'paid']);

    const partial = await cli('refund', order.outTradeNo, '--amount', '2.30');
    expect(partial.exitCode).toBe(0);
    expect(json(partial).refund).toMatchObject({ state: 'succeeded', amount: 230 });
    const tooMuch = await cli('refund', order.outTradeNo, '--amount', '10.01');
    expect(tooMuch.exitCode).toBe(3);
    expect(json(tooMuch).error).toMatchObject({ code: 'refund_exceeds_refundable', argument: '--amount', details: { refundable: 1000 } });
    expect(json(await cli('refund', order.outTradeNo)).refund.amount).toBe(1000);
    // Issue 20, item 8: a second full refund says the order is refunded in full, exit 3, and names no --amount it was never given.
    const again = await cli('refund', order.outTradeNo);
    expect(again.exitCode).toBe(3);
    expect(again.lines).toEqual([`error: order ${order.outTradeNo} is already refunded in full (or the refunds of it are still being confirmed): nothing is left to refund`]);
    expect(json(again).error).toMatchObject({ code: 'order_fully_refunded', details: { refundable: 0 } });
  });

  it('cancels, and refuses to cancel twice', async () => {
    const order = json(await cli('charge', '--amount', '5', '--wallet', 'unionpay')).order;
    const cancelled = await cli('cancel', order.outTradeNo);
    expect(cancelled.exitCode).toBe(0);
    expect(json(cancelled).order).toMatchObject({ state: 'cancelled', gatewaySettled: true });
    expect((await simulator.control('GET', `orders/${order.outTradeNo}`)).json.state).toBe('closed');
    const again = await cli('cancel', order.outTradeNo);
    expect(again.exitCode).toBe(3);
    expect(json(again).error.code).toBe('not_cancellable');
  });

  it('takes one customer at a time: a second charge is refused, naming the open sale, until it is cancelled', async () => {
    const first = json(await cli('charge', '--amount', '4', '--wallet', 'fps')).order;
    const second = await cli('charge', '--amount', '4', '--wallet', 'fps');
    expect(second.exitCode).toBe(3);
    expect(json(second).error).toMatchObject({ code: 'payment_in_progress' });
    expect(second.lines.join("\n")).toContain(first.outTradeNo);
    expect(simulator.requests().filter((entry) => entry.endpoint === 'payment')).toHaveLength(1);
    expect((await cli('cancel', first.outTradeNo)).exitCode).toBe(0);
    expect(json(await cli('charge', '--amount', '4', '--wallet', 'fps')).order.state).toBe('waiting');
  });

  it('exits 3 for a refused payment and 4 for an unknown outcome', async () => {
    await simulator.control('PUT', 'faults/payment', { kind: 'respcd', respcd: '1294', times: 1 });
    const refused = await cli('charge', '--amount', '1', '--wallet', 'fps');
    expect(refused.exitCode).toBe(3);
    await simulator.control('PUT', 'faults/payment', { kind: 'http_500', times: 1 });
    const unknown = await cli('charge', '--amount', '1', '--wallet', 'fps');
    expect(unknown.exitCode).toBe(4);
    expect(json(unknown).order.state).toBe('unknown');
  });

  it('says 5 for an order it does not have', async () => {
    expect((await cli('status', 'NO-SUCH-ORDER')).exitCode).toBe(5);
    expect((await cli('refund', 'NO-SUCH-ORDER')).exitCode).toBe(5);
  });

  it('keeps a late payment on a manager’s word', async () => {
    const order = json(await cli('charge', '--amount', '8', '--wallet', 'octopus')).order;
    await cli('cancel', order.outTradeNo);
    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    const reconciled = json(await cli('reconcile'));
    expect(reconciled.paidLate.map((late: { outTradeNo: string }) => late.outTradeNo)).toEqual([order.outTradeNo]);
    expect(json(await cli('keep', order.outTradeNo)).order.state).toBe('paid');
  });
});

describe('a bad argument gets a one-line error naming it, and changes nothing', () => {
  it.each([
    [['charge', '--wallet', 'fps'], '--amount'],
    [['charge', '--amount', 'abc', '--wallet', 'fps'], '--amount'],
    [['charge', '--amount', '0', '--wallet', 'fps'], '--amount'],
    [['charge', '--amount', '1.234', '--wallet', 'fps'], '--amount'],
    [['charge', '--amount', '1,00', '--wallet', 'fps'], '--amount'],
    [['charge', '--amount', '5', '--wallet', 'bitcoin'], '--wallet'],
    [['charge', '--amount', '5', '--wallet', 'fps', '--expires', 'ten'], '--expires'],
    [['charge', '--amount', '5', '--wallet', 'wechat', '--expires', '3'], '--expires'],
    [['charge', '--amount', '5', '--wallet', 'fps', '--expires', '500'], '--expires'],
    [['charge', '--amount', '5', '--wallet', 'wechat', '--alipay-region', 'cn'], '--alipay-region'],
    [['charge', '--amount', '5', '--wallet', 'fps', '--tip', '3'], '--tip'],
    [['refund', 'X', '--amount', '-1'], '--amount'],
    [['refund'], 'OUT_TRADE_NO'],
    [['export', '--date', '2026-13-01', '--out', 'x.csv'], '--date'],
    [['export', '--date', '2026-11-23'], '--out'],
    [['report', '--close', '--date', '2026-11-23'], '--date'],
    [['report', '--z', 'seven'], '--z'],
    [['report', '--date', '2999-01-01'], '--date'],
    [['reconcile', '--day', '2999-01-01'], '--day'],
    [['export', '--date', '2026-11-23', '--out', 'x.csv', '--environment', 'moon'], '--environment'],
    [['export', '--date', '2026-11-23', '--to', '2026-11-31', '--out', 'x.csv'], '--to'],
    [['export', '--date', '2026-11-23', '--to', '2026-11-22', '--out', 'x.csv'], '--to'],
    [['export', '--date', '2026-11-01', '--to', '2026-12-02', '--out', 'x.csv'], '--to'],
    [['decide', 'X-P1', '--as', 'maybe', '--reason', 'looked'], '--as'],
    [['decide', 'X-P1', '--as', 'paid'], '--reason'],
    [['fly'], 'fly'],
  ])('%j names %s', async (argv, argument) => {
    const outcome = await cli(...argv);
    expect(outcome.exitCode).toBe(2);
    expect(json(outcome).error.argument).toBe(argument);
    expect(outcome.lines[0]).toMatch(new RegExp(`^error: ${argument.replace(/[-]/g, '\\-')}`));
    expect(ledgerOrderCount()).toBe(0);
    expect(simulator.requests()).toHaveLength(0);
  });

  it.each([
    [{ QFPOS_GATEWAY: 'http://gateway.example.com' }, 'QFPOS_GATEWAY'],
    [{ QFPOS_GATEWAY: 'nowhere' }, 'QFPOS_GATEWAY'],
    [{ QFPOS_GATEWAY: undefined }, 'QFPOS_GATEWAY'],
    [{ QFPOS_CLIENT_KEY: undefined }, 'QFPOS_CLIENT_KEY'],
    [{ QFPOS_SIGN_TYPE: 'SHA1' }, 'QFPOS_SIGN_TYPE'],
    [{ QFPOS_TILL: 'till one' }, 'QFPOS_TILL'],
    [{ QFPOS_POLL_INTERVAL_MS: '500' }, 'QFPOS_POLL_INTERVAL_MS'],
    [{ QFPOS_CALL_BUDGET: '1000' }, 'QFPOS_CALL_BUDGET'],
    [{ QFPOS_NOT_FOUND_GRACE_MS: 'soon' }, 'QFPOS_NOT_FOUND_GRACE_MS'],
    [{ QFPOS_CLIENT_KEY: 'has spaces in it' }, 'QFPOS_CLIENT_KEY'],
  ])('configuration %j names %s', async (change, variable) => {
    till.env = { ...env, ...change };
    const outcome = await cli('charge', '--amount', '5', '--wallet', 'fps');
    expect(outcome.exitCode).toBe(2);
    expect(json(outcome).error.argument).toBe(variable);
    expect(JSON.stringify(outcome)).not.toContain('has spaces in it');
    expect(ledgerOrderCount()).toBe(0);
  });
});

describe('doctor', () => {
  it('reports a healthy till without showing the key', async () => {
    const outcome = await runCli(['doctor'], env);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.lines.join('\n')).toContain('the app code and signature were accepted');
    expect(outcome.lines.join('\n')).toContain('client key: set');
    expect(JSON.stringify(outcome)).not.toContain(TEST_CREDENTIALS.clientKey);
  });

  it('tells a wrong key from a wrong app code from no gateway at all', async () => {
    env.QFPOS_CLIENT_KEY = 'WRONGKEY';
    expect((await runCli(['doctor'], env)).lines.join('\n')).toContain('signature was rejected');
    env.QFPOS_CLIENT_KEY = TEST_CREDENTIALS.clientKey;
    env.QFPOS_APP_CODE = 'SOMEONEELSE';
    expect((await runCli(['doctor'], env)).lines.join('\n')).toContain('app code is not known');
    env.QFPOS_GATEWAY = 'http://127.0.0.1:1';
    const unreachable = await runCli(['doctor'], env);
    expect(unreachable.exitCode).toBe(4);
    expect(unreachable.lines.join('\n')).toContain('could not be reached');
  });
});

describe('export', () => {
  it('writes every order and refund of the day, Chinese intact, formulas neutralised, sums right', async () => {
    const tea = await paidOrder('12.30', '凍檸茶');
    const bun = await paidOrder('18.00', '菠蘿油 x2');
    const odd = await paidOrder('5.50', '@Home -10');
    await cli('refund', bun.outTradeNo, '--amount', '8.00');
    const open = json(await cli('charge', '--amount', '3', '--wallet', 'fps', '--goods', '奶茶')).order;
    // A second open sale, left by another process: the CLI itself takes one customer at a time.
    const hongKong = await leaveOpenSale(env, { amount: 200, wallet: 'alipay', alipayRegion: 'ALIPAYHK' });
    const out = join(folder.path, 'day.csv');
    const day = hongKongDay(Date.now());
    const exported = await cli('export', '--date', day, '--out', out);
    expect(json(exported)).toMatchObject({ payments: 5, refunds: 1 });

    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(6);
    const byNumber = new Map(rows.map((row) => [row.out_trade_no, row]));
    expect(byNumber.get(hongKong.outTradeNo)).toMatchObject({ wallet: 'Alipay', wallet_zh_hk: '支付寶', alipay_region: 'AlipayHK' });
    expect(byNumber.get(tea.outTradeNo)).toMatchObject({ record_type: 'payment', goods_name: '凍檸茶', amount: '12.30', state: 'paid', row_net_on_day: '12.30', till: 'front-1', wallet: 'Alipay', wallet_zh_hk: '支付寶', alipay_region: '', currency: 'HKD' });
    expect(byNumber.get(bun.outTradeNo)).toMatchObject({ goods_name: '菠蘿油 x2', refunded_in_refund_rows: '8.00' });
    expect(byNumber.get(odd.outTradeNo)?.goods_name).toBe("'@Home -10");
    expect(byNumber.get(open.outTradeNo)).toMatchObject({ state: 'waiting', row_net_on_day: '0.00', goods_name: '奶茶' });
    const refundRow = rows.find((row) => row.record_type === 'refund');
    expect(refundRow).toMatchObject({ original_out_trade_no: bun.outTradeNo, amount: '8.00', row_net_on_day: '-8.00', state: 'succeeded' });
    const netCents = rows.reduce((sum, row) => sum + Math.round(Number(row.row_net_on_day) * 100), 0);
    expect(netCents).toBe(1230 + 1800 + 550 - 800);
  });

  it('with --to, writes the days from --date to --to in one file; a reversed or too long range is refused in words', async () => {
    const day = hongKongDay(Date.now());
    const before = hongKongDay(Date.now() - 3 * 86_400_000);
    const one = json(await cli('export', '--date', day, '--out', join(folder.path, 'one.csv')));
    const out = join(folder.path, 'range.csv');
    const range = await cli('export', '--date', before, '--to', day, '--out', out);
    expect(range.exitCode).toBe(0);
    expect(json(range)).toMatchObject({ day: before, to: day, payments: one.payments, refunds: one.refunds, net: one.net });
    expect(range.lines[0]).toContain(`${before} to ${day}`);
    expect(parse(readFileSync(out), { bom: true, columns: true })).toHaveLength(one.payments + one.refunds);
    const reversed = await cli('export', '--date', day, '--to', before, '--out', out);
    expect(reversed.lines[0]).toBe('error: --to: The last day of the range is before its first day: choose the first day, then the last.');
    expect((await cli('export', '--date', '2026-01-01', '--to', '2026-02-01', '--out', out)).lines[0]).toBe('error: --to: A range can cover at most 31 days: choose a shorter one.');
  });

  it('says --to in its help', async () => {
    expect((await runCli(['--help'], env)).lines.join('\n')).toMatch(/export --date YYYY-MM-DD --to YYYY-MM-DD --out FILE/);
  });

  it('writes only the header for a day with nothing', async () => {
    const out = join(folder.path, 'empty.csv');
    expect((await cli('export', '--date', '2020-01-01', '--out', out)).exitCode).toBe(0);
    expect(parse(readFileSync(out), { bom: true, columns: true })).toEqual([]);
  });
});

describe('X and Z reports', () => {
  // A gateway of its own: other tests' orders at a shared one would be "at QFPay but not in this ledger".
  till.simulatorOfItsOwn();

  it('sums per wallet, refuses to close with open orders, then closes a numbered period for good, with a backup', async () => {
    await paidOrder('10.00');
    const second = await paidOrder('20.00');
    await cli('refund', second.outTradeNo, '--amount', '5.00');
    const open = json(await cli('charge', '--amount', '7', '--wallet', 'payme')).order;

    const preview = json(await cli('report')).report;
    expect(preview).toMatchObject({ kind: 'X', number: 1, closedAt: null });
    expect(preview.environments).toHaveLength(1);
    const custom = preview.environments[0];
    expect(custom).toMatchObject({ environment: 'custom', training: false });
    expect(custom.wallets.find((wallet: { wallet: string }) => wallet.wallet === 'alipay')).toEqual({ wallet: 'alipay', payments: { count: 2, amount: 3000 }, refunds: { count: 1, amount: 500 }, net: 2500 });
    expect(custom.totals).toEqual({ payments: { count: 2, amount: 3000 }, refunds: { count: 1, amount: 500 }, net: 2500 });
    expect(preview.unresolved).toEqual({ orders: 1, latePayments: 0, refunds: 0, beforeManager: 0, otherGateway: 0 });

    const refused = await cli('report', '--close');
    expect(refused.exitCode).toBe(3);
    expect(json(refused).error.code).toBe('period_not_closable');

    await simulator.control('POST', `orders/${open.outTradeNo}/fail`, { respcd: '1201' });
    await cli('reconcile');
    const closing = await cli('report', '--close');
    expect(closing.exitCode).toBe(0);
    const closed = json(closing).report;
    expect(closed).toMatchObject({ kind: 'Z', number: 1, notPaid: 1, environments: [expect.objectContaining({ totals: expect.objectContaining({ net: 2500 }) })] });
    expect(closed.reconciliation).toEqual([expect.objectContaining({ day: hongKongDay(Date.now()), agrees: true, matched: 4 })]);
    expect(closing.lines.join('\n')).toMatch(/agrees with QFPay at \d\d:\d\d/);
    expect(json(closing).backup).toMatchObject({ ok: true, file: expect.stringContaining(join(folder.path, 'backups', 'till-Z0001-')) });
    expect(json(await cli('backups')).backups).toHaveLength(1);

    // Later sales go into the next period; the closed report never changes.
    await paidOrder('99.00');
    expect(json(await cli('report', '--z', '1')).report).toEqual(closed);
    expect(json(await cli('report')).report).toMatchObject({ kind: 'X', number: 2, environments: [expect.objectContaining({ totals: expect.objectContaining({ net: 9900 }) })] });
    const db = new Database(env.QFPOS_DB as string);
    expect(() => db.prepare("UPDATE z_periods SET report = '{}'").run()).toThrow(/never changes/);
    expect(() => db.prepare('DELETE FROM z_periods').run()).toThrow(/never changes/);
    db.close();
    // The day's net equals the shares of the reports that touch it: Z 1 and the open period.
    const dayReport = json(await cli('report', '--date', hongKongDay(Date.now())));
    expect(dayReport.totals[0].totals.net).toBe(2500 + 9900);
    expect(await cli('report', '--z', '9')).toMatchObject({ exitCode: 5 });
  });
});

describe('demo mode', () => {
  it('runs on the embedded simulator with no configuration, its orders kept beside the ledger', async () => {
    till.env = { QFPOS_DB: join(folder.path, 'demo', 'till.sqlite') };
    const charged = await cli('charge', '--amount', '4.20', '--wallet', 'fps');
    expect(charged.exitCode).toBe(0);
    const order = json(charged).order;
    expect(order).toMatchObject({ environment: 'demo', state: 'waiting' });
    expect(existsSync(join(folder.path, 'demo', 'demo-gateway.sqlite'))).toBe(true);
    // A second run starts the simulator again; it still knows the order.
    const status = await cli('status', order.outTradeNo);
    expect(json(status).order.state).toBe('waiting');
    expect(json(status).history).toHaveLength(2);
  });
});

describe("a till configured in the app's settings", () => {
  it('is used by the CLI too, with the key from the user-only file', async () => {
    const { openSettingsService } = await import('../../electron/services/settings/settingsService');
    const { userOnlyFileSecretStore } = await import('../../electron/services/settings/secretStore');
    const settings = openSettingsService(folder.path, userOnlyFileSecretStore(join(folder.path, 'client-key')));
    const saved = settings.update({
      environment: 'custom',
      customUrl: simulator.url,
      appCode: TEST_CREDENTIALS.appCode,
      clientKey: TEST_CREDENTIALS.clientKey,
      tillId: 'from-settings',
      confirmLeaveDemo: true,
    });
    expect(saved.ok).toBe(true);
    till.env = { QFPOS_DB: join(folder.path, 'till.sqlite') };
    const doctor = await runCli(['doctor'], env);
    expect(doctor.exitCode).toBe(0);
    expect(doctor.lines.join('\n')).toContain('till: from-settings');
    expect(JSON.stringify(doctor)).not.toContain(TEST_CREDENTIALS.clientKey);
  });
});
