/**
 * The life of a payment and of a refund at the till. Every state change goes through the ledger,
 * which refuses any pair not listed here (and the database refuses it again, by trigger), so an
 * illegal transition cannot be written by any code path.
 */

export const PAYMENT_STATES = [
  /** Logged; the request may or may not have reached QFPay yet. */
  'created',
  /** QR issued; waiting for the customer. */
  'waiting',
  /** No definitive answer yet (timeout, 5xx, garbage, 1298...): resolved by query, never by re-charging. */
  'unknown',
  'paid',
  'failed',
  /** The QR's time ran out and QFPay did not report it paid. */
  'expired',
  /** The cashier cancelled and QFPay did not report it paid. */
  'cancelled',
  /** Paid after cancel or expiry: the money is in, and a manager decides to refund or keep it. */
  'paid_late',
] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

export const PAYMENT_TRANSITIONS: Readonly<Record<PaymentState, readonly PaymentState[]>> = {
  created: ['waiting', 'unknown', 'paid', 'failed', 'expired', 'cancelled'],
  waiting: ['paid', 'failed', 'expired', 'cancelled', 'unknown'],
  // waiting: the payment's own answer, with its QR, arrived after a query had found the order without one.
  unknown: ['waiting', 'paid', 'failed', 'expired', 'cancelled'],
  paid: [],
  // A customer may pay a QR that is still on their phone; a failure we inferred ("never reached
  // QFPay") could in theory be contradicted later. Either way the payment is recorded, not ignored.
  failed: ['paid_late'],
  expired: ['paid_late'],
  cancelled: ['paid_late'],
  // The manager's decision: keep the money (and the order is paid), or refund it and keep it too.
  paid_late: ['paid'],
};

/** States in which the till still expects news from QFPay about the order. */
export const ACTIVE_PAYMENT_STATES: readonly PaymentState[] = ['created', 'waiting', 'unknown'];
/** States in which money was received. */
export const PAID_STATES: readonly PaymentState[] = ['paid', 'paid_late'];

export const REFUND_STATES = ['created', 'pending', 'unknown', 'succeeded', 'failed'] as const;
export type RefundState = (typeof REFUND_STATES)[number];

export const REFUND_TRANSITIONS: Readonly<Record<RefundState, readonly RefundState[]>> = {
  created: ['pending', 'unknown', 'succeeded', 'failed'],
  pending: ['unknown', 'succeeded', 'failed'],
  unknown: ['pending', 'succeeded', 'failed'],
  succeeded: [],
  // Only by a manager's decision: QFPay later showed as paid out a refund it had refused.
  failed: ['succeeded'],
};

export const ACTIVE_REFUND_STATES: readonly RefundState[] = ['created', 'pending', 'unknown'];

export function canTransitionPayment(from: PaymentState, to: PaymentState): boolean {
  return PAYMENT_TRANSITIONS[from].includes(to);
}

export function canTransitionRefund(from: RefundState, to: RefundState): boolean {
  return REFUND_TRANSITIONS[from].includes(to);
}

/** Why a state changed: stored with every transition so an order's history can be audited. */
export type TransitionCause =
  | 'charge_requested'
  | 'qr_issued'
  /** The customer's own code was charged: QFPay answered 0000 (CPM). */
  | 'customer_code_paid'
  /** The customer is confirming a code payment in their wallet (1143/1145 on a CPM payment). */
  | 'customer_confirming'
  /** The customer did not confirm a code payment in the till's time: withdrawn by reversal. */
  | 'customer_did_not_confirm'
  | 'gateway_refused'
  | 'no_definitive_answer'
  | 'query_paid'
  | 'query_failed'
  | 'query_pending_without_qr'
  | 'qr_deadline_passed'
  | 'deadline_passed_without_answer'
  | 'cashier_cancelled'
  | 'gateway_closed'
  /** QFPay answered the till's reversal of a customer's code payment: nobody was charged. */
  | 'gateway_reversed'
  /** Written by earlier versions, which believed an empty answer: kept so old histories still read. */
  | 'never_reached_gateway'
  /** The connection was never made: no byte of the request left the till. */
  | 'never_sent'
  | 'gateway_expired'
  /** A manager decided an item QFPay gave no definitive answer about; the reason is kept with it. */
  | 'manager_decided'
  | 'paid_after_cancel_or_expiry'
  | 'manager_kept'
  | 'manager_refunded'
  | 'refund_requested'
  | 'refund_succeeded'
  | 'refund_refused'
  | 'refund_pending';

/** Every legal state change as (entity, from, to): the rows both ledgers' triggers check against. */
export function legalEdges(): [entity: 'payment' | 'refund', from: string, to: string][] {
  return [
    ...Object.entries(PAYMENT_TRANSITIONS).flatMap(([from, targets]) => targets.map((to) => ['payment', from, to] as ['payment', string, string])),
    ...Object.entries(REFUND_TRANSITIONS).flatMap(([from, targets]) => targets.map((to) => ['refund', from, to] as ['refund', string, string])),
  ];
}
