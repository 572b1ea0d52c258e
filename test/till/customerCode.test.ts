import { describe, expect, it } from 'vitest';
import { CUSTOMER_CONFIRM_WINDOW_MS } from '../../shared/ledger/evidence';
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
    // QFPay names no reversal for PayMe's CPM: its wallet's own time runs out instead.
    ['payme', customerCode.unnamed, 'waiting'],
  ] as const)('%s: expired at the end of the window, withdrawn where QFPay allows', async (wallet, code, atGateway) => {
    const test = till();
    const order = await test.till.chargeCustomerCode({ wallet, amount: PASSWORD_AMOUNT, authCode: code() });
    expect(order).toMatchObject({ state: 'waiting', mode: 'cpm', respcd: '1143' });
    expect(test.till.hasLiveQr()).toBe(true);
    await test.till.checkOpenOrders({ includeWatched: false });
    expect(test.store.order(order.id).state).toBe('waiting');

    test.advance(CUSTOMER_CONFIRM_WINDOW_MS);
    await test.till.checkOpenOrders({ includeWatched: false });
    const expired = test.store.order(order.id);
    expect(expired.state).toBe('expired');
    expect(history(test, order.id)).toEqual(['created:charge_requested', 'waiting:customer_confirming', 'expired:customer_did_not_confirm']);
    expect((await simOrder(order.outTradeNo)).state).toBe(atGateway);
    expect(expired.gatewaySettled).toBe(atGateway === 'reversed');
    expect(sent('reversal', order.outTradeNo)).toBe(atGateway === 'reversed' ? 1 : 0);
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
  it('stays unknown while the enquiry knows nothing, is reversed once past the window, and ends on QFPay’s record', async () => {
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
    const reversed = test.store.order(order.id);
    expect(reversed).toMatchObject({ state: 'unknown', gatewaySettled: true });
    expect(reversed.cancelRequestedAt).not.toBeNull();
    expect((await simOrder(order.outTradeNo)).state).toBe('reversed');
    await test.till.checkOpenOrders({ includeWatched: false });
    expect(sent('reversal', order.outTradeNo)).toBe(1);

    // The enquiry answers again: the record says reversed, and only that ends it.
    await simulator.control('DELETE', 'faults');
    await test.till.checkOpenOrders({ includeWatched: false });
    expect(test.store.order(order.id).state).toBe('cancelled');
    expect(history(test, order.id)).toEqual(['created:charge_requested', 'unknown:no_definitive_answer', 'cancelled:gateway_closed']);
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
