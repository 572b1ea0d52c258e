import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { nodeEntryArgs } from './nodeEntries';

/** The caller's environment without QFPOS_*: no gateway variable may turn a demo till into a real one. */
export function demoTillEnv(db: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('QFPOS_')));
  return { ...env, QFPOS_DB: db };
}

/** What demo web mode prints: the screens' one-time links, and the training wallet's page of customer's codes. */
export interface WebModeLinks {
  readonly cashier: string;
  readonly display: string;
  /** `…/__sim__/code` on the demo gateway, whose origin is also its loopback-only control surface. */
  readonly codePage: string;
}

/**
 * Web mode (demo gateway) on the ledger `db`, as `npm start` runs it where Electron cannot be had.
 * The child is returned at once, so a caller can kill it whatever happens next; `links` resolves
 * with the two one-time links and the training code page it prints (also at a restart on the same
 * ledger).
 */
export function startWebMode(root: string, db: string): { child: ChildProcess; links: Promise<WebModeLinks> } {
  const child = spawn(process.execPath, nodeEntryArgs('web'), { cwd: root, env: demoTillEnv(db), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const links = new Promise<WebModeLinks>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web mode printed no links within 60 s:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const cashier = /cashier screen:\s+(\S+)/.exec(output)?.[1];
      const display = /customer display:\s+(\S+)/.exec(output)?.[1];
      // Printed after the links, by a demo gateway only (the only kind these scripts start).
      const codePage = /training payment codes, for the scanner:\s+(\S+)/.exec(output)?.[1];
      if (cashier && display && codePage) {
        clearTimeout(timer);
        resolve({ cashier, display, codePage });
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web mode exited (${code}) before it printed its links:\n${output}`));
    });
  });
  return { child, links };
}

/** SIGTERM (web mode closes its bridge and the ledger, then exits), SIGKILL after 10 s. */
export async function stopWebMode(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const inTime = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
  if (!inTime) {
    child.kill('SIGKILL');
    await exited;
  }
}
