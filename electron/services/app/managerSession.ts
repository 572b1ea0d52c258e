import { createPinGuard } from '../settings/managerPin';
import type { SettingsService } from '../settings/settingsService';
import { TillError } from '../till/till';

/**
 * The manager's access on the cashier's screen: unlocked by the PIN, closed again after ten idle
 * minutes or on "lock". Each manager command keeps it open.
 */
export const MANAGER_IDLE_MS = 10 * 60_000;

export function createManagerSession(settings: SettingsService, clock: () => number) {
  const guard = createPinGuard(clock, { read: settings.pinGuardState, write: settings.savePinGuardState });
  let unlockedUntil = 0;
  return {
    isUnlocked(): boolean {
      if (clock() >= unlockedUntil) return false;
      unlockedUntil = clock() + MANAGER_IDLE_MS;
      return true;
    },
    unlock(pin: string): number {
      const stored = settings.pinHash();
      if (!stored) throw new TillError('pin_not_set', 'no manager PIN is set');
      const checked = guard.check(pin, stored);
      if (checked.result === 'locked') throw new TillError('pin_locked', 'too many wrong PINs', { retryInMs: checked.retryInMs });
      if (checked.result === 'wrong') throw new TillError('pin_wrong', 'wrong PIN', { triesLeft: checked.triesLeft });
      unlockedUntil = clock() + MANAGER_IDLE_MS;
      return unlockedUntil;
    },
    lock(): void {
      unlockedUntil = 0;
    },
    /** The first PIN may be set by anyone at the till; changing it needs the manager unlocked. */
    setPin(pin: string): void {
      if (settings.pinHash() && clock() >= unlockedUntil) throw new TillError('pin_already_set', 'unlock before changing the PIN');
      if (!settings.setPin(pin)) throw new TillError('pin_invalid', 'a PIN is 4 to 8 digits');
    },
  };
}

export type ManagerSession = ReturnType<typeof createManagerSession>;
