import { createPinGuard } from '../settings/pinGuard';
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
    /** `mustChangePin`: a PIN from before the six-digit rule; nothing else is allowed until it is changed. */
    async unlock(pin: string): Promise<{ unlockedUntil: number; mustChangePin: boolean }> {
      const stored = settings.pinHash();
      if (!stored) throw new TillError('pin_not_set', 'no manager PIN is set');
      const checked = await guard.check(pin, stored);
      if (checked.result === 'locked') throw new TillError('pin_locked', 'too many wrong PINs', { retryInMs: checked.retryInMs, retryAt: checked.retryAt });
      if (checked.result === 'wrong') throw new TillError('pin_wrong', 'wrong PIN', { triesLeft: checked.triesLeft });
      const mustChangePin = await settings.pinUnlocked(pin);
      unlockedUntil = clock() + MANAGER_IDLE_MS;
      return { unlockedUntil, mustChangePin };
    },
    lock(): void {
      unlockedUntil = 0;
    },
    /** The first PIN may be set by anyone at the till; changing it needs the manager unlocked. */
    async setPin(pin: string): Promise<void> {
      const first = !settings.pinHash();
      if (!first && clock() >= unlockedUntil) throw new TillError('pin_already_set', 'unlock before changing the PIN');
      const set = await settings.setPin(pin, { first });
      if (set === 'invalid') throw new TillError('pin_invalid', 'a new PIN is 6 to 8 digits');
      if (set === 'already_set') throw new TillError('pin_already_set', 'unlock before changing the PIN');
    },
  };
}

export type ManagerSession = ReturnType<typeof createManagerSession>;
