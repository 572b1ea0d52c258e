import { isValidDay } from './hkTime';

/** What the manager's sales view covers around the day picked: that day, its week, or its month. */
export type DaySpan = 'day' | 'week' | 'month';
export const DAY_SPANS: readonly DaySpan[] = ['day', 'week', 'month'];

// Calendar arithmetic on the date as written, at noon UTC: no zone or summer time can move it a day.
const asDate = (day: string) => new Date(`${day}T12:00:00Z`);
const asDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The first and last business day (inclusive) of the span around `day`. A week runs Monday to
 * Sunday, as Hong Kong calendars and payrolls count it; a month from its 1st to its last day.
 */
export function spanAround(day: string, span: DaySpan): { from: string; to: string } {
  if (!isValidDay(day)) throw new RangeError(`not a day: ${day}`);
  if (span === 'day') return { from: day, to: day };
  const date = asDate(day);
  if (span === 'week') {
    const sinceMonday = (date.getUTCDay() + 6) % 7;
    const monday = new Date(date.getTime() - sinceMonday * 86_400_000);
    return { from: asDay(monday), to: asDay(new Date(monday.getTime() + 6 * 86_400_000)) };
  }
  const first = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1, 12));
  const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0, 12));
  return { from: asDay(first), to: asDay(last) };
}
