import { chmodSync, closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { openSqlite, SqliteBindingUnusable, type SqliteDatabase } from '../sqlite/openSqlite';
import { legalEdges } from '../../../shared/ledger/lifecycle';
import { registerChainFunction } from './chain';
import { MIGRATIONS, type Migration } from './migrations';

/**
 * Opens a till's ledger. Short synchronous transactions in the main process are deliberate: a
 * till writes a few rows a minute, each commit is a millisecond, and a synchronous write means
 * "committed" is true the moment the function returns, before any request leaves or any screen
 * hears of it.
 *
 * A ledger that is missing, empty, not a database, damaged, or not the one this till's settings
 * remember is refused in words, never replaced by a new empty one: an empty ledger where one was
 * expected would tell the shop that nothing was ever sold.
 */
export type LedgerDatabase = SqliteDatabase;

export type LedgerProblem = 'missing' | 'empty' | 'not_a_ledger' | 'damaged' | 'replaced' | 'newer';

export class LedgerUnusable extends Error {
  constructor(
    readonly problem: LedgerProblem,
    message: string,
  ) {
    super(message);
    this.name = 'LedgerUnusable';
  }
}

export interface LedgerExpectation {
  /** The ledger this till's settings remember; absent on a till that never opened one. */
  readonly ledgerId?: string;
}

export const RESTORE = 'Restore the latest backup (docs/operating.md, "Restoring a backup"), or move settings.json away to start a new till.';

export function openLedgerDatabase(path: string, expectation: LedgerExpectation = {}): LedgerDatabase {
  const expected = expectation.ledgerId;
  if (!existsSync(path)) {
    if (expected) throw new LedgerUnusable('missing', `The ledger ${path} is missing, but this till's settings expect ledger ${short(expected)}. ${RESTORE}`);
    // Created by us, readable by this user only; SQLite gives its WAL and shared-memory files the same mode.
    closeSync(openSync(path, 'wx', 0o600));
  } else if (statSync(path).size === 0 && expected) {
    throw new LedgerUnusable('empty', `The ledger ${path} is empty (0 bytes): it was damaged or replaced. ${RESTORE}`);
  }

  let db: LedgerDatabase;
  try {
    db = openSqlite(path, { fileMustExist: true });
    registerChainFunction(db);
  } catch (error) {
    if (error instanceof SqliteBindingUnusable) throw error;
    throw new LedgerUnusable('not_a_ledger', `The ledger ${path} cannot be opened (${reason(error)}). ${RESTORE}`);
  }
  try {
    // Only what is O(1) here (the header, below the identity and the schema version): the full
    // check of every page is ledger/integrity.ts's, made before money moves, not at every open.
    const header = headerProblem(path);
    if (header) throw new LedgerUnusable('damaged', `The ledger ${path} is damaged (${header}). ${RESTORE}`);
    // WAL lets the app and the CLI read while the other writes; FULL makes every commit durable
    // against power loss, which is the point of a money log.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // Another process (the CLI beside the app) may hold the write lock for a moment: wait for it.
    db.pragma('busy_timeout = 5000');
    migrate(db);
    syncLegalTransitions(db);
    const id = ledgerIdOf(db);
    if (expected && id !== expected) {
      throw new LedgerUnusable('replaced', `The ledger ${path} is ledger ${short(id)}, not ledger ${short(expected)} that this till's settings expect: it was replaced. ${RESTORE}`);
    }
  } catch (error) {
    db.close();
    throw asLedgerDamage(error, path);
  }
  tighten(path);
  return db;
}

/** The ledger's identity, made by migration 2 and never changed. */
export function ledgerIdOf(db: LedgerDatabase): string {
  const row = db.prepare<[], { value: string }>("SELECT value FROM ledger_meta WHERE key = 'ledger_id'").get();
  if (!row) throw new LedgerUnusable('damaged', 'the ledger has no identity');
  return row.value;
}

/** A value the ledger keeps about itself (ledger_meta), or undefined. */
export function ledgerMeta(db: LedgerDatabase, key: string): string | undefined {
  return db.prepare<[string], { value: string }>('SELECT value FROM ledger_meta WHERE key = ?').get(key)?.value;
}

export function setLedgerMeta(db: LedgerDatabase, key: string, value: string): void {
  db.prepare('INSERT INTO ledger_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

/** The number of the last migration applied to the ledger (`PRAGMA user_version`). */
export const schemaVersion = (db: LedgerDatabase): number => db.pragma('user_version', { simple: true }) as number;

/** Whether a ledger has its identity yet: one from before identities (schema 1) gets it when this version opens it. */
export const hasIdentity = (db: LedgerDatabase): boolean => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ledger_meta'").get() !== undefined;

/**
 * Reads from a ledger file without changing it (no migration, no check); undefined if it is not
 * there or cannot be read. A damaged ledger is refused later, when the till opens it.
 */
export function peekLedger<T>(path: string, read: (db: LedgerDatabase) => T): T | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const db = openSqlite(path, { readonly: true, fileMustExist: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
}

/**
 * SQLite's own word that the file is damaged (a page it read is not what it should be), met
 * anywhere while the ledger is used, as the ledger's refusal in words; other errors as they are.
 */
export function asLedgerDamage(error: unknown, path: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return error;
  return new LedgerUnusable('damaged', `The ledger ${path} is damaged (${reason(error)}). ${RESTORE}`);
}

/** What is wrong with the file's 100-byte header, if anything: read without SQLite, in one read. */
function headerProblem(path: string): string | undefined {
  const size = statSync(path).size;
  if (size === 0) return undefined; // made just now, by us, for SQLite to fill
  const header = Buffer.alloc(100);
  const fd = openSync(path, 'r');
  try {
    if (readSync(fd, header, 0, 100, 0) < 100) return 'shorter than its header';
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1', 0, 16) !== 'SQLite format 3\0') return 'not a SQLite header';
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65_536 : raw;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) return `page size ${raw} in its header`;
  if (size % pageSize !== 0) return `${size} bytes is not a whole number of ${pageSize}-byte pages`;
  return undefined;
}

function migrate(db: LedgerDatabase): void {
  for (;;) {
    // Read the version under the write lock: two processes opening a new ledger at once must not
    // both apply the same migration.
    const applied = db
      .transaction((): boolean => {
        const current = schemaVersion(db);
        if (current > MIGRATIONS.length) {
          throw new LedgerUnusable('newer', `this ledger was written by a newer version of the app (schema ${current}); update the app`);
        }
        if (current === MIGRATIONS.length) return false;
        const migration = MIGRATIONS[current] as Migration;
        if (typeof migration === 'string') db.exec(migration);
        else migration(db);
        db.pragma(`user_version = ${current + 1}`);
        return true;
      })
      .immediate();
    if (!applied) return;
  }
}

function syncLegalTransitions(db: LedgerDatabase): void {
  const rows = legalEdges();
  const insert = db.prepare('INSERT INTO legal_transitions (entity, from_state, to_state) VALUES (?, ?, ?)');
  db.transaction(() => {
    db.exec('DELETE FROM legal_transitions');
    for (const row of rows) insert.run(...row);
  }).immediate();
}

/** Ledger files hold the shop's takings: readable by this user only, whoever loosened them. */
function tighten(path: string): void {
  if (process.platform === 'win32') return;
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file) && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  }
}

const short = (id: string) => id.slice(0, 8);

function reason(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] ?? 'unknown error' : String(error);
}
