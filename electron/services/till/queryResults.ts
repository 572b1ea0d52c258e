import { ACTIVE_PAYMENT_STATES } from '../../../shared/ledger/lifecycle';
import { classifyRespcd, describeRespcd } from '../../../shared/qfpay/respcd';
import type { QueryRecord } from '../../../shared/qfpay/responses';
import type { LedgerStore, OrderRecord, RefundRecord } from '../ledger/ledgerStore';

/**
 * What an enquiry record means for an order or refund in the ledger. Pure decisions on top of the
 * store: each returns the changed record (or undefined if nothing changed) and, for payments,
 * whether the QR should now be withdrawn at the gateway too.
 */

export interface QueryRules {
  readonly now: number;
  /** "No such order" is only believed once a request from a dead process can no longer arrive. */
  readonly notFoundGraceMs: number;
}

export interface PaymentUpdate {
  readonly order: OrderRecord;
  /** Try the wallet's close/reversal: the till gave up on the QR and the gateway still has it open. */
  readonly withdrawAtGateway: boolean;
}

const isActive = (order: OrderRecord) => ACTIVE_PAYMENT_STATES.includes(order.state);

export function applyPaymentRecord(
  store: LedgerStore,
  order: OrderRecord,
  record: QueryRecord | undefined,
  rules: QueryRules,
): PaymentUpdate | undefined {
  const { now } = rules;
  if (!record) {
    if (isActive(order) && now - order.createdAt >= rules.notFoundGraceMs) {
      const updated = store.transitionOrder(order.id, 'failed', 'never_reached_gateway', now, { gatewaySettled: true, lastCheckedAt: now, message: 'QFPay has no record of this order' });
      return { order: updated, withdrawAtGateway: false };
    }
    if (!isActive(order) && now - order.createdAt >= rules.notFoundGraceMs) {
      // A watched order that QFPay never had cannot be paid: stop watching it.
      return { order: store.patchOrder(order.id, { gatewaySettled: true, lastCheckedAt: now }), withdrawAtGateway: false };
    }
    store.patchOrder(order.id, { lastCheckedAt: now });
    return undefined;
  }

  const known = { syssn: order.syssn ?? record.syssn, lastCheckedAt: now };
  const outcome = classifyRespcd(record.respcd);

  if (outcome === 'success') {
    const paid = { ...known, respcd: record.respcd, paydtm: record.paydtm || record.sysdtm || null, sysdtm: order.sysdtm ?? record.sysdtm ?? null, message: null };
    if (isActive(order)) return { order: store.transitionOrder(order.id, 'paid', 'query_paid', now, paid), withdrawAtGateway: false };
    if (order.state === 'expired' || order.state === 'cancelled' || order.state === 'failed') {
      const late = store.transitionOrder(order.id, 'paid_late', 'paid_after_cancel_or_expiry', now, { ...paid, gatewaySettled: true });
      return { order: late, withdrawAtGateway: false };
    }
    return undefined;
  }

  // An ambiguous code on a record (1298 "may be paid"...) is not a final answer either.
  if (outcome === 'pending' || outcome === 'confirm_by_query') {
    if (!isActive(order)) {
      store.patchOrder(order.id, known);
      return undefined;
    }
    if (order.cancelRequestedAt !== null) {
      return { order: store.transitionOrder(order.id, 'cancelled', 'cashier_cancelled', now, known), withdrawAtGateway: true };
    }
    if (now >= order.qrDeadline) {
      return { order: store.transitionOrder(order.id, 'expired', 'qr_deadline_passed', now, known), withdrawAtGateway: true };
    }
    if (order.state === 'created') {
      // The order exists at QFPay but its answer (and so its QR) never reached the till:
      // nobody can scan it, and it will expire or be cancelled.
      return { order: store.transitionOrder(order.id, 'unknown', 'query_pending_without_qr', now, known), withdrawAtGateway: false };
    }
    store.patchOrder(order.id, known);
    return undefined;
  }

  // Any other code is a final "not paid" for this transaction.
  const settled = { ...known, gatewaySettled: true, respcd: record.respcd, message: record.errmsg || describeRespcd(record.respcd, 'en') };
  if (!isActive(order)) {
    store.patchOrder(order.id, { ...known, gatewaySettled: true });
    return undefined;
  }
  if (record.respcd === '1181') return { order: store.transitionOrder(order.id, 'expired', 'qr_deadline_passed', now, settled), withdrawAtGateway: false };
  if (record.respcd === '1264' || record.respcd === '1263' || record.cancel === '2') {
    return { order: store.transitionOrder(order.id, 'cancelled', 'gateway_closed', now, settled), withdrawAtGateway: false };
  }
  return { order: store.transitionOrder(order.id, 'failed', 'query_failed', now, settled), withdrawAtGateway: false };
}

export function applyRefundRecord(
  store: LedgerStore,
  refund: RefundRecord,
  record: QueryRecord | undefined,
  rules: QueryRules,
): RefundRecord | undefined {
  const { now } = rules;
  if (!record) {
    if (now - refund.createdAt >= rules.notFoundGraceMs) {
      return store.transitionRefund(refund.id, 'failed', 'never_reached_gateway', now, { message: 'QFPay has no record of this refund' });
    }
    return undefined;
  }
  const outcome = classifyRespcd(record.respcd);
  if (outcome === 'success') {
    return store.transitionRefund(refund.id, 'succeeded', 'refund_succeeded', now, { syssn: record.syssn, sysdtm: record.sysdtm ?? null, respcd: record.respcd });
  }
  if (outcome === 'pending' || outcome === 'confirm_by_query') {
    return refund.state === 'pending' ? undefined : store.transitionRefund(refund.id, 'pending', 'refund_pending', now, { syssn: record.syssn });
  }
  return store.transitionRefund(refund.id, 'failed', 'refund_refused', now, {
    respcd: record.respcd,
    message: record.errmsg || describeRespcd(record.respcd, 'en'),
  });
}
