import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

/**
 * Hong Kong time for the gateway and for people. QFPay documents no zone for `txdtm`, but its own
 * `sysdtm` and `paydtm` are Hong Kong time (UTC+8), so the till sends Hong Kong time too.
 */
export const HONG_KONG = 'Asia/Hong_Kong';

/** Minute -> `YYYY-MM-DD hh:mm:` in Hong Kong, for the minutes seen lately. */
const minutePrefixes = new Map<number, string>();
const MINUTES_CACHED = 4_096;

/**
 * `YYYY-MM-DD hh:mm:ss` in Hong Kong, whatever zone the till's computer is set to.
 * The zone lookup is the slow part (about 20 µs), so it is made once per minute: the seconds are
 * the same in every zone whose offset is a whole number of minutes, as Hong Kong's always is.
 * Several minutes are kept, because an export row carries more than one time (when it was made,
 * when its money counted): a day's export then costs one lookup per minute instead of per row.
 */
export function formatHongKongTimestamp(instant: Date | number): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const minute = Math.floor(ms / 60_000);
  let prefix = minutePrefixes.get(minute);
  if (prefix === undefined) {
    if (minutePrefixes.size >= MINUTES_CACHED) minutePrefixes.clear();
    prefix = format(inHongKong(minute * 60_000), 'yyyy-MM-dd HH:mm:');
    minutePrefixes.set(minute, prefix);
  }
  return prefix + String(Math.floor((ms - minute * 60_000) / 1000)).padStart(2, '0');
}

/** The Hong Kong calendar day of an instant, `YYYY-MM-DD`. */
export function hongKongDay(instant: Date | number): string {
  return format(inHongKong(instant), 'yyyy-MM-dd');
}

function inHongKong(instant: Date | number): TZDate {
  return new TZDate(typeof instant === 'number' ? instant : instant.getTime(), HONG_KONG);
}

/** Reads a gateway timestamp (`sysdtm`, `paydtm`) as the Hong Kong wall-clock time it is. */
export function parseHongKongTimestamp(text: string): Date | undefined {
  if (!isWellFormedTimestamp(text)) return undefined;
  const [date, time] = text.split(' ') as [string, string];
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute, second] = time.split(':').map(Number) as [number, number, number];
  return new Date(new TZDate(year, month - 1, day, hour, minute, second, HONG_KONG).getTime());
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** True for a real calendar date and time in QFPay's `YYYY-MM-DD hh:mm:ss` form; zone-free. */
export function isWellFormedTimestamp(text: string): boolean {
  const match = TIMESTAMP.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number, number, number, number, number, number,
  ];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return false;
  // Day 0 of the next month is the last day of this one (leap years included); computed in UTC.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day >= 1 && day <= daysInMonth;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar day written `YYYY-MM-DD`. */
export function isValidDay(text: string): boolean {
  return DAY.test(text) && isWellFormedTimestamp(`${text} 00:00:00`);
}

/**
 * The instants a Hong Kong business day covers: [start, end). Hong Kong has no daylight saving,
 * but the zone library is asked anyway rather than assuming 24 hours.
 */
export function hongKongDayRange(day: string): { start: number; end: number } {
  if (!isValidDay(day)) throw new RangeError(`not a day: ${day}`);
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const start = new TZDate(year, month - 1, date, 0, 0, 0, HONG_KONG).getTime();
  const end = new TZDate(year, month - 1, date + 1, 0, 0, 0, HONG_KONG).getTime();
  return { start, end };
}

/** The Hong Kong month of an instant, `YYYY-MM`. */
export function hongKongMonth(instant: Date | number): string {
  return formatHongKongTimestamp(instant).slice(0, 7);
}

/**
 * QFPay's enquiry window for one Hong Kong month, its first and last second: a window must lie
 * inside one calendar month, and an order of another month is only found with one.
 */
export function monthWindow(month: string): { start: string; end: string } {
  if (!/^\d{4}-\d{2}$/.test(month) || !isValidDay(`${month}-01`)) throw new RangeError(`not a month: ${month}`);
  const [year, number] = month.split('-').map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(year, number, 0)).getUTCDate();
  return { start: `${month}-01 00:00:00`, end: `${month}-${String(lastDay).padStart(2, '0')} 23:59:59` };
}

/** A business day's window, for QFPay's enquiry: always inside one month. */
export function dayWindow(day: string): { start: string; end: string } {
  if (!isValidDay(day)) throw new RangeError(`not a day: ${day}`);
  return { start: `${day} 00:00:00`, end: `${day} 23:59:59` };
}

/** The business days from one day to another, both included, in order. */
export function daysBetween(first: string, last: string): string[] {
  const days: string[] = [];
  for (let day = first; day <= last && days.length < 400; day = hongKongDay(hongKongDayRange(day).end)) days.push(day);
  return days;
}
