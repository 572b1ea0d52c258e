import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { oneLineReason } from './processOutput';

/**
 * better-sqlite3 built for Electron's ABI, for `npm start` from a source checkout. The Node build in
 * node_modules serves the tests, the CLI and web mode and is never touched: the Electron build is
 * obtained once into its own folder, in a staging copy of the package, and handed to the main
 * process through better-sqlite3's `nativeBinding` option (QFPOS_ELECTRON_SQLITE). Packaged apps
 * do not use this: electron-builder rebuilds the module inside the package.
 */
export interface ElectronTarget {
  readonly electronVersion: string;
  /** Electron's NODE_MODULE_VERSION (node-abi knows it): what the obtained file must be built for. */
  readonly abi: number;
  readonly platform: NodeJS.Platform;
  readonly arch: string;
}

/** One way to obtain the file: a command run in the staging copy, which must leave build/Release/better_sqlite3.node. */
export interface ObtainStep {
  readonly name: string;
  command(target: ElectronTarget): { readonly file: string; readonly args: readonly string[]; readonly timeoutMs: number };
}

export interface ElectronSqliteOptions extends ElectronTarget {
  /** node_modules/better-sqlite3: copied (without its build) to build in. */
  readonly packageDir: string;
  /** Where obtained builds are kept, one folder per Electron version, platform and arch. */
  readonly cacheRoot: string;
  readonly steps: readonly ObtainStep[];
}

export type ElectronSqlite = { readonly ok: true; readonly path: string; readonly obtained: 'kept' | string } | { readonly ok: false; readonly message: string };

interface Stamp {
  readonly electron: string;
  readonly abi: number;
  readonly betterSqlite3: string;
  readonly platform: string;
  readonly arch: string;
  readonly how: string;
}

const BUILT = join('build', 'Release', 'better_sqlite3.node');

export function electronSqlite(options: ElectronSqliteOptions): ElectronSqlite {
  const { version, folder, binding, wanted } = target(options);
  if (keptElectronSqlite(options)) return { ok: true, path: binding, obtained: 'kept' };

  mkdirSync(options.cacheRoot, { recursive: true });
  // Staging folders left by an interrupted run are never used, only removed.
  for (const entry of readdirSync(options.cacheRoot)) if (entry.startsWith('.staging-')) rmSync(join(options.cacheRoot, entry), { recursive: true, force: true });
  const staging = mkdtempSync(join(options.cacheRoot, '.staging-'));
  const failures: string[] = [];
  try {
    const packageCopy = join(staging, 'better-sqlite3');
    cpSync(options.packageDir, packageCopy, { recursive: true, filter: (source) => !isBuildOutput(options.packageDir, source) });
    for (const step of options.steps) {
      const why = runStep(step, options, packageCopy);
      if (why) {
        failures.push(`${step.name}: ${why}`);
        continue;
      }
      // The finished folder appears whole or not at all: built and stamped aside, then renamed in.
      const ready = join(staging, 'ready');
      mkdirSync(ready);
      renameSync(join(packageCopy, BUILT), join(ready, 'better_sqlite3.node'));
      writeFileSync(join(ready, 'stamp.json'), JSON.stringify({ ...wanted, how: step.name } satisfies Stamp, null, 2));
      rmSync(folder, { recursive: true, force: true });
      renameSync(ready, folder);
      return { ok: true, path: binding, obtained: step.name };
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return {
    ok: false,
    message: `cannot get better-sqlite3 ${version} for Electron ${options.electronVersion} (${options.platform}-${options.arch}): ${failures.join('; ')}. Connect to the internet once and run \`npm start\` again (the build is kept in ${folder}), or run \`npm run web\` for the same app in a browser.`,
  };
}

function target(options: Omit<ElectronSqliteOptions, 'steps'>) {
  const version = (JSON.parse(readFileSync(join(options.packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  const folder = join(options.cacheRoot, `${options.electronVersion}-${options.platform}-${options.arch}`);
  const wanted = { electron: options.electronVersion, abi: options.abi, betterSqlite3: version, platform: options.platform, arch: options.arch };
  return { version, folder, binding: join(folder, 'better_sqlite3.node'), wanted };
}

/** The build obtained before for exactly this target, if there is one: nothing is run or copied. */
export function keptElectronSqlite(options: Omit<ElectronSqliteOptions, 'steps'>): string | undefined {
  const { folder, binding, wanted } = target(options);
  return existsSync(binding) && sameTarget(readStamp(folder), wanted) ? binding : undefined;
}

function runStep(step: ObtainStep, target: ElectronTarget, cwd: string): string | undefined {
  const { file, args, timeoutMs } = step.command(target);
  // A `nodedir` from npm's config (set on some machines for Node's own headers) would silently win
  // over --target and build for Node's ABI again: the steps get Electron's headers or nothing.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_config_nodedir$/i.test(key)));
  const run = spawnSync(file, args, { cwd, encoding: 'utf8', timeout: timeoutMs, env: { ...env, npm_config_runtime: 'electron', npm_config_target: target.electronVersion } });
  if (run.error || run.status !== 0) return oneLineReason(`${run.stderr ?? ''}\n${run.stdout ?? ''}`, run.error, run.status);
  const built = join(cwd, BUILT);
  if (!existsSync(built)) return `it finished without ${BUILT.split(sep).join('/')}`;
  // Trust the file, not the step: a native module names its ABI in its registration symbol.
  const abi = /node_register_module_v(\d+)/.exec(readFileSync(built).toString('latin1'))?.[1];
  if (abi !== String(target.abi)) return `it built for ABI ${abi ?? 'unknown'}, not Electron's ${target.abi}`;
  return undefined;
}

/** The Node build and its intermediates stay behind: a copied build/Release would pass for a new one. */
function isBuildOutput(packageDir: string, source: string): boolean {
  const inside = relative(packageDir, source).split(sep);
  return inside[0] === 'build' || inside[0] === 'node_modules';
}

function readStamp(folder: string): Partial<Stamp> | undefined {
  try {
    return JSON.parse(readFileSync(join(folder, 'stamp.json'), 'utf8')) as Partial<Stamp>;
  } catch {
    return undefined;
  }
}

function sameTarget(stamp: Partial<Stamp> | undefined, wanted: Omit<Stamp, 'how'>): boolean {
  return stamp !== undefined && (Object.keys(wanted) as (keyof typeof wanted)[]).every((key) => stamp[key] === wanted[key]);
}

/**
 * The usual two: the prebuilt binary better-sqlite3 publishes for each Electron release (what its
 * own install script tries first), then a build from source against Electron's headers.
 */
export function defaultSteps(tools: { prebuildInstall: string; nodeGyp: string }): ObtainStep[] {
  return [
    {
      name: 'prebuilt',
      command: (target) => ({
        file: process.execPath,
        args: [tools.prebuildInstall, '--runtime=electron', `--target=${target.electronVersion}`, `--arch=${target.arch}`, `--platform=${target.platform}`],
        timeoutMs: 120_000,
      }),
    },
    {
      name: 'rebuild',
      command: (target) => ({
        file: process.execPath,
        args: [tools.nodeGyp, 'rebuild', '--release', '--runtime=electron', `--target=${target.electronVersion}`, `--arch=${target.arch}`, '--dist-url=https://electronjs.org/headers'],
        timeoutMs: 900_000,
      }),
    },
  ];
}

/**
 * For the Electron installed in `root`'s node_modules: the kept build, or one obtained now (which
 * `say`s so first: it can take a minute). Used by `npm start` and the Electron end-to-end suite.
 */
export function sqliteForInstalledElectron(root: string, say: (line: string) => void): ElectronSqlite {
  const require = createRequire(join(root, 'package.json'));
  const packageDir = join(require.resolve('better-sqlite3/package.json'), '..');
  const electronVersion = (require('electron/package.json') as { version: string }).version;
  const abi = Number((require('node-abi') as { getAbi(version: string, runtime: string): string }).getAbi(electronVersion, 'electron'));
  const options = { electronVersion, abi, platform: process.platform, arch: process.arch, packageDir, cacheRoot: join(root, 'node_modules', '.cache', 'qfpos-electron-sqlite') };
  const kept = keptElectronSqlite(options);
  if (kept) return { ok: true, path: kept, obtained: 'kept' };
  say(`Getting better-sqlite3 for Electron ${electronVersion} (once; the tests keep their own build)...`);
  return electronSqlite({
    ...options,
    steps: defaultSteps({
      prebuildInstall: require.resolve('prebuild-install/bin.js'),
      // npm names its own node-gyp to the scripts it runs; a copy in node_modules serves otherwise.
      nodeGyp: process.env.npm_config_node_gyp ?? require.resolve('node-gyp/bin/node-gyp.js'),
    }),
  });
}
