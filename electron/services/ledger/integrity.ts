import { Worker } from 'node:worker_threads';
import { sqliteModule } from '../sqlite/openSqlite';
import { LedgerUnusable, RESTORE, type LedgerDatabase } from './database';

/**
 * SQLite's full check of the ledger file (`PRAGMA quick_check`) reads every page: 1.6 s for a
 * 580 MB ledger. So it is not made where every command and every start would pay it (the open
 * checks only what is O(1): the header, the identity, the schema version). It is made where it
 * belongs: at each close, before the backup is taken; by `doctor`; and once per process before
 * any money moves, which the app starts in a worker thread soon after it opens.
 */
export function quickCheck(db: LedgerDatabase): string {
  try {
    const rows = db.pragma('quick_check', { simple: false }) as { quick_check: string }[];
    return rows.map((row) => row.quick_check).slice(0, 3).join('; ') || 'no answer';
  } catch (error) {
    return error instanceof Error ? (error.message.split('\n')[0] ?? 'unknown error') : String(error);
  }
}

/**
 * The check in a worker thread, through its own read-only connection: 1.6 s of a 580 MB ledger
 * spent there leaves the counter's own thread free. Plain CommonJS evaluated as the worker's code,
 * so it runs the same from sources, under tests and in the packaged app (no file of its own to
 * bundle). An SQLite error opening or reading the file is the check's answer, as in `quickCheck`.
 */
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
let Database;
try {
  Database = require(workerData.module);
} catch (error) {
  parentPort.postMessage({ unavailable: String(error && error.message || error).split('\\n')[0] });
  return;
}
let db;
try {
  db = new Database(workerData.path, workerData.nativeBinding ? { readonly: true, fileMustExist: true, nativeBinding: workerData.nativeBinding } : { readonly: true, fileMustExist: true });
  const rows = db.pragma('quick_check', { simple: false });
  parentPort.postMessage({ answer: rows.map((row) => row.quick_check).slice(0, 3).join('; ') || 'no answer' });
} catch (error) {
  parentPort.postMessage(error && error.code && /^SQLITE_/.test(error.code) ? { answer: String(error.message).split('\\n')[0] } : { unavailable: String(error && error.message || error).split('\\n')[0] });
} finally {
  if (db) db.close();
}`;

type WorkerOutcome = { readonly answer: string } | { readonly unavailable: string };

/**
 * Never terminated: a worker stopped in the middle of an SQLite call can take the whole process
 * down with it (V8's "ToLocalChecked Empty MaybeLocal" abort when better-sqlite3 throws into a
 * dying thread), which a CI run saw when a till closed while its check ran. A check that is no
 * longer wanted runs to its end (a read-only pass over the file) and its answer is dropped; the
 * thread does not keep the process alive, and closing the till waits for it (`finished`).
 */
function checkInWorker(path: string): { readonly done: Promise<WorkerOutcome>; readonly finished: Promise<void> } {
  const worker = new Worker(`(() => {${WORKER_CODE}\n})()`, { eval: true, workerData: { ...sqliteModule(), path } });
  worker.unref();
  const finished = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const done = new Promise<WorkerOutcome>((resolve) => {
    worker.once('message', (message: WorkerOutcome) => resolve(message));
    worker.once('error', (error) => resolve({ unavailable: error.message }));
    worker.once('exit', (code) => resolve({ unavailable: `the check's thread ended (${code})` }));
  });
  return { done, finished };
}

export type LedgerCheck = ReturnType<typeof createLedgerCheck>;

/** The ledger's full check, made once per process: before the first money moves, or earlier in the background. */
export function createLedgerCheck(db: LedgerDatabase, path: string) {
  let outcome: string | undefined;
  let ranIn: 'worker' | 'thread' | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: ReturnType<typeof checkInWorker> | undefined;
  let background: { readonly settled: Promise<void>; readonly resolve: () => void } | undefined;
  const inThread = () => {
    if (outcome !== undefined || stopped || !db.open) return;
    outcome = quickCheck(db);
    ranIn = 'thread';
  };
  const check = {
    /** Refuses in words, before anything is written or sent, when the file is damaged (checked here if the background has not answered yet). */
    beforeMoney(): void {
      inThread();
      if (outcome !== 'ok') throw new LedgerUnusable('damaged', `The ledger ${path} is damaged (${outcome}). ${RESTORE}`);
    },
    /** Makes the check soon, in a worker thread, off the start's path; a damage found then refuses the first sale. */
    inBackground(delayMs: number): void {
      if (outcome !== undefined || stopped || background) return;
      let resolve = () => {};
      background = { settled: new Promise<void>((done) => (resolve = done)), resolve: () => resolve() };
      timer = setTimeout(() => {
        timer = undefined;
        if (stopped || outcome !== undefined || !db.open) return background?.resolve();
        running = checkInWorker(path);
        void running.done.then((answer) => {
          running = undefined;
          if ('answer' in answer) {
            if (outcome === undefined && !stopped) [outcome, ranIn] = [answer.answer, 'worker'];
          } else {
            // No thread could make it (the module would not load there): made here instead.
            inThread();
          }
          background?.resolve();
        });
      }, delayMs);
      timer.unref();
    },
    /** Whether the check has been made, where, and whether the file passed (for the tests). */
    state: () => (outcome === undefined ? { checked: false as const } : { checked: true as const, ok: outcome === 'ok', ranIn }),
    /** Resolves when the background check has answered, or was stopped. */
    settled: (): Promise<void> => background?.settled ?? Promise.resolve(),
    /** Drops the background check's answer; resolves once its thread, if one is running, has ended. */
    stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      background?.resolve();
      return running?.finished ?? Promise.resolve();
    },
  };
  return check;
}
