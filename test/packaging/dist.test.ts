import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config from '../../electron-builder';
import {
  cachedZipPath,
  checkElectronZip,
  DEFAULT_ELECTRON_MIRROR,
  electronCacheRoot,
  electronZip,
  filledCache,
  refusalLine,
  selectTargets,
  targetArchs,
} from '../../packaging/electronDownload';

const root = process.cwd();

/** A local port nothing listens on: a request to it is refused at once, on any machine. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;

/** @electron/get as electron-builder loads it (app-builder-lib's own dependency): the authority on URLs and the cache. */
const fromBuilder = createRequire(createRequire(join(root, 'package.json')).resolve('app-builder-lib/package.json'));
const electronGetDir = dirname(fromBuilder.resolve('@electron/get'));
const { getArtifactRemoteURL, getArtifactVersion } = fromBuilder(join(electronGetDir, 'artifact-utils.js')) as {
  getArtifactRemoteURL(details: object): Promise<string>;
  getArtifactVersion(details: object): string;
};
const { Cache } = fromBuilder(join(electronGetDir, 'Cache.js')) as { Cache: new (root: string) => { getCachePath(url: string, fileName: string): string } };

describe('which installers', () => {
  it("makes the machine's own by default, and hands other arguments to electron-builder", () => {
    expect(selectTargets([], 'linux')).toEqual({ targets: [{ platform: 'linux', flag: '--linux' }], builderArgs: [] });
    expect(selectTargets(['--dir'], 'darwin')).toEqual({ targets: [{ platform: 'darwin', flag: '--mac' }], builderArgs: ['--dir'] });
  });

  it('makes the named ones, each once', () => {
    expect(selectTargets(['--win', '-w', '--mac'], 'linux').targets.map((target) => target.flag)).toEqual(['--win', '--mac']);
  });

  it('refuses a machine it makes no installers on, unless one is named', () => {
    expect(() => selectTargets([], 'freebsd')).toThrow(/--linux, --win or --mac/);
    expect(selectTargets(['--linux'], 'freebsd').targets).toHaveLength(1);
  });

  it("checks Electron for each architecture the configuration packs", () => {
    expect(targetArchs(config.mac)).toEqual(['arm64', 'x64']);
    expect(targetArchs(config.win)).toEqual(['x64']);
    expect(targetArchs(config.linux)).toEqual(['x64']);
  });
});

describe("Electron's release zip: where @electron/get looks for it", () => {
  const cases: { env: Record<string, string> }[] = [
    { env: {} },
    { env: { ELECTRON_MIRROR: 'https://mirror.example/electron/' } },
    { env: { ELECTRON_MIRROR: 'http://127.0.0.1:9/', ELECTRON_CUSTOM_DIR: '{{ version }}' } },
    { env: { npm_config_electron_mirror: 'https://npm-config.example/e/', ELECTRON_CUSTOM_FILENAME: 'electron.zip' } },
  ];
  const variables = ['ELECTRON_MIRROR', 'ELECTRON_CUSTOM_DIR', 'ELECTRON_CUSTOM_FILENAME', 'npm_config_electron_mirror'];

  it.each(cases)('builds the same URL and cache path as @electron/get with $env', async ({ env }) => {
    const saved = Object.fromEntries(variables.map((name) => [name, process.env[name]]));
    try {
      for (const name of variables) delete process.env[name];
      Object.assign(process.env, env);
      const zip = electronZip(electronVersion, 'darwin', 'arm64', env);
      // As downloadArtifact does: the version normalized ('v' in front) before the URL is made.
      const details = { artifactName: 'electron', version: electronVersion, platform: 'darwin', arch: 'arm64' };
      const url = await getArtifactRemoteURL({ ...details, version: getArtifactVersion(details) });
      expect(zip.url).toBe(url);
      expect(zip.fileName).toBe(`electron-v${electronVersion}-darwin-arm64.zip`);
      expect(cachedZipPath(zip, '/cache')).toBe(new Cache('/cache').getCachePath(url, zip.fileName));
    } finally {
      for (const name of variables) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  });

  it("defaults to GitHub's releases", () => {
    expect(electronZip('45.4.1', 'linux', 'x64', {}).url).toBe(`${DEFAULT_ELECTRON_MIRROR}v45.4.1/electron-v45.4.1-linux-x64.zip`);
  });

  it("keeps @electron/get's cache folder per OS", () => {
    expect(electronCacheRoot({}, 'linux', '/home/c')).toBe(join('/home/c', '.cache', 'electron'));
    expect(electronCacheRoot({ XDG_CACHE_HOME: '/x' }, 'linux', '/home/c')).toBe(join('/x', 'electron'));
    expect(electronCacheRoot({}, 'darwin', '/Users/c')).toBe(join('/Users/c', 'Library', 'Caches', 'electron'));
    expect(electronCacheRoot({ LOCALAPPDATA: 'C:\\L' }, 'win32', 'C:\\Users\\c')).toBe(join('C:\\L', 'electron', 'Cache'));
  });
});

describe('a filled cache', () => {
  const cacheRoot = mkdtempSync(join(tmpdir(), 'qfpos-electron-cache-'));
  afterAll(() => rmSync(cacheRoot, { recursive: true, force: true }));

  it('needs the zip and, to check it offline, its checksum', async () => {
    // A mirror no request can reach (fetch refuses port 9): only the cache can answer.
    const zip = electronZip(electronVersion, 'linux', 'x64', { ELECTRON_MIRROR: 'http://127.0.0.1:9/' });
    const check = () => checkElectronZip(zip, { env: {}, timeoutMs: 500, cacheRoot });
    expect(filledCache(zip, cacheRoot)).toBe(false);
    mkdirSync(dirname(cachedZipPath(zip, cacheRoot)), { recursive: true });
    writeFileSync(cachedZipPath(zip, cacheRoot), 'zip');
    expect(filledCache(zip, cacheRoot)).toBe(false);
    writeFileSync(join(cacheRoot, `SHASUMS256.txt-${electronVersion}`), `${'0'.repeat(64)} *electron-v${electronVersion}-win32-x64.zip\n`);
    expect(await check()).toMatchObject({ ok: false });
    writeFileSync(join(cacheRoot, `SHASUMS256.txt-${electronVersion}`), `${'0'.repeat(64)} *${zip.fileName}\n`);
    expect(filledCache(zip, cacheRoot)).toBe(true);
    expect(await check()).toEqual({ ok: true, from: 'cache' });
  });
});

describe('asking a mirror for the zip', () => {
  let server: Server;
  let base: string;
  const emptyCache = mkdtempSync(join(tmpdir(), 'qfpos-no-cache-'));
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url?.includes('silent')) return; // never answers
      response.statusCode = request.method === 'HEAD' && request.url?.endsWith(`-linux-x64.zip`) ? 200 : 404;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
    rmSync(emptyCache, { recursive: true, force: true });
  });
  const ask = (env: Record<string, string>, arch = 'x64', timeoutMs = 2_000) => checkElectronZip(electronZip(electronVersion, 'linux', arch, env), { env, timeoutMs, cacheRoot: emptyCache });

  it('is satisfied by a 200 to a HEAD request', async () => {
    expect(await ask({ ELECTRON_MIRROR: base })).toEqual({ ok: true, from: 'network' });
  });

  it('names the status when the mirror lacks it', async () => {
    expect(await ask({ ELECTRON_MIRROR: base }, 'arm64')).toEqual({ ok: false, reason: `HTTP 404 for ${base}v${electronVersion}/electron-v${electronVersion}-linux-arm64.zip` });
  });

  it('names the network error underneath', async () => {
    const closed = await closedPort();
    const answer = await ask({ ELECTRON_MIRROR: `http://127.0.0.1:${closed}/` });
    expect(answer).toMatchObject({ ok: false, reason: expect.stringContaining('ECONNREFUSED') });
  });

  it('gives up after its timeout', async () => {
    const started = Date.now();
    expect(await ask({ ELECTRON_MIRROR: `${base}silent/` }, 'x64', 300)).toEqual({ ok: false, reason: 'no answer within 0.3 s' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('leaves the question to electron-builder behind a proxy, which it reaches and this fetch does not', async () => {
    expect(await ask({ ELECTRON_MIRROR: 'http://127.0.0.1:9/', ELECTRON_GET_USE_PROXY: '1' })).toEqual({ ok: true, from: 'proxy' });
  });
});

describe('the refusal', () => {
  it('is one line that says what failed and what to do', () => {
    const line = refusalLine(electronZip('45.4.1', 'linux', 'x64', {}), 'getaddrinfo ENOTFOUND github.com', '/home/c/.cache/electron');
    expect(line).not.toContain('\n');
    expect(line).toBe(
      'dist: cannot download Electron 45.4.1 for linux-x64 (getaddrinfo ENOTFOUND github.com): installers need it. ' +
        'Run on a machine that reaches github.com, or point ELECTRON_MIRROR at a mirror, or fill the Electron cache /home/c/.cache/electron (electron-v45.4.1-linux-x64.zip and SHASUMS256.txt-45.4.1).',
    );
  });
});

describe('npm run dist where Electron cannot be downloaded', () => {
  it('is the script npm runs', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(manifest.scripts.dist).toBe('tsx scripts/dist.ts');
  });

  it('prints one line to stderr, nothing else, and exits 1 before building', async () => {
    // A mirror on a closed local port: refused at once, on any machine, and no cache holds its zip.
    const closed = await closedPort();
    const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_MIRROR: `http://127.0.0.1:${closed}/` };
    delete env.ELECTRON_GET_USE_PROXY;
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/dist.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stdout).toBe('');
    const lines = stderr.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^dist: cannot download Electron ${electronVersion.replaceAll('.', '\\.')} for (linux|win32|darwin)-(x64|arm64) \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${closed}\\): installers need it\\. Run on a machine that reaches 127\\.0\\.0\\.1:${closed}, `));
    expect(code).toBe(1);
  });
});
