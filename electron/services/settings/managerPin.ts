import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * The manager's PIN, kept only as a slow salted hash (scrypt, N = 2^15: about 50-100 ms a try on
 * a till), and guarded against guessing: after five wrong tries the screen locks for five minutes.
 */
export const PIN_PATTERN = /^\d{4,8}$/;
const PARAMETERS = { N: 2 ** 15, r: 8, p: 1 } as const;

export const pinHashSchema = z.object({
  salt: z.string(),
  hash: z.string(),
  N: z.number().int(),
  r: z.number().int(),
  p: z.number().int(),
});
export type PinHash = z.output<typeof pinHashSchema>;

export function hashPin(pin: string): PinHash {
  if (!PIN_PATTERN.test(pin)) throw new RangeError('a PIN is 4 to 8 digits');
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, 32, { ...PARAMETERS, maxmem: 64 * 1024 * 1024 });
  return { salt: salt.toString('base64'), hash: hash.toString('base64'), ...PARAMETERS };
}

export function pinMatches(pin: string, stored: PinHash): boolean {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = scryptSync(pin, Buffer.from(stored.salt, 'base64'), expected.length, { N: stored.N, r: stored.r, p: stored.p, maxmem: 64 * 1024 * 1024 });
  return timingSafeEqual(actual, expected);
}

export const MAX_WRONG_TRIES = 5;
export const LOCKOUT_MS = 5 * 60_000;

export interface PinGuardState {
  readonly wrongTries: number;
  readonly lockedUntil: number;
}

/**
 * Counts wrong tries. The count and the lock are kept by `state` (in the settings file, so that
 * restarting the app does not reset them); without it, in memory.
 */
export function createPinGuard(clock: () => number = Date.now, state?: { read(): PinGuardState; write(next: PinGuardState): void }) {
  let memory: PinGuardState = { wrongTries: 0, lockedUntil: 0 };
  const read = () => state?.read() ?? memory;
  const write = (next: PinGuardState) => {
    memory = next;
    state?.write(next);
  };
  return {
    /** 'ok', 'wrong' (with tries left), or 'locked' (with ms left). */
    check(pin: string, stored: PinHash): { result: 'ok' } | { result: 'wrong'; triesLeft: number } | { result: 'locked'; retryInMs: number } {
      const now = clock();
      const { wrongTries, lockedUntil } = read();
      if (now < lockedUntil) return { result: 'locked', retryInMs: lockedUntil - now };
      if (PIN_PATTERN.test(pin) && pinMatches(pin, stored)) {
        if (wrongTries !== 0) write({ wrongTries: 0, lockedUntil: 0 });
        return { result: 'ok' };
      }
      const wrong = wrongTries + 1;
      if (wrong >= MAX_WRONG_TRIES) {
        write({ wrongTries: 0, lockedUntil: now + LOCKOUT_MS });
        return { result: 'locked', retryInMs: LOCKOUT_MS };
      }
      write({ wrongTries: wrong, lockedUntil: 0 });
      return { result: 'wrong', triesLeft: MAX_WRONG_TRIES - wrong };
    },
  };
}
