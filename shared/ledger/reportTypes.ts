import type { WalletId } from '../wallets';
import type { BooksCheck } from './chain';

/**
 * The X and Z reports as data, shared by the report builder, the CLI and the manager's screen.
 *
 * A report covers a period, not a calendar day: everything that became final after the previous
 * close, up to this close (a Z) or up to now (an X, which closes nothing). A payment counts in
 * the period in which it was paid, a refund in the period in which it succeeded, whichever day
 * the order was made. Money of different environments is never added together: training (demo,
 * sandbox, test) and real money (production, custom) each have their own totals.
 */
export interface WalletTotals {
  readonly wallet: WalletId;
  readonly payments: { readonly count: number; readonly amount: number };
  readonly refunds: { readonly count: number; readonly amount: number };
  readonly net: number;
}

export interface EnvironmentTotals {
  readonly environment: string;
  /** Training money (demo, sandbox, test): shown apart from real takings, never added to them. */
  readonly training: boolean;
  readonly wallets: readonly WalletTotals[];
  readonly totals: Omit<WalletTotals, 'wallet'>;
  /** The net of each Hong Kong business day the period touches: the Z nets of a day add up to its export. */
  readonly days: readonly { readonly day: string; readonly net: number }[];
  /**
   * An X report lists only the open period's latest days (and the day a screen asks about): the
   * net of the days before `before` that it does not list, when there are any. A Z lists every day.
   */
  readonly earlierDays?: { readonly before: string; readonly net: number };
}

/** One entry of a report's "by day" line: a day's net, or (`before`) what the unlisted days before it add up to. */
export interface ByDayEntry {
  readonly day: string;
  readonly net: number;
  readonly before: boolean;
}

/** The "by day" line of an environment, in order: the days before the listed ones as one (an X report), then each listed day. */
export function byDayEntries(totals: EnvironmentTotals): ByDayEntry[] {
  const earlier = totals.earlierDays ? [{ day: totals.earlierDays.before, net: totals.earlierDays.net, before: true }] : [];
  return [...earlier, ...totals.days.map((day) => ({ day: day.day, net: day.net, before: false }))];
}

/** What is still open, and so blocks a close (except items of another gateway, which are stated). */
export interface Unresolved {
  /** Orders still waiting for QFPay's answer. */
  readonly orders: number;
  /** Paid after cancel or expiry: a manager keeps or refunds them. */
  readonly latePayments: number;
  readonly refunds: number;
  /** Orders and refunds QFPay gave no final answer about in time: a manager asks again or decides. */
  readonly beforeManager: number;
  /** Open items made through another gateway (environment or app code): shown, not closable from here. */
  readonly otherGateway: number;
}

/** How a business day compared with QFPay's own records, as stated on a report. */
export interface ReconciliationNote {
  readonly day: string;
  readonly environment: string;
  readonly checkedAt: number | null;
  readonly agrees: boolean;
  readonly matched: number;
  readonly differences: number;
  readonly atQfpayOnly: number;
  readonly stillOpen: number;
  /** Why it could not be checked, when it was not: too old for a close to check, or QFPay could not be asked. */
  readonly notChecked?: { readonly code: 'too_old'; readonly days: number } | { readonly code: 'unreachable'; readonly detail: string };
}

export interface PeriodReport {
  readonly kind: 'X' | 'Z';
  /** The Z number this period got (Z) or will get when closed (X). */
  readonly number: number;
  readonly tillId: string;
  readonly currency: 'HKD';
  /** The previous close, or the ledger's first entry. */
  readonly openedAt: number;
  readonly closedAt: number | null;
  readonly generatedAt: number;
  readonly environments: readonly EnvironmentTotals[];
  /** Orders that ended unpaid in the period (failed, expired, cancelled): no money, counted for the record. */
  readonly notPaid: number;
  readonly unresolved: Unresolved;
  readonly reconciliation: readonly ReconciliationNote[];
  /** The period's history checked against its hash chain (absent on reports from before the chain). */
  readonly books?: BooksCheck;
  /** The chain's link after the period's last history row: printed on the Z slip, an anchor on paper. */
  readonly chainHead?: string;
}

export const TRAINING_ENVIRONMENTS: readonly string[] = ['demo', 'sandbox', 'test'];

/** The items that keep a period from closing. */
export function blockingCount(unresolved: Unresolved): number {
  return unresolved.orders + unresolved.latePayments + unresolved.refunds + unresolved.beforeManager;
}
