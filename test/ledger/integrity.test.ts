import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LedgerUnusable, openLedgerDatabase, type LedgerDatabase } from '../../electron/services/ledger/database';
import { createLedgerCheck } from '../../electron/services/ledger/integrity';
import { addLongTail, scribbleDeepInside } from '../support/damagedLedger';
import { testLedgerFile, type TestFolder } from '../support/ledger';

/**
 * The ledger file's full check made in the background after start, in a worker thread with its
 * own read-only connection (the counter's thread stays free), on real SQLite files: sound, and
 * scribbled over deep inside where opening does not read.
 */

let folder: TestFolder;
let path: string;
let db: LedgerDatabase | undefined;
beforeEach(() => {
  ({ folder, path } = testLedgerFile('qfpos-integrity-'));
  addLongTail(path);
});
afterEach(() => {
  db?.close();
  db = undefined;
  folder.remove();
});

describe('the ledger check in the background', () => {
  it('passes a sound file from a worker thread, and the first sale then goes ahead without checking again', async () => {
    db = openLedgerDatabase(path);
    const check = createLedgerCheck(db, path);
    check.inBackground(0);
    expect(check.state()).toEqual({ checked: false });
    await check.settled();
    expect(check.state()).toEqual({ checked: true, ok: true, ranIn: 'worker' });
    expect(() => check.beforeMoney()).not.toThrow();
    expect(check.state()).toMatchObject({ ranIn: 'worker' });
  });

  it('finds a page damaged where opening does not read, and the first sale is refused in words', async () => {
    scribbleDeepInside(path);
    db = openLedgerDatabase(path);
    const check = createLedgerCheck(db, path);
    check.inBackground(0);
    await check.settled();
    expect(check.state()).toEqual({ checked: true, ok: false, ranIn: 'worker' });
    let refused: unknown;
    try {
      check.beforeMoney();
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(LedgerUnusable);
    expect((refused as LedgerUnusable).message).toMatch(/till\.sqlite is damaged \(.+\).*Restore the latest backup/);
  });

  it('is made on the spot when the first sale comes before the background has answered', () => {
    scribbleDeepInside(path);
    db = openLedgerDatabase(path);
    const check = createLedgerCheck(db, path);
    check.inBackground(60_000);
    expect(() => check.beforeMoney()).toThrow(/is damaged/);
    expect(check.state()).toEqual({ checked: true, ok: false, ranIn: 'thread' });
    check.stop();
  });

  it('stopped while its thread reads the file, lets the thread finish (never kills it mid-call) and drops its answer', async () => {
    db = openLedgerDatabase(path);
    const check = createLedgerCheck(db, path);
    check.inBackground(0);
    await new Promise((resolve) => setTimeout(resolve, 1));
    await check.stop();
    await check.settled();
    expect(check.state()).toEqual({ checked: false });
  });

  it('stopped before it starts, checks nothing and leaves no thread behind', async () => {
    db = openLedgerDatabase(path);
    const check = createLedgerCheck(db, path);
    check.inBackground(50);
    check.stop();
    await check.settled();
    expect(check.state()).toEqual({ checked: false });
  });
});
