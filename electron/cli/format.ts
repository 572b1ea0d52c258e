import { formatHongKongTimestamp } from '../../shared/hkTime';
import { catalogues, words } from '../../shared/i18n/words';
import { formatHKD, minorToDecimal } from '../../shared/money';
import { canWithdraw, walletById } from '../../shared/wallets';
import { CODE_REFUSED_RESPCD } from '../../shared/qfpay/authCode';
import { notCheckedWords, reconciliationReasonWords, type ComparedBooks } from '../../shared/i18n/reconciliationWords';
import { chainProblemWords } from '../../shared/i18n/chainWords';
import type { ChainProblem } from '../../shared/ledger/chain';
import { noteOf, type ReconciliationResult } from '../../shared/ledger/reconcileDay';
import { byDayEntries, type PeriodReport, type ReconciliationNote, type WalletTotals } from '../../shared/ledger/reportTypes';
import type { OrderRecord, RefundRecord, TransitionRecord } from '../services/ledger/ledgerStore';

/** How the CLI shows ledger records to people (text, its words from the catalogue) and to scripts (JSON, amounts in cents and as decimals). */

export function orderJson(order: OrderRecord) {
  const { requestFields: _fields, ...rest } = order;
  return { ...rest, amountDecimal: minorToDecimal(order.amount), refundedDecimal: minorToDecimal(order.refunded), createdAtHk: formatHongKongTimestamp(order.createdAt) };
}

export function refundJson(refund: RefundRecord) {
  const { requestFields: _fields, ...rest } = refund;
  return { ...rest, amountDecimal: minorToDecimal(refund.amount), createdAtHk: formatHongKongTimestamp(refund.createdAt) };
}

/** The CLI speaks English: its words are the catalogue's cli section (and reconciliation, chainProblems). */
const t = words('en');
const cli = catalogues.en.cli;

export function orderLine(order: OrderRecord): string {
  const refunded = order.refunded > 0 ? `, ${t('cli.refunded', { amount: formatHKD(order.refunded, 'en') })}` : '';
  const attention = order.attention ? `  [${cli.attention[order.attention]}]` : '';
  return `${order.outTradeNo}  ${formatHongKongTimestamp(order.createdAt)}  ${order.environment.padEnd(10)}  ${walletById(order.wallet).names.en.padEnd(10)}  ${formatHKD(order.amount, 'en').padStart(12)}  ${order.state}${refunded}${attention}`;
}

export function refundLine(refund: RefundRecord): string {
  const why = refund.message ? ` (${refund.message})` : '';
  const attention = refund.attention ? `  [${cli.attention[refund.attention]}]` : '';
  return `  ${cli.refund} ${refund.outTradeNo}  ${formatHongKongTimestamp(refund.createdAt)}  ${formatHKD(refund.amount, 'en')}  ${refund.state}${why}${attention}`;
}

export function historyLine(step: TransitionRecord): string {
  return `  ${formatHongKongTimestamp(step.at)}  ${step.fromState ?? '-'} -> ${step.toState}  (${step.cause}${step.detail ? `: ${step.detail}` : ''})`;
}

/** What a cashier needs to hear about an order, in one sentence. */
export function orderSentence(order: OrderRecord): string {
  const amount = formatHKD(order.amount, 'en');
  const customerCode = order.mode === 'cpm';
  if (order.state === 'waiting') return t(customerCode ? 'cli.order.confirming' : 'cli.order.waiting', { amount, deadline: formatHongKongTimestamp(order.qrDeadline) });
  // QFPay's 1202 to a customer's code: used before or expired. The cashier asks for a fresh one.
  if (customerCode && order.state === 'failed' && order.respcd === CODE_REFUSED_RESPCD) return t('cli.order.codeRefused', { amount });
  if (customerCode && !canWithdraw(order) && (order.state === 'expired' || order.state === 'cancelled')) {
    return t(order.state === 'expired' ? 'cli.order.expiredNotWithdrawn' : 'cli.order.cancelledNotWithdrawn', { amount, wallet: walletById(order.wallet).names.en });
  }
  if (customerCode && order.state === 'expired') return t('cli.order.expiredUnconfirmed', { amount });
  if (order.state === 'failed' && order.message) return t('cli.order.failedWhy', { amount, message: order.message });
  return t(`cli.order.${order.state}`, { amount });
}

/** An X or Z report as the CLI prints it: per environment, never one total across them. */
export function periodLines(report: PeriodReport): string[] {
  const opened = formatHongKongTimestamp(report.openedAt);
  const title =
    report.kind === 'Z'
      ? t('cli.period.zTitle', { number: report.number, opened, closed: formatHongKongTimestamp(report.closedAt as number) })
      : t('cli.period.xTitle', { number: report.number, opened });
  const lines = [title, t('cli.period.tillAmounts', { till: report.tillId })];
  if (report.environments.length === 0) lines.push(cli.period.nothingFinal);
  for (const environment of report.environments) {
    lines.push(`${environment.environment.toUpperCase()}${environment.training ? ` (${cli.period.training})` : ''}`, cli.period.columns);
    const row = (name: string, totals: Omit<WalletTotals, 'wallet'>) =>
      `${name.padEnd(12)} ${String(totals.payments.count).padStart(3)} ${formatHKD(totals.payments.amount, 'en').padStart(14)}  ${String(totals.refunds.count).padStart(3)} ${formatHKD(totals.refunds.amount, 'en').padStart(14)}  ${formatHKD(totals.net, 'en').padStart(14)}`;
    for (const wallet of environment.wallets) lines.push(row(walletById(wallet.wallet).names.en, wallet));
    lines.push(row(cli.period.total, environment.totals));
    const byDay = byDayEntries(environment);
    if (byDay.length > 1) lines.push(`  ${t('cli.period.byDay', { days: byDay.map((entry) => `${entry.before ? t('cli.period.daysBefore', { day: entry.day }) : entry.day} ${formatHKD(entry.net, 'en')}`).join(', ') })}`);
  }
  const { unresolved } = report;
  lines.push(t('cli.period.notPaid', { notPaid: report.notPaid }));
  lines.push(
    t('cli.period.unresolved', { orders: unresolved.orders, late: unresolved.latePayments, refunds: unresolved.refunds, beforeManager: unresolved.beforeManager }) +
      (unresolved.otherGateway > 0 ? `; ${t('cli.period.otherGateway', { items: unresolved.otherGateway })}` : ''),
  );
  for (const note of report.reconciliation) lines.push(reconciliationSentence(note));
  if (report.books) {
    lines.push(
      report.books.problems.length === 0
        ? `${t('cli.period.booksVerified', { checked: report.books.checked })}${report.books.verifiedBefore ? ` (${t('cli.period.verifiedBefore', { seq: report.books.verifiedBefore })})` : ''}`
        : t('cli.period.booksBroken', { problems: chainProblemsSaid(report.books.problems) }),
    );
  }
  if (report.chainHead) lines.push(t('cli.period.chainHead', { head: report.chainHead }));
  return lines;
}

/** "agrees with QFPay at 23:10", or the differences, for one day. */
export function reconciliationSentence(note: ReconciliationNote): string {
  const base = { day: note.day, environment: note.environment };
  if (note.notChecked || note.checkedAt === null) return t('cli.note.notChecked', { ...base, reason: note.notChecked ? notCheckedWords(note.notChecked, 'en') : cli.note.unknownReason });
  const time = formatHongKongTimestamp(note.checkedAt).slice(11, 16);
  if (note.agrees) return t('cli.note.agrees', { ...base, time, matched: note.matched });
  return t('cli.note.differs', { ...base, time, differs: note.differences, atQfpayOnly: note.atQfpayOnly, open: note.stillOpen, matched: note.matched });
}

export function reconciliationLines(result: ReconciliationResult, books: ComparedBooks = 'ledger'): string[] {
  const atHeadOffice = books === 'head office';
  const lines = [
    reconciliationSentence(noteOf(result)),
    t('cli.reconcile.records', { records: result.qfpayRecords }),
  ];
  const titles = {
    differs: atHeadOffice ? cli.reconcile.differsAtHeadOffice : cli.reconcile.differs,
    at_qfpay_only: atHeadOffice ? cli.reconcile.atQfpayOnlyNotAtHeadOffice : cli.reconcile.atQfpayOnly,
    open: cli.reconcile.open,
  } as const;
  for (const category of ['differs', 'at_qfpay_only', 'open'] as const) {
    const some = result.lines.filter((line) => line.category === category);
    if (some.length === 0) continue;
    lines.push(`${titles[category]} (${some.length}):`);
    for (const line of some) {
      const ledger = line.ledger
        ? t(atHeadOffice ? 'cli.reconcile.headOffice' : 'cli.reconcile.ledger', { state: line.ledger.state, amount: formatHKD(line.ledger.amount, 'en') })
        : atHeadOffice
          ? cli.reconcile.notAtHeadOffice
          : cli.reconcile.notInLedger;
      const qfpay = line.qfpay ? `QFPay ${line.qfpay.respcd} ${formatHKD(line.qfpay.amount, 'en')}` : cli.reconcile.noQfpayRecord;
      lines.push(`  ${line.kind} ${line.outTradeNo ?? '-'} (syssn ${line.syssn ?? '-'}): ${ledger}; ${qfpay}: ${reconciliationReasonWords(line.why, 'en', undefined, books)}`);
    }
  }
  if (result.otherGateway > 0) lines.push(t('cli.reconcile.otherGateway', { orders: result.otherGateway }));
  return lines;
}

/** Problems with the books' chain in words: one line each under a heading, or one sentence. */
export const chainProblemLines = (problems: readonly ChainProblem[]): string[] => problems.map((problem) => `  ${chainProblemWords(problem, 'en')}`);
export const chainProblemsSaid = (problems: readonly ChainProblem[]): string => problems.map((problem) => chainProblemWords(problem, 'en')).join('; ');
