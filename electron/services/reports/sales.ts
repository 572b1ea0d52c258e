import { daysBetween, hongKongDayRange } from '../../../shared/hkTime';
import { TillError } from '../../../shared/errors';
import { MAX_RANGE_DAYS } from '../../../shared/ipc/limits';
import type { SalesBucket, SalesView } from '../../../shared/ipc/contract';
import type { LedgerStore } from '../ledger/ledgerStore';
import { moneySlotsBetween } from '../ledger/queries/periodSums';
import { totalsBetweenTimes } from './periods';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A range of Hong Kong business days, both ends included, and the instants it covers: [start, end). */
export interface DayRange {
  readonly from: string;
  readonly to: string;
  readonly start: number;
  readonly end: number;
  readonly days: readonly string[];
}

/**
 * The business days from `from` to `to` (the one day when `to` is not given), refused in words
 * when the range ends before it starts or covers more than MAX_RANGE_DAYS days: the manager's
 * list, totals and export each read the whole range, so it stays a month at most.
 */
export function dayRange(from: string, to: string = from): DayRange {
  if (to < from) throw new TillError('range_reversed', `the range ends (${to}) before it starts (${from})`, { from, to });
  const days = daysBetween(from, to);
  if (days.length > MAX_RANGE_DAYS) throw new TillError('range_too_long', `${from} to ${to} is ${days.length} days; at most ${MAX_RANGE_DAYS}`, { from, to, days: days.length, maxDays: MAX_RANGE_DAYS });
  return { from, to, start: hongKongDayRange(from).start, end: hongKongDayRange(to).end, days };
}

/**
 * A range at a glance: its money by environment (totalsBetweenTimes, the day's rule), how many
 * orders and refunds were made in it, and this till's environment by hour (a day) or by day (a
 * range), every slot listed. The slots are summed by the same query rule as the totals (the
 * instant the money became final), so they add up to the environment's payments and refunds.
 * Since 1980 a Hong Kong day is 24 fixed hours (shared/hkTime.ts), so slots are fixed spans.
 */
export function salesView(store: LedgerStore, range: DayRange, environment: string): SalesView {
  const { start, end } = range;
  const unit = range.from === range.to ? 'hour' : 'day';
  const size = unit === 'hour' ? HOUR_MS : DAY_MS;
  const labels = unit === 'hour' ? Array.from({ length: 24 }, (_, hour) => String(hour).padStart(2, '0')) : range.days;
  const slots = new Map(moneySlotsBetween(store.db, { start, end, size, environment }).map((slot) => [slot.slot, slot]));
  const rows = labels.map((label, index): SalesBucket => {
    const slot = slots.get(index);
    return { label, start: start + index * size, payments: slot?.payments ?? 0, amount: slot?.amount ?? 0, refunds: slot?.refunds ?? 0 };
  });
  return {
    from: range.from,
    to: range.to,
    environment,
    totals: totalsBetweenTimes(store, start, end),
    orderCount: store.ordersOfDay({ start, end, wallet: null, state: null, limit: 0, offset: 0 }).matching,
    refundCount: store.refundsOfDay({ start, end, limit: 0, offset: 0 }).matching,
    buckets: { unit, rows },
  };
}
