import type { TFunction } from 'i18next';
import { formatHongKongTimestamp } from '../hkTime';
import type { PeriodMark } from '../ipc/contract';
import type { ReconciliationLine, ReconciliationResult } from '../ledger/reconcileDay';
import type { ReconciliationNote } from '../ledger/reportTypes';
import { notCheckedWords, reconciliationReasonWords, type ComparedBooks } from './reconciliationWords';
import type { DisplayLocale } from '../money';
import { describeRespcd } from '../qfpay/respcd';

/**
 * The books in words, for the cashier's and the manager's screens: the same meaning as the CLI's
 * (electron/cli/format.ts), in the screen's language. Every word is the catalogues'
 * (shared/i18n/catalogue/); these only choose the key, given a t() of react-i18next or words().
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

/** A Z report's line about one day: "2026-11-23 (production): agrees with QFPay at 23:10 (12 matched)". */
export function noteWords(t: TFunction, note: ReconciliationNote, language: DisplayLocale): string {
  const base = { day: note.day, environment: environmentName(t, note.environment) };
  if (note.notChecked !== undefined || note.checkedAt === null) {
    const reason = note.notChecked ? notCheckedWords(note.notChecked, language) : t('books.note.unknownReason');
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

/** A line's "why" in the screen's language, with the ledger's states named as the screen names them. */
export function whyWords(t: TFunction, line: ReconciliationLine, language: DisplayLocale, books: ComparedBooks = 'ledger'): string {
  const stateName = (state: string) => (line.kind === 'refund' ? t(`refundStates.${state}`, { defaultValue: state }) : t(`states.${state}`, { defaultValue: state }));
  return reconciliationReasonWords(line.why, language, stateName, books);
}

/**
 * What QFPay answered about an order or a refund, in the screen's language. The main process keeps
 * the words of a code in English only, so a code is said here from the shared table; without a
 * code, the till's own note is all there is.
 */
export function answerWords(respcd: string | null, message: string | null, language: DisplayLocale): string | null {
  if (respcd && respcd !== '0000') return describeRespcd(respcd, language);
  return message;
}

/** Why an order's state changed, in words: a cause this screen does not know yet is never shown as its code. */
export function causeWords(t: TFunction, cause: string): string {
  return t(`causes.${cause}`, { defaultValue: t('causes.other') });
}

/** The reasons the till records when an answer proved nothing (the gateway client's UnknownReason). */
const NO_ANSWER_REASONS = ['not_sent', 'timeout', 'network', 'rate_limited', 'http_status', 'not_json', 'bad_shape', 'mismatch'];

/**
 * The detail of a history step in words: a QFPay code ("respcd 1143") as what it means, a reason
 * an answer proved nothing as a phrase; anything else (a manager's reason) as it was written.
 */
export function historyDetailWords(t: TFunction, detail: string | null, language: DisplayLocale): string | null {
  if (detail === null || detail === '') return null;
  const code = /^respcd (\S+)$/.exec(detail)?.[1];
  if (code) return t('history.qfpaySaid', { words: describeRespcd(code, language), code });
  if (NO_ANSWER_REASONS.includes(detail)) return t(`history.noAnswer.${detail}`);
  return detail;
}

/** Between two sentences: a space in English, none after a Chinese full stop. */
export const sentenceGap = (language: DisplayLocale): string => (language === 'zh-HK' ? '' : ' ');
