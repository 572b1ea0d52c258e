import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../../electron/cli/main';
import { hongKongDay } from '../../shared/hkTime';
import { customerCode } from '../support/customerCodes';
import { cliOnSimulator, ordersInLedger } from '../support/cli';
import type { TestSimulator } from '../support/simulator';

/**
 * `charge --auth-code`: a payment with the customer's own code (CPM), through the CLI, against the
 * simulator, for each answer QFPay can give: paid at once, 1143/1145 then paid or failed, a code
 * used before, and an answer lost on the way back (unknown, then resolved by query, never re-sent).
 * Amounts from HK$500 make the simulator's wallets ask for a password (1143).
 */

const till = cliOnSimulator({ prefix: 'qfpos-cpm-', env: { QFPOS_SIGN_TYPE: 'MD5', QFPOS_TILL: 'front-1' } });
const { simulator, folder, env } = till;

const cli = (...argv: string[]) => runCli([...argv, '--json'], env);
const json = (outcome: { json: unknown }) => outcome.json as Record<string, any>;
const paymentsSentFor = (outTradeNo: string) => simulator.requests().filter((entry) => entry.endpoint === 'payment' && entry.fields.out_trade_no === outTradeNo);
const states = (status: Record<string, any>) => status.history.map((step: { toState: string }) => step.toState);

const ledgerOrderCount = () => ordersInLedger(env.QFPOS_DB as string);

describe("charge --auth-code: the customer's own code", () => {
  it('is paid at once (0000), with the wallet read from the code and the code kept masked', async () => {
    const code = customerCode.alipay();
    const charged = await cli('charge', '--amount', '12.30', '--auth-code', code);
    expect(charged.exitCode).toBe(0);
    const order = json(charged).order;
    expect(order).toMatchObject({ state: 'paid', mode: 'cpm', wallet: 'alipay', payType: '800108', amount: 1230, authCodeMasked: `28…${code.slice(-4)}` });
    expect(order.syssn).toMatch(/^\d+$/);
    expect(order.paydtm).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(charged.lines.join('\n')).toContain(`28…${code.slice(-4)}`);
    expect(JSON.stringify(charged)).not.toContain(code);
    // Sent once, with the CPM pay type (the simulator checked the full code and keeps only its mask in its log).
    expect(paymentsSentFor(order.outTradeNo)).toEqual([expect.objectContaining({ respcd: '0000', fields: expect.objectContaining({ pay_type: '800108', auth_code: `28…${code.slice(-4)}` }) })]);
    const status = json(await cli('status', order.outTradeNo));
    expect(states(status)).toEqual(['created', 'paid']);
    expect(status.history[1].cause).toBe('customer_code_paid');
  });

  it('waits while the customer confirms (1143), then is paid on the enquiry', async () => {
    const charged = await cli('charge', '--amount', '800', '--auth-code', customerCode.wechat());
    expect(charged.exitCode).toBe(0);
    const order = json(charged).order;
    expect(order).toMatchObject({ state: 'waiting', mode: 'cpm', wallet: 'wechat', payType: '800208', respcd: '1143' });
    expect(charged.lines.join('\n')).toContain('the customer is confirming the payment in their wallet');
    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    const status = json(await cli('status', order.outTradeNo));
    expect(status.order.state).toBe('paid');
    expect(states(status)).toEqual(['created', 'waiting', 'paid']);
    expect(status.history[1].cause).toBe('customer_confirming');
    expect(paymentsSentFor(order.outTradeNo)).toHaveLength(1);
  });

  it('reads the code from standard input with --auth-code -, so it is in no argument', async () => {
    const code = customerCode.wechat();
    const argv = ['charge', '--amount', '12', '--auth-code', '-', '--json'];
    const outcome = await runCli(argv, env, { readSecret: async () => code });
    expect(json(outcome).order).toMatchObject({ state: 'paid', wallet: 'wechat', authCodeMasked: `${code.slice(0, 2)}…${code.slice(-4)}` });
    expect(argv.join(' ')).not.toContain(code);
    // Nothing read (an empty pipe): refused in words, nothing written or sent.
    const before = ledgerOrderCount();
    const empty = await runCli(argv, env, { readSecret: async () => undefined });
    expect(empty.exitCode).toBe(2);
    expect(json(empty).error).toMatchObject({ code: 'usage', argument: '--auth-code' });
    expect(ledgerOrderCount()).toBe(before);
  });

  it('waits on 1145 (processing), then is paid on the enquiry', async () => {
    await simulator.control('PUT', 'faults/payment', { kind: 'respcd', respcd: '1145', afterProcessing: true, times: 1 });
    const order = json(await cli('charge', '--amount', '600', '--auth-code', customerCode.alipay())).order;
    expect(order).toMatchObject({ state: 'waiting', respcd: '1145' });
    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    expect(json(await cli('status', order.outTradeNo)).order.state).toBe('paid');
    expect(paymentsSentFor(order.outTradeNo)).toHaveLength(1);
  });

  it('waits on 1145, then fails on the enquiry when the wallet declines', async () => {
    await simulator.control('PUT', 'faults/payment', { kind: 'respcd', respcd: '1145', afterProcessing: true, times: 1 });
    const order = json(await cli('charge', '--amount', '600', '--auth-code', customerCode.alipay())).order;
    expect(order.state).toBe('waiting');
    await simulator.control('POST', `orders/${order.outTradeNo}/fail`, { respcd: '1201' });
    const status = await cli('status', order.outTradeNo);
    expect(json(status).order).toMatchObject({ state: 'failed', respcd: '1201' });
    expect(states(json(status))).toEqual(['created', 'waiting', 'failed']);
    expect(paymentsSentFor(json(status).order.outTradeNo)).toHaveLength(1);
  });

  it('refuses a code used before (1202) and says so in words; the first sale stands', async () => {
    const code = customerCode.wechat();
    const first = json(await cli('charge', '--amount', '20', '--auth-code', code)).order;
    expect(first.state).toBe('paid');
    const again = await cli('charge', '--amount', '20', '--auth-code', code);
    expect(again.exitCode).toBe(3);
    expect(json(again).order).toMatchObject({ state: 'failed', respcd: '1202', mode: 'cpm' });
    expect(again.lines.join('\n')).toContain("refused: the customer's code was used already or has expired. Ask the customer to refresh the code");
    expect(JSON.stringify(again)).not.toContain(code);
    expect(json(await cli('status', first.outTradeNo)).order.state).toBe('paid');
  });

  it('stays unknown when the answer is lost, is resolved by the enquiry, and is never sent again', async () => {
    // QFPay takes the money, and its answer never reaches the till.
    await simulator.control('PUT', 'faults/payment', { kind: 'http_500', afterProcessing: true, times: 1 });
    const charged = await cli('charge', '--amount', '45', '--auth-code', customerCode.alipay());
    expect(charged.exitCode).toBe(4);
    const order = json(charged).order;
    expect(order.state).toBe('unknown');
    // The counter is held: no second charge (with this code or another) while it is unknown.
    const second = await cli('charge', '--amount', '45', '--auth-code', customerCode.alipay());
    expect(json(second).error).toMatchObject({ code: 'payment_in_progress' });
    const status = json(await cli('status', order.outTradeNo));
    expect(status.order.state).toBe('paid');
    expect(states(status)).toEqual(['created', 'unknown', 'paid']);
    expect(paymentsSentFor(order.outTradeNo)).toHaveLength(1);
    expect(simulator.requests().filter((entry) => entry.endpoint === 'payment')).toHaveLength(1);
  });

  it('follows a confirming customer with --wait until the wallet says', async () => {
    const charging = cli('charge', '--amount', '900', '--auth-code', customerCode.alipay(), '--wait');
    let orderNo: string | undefined;
    for (let tries = 0; tries < 100 && !orderNo; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      orderNo = simulator.requests().find((entry) => entry.endpoint === 'payment')?.fields.out_trade_no;
    }
    await simulator.control('POST', `orders/${orderNo}/pay`);
    const done = await charging;
    expect(done.exitCode).toBe(0);
    expect(json(done).order).toMatchObject({ outTradeNo: orderNo, state: 'paid' });
  });

  it.each([
    ['a WeChat Pay code charged as Alipay', () => ['--auth-code', customerCode.wechat(), '--wallet', 'alipay'], 'auth_code_wallet_mismatch', '--wallet'],
    ['a code of no documented shape, and no wallet picked', () => ['--auth-code', customerCode.unnamed()], 'auth_code_wallet_unknown', '--wallet'],
    ['a wallet without customer codes', () => ['--auth-code', customerCode.unnamed(), '--wallet', 'fps'], 'customer_code_not_supported', '--wallet'],
    ['something that is not a code', () => ['--auth-code', '12ab&c=3'], 'auth_code_invalid', '--auth-code'],
  ])('refuses %s before anything is written or sent', async (_name, args, code, argument) => {
    const given = args();
    const refused = await cli('charge', '--amount', '10', ...given);
    expect(refused.exitCode).toBe(2);
    expect(json(refused).error).toMatchObject({ code, argument });
    expect(JSON.stringify(refused)).not.toContain(given[1]);
    expect(ledgerOrderCount()).toBe(0);
    expect(simulator.requests()).toHaveLength(0);
  });

  it('takes the picked wallet for a code whose shape names none', async () => {
    const order = json(await cli('charge', '--amount', '10', '--auth-code', customerCode.unnamed(), '--wallet', 'unionpay')).order;
    expect(order).toMatchObject({ state: 'paid', wallet: 'unionpay', payType: '800708' });
  });

  it('refuses a QR lifetime for a customer’s code', async () => {
    const refused = await cli('charge', '--amount', '10', '--auth-code', customerCode.alipay(), '--expires', '5');
    expect(refused.exitCode).toBe(2);
    expect(json(refused).error).toMatchObject({ argument: '--expires' });
  });
});

describe('downstream of a sale paid with a customer’s code', () => {
  // A gateway of its own: the shared simulator's day holds the other tests' sales, which this ledger never made.
  till.simulatorOfItsOwn();
  it('is refunded, exported with its mode, counted in the X report and agrees with QFPay', async () => {
    await downstream(simulator);
  });
});

/** A QR sale and a customer's-code sale, a refund of the latter, then the day's export, X report and comparison with QFPay. */
async function downstream(simulator: TestSimulator) {
  const qr = json(await cli('charge', '--amount', '3', '--wallet', 'wechat')).order;
  await simulator.control('POST', `orders/${qr.outTradeNo}/pay`);
  expect(json(await cli('status', qr.outTradeNo)).order.state).toBe('paid');
  const paid = json(await cli('charge', '--amount', '30', '--auth-code', customerCode.alipay())).order;
  const refunded = await cli('refund', paid.outTradeNo, '--amount', '10');
  expect(json(refunded).refund).toMatchObject({ state: 'succeeded', amount: 1000 });

  const out = join(folder.path, 'day.csv');
  expect(json(await cli('export', '--date', hongKongDay(Date.now()), '--out', out))).toMatchObject({ payments: 2, refunds: 1 });
  const rows = parse(readFileSync(out), { bom: true, columns: true }) as Record<string, string>[];
  expect(rows.map((row) => [row.record_type, row.out_trade_no, row.pay_type, row.mode])).toEqual(
    expect.arrayContaining([
      ['payment', qr.outTradeNo, '800201', 'MPM'],
      ['payment', paid.outTradeNo, '800108', 'CPM'],
      ['refund', expect.any(String), '800108', 'CPM'],
    ]),
  );

  const x = json(await cli('report'));
  const demo = x.report.environments[0];
  expect(demo.wallets).toEqual(expect.arrayContaining([expect.objectContaining({ wallet: 'alipay', payments: { count: 1, amount: 3000 }, refunds: { count: 1, amount: 1000 } })]));
  const reconciled = await cli('reconcile', '--day', hongKongDay(Date.now()));
  expect(reconciled.exitCode, reconciled.lines.join('\n')).toBe(0);
  expect(json(reconciled).reconciliation).toMatchObject({ agrees: true });
}

describe("the customer's code is never kept in full", () => {
  it('is on the slip as its mask only', async () => {
    const code = customerCode.alipay();
    const order = json(await cli('charge', '--amount', '12.30', '--auth-code', code)).order;
    const slip = (await runCli(['receipt', order.outTradeNo], env)).lines.join('\n');
    expect(slip).toContain('Payment code 付款碼');
    expect(slip).toContain(`28...${code.slice(-4)}`);
    expect(slip).not.toContain(code);
  });

  it('is not in the ledger file, its WAL, the CLI’s output, the export or the log, whatever QFPay answered', async () => {
    const written: string[] = [];
    const capture = (...parts: unknown[]) => void written.push(parts.map(String).join(' '));
    const spies = [vi.spyOn(console, 'log').mockImplementation(capture), vi.spyOn(console, 'error').mockImplementation(capture), vi.spyOn(console, 'warn').mockImplementation(capture)];
    const codes = [customerCode.alipay(), customerCode.wechat(), customerCode.alipay(), customerCode.alipay()];
    const outcomes = [];
    try {
      outcomes.push(await cli('charge', '--amount', '12', '--auth-code', codes[0] as string));
      outcomes.push(await cli('charge', '--amount', '800', '--auth-code', codes[1] as string));
      const waiting = json(outcomes[1] as { json: unknown }).order.outTradeNo;
      await simulator.control('POST', `orders/${waiting}/fail`, { respcd: '1201' });
      outcomes.push(await cli('status', waiting));
      // Refused: the code used a second time.
      outcomes.push(await cli('charge', '--amount', '12', '--auth-code', codes[0] as string));
      // An answer lost on the way back, then a wallet whose codes have no documented shape.
      await simulator.control('PUT', 'faults/payment', { kind: 'http_500', afterProcessing: true, times: 1 });
      outcomes.push(await cli('charge', '--amount', '13', '--auth-code', codes[2] as string));
      outcomes.push(await cli('status', json(outcomes[4] as { json: unknown }).order.outTradeNo));
      outcomes.push(await cli('charge', '--amount', '14', '--auth-code', `${codes[3]}x`, '--wallet', 'payme'));
      const out = join(folder.path, 'day.csv');
      outcomes.push(await runCli(['export', '--date', hongKongDay(Date.now()), '--out', out], env));
      outcomes.push(await runCli(['orders'], env));
      written.push(readFileSync(out, 'utf8'));
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    written.push(JSON.stringify(outcomes), JSON.stringify(simulator.requests()));

    const db = new Database(env.QFPOS_DB as string, { readonly: true });
    const masked = db.prepare("SELECT auth_code_masked AS masked, json_extract(request_fields, '$.auth_code') AS sent FROM orders WHERE mode = 'cpm' ORDER BY id").all();
    const calls = db.prepare("SELECT json_extract(request_fields, '$.auth_code') AS sent FROM gateway_calls WHERE endpoint = 'payment'").all() as { sent: string }[];
    db.close();
    expect(masked).toHaveLength(5);
    for (const row of masked as { masked: string; sent: string }[]) expect(row.sent).toBe(row.masked);
    expect(calls.every((call) => /^\w\w…\w{4}$/.test(call.sent))).toBe(true);

    const files = ['till.sqlite', 'till.sqlite-wal', 'till.sqlite-shm'].map((name) => join(folder.path, name)).filter(existsSync);
    expect(files.length).toBeGreaterThan(0);
    for (const code of [...codes, `${codes[3]}x`]) {
      for (const file of files) expect(readFileSync(file).includes(Buffer.from(code)), `${code} in ${file}`).toBe(false);
      for (const text of written) expect(text.includes(code), `${code} in output`).toBe(false);
    }
  });
});
