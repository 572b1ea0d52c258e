import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { WALLETS, walletById, type WalletId } from '../../shared/wallets';
import { closedPort } from '../support/simulator';
import { tillsOnSimulator, type TestTill } from '../support/till';

const MINUTE = 60_000;
const ALL = WALLETS.map((wallet) => wallet.id);
const WITH_CANCEL = WALLETS.filter((wallet) => wallet.cancelEndpoint).map((wallet) => wallet.id);
const WITHOUT_CANCEL = WALLETS.filter((wallet) => !wallet.cancelEndpoint).map((wallet) => wallet.id);

// 600x: QFPay's 5-minute QR expires in half a second, its 30-minute default in three.
const { simulator, open: till } = tillsOnSimulator({ timeScale: 600 });

const simOrder = async (outTradeNo: string) => (await simulator.control('GET', `orders/${outTradeNo}`)).json;
const history = (test: TestTill, id: number) => test.store.history(id).map((step) => `${step.toState}:${step.cause}`);

describe.each(ALL)('%s', (wallet: WalletId) => {
  it('charge, QR, customer pays, paid', async () => {
    const test = till();
    // 30 minutes (3 s here): at 5 (half a second) a busy machine saw the QR expire before the first check.
    const order = await test.till.charge({ wallet, amount: 1230, goodsName: '凍檸茶', qrLifetimeMinutes: 30 });
    expect(order).toMatchObject({ state: 'waiting', amount: 1230, wallet, payType: walletById(wallet).payType });
    expect(order.qrcode).toContain('/__sim__/wallet/');
    expect((await test.till.checkOpenOrders({ includeWatched: false })).changed).toBe(0);

    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    expect(await test.till.checkOpenOrders({ includeWatched: false })).toMatchObject({ ok: true, calls: 1, changed: 1 });
    expect(test.store.order(order.id)).toMatchObject({ state: 'paid', respcd: '0000' });
    expect(history(test, order.id)).toEqual(['created:charge_requested', 'waiting:qr_issued', 'paid:query_paid']);
  });

  it('the customer’s wallet refuses: failed, with the reason', async () => {
    const test = till();
    const order = await test.till.charge({ wallet, amount: 500, qrLifetimeMinutes: 30 });
    await simulator.control('POST', `orders/${order.outTradeNo}/fail`, { respcd: '1201' });
    await test.till.checkOpenOrders({ includeWatched: false });
    expect(test.store.order(order.id)).toMatchObject({ state: 'failed', respcd: '1201', message: expect.stringMatching(/Insufficient balance/) });
  });

  it('the QR runs out: expired after one more query, withdrawn at the gateway where it can be', async () => {
    const test = till();
    const order = await test.till.charge({ wallet, amount: 700 });
    test.advance(5 * MINUTE);
    await sleep(600); // the simulator's 5 minutes
    await test.till.checkOpenOrders({ includeWatched: false });
    const expired = test.store.order(order.id);
    expect(expired.state).toBe('expired');
    const atGateway = await simOrder(order.outTradeNo);
    if (walletById(wallet).acceptsExpiredTime) expect(atGateway.state).toBe('expired');
    else if (walletById(wallet).cancelEndpoint) expect(atGateway.state).toBe('closed');
    else expect(atGateway.state).toBe('waiting'); // PayMe, FPS, Octopus: QFPay's own 30 minutes still run
  });

  it('the cashier cancels: the QR is withdrawn at once and the order is watched until final', async () => {
    const test = till();
    // 30 minutes, as above: at 5 a busy machine saw the QR run out at the simulator before the cancel came.
    const order = await test.till.charge({ wallet, amount: 900, qrLifetimeMinutes: 30 });
    const cancelled = await test.till.cancel(order.outTradeNo);
    expect(cancelled.state).toBe('cancelled');
    const atGateway = await simOrder(order.outTradeNo);
    const endpoint = walletById(wallet).cancelEndpoint;
    expect(atGateway.state).toBe(endpoint === 'close' ? 'closed' : endpoint === 'reversal' ? 'reversed' : 'waiting');
    expect(cancelled.gatewaySettled).toBe(endpoint !== null);
    expect(await test.till.cancel(order.outTradeNo).catch((error) => error.code)).toBe('not_cancellable');
  });
});

describe('a payment that lands after cancel or expiry', () => {
  it.each(WITHOUT_CANCEL)('%s: paid after cancel is recorded and flagged, then kept by the manager', async (wallet) => {
    const test = till();
    const order = await test.till.charge({ wallet, amount: 1500 });
    await test.till.cancel(order.id);
    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    await test.till.checkOpenOrders({ includeWatched: true });
    expect(test.store.order(order.id).state).toBe('paid_late');
    expect(test.store.paidLateOrders().map((late) => late.id)).toContain(order.id);
    expect(test.till.keepLatePayment(order.id).state).toBe('paid');
    expect(history(test, order.id)).toEqual([
      'created:charge_requested',
      'waiting:qr_issued',
      'cancelled:cashier_cancelled',
      'paid_late:paid_after_cancel_or_expiry',
      'paid:manager_kept',
    ]);
  });

  it('paid after the till’s own expiry, then refunded by the manager', async () => {
    const test = till();
    const order = await test.till.charge({ wallet: 'fps', amount: 2000 });
    test.advance(5 * MINUTE);
    await test.till.checkOpenOrders({ includeWatched: false });
    expect(test.store.order(order.id).state).toBe('expired');
    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    await test.till.checkOpenOrders({ includeWatched: true });
    expect(test.store.order(order.id).state).toBe('paid_late');
    const refund = await test.till.refund(order.id);
    expect(refund).toMatchObject({ state: 'succeeded', amount: 2000 });
    expect(test.store.order(order.id)).toMatchObject({ state: 'paid', refunded: 2000 });
  });

  it.each(WITH_CANCEL)('%s: a close that finds the order already paid leads to a flagged late payment', async (wallet) => {
    const test = till();
    const order = await test.till.charge({ wallet, amount: 1500 });
    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    await test.till.cancel(order.id);
    expect((await simOrder(order.outTradeNo)).state).toBe('paid');
    await test.till.checkOpenOrders({ includeWatched: true });
    expect(test.store.order(order.id).state).toBe('paid_late');
  });
});

describe('faults from the gateway end in the right state', () => {
  it.each([
    [{ kind: 'http_500', afterProcessing: true }],
    [{ kind: 'garbage', afterProcessing: true }],
    [{ kind: 'hang', afterProcessing: true }],
    [{ kind: 'respcd', respcd: '1298', afterProcessing: true }],
    [{ kind: 'respcd', respcd: '1260', afterProcessing: true }],
  ])('payment %j: outcome unknown, resolved by query to paid, never charged twice', async (fault) => {
    const test = till();
    await simulator.control('PUT', 'faults/payment', { ...fault, times: 1 });
    await simulator.control('DELETE', 'requests');
    // FPS: QFPay's 30-minute default (3 s here) outlives the 1 s client timeout of a hang.
    const order = await test.till.charge({ wallet: 'fps', amount: 1230 });
    expect(order.state).toBe('unknown');
    // The order reached QFPay; a customer paid it (say, from a QR another screen showed).
    await test.till.checkOpenOrders({ includeWatched: false });
    expect(test.store.order(order.id).state).toBe('unknown');
    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    await test.till.checkOpenOrders({ includeWatched: false });
    expect(test.store.order(order.id).state).toBe('paid');
    expect(simulator.requests().filter((entry) => entry.endpoint === 'payment')).toHaveLength(1);
  });

  it.each([
    [{ kind: 'http_500' }],
    [{ kind: 'http_429' }],
    [{ kind: 'garbage' }],
    [{ kind: 'malformed' }],
    [{ kind: 'hang' }],
    [{ kind: 'respcd', respcd: '1298' }],
    [{ kind: 'respcd', respcd: '1260' }],
    [{ kind: 'respcd', respcd: '1999' }],
  ])('payment %j before QFPay had it: an empty answer ends nothing; a manager decides, with a reason', async (fault) => {
    const test = till();
    await simulator.control('PUT', 'faults/payment', { ...fault, times: 1 });
    await simulator.control('DELETE', 'requests');
    const order = await test.till.charge({ wallet: 'fps', amount: 1230 });
    expect(order.state).toBe('unknown');
    // Long after any request in flight could have landed, QFPay still has no record: that proves nothing.
    test.advance(2 * MINUTE);
    await test.till.checkOpenOrders({ includeWatched: false });
    expect(test.store.order(order.id)).toMatchObject({ state: 'unknown', attention: null, gatewaySettled: false });
    await expect(test.till.decideOrder(order.id, 'not_paid', 'looked it up')).rejects.toMatchObject({ code: 'not_before_manager' });
    // Five minutes after its QR's time: before a manager, still unknown, still asked about.
    test.advance(8 * MINUTE);
    const report = await test.till.checkOpenOrders({ includeWatched: true });
    expect(report).toMatchObject({ ok: true, flagged: 1 });
    expect(test.store.order(order.id)).toMatchObject({ state: 'unknown', attention: 'no_final_answer' });
    await expect(test.till.decideOrder(order.id, 'not_paid', ' ')).rejects.toMatchObject({ code: 'decision_reason_invalid' });
    // Decided before QFPay's own deadline (its 30 minutes for FPS): not paid, but still watched.
    const decided = await test.till.decideOrder(order.id, 'not_paid', 'Not in the QFPay portal; the customer paid cash');
    expect(decided).toMatchObject({ state: 'failed', attention: null, gatewaySettled: false, message: 'a manager decided (not paid): Not in the QFPay portal; the customer paid cash' });
    expect(history(test, order.id).at(-1)).toBe('failed:manager_decided');
    expect(test.store.history(order.id).at(-1)?.detail).toBe('Not in the QFPay portal; the customer paid cash');
    expect(test.store.decisionsOfOrder(order.id)).toEqual([expect.objectContaining({ decision: 'not_paid', attention: 'no_final_answer' })]);
    expect(simulator.requests().filter((entry) => entry.endpoint === 'payment')).toHaveLength(1);
  });

  it('a manager’s "not paid" before QFPay’s own deadline keeps watching: a payment that lands after it is caught', async () => {
    const test = till();
    await simulator.control('PUT', 'faults/payment', { kind: 'http_500', afterProcessing: true, times: 1 });
    const order = await test.till.charge({ wallet: 'payme', amount: 1_700 });
    await simulator.control('PUT', 'faults/query', { kind: 'empty' });
    test.advance(11 * MINUTE);
    await test.till.checkOpenOrders({ includeWatched: true });
    expect(test.store.order(order.id).attention).toBe('no_final_answer');
    const decided = await test.till.decideOrder(order.id, 'not_paid', 'customer walked away');
    expect(decided).toMatchObject({ state: 'failed', gatewaySettled: false });
    // The customer pays the QR still on their phone (QFPay's 30 minutes are 3 s here).
    await simulator.control('DELETE', 'faults');
    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    await test.till.checkOpenOrders({ includeWatched: true });
    expect(test.store.order(order.id)).toMatchObject({ state: 'paid_late', gatewaySettled: true });
    expect(history(test, order.id).slice(-2)).toEqual(['failed:manager_decided', 'paid_late:paid_after_cancel_or_expiry']);
  });

  it('a connection that was never made fails at once: nothing was sent', async () => {
    const test = till({}, { baseUrl: `http://127.0.0.1:${await closedPort()}` });
    const order = await test.till.charge({ wallet: 'wechat', amount: 100 });
    expect(order).toMatchObject({ state: 'failed', gatewaySettled: true, message: expect.stringContaining('nothing was sent') });
    expect(history(test, order.id)).toEqual(['created:charge_requested', 'failed:never_sent']);
  });

  it('a 1143 that carries a QR shows it; the order is paid from it', async () => {
    const test = till();
    await simulator.control('PUT', 'faults/payment', { kind: 'respcd', respcd: '1143', afterProcessing: true, times: 1 });
    const order = await test.till.charge({ wallet: 'wechat', amount: 880 });
    expect(order).toMatchObject({ state: 'waiting', respcd: '1143', qrcode: expect.stringContaining('/__sim__/wallet/'), syssn: expect.any(String) });
    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    await test.till.checkOpenOrders({ includeWatched: false });
    expect(test.store.order(order.id).state).toBe('paid');
  });

  it('a 1143 without a QR leaves the order unknown until a query says more', async () => {
    const test = till();
    await simulator.control('PUT', 'faults/payment', { kind: 'respcd', respcd: '1143', times: 1 });
    const order = await test.till.charge({ wallet: 'wechat', amount: 880 });
    expect(order).toMatchObject({ state: 'unknown', qrcode: null });
  });

  it('a record with a code no table lists ends nothing; the order stays open and is asked again', async () => {
    const test = till();
    const order = await test.till.charge({ wallet: 'unionpay', amount: 660 });
    await simulator.control('PUT', 'faults/query', { kind: 'record_respcd', respcd: '1999' });
    await test.till.checkOpenOrders({ includeWatched: false });
    expect(test.store.order(order.id)).toMatchObject({ state: 'waiting', gatewaySettled: false });
    await simulator.control('DELETE', 'faults');
    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    await test.till.checkOpenOrders({ includeWatched: false });
    expect(test.store.order(order.id).state).toBe('paid');
  });

  it('an empty answer about an order QFPay accepted never writes it off, however late', async () => {
    const test = till();
    const order = await test.till.charge({ wallet: 'octopus', amount: 990 });
    expect(order.syssn).toBeTruthy();
    await simulator.control('PUT', 'faults/query', { kind: 'empty' });
    test.advance(70 * MINUTE);
    await test.till.checkOpenOrders({ includeWatched: true });
    // Its QR's time is long up, and nothing says what became of it: unknown, before a manager.
    expect(test.store.order(order.id)).toMatchObject({ state: 'unknown', gatewaySettled: false, attention: 'no_final_answer' });
    await test.till.checkOpenOrders({ includeWatched: true });
    expect(test.store.order(order.id)).toMatchObject({ state: 'unknown', gatewaySettled: false });
    // QFPay answers again (paid, or expired: the simulator's 30 minutes are 3 s here), and the flag goes.
    await simulator.control('DELETE', 'faults');
    const paidAtGateway = (await simulator.control('POST', `orders/${order.outTradeNo}/pay`)).status === 200;
    await test.till.checkOpenOrders({ includeWatched: true });
    expect(test.store.order(order.id)).toMatchObject(paidAtGateway ? { state: 'paid', attention: null } : { state: 'expired', gatewaySettled: true, attention: null });
  });

  it.each([
    ['1294', 'failed'],
    ['1201', 'failed'],
    ['1108', 'failed'],
  ])('payment refused with %s: failed at once, with words', async (respcd, state) => {
    const test = till();
    await simulator.control('PUT', 'faults/payment', { kind: 'respcd', respcd, times: 1 });
    const order = await test.till.charge({ wallet: 'alipay', amount: 100 });
    expect(order).toMatchObject({ state, respcd });
    expect(order.message).toBeTruthy();
  });

  it('a failing query changes nothing, but a QR past its time becomes outcome unknown', async () => {
    const test = till();
    const order = await test.till.charge({ wallet: 'payme', amount: 100 });
    await simulator.control('PUT', 'faults/query', { kind: 'http_500' });
    expect(await test.till.checkOpenOrders({ includeWatched: false })).toMatchObject({ ok: false, failure: expect.stringContaining('http_status') });
    expect(test.store.order(order.id).state).toBe('waiting');
    test.advance(5 * MINUTE);
    await test.till.checkOpenOrders({ includeWatched: false });
    expect(test.store.order(order.id).state).toBe('unknown');
    await simulator.control('DELETE', 'faults');
    await test.till.checkOpenOrders({ includeWatched: false });
    expect(test.store.order(order.id).state).toBe('expired');
  });
});

describe('polling', () => {
  it('asks about fifty open orders in one request', async () => {
    const test = till();
    const orders = [];
    // QRs of two hours (12 s here, sent as expired_time): fifty charges took more than a wallet's
    // own 30 minutes (3 s) on a busy machine, and the first ones expired before the check.
    for (let index = 0; index < 50; index += 1) orders.push(await test.till.charge({ wallet: 'alipay', amount: 100 + index, qrLifetimeMinutes: 120 }));
    await simulator.control('DELETE', 'requests');
    await simulator.control('POST', `orders/${orders[17]?.outTradeNo}/pay`);
    const report = await test.till.checkOpenOrders({ includeWatched: false });
    expect(report).toMatchObject({ ok: true, queriedNumbers: 50, calls: 1, changed: 1 });
    const queries = simulator.requests().filter((entry) => entry.endpoint === 'query');
    expect(queries).toHaveLength(1);
    expect(queries[0]?.fields.out_trade_no?.split(',')).toHaveLength(50);
  });

  it('sends nothing when nothing is open', async () => {
    const test = till();
    await simulator.control('DELETE', 'requests');
    expect(await test.till.checkOpenOrders({ includeWatched: true })).toMatchObject({ calls: 0 });
    expect(simulator.requests()).toHaveLength(0);
  });

  it('keeps to the budget: polling leaves a reserve for the cashier', async () => {
    const test = till({ callBudgetPerMinute: 6 });
    await test.till.charge({ wallet: 'fps', amount: 100 }); // 1 call
    const reports = [];
    for (let index = 0; index < 6; index += 1) reports.push(await test.till.checkOpenOrders({ includeWatched: false }));
    // 6 a minute, a reserve of 1: polling gets 4 more after the charge, then stops.
    expect(reports.filter((report) => report.calls === 1)).toHaveLength(4);
    expect(reports.at(-1)).toMatchObject({ budgetExhausted: true, calls: 0 });
    await expect(test.till.charge({ wallet: 'fps', amount: 100 })).resolves.toMatchObject({ state: 'waiting' });
    await expect(test.till.charge({ wallet: 'fps', amount: 100 })).rejects.toMatchObject({ code: 'till_busy' });
  });
});

describe('refunds', () => {
  async function paid(test: TestTill, amount = 1230) {
    const order = await test.till.charge({ wallet: 'alipay', amount });
    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    await test.till.checkOpenOrders({ includeWatched: false });
    return test.store.order(order.id);
  }

  it('partial, then the rest; never more than was paid', async () => {
    const test = till();
    const order = await paid(test);
    expect(await test.till.refund(order.outTradeNo, 500)).toMatchObject({ state: 'succeeded', amount: 500 });
    await expect(test.till.refund(order.outTradeNo, 731)).rejects.toMatchObject({ code: 'refund_exceeds_refundable', details: { refundable: 730 } });
    expect(await test.till.refund(order.outTradeNo)).toMatchObject({ state: 'succeeded', amount: 730 });
    expect(test.store.order(order.id).refunded).toBe(1230);
    await expect(test.till.refund(order.outTradeNo)).rejects.toMatchObject({ code: 'order_fully_refunded' });
  });

  it('two refunds racing cannot exceed the refundable amount', async () => {
    const test = till();
    const order = await paid(test, 1000);
    const results = await Promise.allSettled([test.till.refund(order.id, 600), test.till.refund(order.id, 600), test.till.refund(order.id, 400)]);
    const succeeded = results.filter((result) => result.status === 'fulfilled').map((result) => (result as PromiseFulfilledResult<{ amount: number }>).value.amount);
    expect(succeeded.reduce((sum, amount) => sum + amount, 0)).toBeLessThanOrEqual(1000);
    expect(results.filter((result) => result.status === 'rejected')).toHaveLength(1);
  });

  it('is refused for an unpaid order', async () => {
    const test = till();
    const order = await test.till.charge({ wallet: 'wechat', amount: 100 });
    await expect(test.till.refund(order.id)).rejects.toMatchObject({ code: 'refund_order_not_paid' });
  });

  it("shows QFPay's refusal in words", async () => {
    const test = till();
    const order = await paid(test);
    await simulator.control('PUT', 'faults/refund', { kind: 'respcd', respcd: '1265', times: 1 });
    const refused = await test.till.refund(order.id, 100);
    expect(refused).toMatchObject({ state: 'failed', respcd: '1265', message: expect.stringContaining('23:30') });
    // A refused refund frees its amount again.
    expect(await test.till.refund(order.id)).toMatchObject({ state: 'succeeded', amount: 1230 });
  });

  it('after a timeout, asks before deciding: done at QFPay means succeeded', async () => {
    const test = till();
    const order = await paid(test);
    await simulator.control('PUT', 'faults/refund', { kind: 'hang', afterProcessing: true, times: 1 });
    const refund = await test.till.refund(order.id, 300);
    expect(refund.state).toBe('unknown');
    await expect(test.till.refund(order.id, 1000)).rejects.toMatchObject({ code: 'refund_exceeds_refundable' });
    await test.till.checkOpenOrders({ includeWatched: false });
    expect(test.store.refund(refund.id)).toMatchObject({ state: 'succeeded' });
  });

  it('after a timeout before QFPay got it, the refund stays unproven, then goes before a manager; the amount stays held', async () => {
    const test = till();
    const order = await paid(test);
    await simulator.control('PUT', 'faults/refund', { kind: 'hang', times: 1 });
    const refund = await test.till.refund(order.id, 300);
    test.advance(5 * MINUTE);
    await test.till.checkOpenOrders({ includeWatched: false });
    expect(test.store.refund(refund.id)).toMatchObject({ state: 'unknown', attention: null });
    await expect(test.till.refund(order.id, 1000)).rejects.toMatchObject({ code: 'refund_exceeds_refundable', details: { refundable: 930 } });
    test.advance(5 * MINUTE);
    await test.till.checkOpenOrders({ includeWatched: true });
    expect(test.store.refund(refund.id)).toMatchObject({ state: 'unknown', attention: 'refund_not_confirmed' });
    expect(test.till.decideRefund(refund.outTradeNo, 'failed', 'QFPay support: no such refund')).toMatchObject({ state: 'failed', attention: null });
    expect(await test.till.refund(order.id)).toMatchObject({ state: 'succeeded', amount: 1230 });
  });

  it.each([
    [{ kind: 'http_500', afterProcessing: true }],
    [{ kind: 'hang', afterProcessing: true }],
  ])('a refund answer lost (%j) and its record unlabelled: resolved as succeeded by its own number, no second payout', async (fault) => {
    const test = till();
    const order = await paid(test, 6000);
    await simulator.control('PUT', 'faults/refund', { ...fault, times: 1 });
    const refund = await test.till.refund(order.id, 6000);
    expect(refund.state).toBe('unknown');
    await simulator.control('PUT', 'faults/query', { kind: 'unlabelled' });
    test.advance(2 * MINUTE);
    await test.till.checkOpenOrders({ includeWatched: false });
    expect(test.store.refund(refund.id)).toMatchObject({ state: 'succeeded', syssn: expect.any(String) });
    await expect(test.till.refund(order.id)).rejects.toMatchObject({ code: 'order_fully_refunded' });
    const atGateway = await simOrder(order.outTradeNo);
    expect(atGateway.refunded).toBe(6000);
  });

  it('an empty answer about a lost refund never frees its amount', async () => {
    const test = till();
    const order = await paid(test, 6000);
    await simulator.control('PUT', 'faults/refund', { kind: 'http_500', afterProcessing: true, times: 1 });
    const refund = await test.till.refund(order.id, 6000);
    await simulator.control('PUT', 'faults/query', { kind: 'empty' });
    for (let round = 0; round < 3; round += 1) {
      test.advance(10 * MINUTE);
      await test.till.checkOpenOrders({ includeWatched: true });
    }
    expect(test.store.refund(refund.id)).toMatchObject({ state: 'unknown', attention: 'refund_not_confirmed' });
    await expect(test.till.refund(order.id, 1)).rejects.toMatchObject({ code: 'refund_exceeds_refundable' });
    await simulator.control('DELETE', 'faults');
    await test.till.checkOpenOrders({ includeWatched: true });
    expect(test.store.refund(refund.id)).toMatchObject({ state: 'succeeded', attention: null });
  });
});

describe('restart', () => {
  it('resumes every open order from the ledger and resolves it', async () => {
    const first = till();
    const waiting = await first.till.charge({ wallet: 'octopus', amount: 100 });
    await simulator.control('PUT', 'faults/payment', { kind: 'hang', afterProcessing: true, times: 1 });
    const unknown = await first.till.charge({ wallet: 'payme', amount: 200 });
    expect(unknown.state).toBe('unknown');
    first.db.close();

    await simulator.control('POST', `orders/${waiting.outTradeNo}/pay`);
    await simulator.control('POST', `orders/${unknown.outTradeNo}/pay`);
    const second = till({}, { dbPath: first.dbPath });
    await second.till.checkOpenOrders({ includeWatched: false });
    expect(second.store.order(waiting.id).state).toBe('paid');
    expect(second.store.order(unknown.id).state).toBe('paid');
  });
});
