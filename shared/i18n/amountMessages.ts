import type { AmountError } from '../money';
import type { DisplayLocale } from '../money';

/** What the cashier is told when an amount cannot be charged, in their language. */
export const AMOUNT_MESSAGES: Readonly<Record<AmountError, Readonly<Record<DisplayLocale, string>>>> = {
  amount_empty: { en: 'Enter an amount.', 'zh-HK': '請輸入金額。' },
  amount_invalid: { en: 'That is not an amount: use digits, e.g. 12.30.', 'zh-HK': '金額格式不正確：請輸入數字，例如 12.30。' },
  amount_bad_grouping: { en: 'Commas must group thousands, e.g. 1,000.00.', 'zh-HK': '逗號只可用於千位分隔，例如 1,000.00。' },
  amount_too_many_decimals: { en: 'At most two decimal places (cents).', 'zh-HK': '最多只可有兩位小數（仙）。' },
  amount_zero: { en: 'The amount must be more than zero.', 'zh-HK': '金額必須大於零。' },
  amount_negative: { en: 'The amount cannot be negative.', 'zh-HK': '金額不可為負數。' },
  amount_too_large: { en: 'That is more than QFPay accepts (HK$21,474,836.47).', 'zh-HK': '金額超過 QFPay 上限（HK$21,474,836.47）。' },
};

export function amountMessage(error: AmountError, locale: DisplayLocale): string {
  return AMOUNT_MESSAGES[error][locale];
}
