import { describe, expect, it } from 'vitest';
import { formatHongKongIso, hongKongDayRange, hongKongTimestampToIso } from '../../shared/hkTime';

/** The CSV's times (issue 24): ISO 8601 with Hong Kong's offset, whatever zone the computer is in. */
describe('ISO 8601 in Hong Kong time', () => {
  it('writes an instant with +08:00', () => {
    const { start } = hongKongDayRange('2026-12-07');
    expect(formatHongKongIso(start + 14 * 3_600_000 + 5 * 60_000 + 9_000)).toBe('2026-12-07T14:05:09+08:00');
    expect(formatHongKongIso(new Date('2026-12-07T16:00:00Z'))).toBe('2026-12-08T00:00:00+08:00');
  });

  it("reads QFPay's zone-free Hong Kong timestamps into the same form, and leaves anything else as it came", () => {
    expect(hongKongTimestampToIso('2026-12-07 22:44:49')).toBe('2026-12-07T22:44:49+08:00');
    expect(hongKongTimestampToIso('')).toBe('');
    expect(hongKongTimestampToIso('2026-02-30 10:00:00')).toBe('2026-02-30 10:00:00');
  });

  it('gives the offset Hong Kong kept before 1980 (summer time)', () => {
    expect(formatHongKongIso(Date.UTC(1979, 6, 1, 4, 0, 0))).toBe('1979-07-01T13:00:00+09:00');
    expect(hongKongTimestampToIso('1979-07-01 13:00:00')).toBe('1979-07-01T13:00:00+09:00');
  });
});
