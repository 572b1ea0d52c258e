import type { PinCost } from '../../electron/services/settings/managerPin';

/**
 * A cheap scrypt cost for tests that set and try PINs many times (1 ms a hash instead of 300).
 * Passed explicitly to openSettingsService; the app's own cost is tested where it is chosen.
 */
export const TEST_PIN_COST: PinCost = { N: 2 ** 10, r: 8, p: 1 };
