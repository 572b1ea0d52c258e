import type { WalletId } from '../wallets';

/**
 * The customer's payment code (QFPay's `auth_code`, String(128), CPM only): what the scanner read
 * off the customer's wallet. It is a one-time bearer credential: whoever sends it first within its
 * life (WeChat Pay: one minute) takes the customer's money. So the till sends it once, in the
 * payment request, and keeps nothing of it but the mask below: not in the ledger, the gateway
 * log, exports, slips, screens or error messages.
 */

/**
 * What the till accepts as a code: 12 to 128 letters or digits. QFPay documents only String(128);
 * the wallets' own codes are digits (16 to 24 for Alipay, 18 for WeChat Pay, 19 for UnionPay).
 * Letters are allowed for wallets whose format is undocumented (PayMe); anything else (`&`, `=`,
 * spaces) would break the raw `k=v&` string QFPay signs. 12 is our floor so that the mask below
 * always hides at least six characters.
 */
export const AUTH_CODE_PATTERN = /^[A-Za-z0-9]{12,128}$/;

/**
 * A scanner types the code followed by Enter, sometimes with spaces or as full-width digits (an
 * input method left on): those are read as the code; anything else is refused, never repaired.
 */
export function normaliseAuthCode(text: string): string | undefined {
  const code = text.normalize('NFKC').replace(/\s+/g, '');
  return AUTH_CODE_PATTERN.test(code) ? code : undefined;
}

/**
 * The only form of the code the till keeps: its first two characters and its last four, e.g.
 * `28…5836`. Our choice, written down as the issue asks: the brief offered "first 4 and last 4",
 * which would leave only 10 unknown digits of an 18-digit WeChat Pay code. Two leading digits say
 * which wallet issued it (documented prefixes, see walletFromAuthCode) and carry no secret; the last
 * four let a manager match a customer's "my code ended 5836" to a sale, as card slips do with a
 * card's last four. That hides at least 12 of 18 digits of a code that is single use and dies
 * within minutes: nothing kept could be replayed.
 */
export function maskAuthCode(code: string): string {
  return `${code.slice(0, 2)}…${code.slice(-4)}`;
}

/**
 * The wallet a code belongs to, from its documented shape, or undefined when the docs do not tell
 * (then the wallet the cashier picked decides). Sources, none of them in QFPay's own pages:
 * - WeChat Pay (its micropay guide, pay.weixin.qq.com "Important Parameters"): 18 digits, starting
 *   10-14 (mainland users) or 15 (Hong Kong users). [documented by WeChat Pay]
 * - Alipay (opendocs.alipay.com/open/194/106039, quoted by integrators): 16 to 24 digits starting
 *   25 to 30. [documented by Alipay, read through second-hand quotes]
 * - UnionPay: 19 digits starting 62 is an integrators' rule only. [assumption: not used here]
 * - PayMe: no published format. [unknown]
 * The seeds' sample codes (283854702356157409, 280438849930815813, 287255838063025836: 18 digits
 * starting 28) fit the Alipay rule. Only the two documented rules decide; UnionPay and PayMe
 * codes are taken as the cashier picked them.
 */
export function walletFromAuthCode(code: string): WalletId | undefined {
  if (/^1[0-5]\d{16}$/.test(code)) return 'wechat';
  if (/^(2[5-9]|30)\d{14,22}$/.test(code)) return 'alipay';
  return undefined;
}

/**
 * Request fields as the till may keep them: the code masked. Applied by the ledger to everything
 * it writes (the order's fields, every gateway exchange), whoever built the fields.
 */
export function keepableFields<T extends Readonly<Record<string, string>>>(fields: T): T {
  const code = fields.auth_code;
  return code === undefined ? fields : { ...fields, auth_code: maskAuthCode(code) };
}

/**
 * QFPay's answer to a code already charged, or expired: 1202, "incorrect or expired payment code,
 * please show the correct payment code or refresh it" (its status-code table). The till tells the
 * cashier to ask for a fresh code; the refused order ends failed and is never sent again.
 */
export const CODE_REFUSED_RESPCD = '1202';
