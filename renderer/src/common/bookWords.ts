import type { TFunction } from 'i18next';
import { formatHongKongTimestamp } from '../../../shared/hkTime';
import type { PeriodMark } from '../../../shared/ipc/contract';
import type { ReconciliationLine, ReconciliationResult } from '../../../shared/ledger/reconcileDay';
import type { ReconciliationNote } from '../../../shared/ledger/reportTypes';
import { formatHKD, type DisplayLocale } from '../../../shared/money';

/**
 * The books in words, for the cashier's and the manager's screens: the same meaning as the CLI's
 * (electron/cli/format.ts), in the screen's language.
 */

/** An environment's short name; an unknown one is shown as the main process named it. */
export const environmentName = (t: TFunction, environment: string) => t(`environments.${environment}`, { defaultValue: environment });

/** "Z 3" or "Z 3 (open)"; number 0 is a day report of ledger schema 1, from before periods. */
export function periodWords(t: TFunction, mark: PeriodMark): string {
  if (mark.number === 0) return t('period.legacy');
  return t(mark.open ? 'period.open' : 'period.closed', { number: mark.number });
}

/** hh:mm in Hong Kong. */
export const hkTime = (instant: number) => formatHongKongTimestamp(instant).slice(11, 16);
/** YYYY-MM-DD hh:mm in Hong Kong. */
export const hkMinute = (instant: number) => formatHongKongTimestamp(instant).slice(0, 16);

const LAST_DAYS = /^only the last (\d+) days are checked at a close/;

/** A Z report's line about one day: "2026-11-23 (production): agrees with QFPay at 23:10 (12 matched)". */
export function noteWords(t: TFunction, note: ReconciliationNote): string {
  const base = { day: note.day, environment: environmentName(t, note.environment) };
  if (note.notChecked !== undefined || note.checkedAt === null) {
    const days = note.notChecked ? LAST_DAYS.exec(note.notChecked) : null;
    // Other reasons (a timeout, a refusal code) come from the gateway as they are.
    const reason = days ? t('books.note.lastDays', { count: Number(days[1]) }) : (note.notChecked ?? t('books.note.unknownReason'));
    return t('books.note.notChecked', { ...base, reason });
  }
  const time = hkTime(note.checkedAt);
  if (note.agrees) return t('books.note.agrees', { ...base, time, matched: note.matched });
  return t('books.note.differs', { ...base, time, differs: note.differences, atQfpayOnly: note.atQfpayOnly, open: note.stillOpen, matched: note.matched });
}

/** The one sentence of a day's comparison with QFPay. */
export function reconciliationSentence(t: TFunction, result: ReconciliationResult): string {
  const time = hkTime(result.checkedAt);
  const { counts } = result;
  if (result.agrees) return t('books.reconcile.agrees', { time, matched: counts.matched });
  return t('books.reconcile.differs', { time, differs: counts.differs, atQfpayOnly: counts.atQfpayOnly, open: counts.open, matched: counts.matched });
}

/**
 * A line's "why" in the screen's language. The contract carries it as English words
 * (shared/ledger/reconcileDay.ts), so the known sentences are matched here and their amounts shown
 * as money; anything else is shown as it came.
 */
export function whyWords(t: TFunction, line: ReconciliationLine, language: DisplayLocale): string {
  const why = line.why;
  const stateWords = (state: string) => (line.kind === 'refund' ? t(`refundStates.${state}`, { defaultValue: state }) : t(`states.${state}`, { defaultValue: state }));
  const key = (name: string, values: Record<string, string> = {}) => t(`books.reconcile.whys.${name}`, values);
  const fixed: Record<string, string> = {
    'before a manager': 'beforeManager',
    'paid in the ledger; QFPay has no record of it': 'paidNoRecord',
    'the till is still asking QFPay': 'stillAsking',
    'paid after cancel or expiry: a manager keeps or refunds it': 'paidLate',
    'QFPay says paid; the till has not recorded it yet': 'qfpayPaidNotYet',
    'QFPay says not paid; the till has not recorded it yet': 'qfpayNotPaidNotYet',
    'paid in the ledger; QFPay says still waiting': 'paidQfpayWaiting',
    'QFPay says still waiting for the customer': 'qfpayWaiting',
    'refunded in the ledger; QFPay has no record of it': 'refundedNoRecord',
    'QFPay says refunded; the ledger says failed': 'qfpayRefundedLedgerFailed',
    'QFPay says refunded; the till has not recorded it yet': 'qfpayRefundedNotYet',
    'QFPay says failed; the till has not recorded it yet': 'qfpayFailedNotYet',
    'not in this ledger': 'notInLedger',
  };
  const known = fixed[why];
  if (known) return key(known);
  let match: RegExpExecArray | null;
  if ((match = /^amount: ledger (\d+), QFPay (\d+)$/.exec(why))) {
    return key('amount', { ledger: formatHKD(Number(match[1]), language), qfpay: formatHKD(Number(match[2]), language) });
  }
  if ((match = /^QFPay says paid; the ledger says (\w+)$/.exec(why))) return key('qfpayPaidLedger', { state: stateWords(match[1] as string) });
  if ((match = /^the ledger says (\w+); QFPay says not paid \((\w+)\)$/.exec(why))) return key('ledgerPaidQfpayNot', { state: stateWords(match[1] as string), code: match[2] as string });
  if ((match = /^refunded in the ledger; QFPay says it failed \((\w+)\)$/.exec(why))) return key('refundedQfpayFailed', { code: match[1] as string });
  if ((match = /^QFPay's answer is not final \((\w+)\)$/.exec(why))) return key('notFinal', { code: match[1] as string });
  if ((match = /^not in this ledger; made by till (.+)$/.exec(why))) return key('otherTill', { till: match[1] as string });
  return why;
}
