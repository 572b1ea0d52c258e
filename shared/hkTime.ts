import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

/**
 * Hong Kong time for the gateway and for people. QFPay documents no zone for `txdtm`, but its own
 * `sysdtm` and `paydtm` are Hong Kong time (UTC+8), so the till sends Hong Kong time too.
 */
export const HONG_KONG = 'Asia/Hong_Kong';

/**
 * Hong Kong has kept UTC+8 all year since its last summer time ended in October 1979, and a till's
 * ledger holds nothing older. So from 1980 on, an instant's Hong Kong wall clock is the instant
 * plus eight hours read in UTC, and a business day is a fixed 24-hour range of epoch milliseconds:
 * plain arithmetic, the same in SQL (`date(at / 1000 + 28800, 'unixepoch')`) as here. The zone
 * library is kept for instants before 1980, the only ones whose offset ever changed.
 */
export const HONG_KONG_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const FIXED_OFFSET_SINCE = Date.UTC(1980, 0, 1) - HONG_KONG_OFFSET_MS;

/** `YYYY-MM-DDThh:mm:ss` of the Hong Kong wall clock at an instant. */
function wallClock(ms: number): string {
  if (ms >= FIXED_OFFSET_SINCE) return new Date(ms + HONG_KONG_OFFSET_MS).toISOString().slice(0, 19);
  return format(inHongKong(ms), "yyyy-MM-dd'T'HH:mm:ss");
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, value) => String(value).padStart(2, '0'));
/** The last day formatted: an export formats two instants a row, nearly all on the same day. */
let lastDay = { number: Number.NaN, text: '' };

/** `YYYY-MM-DD hh:mm:ss` in Hong Kong, whatever zone the till's computer is set to. */
export function formatHongKongTimestamp(instant: Date | number): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  if (ms < FIXED_OFFSET_SINCE || !Number.isFinite(ms)) {
    const clock = wallClock(ms);
    return `${clock.slice(0, 10)} ${clock.slice(11)}`;
  }
  const local = ms + HONG_KONG_OFFSET_MS;
  const day = Math.floor(local / DAY_MS);
  if (day !== lastDay.number) lastDay = { number: day, text: new Date(day * DAY_MS).toISOString().slice(0, 10) };
  const second = Math.floor((local - day * DAY_MS) / 1000);
  return `${lastDay.text} ${TWO_DIGITS[Math.floor(second / 3600)] as string}:${TWO_DIGITS[Math.floor(second / 60) % 60] as string}:${TWO_DIGITS[second % 60] as string}`;
}

/**
 * ISO 8601 with Hong Kong's offset, `YYYY-MM-DDThh:mm:ss+08:00`: a time a spreadsheet or another
 * system reads without knowing where the till stood (the day's CSV). Before 1980, the offset the
 * zone library gives for that instant (Hong Kong kept summer time then).
 */
export function formatHongKongIso(instant: Date | number): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  if (ms < FIXED_OFFSET_SINCE || !Number.isFinite(ms)) return format(inHongKong(ms), "yyyy-MM-dd'T'HH:mm:ssXXX");
  return isoSince1980(formatHongKongTimestamp(ms));
}

/** A Hong Kong wall-clock timestamp of 1980 or later in ISO 8601: the offset has been +08:00 since. */
const isoSince1980 = (text: string) => `${text.slice(0, 10)}T${text.slice(11)}+08:00`;

/** A gateway timestamp (`paydtm`, `sysdtm`: Hong Kong wall clock) as ISO 8601 with its offset; anything else as it came. */
export function hongKongTimestampToIso(text: string): string {
  if (!isWellFormedTimestamp(text)) return text;
  // Since 1980 the offset is always +08:00: the text itself, with the zone said (an export's hot path).
  if (text >= '1980-01-01 00:00:00') return isoSince1980(text);
  return formatHongKongIso(parseHongKongTimestamp(text) as Date);
}

/** The Hong Kong calendar day of an instant, `YYYY-MM-DD`. */
export function hongKongDay(instant: Date | number): string {
  return wallClock(typeof instant === 'number' ? instant : instant.getTime()).slice(0, 10);
}

function inHongKong(instant: Date | number): TZDate {
  return new TZDate(typeof instant === 'number' ? instant : instant.getTime(), HONG_KONG);
}

/** The instant a Hong Kong wall-clock time names (month from 1; a day or hour past its end rolls over). */
function fromWallClock(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const fixed = Date.UTC(year, month - 1, day, hour, minute, second) - HONG_KONG_OFFSET_MS;
  return fixed >= FIXED_OFFSET_SINCE ? fixed : new TZDate(year, month - 1, day, hour, minute, second, HONG_KONG).getTime();
}

/** Reads a gateway timestamp (`sysdtm`, `paydtm`) as the Hong Kong wall-clock time it is. */
export function parseHongKongTimestamp(text: string): Date | undefined {
  if (!isWellFormedTimestamp(text)) return undefined;
  const [date, time] = text.split(' ') as [string, string];
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute, second] = time.split(':').map(Number) as [number, number, number];
  return new Date(fromWallClock(year, month, day, hour, minute, second));
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

/** The instants a Hong Kong business day covers: [start, end), 24 hours since 1980 (see above). */
export function hongKongDayRange(day: string): { start: number; end: number } {
  if (!isValidDay(day)) throw new RangeError(`not a day: ${day}`);
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const start = fromWallClock(year, month, date);
  return { start, end: start >= FIXED_OFFSET_SINCE ? start + DAY_MS : fromWallClock(year, month, date + 1) };
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

/** When something ends, as a clock shows it: `HH:MM` when it is the same Hong Kong day as `now`, else `YYYY-MM-DD HH:MM`. */
export function hongKongEndTime(end: number, now: number): string {
  const at = formatHongKongTimestamp(end);
  return at.slice(0, 10) === formatHongKongTimestamp(now).slice(0, 10) ? at.slice(11, 16) : at.slice(0, 16);
}
