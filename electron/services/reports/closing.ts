import { daysBetween, hongKongDay } from '../../../shared/hkTime';
import type { PeriodReport } from '../../../shared/ledger/reportTypes';
import { backupLedger } from '../ledger/backups';
import { LedgerUnusable, RESTORE } from '../ledger/database';
import { quickCheck } from '../ledger/integrity';
import type { TillConfig } from '../config/config';
import type { LedgerStore } from '../ledger/ledgerStore';
import type { Till } from '../till/till';
import { blockingCount, closePeriod, openPeriod, PeriodNotClosable, unresolvedItems } from './periods';
import { reconcilePeriodDays } from './reconciliation';

/**
 * A close as a manager makes it, from the CLI or the app: refused while anything of this till's is
 * open; otherwise each business day the period touches is compared with QFPay (so the Z report
 * can say whether it agrees), the period is closed, and the ledger is backed up.
 */
export async function closeWithChecks(
  runtime: { store: LedgerStore; till: Till; clock: () => number; config: Pick<TillConfig, 'dbPath' | 'tillId'> },
): Promise<{ report: PeriodReport; backup: { ok: true; file: string } | { ok: false; error: string } }> {
  const { store, till } = runtime;
  const before = unresolvedItems(store, till.isMine);
  // Refused before QFPay is asked: the comparison would only say the same again.
  if (blockingCount(before) > 0) throw new PeriodNotClosable(before);
  const started = runtime.clock();
  const days = daysBetween(hongKongDay(openPeriod(store, started).openedAt), hongKongDay(started));
  const reconciliation = await reconcilePeriodDays(runtime, days);
  // The file's full check belongs here: a Z is never written, nor a backup taken, of a damaged ledger.
  const check = quickCheck(store.db);
  if (check !== 'ok') throw new LedgerUnusable('damaged', `The ledger ${runtime.config.dbPath} is damaged (${check}). ${RESTORE}`);
  const now = runtime.clock();
  const report = closePeriod(store, { tillId: runtime.config.tillId, now, isMine: till.isMine, reconciliation });
  const backup = await backupLedger(store.db, runtime.config.dbPath, { zNumber: report.number, at: now });
  return { report, backup };
}
