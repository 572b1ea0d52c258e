import { PAID_STATES, ACTIVE_PAYMENT_STATES } from '../../../shared/ledger/lifecycle';
import { TRAINING_ENVIRONMENTS, type EnvironmentTotals, type WalletTotals } from '../../../shared/ledger/reportTypes';
import { WALLETS, type WalletId } from '../../../shared/wallets';
import type { SqliteDatabase } from '../sqlite/openSqlite';

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

const list = (states: readonly string[]) => states.map((state) => `'${state}'`).join(', ');
const PAID = list(PAID_STATES);

/** A Hong Kong day of an epoch-millisecond column: UTC+8 all year since 1980 (shared/hkTime.ts). */
export const hongKongDayOf = (column: string) => `date(${column} / 1000 + 28800, 'unixepoch')`;

// The first entry of an order into a paid state is its money coming in; paid_late -> paid is a decision, not money.
export const MONEY_IN = `t.to_state IN (${PAID}) AND (t.from_state IS NULL OR t.from_state NOT IN (${PAID}))`;

/**
 * Ledger schema 1 closed calendar days: each day report counted the payments and refunds made on
 * that day that had their money by the time it was closed. Those events were reported then, and
 * are left out of every period.
 */
export const NOT_IN_A_DAY_REPORT = (createdAt: string) => `NOT EXISTS (SELECT 1 FROM z_reports z WHERE z.day = ${hongKongDayOf(createdAt)} AND t.at <= z.closed_at)`;

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
     WHERE ${where} AND t.to_state IN ('failed', 'expired', 'cancelled') AND t.from_state IN (${list(ACTIVE_PAYMENT_STATES)})
  ) GROUP BY environment, wallet, kind, day`;

/** The money of the history rows after `after` up to `upto`: a period. */
export const sumsBetweenIds = (db: SqliteDatabase, after: number, upto: number): MoneySum[] =>
  db.prepare<{ after: number; upto: number }, MoneySum>(SUMS('t.id > @after AND t.id <= @upto')).all({ after, upto });

/** The money of the history rows stamped in [start, end): a day. */
export const sumsBetweenTimes = (db: SqliteDatabase, start: number, end: number): MoneySum[] =>
  db.prepare<{ start: number; end: number }, MoneySum>(SUMS('t.at >= @start AND t.at < @end')).all({ start, end });

/** The open period's money, as the ledger keeps it summed (migration 5). */
const OPEN_PERIOD_SUMS = 'SELECT environment, wallet, kind, day, count, amount FROM open_period_sums';
export const openPeriodSums = (db: SqliteDatabase): MoneySum[] => db.prepare<[], MoneySum>(OPEN_PERIOD_SUMS).all();

/** Money of one environment, wallet and kind over a whole period. */
export type KindSum = Omit<MoneySum, 'day'>;

/** The open period's totals, as the ledger keeps them (migration 6): a few rows however long the period. */
export const openPeriodTotals = (db: SqliteDatabase): KindSum[] => db.prepare<[], KindSum>('SELECT environment, wallet, kind, count, amount FROM open_period_totals').all();

/**
 * How many of its latest days an X report lists one by one; the days before are one sum. A week:
 * an X is a glance at the open period (a line of a month's days read as noise on the screen and
 * the slip), and its cost stays the same whether the last close was a day or years ago.
 */
export const X_REPORT_DAYS = 7;

/**
 * The open period's sums of its latest `X_REPORT_DAYS` days with money or unpaid ends, and of the
 * days in `alsoDays` (the day a screen shows), found through the day index: what an X report lists.
 */
export function openPeriodRecentSums(db: SqliteDatabase, alsoDays: readonly string[] = []): { readonly sums: MoneySum[]; readonly firstListed: string | null } {
  const first = db
    .prepare<[number], { day: string | null }>('SELECT MIN(day) AS day FROM (SELECT DISTINCT day FROM open_period_sums ORDER BY day DESC LIMIT ?)')
    .get(X_REPORT_DAYS)?.day ?? null;
  if (first === null) return { sums: [], firstListed: null };
  const byDay = db.prepare<[string], MoneySum>(`${OPEN_PERIOD_SUMS} WHERE day = ?`);
  const recent = db.prepare<[string], MoneySum>(`${OPEN_PERIOD_SUMS} WHERE day >= ?`).all(first);
  const older = [...new Set(alsoDays)].filter((day) => day < first).flatMap((day) => byDay.all(day));
  return { sums: [...older, ...recent], firstListed: first };
}

/** Orders that ended unpaid (failed, expired, cancelled) among the sums. */
export const notPaidOf = (sums: readonly KindSum[]): number => sums.reduce((total, sum) => total + (sum.kind === 'not_paid' ? sum.count : 0), 0);

/** Totals per environment and wallet, with each day's net; environments are never summed together. */
export const totalsOfSums = (sums: readonly MoneySum[]): EnvironmentTotals[] => environmentTotals(sums, sums, null);

/**
 * Totals per environment and wallet from `totals` (sums of any grain), with the net of each day
 * in `days`; when `listedFrom` is given the days are only some of the period's, and what the
 * others add up to (before that day, but for any listed earlier) is given as one sum.
 */
export function environmentTotals(totals: readonly KindSum[], days: readonly MoneySum[], listedFrom: string | null): EnvironmentTotals[] {
  const money = totals.filter((sum) => sum.kind !== 'not_paid');
  const environments = [...new Set(money.map((sum) => sum.environment))].sort((a, b) => Number(TRAINING_ENVIRONMENTS.includes(a)) - Number(TRAINING_ENVIRONMENTS.includes(b)) || a.localeCompare(b));
  return environments.map((environment) => {
    const own = money.filter((sum) => sum.environment === environment);
    const wallets = WALLETS.map((wallet): WalletTotals => {
      const add = (kind: MoneySum['kind']) =>
        own.filter((sum) => sum.wallet === wallet.id && sum.kind === kind).reduce((total, sum) => ({ count: total.count + sum.count, amount: total.amount + sum.amount }), { count: 0, amount: 0 });
      const payments = add('payment');
      const refunds = add('refund');
      return { wallet: wallet.id, payments, refunds, net: payments.amount - refunds.amount };
    });
    const total = (pick: (totals: WalletTotals) => number) => wallets.reduce((sum, wallet) => sum + pick(wallet), 0);
    const nets = new Map<string, number>();
    let events = 0;
    for (const sum of days) {
      if (sum.environment !== environment || sum.kind === 'not_paid') continue;
      nets.set(sum.day, (nets.get(sum.day) ?? 0) + (sum.kind === 'payment' ? sum.amount : -sum.amount));
      events += sum.count;
    }
    const net = total((w) => w.net);
    const listedNet = [...nets.values()].reduce((sum, value) => sum + value, 0);
    const unlisted = total((w) => w.payments.count + w.refunds.count) - events;
    return {
      environment,
      training: TRAINING_ENVIRONMENTS.includes(environment),
      wallets,
      totals: {
        payments: { count: total((w) => w.payments.count), amount: total((w) => w.payments.amount) },
        refunds: { count: total((w) => w.refunds.count), amount: total((w) => w.refunds.amount) },
        net,
      },
      days: [...nets].sort(([a], [b]) => a.localeCompare(b)).map(([day, dayNet]) => ({ day, net: dayNet })),
      ...(listedFrom !== null && unlisted > 0 ? { earlierDays: { before: listedFrom, net: net - listedNet } } : {}),
    };
  });
}
