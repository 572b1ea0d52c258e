import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';
import { NEW_PIN_PATTERN, PIN_ENTRY_PATTERN } from '../../../shared/settings/managerPinRules';

/**
 * The manager's PIN, kept only as a slow salted hash (scrypt).
 *
 * The cost is fixed, not calibrated when the PIN is set: a calibration run on a busy till would
 * pick a weaker hash without anyone noticing, and fixed numbers can be checked in a test.
 * N = 2^16, r = 8, p = 1 takes 64 MiB and 310-340 ms on this project's 2-core machine
 * (`npx tsx scripts/pinFigures.ts` measures it); N = 2^17 took 700 ms, too long to wait at a
 * counter (an unlock of an older PIN hashes twice). Against a copied settings file that is about
 * four days of one core for every six-digit PIN, where the old N = 2^15 and four digits fell in
 * 27 minutes: the file is the weaker door, kept readable by this user only.
 *
 * A hash keeps the parameters it was made with, so older hashes still verify; a right PIN is
 * hashed again with the current ones (`needsRehash`). Tests pass cheaper parameters explicitly
 * (openSettingsService's `pinCost`); nothing read from the environment can lower them.
 */
export interface PinCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

export const PIN_COST: PinCost = { N: 2 ** 16, r: 8, p: 1 };

/**
 * Bounds on what a settings file may ask of scrypt: a hand-edited N = 2^30 would otherwise ask for
 * 128 GiB at the next unlock. The lowest N is there for tests' cheap hashes.
 */
export const pinHashSchema = z.object({
  salt: z.string(),
  hash: z.string(),
  N: z
    .number()
    .int()
    .min(2 ** 10)
    .max(2 ** 20)
    .refine((n) => (n & (n - 1)) === 0, 'N is a power of two'),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(4),
});
export type PinHash = z.output<typeof pinHashSchema>;

/** scrypt needs 128·N·r bytes; Node refuses above 32 MiB unless told, so the limit follows the cost. */
function scryptOptions({ N, r, p }: PinCost): ScryptOptions {
  return { N, r, p, maxmem: 256 * N * r };
}

/** Asynchronous: 300 ms in the thread pool, so the till goes on polling and drawing meanwhile. */
function derive(pin: string, salt: Buffer, length: number, cost: PinCost): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(pin, salt, length, scryptOptions(cost), (error, key) => (error ? reject(error) : resolve(key))));
}

/** A new PIN's hash: only 6 to 8 digits are accepted as a new PIN. */
export async function hashPin(pin: string, cost: PinCost = PIN_COST): Promise<PinHash> {
  if (!NEW_PIN_PATTERN.test(pin)) throw new RangeError('a new PIN is 6 to 8 digits');
  return hashAnyPin(pin, cost);
}

/** Also a 4-5 digit PIN, for hashing an older PIN again with the current cost after it unlocked. */
export async function hashAnyPin(pin: string, cost: PinCost = PIN_COST): Promise<PinHash> {
  if (!PIN_ENTRY_PATTERN.test(pin)) throw new RangeError('a PIN is 4 to 8 digits');
  const salt = randomBytes(16);
  const hash = await derive(pin, salt, 32, cost);
  return { salt: salt.toString('base64'), hash: hash.toString('base64'), N: cost.N, r: cost.r, p: cost.p };
}

/** Checked with the parameters the hash was made with, in constant time. */
export async function pinMatches(pin: string, stored: PinHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await derive(pin, Buffer.from(stored.salt, 'base64'), expected.length, stored);
  return timingSafeEqual(actual, expected);
}

/** Whether a hash was made with other parameters than the till's (an older, cheaper one). */
export function needsRehash(stored: PinHash, cost: PinCost = PIN_COST): boolean {
  return stored.N !== cost.N || stored.r !== cost.r || stored.p !== cost.p;
}
