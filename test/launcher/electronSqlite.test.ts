import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { electronSqlite, type ObtainStep } from '../../electron/launcher/electronSqlite';
import { tempFolder } from '../support/simulator';

/**
 * How `npm start` gets better-sqlite3 for Electron's ABI: real child processes stand in for
 * prebuild-install and node-gyp (each a small node script that builds a file or fails as they do
 * offline), in real temp folders. The Node build must come out untouched every time.
 */

const TARGET = { electronVersion: '45.4.1', abi: 140, platform: 'linux', arch: 'x64' } as const;
let temp: ReturnType<typeof tempFolder>;
let packageDir: string;
let cacheRoot: string;
let ran: string;

beforeEach(() => {
  temp = tempFolder('qfpos-electron-sqlite-');
  packageDir = join(temp.path, 'node_modules', 'better-sqlite3');
  mkdirSync(join(packageDir, 'build', 'Release'), { recursive: true });
  mkdirSync(join(packageDir, 'src'), { recursive: true });
  writeFileSync(join(packageDir, 'package.json'), JSON.stringify({ name: 'better-sqlite3', version: '12.11.1' }));
  writeFileSync(join(packageDir, 'src', 'better_sqlite3.cpp'), '// source');
  writeFileSync(join(packageDir, 'build', 'Release', 'better_sqlite3.node'), 'NODE ABI BUILD');
  cacheRoot = join(temp.path, 'node_modules', '.cache', 'qfpos-electron-sqlite');
  ran = join(temp.path, 'ran.log');
});
afterEach(() => temp.remove());

/** A step that runs `script` with node in the staging copy, logging that it ran. */
function step(name: string, script: string): ObtainStep {
  const log = `require('fs').appendFileSync(${JSON.stringify(ran)}, ${JSON.stringify(`${name}\n`)});`;
  return { name, command: () => ({ file: process.execPath, args: ['-e', log + script], timeoutMs: 30_000 }) };
}
const builds = (name: string, abi = 140) => step(name, `const fs=require('fs'); if (fs.existsSync('build')) process.exit(3); fs.mkdirSync('build/Release',{recursive:true}); fs.writeFileSync('build/Release/better_sqlite3.node', 'ELECTRON ABI from ${name} for ' + process.env.npm_config_target + ' node_register_module_v' + ${abi});`);
const offline = (name: string) => step(name, `console.error('prebuild-install warn install request to https://github.com failed, reason: getaddrinfo ENOTFOUND github.com'); process.exit(1);`);
const stepsRun = () => (existsSync(ran) ? readFileSync(ran, 'utf8').trim().split('\n') : []);
const nodeBuildUntouched = () => expect(readFileSync(join(packageDir, 'build', 'Release', 'better_sqlite3.node'), 'utf8')).toBe('NODE ABI BUILD');

describe("better-sqlite3 for Electron's ABI", () => {
  it('takes the prebuilt binary, into its own folder, from a copy with no build in it', () => {
    const result = electronSqlite({ ...TARGET, packageDir, cacheRoot, steps: [builds('prebuilt'), builds('rebuild')] });
    expect(result).toEqual({ ok: true, path: join(cacheRoot, '45.4.1-linux-x64', 'better_sqlite3.node'), obtained: 'prebuilt' });
    if (!result.ok) return;
    expect(readFileSync(result.path, 'utf8')).toBe('ELECTRON ABI from prebuilt for 45.4.1 node_register_module_v140');
    expect(JSON.parse(readFileSync(join(cacheRoot, '45.4.1-linux-x64', 'stamp.json'), 'utf8'))).toEqual({ electron: '45.4.1', abi: 140, betterSqlite3: '12.11.1', platform: 'linux', arch: 'x64', how: 'prebuilt' });
    expect(stepsRun()).toEqual(['prebuilt']);
    nodeBuildUntouched();
    expect(readdirSync(cacheRoot)).toEqual(['45.4.1-linux-x64']);
  });

  it('rebuilds when no prebuilt binary can be had', () => {
    const result = electronSqlite({ ...TARGET, packageDir, cacheRoot, steps: [offline('prebuilt'), builds('rebuild')] });
    expect(result).toMatchObject({ ok: true, obtained: 'rebuild' });
    expect(stepsRun()).toEqual(['prebuilt', 'rebuild']);
    nodeBuildUntouched();
  });

  it('keeps what it obtained: the next start runs nothing', () => {
    electronSqlite({ ...TARGET, packageDir, cacheRoot, steps: [builds('prebuilt')] });
    const again = electronSqlite({ ...TARGET, packageDir, cacheRoot, steps: [builds('prebuilt')] });
    expect(again).toMatchObject({ ok: true, obtained: 'kept' });
    expect(stepsRun()).toEqual(['prebuilt']);
  });

  it.each([
    ['another better-sqlite3', () => writeFileSync(join(packageDir, 'package.json'), JSON.stringify({ name: 'better-sqlite3', version: '12.12.0' }))],
    ['a damaged stamp', () => writeFileSync(join(cacheRoot, '45.4.1-linux-x64', 'stamp.json'), '{')],
  ])('obtains it again for %s', (_case, change) => {
    electronSqlite({ ...TARGET, packageDir, cacheRoot, steps: [builds('prebuilt')] });
    change();
    expect(electronSqlite({ ...TARGET, packageDir, cacheRoot, steps: [builds('prebuilt')] })).toMatchObject({ ok: true, obtained: 'prebuilt' });
    expect(stepsRun()).toEqual(['prebuilt', 'prebuilt']);
  });

  it('keeps each Electron version apart', () => {
    electronSqlite({ ...TARGET, packageDir, cacheRoot, steps: [builds('prebuilt')] });
    const next = electronSqlite({ ...TARGET, electronVersion: '46.0.0', packageDir, cacheRoot, steps: [builds('prebuilt')] });
    expect(next).toMatchObject({ ok: true, path: join(cacheRoot, '46.0.0-linux-x64', 'better_sqlite3.node') });
    expect(readdirSync(cacheRoot).sort()).toEqual(['45.4.1-linux-x64', '46.0.0-linux-x64']);
  });

  it('never uses a staging folder left by an interrupted run', () => {
    const left = join(cacheRoot, '.staging-abc123', 'better-sqlite3', 'build', 'Release');
    mkdirSync(left, { recursive: true });
    writeFileSync(join(left, 'better_sqlite3.node'), 'HALF WRITTEN');
    const result = electronSqlite({ ...TARGET, packageDir, cacheRoot, steps: [builds('prebuilt')] });
    expect(result.ok && readFileSync(result.path, 'utf8')).toBe('ELECTRON ABI from prebuilt for 45.4.1 node_register_module_v140');
    expect(readdirSync(cacheRoot)).toEqual(['45.4.1-linux-x64']);
  });

  it('says in one line why it could not, and what to do, leaving nothing behind', () => {
    const result = electronSqlite({ ...TARGET, packageDir, cacheRoot, steps: [offline('prebuilt'), step('rebuild', `console.error('gyp ERR! stack Error: 404 Not Found - https://electronjs.org/headers/v45.4.1/node-v45.4.1-headers.tar.gz'); process.exit(1);`)] });
    expect(result).toEqual({
      ok: false,
      message: `cannot get better-sqlite3 12.11.1 for Electron 45.4.1 (linux-x64): prebuilt: getaddrinfo ENOTFOUND github.com; rebuild: 404 Not Found - https://electronjs.org/headers/v45.4.1/node-v45.4.1-headers.tar.gz. Connect to the internet once and run \`npm start\` again (the build is kept in ${join(cacheRoot, '45.4.1-linux-x64')}), or run \`npm run web\` for the same app in a browser.`,
    });
    expect(readdirSync(cacheRoot)).toEqual([]);
    nodeBuildUntouched();
  });

  it("says node-gyp's failed header download as such", () => {
    const gyp = step('rebuild', `console.error('gyp ERR! stack Error: This is most likely not a problem with node-gyp or the package itself and\\ngyp ERR! stack is related to network connectivity.'); process.exit(1);`);
    expect(electronSqlite({ ...TARGET, packageDir, cacheRoot, steps: [gyp] })).toMatchObject({ ok: false, message: expect.stringContaining("rebuild: Electron's headers could not be downloaded (no network).") });
  });

  it('does not take a step that succeeds without the file for one that built it', () => {
    const result = electronSqlite({ ...TARGET, packageDir, cacheRoot, steps: [step('prebuilt', '')] });
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('prebuilt: it finished without build/Release/better_sqlite3.node') });
  });

  it("refuses a build for another ABI, even from a step that exited 0 (npm's nodedir must not win)", () => {
    process.env.npm_config_nodedir = '/usr';
    try {
      const nodeHeaders = step('rebuild', `const fs=require('fs'); fs.mkdirSync('build/Release',{recursive:true}); fs.writeFileSync('build/Release/better_sqlite3.node', 'node_register_module_v' + (process.env.npm_config_nodedir ? 115 : 140));`);
      expect(electronSqlite({ ...TARGET, packageDir, cacheRoot, steps: [nodeHeaders] })).toMatchObject({ ok: true, obtained: 'rebuild' });
      const wrong = electronSqlite({ ...TARGET, abi: 150, electronVersion: '46.0.0', packageDir, cacheRoot, steps: [builds('prebuilt', 115)] });
      expect(wrong).toMatchObject({ ok: false, message: expect.stringContaining("prebuilt: it built for ABI 115, not Electron's 150") });
    } finally {
      delete process.env.npm_config_nodedir;
    }
  });

  it('says a step that hangs took too long', () => {
    const hangs: ObtainStep = { name: 'prebuilt', command: () => ({ file: process.execPath, args: ['-e', 'setTimeout(() => {}, 60000)'], timeoutMs: 300 }) };
    expect(electronSqlite({ ...TARGET, packageDir, cacheRoot, steps: [hangs] })).toMatchObject({ ok: false, message: expect.stringContaining('prebuilt: it took too long') });
  });
});
