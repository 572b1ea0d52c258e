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

export interface ReconciliationLine {
  readonly kind: 'payment' | 'refund';
  readonly category: ReconciliationCategory;
  readonly outTradeNo: string | null;
  readonly syssn: string | null;
  readonly ledger: { readonly state: string; readonly amount: number } | null;
  readonly qfpay: { readonly respcd: string; readonly amount: number; readonly sysdtm: string | null; readonly udid: string | null } | null;
  /** In words, for people: what differs or why it is open. */
  readonly why: string;
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

function comparePayment(item: LedgerPayment, record: QueryRecord | undefined): { category: ReconciliationCategory; why: string } {
  if (item.attention !== null) return { category: 'open', why: 'before a manager' };
  if (!record) {
    if (PAID.includes(item.state)) return { category: 'differs', why: 'paid in the ledger; QFPay has no record of it' };
    if (NOT_PAID.includes(item.state)) return { category: 'matched', why: '' };
    return { category: 'open', why: 'the till is still asking QFPay' };
  }
  if (record.txamt !== item.amount) return { category: 'differs', why: `amount: ledger ${item.amount}, QFPay ${record.txamt}` };
  const qfpay = says('payment_query', record);
  if (qfpay === 'money') {
    if (item.state === 'paid') return { category: 'matched', why: '' };
    if (item.state === 'paid_late') return { category: 'open', why: 'paid after cancel or expiry: a manager keeps or refunds it' };
    if (NOT_PAID.includes(item.state)) return { category: 'differs', why: `QFPay says paid; the ledger says ${item.state}` };
    return { category: 'open', why: 'QFPay says paid; the till has not recorded it yet' };
  }
  if (qfpay === 'no_money') {
    if (PAID.includes(item.state)) return { category: 'differs', why: `the ledger says ${item.state}; QFPay says not paid (${record.respcd})` };
    if (NOT_PAID.includes(item.state)) return { category: 'matched', why: '' };
    return { category: 'open', why: 'QFPay says not paid; the till has not recorded it yet' };
  }
  if (PAID.includes(item.state) && qfpay === 'pending') return { category: 'differs', why: 'paid in the ledger; QFPay says still waiting' };
  return { category: 'open', why: qfpay === 'pending' ? 'QFPay says still waiting for the customer' : `QFPay's answer is not final (${record.respcd})` };
}

function compareRefund(item: LedgerRefund, record: QueryRecord | undefined): { category: ReconciliationCategory; why: string } {
  if (item.attention !== null) return { category: 'open', why: 'before a manager' };
  if (!record) {
    if (item.state === 'succeeded') return { category: 'differs', why: 'refunded in the ledger; QFPay has no record of it' };
    if (item.state === 'failed') return { category: 'matched', why: '' };
    return { category: 'open', why: 'the till is still asking QFPay' };
  }
  if (record.txamt !== item.amount) return { category: 'differs', why: `amount: ledger ${item.amount}, QFPay ${record.txamt}` };
  const qfpay = says('refund_query', record);
  if (qfpay === 'money') {
    if (item.state === 'succeeded') return { category: 'matched', why: '' };
    if (item.state === 'failed') return { category: 'differs', why: 'QFPay says refunded; the ledger says failed' };
    return { category: 'open', why: 'QFPay says refunded; the till has not recorded it yet' };
  }
  if (qfpay === 'no_money') {
    if (item.state === 'failed') return { category: 'matched', why: '' };
    if (item.state === 'succeeded') return { category: 'differs', why: `refunded in the ledger; QFPay says it failed (${record.respcd})` };
    return { category: 'open', why: 'QFPay says failed; the till has not recorded it yet' };
  }
  return { category: 'open', why: `QFPay's answer is not final (${record.respcd})` };
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
    const { category, why } = compareRefund(item, record);
    count(category);
    if (category !== 'matched') lines.push(line('refund', category, why, item, record));
  }
  for (const item of ledger.payments) {
    const record = bySyssn(item.syssn) ?? byNumber(item.outTradeNo, false);
    claim(record);
    const { category, why } = comparePayment(item, record);
    count(category);
    if (category !== 'matched') lines.push(line('payment', category, why, item, record));
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
      why: record.udid ? `not in this ledger; made by till ${record.udid}` : 'not in this ledger',
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

function line(kind: 'payment' | 'refund', category: ReconciliationCategory, why: string, item: LedgerPayment | LedgerRefund, record: QueryRecord | undefined): ReconciliationLine {
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
