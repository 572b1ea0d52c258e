import { err, ok, type Result } from './result';

/**
 * Money is an integer count of minor units (HKD cents) everywhere: `txamt` is Int(11) at QFPay.
 * Int(11) is MySQL's 32-bit INT with a display width of 11, so the largest amount the gateway can
 * hold is 2^31 - 1 cents (HK$21,474,836.47). We refuse anything larger before it leaves the till.
 */
export const MAX_TXAMT = 2_147_483_647;

export type AmountError =
  | 'amount_empty'
  | 'amount_invalid'
  | 'amount_bad_grouping'
  | 'amount_too_many_decimals'
  | 'amount_zero'
  | 'amount_negative'
  | 'amount_too_large';

// Digits with optional thousands separators, then an optional fraction. Parsed as text, never as a float.
const AMOUNT_PATTERN = /^(-)?(\d[\d,]*)?(?:\.(\d*))?$/;
const GROUPED_INTEGER = /^\d{1,3}(,\d{3})+$/;
const CURRENCY_PREFIX = /^(HK\$|\$)/i;

/**
 * Parses what a cashier typed ("12.3", "12.30", "1,000", "HK$5", full-width "１２") into cents.
 * Rejects rather than guesses: a third decimal or a misplaced comma is a typing error at a till.
 */
export function parseAmount(text: string): Result<number, AmountError> {
  // NFKC turns full-width digits and punctuation from a Chinese input method into ASCII.
  const cleaned = text.normalize('NFKC').replace(/\s+/g, '');
  const negative = cleaned.startsWith('-');
  const unsigned = (negative ? cleaned.slice(1) : cleaned).replace(CURRENCY_PREFIX, '');
  if (unsigned === '') return err(cleaned === '' ? 'amount_empty' : 'amount_invalid');

  const match = AMOUNT_PATTERN.exec(unsigned);
  if (!match) return err('amount_invalid');
  const [, innerSign, integerPart = '', fraction] = match;
  if (innerSign) return err('amount_invalid');
  if (integerPart === '' && (fraction === undefined || fraction === '')) return err('amount_invalid');
  if (integerPart.includes(',') && !GROUPED_INTEGER.test(integerPart)) return err('amount_bad_grouping');
  if (fraction !== undefined && fraction.length > 2) return err('amount_too_many_decimals');

  const digits = (integerPart.replaceAll(',', '') + (fraction ?? '').padEnd(2, '0')).replace(/^0+(?=\d)/, '');
  // Compare lengths first so that Number() only ever sees an integer string it can hold exactly.
  if (digits.length > String(MAX_TXAMT).length) return err(negative ? 'amount_negative' : 'amount_too_large');
  const minor = Number(digits);
  if (minor === 0) return err('amount_zero');
  if (negative) return err('amount_negative');
  if (minor > MAX_TXAMT) return err('amount_too_large');
  return ok(minor);
}

/** Cents as a plain decimal string ("1234" -> "12.34", "-5" -> "-0.05"), for CSV, logs and Intl. */
export function minorToDecimal(minor: number): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError('money must be an integer number of minor units');
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

export type DisplayLocale = 'en' | 'zh-HK';

const currencyFormats = new Map<DisplayLocale, Intl.NumberFormat>();

/** "HK$1,234.50" in either language. Intl formats the decimal string exactly; no float is made. */
export function formatHKD(minor: number, locale: DisplayLocale): string {
  let format = currencyFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale === 'en' ? 'en-HK' : 'zh-HK', {
      style: 'currency',
      currency: 'HKD',
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    currencyFormats.set(locale, format);
  }
  // ES2023 Intl accepts a decimal string and formats it without converting to a binary float.
  return format.format(minorToDecimal(minor) as `${number}`);
}

/**
 * The average of `count` payments adding up to `amount`, in minor units rounded half up, worked in
 * integers (no money is ever a float); none without payments.
 */
export function averagePayment(amount: number, count: number): number | null {
  if (count === 0) return null;
  return Math.floor((2 * amount + count) / (2 * count));
}
