import { createPinGuard } from '../settings/pinGuard';
import type { SettingsService } from '../settings/settingsService';
import { TillError } from '../../../shared/errors';

/**
 * The manager's access, per screen: the PIN unlocks the screen it was typed on, and no other.
 * A screen is one Electron window's page, or one page of a paired browser tab in web mode (the
 * caller's `session`, see electron/services/ipc/caller.ts). It is closed again after ten idle
 * minutes, on "lock", or when its screen goes away (`end`: the window closed or reloaded, the
 * tab gone). Each manager command keeps it open. The wrong-PIN count is one for the whole till,
 * so opening another screen does not buy more guesses.
 */
export const MANAGER_IDLE_MS = 10 * 60_000;

export function createManagerSessions(settings: SettingsService, clock: () => number) {
  const guard = createPinGuard(clock, { read: settings.pinGuardState, write: settings.savePinGuardState });
  /** Each unlocked screen and when its access ends; a screen absent here is locked. */
  const unlockedUntil = new Map<string, number>();
  const until = (session: string) => unlockedUntil.get(session) ?? 0;
  // Screens that went idle without anyone asking again are dropped at the next unlock, so the map
  // holds only screens that could still be open.
  const forgetIdle = () => {
    for (const [session, end] of unlockedUntil) if (clock() >= end) unlockedUntil.delete(session);
  };

  return {
    /** The manager's access on one screen. */
    of(session: string) {
      return {
        isUnlocked(): boolean {
          if (clock() >= until(session)) return false;
          unlockedUntil.set(session, clock() + MANAGER_IDLE_MS);
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
          forgetIdle();
          unlockedUntil.set(session, clock() + MANAGER_IDLE_MS);
          return { unlockedUntil: until(session), mustChangePin };
        },
        /**
         * What the PIN screen should show before anything is typed, without extending this
         * screen's access: whether a PIN is set at all (a first use asks to set one at once), a
         * lock from wrong PINs and its end, and how long this screen's access has left.
         */
        gate(): { pinSet: boolean; locked: { retryInMs: number; retryAt: number } | null; unlockedForMs: number; idleLimitMs: number } {
          return {
            pinSet: settings.pinHash() !== undefined,
            locked: guard.lockedNow() ?? null,
            unlockedForMs: Math.max(0, until(session) - clock()),
            idleLimitMs: MANAGER_IDLE_MS,
          };
        },
        lock(): void {
          unlockedUntil.delete(session);
        },
        /** The first PIN may be set by anyone at the till; changing it needs this screen unlocked. */
        async setPin(pin: string): Promise<void> {
          const first = !settings.pinHash();
          if (!first && clock() >= until(session)) throw new TillError('pin_already_set', 'unlock before changing the PIN');
          const set = await settings.setPin(pin, { first });
          if (set === 'invalid') throw new TillError('pin_invalid', 'a new PIN is 6 to 8 digits');
          if (set === 'already_set') throw new TillError('pin_already_set', 'unlock before changing the PIN');
        },
      };
    },
    /** The screen is gone (window closed or reloaded, tab closed): its access ends with it. */
    end(session: string): void {
      unlockedUntil.delete(session);
    },
    /** How many screens hold the manager's access now (for the tests and the bench; never who). */
    unlockedCount(): number {
      forgetIdle();
      return unlockedUntil.size;
    },
  };
}

export type ManagerSessions = ReturnType<typeof createManagerSessions>;
export type ManagerSession = ReturnType<ManagerSessions['of']>;
