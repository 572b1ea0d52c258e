import { catalogues, words, wordsFor } from '../i18n/words';
import type { DisplayLocale } from '../money';
import { classifyRespcd, RESPCD_OUTCOMES, type KnownRespcd, type RespcdOutcome } from './respcdOutcomes';

/**
 * QFPay's `respcd` codes with their words, for the cashier and the manager: what each code means
 * for the till is in respcdOutcomes.ts, its words in the catalogues' qfpayAnswers (checked here
 * against the table: a code without words, or words without a code, does not compile).
 */
export { classifyRespcd, type RespcdOutcome };

export interface RespcdInfo {
  readonly code: string;
  readonly outcome: Exclude<RespcdOutcome, 'unknown_code'>;
  readonly en: string;
  readonly 'zh-HK': string;
}

const codeWords = { en: wordsFor<KnownRespcd>()(catalogues.en.qfpayAnswers.codes), 'zh-HK': wordsFor<KnownRespcd>()(catalogues['zh-HK'].qfpayAnswers.codes) };

export const KNOWN_RESPCDS: readonly RespcdInfo[] = RESPCD_OUTCOMES.map(({ code, outcome }) => ({ code, outcome, en: codeWords.en[code], 'zh-HK': codeWords['zh-HK'][code] }));

const isKnown = (code: string): code is KnownRespcd => Object.hasOwn(codeWords.en, code);

/** Words for a code, for the cashier or manager; unknown codes still say which code it was. */
export function describeRespcd(code: string, locale: DisplayLocale): string {
  if (isKnown(code)) return codeWords[locale][code];
  return words(locale)('qfpayAnswers.unknown', { code });
}
