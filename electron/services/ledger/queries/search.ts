import { parseAmount } from '../../../../shared/money';

/**
 * What the manager typed to find an order or a refund, as the parameters of the day queries'
 * search clause. The rule: a blank search matches every row. Otherwise a row matches when its
 * trade number (out_trade_no; a refund's own or its order's) contains the text, case-insensitive,
 * or QFPay's number for it (syssn) contains it (so its last digits find it), or the text reads as
 * an amount as people type one (shared/money: "12", "12.5", "HK$12.50", "1,234.00") and that is
 * the row's amount in cents. The text is matched literally: `%`, `_` and `\` are escaped for LIKE.
 */
export interface SearchParameters {
  /** `%text%` with LIKE's wildcards escaped (by `\`), or null for no search. */
  readonly pattern: string | null;
  /** The text as an amount in minor units, or null when it does not read as one. */
  readonly amount: number | null;
}

export const NO_SEARCH: SearchParameters = { pattern: null, amount: null };

export function searchParameters(search: string | null | undefined): SearchParameters {
  const text = (search ?? '').trim();
  if (text === '') return NO_SEARCH;
  const amount = parseAmount(text);
  return { pattern: `%${text.replace(/[\\%_]/g, (wildcard) => `\\${wildcard}`)}%`, amount: amount.ok ? amount.value : null };
}

/** `column` contains the search's text (SQLite's LIKE ignores ASCII case). */
export const containsSearch = (column: string) => `${column} LIKE @pattern ESCAPE '\\'`;
