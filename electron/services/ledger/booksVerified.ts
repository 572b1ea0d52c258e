import type { BooksCheck } from '../../../shared/ledger/chain';
import type { SqliteDatabase } from '../sqlite/openSqlite';
import { chainHeadAt, checkLedgerChain } from './chain';
import { ledgerMeta, setLedgerMeta } from './database';

/**
 * How far this till has verified its chain: the newest row (and its link) that a check found
 * honest, with everything before it. An X report then hashes only the history since, so its cost
 * is the rows since the last check, not the whole open period. Rows changed behind that mark are
 * still found: by the day's check on the manager's screen, by the full period check at every
 * close, by `doctor` over the whole history, and by the head office against its copy.
 */
const KEY = 'books_verified_to';

/** The verified row, if its link is still the one the check saw (otherwise nothing is trusted). */
export function verifiedTo(db: SqliteDatabase, ledgerId: string): number {
  const mark = ledgerMeta(db, KEY);
  const [seqText, link] = (mark ?? '').split(':');
  const seq = Number(seqText);
  return Number.isSafeInteger(seq) && seq > 0 && link !== undefined && chainHeadAt(db, ledgerId, seq) === link ? seq : 0;
}

/** Remembers an honest check up to `seq` (never on a read-only connection, never backwards). */
export function markVerified(db: SqliteDatabase, ledgerId: string, seq: number, check: BooksCheck): void {
  if (db.readonly || check.problems.length > 0 || seq <= verifiedTo(db, ledgerId)) return;
  const link = chainHeadAt(db, ledgerId, seq);
  if (link === undefined) return;
  setLedgerMeta(db, KEY, `${seq}:${link}`);
}

/** The stretch after `after` up to `upto`, hashing only what no check has verified yet. */
export function checkSinceVerified(db: SqliteDatabase, ledgerId: string, after: number, upto: number): BooksCheck {
  const verified = verifiedTo(db, ledgerId);
  const from = verified > after && verified <= upto ? verified : after;
  const check = checkLedgerChain(db, ledgerId, from, upto);
  markVerified(db, ledgerId, upto, check);
  return from > after ? { ...check, verifiedBefore: from } : check;
}
