import type { HeadOfficeRefusal, HeadOfficeStatus } from '../../../shared/ipc/contract';
import { openSqlite, type SqliteDatabase } from '../sqlite/openSqlite';
import { headOfficeLink, headOfficePool } from './connection';
import { syncOnce, type SyncOutcome } from './syncOnce';

/**
 * Ships the till's history to the head office in the background. It reads the ledger through its
 * own read-only connection (WAL: a reader never blocks the till's writes) and does all its
 * network work asynchronously, so a head office that is down, slow or refusing changes nothing at
 * the counter. After a failure it tries again later (30 s, doubling to 5 min), and catches up by
 * itself; `shipNow` asks for a round at once (after a sale, a close).
 */

export interface HeadOfficeSyncOptions {
  readonly url: URL;
  readonly ledgerPath: string;
  readonly tillId: string;
  readonly clock?: () => number;
  /** How often to ship while all is well. */
  readonly intervalMs?: number;
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
  readonly onStatus?: (status: HeadOfficeStatus) => void;
}

const REFUSALS = { conflict: 'till_id_taken', too_new: 'schema_newer', tampered: 'books_tampered', insecure: 'insecure_link' } as const satisfies Record<string, HeadOfficeRefusal>;

export function createHeadOfficeSync(options: HeadOfficeSyncOptions) {
  const clock = options.clock ?? Date.now;
  const intervalMs = options.intervalMs ?? 15_000;
  const retryMs = options.retryMs ?? 30_000;
  const maxRetryMs = options.maxRetryMs ?? 300_000;
  // An address that would send the books in clear is refused for good, in words, and never dialled.
  const link = headOfficeLink(options.url);
  const pool = link.ok ? headOfficePool(options.url) : undefined;
  let ledger: SqliteDatabase | undefined;
  let status: HeadOfficeStatus = link.ok ? { state: 'starting' } : { state: 'refused', since: clock(), code: 'insecure_link', reason: link.message };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let failures = 0;
  let stopped = false;
  // The head office's tables are brought up to date once per run, not at every round.
  let migrated = false;

  function settle(outcome: SyncOutcome) {
    const now = clock();
    if (outcome.ok) {
      failures = 0;
      status = outcome.behind === 0 ? { state: 'in_sync', at: now } : { state: 'behind', records: outcome.behind, at: now };
    } else {
      failures += 1;
      // "Unreachable since" is when it was first lost, not the latest try.
      const since = status.state === 'unreachable' || status.state === 'refused' ? status.since : now;
      status =
        outcome.problem === 'unreachable'
          ? { state: 'unreachable', since, reason: outcome.message }
          : { state: 'refused', since, code: REFUSALS[outcome.problem], reason: outcome.message };
    }
    options.onStatus?.(status);
  }

  async function round() {
    if (!pool) return;
    ledger ??= openSqlite(options.ledgerPath, { readonly: true, fileMustExist: true });
    const outcome = await syncOnce(ledger, pool, options.url, options.tillId, { migrate: !migrated });
    if (!outcome.ok && outcome.problem === 'insecure') failures = Math.max(failures, 6); // tried again only at the longest interval
    if (outcome.ok) migrated = true;
    settle(outcome);
  }

  function schedule(ms: number) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void shipNow(), ms);
    timer.unref();
  }

  function shipNow(): Promise<void> {
    if (stopped || !pool) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = round()
      .catch((error: unknown) => settle({ ok: false, problem: 'unreachable', message: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          void shipNow();
        } else {
          schedule(failures === 0 ? intervalMs : Math.min(maxRetryMs, retryMs * 2 ** (failures - 1)));
        }
      });
    return running;
  }

  return {
    status: () => status,
    start() {
      void shipNow();
    },
    shipNow,
    /**
     * After a change at the till: ship soon if the head office is answering. While it is not, the
     * retry already scheduled stands: a busy counter must not turn the back-off into a connection
     * attempt per sale.
     */
    changed(): void {
      if (failures === 0) void shipNow();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      ledger?.close();
      await pool?.end();
    },
  };
}

export type HeadOfficeSync = ReturnType<typeof createHeadOfficeSync>;
