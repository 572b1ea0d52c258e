import { randomBytes, randomInt } from 'node:crypto';
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { describe, expect, it } from 'vitest';
import { formatHongKongTimestamp, hongKongDay, hongKongDayRange, isWellFormedTimestamp, parseHongKongTimestamp } from '../../shared/hkTime';
import {
  isAcceptableGoodsName,
  isValidExpiredTime,
  newOutTradeNo,
  OUT_TRADE_NO_PATTERN,
  sanitiseGoodsName,
  txdtm,
} from '../../shared/qfpay/fields';

describe('txdtm', () => {
  it('is Hong Kong wall-clock time whatever the instant', () => {
    expect(txdtm(Date.UTC(2026, 10, 23, 2, 15, 0))).toBe('2026-11-23 10:15:00');
    // 16:30 UTC is already the next day in Hong Kong.
    expect(txdtm(new Date('2026-12-31T16:30:05Z'))).toBe('2027-01-01 00:30:05');
  });

  it('reads QFPay timestamps back as Hong Kong time', () => {
    expect(parseHongKongTimestamp('2027-01-01 00:30:05')?.toISOString()).toBe('2026-12-31T16:30:05.000Z');
    expect(parseHongKongTimestamp('2027-13-01 00:30:05')).toBeUndefined();
    expect(hongKongDay(Date.UTC(2026, 10, 23, 15, 59, 59))).toBe('2026-11-23');
    expect(hongKongDay(Date.UTC(2026, 10, 23, 16, 0, 0))).toBe('2026-11-24');
  });

  it('formats any instant exactly as the zone library does, whatever order they come in', () => {
    const instants = [
      ...Array.from({ length: 5_000 }, () => randomInt(0, 2 ** 42)), // 1970 to 2109
      ...Array.from({ length: 200 }, (_, index) => Date.UTC(2026, 10, 23, 15, 59, 58) + index * 17), // across midnight
      Date.UTC(2026, 10, 23, 16, 0, 0) - 1,
      Date.UTC(2026, 10, 23, 16, 0, 0),
      Date.UTC(2026, 10, 23, 16, 0, 0) - 1, // and back again
    ];
    for (const instant of instants) {
      expect(formatHongKongTimestamp(instant)).toBe(format(new TZDate(instant, 'Asia/Hong_Kong'), 'yyyy-MM-dd HH:mm:ss'));
    }
  });

  it('knows a Hong Kong business day is midnight to midnight there', () => {
    expect(hongKongDayRange('2026-11-23')).toEqual({ start: Date.UTC(2026, 10, 22, 16), end: Date.UTC(2026, 10, 23, 16) });
    expect(() => hongKongDayRange('2026-02-30')).toThrow(RangeError);
  });

  it('takes a day as 24 fixed hours since 1980, and asks the zone library only before, when Hong Kong had summer time', () => {
    const zoneDay = (year: number, month: number, date: number) => ({
      start: new TZDate(year, month - 1, date, 0, 0, 0, 'Asia/Hong_Kong').getTime(),
      end: new TZDate(year, month - 1, date + 1, 0, 0, 0, 'Asia/Hong_Kong').getTime(),
    });
    for (let sample = 0; sample < 2_000; sample += 1) {
      const day = hongKongDay(randomInt(0, 2 ** 42));
      const [year, month, date] = day.split('-').map(Number) as [number, number, number];
      expect(hongKongDayRange(day)).toEqual(zoneDay(year, month, date));
    }
    // A summer-time day of 1979 began at 23:00 UTC, not 16:00.
    expect(hongKongDayRange('1979-07-01')).toEqual(zoneDay(1979, 7, 1));
    expect(hongKongDayRange('1979-07-01').start).toBe(Date.UTC(1979, 5, 30, 15));
  });

  it.each([
    ['2026-11-23 10:15:00', true],
    ['2028-02-29 23:59:59', true],
    ['2026-02-29 10:00:00', false],
    ['2026-04-31 10:00:00', false],
    ['2026-11-23 24:00:00', false],
    ['2026-11-23 10:60:00', false],
    ['2026-11-23T10:15:00', false],
    ['2026/11/23 10:15:00', false],
    ['2026-11-23 10:15', false],
    ['2026-1-23 10:15:00', false],
    ['', false],
  ])('knows %j is well formed: %s', (text, expected) => {
    expect(isWellFormedTimestamp(text)).toBe(expected);
  });
});

describe('out_trade_no', () => {
  const instant = Date.UTC(2026, 10, 23, 2, 15, 0);

  it('reads till, kind, Hong Kong time and 40 random bits', () => {
    const bytes = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(newOutTradeNo('till-01', 'payment', instant, bytes)).toBe('TILL01-P261123101500-ZZZZZZZZ');
    expect(newOutTradeNo('till-01', 'refund', instant, new Uint8Array(5))).toBe('TILL01-R261123101500-00000000');
  });

  it('keeps to 32 characters of [A-Za-z0-9_-] whatever the till is called', () => {
    for (const till of ['', '收銀台一', 'a very long till name with spaces 123456789', '___']) {
      const number = newOutTradeNo(till, 'payment', instant, randomBytes(5));
      expect(number).toMatch(OUT_TRADE_NO_PATTERN);
      expect(number.length).toBeLessThanOrEqual(32);
    }
  });

  it('does not repeat within one second at one till', () => {
    const numbers = new Set(Array.from({ length: 20_000 }, () => newOutTradeNo('T1', 'payment', instant, randomBytes(5))));
    expect(numbers.size).toBe(20_000);
  });

  it('refuses to make a number without enough randomness', () => {
    expect(() => newOutTradeNo('T1', 'payment', instant, new Uint8Array(4))).toThrow(RangeError);
  });
});

describe('goods_name', () => {
  it.each([
    ['Coffee & Cake', 'Coffee Cake'],
    ['a=b,c"d\'e', 'a b c d e'],
    ['凍檸茶，少甜', '凍檸茶 少甜'],
    ['line\nbreak\ttab', 'line break tab'],
    ['  spaced   out  ', 'spaced out'],
    ['一二三四五六七八九十一二三四五六七八九十一二', '一二三四五六七八九十一二三四五六七八九十'],
    ['&&&', ''],
  ])('makes %j safe as %j', (raw, safe) => {
    expect(sanitiseGoodsName(raw)).toBe(safe);
    expect(isAcceptableGoodsName(sanitiseGoodsName(raw))).toBe(true);
  });

  it('knows what the gateway refuses', () => {
    expect(isAcceptableGoodsName('Milk Tea')).toBe(true);
    expect(isAcceptableGoodsName('Tea & Toast')).toBe(false);
    expect(isAcceptableGoodsName('x'.repeat(21))).toBe(false);
  });
});

describe('expired_time', () => {
  it.each([
    [5, true],
    [120, true],
    [30, true],
    [4, false],
    [121, false],
    [7.5, false],
  ])('%d minutes valid: %s', (minutes, valid) => {
    expect(isValidExpiredTime(minutes)).toBe(valid);
  });
});
