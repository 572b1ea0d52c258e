import { describe, expect, it } from 'vitest';
import { averagePayment } from '../../shared/money';

describe("the glance's average payment", () => {
  it('is whole cents, rounded half up, with no payments none at all', () => {
    expect(averagePayment(18_850, 3)).toBe(6_283); // 6283.33
    expect(averagePayment(20_000, 3)).toBe(6_667); // 6666.67
    expect(averagePayment(5, 2)).toBe(3); // 2.5 rounds up
    expect(averagePayment(2_147_483_647, 1)).toBe(2_147_483_647);
    expect(averagePayment(0, 0)).toBeNull();
  });
});
