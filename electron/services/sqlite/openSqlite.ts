import Database from 'better-sqlite3';

/**
 * Every SQLite file the till process opens (the ledger, its backups, the export's reader, the demo
 * gateway) goes through here, so that one process-wide choice of native binding applies to all.
 * Under Node (tests, CLI, web mode) better-sqlite3 loads its own build from node_modules. Under
 * Electron started from a source checkout, the shell names a build for Electron's ABI that
 * `npm start` obtained into its own folder, so the Node build is never swapped behind the tests.
 */
let nativeBinding: string | undefined;

export function useSqliteBinding(path: string): void {
  nativeBinding = path;
}

export function openSqlite(path: string, options: Database.Options = {}): Database.Database {
  return new Database(path, nativeBinding ? { ...options, nativeBinding } : options);
}

export type SqliteDatabase = Database.Database;
