import { describe, expect, it } from 'vitest';
import { CUSTOMER_CODE_GATEWAY_MS, CUSTOMER_CONFIRM_WINDOW_MS } from '../../shared/ledger/evidence';
import { customerCode } from '../support/customerCodes';
import { tillsOnSimulator, type TestTill } from '../support/till';

/**
 * A payment with the customer's own code that gets no final answer at the counter: the customer
 * never confirms, the answer is lost, or the cashier gives up. The till withdraws it by the
 * wallet's reversal (where QFPay has one for CPM), once, and ends it only on QFPay's word.
 * The till's clock is moved past its confirm window; the simulator's wallets keep real time.
 */

const { simulator, open: till } = tillsOnSimulator();

const simOrder = async (outTradeNo: string) => (await simulator.control('GET', `orders/${outTradeNo}`)).json;
const history = (test: TestTill, id: number) => test.store.history(id).map((step) => `${step.toState}:${step.cause}`);
const sent = (endpoint: string, outTradeNo: string) => simulator.requests().filter((entry) => entry.endpoint === endpoint && entry.fields.out_trade_no === outTradeNo).length;
const PASSWORD_AMOUNT = 80_000;

describe('a customer who never confirms', () => {
  it.each([
    ['alipay', customerCode.alipay, 'reversed'],
    ['wechat', customerCode.wechat, 'reversed'],
    ['unionpay', customerCode.unnamed, 'reversed'],
    // QFPay names no reversal for PayMe's CPM: the till waits as long as QFPay might complete it.
    ['payme', customerCode.unnamed, 'waiting'],
  ] as const)('%s: expired at the end of the window, withdrawn where QFPay allows', async (wallet, code, atGateway) => {
    const withdrawable = atGateway === 'reversed';
    const test = till();
    const order = await test.till.chargeCustomerCode({ wallet, amount: PASSWORD_AMOUNT, authCode: code() });
    expect(order).toMatchObject({ state: 'waiting', mode: 'cpm', respcd: '1143' });
    expect(test.till.hasLiveQr()).toBe(true);
    await test.till.checkOpenOrders({ includeWatched: false });
    expect(test.store.order(order.id).state).toBe('waiting');

    test.advance(CUSTOMER_CONFIRM_WINDOW_MS);
    await test.till.checkOpenOrders({ includeWatched: false });
    if (!withdrawable) {
      // The till cannot withdraw it: the customer may still confirm, so the counter waits with them.
      expect(test.store.order(order.id).state).toBe('waiting');
      expect(test.till.hasLiveQr()).toBe(true);
      test.advance(CUSTOMER_CODE_GATEWAY_MS - CUSTOMER_CONFIRM_WINDOW_MS);
      await test.till.checkOpenOrders({ includeWatched: false });
    }
    const expired = test.store.order(order.id);
    expect(expired.state).toBe('expired');
    expect(history(test, order.id)).toEqual(['created:charge_requested', 'waiting:customer_confirming', 'expired:customer_did_not_confirm']);
    expect((await simOrder(order.outTradeNo)).state).toBe(atGateway);
    expect(expired.gatewaySettled).toBe(withdrawable);
    expect(sent('reversal', order.outTradeNo)).toBe(withdrawable ? 1 : 0);
    expect(sent('close', order.outTradeNo)).toBe(0);
    expect(sent('payment', order.outTradeNo)).toBe(1);
  });

  it('who pays after all, before the reversal lands: a late payment, never lost', async () => {
    const test = till();
    const order = await test.till.chargeCustomerCode({ amount: PASSWORD_AMOUNT, authCode: customerCode.alipay() });
    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    // The till's window is over and it has not looked since: its own deadline, then QFPay's record.
    test.advance(CUSTOMER_CONFIRM_WINDOW_MS);
    await test.till.checkOpenOrders({ includeWatched: false });
    expect(test.store.order(order.id).state).toBe('paid');
    expect(sent('reversal', order.outTradeNo)).toBe(0);
  });
});

describe('a lost answer', () => {
  it('stays unknown while the enquiry knows nothing, is reversed once past the window, and ends on the reversal’s answer', async () => {
    const test = till();
    await simulator.control('PUT', 'faults/payment', { kind: 'http_500', afterProcessing: true, times: 1 });
    const order = await test.till.chargeCustomerCode({ amount: PASSWORD_AMOUNT, authCode: customerCode.wechat() });
    expect(order.state).toBe('unknown');
    // QFPay's enquiry says nothing yet (an empty answer proves nothing).
    await simulator.control('PUT', 'faults/query', { kind: 'empty' });
    await test.till.checkOpenOrders({ includeWatched: false });
    expect(test.store.order(order.id).state).toBe('unknown');

    test.advance(CUSTOMER_CONFIRM_WINDOW_MS);
    await test.till.checkOpenOrders({ includeWatched: false });
    // QFPay's 0000 to the reversal is its word that nobody was charged: that ends it.
    const reversed = test.store.order(order.id);
    expect(reversed).toMatchObject({ state: 'cancelled', gatewaySettled: true });
    expect(reversed.cancelRequestedAt).not.toBeNull();
    expect((await simOrder(order.outTradeNo)).state).toBe('reversed');
    expect(history(test, order.id)).toEqual(['created:charge_requested', 'unknown:no_definitive_answer', 'cancelled:gateway_reversed']);

    // Nothing is sent again: neither the payment nor the reversal.
    await simulator.control('DELETE', 'faults');
    await test.till.checkOpenOrders({ includeWatched: false });
    expect(test.store.order(order.id).state).toBe('cancelled');
    expect(sent('reversal', order.outTradeNo)).toBe(1);
    expect(sent('payment', order.outTradeNo)).toBe(1);
  });

  it('of a payment QFPay made: paid on the first enquiry, with no reversal', async () => {
    const test = till();
    await simulator.control('PUT', 'faults/payment', { kind: 'hang', afterProcessing: true, times: 1 });
    const order = await test.till.chargeCustomerCode({ amount: 1_000, authCode: customerCode.alipay() });
    expect(order.state).toBe('unknown');
    await test.till.checkOpenOrders({ includeWatched: false });
    expect(test.store.order(order.id)).toMatchObject({ state: 'paid', respcd: '0000' });
    expect(sent('reversal', order.outTradeNo)).toBe(0);
    expect(sent('payment', order.outTradeNo)).toBe(1);
  });
});

describe('the cashier cancels while the customer confirms', () => {
  it('withdraws it by reversal and watches it until QFPay says', async () => {
    const test = till();
    const order = await test.till.chargeCustomerCode({ amount: PASSWORD_AMOUNT, authCode: customerCode.alipay() });
    const cancelled = await test.till.cancel(order.outTradeNo);
    expect(cancelled).toMatchObject({ state: 'cancelled', gatewaySettled: true });
    expect((await simOrder(order.outTradeNo)).state).toBe('reversed');
    // The customer presses Pay too late: the wallet refuses, and nothing changes at the till.
    expect((await simulator.control('POST', `orders/${order.outTradeNo}/pay`)).status).toBe(409);
  });

  it('before the request is answered: the answer ends the sale and the reversal goes out (found in review)', async () => {
    const test = till();
    // The gateway takes the request and answers 1143 only after 400 ms; the cashier presses Esc meanwhile.
    await simulator.control('PUT', 'faults/payment', { kind: 'delay', delayMs: 400, afterProcessing: true, times: 1 });
    const charging = test.till.chargeCustomerCode({ wallet: 'alipay', amount: PASSWORD_AMOUNT, authCode: customerCode.alipay() });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const created = test.store.activeOrders()[0];
    expect(created?.state).toBe('created');
    await test.till.cancel(created?.outTradeNo as string);
    const order = await charging;
    expect(order).toMatchObject({ state: 'cancelled', gatewaySettled: true });
    expect(sent('reversal', order.outTradeNo)).toBe(1);
    expect((await simOrder(order.outTradeNo)).state).toBe('reversed');
    expect((await simulator.control('POST', `orders/${order.outTradeNo}/pay`)).status).toBe(409);
  });
});

describe('a withdrawal that could not go at once', () => {
  it('is sent at the next check once a gateway call is free, and after a restart, once', async () => {
    const test = till({ callBudgetPerMinute: 6 });
    const order = await test.till.chargeCustomerCode({ wallet: 'alipay', amount: PASSWORD_AMOUNT, authCode: customerCode.alipay() });
    // Every call of the minute is taken (other tills, a reconciliation): the cancel cannot send the reversal.
    while (test.till.budget.tryTakeForAction());
    const cancelled = await test.till.cancel(order.outTradeNo);
    expect(cancelled).toMatchObject({ state: 'cancelled', gatewaySettled: false });
    expect(sent('reversal', order.outTradeNo)).toBe(0);
    expect(test.store.withdrawalsOwed(test.clock()).map((owed) => owed.outTradeNo)).toEqual([order.outTradeNo]);

    // The till stops before the minute is over; the ledger still says the reversal is owed.
    test.db.close();
    const restarted = till({ callBudgetPerMinute: 6 }, { dbPath: test.dbPath });
    await restarted.till.checkOpenOrders({ includeWatched: true });
    expect(sent('reversal', order.outTradeNo)).toBe(1);
    expect(restarted.store.order(order.id)).toMatchObject({ state: 'cancelled', gatewaySettled: true });
    expect(restarted.store.withdrawalsOwed(restarted.clock())).toEqual([]);
    await restarted.till.checkOpenOrders({ includeWatched: true });
    expect(sent('reversal', order.outTradeNo)).toBe(1);
    expect((await simOrder(order.outTradeNo)).state).toBe('reversed');
  });
});

describe('a reversal that reaches a payment the customer completed a moment before', () => {
  async function paidThenCancelled(test: TestTill) {
    const order = await test.till.chargeCustomerCode({ wallet: 'alipay', amount: PASSWORD_AMOUNT, authCode: customerCode.alipay() });
    // The customer confirms; the cashier, not seeing it yet, cancels.
    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    await test.till.cancel(order.outTradeNo);
    return order;
  }

  it('as QFPay documents it (1260, refund instead): recorded as a late payment for a manager', async () => {
    const test = till();
    const order = await paidThenCancelled(test);
    expect(sent('reversal', order.outTradeNo)).toBe(1);
    await test.till.checkOpenOrders({ includeWatched: true });
    expect(test.store.order(order.id)).toMatchObject({ state: 'paid_late', gatewaySettled: true });
  });

  it('as the wallets do it (reversed, the money back): not paid, settled, and never asked about again', async () => {
    await simulator.control('PUT', 'cpm', { reversalOfPaid: 'reverses' });
    try {
      const test = till();
      const order = await paidThenCancelled(test);
      expect(test.store.order(order.id)).toMatchObject({ state: 'cancelled', gatewaySettled: true });
      const record = (await simOrder(order.outTradeNo)) as { state: string };
      expect(record.state).toBe('reversed');
      // Settled: nothing more is asked about it, and it never turns into a payment.
      await test.till.checkOpenOrders({ includeWatched: true });
      expect(test.store.order(order.id).state).toBe('cancelled');
      expect(sent('payment', order.outTradeNo)).toBe(1);
    } finally {
      await simulator.control('PUT', 'cpm', { reversalOfPaid: 'refused' });
    }
  });
});

describe('a cancel while the request is in flight, for a QR as for a code', () => {
  it('QR: the answer lost, the cancel waits for QFPay’s record, and then the reversal goes out once', async () => {
    const test = till();
    // QFPay makes the order, but its answer is lost; the cashier presses Esc while it is in flight.
    await simulator.control('PUT', 'faults/payment', { kind: 'http_500', delayMs: 400, afterProcessing: true, times: 1 });
    const charging = test.till.charge({ wallet: 'alipay', amount: 2_000 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const created = test.store.activeOrders()[0];
    await test.till.cancel(created?.outTradeNo as string);
    const order = await charging;
    // Nothing proves the QR never reached a phone: unknown, with the cashier's cancel kept.
    expect(order).toMatchObject({ state: 'unknown', gatewaySettled: false });
    expect(order.cancelRequestedAt).not.toBeNull();
    expect(sent('reversal', order.outTradeNo)).toBe(0);
    // The record says it is open at QFPay: cancelled, and withdrawn by the same path as a code's.
    await test.till.checkOpenOrders({ includeWatched: true });
    expect(test.store.order(order.id)).toMatchObject({ state: 'cancelled', gatewaySettled: true });
    expect(sent('reversal', order.outTradeNo)).toBe(1);
    expect((await simOrder(order.outTradeNo)).state).toBe('reversed');
    await test.till.checkOpenOrders({ includeWatched: true });
    expect(sent('reversal', order.outTradeNo)).toBe(1);
    expect(sent('payment', order.outTradeNo)).toBe(1);
  });
});
