import { LedgerUnusable, RESTORE, type LedgerDatabase } from './database';

/**
 * SQLite's full check of the ledger file (`PRAGMA quick_check`) reads every page: 1.6 s for a
 * 580 MB ledger. So it is not made where every command and every start would pay it (the open
 * checks only what is O(1): the header, the identity, the schema version). It is made where it
 * belongs: at each close, before the backup is taken; by `doctor`; and once per process before
 * any money moves, which the app starts in the background soon after it opens.
 */
export function quickCheck(db: LedgerDatabase): string {
  try {
    const rows = db.pragma('quick_check', { simple: false }) as { quick_check: string }[];
    return rows.map((row) => row.quick_check).slice(0, 3).join('; ') || 'no answer';
  } catch (error) {
    return error instanceof Error ? (error.message.split('\n')[0] ?? 'unknown error') : String(error);
  }
}

export type LedgerCheck = ReturnType<typeof createLedgerCheck>;

/** The ledger's full check, made once per process: before the first money moves, or earlier in the background. */
export function createLedgerCheck(db: LedgerDatabase, path: string) {
  let outcome: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  const check = {
    /** Refuses in words, before anything is written or sent, when the file is damaged. */
    beforeMoney(): void {
      outcome ??= quickCheck(db);
      if (outcome !== 'ok') throw new LedgerUnusable('damaged', `The ledger ${path} is damaged (${outcome}). ${RESTORE}`);
    },
    /** Makes the check soon, off the start's path; a damage found then refuses the first sale. */
    inBackground(delayMs: number): void {
      if (outcome !== undefined || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        if (db.open) outcome ??= quickCheck(db);
      }, delayMs);
      timer.unref();
    },
    stop(): void {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
  return check;
}
