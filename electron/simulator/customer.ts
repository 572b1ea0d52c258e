import { formatHongKongTimestamp } from '../../shared/hkTime';
import { isExpired, transactionStatus } from './openApi';
import type { SimOrder, SimStore } from './store';

/** What the customer's wallet does to an order: pay it, or fail it (insufficient balance...). */

export type CustomerActionError = 'not_a_payment' | 'not_payable';

export function customerPays(store: SimStore, order: SimOrder, nowMs: number): CustomerActionError | undefined {
  if (order.orderType !== 'payment') return 'not_a_payment';
  if (order.state !== 'waiting' || isExpired(order, nowMs)) return 'not_payable';
  store.setPaymentState(order.syssn, 'paid', { paydtm: formatHongKongTimestamp(nowMs) });
  return undefined;
}

export function customerFails(store: SimStore, order: SimOrder, respcd: string, nowMs: number): CustomerActionError | undefined {
  if (order.orderType !== 'payment') return 'not_a_payment';
  if (order.state !== 'waiting' || isExpired(order, nowMs)) return 'not_payable';
  store.setPaymentState(order.syssn, 'failed', { failRespcd: respcd });
  return undefined;
}

/** An order as the control surface shows it, with the state the gateway would report now. */
export function orderView(order: SimOrder, nowMs: number) {
  const status = transactionStatus(order, nowMs);
  return {
    syssn: order.syssn,
    out_trade_no: order.outTradeNo,
    order_type: order.orderType,
    pay_type: order.payType,
    txamt: order.txamt,
    state: isExpired(order, nowMs) ? 'expired' : order.state,
    respcd: status.respcd,
    cancel: status.cancel,
    refunded: order.refunded,
    orig_syssn: order.origSyssn,
    sysdtm: order.sysdtm,
    paydtm: order.paydtm,
    expires_at: order.expiresMs === null ? null : new Date(order.expiresMs).toISOString(),
  };
}
