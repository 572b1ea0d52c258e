import { hongKongDay, hongKongDayRange } from '../../../shared/hkTime';
import type { BooksCheck } from '../../../shared/ledger/chain';
import { blockingCount, type EnvironmentTotals, type PeriodReport, type ReconciliationNote, type Unresolved } from '../../../shared/ledger/reportTypes';
import { checkSinceVerified, markVerified } from '../ledger/booksVerified';
import { chainHeadAt, checkLedgerChain } from '../ledger/chain';
import { ledgerIdOf } from '../ledger/database';
import type { LedgerStore, OrderRecord } from '../ledger/ledgerStore';
import { legacyReportedTransition, moneyEventsBetween, openPeriodRecentSums, openPeriodTotals, sumsBetweenIds, sumsBetweenTimes, type MoneyEvent, type MoneySum } from '../ledger/queries/periodSums';
import { closedPeriodHolding, firstTransitionAt, latestDayReportNumber, latestZPeriod, storeZPeriod, zPeriodReport, zPeriodReportsTouching, type ZPeriodRow } from '../ledger/queries/zPeriods';
import { environmentTotals, notPaidOf, totalsOfSums, X_REPORT_DAYS } from './periodSums';

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

/** The money that became final in [start, end), event by event. */
export const moneyEventsBetweenTimes = (store: Pick<LedgerStore, 'db'>, start: number, end: number): MoneyEvent[] => moneyEventsBetween(store.db, start, end);

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
  const last = latestZPeriod(db);
  // Numbered on from the day reports of ledger schema 1, if any.
  const number = Math.max(last?.number ?? 0, latestDayReportNumber(db) ?? 0) + 1;
  if (last) return { number, afterTransition: last.last_transition, openedAt: last.closed_at };
  return { number, afterTransition: 0, openedAt: firstTransitionAt(db) ?? now };
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
  const recent = openPeriodRecentSums(store.db, X_REPORT_DAYS, options.alsoDays);
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
      storeZPeriod(store.db, {
        number: report.number,
        tillId: options.tillId,
        openedAt: period.openedAt,
        closedAt: Math.max(options.now, period.openedAt),
        afterTransition: period.afterTransition,
        lastTransition: upto,
        report,
        chainHead: report.chainHead ?? null,
      });
      markVerified(store.db, ledgerId, upto, books);
      return report;
    })
    .immediate();
}

export const closedPeriod = (store: Pick<LedgerStore, 'db'>, number: number): PeriodReport | undefined => zPeriodReport(store.db, number);

/**
 * The Z reports that touch a Hong Kong business day, oldest first: those whose time span overlaps
 * it, and those holding money of that day. The second matters when a history row was stamped by a
 * clock a moment off (another process's, or one moved back): its day's share is in that report.
 * Periods are contiguous in time and in history rows, so both kinds lie between the first period
 * reaching the day (or its first history row) and the last one starting before its end (or
 * holding its last row): only those few are read, found through migration 5's indexes.
 */
export function periodsTouching(store: Pick<LedgerStore, 'db'>, day: string): PeriodReport[] {
  return zPeriodReportsTouching(store.db, { ...hongKongDayRange(day), day });
}

/**
 * Which period a history row falls in: a closed Z number, the open one, or 0 for a day report of
 * ledger schema 1. Each row is looked up on its own through an index, so the cost is the rows
 * asked about, not the closed periods or the history.
 */
export function periodLocator(store: Pick<LedgerStore, 'db'>, now: number): (transitionId: number) => { readonly number: number; readonly open: boolean } {
  const { db } = store;
  const open = openPeriod(store, now);
  const closing = closedPeriodHolding(db);
  const inDayReport = legacyReportedTransition(db);
  // Rows come mostly in order (a day's, an export's): the period found last usually holds the next.
  let last: ZPeriodRow | undefined;
  return (transitionId) => {
    if (inDayReport(transitionId)) return { number: 0, open: false };
    if (transitionId > open.afterTransition) return { number: open.number, open: true };
    if (!last || transitionId <= last.after_transition || transitionId > last.last_transition) last = closing(transitionId);
    return { number: last?.number ?? 0, open: false };
  };
}
