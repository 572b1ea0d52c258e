import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayClient, type GatewayClient, type GatewayResult } from '../../electron/services/gateway/client';
import { newOutTradeNo } from '../../shared/qfpay/fields';
import { cancelFields, paymentFields, queryFields, refundFields } from '../../shared/qfpay/requests';
import type { PaymentAnswer } from '../../shared/qfpay/responses';
import type { SignType } from '../../shared/qfpay/signing';
import { WALLETS, type WalletId } from '../../shared/wallets';
import { startTestSimulator, TEST_CREDENTIALS, type TestSimulator } from '../support/simulator';

const number = (kind: 'payment' | 'refund' = 'payment') => newOutTradeNo('T1', kind, Date.now(), randomBytes(5));

function fieldsOf<T>(result: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(`builder refused: ${result.error}`);
  return result.value;
}

function success<T>(result: GatewayResult<T>): T {
  if (result.kind !== 'success') throw new Error(`expected success, got ${JSON.stringify(result)}`);
  return result.body;
}

async function charge(client: GatewayClient, wallet: WalletId = 'wechat', amount = 1230) {
  const fields = fieldsOf(paymentFields({ wallet, amount, outTradeNo: number(), requestedAt: Date.now(), tillId: 'front-1', goodsName: '凍檸茶' }));
  return { fields, answer: success(await client.payment(fields)) };
}

async function queryOne(client: GatewayClient, outTradeNo: string) {
  const answer = success(await client.query(fieldsOf(queryFields({ outTradeNos: [outTradeNo] }))));
  return answer.data.find((record) => record.order_type === 'payment');
}

let simulator: TestSimulator;
beforeAll(async () => {
  simulator = await startTestSimulator();
});
afterAll(async () => {
  await simulator.stop();
});
afterEach(async () => {
  await simulator.control('DELETE', 'faults');
});

describe.each<SignType>(['MD5', 'SHA256'])('every pay type, signed with %s', (signType) => {
  it.each(WALLETS.map((wallet) => wallet.id))('%s: charge, wait, pay, see it paid', async (wallet) => {
    const client = simulator.client({ signType });
    const { fields, answer } = await charge(client, wallet);
    expect(answer).toMatchObject({ respcd: '0000', out_trade_no: fields.out_trade_no, txamt: 1230, pay_type: fields.pay_type });
    expect(answer.qrcode).toBe(`${simulator.url}/__sim__/wallet/${answer.syssn}`);

    expect(await queryOne(client, fields.out_trade_no as string)).toMatchObject({ respcd: '1143', syssn: answer.syssn });
    expect((await simulator.control('POST', `orders/${fields.out_trade_no}/pay`)).status).toBe(200);
    expect(await queryOne(client, fields.out_trade_no as string)).toMatchObject({ respcd: '0000', txamt: 1230, cancel: '0' });
  });
});

describe('query', () => {
  it('answers a batch of orders in one request', async () => {
    const client = simulator.client();
    const orders = await Promise.all([charge(client, 'alipay'), charge(client, 'payme'), charge(client, 'fps')]);
    await simulator.control('DELETE', 'requests');
    const answer = success(await client.query(fieldsOf(queryFields({ outTradeNos: orders.map((order) => order.fields.out_trade_no as string) }))));
    expect(answer.data.map((record) => record.out_trade_no).sort()).toEqual(orders.map((order) => order.fields.out_trade_no).sort());
    expect(simulator.requests().filter((entry) => entry.endpoint === 'query')).toHaveLength(1);
  });

  it('finds an order by syssn too', async () => {
    const client = simulator.client();
    const { answer } = await charge(client);
    const found = success(await client.query(fieldsOf(queryFields({ syssns: [answer.syssn] }))));
    expect(found.data).toHaveLength(1);
    expect(found.data[0]).toMatchObject({ syssn: answer.syssn, respcd: '1143' });
  });

  it('answers an empty list for an order it never saw', async () => {
    const answer = success(await simulator.client().query(fieldsOf(queryFields({ outTradeNos: ['NEVER-SEEN-1'] }))));
    expect(answer.data).toEqual([]);
  });
});

describe('close and reversal', () => {
  it.each([
    ['wechat', 'close'],
    ['unionpay', 'close'],
    ['alipay', 'reversal'],
  ] as const)('%s is withdrawn with %s', async (wallet, endpoint) => {
    const client = simulator.client();
    const { fields, answer } = await charge(client, wallet);
    const cancel = fieldsOf(cancelFields({ outTradeNo: fields.out_trade_no as string, syssn: answer.syssn, amount: 1230, originalTxdtm: fields.txdtm as string }));
    expect(success(await client[endpoint](cancel))).toMatchObject({ respcd: '0000' });
    expect(await queryOne(client, fields.out_trade_no as string)).toMatchObject({ cancel: '2' });
    // The customer can no longer pay it.
    expect((await simulator.control('POST', `orders/${fields.out_trade_no}/pay`)).status).toBe(409);
  });

  it.each(['payme', 'fps', 'octopus'] as const)('%s has no cancel: the gateway says 1150', async (wallet) => {
    const client = simulator.client();
    const { fields } = await charge(client, wallet);
    const cancel = fieldsOf(cancelFields({ outTradeNo: fields.out_trade_no as string, amount: 1230, originalTxdtm: fields.txdtm as string }));
    expect(await client.close(cancel)).toMatchObject({ kind: 'answer', respcd: '1150', outcome: 'failed' });
  });

  it('refuses to close a paid order (1260): refund it instead', async () => {
    const client = simulator.client();
    const { fields } = await charge(client, 'wechat');
    await simulator.control('POST', `orders/${fields.out_trade_no}/pay`);
    const cancel = fieldsOf(cancelFields({ outTradeNo: fields.out_trade_no as string, amount: 1230, originalTxdtm: fields.txdtm as string }));
    expect(await client.close(cancel)).toMatchObject({ kind: 'answer', respcd: '1260' });
  });
});

describe('refund', () => {
  async function paidOrder(client: GatewayClient, amount = 1230): Promise<PaymentAnswer> {
    const { fields, answer } = await charge(client, 'payme', amount);
    await simulator.control('POST', `orders/${fields.out_trade_no}/pay`);
    return answer;
  }
  const refund = (syssn: string, amount: number, outTradeNo = number('refund')) =>
    fieldsOf(refundFields({ syssn, outTradeNo, amount, requestedAt: Date.now() }));

  it('refunds in part, then the rest, then refuses more', async () => {
    const client = simulator.client();
    const payment = await paidOrder(client);
    const first = success(await client.refund(refund(payment.syssn, 500)));
    expect(first).toMatchObject({ respcd: '0000', orig_syssn: payment.syssn, txamt: 500 });
    expect(await client.refund(refund(payment.syssn, 731))).toMatchObject({ kind: 'answer', respcd: '1272', outcome: 'failed' });
    expect(success(await client.refund(refund(payment.syssn, 730)))).toMatchObject({ txamt: 730 });
    expect(await client.refund(refund(payment.syssn, 1))).toMatchObject({ kind: 'answer', respcd: '1262' });

    // The payment's number now brings back the payment and both refunds: pick by order_type.
    const records = success(await client.query(fieldsOf(queryFields({ outTradeNos: [payment.out_trade_no] })))).data;
    expect(records.map((record) => record.order_type).sort()).toEqual(['payment', 'refund', 'refund']);
    expect(records.find((record) => record.order_type === 'payment')).toMatchObject({ cancel: '3' });
  });

  it('refuses a reused refund number (1251) and an unpaid order (1261)', async () => {
    const client = simulator.client();
    const payment = await paidOrder(client);
    const again = number('refund');
    success(await client.refund(refund(payment.syssn, 100, again)));
    expect(await client.refund(refund(payment.syssn, 100, again))).toMatchObject({ kind: 'answer', respcd: '1251' });
    const { answer: unpaid } = await charge(client);
    expect(await client.refund(refund(unpaid.syssn, 100))).toMatchObject({ kind: 'answer', respcd: '1261' });
    expect(await client.refund(refund('20990101000000000000000000', 100))).toMatchObject({ kind: 'answer', respcd: '1136' });
  });
});

describe('credentials', () => {
  it('is refused with 1108 for a wrong key and 1250 for an unknown app code', async () => {
    const fields = fieldsOf(paymentFields({ wallet: 'wechat', amount: 100, outTradeNo: number(), requestedAt: Date.now() }));
    expect(await simulator.client({ clientKey: 'wrong' }).payment(fields)).toMatchObject({ kind: 'answer', respcd: '1108', outcome: 'failed' });
    expect(await simulator.client({ appCode: 'NOPE' }).payment(fields)).toMatchObject({ kind: 'answer', respcd: '1250', outcome: 'failed' });
  });

  it('sends mchid only when one was issued', async () => {
    const withMchid = await startTestSimulator({ credentials: { ...TEST_CREDENTIALS, mchid: 'ZaMVg12345' } });
    try {
      const fields = () => fieldsOf(paymentFields({ wallet: 'alipay', amount: 100, outTradeNo: number(), requestedAt: Date.now() }));
      expect((await withMchid.client({ mchid: 'ZaMVg12345' }).payment(fields())).kind).toBe('success');
      expect(await withMchid.client().payment(fields())).toMatchObject({ kind: 'answer', respcd: '1104' });
      expect(await withMchid.client({ mchid: 'OTHER' }).payment(fields())).toMatchObject({ kind: 'answer', respcd: '1250' });
      // And to a merchant without one, sending it is the error.
      expect(await simulator.client({ mchid: 'ZaMVg12345' }).payment(fields())).toMatchObject({ kind: 'answer', respcd: '1104' });
    } finally {
      await withMchid.stop();
    }
  });
});

describe('faults become typed outcomes', () => {
  const paymentFieldsNow = () => fieldsOf(paymentFields({ wallet: 'wechat', amount: 100, outTradeNo: number(), requestedAt: Date.now() }));

  it.each([
    [{ kind: 'http_500' }, { kind: 'unknown', reason: 'http_status', httpStatus: 500 }],
    [{ kind: 'http_429' }, { kind: 'unknown', reason: 'rate_limited', httpStatus: 429, retryAfterSeconds: 1 }],
    [{ kind: 'garbage' }, { kind: 'unknown', reason: 'not_json' }],
    [{ kind: 'malformed' }, { kind: 'unknown', reason: 'bad_shape' }],
    [{ kind: 'hang' }, { kind: 'unknown', reason: 'timeout' }],
    [{ kind: 'delay', delayMs: 1_500 }, { kind: 'unknown', reason: 'timeout' }],
    [{ kind: 'respcd', respcd: '1298' }, { kind: 'answer', respcd: '1298', outcome: 'confirm_by_query' }],
    [{ kind: 'respcd', respcd: '1294' }, { kind: 'answer', respcd: '1294', outcome: 'never_retry' }],
    [{ kind: 'respcd', respcd: '1145' }, { kind: 'answer', respcd: '1145', outcome: 'pending' }],
    [{ kind: 'respcd', respcd: '7777' }, { kind: 'answer', respcd: '7777', outcome: 'unknown_code' }],
  ])('payment fault %j -> %j', async (fault, outcome) => {
    expect((await simulator.control('PUT', 'faults/payment', fault)).status).toBe(200);
    const result = await simulator.client({ timeoutMs: 800 }).payment(paymentFieldsNow());
    expect(result).toMatchObject(outcome);
  });

  it.each(['query', 'close', 'reversal', 'refund'] as const)('%s faults are outcome unknown too', async (endpoint) => {
    const client = simulator.client({ timeoutMs: 800 });
    const { fields, answer } = await charge(client, 'alipay');
    const request = {
      query: () => client.query(fieldsOf(queryFields({ outTradeNos: [fields.out_trade_no as string] }))),
      close: () => client.close(fieldsOf(cancelFields({ outTradeNo: fields.out_trade_no as string, amount: 1230, originalTxdtm: fields.txdtm as string }))),
      reversal: () => client.reversal(fieldsOf(cancelFields({ outTradeNo: fields.out_trade_no as string, amount: 1230, originalTxdtm: fields.txdtm as string }))),
      refund: () => client.refund(fieldsOf(refundFields({ syssn: answer.syssn, outTradeNo: number('refund'), amount: 100, requestedAt: Date.now() }))),
    }[endpoint];
    for (const [fault, reason] of [
      [{ kind: 'http_500' }, 'http_status'],
      [{ kind: 'garbage' }, 'not_json'],
      [{ kind: 'malformed' }, 'bad_shape'],
      [{ kind: 'hang' }, 'timeout'],
    ] as const) {
      await simulator.control('PUT', `faults/${endpoint}`, fault);
      expect(await request()).toMatchObject({ kind: 'unknown', reason });
    }
  });

  it('a lost answer leaves an order at the gateway that a query finds', async () => {
    await simulator.control('PUT', 'faults/payment', { kind: 'hang', afterProcessing: true });
    const fields = paymentFieldsNow();
    const client = simulator.client({ timeoutMs: 500 });
    expect(await client.payment(fields)).toMatchObject({ kind: 'unknown', reason: 'timeout' });
    expect(await queryOne(client, fields.out_trade_no as string)).toMatchObject({ respcd: '1143' });
  });

  it('a fault with times applies that many times only', async () => {
    await simulator.control('PUT', 'faults/payment', { kind: 'http_500', times: 1 });
    const client = simulator.client();
    expect(await client.payment(paymentFieldsNow())).toMatchObject({ kind: 'unknown', reason: 'http_status' });
    expect((await client.payment(paymentFieldsNow())).kind).toBe('success');
  });

  it('a refused connection proves the request never left (not_sent), naming only the error code', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const client = createGatewayClient({ baseUrl: `http://127.0.0.1:${port}`, credentials: { ...TEST_CREDENTIALS, signType: 'MD5' } });
    expect(await client.payment(paymentFieldsNow())).toEqual({ kind: 'unknown', reason: 'not_sent', detail: 'ECONNREFUSED' });
  });

  it('a reset after the request was written proves nothing (network), unlike a refused connection', async () => {
    const rude = http.createServer((request) => request.on('data', () => request.socket.destroy()));
    await new Promise<void>((resolve) => rude.listen(0, '127.0.0.1', resolve));
    try {
      const client = createGatewayClient({ baseUrl: `http://127.0.0.1:${(rude.address() as AddressInfo).port}`, credentials: { ...TEST_CREDENTIALS, signType: 'MD5' } });
      expect(await client.payment(paymentFieldsNow())).toMatchObject({ kind: 'unknown', reason: 'network' });
    } finally {
      rude.closeAllConnections();
      await new Promise((resolve) => rude.close(resolve));
    }
  });

  it('a 1143 that carries the QR keeps it; one without a QR has none', async () => {
    const client = simulator.client();
    await simulator.control('PUT', 'faults/payment', { kind: 'respcd', respcd: '1143', afterProcessing: true, times: 1 });
    const fields = paymentFieldsNow();
    const answer = await client.payment(fields);
    expect(answer).toMatchObject({ kind: 'answer', respcd: '1143', outcome: 'pending', payment: { qrcode: expect.stringContaining('/__sim__/wallet/'), syssn: expect.stringMatching(/^\d+$/) } });
    await simulator.control('PUT', 'faults/payment', { kind: 'respcd', respcd: '1143', times: 1 });
    const bare = await client.payment(paymentFieldsNow());
    expect(bare).toMatchObject({ kind: 'answer', respcd: '1143' });
    expect(bare.kind === 'answer' ? bare.payment : 'not an answer').toBeUndefined();
  });

  it('the simulator rate limit becomes rate_limited', async () => {
    const limited = await startTestSimulator({ rateLimitPerMinute: 2 });
    try {
      const client = limited.client();
      await client.payment(paymentFieldsNow());
      await client.payment(paymentFieldsNow());
      expect(await client.payment(paymentFieldsNow())).toMatchObject({ kind: 'unknown', reason: 'rate_limited', retryAfterSeconds: 60 });
    } finally {
      await limited.stop();
    }
  });
});

describe('a gateway that answers about another order', () => {
  // A real HTTP server with a fixed answer: the simulator never sends a wrong echo, a proxy might.
  let server: http.Server;
  let url: string;
  let answer: Record<string, unknown> = {};
  beforeAll(async () => {
    server = http.createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(answer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('is outcome unknown, not success', async () => {
    const client = createGatewayClient({ baseUrl: url, credentials: { ...TEST_CREDENTIALS, signType: 'MD5' } });
    const fields = fieldsOf(paymentFields({ wallet: 'wechat', amount: 100, outTradeNo: number(), requestedAt: Date.now() }));
    answer = { respcd: '0000', syssn: '1', out_trade_no: 'SOMEONE-ELSE', pay_type: '800201', txamt: '100', qrcode: 'x' };
    expect(await client.payment(fields)).toMatchObject({ kind: 'unknown', reason: 'mismatch' });
    answer = { ...answer, out_trade_no: fields.out_trade_no, txamt: 999 };
    expect(await client.payment(fields)).toMatchObject({ kind: 'unknown', reason: 'mismatch' });
    answer = { ...answer, txamt: 100 };
    expect(await client.payment(fields)).toMatchObject({ kind: 'success' });
    // A pending answer that echoes another order is not about ours either, QR or not.
    answer = { respcd: '1143', out_trade_no: 'SOMEONE-ELSE', qrcode: 'https://pay.example/else' };
    expect(await client.payment(fields)).toMatchObject({ kind: 'unknown', reason: 'mismatch' });
  });
});

describe('the client key', () => {
  it('never appears in the client object, its results or its errors', async () => {
    const client = simulator.client({ timeoutMs: 300 });
    const seen: unknown[] = [client, Object.keys(client)];
    const fields = fieldsOf(paymentFields({ wallet: 'wechat', amount: 100, outTradeNo: number(), requestedAt: Date.now() }));
    seen.push(await client.payment(fields));
    for (const fault of [{ kind: 'hang' }, { kind: 'malformed' }, { kind: 'garbage' }, { kind: 'http_500' }]) {
      await simulator.control('PUT', 'faults/payment', fault);
      seen.push(await client.payment(fields));
    }
    const broken = createGatewayClient({ baseUrl: 'http://127.0.0.1:1', credentials: { ...TEST_CREDENTIALS, signType: 'SHA256' } });
    seen.push(broken, await broken.query(fields));
    for (const value of seen) {
      expect(inspect(value, { depth: 10, showHidden: true })).not.toContain(TEST_CREDENTIALS.clientKey);
      expect(JSON.stringify(value) ?? '').not.toContain(TEST_CREDENTIALS.clientKey);
    }
    // Nor in what the gateway received.
    expect(JSON.stringify(simulator.requests())).not.toContain(TEST_CREDENTIALS.clientKey);
  });
});
