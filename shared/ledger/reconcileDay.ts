import type { QueryRecord } from '../qfpay/responses';
import { classifyCode, type AnswerClass } from './evidence';
import type { PaymentState, RefundState } from './lifecycle';
import type { ReconciliationNote } from './reportTypes';
import { isRefundRecord } from './recordMatching';

/**
 * A business day compared with QFPay's own records of it. Pure: the service fetches QFPay's
 * records (every page of the day's window) and the ledger's items, and this says, item by item:
 * - matched: both sides say the same, with the same amount;
 * - at QFPay only: a record no ledger item has (a lost ledger, or another till using the same
 *   credentials, whose `udid` is named);
 * - differs: the ledger says another state or amount than QFPay (money one side has and the
 *   other does not);
 * - open: one side is not final yet (the till is still asking, or a manager must decide).
 */

export type ReconciliationCategory = 'matched' | 'at_qfpay_only' | 'differs' | 'open';

export interface LedgerPayment {
  readonly outTradeNo: string;
  readonly syssn: string | null;
  readonly amount: number;
  readonly state: PaymentState;
  readonly attention: string | null;
}

export interface LedgerRefund {
  readonly outTradeNo: string;
  readonly syssn: string | null;
  readonly amount: number;
  readonly state: RefundState;
  readonly attention: string | null;
  readonly paymentOutTradeNo: string;
}

/**
 * What differs, or why an item is open, as a code with its values: each screen and the CLI say it
 * in their language (shared/i18n/reconciliationWords.ts).
 */
export type ReconciliationReason =
  | { readonly code: 'before_manager' | 'still_asking' | 'paid_late' | 'paid_no_record' | 'refunded_no_record' | 'paid_qfpay_waiting' | 'qfpay_waiting' }
  | { readonly code: 'qfpay_paid_not_recorded' | 'qfpay_not_paid_not_recorded' | 'qfpay_refunded_not_recorded' | 'qfpay_failed_not_recorded' | 'qfpay_refunded_ledger_failed' }
  | { readonly code: 'amount'; readonly ledger: number; readonly qfpay: number }
  | { readonly code: 'qfpay_paid_ledger_not'; readonly state: PaymentState }
  | { readonly code: 'withdrawn_qfpay_open'; readonly state: PaymentState }
  | { readonly code: 'ledger_paid_qfpay_not'; readonly state: PaymentState; readonly respcd: string }
  | { readonly code: 'refunded_qfpay_failed'; readonly respcd: string }
  | { readonly code: 'not_final'; readonly respcd: string }
  | { readonly code: 'not_in_ledger'; readonly till: string | null };

export interface ReconciliationLine {
  readonly kind: 'payment' | 'refund';
  readonly category: ReconciliationCategory;
  readonly outTradeNo: string | null;
  readonly syssn: string | null;
  readonly ledger: { readonly state: string; readonly amount: number } | null;
  readonly qfpay: { readonly respcd: string; readonly amount: number; readonly sysdtm: string | null; readonly udid: string | null } | null;
  readonly why: ReconciliationReason;
}

export interface ReconciliationCounts {
  readonly matched: number;
  readonly atQfpayOnly: number;
  readonly differs: number;
  readonly open: number;
}

export interface ReconciliationResult {
  readonly day: string;
  readonly environment: string;
  readonly checkedAt: number;
  /** QFPay's records of the day, and the requests it took to read them. */
  readonly qfpayRecords: number;
  readonly requests: number;
  readonly agrees: boolean;
  readonly counts: ReconciliationCounts;
  /** Every line that is not matched, for people to look at. */
  readonly lines: readonly ReconciliationLine[];
  /** The day's items made through another gateway: not compared. */
  readonly otherGateway: number;
}

/** What a record says, in the few words reconciliation needs. */
type Says = 'money' | 'no_money' | 'pending' | 'unclear';

function says(request: 'payment_query' | 'refund_query', record: QueryRecord): Says {
  const answer: AnswerClass = classifyCode(request, record.respcd, { cancel: record.cancel });
  switch (answer) {
    case 'success':
      return 'money';
    case 'closed':
    case 'expired':
    case 'refusal':
      return 'no_money';
    case 'pending':
    case 'pending_with_qr':
      return 'pending';
    default:
      return 'unclear';
  }
}

const PAID: readonly PaymentState[] = ['paid', 'paid_late'];
const NOT_PAID: readonly PaymentState[] = ['failed', 'expired', 'cancelled'];

type Comparison = { category: 'matched' } | { category: Exclude<ReconciliationCategory, 'matched'>; why: ReconciliationReason };
const MATCHED: Comparison = { category: 'matched' };
const differs = (why: ReconciliationReason): Comparison => ({ category: 'differs', why });
const open = (why: ReconciliationReason): Comparison => ({ category: 'open', why });

function comparePayment(item: LedgerPayment, record: QueryRecord | undefined): Comparison {
  if (item.attention !== null) return open({ code: 'before_manager' });
  if (!record) {
    if (PAID.includes(item.state)) return differs({ code: 'paid_no_record' });
    return NOT_PAID.includes(item.state) ? MATCHED : open({ code: 'still_asking' });
  }
  if (record.txamt !== item.amount) return differs({ code: 'amount', ledger: item.amount, qfpay: record.txamt });
  // "Reversed or refunded (CPM)": whichever, the money is not the shop's, as the till's not-paid says.
  if (record.respcd === '0000' && record.cancel === '1' && NOT_PAID.includes(item.state)) return MATCHED;
  const qfpay = says('payment_query', record);
  if (qfpay === 'money') {
    if (item.state === 'paid') return MATCHED;
    if (item.state === 'paid_late') return open({ code: 'paid_late' });
    if (NOT_PAID.includes(item.state)) return differs({ code: 'qfpay_paid_ledger_not', state: item.state });
    return open({ code: 'qfpay_paid_not_recorded' });
  }
  if (qfpay === 'no_money') {
    if (PAID.includes(item.state)) return differs({ code: 'ledger_paid_qfpay_not', state: item.state, respcd: record.respcd });
    return NOT_PAID.includes(item.state) ? MATCHED : open({ code: 'qfpay_not_paid_not_recorded' });
  }
  if (PAID.includes(item.state) && qfpay === 'pending') return differs({ code: 'paid_qfpay_waiting' });
  // Withdrawn at the till while QFPay still holds the order (QFPay cannot close PayMe, FPS or
  // Octopus orders): open, and said so, since the customer could still pay it and the till watches.
  if (qfpay === 'pending' && (item.state === 'cancelled' || item.state === 'expired')) return open({ code: 'withdrawn_qfpay_open', state: item.state });
  return open(qfpay === 'pending' ? { code: 'qfpay_waiting' } : { code: 'not_final', respcd: record.respcd });
}

function compareRefund(item: LedgerRefund, record: QueryRecord | undefined): Comparison {
  if (item.attention !== null) return open({ code: 'before_manager' });
  if (!record) {
    if (item.state === 'succeeded') return differs({ code: 'refunded_no_record' });
    return item.state === 'failed' ? MATCHED : open({ code: 'still_asking' });
  }
  if (record.txamt !== item.amount) return differs({ code: 'amount', ledger: item.amount, qfpay: record.txamt });
  const qfpay = says('refund_query', record);
  if (qfpay === 'money') {
    if (item.state === 'succeeded') return MATCHED;
    return item.state === 'failed' ? differs({ code: 'qfpay_refunded_ledger_failed' }) : open({ code: 'qfpay_refunded_not_recorded' });
  }
  if (qfpay === 'no_money') {
    if (item.state === 'failed') return MATCHED;
    return item.state === 'succeeded' ? differs({ code: 'refunded_qfpay_failed', respcd: record.respcd }) : open({ code: 'qfpay_failed_not_recorded' });
  }
  return open({ code: 'not_final', respcd: record.respcd });
}

/**
 * Matches the day's records with the ledger's items. `ledger` holds the day's items and any
 * other item a record names (made on the day before, say): records are matched by number and
 * syssn, refunds whatever their label, exactly as the till matches enquiry answers.
 */
export function reconcileRecords(
  context: { readonly day: string; readonly environment: string; readonly checkedAt: number; readonly requests: number; readonly otherGateway: number },
  records: readonly QueryRecord[],
  ledger: { readonly payments: readonly LedgerPayment[]; readonly refunds: readonly LedgerRefund[] },
): ReconciliationResult {
  const unclaimed = new Map(records.map((record) => [record.syssn, record]));
  const lines: ReconciliationLine[] = [];
  const counts = { matched: 0, atQfpayOnly: 0, differs: 0, open: 0 };
  const count = (category: ReconciliationCategory) => {
    if (category === 'matched') counts.matched += 1;
    else if (category === 'at_qfpay_only') counts.atQfpayOnly += 1;
    else if (category === 'differs') counts.differs += 1;
    else counts.open += 1;
  };
  const bySyssn = (syssn: string | null) => (syssn === null ? undefined : unclaimed.get(syssn));
  const numberIndex = new Map<string, QueryRecord[]>();
  for (const record of records) if (record.out_trade_no) numberIndex.set(record.out_trade_no, [...(numberIndex.get(record.out_trade_no) ?? []), record]);
  // A payment's number may also list its refunds (as integrators report): those are not the payment.
  const byNumber = (number: string, wantRefund: boolean) =>
    numberIndex.get(number)?.find((record) => unclaimed.has(record.syssn) && (wantRefund || !isRefundRecord(record)));
  const claim = (record: QueryRecord | undefined) => record && unclaimed.delete(record.syssn);

  // Refunds first: a record under a refund's own number is that refund, whatever its label.
  for (const item of ledger.refunds) {
    const record = bySyssn(item.syssn) ?? byNumber(item.outTradeNo, true);
    claim(record);
    const compared = compareRefund(item, record);
    count(compared.category);
    if (compared.category !== 'matched') lines.push(line('refund', compared.category, compared.why, item, record));
  }
  for (const item of ledger.payments) {
    const record = bySyssn(item.syssn) ?? byNumber(item.outTradeNo, false);
    claim(record);
    const compared = comparePayment(item, record);
    count(compared.category);
    if (compared.category !== 'matched') lines.push(line('payment', compared.category, compared.why, item, record));
  }
  for (const record of unclaimed.values()) {
    counts.atQfpayOnly += 1;
    const kind = isRefundRecord(record) ? 'refund' : 'payment';
    lines.push({
      kind,
      category: 'at_qfpay_only',
      outTradeNo: record.out_trade_no || null,
      syssn: record.syssn,
      ledger: null,
      qfpay: qfpaySide(record),
      why: { code: 'not_in_ledger', till: record.udid || null },
    });
  }
  return {
    day: context.day,
    environment: context.environment,
    checkedAt: context.checkedAt,
    qfpayRecords: records.length,
    requests: context.requests,
    agrees: counts.differs === 0 && counts.atQfpayOnly === 0 && counts.open === 0,
    counts,
    lines,
    otherGateway: context.otherGateway,
  };
}

const qfpaySide = (record: QueryRecord) => ({ respcd: record.respcd, amount: record.txamt, sysdtm: record.sysdtm ?? null, udid: record.udid ?? null });

function line(kind: 'payment' | 'refund', category: ReconciliationCategory, why: ReconciliationReason, item: LedgerPayment | LedgerRefund, record: QueryRecord | undefined): ReconciliationLine {
  return {
    kind,
    category,
    outTradeNo: item.outTradeNo,
    syssn: item.syssn ?? record?.syssn ?? null,
    ledger: { state: item.state, amount: item.amount },
    qfpay: record ? qfpaySide(record) : null,
    why,
  };
}

/** A result in the few words a Z report states. */
export function noteOf(result: ReconciliationResult): ReconciliationNote {
  return {
    day: result.day,
    environment: result.environment,
    checkedAt: result.checkedAt,
    agrees: result.agrees,
    matched: result.counts.matched,
    differences: result.counts.differs,
    atQfpayOnly: result.counts.atQfpayOnly,
    stillOpen: result.counts.open,
  };
}
