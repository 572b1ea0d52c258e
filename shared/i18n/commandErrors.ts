import type { CommandErrorCode } from '../errors';
import { hongKongEndTime } from '../hkTime';
import type { CommandError } from '../ipc/contract';
import type { DisplayLocale } from '../money';
import { catalogues, words } from './words';

/**
 * Every error a command can return, in both languages, so each screen can say what happened in
 * its language. The words are the catalogue's commandErrors, typed there against the codes
 * (shared/errors.ts): a code without words does not compile.
 */
const messageOf = (code: CommandErrorCode): CommandError['message'] => ({ en: catalogues.en.commandErrors[code], 'zh-HK': catalogues['zh-HK'].commandErrors[code] });

/** Words that say something from the details: when a locked PIN may be tried again, which sale holds the counter. */
const DETAILED: Readonly<Partial<Record<CommandErrorCode, (details: Readonly<Record<string, unknown>>) => CommandError['message'] | undefined>>> = {
  pin_locked: ({ retryAt, retryInMs }) => (typeof retryAt === 'number' && typeof retryInMs === 'number' ? pinLockedWords(retryAt, retryInMs) : undefined),
  // The sale that holds the counter, by number: the cashier (or manager) can find it and cancel it.
  payment_in_progress: ({ outTradeNo }) =>
    typeof outTradeNo === 'string'
      ? { en: words('en')('commandErrorDetails.paymentInProgress', { outTradeNo }), 'zh-HK': words('zh-HK')('commandErrorDetails.paymentInProgress', { outTradeNo }) }
      : undefined,
};

/** A code from elsewhere (an older till, a newer one) that has no words here is said as `internal`. */
const isKnown = (code: string): code is CommandErrorCode => Object.hasOwn(catalogues.en.commandErrors, code);

export function commandError(code: string, details?: Readonly<Record<string, unknown>>): CommandError {
  const known = isKnown(code) ? code : undefined;
  const message = (known && details && DETAILED[known]?.(details)) ?? messageOf(known ?? 'internal');
  return { code, message, ...(details ? { details } : {}) };
}

/**
 * The lock's end as a Hong Kong clock time (with its date when it is not today), and how long
 * that is from now in whole minutes, rounded up so that "1 min" is never said of a lock with 61 s.
 */
function pinLockedWords(retryAt: number, retryInMs: number): CommandError['message'] {
  const at = hongKongEndTime(retryAt, retryAt - retryInMs);
  const minutes = Math.max(1, Math.ceil(retryInMs / 60_000));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const wait = (language: DisplayLocale) =>
    words(language)(hours === 0 ? 'duration.minutes' : rest === 0 ? 'duration.hours' : 'duration.hoursMinutes', { hours, minutes: hours === 0 ? minutes : rest });
  return {
    en: words('en')('commandErrorDetails.pinLockedUntil', { at, wait: wait('en') }),
    'zh-HK': words('zh-HK')('commandErrorDetails.pinLockedUntil', { at, wait: wait('zh-HK') }),
  };
}
