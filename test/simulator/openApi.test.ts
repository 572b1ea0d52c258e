import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../electron/simulator/server';
import { sign, type SignType } from '../../shared/qfpay/signing';
import { startTestSimulator, tempFolder, TEST_CREDENTIALS, type TestSimulator } from '../support/simulator';

interface RawOptions {
  appCode?: string | null;
  key?: string;
  signType?: SignType;
  signTypeHeader?: string;
  signature?: string;
  body?: string;
}

/** A signed form POST as any third-party QFPay client would send it. */
async function post(simulator: TestSimulator, path: string, fields: Record<string, string>, options: RawOptions = {}) {
  const signType = options.signType ?? 'MD5';
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (options.appCode !== null) headers['X-QF-APPCODE'] = options.appCode ?? TEST_CREDENTIALS.appCode;
  headers['X-QF-SIGN'] = options.signature ?? sign(fields, options.key ?? TEST_CREDENTIALS.clientKey, signType);
  if (options.signTypeHeader ?? (signType === 'SHA256' ? 'SHA256' : undefined)) headers['X-QF-SIGNTYPE'] = options.signTypeHeader ?? 'SHA256';
  const response = await fetch(`${simulator.url}/trade/v1/${path}`, {
    method: 'POST',
    headers,
    body: options.body ?? new URLSearchParams(fields).toString(),
  });
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text) as Record<string, unknown> };
}

let sequence = 0;
const payment = (overrides: Record<string, string | undefined> = {}) => {
  sequence += 1;
  const fields: Record<string, string | undefined> = {
    txamt: '1230',
    txcurrcd: 'HKD',
    pay_type: '800201',
    out_trade_no: `SIM-${process.pid}-${sequence}`,
    txdtm: '2026-11-23 10:15:00',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Record<string, string>;
};

let simulator: TestSimulator;
beforeAll(async () => {
  simulator = await startTestSimulator({ timeScale: 600 });
});
afterAll(async () => {
  await simulator.stop();
});

describe('a payment answer', () => {
  it('is typed as QFPay sends it', async () => {
    const { status, json } = await post(simulator, 'payment', payment({ udid: 'front-1', goods_name: '凍檸茶' }));
    expect(status).toBe(200);
    expect(json).toMatchObject({ respcd: '0000', resperr: 'success', txamt: '1230', pay_type: '800201', txcurrcd: 'HKD', udid: 'front-1' });
    // Amounts and codes are strings; the surcharge fields are numbers, as in QFPay's own sample.
    expect(typeof json.txamt).toBe('string');
    expect(typeof json.surcharge_fee).toBe('number');
    expect(json.syssn).toMatch(/^\d{26}$/);
    expect(json.sysdtm).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(json.qrcode).toBe(`${simulator.url}/__sim__/wallet/${json.syssn}`);
  });

  it('accepts a txdtm in any zone (QFPay accepted UTC in practice) and SHA256 signatures', async () => {
    expect((await post(simulator, 'payment', payment({ txdtm: '2026-11-23 02:15:00' }))).json.respcd).toBe('0000');
    expect((await post(simulator, 'payment', payment(), { signType: 'SHA256' })).json.respcd).toBe('0000');
  });

  it('accepts a lower-case signature, as QFPay\'s JavaScript sample sends', async () => {
    const fields = payment();
    const lower = sign(fields, TEST_CREDENTIALS.clientKey, 'MD5').toLowerCase();
    expect((await post(simulator, 'payment', fields, { signature: lower })).json.respcd).toBe('0000');
  });
});

describe('the simulator refuses what QFPay refuses', () => {
  it.each([
    ['missing txamt', { txamt: undefined }, '1104'],
    ['missing txcurrcd', { txcurrcd: undefined }, '1104'],
    ['missing pay_type', { pay_type: undefined }, '1104'],
    ['missing out_trade_no', { out_trade_no: undefined }, '1104'],
    ['missing txdtm', { txdtm: undefined }, '1104'],
    ['fractional txamt', { txamt: '12.30' }, '1103'],
    ['zero txamt', { txamt: '0' }, '1103'],
    ['negative txamt', { txamt: '-5' }, '1103'],
    ['txamt over Int(11)', { txamt: '2147483648' }, '1103'],
    ['lower-case currency', { txcurrcd: 'hkd' }, '1103'],
    ['unknown currency', { txcurrcd: 'XYZ' }, '1104'],
    ['unknown pay_type', { pay_type: '800108' }, '1104'],
    ['out_trade_no too long', { out_trade_no: 'x'.repeat(129) }, '1103'],
    ['out_trade_no with a space', { out_trade_no: 'a b' }, '1103'],
    ['txdtm with slashes', { txdtm: '2026/11/23 10:15:00' }, '1103'],
    ['txdtm in ISO form', { txdtm: '2026-11-23T10:15:00Z' }, '1103'],
    ['txdtm on 30 February', { txdtm: '2026-02-30 10:15:00' }, '1103'],
    ['expired_time 4', { expired_time: '4' }, '1104'],
    ['expired_time 121', { expired_time: '121' }, '1104'],
    ['expired_time not a number', { expired_time: 'ten' }, '1103'],
    ['goods_name with &', { goods_name: 'Tea & Toast' }, '1103'],
    ['goods_name of 21 characters', { goods_name: '一二三四五六七八九十一二三四五六七八九十一' }, '1103'],
    ['udid over 40 characters', { udid: 'u'.repeat(41) }, '1103'],
    ['pay_tag unknown', { pay_tag: 'ALIPAYUS', pay_type: '800101' }, '1104'],
    ['limit_pay other than no_credit', { limit_pay: 'credit' }, '1104'],
    ['rmb_tag with HKD', { rmb_tag: 'Y' }, '1104'],
  ])('%s -> %s', async (_name, overrides, respcd) => {
    const { status, json } = await post(simulator, 'payment', payment(overrides));
    expect(status).toBe(200);
    expect(json.respcd).toBe(respcd);
    expect(typeof json.respmsg).toBe('string');
  });

  it('refuses a reused out_trade_no with 2011', async () => {
    const fields = payment();
    expect((await post(simulator, 'payment', fields)).json.respcd).toBe('0000');
    expect((await post(simulator, 'payment', fields)).json.respcd).toBe('2011');
  });

  it('refuses a parameter sent twice with 1103', async () => {
    const fields = payment();
    const body = `${new URLSearchParams(fields).toString()}&txamt=1`;
    const signature = sign(fields, TEST_CREDENTIALS.clientKey, 'MD5');
    expect((await post(simulator, 'payment', fields, { body, signature })).json.respcd).toBe('1103');
  });

  it.each([
    ['a wrong key', { key: 'not the key' }, '1108'],
    ['a tampered field', { body: new URLSearchParams({ ...payment(), txamt: '1' }).toString() }, '1108'],
    ['no signature', { signature: '' }, '1108'],
    ['an MD5 signature under a SHA256 header', { signTypeHeader: 'SHA256' }, '1108'],
    ['an unknown signature type', { signTypeHeader: 'SHA1' }, '1108'],
    ['an unknown app code', { appCode: 'SOMEONE-ELSE' }, '1250'],
    ['no app code', { appCode: null }, '1250'],
  ])('refuses %s with %s', async (_name, options, respcd) => {
    expect((await post(simulator, 'payment', payment(), options as RawOptions)).json.respcd).toBe(respcd);
  });

  it.each([
    ['refund without syssn', 'refund', { out_trade_no: 'R-1', txamt: '100', txdtm: '2026-11-23 10:15:00' }, '1104'],
    ['refund without out_trade_no', 'refund', { syssn: '1', txamt: '100', txdtm: '2026-11-23 10:15:00' }, '1104'],
    ['refund with a fractional txamt', 'refund', { syssn: '1', out_trade_no: 'R-2', txamt: '1.5', txdtm: '2026-11-23 10:15:00' }, '1103'],
    ['refund with a malformed txdtm', 'refund', { syssn: '1', out_trade_no: 'R-3', txamt: '100', txdtm: 'now' }, '1103'],
    ['close naming no order', 'close', { txamt: '100', txdtm: '2026-11-23 10:15:00' }, '1104'],
    ['close without txdtm', 'close', { out_trade_no: 'X', txamt: '100' }, '1104'],
    ['reversal without txamt', 'reversal', { out_trade_no: 'X', txdtm: '2026-11-23 10:15:00' }, '1104'],
    ['reversal of an unknown order', 'reversal', { out_trade_no: 'NEVER', txamt: '100', txdtm: '2026-11-23 10:15:00' }, '1136'],
  ])('%s -> %s', async (_name, path, fields, respcd) => {
    expect((await post(simulator, path, fields)).json.respcd).toBe(respcd);
  });

  it('refuses mchid from a merchant that was not issued one', async () => {
    expect((await post(simulator, 'payment', payment({ mchid: 'ZaMVg12345' }))).json.respcd).toBe('1104');
  });

  it('answers 405 to GET and 404 to unknown paths', async () => {
    expect((await fetch(`${simulator.url}/trade/v1/payment`)).status).toBe(405);
    expect((await fetch(`${simulator.url}/trade/v1/unknown`, { method: 'POST' })).status).toBe(404);
  });
});

describe('query', () => {
  it('types every record field as QFPay does and pages the results', async () => {
    const numbers: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const fields = payment();
      numbers.push(fields.out_trade_no as string);
      await post(simulator, 'payment', fields);
    }
    const first = await post(simulator, 'query', { out_trade_no: numbers.join(','), page: '1', page_size: '2' });
    expect(first.json).toMatchObject({ respcd: '0000', page: '1', page_size: '2' });
    const data = first.json.data as Record<string, unknown>[];
    expect(data).toHaveLength(2);
    expect(data[0]).toMatchObject({ order_type: 'payment', respcd: '1143', txamt: '1230', cancel: '0', txcurrcd: 'HKD' });
    for (const value of Object.values(data[0] as object)) expect(typeof value).toBe('string');
    const third = await post(simulator, 'query', { out_trade_no: numbers.join(','), page: '3', page_size: '2' });
    expect(third.json.data).toHaveLength(1);
  });

  it('defaults to pages of 10 and refuses more than 100', async () => {
    expect((await post(simulator, 'query', { out_trade_no: 'X' })).json).toMatchObject({ page: '1', page_size: '10', data: [] });
    expect((await post(simulator, 'query', { out_trade_no: 'X', page_size: '101' })).json.respcd).toBe('1104');
    expect((await post(simulator, 'query', { out_trade_no: 'X', page: 'one' })).json.respcd).toBe('1103');
  });

  it('needs an order or a time window within one month', async () => {
    expect((await post(simulator, 'query', {})).json.respcd).toBe('1104');
    expect((await post(simulator, 'query', { start_time: '2026-11-01 00:00:00' })).json.respcd).toBe('1104');
    expect((await post(simulator, 'query', { start_time: '2026-10-31 00:00:00', end_time: '2026-11-01 00:00:00' })).json.respcd).toBe('1104');
    expect((await post(simulator, 'query', { start_time: '2026-11-01', end_time: '2026-11-30 23:59:59' })).json.respcd).toBe('1103');
    const month = new Date().toISOString().slice(0, 7);
    const window = await post(simulator, 'query', { start_time: `${month}-01 00:00:00`, end_time: `${month}-28 23:59:59`, page_size: '100' });
    expect(window.json.respcd).toBe('0000');
  });
});

describe('the current-month rule and time windows', () => {
  /** A simulator of its own whose clock stands just before a Hong Kong month end. */
  async function atMonthEnd() {
    const own = await startTestSimulator();
    // 2026-10-31 23:59:00 in Hong Kong (UTC+8).
    const offset = Date.UTC(2026, 9, 31, 15, 59, 0) - Date.now();
    await own.control('PUT', 'clock', { offsetMs: offset });
    return { own, offset };
  }

  it('finds last month’s order only with a window inside last month, and pages it', async () => {
    const { own, offset } = await atMonthEnd();
    try {
      const numbers: string[] = [];
      for (let index = 0; index < 3; index += 1) {
        const fields = payment({ txdtm: '2026-10-31 23:59:00' });
        numbers.push(fields.out_trade_no as string);
        expect((await post(own, 'payment', fields)).json.respcd).toBe('0000');
      }
      expect((await post(own, 'query', { out_trade_no: numbers.join(',') })).json.data).toHaveLength(3);
      // Two minutes later it is November in Hong Kong.
      expect((await own.control('PUT', 'clock', { offsetMs: offset + 2 * 60_000 })).json.now).toMatch(/^2026-10-31T16:01/);
      expect((await post(own, 'query', { out_trade_no: numbers.join(',') })).json.data).toEqual([]);
      const october = { start_time: '2026-10-01 00:00:00', end_time: '2026-10-31 23:59:59' };
      const page1 = await post(own, 'query', { out_trade_no: numbers.join(','), ...october, page_size: '2' });
      const page2 = await post(own, 'query', { out_trade_no: numbers.join(','), ...october, page_size: '2', page: '2' });
      expect([...(page1.json.data as { out_trade_no: string }[]), ...(page2.json.data as { out_trade_no: string }[])].map((record) => record.out_trade_no).sort()).toEqual([...numbers].sort());
      expect((await post(own, 'query', { ...october, page_size: '100' })).json.data).toHaveLength(3);
      expect((await post(own, 'query', { out_trade_no: numbers.join(','), start_time: '2026-11-01 00:00:00', end_time: '2026-11-30 23:59:59' })).json.data).toEqual([]);
    } finally {
      await own.stop();
    }
  });
});

describe('faults that say less than the truth', () => {
  it('empty, unlabelled and unknown-code records, each while the order exists', async () => {
    const fields = payment();
    await post(simulator, 'payment', fields);
    const number = fields.out_trade_no as string;
    await simulator.control('PUT', 'faults/query', { kind: 'empty', times: 1 });
    expect((await post(simulator, 'query', { out_trade_no: number })).json).toMatchObject({ respcd: '0000', data: [] });
    await simulator.control('PUT', 'faults/query', { kind: 'unlabelled', times: 1 });
    const unlabelled = (await post(simulator, 'query', { out_trade_no: number })).json.data as Record<string, unknown>[];
    expect(unlabelled[0]).toMatchObject({ out_trade_no: number, respcd: '1143' });
    expect(unlabelled[0]).not.toHaveProperty('order_type');
    expect(unlabelled[0]).not.toHaveProperty('origssn');
    await simulator.control('PUT', 'faults/query', { kind: 'record_respcd', respcd: '1999', times: 1 });
    expect(((await post(simulator, 'query', { out_trade_no: number })).json.data as Record<string, unknown>[])[0]).toMatchObject({ respcd: '1999' });
    expect(((await post(simulator, 'query', { out_trade_no: number })).json.data as Record<string, unknown>[])[0]).toMatchObject({ respcd: '1143', order_type: 'payment' });
  });

  it('a respcd after processing keeps the rest of the answer (a 1143 with its QR)', async () => {
    await simulator.control('PUT', 'faults/payment', { kind: 'respcd', respcd: '1143', afterProcessing: true, times: 1 });
    const { json } = await post(simulator, 'payment', payment());
    expect(json).toMatchObject({ respcd: '1143', qrcode: expect.stringContaining('/__sim__/wallet/') });
  });
});

describe('QR expiry with a time scale', () => {
  it('expires a 5-minute QR in half a second at 600x, and the wallet can no longer pay it', async () => {
    const fields = payment({ expired_time: '5' });
    expect((await post(simulator, 'payment', fields)).json.respcd).toBe('0000');
    const query = () => post(simulator, 'query', { out_trade_no: fields.out_trade_no as string });
    expect(((await query()).json.data as { respcd: string }[])[0]?.respcd).toBe('1143');
    await sleep(700);
    expect(((await query()).json.data as { respcd: string }[])[0]?.respcd).toBe('1181');
    const paid = await simulator.control('POST', `orders/${fields.out_trade_no}/pay`);
    expect(paid).toMatchObject({ status: 409, json: { error: 'not_payable', order: { state: 'expired' } } });
  });
});

describe('the customer wallet page', () => {
  it('shows the amount and pays the order', async () => {
    const created = await post(simulator, 'payment', payment({ goods_name: 'Milk Tea' }));
    const page = await fetch(created.json.qrcode as string);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('HK$12.30');
    expect(html).toContain('WeChat Pay');
    expect(html).toContain('Training: no real money');

    const pay = await fetch(`${created.json.qrcode as string}/pay`, { method: 'POST', redirect: 'manual' });
    expect(pay.status).toBe(303);
    expect(await (await fetch(created.json.qrcode as string)).text()).toContain('Paid');
    const order = await simulator.control('GET', `orders/${created.json.out_trade_no as string}`);
    expect(order.json).toMatchObject({ state: 'paid', respcd: '0000' });
  });

  it('lets the customer decline (insufficient balance, 1201)', async () => {
    const created = await post(simulator, 'payment', payment());
    await fetch(`${created.json.qrcode as string}/decline`, { method: 'POST', redirect: 'manual' });
    const order = await simulator.control('GET', `orders/${created.json.out_trade_no as string}`);
    expect(order.json).toMatchObject({ state: 'failed', respcd: '1201' });
  });

  it('says so for an unknown order', async () => {
    expect(await (await fetch(`${simulator.url}/__sim__/wallet/123`)).text()).toContain('not a payment the simulator knows');
  });
});

describe('the control surface', () => {
  it('refuses a fault it does not understand', async () => {
    expect((await simulator.control('PUT', 'faults/payment', { kind: 'explode' })).status).toBe(400);
    expect((await simulator.control('PUT', 'faults/payment', { kind: 'respcd' })).status).toBe(400);
    expect((await simulator.control('PUT', 'faults/nowhere', { kind: 'hang' })).status).toBe(404);
    expect((await simulator.control('GET', 'faults')).json).toEqual({ faults: {} });
  });

  it('fails an order with a chosen respcd', async () => {
    const created = await post(simulator, 'payment', payment());
    const failed = await simulator.control('POST', `orders/${created.json.out_trade_no as string}/fail`, { respcd: '1205' });
    expect(failed.json).toMatchObject({ state: 'failed', respcd: '1205' });
  });
});

/** A signed form POST to any simulator, with the credentials it printed. */
async function signedPost(url: string, path: string, fields: Record<string, string>, credentials: { appCode: string; clientKey: string }) {
  const response = await fetch(`${url}/trade/v1/${path}`, {
    method: 'POST',
    headers: { 'X-QF-APPCODE': credentials.appCode, 'X-QF-SIGN': sign(fields, credentials.clientKey, 'MD5') },
    body: new URLSearchParams(fields),
  });
  return (await response.json()) as Record<string, any>;
}

describe('persistence', () => {
  it('keeps orders and credentials across a restart, as a real gateway would', async () => {
    const folder = tempFolder();
    const dbPath = join(folder.path, 'sim.sqlite');
    try {
      const first = await startSimulator({ dbPath, rateLimitPerMinute: 0 });
      const credentials = first.credentials;
      expect(credentials.appCode).toMatch(/^[0-9A-F]{32}$/);
      const fields = payment();
      const created = await signedPost(first.url, 'payment', fields, credentials);
      expect(created.respcd).toBe('0000');
      await first.close();

      const second = await startSimulator({ dbPath, rateLimitPerMinute: 0 });
      expect(second.credentials).toEqual(credentials);
      const answer = await signedPost(second.url, 'query', { out_trade_no: fields.out_trade_no as string }, credentials);
      expect(answer.data).toEqual([expect.objectContaining({ syssn: created.syssn, respcd: '1143' })]);
      // The sequence goes on: a new order never reuses a syssn.
      const again = await signedPost(second.url, 'payment', payment(), credentials);
      expect(BigInt(again.syssn)).toBeGreaterThan(BigInt(created.syssn));
      await second.close();
    } finally {
      folder.remove();
    }
  });
});
