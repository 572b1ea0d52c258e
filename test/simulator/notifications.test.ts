import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSimulator, type SimulatorOptions } from '../../electron/simulator/server';
import { formatHongKongTimestamp } from '../../shared/hkTime';
import { notificationSignature } from '../../shared/qfpay/notifications';
import { sign } from '../../shared/qfpay/signing';
import { startNotificationReceiver, type NotificationReceiver } from '../support/notificationReceiver';
import { closedPort, startTestSimulator, TEST_CREDENTIALS, type TestSimulator } from '../support/simulator';

/**
 * The simulator's asynchronous notifications reach a real receiver on loopback, which verifies
 * each one's signature on the raw bytes. Tests wait for deliveries with `notifier.idle()` and for
 * arrivals with `receiver.arrived(n)`, never on the clock; retry delays are shortened to
 * milliseconds through `notifyRetryDelaysMs`.
 */

const SHORT_DELAYS = [100, 200, 400];
const started: { stop: () => Promise<unknown> }[] = [];
afterEach(async () => {
  // Simulators first: they stop their deliveries before the receivers go away.
  for (const part of started.splice(0).reverse()) await part.stop();
  vi.restoreAllMocks();
});

async function receiver(): Promise<NotificationReceiver> {
  const target = await startNotificationReceiver(TEST_CREDENTIALS.clientKey);
  started.push({ stop: target.close });
  return target;
}

async function simulatorFor(target: NotificationReceiver | undefined, options: Partial<SimulatorOptions> = {}): Promise<TestSimulator> {
  const simulator = await startTestSimulator({ notifyUrl: target?.url, notifyRetryDelaysMs: SHORT_DELAYS, ...options });
  started.push(simulator);
  return simulator;
}

let sequence = 0;
/** A payment the simulator created, waiting for the customer: its out_trade_no and syssn. */
async function newOrder(simulator: TestSimulator, txamt = '1230') {
  sequence += 1;
  const outTradeNo = `NOTIFY-${process.pid}-${sequence}`;
  const answer = await simulator
    .client()
    .payment({ txamt, txcurrcd: 'HKD', pay_type: '800201', out_trade_no: outTradeNo, txdtm: formatHongKongTimestamp(Date.now()) });
  if (answer.kind !== 'success') throw new Error(`payment refused: ${JSON.stringify(answer)}`);
  return { outTradeNo, syssn: answer.body.syssn };
}

/** The customer pays through the control surface, as tests and the bench do. */
async function pay(simulator: TestSimulator, outTradeNo: string) {
  const { status } = await simulator.control('POST', `orders/${encodeURIComponent(outTradeNo)}/pay`);
  expect(status).toBe(200);
}

async function paidOrder(simulator: TestSimulator, txamt?: string) {
  const order = await newOrder(simulator, txamt);
  await pay(simulator, order.outTradeNo);
  return order;
}

const outTradeNos = (target: NotificationReceiver) => target.received.map((notification) => notification.json.out_trade_no);

describe('a notification', () => {
  it('is sent once a payment is made, correctly signed, with the fields of the enquiry', async () => {
    const target = await receiver();
    const simulator = await simulatorFor(target);
    const order = await paidOrder(simulator);
    await simulator.notifier.idle();

    expect(target.received).toHaveLength(1);
    const [notification] = target.received;
    expect(notification?.verified).toBe(true);
    expect(notification?.contentType).toBe('application/json');
    expect(notification?.json).toMatchObject({
      notify_type: 'payment',
      status: '1',
      out_trade_no: order.outTradeNo,
      syssn: order.syssn,
      txamt: '1230',
      txcurrcd: 'HKD',
      pay_type: '800201',
      respcd: '0000',
      cancel: '0',
      order_type: 'payment',
    });
    expect(notification?.json.paydtm).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    // The body is the enquiry's record: a till that queries next reads the same fields.
    // (Asked over the wire: the gateway client keeps only the fields it reads.)
    const enquiry = await fetch(`${simulator.url}/trade/v1/query`, {
      method: 'POST',
      headers: { 'X-QF-APPCODE': TEST_CREDENTIALS.appCode, 'X-QF-SIGN': sign({ syssn: order.syssn }, TEST_CREDENTIALS.clientKey, 'MD5') },
      body: new URLSearchParams({ syssn: order.syssn }),
    });
    const { data } = (await enquiry.json()) as { data: Record<string, string>[] };
    expect(notification?.json).toEqual({ ...data[0], notify_type: 'payment', status: '1' });

    expect(simulator.notifier.deliveries()).toMatchObject([
      { notifyType: 'payment', syssn: order.syssn, outTradeNo: order.outTradeNo, url: target.url, copy: 'original', faults: [], state: 'delivered', attempts: [{ httpStatus: 200, accepted: true, answer: 'SUCCESS' }] },
    ]);
    expect(simulator.notifier.totals()).toEqual({ notifications: 1, dropped: 0, attempts: 1, delivered: 1, gaveUp: 0 });
  });

  it('is sent when the customer pays on the wallet page', async () => {
    const target = await receiver();
    const simulator = await simulatorFor(target);
    const order = await newOrder(simulator);
    const response = await fetch(`${simulator.url}/__sim__/wallet/${order.syssn}/pay`, { method: 'POST', redirect: 'manual' });
    expect(response.status).toBe(303);
    await simulator.notifier.idle();
    expect(target.received.map((notification) => [notification.json.syssn, notification.json.notify_type, notification.verified])).toEqual([[order.syssn, 'payment', true]]);
  });

  it('is sent for a refund, carrying the refund\'s own record', async () => {
    const target = await receiver();
    const simulator = await simulatorFor(target);
    const order = await paidOrder(simulator);
    const refund = await simulator.client().refund({ syssn: order.syssn, out_trade_no: `${order.outTradeNo}-R`, txamt: '500', txdtm: formatHongKongTimestamp(Date.now()) });
    if (refund.kind !== 'success') throw new Error(`refund refused: ${JSON.stringify(refund)}`);
    await simulator.notifier.idle();

    expect(target.received.map((notification) => notification.json.notify_type)).toEqual(['payment', 'refund']);
    expect(target.received[1]?.verified).toBe(true);
    expect(target.received[1]?.json).toMatchObject({
      notify_type: 'refund',
      syssn: refund.body.syssn,
      out_trade_no: `${order.outTradeNo}-R`,
      origssn: order.syssn,
      order_type: 'refund',
      txamt: '500',
      respcd: '0000',
    });
  });

  it('is not sent for what did not succeed, nor without a URL', async () => {
    const target = await receiver();
    const simulator = await simulatorFor(target);
    const order = await newOrder(simulator);
    expect((await simulator.control('POST', `orders/${order.outTradeNo}/fail`, { respcd: '1201' })).status).toBe(200);
    // Refused: the payment failed, so there is nothing to refund and nothing to notify.
    const refund = await simulator.client().refund({ syssn: order.syssn, out_trade_no: `${order.outTradeNo}-R`, txamt: '100', txdtm: formatHongKongTimestamp(Date.now()) });
    expect(refund.kind).toBe('answer');

    const silent = await simulatorFor(undefined);
    await paidOrder(silent);
    await Promise.all([simulator.notifier.idle(), silent.notifier.idle()]);
    expect(target.received).toEqual([]);
    expect(silent.notifier.deliveries()).toEqual([]);
  });
});

describe('delivery', () => {
  it('is tried again after each delay until the receiver answers 200 SUCCESS, exactly', async () => {
    const target = await receiver();
    const arrivals: number[] = [];
    target.answerWith((_notification, index) => {
      arrivals.push(performance.now());
      // A 500, then a 200 that says something else: neither is an acceptance.
      return [{ status: 500, body: 'down' }, { status: 200, body: 'OK' }][index] ?? { status: 200, body: 'SUCCESS' };
    });
    const simulator = await simulatorFor(target);
    const order = await paidOrder(simulator);
    await simulator.notifier.idle();

    const [delivery] = simulator.notifier.deliveries();
    expect(delivery?.state).toBe('delivered');
    expect(delivery?.attempts.map(({ httpStatus, accepted, answer }) => ({ httpStatus, accepted, answer }))).toEqual([
      { httpStatus: 500, accepted: false, answer: 'down' },
      { httpStatus: 200, accepted: false, answer: 'OK' },
      { httpStatus: 200, accepted: true, answer: 'SUCCESS' },
    ]);
    // Every retry carries the same bytes and signature.
    expect(new Set(target.received.map((notification) => notification.raw.toString('hex'))).size).toBe(1);
    expect(target.received.every((notification) => notification.json.syssn === order.syssn && notification.verified)).toBe(true);
    // Each retry waited at least its delay (a lower bound: timers never fire early by more than a rounding).
    expect((arrivals[1] as number) - (arrivals[0] as number)).toBeGreaterThanOrEqual(SHORT_DELAYS[0] as number - 2);
    expect((arrivals[2] as number) - (arrivals[1] as number)).toBeGreaterThanOrEqual(SHORT_DELAYS[1] as number - 2);
  });

  it('gives up after the last delay, and says so', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const target = await receiver();
    target.answerWith(() => ({ status: 500, body: 'down' }));
    const simulator = await simulatorFor(target);
    const order = await paidOrder(simulator);
    await simulator.notifier.idle();

    expect(target.received).toHaveLength(SHORT_DELAYS.length + 1);
    expect(simulator.notifier.deliveries()[0]?.state).toBe('gave_up');
    expect(simulator.notifier.totals()).toMatchObject({ attempts: 4, delivered: 0, gaveUp: 1 });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(`gave up notifying the payment ${order.syssn}`));
    expect(warn.mock.calls.flat().join(' ')).not.toContain(TEST_CREDENTIALS.clientKey);
  });

  it('counts a refused connection and a receiver that does not answer in time as failed attempts', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const refused = await simulatorFor(undefined, { notifyUrl: `http://127.0.0.1:${await closedPort()}/notify`, notifyRetryDelaysMs: [10] });
    await paidOrder(refused);
    const silentReceiver = await receiver();
    silentReceiver.answerWith(() => 'hang');
    const slow = await simulatorFor(silentReceiver, { notifyTimeoutMs: 200, notifyRetryDelaysMs: [] });
    await paidOrder(slow);
    await Promise.all([refused.notifier.idle(), slow.notifier.idle()]);

    expect(refused.notifier.deliveries()[0]).toMatchObject({ state: 'gave_up', attempts: [{ accepted: false }, { accepted: false }] });
    expect(refused.notifier.deliveries()[0]?.attempts[0]?.problem).toContain('ECONNREFUSED');
    expect(slow.notifier.deliveries()[0]).toMatchObject({ state: 'gave_up', attempts: [{ accepted: false, problem: 'no answer within 200 ms' }] });
  });

  it('never holds up the request that caused it', async () => {
    const target = await receiver();
    target.answerWith(() => 'hang');
    const simulator = await simulatorFor(target);
    await paidOrder(simulator);
    // The payment was answered while its notification is still waiting for the receiver.
    await target.arrived(1);
    expect(simulator.notifier.deliveries()[0]?.state).toBe('sending');
  });
});

describe('notification faults', () => {
  it('drop: the notification is never sent, not even retried', async () => {
    const target = await receiver();
    const simulator = await simulatorFor(target, { notifyFaults: [{ kind: 'drop', times: 1 }] });
    const lost = await paidOrder(simulator);
    const next = await paidOrder(simulator);
    await simulator.notifier.idle();

    expect(outTradeNos(target)).toEqual([next.outTradeNo]);
    expect(simulator.notifier.deliveries()).toMatchObject([
      { outTradeNo: lost.outTradeNo, faults: ['drop'], state: 'dropped', attempts: [] },
      { outTradeNo: next.outTradeNo, faults: [], state: 'delivered' },
    ]);
    expect(simulator.notifier.settings().faults).toEqual([]);
  });

  it('a rate hits the share of notifications the random numbers say', async () => {
    const target = await receiver();
    const draws = [0.1, 0.9, 0.5, 0.29];
    const simulator = await simulatorFor(target, { notifyFaults: [{ kind: 'drop', rate: 0.3 }], notifyRandom: () => draws.shift() ?? 1 });
    const orders = [];
    for (let index = 0; index < 4; index += 1) orders.push(await paidOrder(simulator));
    await simulator.notifier.idle();

    expect(outTradeNos(target)).toEqual([orders[1]?.outTradeNo, orders[2]?.outTradeNo]);
    expect(simulator.notifier.totals()).toMatchObject({ notifications: 4, dropped: 2, delivered: 2 });
  });

  it('duplicate: the same signed bytes arrive twice', async () => {
    const target = await receiver();
    const simulator = await simulatorFor(target, { notifyFaults: [{ kind: 'duplicate' }] });
    await paidOrder(simulator);
    await simulator.notifier.idle();

    expect(target.received).toHaveLength(2);
    expect(target.received.every((notification) => notification.verified)).toBe(true);
    expect(target.received[0]?.raw.equals(target.received[1]?.raw as Buffer)).toBe(true);
    expect(simulator.notifier.deliveries().map(({ copy, state, faults }) => ({ copy, state, faults }))).toEqual([
      { copy: 'original', state: 'delivered', faults: ['duplicate'] },
      { copy: 'duplicate', state: 'delivered', faults: ['duplicate'] },
    ]);
  });

  it('bad_signature: the receiver\'s check fails on every attempt, so none is accepted', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const target = await receiver();
    const simulator = await simulatorFor(target, { notifyFaults: [{ kind: 'bad_signature' }], notifyRetryDelaysMs: [10, 10] });
    await paidOrder(simulator);
    await simulator.notifier.idle();

    expect(target.received).toHaveLength(3);
    expect(target.received.some((notification) => notification.verified)).toBe(false);
    // Signed, but with another key: the header is well formed and simply wrong.
    const first = target.received[0];
    expect(first?.signature).toMatch(/^[0-9A-F]{32}$/);
    expect(first?.signature).not.toBe(notificationSignature(first?.raw as Buffer, TEST_CREDENTIALS.clientKey));
    expect(simulator.notifier.deliveries()[0]).toMatchObject({ faults: ['bad_signature'], state: 'gave_up' });
    expect(simulator.notifier.deliveries()[0]?.attempts.every((attempt) => attempt.httpStatus === 401 && !attempt.accepted)).toBe(true);
  });

  it('delay: nothing is sent before the delay, then it is delivered', async () => {
    const target = await receiver();
    const simulator = await simulatorFor(target, { notifyFaults: [{ kind: 'delay', delayMs: 300 }] });
    const paying = performance.now();
    await paidOrder(simulator);
    await target.arrived(1);
    expect(performance.now() - paying).toBeGreaterThanOrEqual(300 - 2);
    await simulator.notifier.idle();
    expect(simulator.notifier.deliveries()[0]).toMatchObject({ faults: ['delay'], state: 'delivered' });
  });

  it('out_of_order: a notification held back arrives after the next one', async () => {
    const target = await receiver();
    // A hold far longer than the test: only the next notification can release it.
    const simulator = await simulatorFor(target, { notifyFaults: [{ kind: 'out_of_order', maxHoldMs: 600_000, times: 1 }] });
    const first = await paidOrder(simulator);
    expect(simulator.notifier.deliveries()[0]?.state).toBe('held');
    const second = await paidOrder(simulator);
    await simulator.notifier.idle();

    expect(outTradeNos(target)).toEqual([second.outTradeNo, first.outTradeNo]);
    expect(target.received.every((notification) => notification.verified)).toBe(true);
    expect(simulator.notifier.deliveries().map(({ state }) => state)).toEqual(['delivered', 'delivered']);
  });

  it('out_of_order: with no next notification, it goes out after the longest hold', async () => {
    const target = await receiver();
    const simulator = await simulatorFor(target, { notifyFaults: [{ kind: 'out_of_order', maxHoldMs: 200 }] });
    await paidOrder(simulator);
    await simulator.notifier.idle();
    expect(target.received).toHaveLength(1);
    expect(simulator.notifier.deliveries()[0]).toMatchObject({ faults: ['out_of_order'], state: 'delivered' });
  });
});

describe('closing the simulator', () => {
  it('cancels retries, holds and requests in flight, and leaves nothing that keeps the process alive', { timeout: 30_000 }, async () => {
    const target = await receiver();
    target.answerWith((_notification, index) => (index === 0 ? { status: 500, body: 'down' } : 'hang'));
    // In a process of its own, so that "it ends by itself" can be seen.
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/closeWithNotificationsPending.ts', target.url], { stdio: ['pipe', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    started.push({ stop: async () => child.exitCode === null && child.kill() });
    const exited = once(child, 'exit') as Promise<[number | null]>;
    // One answered 500 (its retry waits), one held back, and the receiver holding the last.
    await target.arrived(2);
    await vi.waitFor(() => expect(stdout).toContain('pending'));
    child.stdin.end('close\n');
    const [code] = await exited;

    expect(code).toBe(0);
    expect(JSON.parse(stdout.replace('pending', ''))).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(target.received).toHaveLength(2);
  });
});

describe('configuring notifications', () => {
  it('through the control surface: PUT sets the URL and faults, GET shows them and the deliveries, never the key', async () => {
    const target = await receiver();
    const simulator = await simulatorFor(undefined);
    const put = await simulator.control('PUT', 'notify', { url: target.url, faults: [{ kind: 'duplicate', rate: 0.5 }], retryDelaysMs: [50] });
    expect(put).toEqual({ status: 200, json: { url: target.url, retryDelaysMs: [50], faults: [{ kind: 'duplicate', rate: 0.5 }] } });
    expect((await simulator.control('PUT', 'notify', { faults: [] })).json.url).toBe(target.url);
    await paidOrder(simulator);
    await simulator.notifier.idle();

    const { status, json } = await simulator.control('GET', 'notify');
    expect(status).toBe(200);
    expect(json).toMatchObject({
      url: target.url,
      faults: [],
      totals: { notifications: 1, delivered: 1 },
      deliveries: [{ notifyType: 'payment', state: 'delivered', attempts: [{ httpStatus: 200, accepted: true }] }],
    });
    expect(JSON.stringify(json)).not.toContain(TEST_CREDENTIALS.clientKey);

    expect((await simulator.control('PUT', 'notify', { url: null })).json.url).toBeNull();
    await paidOrder(simulator);
    await simulator.notifier.idle();
    expect(target.received).toHaveLength(1);
  });

  it.each([
    [{ url: 'ftp://relay.example/notify' }, 'http:// or https://'],
    [{ url: 'relay.example/notify' }, 'http:// or https://'],
    [{ faults: [{ kind: 'explode' }] }, 'kind'],
    [{ faults: [{ kind: 'drop', rate: 1.5 }] }, 'rate is a share from 0 to 1'],
    [{ faults: [{ kind: 'delay' }] }, 'delayMs'],
    [{ faults: [{ kind: 'drop' }, { kind: 'drop', rate: 0.3 }] }, 'each fault kind may be given once'],
    [{ retryDelaysMs: [-1] }, 'retryDelaysMs'],
    [{ url: 'http://relay.example/', clientKey: 'x' }, 'clientKey'],
  ])('refuses %j with 400 and the reason in words', async (body, words) => {
    const simulator = await simulatorFor(undefined);
    const { status, json } = await simulator.control('PUT', 'notify', body);
    expect(status).toBe(400);
    expect(json.error).toContain(words);
    expect(simulator.notifier.settings()).toMatchObject({ url: null, faults: [] });
  });

  it('refuses a simulator started with a URL that is not http or https', async () => {
    await expect(startSimulator({ dbPath: ':memory:', notifyUrl: 'file:///etc/passwd' })).rejects.toThrow(/http:\/\/ or https:\/\//);
  });
});
