import { classifyRespcd } from '../qfpay/respcdOutcomes';
import type { PaymentMode } from '../wallets';
import type { PaymentState, RefundState, TransitionCause } from './lifecycle';

/**
 * What an answer from QFPay proves, and what the ledger may do about it. This is the one place
 * where the till decides that a payment or a refund is over; everything else asks here.
 *
 * The rule: a state is final only on a definitive answer about that very request, either a record
 * of it with a documented final code, or a refusal of the request itself. An empty answer, an
 * unknown code, an answer from another configuration, a record that disagrees with what we sent,
 * or a record without the expected label proves nothing: the item stays open, is asked about
 * again, and past a bounded time is put before a manager (see `attentionReason`).
 */

/** Which request the answer is about. */
export type EvidenceRequest =
  /** The answer to `/trade/v1/payment` itself, for a QR the till shows (MPM). */
  | 'payment'
  /**
   * The answer to `/trade/v1/payment` with the customer's own code (CPM): QFPay's CPM page says
   * 0000 is the payment made, and 1143/1145 that it is still processing or the customer is
   * entering their password, to be followed by enquiries.
   */
  | 'customer_code'
  /** An enquiry record found under the payment's own out_trade_no (or syssn). */
  | 'payment_query'
  /** The answer to `/trade/v1/refund` itself. */
  | 'refund'
  /** An enquiry record found under the refund's own out_trade_no or syssn, whatever its label. */
  | 'refund_query'
  /** The answer to the wallet's close (`/trade/v1/close`) or reversal of a QR the till gave up on. */
  | 'close';

export const EVIDENCE_REQUESTS: readonly EvidenceRequest[] = ['payment', 'customer_code', 'payment_query', 'refund', 'refund_query', 'close'];

/** An answer reduced to what matters for evidence. */
export type AnswerClass =
  /** The connection was never made (refused, no such host): no byte of the request left the till. */
  | 'not_sent'
  /** Timeout, reset, HTTP 5xx or 429, not JSON, wrong shape, an echo of another order or amount. */
  | 'no_answer'
  /** A good enquiry answer that holds no record under this number, for the window searched. */
  | 'no_record'
  /** A record under this number whose amount, or whose original payment, is not ours. */
  | 'contradicting'
  /** An answer from a gateway other than the one that took the order (another environment or app code). */
  | 'other_gateway'
  | 'success'
  /** 1143/1145 that carries a QR code: the order exists and can be shown. */
  | 'pending_with_qr'
  /** 1143/1145: not final yet. */
  | 'pending'
  /** 1260 "already paid": the payment exists and may be paid; only a query tells. */
  | 'already_paid'
  /** 1142/1263/1264 or `cancel` = 2 on a record: closed or reversed. */
  | 'closed'
  /** 1181: the QR expired unscanned. */
  | 'expired'
  /** A documented refusal: nothing happened. */
  | 'refusal'
  /** A documented code that does not say whether anything happened (1298 "may be paid", 2011...). */
  | 'ambiguous'
  /** A code no table lists. */
  | 'unknown_code';

export const ANSWER_CLASSES: readonly AnswerClass[] = [
  'not_sent',
  'no_answer',
  'no_record',
  'contradicting',
  'other_gateway',
  'success',
  'pending_with_qr',
  'pending',
  'already_paid',
  'closed',
  'expired',
  'refusal',
  'ambiguous',
  'unknown_code',
];

/** What the answer proves about the request it answers. */
export type Proof =
  /** The payment exists at QFPay and its QR can be shown. */
  | 'qr_issued'
  | 'paid'
  | 'refunded'
  /** Exists at QFPay and is not final yet. */
  | 'in_progress'
  /** QFPay refused the request itself: nothing happened. */
  | 'refused'
  /** The request never left the till. */
  | 'not_sent'
  /** Final records of a payment that was not paid, or of a refund that failed. */
  | 'closed'
  | 'expired'
  | 'failed'
  /** Nothing: ask again. */
  | 'nothing';

/**
 * The table: for each request, what each class of answer proves. Every row is tested
 * (test/shared/evidence.test.ts), and a property test drives random sequences through it.
 */
export const EVIDENCE: Readonly<Record<EvidenceRequest, Readonly<Record<AnswerClass, Proof>>>> = {
  payment: {
    not_sent: 'not_sent',
    no_answer: 'nothing',
    no_record: 'nothing',
    contradicting: 'nothing',
    other_gateway: 'nothing',
    success: 'qr_issued',
    pending_with_qr: 'qr_issued',
    // The order exists but its QR did not come with the answer: nobody can scan it; ask.
    pending: 'nothing',
    already_paid: 'nothing',
    closed: 'refused',
    expired: 'refused',
    refusal: 'refused',
    ambiguous: 'nothing',
    unknown_code: 'nothing',
  },
  customer_code: {
    not_sent: 'not_sent',
    no_answer: 'nothing',
    no_record: 'nothing',
    contradicting: 'nothing',
    other_gateway: 'nothing',
    // No QR to scan: 0000 to a payment with the customer's code is the money taken.
    success: 'paid',
    // The customer is entering a password, or the wallet is still deciding: it exists, it is not over.
    pending_with_qr: 'in_progress',
    pending: 'in_progress',
    already_paid: 'nothing',
    // A used or expired code (1202), too little balance, a closed order: the request itself was refused.
    closed: 'refused',
    expired: 'refused',
    refusal: 'refused',
    ambiguous: 'nothing',
    unknown_code: 'nothing',
  },
  payment_query: {
    not_sent: 'nothing',
    no_answer: 'nothing',
    // Empty is never proof: QFPay searches one month unless told otherwise, and a slow request may still land.
    no_record: 'nothing',
    contradicting: 'nothing',
    other_gateway: 'nothing',
    success: 'paid',
    pending_with_qr: 'in_progress',
    pending: 'in_progress',
    already_paid: 'nothing',
    closed: 'closed',
    expired: 'expired',
    refusal: 'failed',
    ambiguous: 'nothing',
    unknown_code: 'nothing',
  },
  refund: {
    not_sent: 'not_sent',
    no_answer: 'nothing',
    no_record: 'nothing',
    contradicting: 'nothing',
    other_gateway: 'nothing',
    success: 'refunded',
    pending_with_qr: 'in_progress',
    pending: 'in_progress',
    already_paid: 'nothing',
    closed: 'refused',
    expired: 'refused',
    refusal: 'refused',
    ambiguous: 'nothing',
    unknown_code: 'nothing',
  },
  refund_query: {
    not_sent: 'nothing',
    no_answer: 'nothing',
    // The refund's answer was lost and its record is missing or unlabelled: it may still have paid out.
    no_record: 'nothing',
    contradicting: 'nothing',
    other_gateway: 'nothing',
    success: 'refunded',
    pending_with_qr: 'in_progress',
    pending: 'in_progress',
    already_paid: 'nothing',
    closed: 'failed',
    expired: 'failed',
    refusal: 'failed',
    ambiguous: 'nothing',
    unknown_code: 'nothing',
  },
  // Only QFPay's own word that nobody can pay this QR any more ends the watch for a late payment.
  close: {
    not_sent: 'nothing',
    no_answer: 'nothing',
    no_record: 'nothing',
    contradicting: 'nothing',
    other_gateway: 'nothing',
    success: 'closed',
    pending_with_qr: 'nothing',
    pending: 'nothing',
    // Paid before the close reached QFPay, perhaps: only a query tells (see closeStep).
    already_paid: 'nothing',
    closed: 'closed',
    expired: 'expired',
    refusal: 'nothing',
    ambiguous: 'nothing',
    unknown_code: 'nothing',
  },
};

const CLOSED_CODES = new Set(['1142', '1263', '1264']);

/**
 * The class of a well-formed answer or record with a `respcd`. `cancel` is the record's flag
 * (2 = MPM cancelled); `hasQr` whether a payment answer carried a QR code.
 */
export function classifyCode(request: EvidenceRequest, respcd: string, options: { cancel?: string; hasQr?: boolean } = {}): AnswerClass {
  const isRecord = request === 'payment_query' || request === 'refund_query';
  if (respcd === '0000') {
    // "Paid" and "cancelled" at once is no answer at all. `cancel` = 1 is "reversed or refunded
    // (CPM)": the money came and may have gone back, by a reversal (never paid) or a refund (paid):
    // which one, the record does not say.
    return isRecord && request === 'payment_query' && (options.cancel === '2' || options.cancel === '1') ? 'ambiguous' : 'success';
  }
  if (respcd === '1143' || respcd === '1145') return options.hasQr && request === 'payment' ? 'pending_with_qr' : 'pending';
  if (respcd === '1260') return 'already_paid';
  // A refund number "used before" may be our own earlier attempt that went through.
  if (request === 'refund' && respcd === '1251') return 'ambiguous';
  if (CLOSED_CODES.has(respcd) || (request === 'payment_query' && options.cancel === '2')) return 'closed';
  if (respcd === '1181') return 'expired';
  switch (classifyRespcd(respcd)) {
    case 'failed':
    case 'never_retry':
      return 'refusal';
    case 'confirm_by_query':
      return 'ambiguous';
    case 'pending':
    case 'success':
    case 'unknown_code':
      return 'unknown_code';
  }
}

export function proofOf(request: EvidenceRequest, answer: AnswerClass): Proof {
  return EVIDENCE[request][answer];
}

const ACTIVE: readonly PaymentState[] = ['created', 'waiting', 'unknown'];
const NOT_PAID: readonly PaymentState[] = ['failed', 'expired', 'cancelled'];

/** What the ledger knows of an order when an answer arrives. */
export interface PaymentFacts {
  readonly state: PaymentState;
  readonly cancelRequested: boolean;
  readonly qrDeadlinePassed: boolean;
  /**
   * A `created` order whose sender can no longer be waiting for its answer (see
   * REQUEST_ABANDONED_AFTER_MS): its process died or gave up, so its outcome is unknown.
   */
  readonly requestAbandoned?: boolean;
  /** Who showed the code; 'mpm' when not given. */
  readonly mode?: PaymentMode;
}

/**
 * How long the till waits for a customer to confirm a payment with their own code (a password
 * in the wallet) before it withdraws it by reversal. Our choice: WeChat Pay's and Alipay's own
 * guides for these payments say to query for about 30 s and then reverse; the till gives the
 * customer twice that. QFPay documents no figure.
 */
export const CUSTOMER_CONFIRM_WINDOW_MS = 60_000;
/**
 * How long after the charge QFPay might still complete a payment with the customer's code: our
 * assumption (undocumented), used as the gateway's deadline, after which an unconfirmed reversal
 * puts the order before a manager.
 */
export const CUSTOMER_CODE_GATEWAY_MS = 5 * 60_000;

/**
 * How long the till waits with the customer: the confirm window where the wallet's payment can
 * be withdrawn by reversal; where it cannot (PayMe: QFPay documents no CPM reversal for it), the
 * whole time QFPay might still complete it. Giving up earlier would only turn a payment the
 * customer is still confirming into a late payment the till could not have stopped.
 */
export function customerWaitMs(withdrawable: boolean): number {
  return withdrawable ? CUSTOMER_CONFIRM_WINDOW_MS : CUSTOMER_CODE_GATEWAY_MS;
}

/** No client waits longer than this for an answer (the till's own gives up after 10 s). */
export const REQUEST_ABANDONED_AFTER_MS = 30_000;

/** What to do with an order. An empty step leaves it as it is. */
export interface PaymentStep {
  readonly to?: PaymentState;
  readonly cause?: TransitionCause;
  /** QFPay confirmed that nobody can pay it any more: stop watching for a late payment. */
  readonly settle?: boolean;
  /** Try the wallet's close or reversal: the till gave up on a QR that QFPay still has open. */
  readonly withdraw?: boolean;
  /** The answer disagrees with a final state: the ledger does not change, and a person must look. */
  readonly contradiction?: boolean;
  /**
   * The till stops waiting for a customer's code payment it has no answer about: recorded as the
   * till's own cancel request (so the reversal goes once) while the order stays unknown until
   * QFPay says what became of it.
   */
  readonly stopWaiting?: boolean;
}

/** The step for an order, from the proof of one answer about it. */
export function paymentStep(request: 'payment' | 'customer_code' | 'payment_query', facts: PaymentFacts, proof: Proof): PaymentStep {
  const { state } = facts;
  const active = ACTIVE.includes(state);
  const customerCode = facts.mode === 'cpm';
  switch (proof) {
    case 'qr_issued':
      if (state === 'created') return { to: 'waiting', cause: 'qr_issued' };
      // The answer outran by a query that found the order without its QR: show it if it is still of use.
      if (state === 'unknown' && !facts.cancelRequested && !facts.qrDeadlinePassed) return { to: 'waiting', cause: 'qr_issued' };
      return {};
    case 'paid':
      if (active) return { to: 'paid', cause: request === 'customer_code' ? 'customer_code_paid' : 'query_paid', settle: true };
      if (NOT_PAID.includes(state)) return { to: 'paid_late', cause: 'paid_after_cancel_or_expiry', settle: true };
      return {};
    case 'in_progress':
      if (!active) return {};
      if (facts.cancelRequested) return { to: 'cancelled', cause: 'cashier_cancelled', withdraw: true };
      if (facts.qrDeadlinePassed) return { to: 'expired', cause: customerCode ? 'customer_did_not_confirm' : 'qr_deadline_passed', withdraw: true };
      // The customer is confirming in their wallet: there is no QR to lose, so the till waits with them.
      if (customerCode) return state === 'waiting' ? {} : { to: 'waiting', cause: 'customer_confirming' };
      // It exists at QFPay but its answer, and so its QR, never reached the till: nobody can scan it.
      if (state === 'created') return { to: 'unknown', cause: 'query_pending_without_qr' };
      return {};
    case 'closed':
    case 'expired':
    case 'failed': {
      if (state === 'paid' || state === 'paid_late') return { contradiction: true };
      if (!active) return { settle: true };
      const final = { closed: ['cancelled', 'gateway_closed'], expired: ['expired', 'gateway_expired'], failed: ['failed', 'query_failed'] } as const;
      const [to, cause] = final[proof];
      return { to, cause, settle: true };
    }
    case 'refused':
    case 'not_sent':
      if (state === 'created' || state === 'unknown') return { to: 'failed', cause: proof === 'refused' ? 'gateway_refused' : 'never_sent', settle: true };
      return {};
    case 'nothing':
    case 'refunded':
      if (request !== 'payment_query' && state === 'created') return { to: 'unknown', cause: 'no_definitive_answer' };
      if (request === 'payment_query' && state === 'waiting' && facts.qrDeadlinePassed) return { to: 'unknown', cause: 'deadline_passed_without_answer' };
      // A customer's code payment with no answer in time: QFPay's reversal applies (the wallet's, where
      // it has one), asked once; the order stays unknown until a record says what became of it.
      if (request === 'payment_query' && customerCode && state === 'unknown' && facts.qrDeadlinePassed && !facts.cancelRequested) return { withdraw: true, stopWaiting: true };
      if (request === 'payment_query' && state === 'created' && facts.requestAbandoned) {
        // The cashier cancelled a sale whose sender died: cancelled as an unknown one would be at once,
        // and still watched for a late payment, so the counter is free for the next customer.
        return facts.cancelRequested ? { to: 'cancelled', cause: 'cashier_cancelled', withdraw: true } : { to: 'unknown', cause: 'no_definitive_answer' };
      }
      return {};
  }
}

/** What to do after a close or reversal: stop watching the order, or ask QFPay about it at once. */
export interface CloseStep {
  readonly settle?: boolean;
  /** How QFPay ended it, for an order the till still had open (a customer's code it stopped waiting for). */
  readonly ended?: 'closed' | 'expired';
  readonly lookAgain?: boolean;
}

export function closeStep(answer: AnswerClass): CloseStep {
  const proof = proofOf('close', answer);
  if (proof === 'closed' || proof === 'expired') return { settle: true, ended: proof };
  // "Already paid": the customer may have paid before the close arrived; the query records it as late.
  if (answer === 'already_paid') return { lookAgain: true };
  return {};
}

export interface RefundStep {
  readonly to?: RefundState;
  readonly cause?: TransitionCause;
  readonly contradiction?: boolean;
}

const ACTIVE_REFUND: readonly RefundState[] = ['created', 'pending', 'unknown'];

/** The step for a refund, from the proof of one answer about it. */
export function refundStep(request: 'refund' | 'refund_query', state: RefundState, proof: Proof): RefundStep {
  const active = ACTIVE_REFUND.includes(state);
  switch (proof) {
    case 'refunded':
      if (active) return { to: 'succeeded', cause: 'refund_succeeded' };
      return state === 'failed' ? { contradiction: true } : {};
    case 'in_progress':
      return state === 'created' || state === 'unknown' ? { to: 'pending', cause: 'refund_pending' } : {};
    case 'refused':
    case 'not_sent':
      if (active) return { to: 'failed', cause: proof === 'refused' ? 'refund_refused' : 'never_sent' };
      return {};
    case 'closed':
    case 'expired':
    case 'failed':
      if (active) return { to: 'failed', cause: 'query_failed' };
      return state === 'succeeded' ? { contradiction: true } : {};
    case 'nothing':
    case 'qr_issued':
    case 'paid':
      if (request === 'refund' && state === 'created') return { to: 'unknown', cause: 'no_definitive_answer' };
      return {};
  }
}

/**
 * When an item that is still unproven is put before a manager. Until then the till keeps asking;
 * after, it still asks (more slowly), and the item blocks the close of its period.
 *
 * Choices of ours, since QFPay documents no timings: a payment has had every chance once its QR's
 * time is up and five more minutes have passed (QFPay asks integrators to query again within
 * seconds); a QR the till withdrew is watched until QFPay's own deadline (kept on the order with
 * its margin), after which QFPay should have said "closed" or "expired"; a refund is processed in
 * seconds, so ten minutes without a final answer is not a network blip.
 */
export const ATTENTION_AFTER_QR_DEADLINE_MS = 5 * 60_000;
export const ATTENTION_AFTER_REFUND_MS = 10 * 60_000;

export type AttentionReason =
  /** No definitive answer about the payment in time. */
  | 'no_final_answer'
  /** The till withdrew the QR, and QFPay never confirmed that it closed or expired. */
  | 'close_not_confirmed'
  /** No definitive answer about the refund in time: it may have paid out. */
  | 'refund_not_confirmed'
  /** An answer that disagrees with a final state in the ledger. */
  | 'contradiction';

export function orderAttentionDue(
  order: { readonly state: PaymentState; readonly gatewaySettled: boolean; readonly qrDeadline: number; readonly gatewayDeadline: number },
  now: number,
): AttentionReason | undefined {
  if (ACTIVE.includes(order.state)) return now >= order.qrDeadline + ATTENTION_AFTER_QR_DEADLINE_MS ? 'no_final_answer' : undefined;
  if (NOT_PAID.includes(order.state) && !order.gatewaySettled) return now >= order.gatewayDeadline ? 'close_not_confirmed' : undefined;
  return undefined;
}

export function refundAttentionDue(refund: { readonly state: RefundState; readonly createdAt: number }, now: number): AttentionReason | undefined {
  return ACTIVE_REFUND.includes(refund.state) && now >= refund.createdAt + ATTENTION_AFTER_REFUND_MS ? 'refund_not_confirmed' : undefined;
}

/**
 * A manager's decision about an item before them, when QFPay will not say: what they saw in
 * QFPay's merchant portal or heard from its support, recorded with their reason. A paid order
 * stays paid in the books (money that must go back is refunded, not unwritten).
 */
export type OrderDecision = 'paid' | 'not_paid';

/** A decision's reason, in characters once trimmed: enough to say what was seen, short enough for a slip. */
export const DECISION_REASON_LENGTH = { min: 3, max: 200 } as const;
export type RefundDecision = 'succeeded' | 'failed';

/**
 * What a decision does to an order. "Not paid" ends the question only once QFPay's own deadline
 * has passed: before that, a customer may still pay the QR on their phone, so the order stays
 * watched (and the QR is withdrawn at the gateway where the wallet allows), and a late payment
 * is still caught.
 */
export function orderDecisionStep(
  state: PaymentState,
  decision: OrderDecision,
  facts: { readonly gatewayDeadlinePassed: boolean },
): { to?: PaymentState; settle?: boolean; withdraw?: boolean } | 'not_allowed' {
  const active = ACTIVE.includes(state);
  if (decision === 'paid') {
    if (active) return { to: 'paid', settle: true };
    if (NOT_PAID.includes(state)) return { to: 'paid_late', settle: true };
    return {};
  }
  const settle = facts.gatewayDeadlinePassed;
  if (active) return settle ? { to: 'failed', settle } : { to: 'failed', withdraw: true };
  if (NOT_PAID.includes(state)) return settle ? { settle } : {};
  return 'not_allowed';
}

export function refundDecisionStep(state: RefundState, decision: RefundDecision): { to?: RefundState } | 'not_allowed' {
  if (decision === 'succeeded') return state === 'succeeded' ? {} : { to: 'succeeded' };
  if (ACTIVE_REFUND.includes(state)) return { to: 'failed' };
  return state === 'failed' ? {} : 'not_allowed';
}
