import { formatHongKongTimestamp } from '../hkTime';
import { MAX_TXAMT } from '../money';

/** The till charges Hong Kong dollars only; `txamt` is therefore in HKD cents. */
export const TILL_CURRENCY = 'HKD';

/** Currencies QFPay lists. The simulator accepts these; the till itself only sends HKD. */
export const QFPAY_CURRENCIES = [
  'AED', 'AUD', 'CAD', 'CNY', 'EUR', 'HKD', 'IDR', 'JPY', 'MMK', 'MYR', 'SGD', 'THB', 'USD',
] as const;

/** `expired_time` is in minutes, 5 to 120 (default 30 at the gateway). */
export const EXPIRED_TIME_MIN = 5;
export const EXPIRED_TIME_MAX = 120;
export const EXPIRED_TIME_DEFAULT = 30;

export function isValidExpiredTime(minutes: number): boolean {
  return Number.isInteger(minutes) && minutes >= EXPIRED_TIME_MIN && minutes <= EXPIRED_TIME_MAX;
}

export function isValidTxamt(minor: number): boolean {
  return Number.isSafeInteger(minor) && minor > 0 && minor <= MAX_TXAMT;
}

/** `txdtm`: the request time, `YYYY-MM-DD hh:mm:ss`, in Hong Kong time. */
export function txdtm(instant: Date | number): string {
  return formatHongKongTimestamp(instant);
}

/**
 * QFPay allows 128 characters, unique across every payment and refund of the merchant. Upstream
 * wallets are stricter, so the till keeps to 32 characters of `[A-Za-z0-9_-]`.
 */
export const OUT_TRADE_NO_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/** Till ids travel as `udid` (String(40), shown in QFPay's merchant portal). */
export const TILL_ID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const OUT_TRADE_NO_RANDOM_BYTES = 5;

export type OutTradeNoKind = 'payment' | 'refund';

/**
 * `<till>-<P|R><yyMMddHHmmss>-<8 random>`: at most 31 characters. The till part and the Hong Kong
 * timestamp make a number readable in the merchant portal; 40 random bits make two numbers from
 * one till in the same second collide with odds of one in a trillion, and the ledger's UNIQUE
 * constraint turns even that into a retry with new bytes rather than a reused number.
 * The caller supplies the random bytes so that this function stays pure.
 */
export function newOutTradeNo(
  tillId: string,
  kind: OutTradeNoKind,
  instant: Date | number,
  randomBytes: Uint8Array,
): string {
  if (randomBytes.length < OUT_TRADE_NO_RANDOM_BYTES) {
    throw new RangeError(`out_trade_no needs ${OUT_TRADE_NO_RANDOM_BYTES} random bytes`);
  }
  const tag = tillId.replace(/[^A-Za-z0-9]/g, '').slice(0, 8).toUpperCase() || 'TILL';
  const stamp = formatHongKongTimestamp(instant).replace(/[^0-9]/g, '').slice(2);
  // 40 bits as eight base-32 digits.
  let bits = 0n;
  for (let index = 0; index < OUT_TRADE_NO_RANDOM_BYTES; index += 1) bits = (bits << 8n) | BigInt(randomBytes[index] ?? 0);
  let random = '';
  for (let index = 0; index < 8; index += 1) {
    random = (CROCKFORD[Number(bits & 31n)] ?? '0') + random;
    bits >>= 5n;
  }
  return `${tag}-${kind === 'payment' ? 'P' : 'R'}${stamp}-${random}`;
}

/** Characters that would break the raw `k=v&k=v` signing string or that QFPay calls "special". */
const GOODS_NAME_FORBIDDEN = /[&=,"'`\\%+#<>;|]/;
const GOODS_NAME_FORBIDDEN_GLOBAL = /[&=,"'`\\%+#<>;|]/g;
export const GOODS_NAME_MAX_CHARS = 20;

/**
 * Makes any label safe for `goods_name`: at most 20 characters (Chinese counts one per character),
 * no separators or quotes, no control characters. An empty result means "do not send it".
 */
export function sanitiseGoodsName(text: string): string {
  const cleaned = text
    .normalize('NFKC') // full-width punctuation becomes ASCII and is then removed below
    .replace(/\p{Cc}|\p{Cf}/gu, ' ')
    .replace(GOODS_NAME_FORBIDDEN_GLOBAL, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return Array.from(cleaned).slice(0, GOODS_NAME_MAX_CHARS).join('').trim();
}

/** What the gateway refuses in a `goods_name` (the simulator uses this to answer as QFPay does). */
export function isAcceptableGoodsName(text: string): boolean {
  return Array.from(text).length <= GOODS_NAME_MAX_CHARS && !GOODS_NAME_FORBIDDEN.test(text) && !/\p{Cc}/u.test(text);
}
