import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { openLedgerDatabase } from '../../electron/services/ledger/database';

/**
 * Damage that only the full check (quick_check) can find: a long tail of gateway exchanges is
 * written to the ledger, then one page among them is scribbled over. Opening reads only the
 * header, the identity and the schema, so it does not see it.
 */
export function addLongTail(path: string): void {
  const db = openLedgerDatabase(path);
  try {
    const insert = db.prepare("INSERT INTO gateway_calls (endpoint, request_fields, result_kind, started_at, finished_at) VALUES ('query', ?, 'success', 1, 2)");
    db.transaction(() => {
      for (let index = 0; index < 400; index += 1) insert.run('x'.repeat(1_000));
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

/** Overwrites a page near the end of the file (inside the long tail) with junk. */
export function scribbleDeepInside(path: string): void {
  const pages = statSync(path).size / 4096;
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, (pages - 20) * 4096);
  } finally {
    closeSync(fd);
  }
}
