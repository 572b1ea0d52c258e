import { md5 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * QFPay request signing (developer guide, "签名机制"): sort the parameters by name, join `k=v`
 * with `&`, append the client_key, hash with MD5 or SHA256. Values are signed raw, not
 * URL-encoded. Only non-empty parameters are signed, and only those are sent.
 *
 * Hashing is done with @noble/hashes (audited, pure JS) so that this module stays free of Node
 * built-ins and runs anywhere `shared/` must run.
 */

export type SignType = 'MD5' | 'SHA256';

/** Parameters as a caller builds them; `undefined`, `null` and '' mean "not sent". */
export type RequestParams = Readonly<Record<string, string | number | undefined | null>>;

/** The exact fields that go on the wire and into the signature. */
export type WireFields = Readonly<Record<string, string>>;

export function wireFields(params: RequestParams): WireFields {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    const text = String(value);
    if (text !== '') fields[name] = text;
  }
  return fields;
}

/** `a=1&b=2`, sorted by parameter name, values raw. This is what is hashed (with the key appended). */
export function signingString(fields: WireFields): string {
  // Names are ASCII, so code-unit order equals the byte order QFPay's Python sample sorts by.
  return Object.keys(fields)
    .sort()
    .map((name) => `${name}=${fields[name]}`)
    .join('&');
}

/** Upper-case hex digest, as QFPay's reference sample sends it. */
export function sign(fields: WireFields, clientKey: string, signType: SignType): string {
  const bytes = utf8ToBytes(signingString(fields) + clientKey);
  const digest = signType === 'SHA256' ? sha256(bytes) : md5(bytes);
  return bytesToHex(digest).toUpperCase();
}

/** QFPay's own samples send both upper- and lower-case hex, so the comparison ignores case. */
export function signatureMatches(fields: WireFields, clientKey: string, signType: SignType, given: string): boolean {
  const expected = sign(fields, clientKey, signType);
  const actual = given.trim().toUpperCase();
  if (actual.length !== expected.length) return false;
  let difference = 0;
  for (let index = 0; index < expected.length; index += 1) {
    difference |= expected.charCodeAt(index) ^ actual.charCodeAt(index);
  }
  return difference === 0;
}

/** Headers that authenticate a request. X-QF-SIGNTYPE is omitted for MD5, the gateway's default. */
export function signatureHeaders(
  fields: WireFields,
  credentials: { appCode: string; clientKey: string; signType: SignType },
): Record<string, string> {
  const headers: Record<string, string> = {
    'X-QF-APPCODE': credentials.appCode,
    'X-QF-SIGN': sign(fields, credentials.clientKey, credentials.signType),
  };
  if (credentials.signType === 'SHA256') headers['X-QF-SIGNTYPE'] = 'SHA256';
  return headers;
}
