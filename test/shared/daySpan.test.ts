import { describe, expect, it } from 'vitest';
import { spanAround } from '../../shared/daySpan';
import { MAX_RANGE_DAYS } from '../../shared/ipc/limits';
import { daysBetween } from '../../shared/hkTime';

describe('the span of days around a picked day', () => {
  it('is the day itself', () => {
    expect(spanAround('2026-12-07', 'day')).toEqual({ from: '2026-12-07', to: '2026-12-07' });
  });
  it('is Monday to Sunday for a week, whichever day of it is picked', () => {
    for (const day of ['2026-12-07', '2026-12-10', '2026-12-13']) expect(spanAround(day, 'week')).toEqual({ from: '2026-12-07', to: '2026-12-13' });
    // A week across a month and a year end.
    expect(spanAround('2027-01-01', 'week')).toEqual({ from: '2026-12-28', to: '2027-01-03' });
  });
  it('is the 1st to the last day for a month, leap Februaries included', () => {
    expect(spanAround('2026-12-07', 'month')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(spanAround('2028-02-10', 'month')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(spanAround('2026-02-28', 'month')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
  });
  it('never exceeds the longest range the till takes', () => {
    for (const day of ['2026-01-31', '2026-03-15', '2026-07-04']) {
      const { from, to } = spanAround(day, 'month');
      expect(daysBetween(from, to).length).toBeLessThanOrEqual(MAX_RANGE_DAYS);
    }
  });
  it('refuses what is not a day', () => {
    expect(() => spanAround('2026-02-30', 'week')).toThrow(RangeError);
  });
});
