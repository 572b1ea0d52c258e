import { hongKongDay, hongKongDayRange } from '../../../shared/hkTime';
import type { BooksCheck } from '../../../shared/ledger/chain';
import { blockingCount, type EnvironmentTotals, type PeriodReport, type ReconciliationNote, type Unresolved } from '../../../shared/ledger/reportTypes';
import type { WalletId } from '../../../shared/wallets';
import { checkSinceVerified, markVerified } from '../ledger/booksVerified';
import { chainHeadAt, checkLedgerChain } from '../ledger/chain';
import { ledgerIdOf } from '../ledger/database';
import type { LedgerStore, OrderRecord } from '../ledger/ledgerStore';
import { environmentTotals, MONEY_IN, NOT_IN_A_DAY_REPORT, notPaidOf, openPeriodRecentSums, openPeriodTotals, sumsBetweenIds, sumsBetweenTimes, totalsOfSums, type MoneySum } from './periodSums';

/**
 * X and Z reports as periods, as real tills keep them. A Z report covers every payment and
 * refund that became final after the previous close's last history row, up to this close's; it
 * is numbered, stored, and never changes (the database refuses). An X report shows the open
 * period without closing it. Periods are bounded by history row ids, not clocks, so a clock
 * moved back or forth cannot put a sale in two reports or in none.
 */

export { blockingCount };
export type { PeriodReport, Unresolved };

export class PeriodNotClosable extends Error {
  constructor(readonly unresolved: Unresolved) {
    super(
      `the period has ${unresolved.orders} open orders, ${unresolved.latePayments} late payments to decide, ${unresolved.refunds} open refunds and ${unresolved.beforeManager} items before a manager`,
    );
    this.name = 'PeriodNotClosable';
  }
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

export function moneyEventsBetweenTimes(store: LedgerStore, start: number, end: number): MoneyEvent[] {
  return store.db.prepare<[number, number, number, number], MoneyEvent>(MONEY_EVENTS('t.at >= ? AND t.at < ?')).all(start, end, start, end);
}

/** Money events one by one (the head office adds up its copies of them the same way: storeReport.ts). */
export function totalsByEnvironment(events: readonly MoneyEvent[]): EnvironmentTotals[] {
  return totalsOfSums(events.map((event): MoneySum => ({ environment: event.environment, wallet: event.wallet, kind: event.kind, day: hongKongDay(event.at), count: 1, amount: event.amount })));
}

/** The money that became final in a span of time (a Hong Kong day), from sums over the `at` index. */
export const totalsBetweenTimes = (store: Pick<LedgerStore, 'db'>, start: number, end: number): EnvironmentTotals[] => totalsOfSums(sumsBetweenTimes(store.db, start, end));

/** What is open now. Items of another gateway are counted apart: they cannot be resolved from here. */
export function unresolvedItems(store: LedgerStore, isMine: (order: OrderRecord) => boolean): Unresolved {
  const counts = { orders: 0, latePayments: 0, refunds: 0, beforeManager: 0, otherGateway: 0 };
  const seen = new Set<number>();
  for (const order of [...store.flaggedOrders(), ...store.activeOrders(), ...store.paidLateOrders()]) {
    if (seen.has(order.id)) continue;
    seen.add(order.id);
    if (!isMine(order)) counts.otherGateway += 1;
    else if (order.attention !== null) counts.beforeManager += 1;
    else if (order.state === 'paid_late') counts.latePayments += 1;
    else counts.orders += 1;
  }
  const seenRefunds = new Set<number>();
  for (const refund of [...store.flaggedRefunds(), ...store.activeRefunds()]) {
    if (seenRefunds.has(refund.id)) continue;
    seenRefunds.add(refund.id);
    if (!isMine(store.order(refund.orderId))) counts.otherGateway += 1;
    else if (refund.attention !== null) counts.beforeManager += 1;
    else counts.refunds += 1;
  }
  return counts;
}

interface OpenPeriod {
  readonly number: number;
  readonly afterTransition: number;
  readonly openedAt: number;
}

/** Where the open period starts: after the last Z period's last history row, or at the ledger's beginning. */
export function openPeriod(store: Pick<LedgerStore, 'db'>, now: number): OpenPeriod {
  const { db } = store;
  const last = db.prepare<[], { number: number; last_transition: number; closed_at: number }>('SELECT number, last_transition, closed_at FROM z_periods ORDER BY number DESC LIMIT 1').get();
  // Numbered on from the day reports of ledger schema 1, if any.
  const legacy = db.prepare<[], { number: number | null }>('SELECT MAX(number) AS number FROM z_reports').get();
  const number = Math.max(last?.number ?? 0, legacy?.number ?? 0) + 1;
  if (last) return { number, afterTransition: last.last_transition, openedAt: last.closed_at };
  const first = db.prepare<[], { at: number | null }>('SELECT MIN(at) AS at FROM transitions').get();
  return { number, afterTransition: 0, openedAt: first?.at ?? now };
}

export interface ReportOptions {
  readonly tillId: string;
  readonly now: number;
  readonly isMine: (order: OrderRecord) => boolean;
  readonly reconciliation?: readonly ReconciliationNote[];
}

/**
 * The X report: the open period, up to now, from the totals and day sums the ledger keeps of it,
 * so it reads the same few rows however long since the last close. Nothing is stored. It lists
 * the period's latest days one by one, and `alsoDays` (the day a screen shows) wherever they fall.
 */
export function xReport(store: LedgerStore, options: ReportOptions & { readonly alsoDays?: readonly string[] }): PeriodReport {
  const period = openPeriod(store, options.now);
  const upto = store.lastTransitionId();
  const ledgerId = ledgerIdOf(store.db);
  const totals = openPeriodTotals(store.db);
  const recent = openPeriodRecentSums(store.db, options.alsoDays);
  const money = { environments: environmentTotals(totals, recent.sums, recent.firstListed), notPaid: notPaidOf(totals) };
  return periodReport(store, options, period, money, checkSinceVerified(store.db, ledgerId, period.afterTransition, upto), upto);
}

function periodReport(store: LedgerStore, options: ReportOptions, period: OpenPeriod, money: Pick<PeriodReport, 'environments' | 'notPaid'>, books: BooksCheck, upto: number): PeriodReport {
  return {
    kind: 'X',
    number: period.number,
    tillId: options.tillId,
    currency: 'HKD',
    openedAt: period.openedAt,
    closedAt: null,
    generatedAt: options.now,
    ...money,
    unresolved: unresolvedItems(store, options.isMine),
    reconciliation: options.reconciliation ?? [],
    books,
    chainHead: chainHeadAt(store.db, ledgerIdOf(store.db), upto),
  };
}

/**
 * Closes the open period: refused while anything of this till's is unresolved; otherwise the
 * report is numbered and stored in the same transaction that reads it. A close is always now:
 * there is no closing of a day that has not happened yet. The Z is made from the history rows
 * themselves, and checks the whole period's chain: a close is where the full checks belong.
 */
export function closePeriod(store: LedgerStore, options: ReportOptions): PeriodReport {
  return store.db
    .transaction((): PeriodReport => {
      const unresolved = unresolvedItems(store, options.isMine);
      if (blockingCount(unresolved) > 0) throw new PeriodNotClosable(unresolved);
      const period = openPeriod(store, options.now);
      const upto = store.lastTransitionId();
      const ledgerId = ledgerIdOf(store.db);
      const books = checkLedgerChain(store.db, ledgerId, period.afterTransition, upto);
      const sums = sumsBetweenIds(store.db, period.afterTransition, upto);
      const report: PeriodReport = { ...periodReport(store, options, period, { environments: totalsOfSums(sums), notPaid: notPaidOf(sums) }, books, upto), kind: 'Z', closedAt: options.now, unresolved };
      store.db
        .prepare('INSERT INTO z_periods (number, till_id, opened_at, closed_at, after_transition, last_transition, report, chain_head) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(report.number, options.tillId, period.openedAt, Math.max(options.now, period.openedAt), period.afterTransition, upto, JSON.stringify(report), report.chainHead ?? null);
      // The next period starts with nothing summed.
      store.db.exec('DELETE FROM open_period_sums');
      markVerified(store.db, ledgerId, upto, books);
      return report;
    })
    .immediate();
}

export function closedPeriod(store: LedgerStore, number: number): PeriodReport | undefined {
  const row = store.db.prepare<[number], { report: string }>('SELECT report FROM z_periods WHERE number = ?').get(number);
  return row ? (JSON.parse(row.report) as PeriodReport) : undefined;
}

/**
 * The Z reports that touch a Hong Kong business day, oldest first: those whose time span overlaps
 * it, and those holding money of that day. The second matters when a history row was stamped by a
 * clock a moment off (another process's, or one moved back): its day's share is in that report.
 * Periods are contiguous in time and in history rows, so both kinds lie between the first period
 * reaching the day (or its first history row) and the last one starting before its end (or
 * holding its last row): only those few are read, found through migration 5's indexes.
 */
export function periodsTouching(store: Pick<LedgerStore, 'db'>, day: string): PeriodReport[] {
  const { start, end } = hongKongDayRange(day);
  return store.db
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
    .all({ start, end, day })
    .map((row) => JSON.parse(row.report) as PeriodReport);
}

/**
 * Which period a history row falls in: a closed Z number, the open one, or 0 for a day report of
 * ledger schema 1. Each row is looked up on its own through an index, so the cost is the rows
 * asked about, not the closed periods or the history.
 */
export function periodLocator(store: Pick<LedgerStore, 'db'>, now: number): (transitionId: number) => { readonly number: number; readonly open: boolean } {
  const { db } = store;
  const open = openPeriod(store, now);
  const closing = db.prepare<[number], { number: number; after_transition: number; last_transition: number }>(
    'SELECT number, after_transition, last_transition FROM z_periods WHERE last_transition >= ? ORDER BY last_transition LIMIT 1',
  );
  const inDayReport = legacyReportedTransition(store);
  // Rows come mostly in order (a day's, an export's): the period found last usually holds the next.
  let last: { number: number; after_transition: number; last_transition: number } | undefined;
  return (transitionId) => {
    if (inDayReport(transitionId)) return { number: 0, open: false };
    if (transitionId > open.afterTransition) return { number: open.number, open: true };
    if (!last || transitionId <= last.after_transition || transitionId > last.last_transition) last = closing.get(transitionId);
    return { number: last?.number ?? 0, open: false };
  };
}

/** Whether a day report of ledger schema 1 counted a money history row (never, on a ledger that had none). */
function legacyReportedTransition(store: Pick<LedgerStore, 'db'>): (transitionId: number) => boolean {
  const { db } = store;
  if (!db.prepare('SELECT 1 FROM z_reports LIMIT 1').get()) return () => false;
  const reported = (createdAt: string) => NOT_IN_A_DAY_REPORT(createdAt).replace(/^NOT /, '');
  const counted = db.prepare<[number, number], { one: number }>(
    `SELECT 1 AS one FROM transitions t JOIN orders o ON o.id = t.order_id WHERE t.id = ? AND ${MONEY_IN} AND ${reported('o.created_at')}
     UNION ALL
     SELECT 1 FROM transitions t JOIN refunds r ON r.id = t.refund_id WHERE t.id = ? AND t.to_state = 'succeeded' AND ${reported('r.created_at')}`,
  );
  return (transitionId) => counted.get(transitionId, transitionId) !== undefined;
}
