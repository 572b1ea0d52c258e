import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { NODE_ENTRIES, nodeEntryArgs, type NodeEntry } from '../../scripts/nodeEntries';

/**
 * The other tests start the command-line till, web mode and the relay from the run's bundles;
 * `npm run cli`, `npm run web` and `npm run relay` run the sources through tsx. Both start, and
 * say the same.
 */
const run = async (args: string[]) => {
  const { stdout } = await promisify(execFile)(process.execPath, [...args, '--help'], { encoding: 'utf8' });
  return stdout;
};

describe('the Node entry points, from the sources and bundled', () => {
  it.each(Object.keys(NODE_ENTRIES) as NodeEntry[])('%s: --help through tsx, as npm run starts it, and from the bundle', async (entry) => {
    const fromSource = await run(['--import', 'tsx', NODE_ENTRIES[entry]]);
    expect(fromSource).toMatch(/^Usage: npm run /);
    const bundled = nodeEntryArgs(entry);
    expect(bundled[0]).toBe('--enable-source-maps'); // the run's bundle (test/globalSetup.ts), not tsx again
    expect(await run(bundled)).toBe(fromSource);
  });
});
