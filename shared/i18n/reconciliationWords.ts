import type { ReconciliationReason } from '../ledger/reconcileDay';
import type { ReconciliationNote } from '../ledger/reportTypes';
import { formatHKD, type DisplayLocale } from '../money';
import { words } from './words';

/** Whose books QFPay's were compared with: this till's ledger, or every till's copy at the head office. */
export type ComparedBooks = 'ledger' | 'head office';

/**
 * A day's comparison with QFPay in words (the catalogue's reconciliation section), in both
 * languages, for the CLI and the manager's screen alike. `stateName` names a ledger state the way
 * the caller's screen does (the CLI shows the state as stored).
 */
export function reconciliationReasonWords(why: ReconciliationReason, locale: DisplayLocale, stateName: (state: string) => string = (name) => name, books: ComparedBooks = 'ledger'): string {
  const t = words(locale);
  switch (why.code) {
    case 'amount':
      return t('reconciliation.why.amount', { ledger: formatHKD(why.ledger, locale), qfpay: formatHKD(why.qfpay, locale) });
    case 'qfpay_paid_ledger_not':
    case 'withdrawn_qfpay_open':
      return t(`reconciliation.why.${why.code}`, { state: stateName(why.state) });
    case 'ledger_paid_qfpay_not':
      return t('reconciliation.why.ledger_paid_qfpay_not', { state: stateName(why.state), respcd: why.respcd });
    case 'refunded_qfpay_failed':
    case 'not_final':
      return t(`reconciliation.why.${why.code}`, { respcd: why.respcd });
    case 'not_in_ledger':
      if (books === 'head office') return why.till ? t('reconciliation.notAtHeadOfficeOfTill', { till: why.till }) : t('reconciliation.notAtHeadOffice');
      return why.till ? t('reconciliation.notInLedgerOfTill', { till: why.till }) : t('reconciliation.why.not_in_ledger');
    default:
      return t(`reconciliation.why.${why.code}`);
  }
}

/** Why a close did not compare a day with QFPay. */
export function notCheckedWords(why: NonNullable<ReconciliationNote['notChecked']>, locale: DisplayLocale): string {
  if (why.code === 'too_old') return words(locale)('reconciliation.notChecked.too_old', { days: why.days });
  // The gateway's failure (a timeout, a code) as it came: for whoever calls QFPay's support.
  return words(locale)('reconciliation.notChecked.unreachable', { detail: why.detail });
}
