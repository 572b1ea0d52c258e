import type { LedgerDatabase } from '../database';

/**
 * The slips queued for the receipt printer (`slips`): each kept in the ledger before it is sent,
 * so a slip the printer did not take waits there, to be tried again or reprinted.
 */
export type SlipKind = 'payment' | 'refund' | 'period';
/** Why a slip did not print: the printer is off or unreachable, it took the bytes and never answered, or anything else. */
export type SlipErrorCode = 'off' | 'no_answer' | 'failed';

export interface SlipRecord {
  readonly id: number;
  readonly kind: SlipKind;
  readonly ref: string;
  readonly state: 'queued' | 'printed' | 'not_printed';
  readonly reason: 'paid' | 'requested';
  readonly attempts: number;
  readonly lastError: string | null;
  readonly errorCode: SlipErrorCode | null;
  readonly createdAt: number;
  readonly printedAt: number | null;
}

/** A slip as the ledger holds it, with when it is next due (what the print service's sender reads). */
export interface SlipRow {
  id: number;
  kind: SlipKind;
  ref: string;
  state: SlipRecord['state'];
  reason: SlipRecord['reason'];
  attempts: number;
  last_error: string | null;
  error_code: SlipErrorCode | null;
  created_at: number;
  next_try_at: number;
  printed_at: number | null;
}

export const toSlipRecord = (row: SlipRow): SlipRecord => ({
  id: row.id,
  kind: row.kind,
  ref: row.ref,
  state: row.state,
  reason: row.reason,
  attempts: row.attempts,
  lastError: row.last_error,
  errorCode: row.error_code,
  createdAt: row.created_at,
  printedAt: row.printed_at,
});

export function slipQueries(db: LedgerDatabase) {
  const statements = {
    insert: db.prepare<[SlipKind, string, SlipRecord['reason'], number, number]>("INSERT INTO slips (kind, ref, state, reason, created_at, next_try_at) VALUES (?, ?, 'queued', ?, ?, ?)"),
    due: db.prepare<[number], SlipRow>("SELECT * FROM slips WHERE state <> 'printed' AND next_try_at <= ? ORDER BY id LIMIT 1"),
    byId: db.prepare<[number], SlipRow>('SELECT * FROM slips WHERE id = ?'),
    waitingOf: db.prepare<[SlipKind, string], SlipRow>("SELECT * FROM slips WHERE kind = ? AND ref = ? AND state <> 'printed' ORDER BY id DESC LIMIT 1"),
    dueNow: db.prepare<[number, number]>("UPDATE slips SET next_try_at = ?, state = 'queued' WHERE id = ?"),
    printed: db.prepare<[number, number, number]>("UPDATE slips SET state = 'printed', printed_at = ?, attempts = attempts + 1, last_error = NULL, error_code = NULL WHERE id = ? AND attempts = ?"),
    // The next try is put off only if nobody asked for this slip meanwhile (a reprint makes it due now).
    notPrinted: db.prepare<[string, SlipErrorCode, number, number, number, number]>(
      "UPDATE slips SET state = 'not_printed', last_error = ?, error_code = ?, next_try_at = CASE WHEN next_try_at = ? THEN ? ELSE next_try_at END, attempts = attempts + 1 WHERE id = ? AND attempts = ?",
    ),
  };
  return {
    /** A new slip, due at `now`: its id. */
    insert: (kind: SlipKind, ref: string, reason: SlipRecord['reason'], now: number): number => Number(statements.insert.run(kind, ref, reason, now, now).lastInsertRowid),
    /** The oldest slip not printed that is due at `now`. */
    due: (now: number): SlipRow | undefined => statements.due.get(now),
    byId: (id: number): SlipRow | undefined => statements.byId.get(id),
    /** The newest slip of this kind and ref still waiting to print. */
    waitingOf: (kind: SlipKind, ref: string): SlipRow | undefined => statements.waitingOf.get(kind, ref),
    makeDue: (id: number, now: number) => void statements.dueNow.run(now, id),
    /** Marks the attempt printed, unless another attempt was counted meanwhile. */
    markPrinted: (row: Pick<SlipRow, 'id' | 'attempts'>, at: number) => void statements.printed.run(at, row.id, row.attempts),
    /** Counts the attempt as failed; the next try moves to `nextTryAt` unless the slip was made due meanwhile. */
    markNotPrinted: (row: Pick<SlipRow, 'id' | 'attempts' | 'next_try_at'>, failure: { message: string; code: SlipErrorCode; nextTryAt: number }) =>
      void statements.notPrinted.run(failure.message, failure.code, row.next_try_at, failure.nextTryAt, row.id, row.attempts),
    /** Whether a slip of this kind and ref was ever queued on payment. */
    queuedOnPayment: (kind: SlipKind, ref: string): boolean => db.prepare<[SlipKind, string], { found: number }>("SELECT 1 AS found FROM slips WHERE kind = ? AND ref = ? AND reason = 'paid'").get(kind, ref) !== undefined,
    latest: (kind: SlipKind, ref: string): SlipRow | undefined => db.prepare<[SlipKind, string], SlipRow>('SELECT * FROM slips WHERE kind = ? AND ref = ? ORDER BY id DESC LIMIT 1').get(kind, ref),
    notPrinted: (): SlipRow[] => db.prepare<[], SlipRow>("SELECT * FROM slips WHERE state <> 'printed' ORDER BY id").all(),
    /** Makes every waiting slip due now, but those the printer took and never answered about (a person reprints those). */
    makeWaitingDue: () => void db.prepare("UPDATE slips SET next_try_at = 0 WHERE state <> 'printed' AND error_code IS NOT 'no_answer'").run(),
  };
}
