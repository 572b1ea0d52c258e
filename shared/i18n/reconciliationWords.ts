import type { ReconciliationReason } from '../ledger/reconcileDay';
import type { ReconciliationNote } from '../ledger/reportTypes';
import { formatHKD, type DisplayLocale } from '../money';

/** Whose books QFPay's were compared with: this till's ledger, or every till's copy at the head office. */
export type ComparedBooks = 'ledger' | 'head office';

/**
 * A day's comparison with QFPay in words, in both languages, for the CLI and the manager's
 * screen alike. `stateName` names a ledger state the way the caller's screen does (the CLI shows
 * the state as stored).
 */
export function reconciliationReasonWords(why: ReconciliationReason, locale: DisplayLocale, stateName: (state: string) => string = (name) => name, books: ComparedBooks = 'ledger'): string {
  const en = locale === 'en';
  const state = stateName;
  switch (why.code) {
    case 'before_manager':
      return en ? 'before a manager' : '待經理處理';
    case 'still_asking':
      return en ? 'the till is still asking QFPay' : '收銀機仍在向 QFPay 查詢';
    case 'paid_late':
      return en ? 'paid after cancel or expiry: a manager keeps or refunds it' : '取消或過期後付款：須由經理保留或退款';
    case 'paid_no_record':
      return en ? 'paid in the ledger; QFPay has no record of it' : '賬目顯示已付款；QFPay 沒有此記錄';
    case 'refunded_no_record':
      return en ? 'refunded in the ledger; QFPay has no record of it' : '賬目顯示已退款；QFPay 沒有此記錄';
    case 'paid_qfpay_waiting':
      return en ? 'paid in the ledger; QFPay says still waiting' : '賬目顯示已付款；QFPay 顯示仍在等待';
    case 'qfpay_waiting':
      return en ? 'QFPay says still waiting for the customer' : 'QFPay 顯示仍在等待顧客付款';
    case 'qfpay_paid_not_recorded':
      return en ? 'QFPay says paid; the till has not recorded it yet' : 'QFPay 顯示已付款；收銀機尚未記錄';
    case 'qfpay_not_paid_not_recorded':
      return en ? 'QFPay says not paid; the till has not recorded it yet' : 'QFPay 顯示未付款；收銀機尚未記錄';
    case 'qfpay_refunded_not_recorded':
      return en ? 'QFPay says refunded; the till has not recorded it yet' : 'QFPay 顯示已退款；收銀機尚未記錄';
    case 'qfpay_failed_not_recorded':
      return en ? 'QFPay says failed; the till has not recorded it yet' : 'QFPay 顯示失敗；收銀機尚未記錄';
    case 'qfpay_refunded_ledger_failed':
      return en ? 'QFPay says refunded; the ledger says failed' : 'QFPay 顯示已退款；賬目顯示失敗';
    case 'amount':
      return en ? `amounts differ: ledger ${formatHKD(why.ledger, locale)}, QFPay ${formatHKD(why.qfpay, locale)}` : `金額不符：賬目 ${formatHKD(why.ledger, locale)}，QFPay ${formatHKD(why.qfpay, locale)}`;
    case 'qfpay_paid_ledger_not':
      return en ? `QFPay says paid; the ledger says ${state(why.state)}` : `QFPay 顯示已付款；賬目顯示${state(why.state)}`;
    case 'ledger_paid_qfpay_not':
      return en ? `the ledger says ${state(why.state)}; QFPay says not paid (${why.respcd})` : `賬目顯示${state(why.state)}；QFPay 顯示未付款（${why.respcd}）`;
    case 'refunded_qfpay_failed':
      return en ? `refunded in the ledger; QFPay says it failed (${why.respcd})` : `賬目顯示已退款；QFPay 顯示失敗（${why.respcd}）`;
    case 'not_final':
      return en ? `QFPay's answer is not final (${why.respcd})` : `QFPay 的答覆並非最終結果（${why.respcd}）`;
    case 'not_in_ledger':
      if (books === 'head office') {
        if (why.till) return en ? `not at the head office; made by till ${why.till}, which has not shipped it` : `總部沒有此記錄；由收銀機 ${why.till} 建立，尚未傳送`;
        return en ? 'not at the head office' : '總部沒有此記錄';
      }
      if (why.till) return en ? `not in this ledger; made by till ${why.till}` : `不在此賬目中；由收銀機 ${why.till} 建立`;
      return en ? 'not in this ledger' : '不在此賬目中';
  }
}

/** Why a close did not compare a day with QFPay. */
export function notCheckedWords(why: NonNullable<ReconciliationNote['notChecked']>, locale: DisplayLocale): string {
  if (why.code === 'too_old') {
    return locale === 'en' ? `only the last ${why.days} days are checked at a close: check this day on its own` : `結算時只核對最近 ${why.days} 日：請另行核對此日`;
  }
  // The gateway's failure (a timeout, a code) as it came: for whoever calls QFPay's support.
  return locale === 'en' ? `QFPay could not be asked (${why.detail})` : `無法向 QFPay 查詢（${why.detail}）`;
}
