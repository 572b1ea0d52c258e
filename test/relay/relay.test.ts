import { request as httpRequest } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headOfficePool, withHeadOffice } from '../../electron/services/headOffice/connection';
import { migrateHeadOffice } from '../../electron/services/headOffice/postgresSchema';
import { NOTIFY_MAX_BODY_BYTES, startRelay, type RunningRelay } from '../../electron/relay/relayServer';
import { NOTIFICATION_CHANNEL, notificationBody, notificationSignature } from '../../shared/qfpay/notifications';
import { postgresAvailable, startPostgres, type TestPostgres } from '../support/postgres';

const APP_CODE = 'RELAYTESTAPP';
const CLIENT_KEY = 'relay-test-client-key-0123';
const OTHER_APP = 'SECONDAPP';
const OTHER_KEY = 'second-merchant-key-4567';

const paymentRecord = (syssn: string, outTradeNo: string) => ({
  syssn,
  out_trade_no: outTradeNo,
  pay_type: '800101',
  txamt: '1230',
  txcurrcd: 'HKD',
  txdtm: '2026-12-04 10:00:00',
  sysdtm: '2026-12-04 10:00:01',
  paydtm: '2026-12-04 10:00:09',
  respcd: '0000',
  cancel: '0',
  chnlsn: '',
  cardcd: '',
  cash_fee: '1230',
});

/** A POST as QFPay sends it: these exact bytes, this signature header (or none). */
function post(url: string, body: Uint8Array, sign: string | undefined, method = 'POST'): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method, headers: { 'Content-Type': 'application/json', ...(sign === undefined ? {} : { 'X-QF-SIGN': sign }) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.end(method === 'GET' ? undefined : body);
  });
}

describe.skipIf(!postgresAvailable)("the relay of QFPay's notifications", () => {
  let postgres: TestPostgres;
  let pool: pg.Pool;
  let relay: RunningRelay;
  let listener: pg.Client;
  const signals: unknown[] = [];
  const logged: string[] = [];
  let notify: string;

  beforeAll(async () => {
    postgres = await startPostgres();
    const url = new URL(await postgres.createDatabase('relay'));
    pool = headOfficePool(url, { max: 4 });
    await withHeadOffice(pool, (client) => migrateHeadOffice(client));
    listener = new pg.Client({ connectionString: url.href });
    await listener.connect();
    listener.on('notification', (message) => signals.push(JSON.parse(message.payload ?? 'null')));
    await listener.query(`LISTEN ${NOTIFICATION_CHANNEL}`);
    relay = await startRelay({ pool, keys: new Map([[APP_CODE, CLIENT_KEY], [OTHER_APP, OTHER_KEY]]), log: (line) => logged.push(line) });
    notify = `${relay.url}/qfpay/notify`;
  });
  afterAll(async () => {
    await relay?.close();
    await listener?.end();
    await pool?.end();
    await postgres?.remove();
  });

  const rows = async (syssn: string) =>
    (await pool.query<{ app_code: string; notify_type: string; out_trade_no: string; body: string; deliveries: number }>('SELECT app_code, notify_type, out_trade_no, body, deliveries FROM qfpay_notifications WHERE syssn = $1', [syssn])).rows;

  it('stores a signed notification once, tells the tills, and answers SUCCESS; a retried delivery is counted, not stored again', async () => {
    const body = notificationBody(paymentRecord('20261204000101', 'T1-ORDER-1'), 'payment');
    const first = await post(notify, body, notificationSignature(body, CLIENT_KEY));
    expect(first).toEqual({ status: 200, text: 'SUCCESS' });
    // The same bytes again, the signature in lower case as some of QFPay's samples send it.
    const again = await post(notify, body, notificationSignature(body, CLIENT_KEY).toLowerCase());
    expect(again).toEqual({ status: 200, text: 'SUCCESS' });
    const stored = await rows('20261204000101');
    expect(stored).toEqual([{ app_code: APP_CODE, notify_type: 'payment', out_trade_no: 'T1-ORDER-1', body: Buffer.from(body).toString('utf8'), deliveries: 2 }]);
    await expect.poll(() => signals.length).toBeGreaterThanOrEqual(2);
    expect(signals[0]).toEqual({ app_code: APP_CODE, notify_type: 'payment', syssn: '20261204000101', out_trade_no: 'T1-ORDER-1' });
    expect(logged.some((line) => line.includes('delivery 2: kept once'))).toBe(true);
  });

  it("knows the merchant by the key that signed it, and keeps a refund apart from its payment's notification", async () => {
    const body = notificationBody({ ...paymentRecord('20261204000102', 'T2-REFUND-1'), origssn: '20261204000101' }, 'refund');
    expect(await post(notify, body, notificationSignature(body, OTHER_KEY))).toEqual({ status: 200, text: 'SUCCESS' });
    expect((await rows('20261204000102')).map((row) => [row.app_code, row.notify_type])).toEqual([[OTHER_APP, 'refund']]);
  });

  it('refuses, in words and never with SUCCESS, a wrong signature, a tampered body, a missing header, a body over the limit and a GET; it stores nothing for them', async () => {
    const body = notificationBody(paymentRecord('20261204000199', 'T1-BAD'), 'payment');
    const tampered = Buffer.from(Buffer.from(body).toString('utf8').replace('"1230"', '"9999"'));
    const oversize = Buffer.from(JSON.stringify({ ...paymentRecord('20261204000198', 'T1-BIG'), notify_type: 'payment', padding: 'x'.repeat(NOTIFY_MAX_BODY_BYTES) }));
    const cases = {
      wrongKey: await post(notify, body, notificationSignature(body, 'not-the-merchants-key')),
      tampered: await post(notify, tampered, notificationSignature(body, CLIENT_KEY)),
      noHeader: await post(notify, body, undefined),
      oversize: await post(notify, oversize, notificationSignature(oversize, CLIENT_KEY)),
      get: await post(notify, body, notificationSignature(body, CLIENT_KEY), 'GET'),
      elsewhere: await post(`${relay.url}/notify`, body, notificationSignature(body, CLIENT_KEY)),
    };
    expect(Object.fromEntries(Object.entries(cases).map(([name, answer]) => [name, answer.status]))).toEqual({ wrongKey: 401, tampered: 401, noHeader: 401, oversize: 413, get: 405, elsewhere: 404 });
    for (const answer of Object.values(cases)) expect(answer.text).not.toContain('SUCCESS');
    expect(cases.wrongKey.text).toBe('the signature does not match this body');
    expect(cases.noHeader.text).toBe('no X-QF-SIGN header');
    expect(await rows('20261204000199')).toEqual([]);
    expect(await rows('20261204000198')).toEqual([]);
    // Each refusal is logged with its reason; no key, no body.
    expect(logged.filter((line) => line.includes('refused'))).toHaveLength(5);
    for (const line of logged) for (const secret of [CLIENT_KEY, OTHER_KEY, 'not-the-merchants-key', '"txamt"']) expect(line).not.toContain(secret);
  });

  it('refuses a signed body that cannot be routed (not JSON, or without its numbers), saying what is missing', async () => {
    const notJson = Buffer.from('status=1&syssn=1');
    const noNumber = Buffer.from(JSON.stringify({ notify_type: 'payment', syssn: '20261204000150' }));
    const first = await post(notify, notJson, notificationSignature(notJson, CLIENT_KEY));
    const second = await post(notify, noNumber, notificationSignature(noNumber, CLIENT_KEY));
    expect([first.status, first.text]).toEqual([400, 'the body is not JSON']);
    expect(second.status).toBe(400);
    expect(second.text).toContain('out_trade_no');
  });

  it('answers 503, not SUCCESS, while the head office cannot store: QFPay retries, and the retry lands once it can', async () => {
    const body = notificationBody(paymentRecord('20261204000103', 'T1-ORDER-3'), 'payment');
    // The table locked by another session: the relay's insert waits, then fails on its own timeout.
    const blocker = await pool.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE qfpay_notifications IN ACCESS EXCLUSIVE MODE');
    const shortPool = headOfficePool(new URL(postgres.url('relay_1')), { max: 1, timeoutMs: 500 });
    const impatient = await startRelay({ pool: shortPool, keys: new Map([[APP_CODE, CLIENT_KEY]]), log: () => undefined });
    try {
      const answer = await post(`${impatient.url}/qfpay/notify`, body, notificationSignature(body, CLIENT_KEY));
      expect(answer).toEqual({ status: 503, text: 'not stored: try again later' });
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
      await impatient.close();
      await shortPool.end();
    }
    expect(await rows('20261204000103')).toEqual([]);
    expect(await post(notify, body, notificationSignature(body, CLIENT_KEY))).toEqual({ status: 200, text: 'SUCCESS' });
    expect(await rows('20261204000103')).toHaveLength(1);
  });

  it('keeps what QFPay sent: a stored notification cannot be edited or deleted', async () => {
    await expect(pool.query("UPDATE qfpay_notifications SET body = '{}' WHERE syssn = '20261204000101'")).rejects.toThrow(/keeps what QFPay sent/);
    await expect(pool.query("DELETE FROM qfpay_notifications WHERE syssn = '20261204000101'")).rejects.toThrow(/append-only/);
  });

  it('says it is alive in qfpay_relays and on /healthz, and says goodbye when it stops', async () => {
    const beats = await pool.query<{ relay_id: string }>('SELECT relay_id FROM qfpay_relays');
    expect(beats.rows.map((row) => row.relay_id)).toContain(relay.relayId);
    const health = await post(`${relay.url}/healthz`, new Uint8Array(), undefined, 'GET');
    expect(health).toEqual({ status: 200, text: 'ok' });
  });
});
