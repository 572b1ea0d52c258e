import { z } from 'zod';
import { PIN_ENTRY_PATTERN } from '../../../shared/settings/managerPinRules';
import { pinMatches, type PinHash } from './managerPin';

/**
 * The lockout that holds off guessing the manager PIN.
 *
 * Five wrong tries lock the PIN for five minutes; every further five wrong tries, while no right
 * PIN has been entered, lock it for twice as long as the lock before (10, 20, 40 ... minutes), up
 * to a day. Only a right PIN ends the streak: waiting out a lock does not, or the schedule would
 * be five minutes for ever (1,440 guesses a day, a four-digit PIN within a week). With these
 * numbers a guesser gets 45 tries on the first day and 5 a day after that
 * (`npx tsx scripts/pinFigures.ts`); a manager who mistypes still has five tries after each lock.
 *
 * While locked, even the right PIN is refused, so the lock says nothing about the PIN.
 *
 * The state lives in the settings file, so that restarting the app does not reset it. Wall-clock
 * time is all a restarted app has, so the lock is honest about it:
 * - `lastSeen` is the latest time the guard saw. A clock found earlier than that has been set
 *   back: the time between is unknown, so it counts as none, and the lock is moved to end as long
 *   after now as it had left at `lastSeen`. Set back, a clock never shortens a lock, and never
 *   stretches it (a clock that ran a year ahead and is corrected does not lock for a year).
 * - A clock set forward cannot be told from time passing, but setting it needs the computer's
 *   own controls, which also reach settings.json itself: the lockout guards the PIN screen and
 *   the cashier's web link, where no one can move the clock.
 */

export const WRONG_TRIES_PER_LOCK = 5;
export const FIRST_LOCK_MS = 5 * 60_000;
export const LONGEST_LOCK_MS = 24 * 60 * 60_000;

/** The length of the streak's n-th lock (1, 2, ...): doubling from five minutes, at most a day. */
function lockMs(lockNumber: number): number {
  return Math.min(FIRST_LOCK_MS * 2 ** Math.max(0, lockNumber - 1), LONGEST_LOCK_MS);
}

/**
 * As kept in settings.json. Files from before the escalation hold only `wrongTries` and
 * `lockedUntil`; the other fields then start at zero (no earlier lock, no time seen).
 */
export const pinGuardSchema = z.object({
  /** Wrong tries since the streak began or since its last lock was set. */
  wrongTries: z.number().int().min(0),
  /** When the current lock ends (ms since 1970); 0 when none was set. */
  lockedUntil: z.number().int().min(0),
  /** Locks set in the streak: the next one lasts lockMs(locks + 1). */
  locks: z.number().int().min(0).default(0),
  /** The latest time the guard saw, to notice a clock set back. */
  lastSeen: z.number().int().min(0).default(0),
});
export type PinGuardState = z.output<typeof pinGuardSchema>;
export const NO_STREAK: PinGuardState = { wrongTries: 0, lockedUntil: 0, locks: 0, lastSeen: 0 };

export type PinCheck =
  | { readonly result: 'ok' }
  | { readonly result: 'wrong'; readonly triesLeft: number }
  | { readonly result: 'locked'; readonly retryInMs: number; readonly retryAt: number };

export interface PinGuardStore {
  read(): PinGuardState;
  write(next: PinGuardState): void;
}

/**
 * Counts wrong tries in `store` (the settings file; in memory without one). `clock` is the wall
 * clock, injected so the tests can move it.
 */
export function createPinGuard(clock: () => number = Date.now, store?: PinGuardStore) {
  let memory: PinGuardState = NO_STREAK;
  const read = () => store?.read() ?? memory;
  const write = (next: PinGuardState) => {
    memory = next;
    store?.write(next);
  };
  // The latest time seen in this run, kept in memory only: a refused try writes nothing to disk.
  let seenHere = 0;

  /** The state as of `now`, with a lock moved forward if the clock has been set back. */
  function current(now: number): PinGuardState {
    const state = read();
    const seen = Math.max(state.lastSeen, seenHere);
    seenHere = now;
    // No lock lasts longer than its own length: more left than that (a file from before
    // `lastSeen`, its clock since set back) is the same case.
    const longest = lockMs(Math.max(state.locks, 1));
    const left = now >= seen ? state.lockedUntil - now : state.lockedUntil - seen;
    if (now >= seen && left <= longest) return state;
    if (left <= 0) return { ...state, lastSeen: now };
    const moved = { ...state, lockedUntil: now + Math.min(left, longest), lastSeen: now };
    write(moved);
    return moved;
  }

  return {
    /** The lock now, if any (read only: no try is counted), so a screen can say how long is left before anyone types. */
    lockedNow(): { readonly retryInMs: number; readonly retryAt: number } | undefined {
      const now = clock();
      const state = current(now);
      return now < state.lockedUntil ? { retryInMs: state.lockedUntil - now, retryAt: state.lockedUntil } : undefined;
    },
    /**
     * 'ok', 'wrong' (with tries left before the next lock), or 'locked' (with when it ends).
     *
     * The try is counted before the PIN is hashed, and written: tries sent together cannot all
     * pass while the first is still hashing, and a till stopped mid-check has counted it. A
     * right PIN then clears the count.
     */
    async check(pin: string, stored: PinHash): Promise<PinCheck> {
      const now = clock();
      const state = current(now);
      if (now < state.lockedUntil) return { result: 'locked', retryInMs: state.lockedUntil - now, retryAt: state.lockedUntil };
      const tries = state.wrongTries + 1;
      const locks = tries >= WRONG_TRIES_PER_LOCK ? state.locks + 1 : state.locks;
      const charged: PinGuardState =
        tries >= WRONG_TRIES_PER_LOCK ? { wrongTries: 0, lockedUntil: now + lockMs(locks), locks, lastSeen: now } : { ...state, wrongTries: tries, lastSeen: now };
      write(charged);
      if (PIN_ENTRY_PATTERN.test(pin) && (await pinMatches(pin, stored))) {
        write({ ...NO_STREAK, lastSeen: Math.max(now, clock()) });
        return { result: 'ok' };
      }
      if (charged.lockedUntil > now) return { result: 'locked', retryInMs: charged.lockedUntil - now, retryAt: charged.lockedUntil };
      return { result: 'wrong', triesLeft: WRONG_TRIES_PER_LOCK - tries };
    },
  };
}

export type PinGuard = ReturnType<typeof createPinGuard>;
