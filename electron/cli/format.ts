import { formatHongKongTimestamp } from '../../shared/hkTime';
import { formatHKD, minorToDecimal } from '../../shared/money';
import { walletById } from '../../shared/wallets';
import { notCheckedWords, reconciliationReasonWords, type ComparedBooks } from '../../shared/i18n/reconciliationWords';
import { chainProblemWords } from '../../shared/i18n/chainWords';
import type { ChainProblem } from '../../shared/ledger/chain';
import { noteOf, type ReconciliationResult } from '../../shared/ledger/reconcileDay';
import { byDayEntries, type PeriodReport, type ReconciliationNote, type WalletTotals } from '../../shared/ledger/reportTypes';
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

const ATTENTION_WORDS: Readonly<Record<string, string>> = {
  no_final_answer: 'BEFORE A MANAGER: no final answer from QFPay in time',
  close_not_confirmed: 'BEFORE A MANAGER: QFPay never confirmed the QR closed',
  refund_not_confirmed: 'BEFORE A MANAGER: no final answer about the refund in time',
  contradiction: "BEFORE A MANAGER: QFPay's answer contradicts the ledger",
};

export function orderLine(order: OrderRecord): string {
  const refunded = order.refunded > 0 ? `, refunded ${formatHKD(order.refunded, 'en')}` : '';
  const attention = order.attention ? `  [${ATTENTION_WORDS[order.attention]}]` : '';
  return `${order.outTradeNo}  ${formatHongKongTimestamp(order.createdAt)}  ${order.environment.padEnd(10)}  ${walletById(order.wallet).names.en.padEnd(10)}  ${formatHKD(order.amount, 'en').padStart(12)}  ${order.state}${refunded}${attention}`;
}

export function refundLine(refund: RefundRecord): string {
  const why = refund.message ? ` (${refund.message})` : '';
  const attention = refund.attention ? `  [${ATTENTION_WORDS[refund.attention]}]` : '';
  return `  refund ${refund.outTradeNo}  ${formatHongKongTimestamp(refund.createdAt)}  ${formatHKD(refund.amount, 'en')}  ${refund.state}${why}${attention}`;
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

/** An X or Z report as the CLI prints it: per environment, never one total across them. */
export function periodLines(report: PeriodReport): string[] {
  const title =
    report.kind === 'Z'
      ? `Z report no. ${report.number}, ${formatHongKongTimestamp(report.openedAt)} to ${formatHongKongTimestamp(report.closedAt as number)}`
      : `X report (not closed): the open period since ${formatHongKongTimestamp(report.openedAt)}, to become Z ${report.number}`;
  const lines = [title, `till ${report.tillId}, amounts in HKD`];
  if (report.environments.length === 0) lines.push('no payments or refunds became final in this period');
  for (const environment of report.environments) {
    lines.push(`${environment.environment.toUpperCase()}${environment.training ? ' (training: not real money)' : ''}`, 'wallet       payments            refunds             net');
    const row = (name: string, totals: Omit<WalletTotals, 'wallet'>) =>
      `${name.padEnd(12)} ${String(totals.payments.count).padStart(3)} ${formatHKD(totals.payments.amount, 'en').padStart(14)}  ${String(totals.refunds.count).padStart(3)} ${formatHKD(totals.refunds.amount, 'en').padStart(14)}  ${formatHKD(totals.net, 'en').padStart(14)}`;
    for (const wallet of environment.wallets) lines.push(row(walletById(wallet.wallet).names.en, wallet));
    lines.push(row('total', environment.totals));
    const byDay = byDayEntries(environment);
    if (byDay.length > 1) lines.push(`  by day: ${byDay.map((entry) => `${entry.before ? 'days before ' : ''}${entry.day} ${formatHKD(entry.net, 'en')}`).join(', ')}`);
  }
  const { unresolved } = report;
  lines.push(`not paid (failed, expired, cancelled): ${report.notPaid}`);
  lines.push(
    `unresolved: ${unresolved.orders} open orders, ${unresolved.latePayments} late payments to decide, ${unresolved.refunds} open refunds, ${unresolved.beforeManager} before a manager` +
      (unresolved.otherGateway > 0 ? `; ${unresolved.otherGateway} open items of another gateway (not in this report)` : ''),
  );
  for (const note of report.reconciliation) lines.push(reconciliationSentence(note));
  if (report.books) {
    lines.push(
      report.books.problems.length === 0
        ? `books: ${report.books.checked} history rows of the period verified against the chain${report.books.verifiedBefore ? ` (those up to ${report.books.verifiedBefore} by an earlier check)` : ''}`
        : `BOOKS DO NOT VERIFY: ${chainProblemsSaid(report.books.problems)}`,
    );
  }
  if (report.chainHead) lines.push(`chain head: ${report.chainHead}`);
  return lines;
}

/** "agrees with QFPay at 23:10", or the differences, for one day. */
export function reconciliationSentence(note: ReconciliationNote): string {
  if (note.notChecked || note.checkedAt === null) return `${note.day} (${note.environment}): not compared with QFPay: ${note.notChecked ? notCheckedWords(note.notChecked, 'en') : 'not checked'}`;
  const at = formatHongKongTimestamp(note.checkedAt).slice(11, 16);
  if (note.agrees) return `${note.day} (${note.environment}): agrees with QFPay at ${at} (${note.matched} matched)`;
  return `${note.day} (${note.environment}): checked with QFPay at ${at}: ${note.differences} differ, ${note.atQfpayOnly} at QFPay only, ${note.stillOpen} still open, ${note.matched} matched`;
}

export function reconciliationLines(result: ReconciliationResult, books: ComparedBooks = 'ledger'): string[] {
  const atHeadOffice = books === 'head office';
  const lines = [
    reconciliationSentence(noteOf(result)),
    `QFPay holds ${result.qfpayRecords} records for the day`,
  ];
  const titles = {
    differs: `${atHeadOffice ? 'at the head office' : 'in the ledger'} with another state or amount`,
    at_qfpay_only: `at QFPay but not ${atHeadOffice ? 'at the head office' : 'in this ledger'}`,
    open: 'still open',
    matched: 'matched',
  } as const;
  for (const category of ['differs', 'at_qfpay_only', 'open'] as const) {
    const some = result.lines.filter((line) => line.category === category);
    if (some.length === 0) continue;
    lines.push(`${titles[category]} (${some.length}):`);
    for (const line of some) {
      const ledger = line.ledger ? `${atHeadOffice ? 'head office' : 'ledger'} ${line.ledger.state} ${formatHKD(line.ledger.amount, 'en')}` : atHeadOffice ? 'not at the head office' : 'not in ledger';
      const qfpay = line.qfpay ? `QFPay ${line.qfpay.respcd} ${formatHKD(line.qfpay.amount, 'en')}` : 'no QFPay record';
      lines.push(`  ${line.kind} ${line.outTradeNo ?? '-'} (syssn ${line.syssn ?? '-'}): ${ledger}; ${qfpay}: ${reconciliationReasonWords(line.why, 'en', undefined, books)}`);
    }
  }
  if (result.otherGateway > 0) lines.push(`${result.otherGateway} orders of the day were made through another gateway and are not compared`);
  return lines;
}

/** Problems with the books' chain in words: one line each under a heading, or one sentence. */
export const chainProblemLines = (problems: readonly ChainProblem[]): string[] => problems.map((problem) => `  ${chainProblemWords(problem, 'en')}`);
export const chainProblemsSaid = (problems: readonly ChainProblem[]): string => problems.map((problem) => chainProblemWords(problem, 'en')).join('; ');
