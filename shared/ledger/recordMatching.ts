import type { QueryRecord } from '../qfpay/responses';
import { classifyCode, type AnswerClass } from './evidence';

/**
 * Which enquiry record is about which ledger item. Records are matched by their numbers, never by
 * position and never by label alone: a refund is the record under its own out_trade_no or syssn
 * whatever its `order_type` says, and a payment is the record under its syssn, or under its
 * out_trade_no when the record is not marked as a refund. A record that names our number but
 * another amount or another original payment is not evidence about ours.
 */

export interface RecordMatch {
  readonly answer: AnswerClass;
  readonly record?: QueryRecord;
}

export interface PaymentKeys {
  readonly outTradeNo: string;
  readonly syssn: string | null;
  readonly amount: number;
}

export interface RefundKeys {
  readonly outTradeNo: string;
  readonly syssn: string | null;
  readonly amount: number;
}

/** A record that says it is a refund: labelled so, or naming an original payment. */
export const isRefundRecord = (record: QueryRecord): boolean => record.order_type === 'refund' || Boolean(record.origssn);

function single(records: readonly QueryRecord[]): QueryRecord | 'none' | 'several' {
  const distinct = [...new Map(records.map((record) => [record.syssn, record])).values()];
  if (distinct.length === 0) return 'none';
  return distinct.length === 1 ? (distinct[0] as QueryRecord) : 'several';
}

export function matchPaymentRecord(order: PaymentKeys, records: readonly QueryRecord[]): RecordMatch {
  const found = single(
    records.filter((record) => (order.syssn !== null && record.syssn === order.syssn) || (record.out_trade_no === order.outTradeNo && !isRefundRecord(record))),
  );
  if (found === 'none') return { answer: 'no_record' };
  if (found === 'several') return { answer: 'contradicting' };
  const numberDiffers = found.out_trade_no !== undefined && found.out_trade_no !== '' && found.out_trade_no !== order.outTradeNo;
  if (numberDiffers || isRefundRecord(found) || found.txamt !== order.amount) return { answer: 'contradicting', record: found };
  return { answer: classifyCode('payment_query', found.respcd, { cancel: found.cancel }), record: found };
}

export function matchRefundRecord(refund: RefundKeys, payment: { readonly syssn: string | null }, records: readonly QueryRecord[]): RecordMatch {
  const found = single(records.filter((record) => record.out_trade_no === refund.outTradeNo || (refund.syssn !== null && record.syssn === refund.syssn)));
  if (found === 'none') return { answer: 'no_record' };
  if (found === 'several') return { answer: 'contradicting' };
  const otherOriginal = Boolean(found.origssn) && payment.syssn !== null && found.origssn !== payment.syssn;
  const otherSyssn = refund.syssn !== null && found.syssn !== refund.syssn;
  if (otherOriginal || otherSyssn || found.txamt !== refund.amount) return { answer: 'contradicting', record: found };
  return { answer: classifyCode('refund_query', found.respcd, { cancel: found.cancel }), record: found };
}
