import pg from 'pg';

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
  return url;
}

/** The URL as it may be shown: no password. */
export function redactedHeadOfficeUrl(url: URL): string {
  const shown = new URL(url.href);
  shown.password = '';
  return shown.href;
}

/** A message from pg or the network, with the password taken out wherever it might appear. */
export function headOfficeError(error: unknown, url: URL): string {
  const message = error instanceof Error ? error.message : String(error);
  // Both forms: as typed, and as it stands in the URL (p%40ss), in case a message quotes the URL.
  const forms = [decodeURIComponent(url.password), url.password].filter((form) => form !== '');
  return forms.reduce((text, form) => text.split(form).join('***'), message);
}

/** A small pool: one till ships in one background connection; a query never waits long on a dead office. */
export function headOfficePool(url: URL, options: { max?: number; timeoutMs?: number } = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url.href, max: options.max ?? 2, connectionTimeoutMillis: options.timeoutMs ?? 5_000, query_timeout: options.timeoutMs ?? 30_000, idleTimeoutMillis: 10_000 });
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
