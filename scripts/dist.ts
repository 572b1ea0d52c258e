import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import config from '../electron-builder';
import { checkElectronZip, electronCacheRoot, electronZip, refusalLine, selectTargets, targetArchs, type DistPlatform } from '../packaging/electronDownload';

/**
 * `npm run dist [-- --linux|--win|--mac] [electron-builder arguments]`: the installers for this
 * machine's OS (or the named ones) in dist/. First it checks that Electron's release zip can be
 * had for every architecture to pack; where it cannot, it says so in one line and exits 1 before
 * building anything. Then electron-vite builds out/, and electron-builder packs (electron-builder.ts).
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const CHECK_TIMEOUT_MS = 6_000;
const PLATFORM_CONFIG: Record<DistPlatform, { target?: unknown }> = { linux: config.linux, win32: config.win, darwin: config.mac };
const INSTALLER = /\.(exe|dmg|AppImage|deb)$/;
const NODE_BINDING = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

function run(args: string[]): number {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  return result.status ?? 1;
}

async function main(): Promise<number> {
  let selection: ReturnType<typeof selectTargets>;
  try {
    selection = selectTargets(process.argv.slice(2), process.platform);
  } catch (error) {
    console.error(`dist: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }

  // The version electron-builder packs: the installed electron package's.
  const { version } = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string };
  const zips = selection.targets.flatMap((target) => targetArchs(PLATFORM_CONFIG[target.platform]).map((arch) => electronZip(version, target.platform, arch, process.env)));
  const cacheRoot = electronCacheRoot(process.env);
  const answers = await Promise.all(zips.map((zip) => checkElectronZip(zip, { env: process.env, timeoutMs: CHECK_TIMEOUT_MS, cacheRoot })));
  const refused = answers.findIndex((answer) => !answer.ok);
  if (refused >= 0) {
    const answer = answers[refused];
    console.error(refusalLine(zips[refused]!, answer && !answer.ok ? answer.reason : 'unknown', cacheRoot));
    return 1;
  }

  if (run(['node_modules/electron-vite/bin/electron-vite.js', 'build']) !== 0) return 1;

  // electron-builder rebuilds better-sqlite3 for Electron in place (npmRebuild); the tests and the
  // CLI need the Node build, so keep it and put it back, whatever happens to the packing.
  const kept = existsSync(NODE_BINDING) ? join(mkdtempSync(join(tmpdir(), 'qfpos-dist-')), 'better_sqlite3.node') : undefined;
  if (kept) copyFileSync(NODE_BINDING, kept);
  // Ctrl-C reaches electron-builder too; wait for it to stop, then restore below.
  process.on('SIGINT', () => undefined);
  let status: number;
  try {
    status = run(['node_modules/electron-builder/cli.js', ...selection.targets.map((target) => target.flag), '--publish', 'never', ...selection.builderArgs]);
  } finally {
    if (kept) {
      copyFileSync(kept, NODE_BINDING);
      rmSync(join(kept, '..'), { recursive: true, force: true });
    }
  }
  if (status !== 0) return status;

  const outDir = join(root, config.directories.output);
  const installers = existsSync(outDir) ? readdirSync(outDir).filter((name) => INSTALLER.test(name)) : [];
  console.log(`dist: installers in ${config.directories.output}/: ${installers.join(', ') || 'none (an electron-builder --dir run?)'}`);
  return 0;
}

process.exitCode = await main();
