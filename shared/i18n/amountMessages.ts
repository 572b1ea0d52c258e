import type { AmountError } from '../money';
import type { DisplayLocale } from '../money';
import { catalogues } from './words';

/** What the cashier is told when an amount cannot be charged, in their language (the catalogue's amountErrors). */
export function amountMessage(error: AmountError, locale: DisplayLocale): string {
  return catalogues[locale].amountErrors[error];
}
