import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import { HEAD_OFFICE_PARAMETERS, headOfficeSslMode, SETTINGS_MESSAGES, unexpectedHeadOfficeParameter } from '../../../shared/settings/tillSettings';

/**
 * The head office's address: a PostgreSQL connection URL (`postgres://till@host:5432/store`). Its
 * password never appears in a message, a log or an answer: only the redacted form is shown.
 */
export class HeadOfficeUrlInvalid extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HeadOfficeUrlInvalid';
  }
}

export function parseHeadOfficeUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new HeadOfficeUrlInvalid('QFPOS_HEAD_OFFICE is not a URL: give one like postgres://till@office.example:5432/store');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new HeadOfficeUrlInvalid(`QFPOS_HEAD_OFFICE must be a postgres:// URL, not ${url.protocol}//`);
  if (!url.hostname || url.pathname.length < 2) throw new HeadOfficeUrlInvalid('QFPOS_HEAD_OFFICE needs a host and a database name: postgres://till@office.example:5432/store');
  const link = headOfficeLink(url);
  if (!link.ok) throw new HeadOfficeUrlInvalid(link.message);
  return url;
}

/** What pg is given: every part of the address taken from the URL here, never a connection string for pg to read its own way. */
export interface HeadOfficeConnection {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password?: string;
  readonly ssl: false | ConnectionOptions;
}

/**
 * How a till reaches its head office. Over the network the link is encrypted and the server's
 * certificate verified (verify-full, the system's authorities or `sslrootcert=`); clear text only
 * over loopback. The books and the password never cross a shop's network, or the internet, in
 * clear: an address asking for that, or carrying any query parameter but its TLS settings, is
 * refused in one line, before anything is sent.
 */
export function headOfficeLink(url: URL): { ok: true; connection: HeadOfficeConnection } | { ok: false; message: string } {
  const stray = unexpectedHeadOfficeParameter(url);
  if (stray !== undefined) {
    return { ok: false, message: `the head office address may carry only ${HEAD_OFFICE_PARAMETERS.join(', ')} (each once), not ${stray}= (the host, port, user and database are the address's own parts; the password has its own field)` };
  }
  const ssl = headOfficeSslMode(url);
  if ('problem' in ssl) {
    return {
      ok: false,
      message:
        ssl.problem === 'head_office_tls_required'
          ? `the head office ${url.hostname} is reached over the network without TLS (sslmode=${url.searchParams.get('sslmode')}): the books and the password would travel in clear. ${SETTINGS_MESSAGES.head_office_tls_required.en.replace(/^.*?: /, 'Instead, ')}`
          : `sslmode=${url.searchParams.get('sslmode')} is not one of disable (loopback only), require, verify-ca, verify-full`,
    };
  }
  const connection = {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? 5432 : Number(url.port),
    database: decodeURIComponent(url.pathname.slice(1)),
    user: decodeURIComponent(url.username),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
  };
  if (ssl.mode === 'off') return { ok: true, connection: { ...connection, ssl: false } };
  const options: ConnectionOptions = { rejectUnauthorized: true };
  for (const [parameter, key] of [['sslrootcert', 'ca'], ['sslcert', 'cert'], ['sslkey', 'key']] as const) {
    const file = url.searchParams.get(parameter);
    if (file === null) continue;
    try {
      options[key] = readFileSync(file, 'utf8');
    } catch (error) {
      return { ok: false, message: `${parameter}=${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})` };
    }
  }
  // verify-ca: the certificate must come from the named authority, whatever name it carries.
  if (ssl.mode === 'verify-ca') {
    if (!options.ca) return { ok: false, message: 'sslmode=verify-ca needs the authority that signed the server: add sslrootcert=/path/to/ca.pem' };
    options.checkServerIdentity = () => undefined;
  }
  return { ok: true, connection: { ...connection, ssl: options } };
}

/** The head office refused by its address before anything was sent (no TLS over the network, an unreadable CA file). */
export class HeadOfficeInsecure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HeadOfficeInsecure';
  }
}

/** The URL as it may be shown: no password. */
export function redactedHeadOfficeUrl(url: URL): string {
  const shown = new URL(url.href);
  shown.password = '';
  return shown.href;
}

/** A message from pg or the network, with the password taken out wherever it might appear, and TLS failures said as such. */
export function headOfficeError(error: unknown, url: URL): string {
  const raw = error instanceof Error ? error.message : String(error);
  const message = tlsFailure(raw, url.hostname) ?? raw;
  // Both forms: as typed, and as it stands in the URL (p%40ss), in case a message quotes the URL.
  const forms = [decodeURIComponent(url.password), url.password].filter((form) => form !== '');
  return forms.reduce((text, form) => text.split(form).join('***'), message);
}

/** Whether a failure was the link's encryption, in words that say what to do. */
export function tlsFailure(message: string, host: string): string | undefined {
  if (/does not support SSL/i.test(message)) {
    return `the head office ${host} offers no TLS, so nothing was sent (not even the password): turn ssl on in its postgresql.conf (docs/head-office.md, "Encrypted by default")`;
  }
  if (/certificate|self[- ]signed|Hostname\/IP does not match|unable to verify|UNABLE_TO_GET_ISSUER/i.test(message)) {
    return `the head office ${host}'s certificate could not be verified (${message}), so nothing was sent: add sslrootcert=/path/to/ca.pem naming the authority that signed it, or give the name its certificate carries`;
  }
  return undefined;
}

/** A small pool: one till ships in one background connection; a query never waits long on a dead office. */
export function headOfficePool(url: URL, options: { max?: number; timeoutMs?: number } = {}): pg.Pool {
  const link = headOfficeLink(url);
  if (!link.ok) throw new HeadOfficeInsecure(link.message);
  const pool = new pg.Pool({
    ...link.connection,
    max: options.max ?? 2,
    connectionTimeoutMillis: options.timeoutMs ?? 5_000,
    query_timeout: options.timeoutMs ?? 30_000,
    idleTimeoutMillis: 10_000,
  });
  // An idle connection dropped by the server is not a failure of anything running.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Runs `work` on one connection of the pool. A server that goes away mid-query fails the query;
 * the guard keeps the dropped socket from throwing elsewhere, and a connection that failed is
 * closed rather than handed to the next caller.
 */
export async function withHeadOffice<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const ignore = () => undefined;
  client.on('error', ignore);
  let failure: Error | undefined;
  try {
    return await work(client);
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.off('error', ignore);
    client.release(failure);
  }
}
