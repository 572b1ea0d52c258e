import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flipFuses, FuseState, FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import type { AfterPackContext } from 'electron-builder';
import { afterAll, describe, expect, it } from 'vitest';
import config from '../../electron-builder';
import { FUSES, flipFusesAfterPack, fuseConfig, packedElectronPath } from '../../packaging/fuses';
import { standInElectron } from '../support/electronExecutableStandIn';

/**
 * The installers' configuration as electron-builder loads it (electron-builder.ts) and the fuses
 * as the afterPack hook flips them (packaging/fuses.ts): each point of the issue, read from the
 * objects the build uses. test/packaging/pack.test.ts then packs for real.
 */

type TargetEntry = { target: string; arch: string[] };
const targetsOf = (platform: { target: TargetEntry[] }) => platform.target.map(({ target, arch }) => `${target}:${[...arch].sort().join('+')}`).sort();

describe('electron-builder configuration', () => {
  it('names the app', () => {
    expect(config.appId).toBe('hk.counter.qfpos');
    expect(config.productName).toBe('QFPay Counter');
  });

  it('makes an NSIS installer for x64 on Windows', () => {
    expect(targetsOf(config.win)).toEqual(['nsis:x64']);
  });

  it('makes a dmg for arm64 and for x64 on macOS', () => {
    expect(targetsOf(config.mac)).toEqual(['dmg:arm64+x64']);
  });

  it('makes an AppImage and a deb on Linux', () => {
    expect(targetsOf(config.linux)).toEqual(['AppImage:x64', 'deb:x64']);
  });

  it('packs the app into an asar, with better-sqlite3\'s native file outside it', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**/*.node');
  });

  it("takes only electron-vite's outputs (out/main, out/preload, out/renderer) from the project; the rest of the list only removes", () => {
    const included = config.files.filter((pattern) => !pattern.startsWith('!'));
    expect(included).toEqual(['out/{main,preload,renderer}/**/*']);
    for (const excluded of config.files.filter((pattern) => pattern.startsWith('!'))) expect(excluded).toMatch(/^!node_modules\//);
  });

  it('rebuilds the native module for Electron when packing', () => {
    expect(config.npmRebuild).toBe(true);
  });

  it('writes installers to dist/, which git ignores, named with version, OS and architecture', () => {
    expect(config.directories.output).toBe('dist');
    expect(readFileSync(join(process.cwd(), '.gitignore'), 'utf8').split('\n')).toContain('dist/');
    for (const macro of ['${version}', '${os}', '${arch}', '${ext}']) expect(config.artifactName).toContain(macro);
  });

  it('publishes nothing', () => {
    expect(config.publish).toBeNull();
  });

  it('flips the fuses in its afterPack hook, and by no second mechanism', () => {
    expect(config.afterPack).toBe(flipFusesAfterPack);
    expect('electronFuses' in config).toBe(false);
  });
});

describe('fuses', () => {
  it('turns off the ways into the main process as plain Node', () => {
    expect(FUSES[FuseV1Options.RunAsNode]).toBe(false);
    expect(FUSES[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(FUSES[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
  });

  it('loads the app only from a checked app.asar', () => {
    expect(FUSES[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(FUSES[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
  });

  it('encrypts the cookie store', () => {
    expect(FUSES[FuseV1Options.EnableCookieEncryption]).toBe(true);
  });

  it('decides every fuse that @electron/fuses knows, and flips strictly', () => {
    const known = Object.values(FuseV1Options).filter((value): value is FuseV1Options => typeof value === 'number');
    expect(Object.keys(FUSES).map(Number).sort()).toEqual([...known].sort());
    expect(fuseConfig('linux').strictlyRequireAllFuses).toBe(true);
  });

  it('gives a Mac app, whose signature the flip voids, an ad-hoc one again, and no other app', () => {
    expect(fuseConfig('darwin').resetAdHocDarwinSignature).toBe(true);
    for (const platform of ['win32', 'linux']) expect(fuseConfig(platform).resetAdHocDarwinSignature).toBe(false);
  });

  it('finds the Electron executable where electron-builder puts it on each OS', () => {
    const packager = { appInfo: { productFilename: 'QFPay Counter' }, executableName: 'qfpay-counter' } as unknown as AfterPackContext['packager'];
    expect(packedElectronPath({ appOutDir: '/o', electronPlatformName: 'darwin', packager })).toBe(join('/o', 'QFPay Counter.app'));
    expect(packedElectronPath({ appOutDir: '/o', electronPlatformName: 'win32', packager })).toBe(join('/o', 'QFPay Counter.exe'));
    expect(packedElectronPath({ appOutDir: '/o', electronPlatformName: 'linux', packager })).toBe(join('/o', 'qfpay-counter'));
  });
});

describe('flipping the fuses of a stand-in Electron', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qfpos-fuses-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sets each fuse of the wire to the configured value', async () => {
    const binary = join(dir, 'qfpay-counter');
    standInElectron(binary);
    const context = { appOutDir: dir, electronPlatformName: 'linux', packager: { executableName: 'qfpay-counter' } } as unknown as AfterPackContext;
    await flipFusesAfterPack(context);
    const wire = await getCurrentFuseWire(binary);
    expect(wire.version).toBe(FuseVersion.V1);
    for (const [fuse, on] of Object.entries(FUSES)) {
      expect({ fuse: FuseV1Options[Number(fuse)], state: wire[Number(fuse) as FuseV1Options] }).toEqual({ fuse: FuseV1Options[Number(fuse)], state: on ? FuseState.ENABLE : FuseState.DISABLE });
    }
  });

  it('refuses an Electron whose wire has a fuse nobody decided', async () => {
    const binary = join(dir, 'electron-with-a-new-fuse');
    standInElectron(binary, '1011000111');
    await expect(flipFuses(binary, fuseConfig('linux'))).rejects.toThrow(/strictlyRequireAllFuses/);
  });
});
