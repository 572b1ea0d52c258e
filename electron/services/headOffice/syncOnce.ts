import type pg from 'pg';
import type { SqliteDatabase } from '../sqlite/openSqlite';
import { headOfficeError } from './connection';
import { migrateHeadOffice } from './postgresSchema';
import { HeadOfficeConflict, shipPending, type ShipResult } from './shipper';

/** One round of shipping, as the CLI's `sync` and the background service run it. */
export type SyncOutcome =
  | ({ readonly ok: true } & ShipResult)
  | { readonly ok: false; readonly problem: 'unreachable' | 'conflict'; readonly message: string };

export async function syncOnce(ledger: SqliteDatabase, pool: pg.Pool, url: URL, tillId: string, options: { migrate: boolean }): Promise<SyncOutcome> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    return { ok: false, problem: 'unreachable', message: headOfficeError(error, url) };
  }
  // A server that goes away mid-batch fails the query; this keeps the dropped socket from throwing elsewhere.
  const ignore = () => undefined;
  client.on('error', ignore);
  try {
    if (options.migrate) await migrateHeadOffice(client);
    return { ok: true, ...(await shipPending(ledger, client, { tillId })) };
  } catch (error) {
    if (error instanceof HeadOfficeConflict) return { ok: false, problem: 'conflict', message: error.message };
    return { ok: false, problem: 'unreachable', message: headOfficeError(error, url) };
  } finally {
    client.off('error', ignore);
    client.release();
  }
}
