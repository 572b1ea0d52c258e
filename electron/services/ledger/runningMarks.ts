import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Which processes have a ledger open: a mark per process in `<ledger>.running/`, removed when the
 * process closes the ledger. A restore must not swap the file under a till that is still writing
 * to it (its sales would go into the file set aside), and SQLite has no lock an idle connection
 * holds, so the till says so itself. A mark left by a process that died is recognised and removed.
 */
const folderOf = (ledgerPath: string) => `${ledgerPath}.running`;

export function markRunning(ledgerPath: string): () => void {
  const folder = folderOf(ledgerPath);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const mark = join(folder, String(process.pid));
  writeFileSync(mark, '', { mode: 0o600 });
  return () => rmSync(mark, { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The other processes that have the ledger open now. */
export function otherProcessesUsing(ledgerPath: string): number[] {
  let names: string[];
  try {
    names = readdirSync(folderOf(ledgerPath));
  } catch {
    return [];
  }
  const living: number[] = [];
  for (const name of names) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    if (alive(pid)) living.push(pid);
    else rmSync(join(folderOf(ledgerPath), name), { force: true });
  }
  return living;
}
