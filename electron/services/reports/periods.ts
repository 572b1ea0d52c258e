import { hongKongDay, hongKongDayRange } from '../../../shared/hkTime';
import { ACTIVE_PAYMENT_STATES, PAID_STATES } from '../../../shared/ledger/lifecycle';
import {
  blockingCount,
  TRAINING_ENVIRONMENTS,
  type EnvironmentTotals,
  type PeriodReport,
  type ReconciliationNote,
  type Unresolved,
  type WalletTotals,
} from '../../../shared/ledger/reportTypes';
import { WALLETS, type WalletId } from '../../../shared/wallets';
import { chainHeadAt, checkLedgerChain } from '../ledger/chain';
import { ledgerIdOf } from '../ledger/database';
import type { LedgerStore, OrderRecord } from '../ledger/ledgerStore';

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

const PAID = PAID_STATES.map((state) => `'${state}'`).join(', ');
const ACTIVE = ACTIVE_PAYMENT_STATES.map((state) => `'${state}'`).join(', ');

// The first entry of an order into a paid state is its money coming in; paid_late -> paid is a decision, not money.
const MONEY_IN = `t.to_state IN (${PAID}) AND (t.from_state IS NULL OR t.from_state NOT IN (${PAID}))`;
/**
 * Ledger schema 1 closed calendar days: each day report counted the payments and refunds made on
 * that day that had their money by the time it was closed. Those events were reported then, and
 * are left out of every period. (Hong Kong is UTC+8 all year: its day of an instant is plain
 * arithmetic here.)
 */
const NOT_IN_A_DAY_REPORT = (createdAt: string) =>
  `NOT EXISTS (SELECT 1 FROM z_reports z WHERE z.day = date(${createdAt} / 1000 + 28800, 'unixepoch') AND t.at <= z.closed_at)`;

const MONEY_EVENTS = (where: string) => `
  SELECT t.id, t.at, 'payment' AS kind, o.environment, o.wallet, o.amount
    FROM transitions t JOIN orders o ON o.id = t.order_id WHERE ${where} AND ${MONEY_IN} AND ${NOT_IN_A_DAY_REPORT('o.created_at')}
  UNION ALL
  SELECT t.id, t.at, 'refund' AS kind, o.environment, o.wallet, r.amount
    FROM transitions t JOIN refunds r ON r.id = t.refund_id JOIN orders o ON o.id = r.order_id
    WHERE ${where} AND t.to_state = 'succeeded' AND ${NOT_IN_A_DAY_REPORT('r.created_at')}
  ORDER BY 1`;

export function moneyEventsBetweenIds(store: LedgerStore, after: number, upto: number): MoneyEvent[] {
  return store.db.prepare<[number, number, number, number], MoneyEvent>(MONEY_EVENTS('t.id > ? AND t.id <= ?')).all(after, upto, after, upto);
}

export function moneyEventsBetweenTimes(store: LedgerStore, start: number, end: number): MoneyEvent[] {
  return store.db.prepare<[number, number, number, number], MoneyEvent>(MONEY_EVENTS('t.at >= ? AND t.at < ?')).all(start, end, start, end);
}

/** Totals per environment and wallet; environments are never summed together. */
export function totalsByEnvironment(events: readonly MoneyEvent[]): EnvironmentTotals[] {
  const environments = [...new Set(events.map((event) => event.environment))].sort((a, b) => Number(TRAINING_ENVIRONMENTS.includes(a)) - Number(TRAINING_ENVIRONMENTS.includes(b)) || a.localeCompare(b));
  return environments.map((environment) => {
    const own = events.filter((event) => event.environment === environment);
    const wallets = WALLETS.map((wallet): WalletTotals => {
      const payments = own.filter((event) => event.wallet === wallet.id && event.kind === 'payment');
      const refunds = own.filter((event) => event.wallet === wallet.id && event.kind === 'refund');
      const paid = payments.reduce((sum, event) => sum + event.amount, 0);
      const refunded = refunds.reduce((sum, event) => sum + event.amount, 0);
      return { wallet: wallet.id, payments: { count: payments.length, amount: paid }, refunds: { count: refunds.length, amount: refunded }, net: paid - refunded };
    });
    const sum = (pick: (totals: WalletTotals) => number) => wallets.reduce((total, wallet) => total + pick(wallet), 0);
    const days = new Map<string, number>();
    for (const event of own) {
      const day = hongKongDay(event.at);
      days.set(day, (days.get(day) ?? 0) + (event.kind === 'payment' ? event.amount : -event.amount));
    }
    return {
      environment,
      training: TRAINING_ENVIRONMENTS.includes(environment),
      wallets,
      totals: {
        payments: { count: sum((w) => w.payments.count), amount: sum((w) => w.payments.amount) },
        refunds: { count: sum((w) => w.refunds.count), amount: sum((w) => w.refunds.amount) },
        net: sum((w) => w.net),
      },
      days: [...days].sort(([a], [b]) => a.localeCompare(b)).map(([day, net]) => ({ day, net })),
    };
  });
}

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

function notPaidCount(store: LedgerStore, after: number, upto: number): number {
  return (
    store.db
      .prepare<[number, number], { count: number }>(
        `SELECT COUNT(DISTINCT order_id) AS count FROM transitions WHERE id > ? AND id <= ? AND order_id IS NOT NULL
         AND to_state IN ('failed', 'expired', 'cancelled') AND from_state IN (${ACTIVE})`,
      )
      .get(after, upto)?.count ?? 0
  );
}

export interface ReportOptions {
  readonly tillId: string;
  readonly now: number;
  readonly isMine: (order: OrderRecord) => boolean;
  readonly reconciliation?: readonly ReconciliationNote[];
}

/** The X report: the open period, up to now. Nothing is stored. */
export function xReport(store: LedgerStore, options: ReportOptions): PeriodReport {
  const period = openPeriod(store, options.now);
  const upto = store.lastTransitionId();
  return {
    kind: 'X',
    number: period.number,
    tillId: options.tillId,
    currency: 'HKD',
    openedAt: period.openedAt,
    closedAt: null,
    generatedAt: options.now,
    environments: totalsByEnvironment(moneyEventsBetweenIds(store, period.afterTransition, upto)),
    notPaid: notPaidCount(store, period.afterTransition, upto),
    unresolved: unresolvedItems(store, options.isMine),
    reconciliation: options.reconciliation ?? [],
    ...periodBooks(store, period.afterTransition, upto),
  };
}

/** The period's history against its chain, and the head it ends on. */
function periodBooks(store: LedgerStore, after: number, upto: number): Pick<PeriodReport, 'books' | 'chainHead'> {
  const ledgerId = ledgerIdOf(store.db);
  return { books: checkLedgerChain(store.db, ledgerId, after, upto), chainHead: chainHeadAt(store.db, ledgerId, upto) };
}

/**
 * Closes the open period: refused while anything of this till's is unresolved; otherwise the
 * report is numbered and stored in the same transaction that reads it. A close is always now:
 * there is no closing of a day that has not happened yet.
 */
export function closePeriod(store: LedgerStore, options: ReportOptions): PeriodReport {
  return store.db
    .transaction((): PeriodReport => {
      const unresolved = unresolvedItems(store, options.isMine);
      if (blockingCount(unresolved) > 0) throw new PeriodNotClosable(unresolved);
      const period = openPeriod(store, options.now);
      const upto = store.lastTransitionId();
      const report: PeriodReport = { ...xReport(store, options), kind: 'Z', closedAt: options.now, unresolved };
      store.db
        .prepare('INSERT INTO z_periods (number, till_id, opened_at, closed_at, after_transition, last_transition, report, chain_head) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(report.number, options.tillId, period.openedAt, Math.max(options.now, period.openedAt), period.afterTransition, upto, JSON.stringify(report), report.chainHead ?? null);
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
 */
export function periodsTouching(store: LedgerStore, day: string): PeriodReport[] {
  const { start, end } = hongKongDayRange(day);
  return store.db
    .prepare<[number, number, string], { report: string }>(
      `SELECT report FROM z_periods z WHERE (z.opened_at < ? AND z.closed_at >= ?)
         OR EXISTS (SELECT 1 FROM json_each(z.report, '$.environments') e, json_each(e.value, '$.days') d WHERE json_extract(d.value, '$.day') = ?)
       ORDER BY number`,
    )
    .all(end, start, day)
    .map((row) => JSON.parse(row.report) as PeriodReport);
}

export function latestPeriods(store: LedgerStore, limit: number): PeriodReport[] {
  return store.db
    .prepare<[number], { report: string }>('SELECT report FROM z_periods ORDER BY number DESC LIMIT ?')
    .all(limit)
    .map((row) => JSON.parse(row.report) as PeriodReport);
}

/** Which period a history row falls in: a closed Z number, the open one, or 0 for a day report of ledger schema 1. */
export function periodLocator(store: Pick<LedgerStore, 'db'>, now: number): (transitionId: number) => { readonly number: number; readonly open: boolean } {
  const closed = store.db.prepare<[], { number: number; last_transition: number }>('SELECT number, last_transition FROM z_periods ORDER BY number').all();
  const open = openPeriod(store, now);
  const inDayReports = legacyReportedTransitions(store);
  return (transitionId) => {
    if (inDayReports.has(transitionId)) return { number: 0, open: false };
    if (transitionId > open.afterTransition) return { number: open.number, open: true };
    let low = 0;
    let high = closed.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((closed[middle] as { last_transition: number }).last_transition >= transitionId) high = middle;
      else low = middle + 1;
    }
    return { number: closed[low]?.number ?? 0, open: false };
  };
}

/** The money history rows that a day report of ledger schema 1 counted (none on a ledger that never had one). */
function legacyReportedTransitions(store: Pick<LedgerStore, 'db'>): ReadonlySet<number> {
  const { db } = store;
  if (!db.prepare('SELECT 1 FROM z_reports LIMIT 1').get()) return new Set();
  const reported = (createdAt: string) => NOT_IN_A_DAY_REPORT(createdAt).replace(/^NOT /, '');
  const rows = db
    .prepare<[], { id: number }>(
      `SELECT t.id FROM transitions t JOIN orders o ON o.id = t.order_id WHERE ${MONEY_IN} AND ${reported('o.created_at')}
       UNION ALL
       SELECT t.id FROM transitions t JOIN refunds r ON r.id = t.refund_id WHERE t.to_state = 'succeeded' AND ${reported('r.created_at')}`,
    )
    .all();
  return new Set(rows.map((row) => row.id));
}
