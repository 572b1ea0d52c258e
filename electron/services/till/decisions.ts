import { DECISION_REASON_LENGTH, orderDecisionStep, refundDecisionStep, type OrderDecision, type RefundDecision } from '../../../shared/ledger/evidence';
import { TillError } from '../../../shared/errors';
import type { OrderRecord, RefundRecord } from '../ledger/ledgerStore';
import type { TillContext } from './tillContext';

/** A manager's word where QFPay's is missing: a late payment kept, an item before them decided, with the reason recorded. */
export function createDecisions(till: TillContext, withdrawAtGateway: (order: OrderRecord) => Promise<unknown>) {
  const { store, clock, announceOrder, announceRefund } = till;

  function decisionReason(reason: string): string {
    const text = reason.trim();
    if (text.length < DECISION_REASON_LENGTH.min || text.length > DECISION_REASON_LENGTH.max) {
      throw new TillError('decision_reason_invalid', `give the reason for the decision in ${DECISION_REASON_LENGTH.min} to ${DECISION_REASON_LENGTH.max} characters`, DECISION_REASON_LENGTH);
    }
    return text;
  }

  function keepLatePayment(reference: string | number): OrderRecord {
    const order = till.mineOrRefuse(till.findOrder(reference));
    if (order.state !== 'paid_late') throw new TillError('not_paid_late', `order ${order.outTradeNo} is ${order.state}, not a late payment`, { state: order.state });
    return announceOrder(store.transitionOrder(order.id, 'paid', 'manager_kept', clock()));
  }

  /** A manager's decision about an order before them, recorded with the reason. */
  async function decideOrder(reference: string | number, decision: OrderDecision, reason: string): Promise<OrderRecord> {
    const order = till.mineOrRefuse(till.findOrder(reference));
    const why = decisionReason(reason);
    if (order.attention === null) throw new TillError('not_before_manager', `order ${order.outTradeNo} is not waiting for a manager: QFPay may still answer`, { state: order.state });
    const now = clock();
    const step = orderDecisionStep(order.state, decision, { gatewayDeadlinePassed: now >= order.gatewayDeadline });
    if (step === 'not_allowed') throw new TillError('decision_not_allowed', `order ${order.outTradeNo} is ${order.state}: a paid order stays paid; refund it if the money must go back`, { state: order.state });
    const { withdraw, ...change } = step;
    // The cashier's screen says it in the order's message: the gateway's old words no longer apply.
    const decided = announceOrder(store.decideOrder(order.id, { decision, reason: why, at: now, message: `a manager decided (${decision === 'paid' ? 'paid' : 'not paid'}): ${why}`, ...change }));
    if (!withdraw) return decided;
    await withdrawAtGateway(decided);
    return store.order(order.id);
  }

  function decideRefund(outTradeNo: string, decision: RefundDecision, reason: string): RefundRecord {
    const item = store.refundByNumber(outTradeNo);
    if (!item) throw new TillError('refund_not_found', `no refund ${outTradeNo} at this till`);
    till.mineOrRefuse(store.order(item.orderId));
    const why = decisionReason(reason);
    if (item.attention === null) throw new TillError('not_before_manager', `refund ${outTradeNo} is not waiting for a manager: QFPay may still answer`, { state: item.state });
    const step = refundDecisionStep(item.state, decision);
    if (step === 'not_allowed') throw new TillError('decision_not_allowed', `refund ${outTradeNo} is ${item.state}`, { state: item.state });
    const updated = announceRefund(store.decideRefund(item.id, { decision, reason: why, at: clock(), ...step }));
    till.settleLateDecision(updated);
    return updated;
  }

  return { keepLatePayment, decideOrder, decideRefund };
}
