import type pg from 'pg';
import { provesTampering, type BooksCheck, type ChainProblem } from '../../../shared/ledger/chain';
import { ledgerIdOf } from '../ledger/database';
import { lastTransitionId } from '../ledger/queries/history';
import { zChainHeads } from '../ledger/queries/shipping';
import { latestZPeriod } from '../ledger/queries/zPeriods';
import type { SqliteDatabase } from '../sqlite/openSqlite';
import { BooksTampered, checkHeadOfficeStretch } from './chainCheck';
import { headOfficeError, tlsFailure, withHeadOffice } from './connection';
import { HeadOfficeTooNew, migrateHeadOffice } from './postgresSchema';
import { HeadOfficeConflict, shipPending, type ShipResult } from './shipper';

/** One round of shipping, as the CLI's `sync` and the background service run it. */
export type SyncOutcome =
  | ({ readonly ok: true; readonly books?: BooksCheck } & ShipResult)
  | { readonly ok: false; readonly problem: 'unreachable' | 'conflict' | 'too_new' | 'insecure'; readonly message: string }
  | { readonly ok: false; readonly problem: 'tampered'; readonly where: 'till' | 'head_office'; readonly problems: readonly ChainProblem[]; readonly message: string };

/**
 * `verify: 'open period'` (the CLI's `sync`, a person's check) also reads back the head office's
 * copy of this till's open period and every Z head: its cost is the period, not the history. The
 * background round checks only what it ships.
 */
export async function syncOnce(ledger: SqliteDatabase, pool: pg.Pool, url: URL, tillId: string, options: { migrate: boolean; verify?: 'shipped' | 'open period' }): Promise<SyncOutcome> {
  try {
    return await withHeadOffice(pool, async (client) => {
      if (options.migrate) await migrateHeadOffice(client);
      const shipped = await shipPending(ledger, client, { tillId });
      if (options.verify !== 'open period') return { ok: true, ...shipped };
      const books = await checkOpenPeriodCopy(ledger, client, tillId);
      if (books.problems.some(provesTampering)) throw new BooksTampered('head_office', books.problems.filter(provesTampering));
      return { ok: true, ...shipped, books };
    });
  } catch (error) {
    if (error instanceof BooksTampered) return { ok: false, problem: 'tampered', where: error.where, problems: error.problems, message: error.message };
    if (error instanceof HeadOfficeConflict) return { ok: false, problem: 'conflict', message: error.message };
    if (error instanceof HeadOfficeTooNew) return { ok: false, problem: 'too_new', message: error.message };
    // No TLS offered, or a certificate that does not verify: a person must mend it, trying again will not.
    const tls = tlsFailure(error instanceof Error ? error.message : String(error), url.hostname);
    if (tls) return { ok: false, problem: 'insecure', message: tls };
    return { ok: false, problem: 'unreachable', message: headOfficeError(error, url) };
  }
}

/** The head office's copy of this till's open period, and its Z heads, against this till's chain. */
async function checkOpenPeriodCopy(ledger: SqliteDatabase, client: pg.PoolClient, tillId: string): Promise<BooksCheck> {
  const ledgerId = ledgerIdOf(ledger);
  const lastZ = latestZPeriod(ledger)?.last_transition ?? 0;
  const newest = lastTransitionId(ledger);
  const check = await checkHeadOfficeStretch(client, tillId, ledgerId, lastZ, newest);
  const problems: ChainProblem[] = [...check.problems];
  const { rows: beyond } = await client.query<{ seq: string | null }>('SELECT MIN(seq) AS seq FROM transitions WHERE till_id = $1 AND seq > $2', [tillId, newest]);
  const foreign = beyond[0]?.seq;
  if (foreign !== null && foreign !== undefined) problems.push({ tillId, seq: Number(foreign), kind: 'foreign' });
  const own = zChainHeads(ledger);
  const { rows } = await client.query<{ number: number; last_transition: string; chain_head: string | null }>('SELECT number, last_transition, chain_head FROM z_reports WHERE till_id = $1', [tillId]);
  for (const z of rows) {
    if (z.chain_head !== null && z.chain_head !== own.get(z.number)) problems.push({ tillId, seq: Number(z.last_transition), kind: 'diverged', zNumber: z.number });
  }
  return { checked: check.checked, problems };
}
