import Database from 'better-sqlite3';
import { PAYMENT_TRANSITIONS, REFUND_TRANSITIONS } from '../../../shared/ledger/lifecycle';
import { MIGRATIONS } from './migrations';

/**
 * Opens a till's ledger. Short synchronous transactions in the main process are deliberate: a
 * till writes a few rows a minute, each commit is a millisecond, and a synchronous write means
 * "committed" is true the moment the function returns, before any request leaves or any screen
 * hears of it.
 */
export type LedgerDatabase = Database.Database;

export function openLedgerDatabase(path: string): LedgerDatabase {
  const db = new Database(path);
  // WAL lets the app and the CLI read while the other writes; FULL makes every commit durable
  // against power loss, which is the point of a money log.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Another process (the CLI beside the app) may hold the write lock for a moment: wait for it.
  db.pragma('busy_timeout = 5000');
  migrate(db);
  syncLegalTransitions(db);
  return db;
}

function migrate(db: LedgerDatabase): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`this ledger was written by a newer version of the app (schema ${current}); update the app`);
  }
  for (let version = current; version < MIGRATIONS.length; version += 1) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}

function syncLegalTransitions(db: LedgerDatabase): void {
  const rows: [string, string, string][] = [];
  for (const [from, targets] of Object.entries(PAYMENT_TRANSITIONS)) for (const to of targets) rows.push(['payment', from, to]);
  for (const [from, targets] of Object.entries(REFUND_TRANSITIONS)) for (const to of targets) rows.push(['refund', from, to]);
  const insert = db.prepare('INSERT INTO legal_transitions (entity, from_state, to_state) VALUES (?, ?, ?)');
  db.transaction(() => {
    db.exec('DELETE FROM legal_transitions');
    for (const row of rows) insert.run(...row);
  }).immediate();
}
