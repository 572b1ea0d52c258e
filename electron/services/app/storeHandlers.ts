import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { headOfficeError, headOfficePool, redactedHeadOfficeUrl, withHeadOffice } from '../headOffice/connection';
import { BooksTampered } from '../headOffice/chainCheck';
import { exportStoreDay, StoreExportRefused } from '../headOffice/storeExport';
import { reconcileStoreDay } from '../headOffice/storeReconciliation';
import { storeDayView } from '../headOffice/storeView';
import { DayInFuture, ReconciliationUnavailable } from '../reports/reconciliation';
import type { TillRuntime } from '../runtime/runtime';
import { TillError } from '../../../shared/errors';
import type { CommandHandlers } from '../ipc/commandHandlers';

/**
 * The manager's store view: the day across every till, read from the head office on request. Its
 * own small pool, opened on first use: a manager's query never waits behind a shipment or a draw
 * of calls. A head office that cannot be reached is said in words (its password never), and
 * changes nothing at the counter.
 */
export function createStoreHandlers(runtime: TillRuntime) {
  let pool: pg.Pool | undefined;
  const office = (): { pool: pg.Pool; url: URL } => {
    const url = runtime.headOfficeUrl;
    if (!url) throw new TillError('head_office_not_configured', 'no head office is configured: set one in Settings');
    pool ??= headOfficePool(url, { max: 1, timeoutMs: 10_000 });
    return { pool, url };
  };
  /** Runs a read against the head office; a connection failure becomes words for the manager. */
  async function reading<T>(work: (pool: pg.Pool) => Promise<T>): Promise<T> {
    const { pool: reader, url } = office();
    try {
      return await work(reader);
    } catch (error) {
      if (error instanceof TillError || error instanceof StoreExportRefused || error instanceof DayInFuture || error instanceof ReconciliationUnavailable) throw error;
      throw new TillError('head_office_unreachable', `the head office ${redactedHeadOfficeUrl(url)} is unreachable (${headOfficeError(error, url)})`);
    }
  }

  const handlers: Pick<CommandHandlers, 'managerStoreDay' | 'managerStoreExport' | 'managerStoreReconcile'> = {
    async managerStoreDay({ day, tillId, wallet, state }) {
      // One snapshot: a shipment landing between the queries must not make the totals disagree with the rows.
      const view = await reading((reader) =>
        withHeadOffice(reader, async (client) => {
          await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
          try {
            return await storeDayView(client, day, { tillId, wallet, state });
          } finally {
            await client.query('COMMIT');
          }
        }),
      );
      return { ...view, headOffice: runtime.headOffice?.status() ?? { state: 'off' }, confirmations: runtime.push?.status() ?? null };
    },
    async managerStoreExport({ day, environment }) {
      const folder = mkdtempSync(join(tmpdir(), 'qfpos-store-export-'));
      try {
        const file = join(folder, 'store.csv');
        const summary = await reading((reader) => exportStoreDay(reader, day, file, { environment }));
        return {
          fileName: `qfpay-store-${day}-${summary.environment}.csv`,
          csv: readFileSync(file, 'utf8'),
          payments: summary.payments,
          refunds: summary.refunds,
          environment: summary.environment,
          otherEnvironments: summary.otherEnvironments,
          tills: summary.tills,
        };
      } catch (error) {
        if (error instanceof StoreExportRefused) throw new TillError('store_export_refused', error.message, { environments: error.environments });
        if (error instanceof BooksTampered) throw new TillError('books_tampered', error.message, { problems: error.problems });
        throw error;
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
    async managerStoreReconcile({ day }) {
      try {
        return { result: await reading((reader) => reconcileStoreDay(reader, runtime.till, day, runtime.clock)) };
      } catch (error) {
        if (error instanceof DayInFuture) throw new TillError('day_in_future', error.message, { day });
        if (error instanceof ReconciliationUnavailable) throw new TillError('qfpay_unreachable', error.message, { reason: error.reason });
        throw error;
      }
    },
  };
  return {
    handlers,
    async close() {
      await pool?.end();
    },
  };
}
