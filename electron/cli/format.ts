import { formatHongKongTimestamp } from '../../shared/hkTime';
import { formatHKD, minorToDecimal } from '../../shared/money';
import { walletById } from '../../shared/wallets';
import type { OrderRecord, RefundRecord, TransitionRecord } from '../services/ledger/ledgerStore';

/** How the CLI shows ledger records to people (text) and to scripts (JSON, amounts in cents and as decimals). */

export function orderJson(order: OrderRecord) {
  const { requestFields: _fields, ...rest } = order;
  return { ...rest, amountDecimal: minorToDecimal(order.amount), refundedDecimal: minorToDecimal(order.refunded), createdAtHk: formatHongKongTimestamp(order.createdAt) };
}

export function refundJson(refund: RefundRecord) {
  const { requestFields: _fields, ...rest } = refund;
  return { ...rest, amountDecimal: minorToDecimal(refund.amount), createdAtHk: formatHongKongTimestamp(refund.createdAt) };
}

export function orderLine(order: OrderRecord): string {
  const refunded = order.refunded > 0 ? `, refunded ${formatHKD(order.refunded, 'en')}` : '';
  return `${order.outTradeNo}  ${formatHongKongTimestamp(order.createdAt)}  ${walletById(order.wallet).names.en.padEnd(10)}  ${formatHKD(order.amount, 'en').padStart(12)}  ${order.state}${refunded}`;
}

export function refundLine(refund: RefundRecord): string {
  const why = refund.message ? ` (${refund.message})` : '';
  return `  refund ${refund.outTradeNo}  ${formatHongKongTimestamp(refund.createdAt)}  ${formatHKD(refund.amount, 'en')}  ${refund.state}${why}`;
}

export function historyLine(step: TransitionRecord): string {
  return `  ${formatHongKongTimestamp(step.at)}  ${step.fromState ?? '-'} -> ${step.toState}  (${step.cause}${step.detail ? `: ${step.detail}` : ''})`;
}

/** What a cashier needs to hear about an order, in one sentence. */
export function orderSentence(order: OrderRecord): string {
  const amount = formatHKD(order.amount, 'en');
  switch (order.state) {
    case 'created':
      return `${amount}: request logged, waiting for QFPay's answer.`;
    case 'waiting':
      return `${amount}: QR ready, waiting for the customer until ${formatHongKongTimestamp(order.qrDeadline)}.`;
    case 'unknown':
      return `${amount}: outcome unknown, checking with QFPay. Do not charge again.`;
    case 'paid':
      return `${amount}: paid.`;
    case 'failed':
      return `${amount}: failed${order.message ? `: ${order.message}` : ''}.`;
    case 'expired':
      return `${amount}: the QR expired unpaid.`;
    case 'cancelled':
      return `${amount}: cancelled.`;
    case 'paid_late':
      return `${amount}: PAID AFTER CANCEL OR EXPIRY. A manager must refund it or keep it.`;
  }
}
