import { existsSync, readFileSync } from 'node:fs';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { writeFileAtomic } from '../services/files/atomicFile';

/**
 * The certificate web mode serves to the shop's network. A till has no public name for a public
 * certificate authority to vouch for, so it makes its own (self-signed), once, and keeps it beside
 * the ledger (the key readable by this user only). The browser on a tablet warns about it the first
 * time; the till prints its SHA-256 fingerprint, which the browser's certificate view shows, so the
 * person can check that it is the till's before going on (docs/operating.md: "A tablet on the shop's network").
 *
 * Made with `selfsigned` (X.509 on Node's own WebCrypto, through @peculiar/x509): Node can make
 * keys but not certificates, and hand-written ASN.1 is how certificates go wrong.
 */

export const certificatePath = (folder: string) => join(folder, 'web-tls-cert.pem');
export const keyPath = (folder: string) => join(folder, 'web-tls-key.pem');

/** Long enough that a till is not re-paired for it; the browser warns about a self-signed one anyway. */
const VALID_DAYS = 825;
/** Made anew this close to its end, so a tablet is never cut off mid-shift by an expiry. */
const RENEW_BEFORE_MS = 30 * 24 * 60 * 60_000;

export interface TillCertificate {
  readonly key: string;
  readonly cert: string;
  /** SHA-256 of the certificate, as browsers show it (AB:CD:...). */
  readonly fingerprint: string;
  /** Made at this start (a new fingerprint to check), rather than kept from before. */
  readonly made: boolean;
}

/** The names and addresses a certificate covers, from its subjectAltName ("DNS:x, IP Address:y"). */
function certificateNames(certificate: X509Certificate): Set<string> {
  return new Set(
    (certificate.subjectAltName ?? '')
      .split(', ')
      .map((entry) => entry.replace(/^(DNS:|IP Address:)/, '').toLowerCase())
      .filter(Boolean),
  );
}

function keptCertificate(folder: string, names: readonly string[], now: number): TillCertificate | undefined {
  if (!existsSync(certificatePath(folder)) || !existsSync(keyPath(folder))) return undefined;
  try {
    const cert = readFileSync(certificatePath(folder), 'utf8');
    const key = readFileSync(keyPath(folder), 'utf8');
    const certificate = new X509Certificate(cert);
    const covered = certificateNames(certificate);
    // A new address (another network, a new DHCP lease) or a certificate near its end: made anew.
    if (!names.every((name) => covered.has(name.toLowerCase()))) return undefined;
    if (Date.parse(certificate.validTo) - now < RENEW_BEFORE_MS) return undefined;
    if (!certificate.checkPrivateKey(createPrivateKey(key))) return undefined;
    return { key, cert, fingerprint: certificate.fingerprint256, made: false };
  } catch {
    return undefined; // unreadable: made anew, and its new fingerprint printed
  }
}

/**
 * The till's certificate for `names` (this computer's addresses and names on the shop's network):
 * the kept one if it still covers them all, otherwise a new one, kept for the next start.
 */
export async function tillCertificate(folder: string, names: readonly string[], now = Date.now()): Promise<TillCertificate> {
  const kept = keptCertificate(folder, names, now);
  if (kept) return kept;
  const all = [...new Set([...names.map((name) => name.toLowerCase()), 'localhost', '127.0.0.1'])];
  const made = await generate([{ name: 'commonName', value: 'QFPay counter till' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + VALID_DAYS * 24 * 60 * 60_000),
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: all.map((name) => (isIP(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name })) },
    ],
  });
  writeFileAtomic(keyPath(folder), made.private, 0o600);
  writeFileAtomic(certificatePath(folder), made.cert, 0o644);
  return { key: made.private, cert: made.cert, fingerprint: new X509Certificate(made.cert).fingerprint256, made: true };
}
