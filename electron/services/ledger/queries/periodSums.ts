import { ACTIVE_PAYMENT_STATES, PAID_STATES } from '../../../../shared/ledger/lifecycle';
import type { WalletId } from '../../../../shared/wallets';
import type { LedgerDatabase } from '../database';
import { inList } from './orders';

/**
 * A report's money as sums SQLite makes over an index (history row ids for a period, times for a
 * day), so a report costs the rows it covers and no JavaScript runs per event. These queries are
 * the rule; ledger migration 5 keeps the same sums for the open period as history is written
 * (`open_period_sums`), and test/ledger/periodSums.test.ts holds the two together.
 */

/** Money of one environment, wallet and kind on one Hong Kong day. */
export interface MoneySum {
  readonly environment: string;
  readonly wallet: WalletId;
  readonly kind: 'payment' | 'refund' | 'not_paid';
  readonly day: string;
  readonly count: number;
  readonly amount: number;
}

/** Money of one environment, wallet and kind over a whole period. */
export type KindSum = Omit<MoneySum, 'day'>;

const PAID = inList(PAID_STATES);

/** A Hong Kong day of an epoch-millisecond column: UTC+8 all year since 1980 (shared/hkTime.ts). */
const hongKongDayOf = (column: string) => `date(${column} / 1000 + 28800, 'unixepoch')`;

// The first entry of an order into a paid state is its money coming in; paid_late -> paid is a decision, not money.
const MONEY_IN = `t.to_state IN (${PAID}) AND (t.from_state IS NULL OR t.from_state NOT IN (${PAID}))`;

/**
 * Ledger schema 1 closed calendar days: each day report counted the payments and refunds made on
 * that day that had their money by the time it was closed. Those events were reported then, and
 * are left out of every period.
 */
const IN_A_DAY_REPORT = (createdAt: string) => `EXISTS (SELECT 1 FROM z_reports z WHERE z.day = ${hongKongDayOf(createdAt)} AND t.at <= z.closed_at)`;
const NOT_IN_A_DAY_REPORT = (createdAt: string) => `NOT ${IN_A_DAY_REPORT(createdAt)}`;

const SUMS = (where: string) => `
  SELECT environment, wallet, kind, day, COUNT(*) AS count, SUM(amount) AS amount FROM (
    SELECT o.environment, o.wallet, 'payment' AS kind, ${hongKongDayOf('t.at')} AS day, o.amount
      FROM transitions t JOIN orders o ON o.id = t.order_id WHERE ${where} AND ${MONEY_IN} AND ${NOT_IN_A_DAY_REPORT('o.created_at')}
    UNION ALL
    SELECT o.environment, o.wallet, 'refund', ${hongKongDayOf('t.at')}, r.amount
      FROM transitions t JOIN refunds r ON r.id = t.refund_id JOIN orders o ON o.id = r.order_id
     WHERE ${where} AND t.to_state = 'succeeded' AND ${NOT_IN_A_DAY_REPORT('r.created_at')}
    UNION ALL
    SELECT o.environment, o.wallet, 'not_paid', ${hongKongDayOf('t.at')}, 0
      FROM transitions t JOIN orders o ON o.id = t.order_id
     WHERE ${where} AND t.to_state IN ('failed', 'expired', 'cancelled') AND t.from_state IN (${inList(ACTIVE_PAYMENT_STATES)})
  ) GROUP BY environment, wallet, kind, day`;

/** The money of the history rows after `after` up to `upto`: a period. */
export const sumsBetweenIds = (db: LedgerDatabase, after: number, upto: number): MoneySum[] =>
  db.prepare<{ after: number; upto: number }, MoneySum>(SUMS('t.id > @after AND t.id <= @upto')).all({ after, upto });

/** The money of the history rows stamped in [start, end): a day. */
export const sumsBetweenTimes = (db: LedgerDatabase, start: number, end: number): MoneySum[] =>
  db.prepare<{ start: number; end: number }, MoneySum>(SUMS('t.at >= @start AND t.at < @end')).all({ start, end });

/** The open period's money, as the ledger keeps it summed (migration 5). */
const OPEN_PERIOD_SUMS = 'SELECT environment, wallet, kind, day, count, amount FROM open_period_sums';
export const openPeriodSums = (db: LedgerDatabase): MoneySum[] => db.prepare<[], MoneySum>(OPEN_PERIOD_SUMS).all();

/** The open period's totals, as the ledger keeps them (migration 6): a few rows however long the period. */
export const openPeriodTotals = (db: LedgerDatabase): KindSum[] => db.prepare<[], KindSum>('SELECT environment, wallet, kind, count, amount FROM open_period_totals').all();

/**
 * The open period's sums of its latest `latestDays` days with money or unpaid ends, and of the
 * days in `alsoDays`, found through the day index; `firstListed` is the first of those latest days.
 */
export function openPeriodRecentSums(db: LedgerDatabase, latestDays: number, alsoDays: readonly string[] = []): { readonly sums: MoneySum[]; readonly firstListed: string | null } {
  const first = db
    .prepare<[number], { day: string | null }>('SELECT MIN(day) AS day FROM (SELECT DISTINCT day FROM open_period_sums ORDER BY day DESC LIMIT ?)')
    .get(latestDays)?.day ?? null;
  if (first === null) return { sums: [], firstListed: null };
  const byDay = db.prepare<[string], MoneySum>(`${OPEN_PERIOD_SUMS} WHERE day = ?`);
  const recent = db.prepare<[string], MoneySum>(`${OPEN_PERIOD_SUMS} WHERE day >= ?`).all(first);
  const older = [...new Set(alsoDays)].filter((day) => day < first).flatMap((day) => byDay.all(day));
  return { sums: [...older, ...recent], firstListed: first };
}

/** A payment that became paid, or a refund that succeeded: the events a report adds up. */
export interface MoneyEvent {
  readonly id: number;
  readonly at: number;
  readonly kind: 'payment' | 'refund';
  readonly environment: string;
  readonly wallet: WalletId;
  readonly amount: number;
}

const MONEY_EVENTS = (where: string) => `
  SELECT t.id, t.at, 'payment' AS kind, o.environment, o.wallet, o.amount
    FROM transitions t JOIN orders o ON o.id = t.order_id WHERE ${where} AND ${MONEY_IN} AND ${NOT_IN_A_DAY_REPORT('o.created_at')}
  UNION ALL
  SELECT t.id, t.at, 'refund' AS kind, o.environment, o.wallet, r.amount
    FROM transitions t JOIN refunds r ON r.id = t.refund_id JOIN orders o ON o.id = r.order_id
    WHERE ${where} AND t.to_state = 'succeeded' AND ${NOT_IN_A_DAY_REPORT('r.created_at')}
  ORDER BY 1`;

/** The money events one by one, of the history rows stamped in [start, end). */
export const moneyEventsBetween = (db: LedgerDatabase, start: number, end: number): MoneyEvent[] =>
  db.prepare<[number, number, number, number], MoneyEvent>(MONEY_EVENTS('t.at >= ? AND t.at < ?')).all(start, end, start, end);

/** One slot's money of one environment: payments that became paid in it (and their sum), and the sum refunded in it. */
export interface MoneySlot {
  /** Which slot of `size` ms from `start`: 0, 1, ... */
  readonly slot: number;
  readonly payments: number;
  readonly amount: number;
  readonly refunds: number;
}

// The money events of MONEY_EVENTS (the one rule: the money's first paid state, a refund's
// success, none a day report of ledger schema 1 counted), summed by the slot of `size` ms from
// `start` their history row falls in. The parameters come bound as REAL: cast, so that the
// division is an integer one.
const SLOTS = `
  SELECT (at - CAST(@start AS INTEGER)) / CAST(@size AS INTEGER) AS slot, SUM(kind = 'payment') AS payments,
         SUM(CASE kind WHEN 'payment' THEN amount ELSE 0 END) AS amount, SUM(CASE kind WHEN 'refund' THEN amount ELSE 0 END) AS refunds
    FROM (${MONEY_EVENTS('t.at >= @start AND t.at < @end AND o.environment = @environment')})
   GROUP BY slot ORDER BY slot`;

/** One environment's money of [start, end) in slots of `size` ms from `start` (an hour, a day): only the slots that have some. */
export const moneySlotsBetween = (db: LedgerDatabase, window: { start: number; end: number; size: number; environment: string }): MoneySlot[] =>
  db.prepare<typeof window, MoneySlot>(SLOTS).all(window);

/**
 * Whether a day report of ledger schema 1 counted a money history row (never, on a ledger that
 * had none): such rows belong to no period.
 */
export function legacyReportedTransition(db: LedgerDatabase): (transitionId: number) => boolean {
  if (!db.prepare('SELECT 1 FROM z_reports LIMIT 1').get()) return () => false;
  const counted = db.prepare<[number, number], { one: number }>(
    `SELECT 1 AS one FROM transitions t JOIN orders o ON o.id = t.order_id WHERE t.id = ? AND ${MONEY_IN} AND ${IN_A_DAY_REPORT('o.created_at')}
     UNION ALL
     SELECT 1 FROM transitions t JOIN refunds r ON r.id = t.refund_id WHERE t.id = ? AND t.to_state = 'succeeded' AND ${IN_A_DAY_REPORT('r.created_at')}`,
  );
  return (transitionId) => counted.get(transitionId, transitionId) !== undefined;
}
