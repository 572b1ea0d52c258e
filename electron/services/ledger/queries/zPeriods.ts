import type { PeriodReport } from '../../../../shared/ledger/reportTypes';
import type { LedgerDatabase } from '../database';

/**
 * The Z periods the ledger keeps (`z_periods`, numbered, never changed once written) and the day
 * reports of ledger schema 1 (`z_reports`) they are numbered on from.
 */

export interface ZPeriodRow {
  readonly number: number;
  readonly after_transition: number;
  readonly last_transition: number;
}

/** The latest closed Z period, if any. */
export const latestZPeriod = (db: LedgerDatabase): { number: number; last_transition: number; closed_at: number } | undefined =>
  db.prepare<[], { number: number; last_transition: number; closed_at: number }>('SELECT number, last_transition, closed_at FROM z_periods ORDER BY number DESC LIMIT 1').get();

/** The highest number of a day report of ledger schema 1 (null on a ledger that had none). */
export const latestDayReportNumber = (db: LedgerDatabase): number | null => db.prepare<[], { number: number | null }>('SELECT MAX(number) AS number FROM z_reports').get()?.number ?? null;

/** When the ledger's first history row was written (null before any). */
export const firstTransitionAt = (db: LedgerDatabase): number | null => db.prepare<[], { at: number | null }>('SELECT MIN(at) AS at FROM transitions').get()?.at ?? null;

export interface NewZPeriod {
  readonly number: number;
  readonly tillId: string;
  readonly openedAt: number;
  readonly closedAt: number;
  readonly afterTransition: number;
  readonly lastTransition: number;
  readonly report: PeriodReport;
  readonly chainHead: string | null;
}

/** Stores a closed period and empties the open period's sums (the next period starts with nothing summed), in the caller's transaction. */
export function storeZPeriod(db: LedgerDatabase, period: NewZPeriod): void {
  db.prepare('INSERT INTO z_periods (number, till_id, opened_at, closed_at, after_transition, last_transition, report, chain_head) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    period.number,
    period.tillId,
    period.openedAt,
    period.closedAt,
    period.afterTransition,
    period.lastTransition,
    JSON.stringify(period.report),
    period.chainHead,
  );
  db.exec('DELETE FROM open_period_sums');
}

export function zPeriodReport(db: LedgerDatabase, number: number): PeriodReport | undefined {
  const row = db.prepare<[number], { report: string }>('SELECT report FROM z_periods WHERE number = ?').get(number);
  return row ? (JSON.parse(row.report) as PeriodReport) : undefined;
}

/**
 * The reports of the Z periods that touch [start, end), the Hong Kong business day `day`, oldest
 * first: those whose time span overlaps it, and those holding money of that day. Periods are
 * contiguous in time and in history rows, so both kinds lie between the first period reaching the
 * day (or its first history row) and the last one starting before its end (or holding its last
 * row): only those few are read, found through migration 5's indexes.
 */
export function zPeriodReportsTouching(db: LedgerDatabase, day: { start: number; end: number; day: string }): PeriodReport[] {
  return db
    .prepare<{ start: number; end: number; day: string }, { report: string }>(
      `WITH span AS (SELECT MIN(id) AS first, MAX(id) AS last FROM transitions WHERE at >= @start AND at < @end),
            bounds AS (SELECT
              MIN(COALESCE((SELECT number FROM z_periods WHERE closed_at >= @start ORDER BY closed_at LIMIT 1), 1e18),
                  COALESCE((SELECT number FROM z_periods WHERE last_transition >= (SELECT first FROM span) ORDER BY last_transition LIMIT 1), 1e18)) AS low,
              MAX(COALESCE((SELECT number FROM z_periods WHERE opened_at < @end ORDER BY opened_at DESC LIMIT 1), 0),
                  COALESCE((SELECT number FROM z_periods WHERE last_transition >= (SELECT last FROM span) ORDER BY last_transition LIMIT 1),
                           CASE WHEN (SELECT last FROM span) IS NULL THEN 0 ELSE (SELECT MAX(number) FROM z_periods) END)) AS high)
       SELECT report FROM z_periods z, bounds WHERE z.number BETWEEN bounds.low AND bounds.high
         AND ((z.opened_at < @end AND z.closed_at >= @start)
           OR EXISTS (SELECT 1 FROM json_each(z.report, '$.environments') e, json_each(e.value, '$.days') d WHERE json_extract(d.value, '$.day') = @day))
       ORDER BY number`,
    )
    .all(day)
    .map((row) => JSON.parse(row.report) as PeriodReport);
}

/** Looks up the closed period holding a history row (the first whose last row is at or after it), through an index. */
export function closedPeriodHolding(db: LedgerDatabase): (transitionId: number) => ZPeriodRow | undefined {
  const closing = db.prepare<[number], ZPeriodRow>('SELECT number, after_transition, last_transition FROM z_periods WHERE last_transition >= ? ORDER BY last_transition LIMIT 1');
  return (transitionId) => closing.get(transitionId);
}
