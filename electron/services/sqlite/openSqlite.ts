import { createRequire } from 'node:module';
import Database from 'better-sqlite3';

/**
 * Every SQLite file the till process opens (the ledger, its backups, the export's reader, the demo
 * gateway) goes through here, so that one process-wide choice of native binding applies to all.
 * Under Node (tests, CLI, web mode) better-sqlite3 loads its own build from node_modules. Under
 * Electron started from a source checkout, the shell names a build for Electron's ABI that
 * `npm start` obtained into its own folder, so the Node build is never swapped behind the tests.
 */
let nativeBinding: string | undefined;
let addon: object | undefined;

export function useSqliteBinding(path: string | undefined): void {
  nativeBinding = path;
  addon = undefined;
}

/**
 * better-sqlite3's native file could not be loaded (missing, or built for another ABI). Kept apart
 * from a damaged ledger: advice to restore a backup would be wrong and costly here.
 */
export class SqliteBindingUnusable extends Error {
  constructor(cause: string) {
    super(
      `better-sqlite3 cannot be loaded in this process (${cause}). Start the desktop app with \`npm start\`, which obtains the build for Electron; for the tests and the CLI, \`npm rebuild better-sqlite3\`.`,
    );
    this.name = 'SqliteBindingUnusable';
  }
}

const BINDING_FAILURE = /NODE_MODULE_VERSION|Cannot find module|invalid ELF header|not a valid Win32 application|dlopen|wrong ELF class|mach-o|Could not locate the bindings file/i;

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

/** The named build, loaded once: any failure to load it is the binding's, never the ledger's. */
function namedAddon(): object | undefined {
  if (!nativeBinding || addon) return addon;
  try {
    addon = createRequire(import.meta.url)(nativeBinding) as object;
  } catch (error) {
    throw new SqliteBindingUnusable(firstLine(error));
  }
  return addon;
}

/**
 * What another thread of this process needs to open SQLite the same way: better-sqlite3's own
 * module file, and the native build named for this process (if any).
 */
export function sqliteModule(): { readonly module: string; readonly nativeBinding: string | undefined } {
  return { module: createRequire(import.meta.url).resolve('better-sqlite3'), nativeBinding };
}

export function openSqlite(path: string, options: Database.Options = {}): Database.Database {
  // Loaded here first so that its failure is told apart; better-sqlite3 then finds it in require's cache.
  const binding = namedAddon() && nativeBinding;
  try {
    return new Database(path, binding ? { ...options, nativeBinding: binding } : options);
  } catch (error) {
    // better-sqlite3's own build, loaded on first use, in a process of another ABI (`electron .`).
    if (BINDING_FAILURE.test(firstLine(error))) throw new SqliteBindingUnusable(firstLine(error));
    throw error;
  }
}

export type SqliteDatabase = Database.Database;
