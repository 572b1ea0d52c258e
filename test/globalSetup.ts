import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { BrowserServer } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { BUNDLED_ENTRIES, bundleNodeEntries } from '../scripts/nodeEntries';
import { chromiumPath, launchChromiumServer, SHARED_CHROMIUM } from './support/browser';
import { makeClusterTemplate, POSTGRES_TEMPLATE } from './support/postgres';

/** Marks every process the run starts (tests, their tills, simulators, browsers inherit it). */
const RUN_MARK = 'QFPOS_TEST_RUN';

/**
 * The built app, which the browser and bridge tests serve (`npm test` on a fresh clone must work
 * without a separate build step: about 3 s), and the command-line till, web mode and the relay
 * bundled for the tests that start them as processes (scripts/nodeEntries.ts). Made again before
 * each rerun in watch mode, so neither is older than the sources under test.
 */
async function buildForTests(): Promise<void> {
  const building = promisify(execFile)(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], { encoding: 'utf8' }).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`electron-vite build failed:\n${error.stdout ?? ''}\n${error.stderr ?? String(error)}`);
  });
  const bundling = bundleNodeEntries(process.cwd()).then((folder) => {
    process.env[BUNDLED_ENTRIES] = folder;
  });
  await Promise.all([building, bundling]);
}

/**
 * What the tests share, made once before they start: the builds above, a new PostgreSQL cluster for
 * each startPostgres to copy, and one Chromium for every browser test (see launchChromium). When
 * the run ends, no process it started may be left running: the run fails naming them (on Linux,
 * where /proc says who is whose).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const building = buildForTests();
  // initdb runs while the build does; a cluster that cannot be made is the PostgreSQL tests' to report.
  const postgresTemplate = makeClusterTemplate();
  if (postgresTemplate) process.env[POSTGRES_TEMPLATE] = postgresTemplate.path;
  let browser: BrowserServer | undefined;
  const closeShared = async () => {
    await browser?.close();
    postgresTemplate?.remove();
  };
  const mark = `${RUN_MARK}=${randomBytes(8).toString('hex')}`;
  try {
    await building;
    process.env[RUN_MARK] = mark.slice(RUN_MARK.length + 1);
    // Started after the mark is set, so a Chromium left running would be named too.
    browser = chromiumPath() ? await launchChromiumServer() : undefined;
    if (browser) process.env[SHARED_CHROMIUM] = browser.wsEndpoint();
  } catch (error) {
    await closeShared();
    throw error;
  }
  project.onTestsRerun(buildForTests);
  return async () => {
    await closeShared();
    // A process stopped at the very end (a test's afterAll) may take a moment to go.
    for (let waited = 0; ; waited += 250) {
      const left = processesMarked(mark);
      if (left.length === 0) return;
      if (waited >= 5_000) {
        // Vitest reports an error thrown here but still exits 0: the exit code is set as well.
        process.exitCode = 1;
        throw new Error(`the tests left ${left.length} process(es) running:\n${left.join('\n')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
}

/** Processes other than this one whose environment carries the mark, with their command lines. */
function processesMarked(mark: string): string[] {
  if (process.platform !== 'linux') return [];
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)) {
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(mark)) continue;
      const status = readFileSync(`/proc/${pid}/stat`, 'latin1');
      if (/\) Z /.test(status)) continue; // exited, not yet reaped: not running
      const command = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim();
      if (command.includes('node_modules/vitest/')) continue; // vitest's own workers, closing with the run
      found.push(`${pid} ${command}`);
    } catch {
      // Gone while we looked, or another user's: not ours.
    }
  }
  return found;
}
