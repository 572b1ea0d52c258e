import type pg from 'pg';
import type { SqliteDatabase } from '../sqlite/openSqlite';
import { headOfficeError, withHeadOffice } from './connection';
import { HeadOfficeTooNew, migrateHeadOffice } from './postgresSchema';
import { HeadOfficeConflict, shipPending, type ShipResult } from './shipper';

/** One round of shipping, as the CLI's `sync` and the background service run it. */
export type SyncOutcome =
  | ({ readonly ok: true } & ShipResult)
  | { readonly ok: false; readonly problem: 'unreachable' | 'conflict' | 'too_new'; readonly message: string };

export async function syncOnce(ledger: SqliteDatabase, pool: pg.Pool, url: URL, tillId: string, options: { migrate: boolean }): Promise<SyncOutcome> {
  try {
    return await withHeadOffice(pool, async (client) => {
      if (options.migrate) await migrateHeadOffice(client);
      return { ok: true, ...(await shipPending(ledger, client, { tillId })) };
    });
  } catch (error) {
    if (error instanceof HeadOfficeConflict) return { ok: false, problem: 'conflict', message: error.message };
    if (error instanceof HeadOfficeTooNew) return { ok: false, problem: 'too_new', message: error.message };
    return { ok: false, problem: 'unreachable', message: headOfficeError(error, url) };
  }
}
