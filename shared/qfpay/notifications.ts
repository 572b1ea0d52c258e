import { md5 } from '@noble/hashes/legacy.js';
import { bytesToHex, concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';

/**
 * QFPay's asynchronous notifications (Open API, "Asynchronous Notifications"):
 * - after a payment (`notify_type: payment`) or a refund (`notify_type: refund`) succeeds, QFPay
 *   POSTs JSON to the one notification URL set up (by QFPay support) for the app code; ports 80
 *   and 443 only, so the receiver is a host on the internet, never a till behind a shop's router;
 * - `X-QF-SIGN` is the upper-case MD5 of the raw body bytes followed by the client_key (not the
 *   request-signing rule): it is checked on the bytes exactly as received, never on JSON
 *   serialised again, which would reorder keys and re-escape text;
 * - the receiver answers HTTP 200 with the body `SUCCESS` once it has the notification;
 *   otherwise QFPay tries again after 2m, 10m, 10m, 60m, 2h, 6h and 15h;
 * - fields include status, pay_type, sysdtm, paydtm, txcurrcd, txdtm, txamt, out_trade_no,
 *   syssn, cancel, respcd, notify_type, chnlsn, cardcd, cash_fee; new ones may appear and are
 *   ignored.
 *
 * A notification is a reason to ask, never the answer: the till queries the order at once and the
 * query's record decides its state (shared/ledger/evidence.ts), as QFPay advises. So only what
 * routes a notification to its till is read here; the body is kept whole as received.
 */

export const NOTIFICATION_SIGN_HEADER = 'x-qf-sign';
/** What QFPay must read back, exactly, to stop retrying. */
export const NOTIFICATION_ACCEPTED = 'SUCCESS';
/** QFPay's retries after an answer other than SUCCESS (none after the last). */
export const QFPAY_NOTIFY_RETRY_DELAYS_MS: readonly number[] = [2, 10, 10, 60, 120, 360, 900].map((minutes) => minutes * 60_000);

/** Upper-case MD5 of the body's bytes and the client key, as QFPay signs a notification. */
export function notificationSignature(body: Uint8Array, clientKey: string): string {
  return bytesToHex(md5(concatBytes(body, utf8ToBytes(clientKey)))).toUpperCase();
}

/** Compares in constant time (the header's case ignored, as QFPay's samples mix it). */
export function notificationSignatureMatches(body: Uint8Array, clientKey: string, given: string): boolean {
  const expected = notificationSignature(body, clientKey);
  const actual = given.trim().toUpperCase();
  if (actual.length !== expected.length) return false;
  let difference = 0;
  for (let index = 0; index < expected.length; index += 1) difference |= expected.charCodeAt(index) ^ actual.charCodeAt(index);
  return difference === 0;
}

/**
 * What a notification must carry to be routed: its kind, QFPay's serial number (with the kind,
 * the key a retried delivery is recognised by) and the merchant's own number for the payment or
 * refund. Amounts come as strings or numbers in QFPay's samples, and are not read at all.
 */
const notificationSchema = z.looseObject({
  notify_type: z.string().regex(/^[a-z_]{1,32}$/, 'notify_type must be a short lower-case word'),
  syssn: z.string().regex(/^[0-9A-Za-z]{1,40}$/, 'syssn must be 1-40 letters or digits'),
  out_trade_no: z.string().regex(/^[\x21-\x7e]{1,128}$/, 'out_trade_no must be 1-128 visible ASCII characters'),
});

export type NotifyType = 'payment' | 'refund';

export interface QfpayNotification {
  /** `payment` or `refund` today; another word is kept (it was signed) and acted on by no till. */
  readonly notifyType: string;
  readonly syssn: string;
  readonly outTradeNo: string;
}

export type NotificationReading = { ok: true; notification: QfpayNotification } | { ok: false; problem: string };

/** Reads a verified body (decoded as UTF-8). One that is not JSON, or lacks what routes it, is refused in words. */
export function readNotification(text: string): NotificationReading {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'the body is not JSON' };
  }
  const parsed = notificationSchema.safeParse(json);
  if (!parsed.success) return { ok: false, problem: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ') };
  return { ok: true, notification: { notifyType: parsed.data.notify_type, syssn: parsed.data.syssn, outTradeNo: parsed.data.out_trade_no } };
}

/**
 * What the head office tells the tills about a stored notification (PostgreSQL NOTIFY payloads
 * stay far below their 8,000-byte limit). The app code routes it to the merchant's tills.
 */
export const NOTIFICATION_CHANNEL = 'qfpay_notification';
/** The relay's "I am here", so that a till knows pushes can reach it. */
export const RELAY_HEARTBEAT_CHANNEL = 'qfpay_relay_heartbeat';
/** How often the relay says so; a till counts it gone after three beats missed. */
export const RELAY_HEARTBEAT_MS = 5_000;

export const notificationSignalSchema = z
  .object({
    app_code: z.string().min(1).max(64),
    notify_type: z.string().max(32),
    syssn: z.string().max(40),
    out_trade_no: z.string().max(128),
  })
  .strict();
export type NotificationSignal = z.infer<typeof notificationSignalSchema>;

/** The body of a notification for a record, as QFPay builds one (the simulator's, and tests'). */
export function notificationBody(record: Readonly<Record<string, string>>, notifyType: NotifyType): Uint8Array {
  return utf8ToBytes(JSON.stringify({ ...record, notify_type: notifyType, status: '1' }));
}
