import type { AmountError } from '../../../shared/money';

/**
 * What the keypad and keyboard do to the amount being typed, as text (never a float). A key that
 * would make the amount invalid is refused with the reason, so the cashier learns why at once.
 */
export type AmountKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '.' | 'backspace' | 'clear';

export const AMOUNT_KEYS: readonly AmountKey[] = ['7', '8', '9', '4', '5', '6', '1', '2', '3', '.', '0', 'backspace'];
/** 21,474,836.47 is the largest amount QFPay takes: eight whole digits. */
const MAX_WHOLE_DIGITS = 8;

export function pressAmountKey(text: string, key: AmountKey): { text: string; refused?: AmountError } {
  if (key === 'clear') return { text: '' };
  if (key === 'backspace') return { text: text.slice(0, -1) };
  const [whole, fraction] = text.split('.') as [string, string | undefined];
  if (key === '.') return { text: fraction !== undefined ? text : `${whole === '' ? '0' : whole}.` };
  if (fraction !== undefined) return fraction.length >= 2 ? { text, refused: 'amount_too_many_decimals' } : { text: text + key };
  if (whole === '0') return { text: key };
  if (whole.length >= MAX_WHOLE_DIGITS) return { text, refused: 'amount_too_large' };
  return { text: text + key };
}

export function amountKeyFromKeyboard(key: string): AmountKey | undefined {
  if (/^[0-9]$/.test(key)) return key as AmountKey;
  if (key === '.' || key === 'Decimal') return '.';
  if (key === 'Backspace') return 'backspace';
  if (key === 'Delete') return 'clear';
  return undefined;
}
