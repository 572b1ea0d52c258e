import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPackage, statFile } from '@electron/asar';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config from '../../electron-builder';
import { FUSES } from '../../packaging/fuses';
import { standInLinuxElectronDist } from '../support/electronExecutableStandIn';

/**
 * electron-builder itself, with this project's configuration, packing the built app (out/, made by
 * the global setup) into a Linux app folder around a stand-in Electron: what the installers would
 * hold, without Electron's download. Two settings differ from `npm run dist`, both only for lack of
 * the network: the Electron distribution is the stand-in (electronDist) and better-sqlite3 is not
 * rebuilt for Electron (npmRebuild needs Electron's headers). The `dir` target stops before the
 * installer formats, whose tools electron-builder would download.
 */
const root = process.cwd();
const work = mkdtempSync(join(tmpdir(), 'qfpos-pack-'));
const output = join(work, 'dist');
const appDir = join(output, 'linux-unpacked');
const asarFile = join(appDir, 'resources', 'app.asar');
let files: Set<string>;

beforeAll(() => {
  const { version } = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string };
  const electronDist = standInLinuxElectronDist(join(work, 'electron'), version);
  const packing = spawnSync(
    process.execPath,
    ['node_modules/electron-builder/cli.js', '--linux', 'dir', '--x64', '--publish', 'never', `-c.electronDist=${electronDist}`, '-c.npmRebuild=false', `-c.directories.output=${output}`],
    { cwd: root, encoding: 'utf8', timeout: 150_000 },
  );
  if (packing.status !== 0) throw new Error(`electron-builder failed (${packing.status ?? packing.signal}):\n${packing.stdout}\n${packing.stderr}`);
  files = new Set(listPackage(asarFile, { isPack: false }).map((file) => file.replaceAll('\\', '/')));
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The packages that the bundled main process still imports at run time (electron-vite externalizes them). */
function mainProcessImports(): string[] {
  const main = readFileSync(join(root, 'out', 'main', 'index.js'), 'utf8');
  const specifiers = [...main.matchAll(/\bfrom\s+["']([^"'.][^"']*)["']|\bimport\(\s*["']([^"'.][^"']*)["']\s*\)/g)].map((match) => match[1] ?? match[2] ?? '');
  const packages = specifiers.filter((name) => !name.startsWith('node:') && name !== 'electron').map((name) => name.split('/').slice(0, name.startsWith('@') ? 2 : 1).join('/'));
  return [...new Set(packages)].sort();
}

describe('the packed app', { timeout: 30_000 }, () => {
  it('is an asar with the built main process, both preloads and the pages', () => {
    for (const file of ['/package.json', '/out/main/index.js', '/out/preload/cashier.cjs', '/out/preload/display.cjs', '/out/renderer/index.html', '/out/renderer/display.html']) {
      expect(files, file).toContain(file);
    }
  });

  it('holds nothing of the source tree, the tests or the tooling', () => {
    const topLevel = new Set([...files].map((file) => file.split('/')[1]));
    expect([...topLevel].sort()).toEqual(['node_modules', 'out', 'package.json']);
    // electron-vite's three outputs, whatever else is in out/ when the app is packed.
    expect([...new Set([...files].filter((file) => file.startsWith('/out/')).map((file) => file.split('/')[2]))].sort()).toEqual(['main', 'preload', 'renderer']);
    for (const devOnly of ['electron', 'electron-builder', 'electron-vite', 'vitest', 'typescript', 'playwright-core', '@electron/fuses']) {
      expect(files, devOnly).not.toContain(`/node_modules/${devOnly}`);
    }
  });

  it('holds every package the main process imports', () => {
    const imports = mainProcessImports();
    expect(imports).toContain('better-sqlite3');
    for (const name of imports) expect(files, name).toContain(`/node_modules/${name}/package.json`);
  });

  it("keeps better-sqlite3's native file outside the archive, where the OS can load it", () => {
    const native = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    expect(statFile(asarFile, native, false)).toMatchObject({ unpacked: true });
    expect(existsSync(join(appDir, 'resources', 'app.asar.unpacked', native))).toBe(true);
    // Only the binding itself: not the sources, the static library or the test extension.
    expect([...files].filter((file) => file.includes('/better-sqlite3/') && /\.(node|a|c|cpp|h)$/.test(file))).toEqual([`/${native}`]);
  });

  it('flips the fuses of the packed executable as configured', async () => {
    const wire = await getCurrentFuseWire(join(appDir, config.linux.executableName));
    const states = Object.fromEntries(Object.keys(FUSES).map((fuse) => [FuseV1Options[Number(fuse)], wire[Number(fuse) as FuseV1Options]]));
    const expected = Object.fromEntries(Object.entries(FUSES).map(([fuse, on]) => [FuseV1Options[Number(fuse)], on ? FuseState.ENABLE : FuseState.DISABLE]));
    expect(states).toEqual(expected);
  });
});
