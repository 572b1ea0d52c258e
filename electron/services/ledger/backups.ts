import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { openSqlite, type SqliteDatabase } from '../sqlite/openSqlite';
import { formatHongKongTimestamp } from '../../../shared/hkTime';
import { fsyncFile, fsyncFolder } from '../files/atomicFile';
import { ledgerIdOf, LedgerUnusable, type LedgerDatabase } from './database';
import { otherProcessesUsing } from './runningMarks';

/** A restore refused because a till still has the ledger open. */
export class LedgerInUse extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LedgerInUse';
  }
}

/**
 * A copy of the ledger taken at every close with SQLite's online backup (the till keeps working
 * while it is made), kept beside the ledger in `backups/`, readable by this user only. The last
 * BACKUPS_KEPT are kept. Restoring one puts the current ledger aside, never deletes it.
 */
export const BACKUPS_KEPT = 30;

export const backupFolder = (ledgerPath: string) => join(dirname(ledgerPath), 'backups');

const stem = (ledgerPath: string) => basename(ledgerPath).replace(/\.sqlite$/, '');

export interface BackupInfo {
  readonly file: string;
  readonly bytes: number;
}

export async function backupLedger(db: LedgerDatabase, ledgerPath: string, label: { zNumber: number; at: number }): Promise<{ ok: true; file: string } | { ok: false; error: string }> {
  const folder = backupFolder(ledgerPath);
  const stamp = formatHongKongTimestamp(label.at).replace(/[-: ]/g, '').replace(/^(\d{8})/, '$1-');
  const file = join(folder, `${stem(ledgerPath)}-Z${String(label.zNumber).padStart(4, '0')}-${stamp}.sqlite`);
  const partial = `${file}.partial`;
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    rmSync(partial, { force: true });
    closeSync(openSync(partial, 'wx', 0o600));
    await db.backup(partial);
    renameSync(partial, file);
    fsyncFolder(folder);
    db.prepare('INSERT INTO backups (z_number, file, taken_at) VALUES (?, ?, ?)').run(label.zNumber, basename(file), label.at);
    pruneBackups(ledgerPath);
    return { ok: true, file };
  } catch (error) {
    rmSync(partial, { force: true });
    const message = error instanceof Error ? error.message : String(error);
    db.prepare('INSERT INTO backups (z_number, file, taken_at, error) VALUES (?, ?, ?, ?)').run(label.zNumber, basename(file), label.at, message);
    return { ok: false, error: message };
  }
}

/** The backups of this ledger, newest first. */
export function listBackups(ledgerPath: string): BackupInfo[] {
  const folder = backupFolder(ledgerPath);
  if (!existsSync(folder)) return [];
  const prefix = `${stem(ledgerPath)}-Z`;
  return readdirSync(folder)
    .filter((name) => name.startsWith(prefix) && name.endsWith('.sqlite'))
    .sort()
    .reverse()
    .map((name) => ({ file: join(folder, name), bytes: statSync(join(folder, name)).size }));
}

function pruneBackups(ledgerPath: string): void {
  for (const old of listBackups(ledgerPath).slice(BACKUPS_KEPT)) rmSync(old.file, { force: true });
}

/**
 * Puts a backup in the ledger's place. The backup must open, pass SQLite's check, and be the same
 * ledger (same identity) as the one it replaces or the settings expect. The current ledger and its
 * WAL are moved aside as `<ledger>.replaced-<time>`, never deleted. The app must not be running.
 */
export function restoreBackup(ledgerPath: string, backupFile: string, expectedLedgerId: string | undefined, now: number): { replacedBy: string; setAside: string | null; ledgerId: string } {
  const running = otherProcessesUsing(ledgerPath);
  if (running.length > 0) {
    throw new LedgerInUse(`the ledger is open in another process (${running.join(', ')}): quit the app and any command using it, then restore`);
  }
  if (!existsSync(backupFile)) throw new LedgerUnusable('missing', `no backup at ${backupFile}`);
  let backup: SqliteDatabase;
  try {
    backup = openSqlite(backupFile, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new LedgerUnusable('not_a_ledger', `${backupFile} cannot be opened: ${error instanceof Error ? error.message : String(error)}`);
  }
  let ledgerId: string;
  try {
    const check = (backup.pragma('quick_check', { simple: true }) as string) ?? 'no answer';
    if (check !== 'ok') throw new LedgerUnusable('damaged', `${backupFile} is damaged (${check})`);
    ledgerId = ledgerIdOf(backup);
  } finally {
    backup.close();
  }
  if (expectedLedgerId && ledgerId !== expectedLedgerId) {
    throw new LedgerUnusable('replaced', `${backupFile} is a backup of ledger ${ledgerId.slice(0, 8)}, not of ledger ${expectedLedgerId.slice(0, 8)} that this till's settings expect`);
  }
  const stamp = formatHongKongTimestamp(now).replace(/[-: ]/g, '');
  let setAside: string | null = null;
  if (existsSync(ledgerPath)) {
    setAside = `${ledgerPath}.replaced-${stamp}`;
    renameSync(ledgerPath, setAside);
    for (const suffix of ['-wal', '-shm']) if (existsSync(ledgerPath + suffix)) renameSync(ledgerPath + suffix, setAside + suffix);
  }
  const partial = `${ledgerPath}.restoring`;
  copyFileSync(backupFile, partial);
  fsyncFile(partial);
  renameSync(partial, ledgerPath);
  fsyncFolder(dirname(ledgerPath));
  return { replacedBy: backupFile, setAside, ledgerId };
}
