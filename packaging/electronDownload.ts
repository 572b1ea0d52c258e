import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * Can the Electron release zip that electron-builder packs around be had? electron-builder gets it
 * through @electron/get: from its cache, or else from GitHub's releases (or ELECTRON_MIRROR), and
 * on a machine that reaches neither it fails after retries with a long stack. `npm run dist` asks
 * first, quickly, and says in one line what is missing.
 *
 * The URL and cache rules below are @electron/get's (artifact-utils.ts and Cache.ts, the copy that
 * app-builder-lib depends on); test/packaging checks them against that copy.
 */

/** The operating systems electron-builder can make installers for, by Node's names. */
export type DistPlatform = 'linux' | 'win32' | 'darwin';

export interface DistTarget {
  readonly platform: DistPlatform;
  /** electron-builder's command-line flag for it. */
  readonly flag: '--linux' | '--win' | '--mac';
}

const TARGETS: Record<DistPlatform, DistTarget> = {
  linux: { platform: 'linux', flag: '--linux' },
  win32: { platform: 'win32', flag: '--win' },
  darwin: { platform: 'darwin', flag: '--mac' },
};

const FLAGS: Record<string, DistPlatform> = { '--linux': 'linux', '-l': 'linux', '--win': 'win32', '--windows': 'win32', '-w': 'win32', '--mac': 'darwin', '--macos': 'darwin', '-m': 'darwin' };

/**
 * Which installers to make: the platforms named on the command line (`npm run dist -- --win`), or
 * else the machine's own. Every other argument goes to electron-builder as it is.
 */
export function selectTargets(argv: readonly string[], hostPlatform: string): { targets: DistTarget[]; builderArgs: string[] } {
  const named = [...new Set(argv.filter((arg) => arg in FLAGS).map((arg) => FLAGS[arg] as DistPlatform))];
  const builderArgs = argv.filter((arg) => !(arg in FLAGS));
  if (named.length > 0) return { targets: named.map((platform) => TARGETS[platform]), builderArgs };
  if (hostPlatform in TARGETS) return { targets: [TARGETS[hostPlatform as DistPlatform]], builderArgs };
  throw new Error(`no installers are made on ${hostPlatform}: name one of --linux, --win or --mac`);
}

/** The architectures this configuration packs for one platform (electron-builder's target entries). */
export function targetArchs(platformConfig: { target?: unknown } | undefined): string[] {
  const entries = Array.isArray(platformConfig?.target) ? platformConfig.target : [];
  const archs = entries.flatMap((entry: unknown) => (typeof entry === 'object' && entry !== null && Array.isArray((entry as { arch?: unknown }).arch) ? ((entry as { arch: string[] }).arch) : []));
  return [...new Set(archs)];
}

export type Env = Readonly<Record<string, string | undefined>>;

/** @electron/get's mirror variables: .npmrc, package.json config, then the environment. */
function mirrorVar(name: 'mirror' | 'customDir' | 'customFilename', env: Env): string | undefined {
  const snake = name.replace(/([a-z])([A-Z])/g, (_, a: string, b: string) => `${a}_${b}`).toLowerCase();
  return (
    env[`npm_config_electron_${name.toLowerCase()}`] ||
    env[`NPM_CONFIG_ELECTRON_${snake.toUpperCase()}`] ||
    env[`npm_config_electron_${snake}`] ||
    env[`npm_package_config_electron_${name}`] ||
    env[`npm_package_config_electron_${snake}`] ||
    env[`ELECTRON_${snake.toUpperCase()}`] ||
    undefined
  );
}

export const DEFAULT_ELECTRON_MIRROR = 'https://github.com/electron/electron/releases/download/';

export interface ElectronZip {
  readonly version: string;
  readonly platform: string;
  readonly arch: string;
  readonly fileName: string;
  readonly url: string;
}

/** The zip @electron/get would fetch for Electron `version` on `platform`-`arch`. */
export function electronZip(version: string, platform: string, arch: string, env: Env): ElectronZip {
  const fileName = `electron-v${version}-${platform}-${arch}.zip`;
  const base = mirrorVar('mirror', env) ?? DEFAULT_ELECTRON_MIRROR;
  const dir = (mirrorVar('customDir', env) ?? `v${version}`).replace('{{ version }}', version);
  const file = mirrorVar('customFilename', env) ?? fileName;
  return { version, platform, arch, fileName, url: `${base}${dir}/${file}` };
}

/** @electron/get's default cache folder (env-paths('electron').cache), which electron-builder uses. */
export function electronCacheRoot(env: Env, platform: string = process.platform, home: string = homedir()): string {
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'electron');
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'electron', 'Cache');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'electron');
}

/** Where @electron/get keeps a download: a folder named by the hash of the URL's folder. */
export function cachedZipPath(zip: ElectronZip, cacheRoot: string): string {
  const url = new URL(zip.url);
  url.search = '';
  url.hash = '';
  url.pathname = dirname(url.pathname);
  // url.format of the parsed URL without its search and hash: no trailing slash after the folder.
  const folder = createHash('sha256').update(url.toString()).digest('hex');
  return resolve(cacheRoot, folder, zip.fileName);
}

/**
 * Offline, @electron/get uses a cached zip only if it can check its checksum without the network:
 * electron-builder then reads a SHASUMS256.txt-<version> (or SHASUMS256.txt) at the cache root.
 */
export function filledCache(zip: ElectronZip, cacheRoot: string): boolean {
  if (!existsSync(cachedZipPath(zip, cacheRoot))) return false;
  return [`SHASUMS256.txt-${zip.version}`, 'SHASUMS256.txt'].some((name) => {
    const file = join(cacheRoot, name);
    return existsSync(file) && readFileSync(file, 'utf8').includes(zip.fileName);
  });
}

export type Availability = { readonly ok: true; readonly from: 'cache' | 'network' | 'proxy' } | { readonly ok: false; readonly reason: string };

/** Why a request failed, in the words of the error underneath (`getaddrinfo ENOTFOUND github.com`). */
export function failureReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.message) return cause.message;
  if (cause?.code) return cause.code;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Asks for the zip's headers only (following GitHub's redirect to its file store), with a short
 * timeout: enough to know the download would start, without downloading 100 MB.
 */
export async function checkElectronZip(zip: ElectronZip, options: { env: Env; timeoutMs: number; cacheRoot?: string }): Promise<Availability> {
  if (filledCache(zip, options.cacheRoot ?? electronCacheRoot(options.env))) return { ok: true, from: 'cache' };
  // Behind a proxy @electron/get goes through global-agent, which this fetch does not: leave the
  // answer to electron-builder rather than refuse a download that would work.
  if (options.env.ELECTRON_GET_USE_PROXY) return { ok: true, from: 'proxy' };
  try {
    const response = await fetch(zip.url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(options.timeoutMs) });
    return response.ok ? { ok: true, from: 'network' } : { ok: false, reason: `HTTP ${response.status} for ${zip.url}` };
  } catch (error) {
    return { ok: false, reason: failureReason(error, options.timeoutMs) };
  }
}

/** The one line `npm run dist` prints when the zip cannot be had. */
export function refusalLine(zip: ElectronZip, reason: string, cacheRoot: string): string {
  const host = new URL(zip.url).host;
  return (
    `dist: cannot download Electron ${zip.version} for ${zip.platform}-${zip.arch} (${reason}): installers need it. ` +
    `Run on a machine that reaches ${host}, or point ELECTRON_MIRROR at a mirror, or fill the Electron cache ${cacheRoot} (${zip.fileName} and SHASUMS256.txt-${zip.version}).`
  );
}
