import { pinHashSchema, type PinHash } from '../settings/managerPin';
import { ledgerMeta, setLedgerMeta, type LedgerDatabase } from './database';

/**
 * The ledger keeps a copy of its manager PIN's hash (never the PIN), written whenever the settings
 * that name this ledger hold one. It is what `settings adopt` checks: a person may bind a ledger to
 * a till whose settings are gone only by knowing that ledger's manager PIN. The file's mode keeps
 * it to this user, as for settings.json, which holds the same hash.
 */
const KEY = 'manager_pin';

export function keepManagerPin(db: LedgerDatabase, hash: PinHash | undefined): void {
  if (!hash) return;
  const text = JSON.stringify(hash);
  if (ledgerMeta(db, KEY) !== text) setLedgerMeta(db, KEY, text);
}

/** The PIN hash this ledger keeps; undefined if none was ever recorded (or it cannot be read). */
export function ledgerManagerPin(db: LedgerDatabase): PinHash | undefined {
  const text = ledgerMeta(db, KEY);
  if (text === undefined) return undefined;
  try {
    const parsed = pinHashSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

