import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * The app's Node entry points (the command-line till, web mode, the relay), each bundled into one
 * file for runs that start them many times. Through tsx a start costs about 1.1 s and 1.7 s of CPU
 * here, as tsx hooks every import; bundled, 0.5 s and 0.65 s. The test run bundles them from the
 * sources it tests, before it starts and before each rerun in watch mode (test/globalSetup.ts); a
 * developer's `npm run cli` keeps running the sources through tsx (test/cli/entries.test.ts
 * starts both).
 */
export const NODE_ENTRIES = {
  cli: 'electron/cli/index.ts',
  web: 'electron/web/cli.ts',
  relay: 'electron/relay/cli.ts',
} as const;
export type NodeEntry = keyof typeof NODE_ENTRIES;

/** Where a run's bundles are, for the processes it starts: a folder of `<entry>.mjs`. */
export const BUNDLED_ENTRIES = 'QFPOS_BUNDLED_ENTRIES';

/**
 * Two levels below the project root, as the sources are (`electron/web/webMode.ts` finds the
 * renderer at `../../out/renderer`), and beside the test run's other artifacts, outside out/ which
 * the installers pack. Packages stay outside the bundle and load from node_modules, better-sqlite3's
 * native addon among them.
 */
export const BUNDLE_FOLDER = join('test-results', 'node-entries');

export async function bundleNodeEntries(root: string): Promise<string> {
  const outdir = join(root, BUNDLE_FOLDER);
  await build({
    absWorkingDir: root,
    entryPoints: Object.entries(NODE_ENTRIES).map(([name, path]) => ({ in: path, out: name })),
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return outdir;
}

/**
 * The arguments after `node` that start an entry: its bundle when the run made one, otherwise its
 * source through tsx. Relative to the project root, the working directory both are run from.
 */
export function nodeEntryArgs(entry: NodeEntry): string[] {
  const bundles = process.env[BUNDLED_ENTRIES];
  const bundle = bundles ? join(bundles, `${entry}.mjs`) : undefined;
  return bundle && existsSync(bundle) ? ['--enable-source-maps', bundle] : ['--import', 'tsx', NODE_ENTRIES[entry]];
}
