import { join } from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion, type FuseV1Config } from '@electron/fuses';
import type { AfterPackContext } from 'electron-builder';

/**
 * Electron's fuses as the installers ship them: bits in the Electron binary, flipped at packing,
 * before signing, so that the operating system's signature check keeps them flipped.
 *
 * Every fuse of the wire is decided here, not only the six the till depends on: the object must
 * name every option that @electron/fuses knows (`satisfies Record<FuseV1Options, boolean>`, so the
 * type check fails when an upgrade of @electron/fuses adds one), and the flip runs with
 * `strictlyRequireAllFuses`, so packing fails when an Electron upgrade brings a fuse that
 * @electron/fuses does not know yet. The test in test/packaging reads this object.
 */
export const FUSES = {
  // ELECTRON_RUN_AS_NODE=1 would turn the installed, signed app into a plain Node that runs any
  // script as the app: on macOS the keychain entry that safeStorage keeps its key in trusts the
  // app's signature, so such a script could decrypt the stored QFPay client key. The till forks
  // no Node child (child_process.fork needs this fuse; utilityProcess does not).
  [FuseV1Options.RunAsNode]: false,
  // Chromium's cookie store encrypted with the OS key store, as Chrome does. The app sets no
  // cookies of its own, so turning it on costs nothing; it is one-way: never turn it off again
  // once shipped (an encrypted store read with the fuse off is unreadable).
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS (and NODE_EXTRA_CA_CERTS) could preload code (--require) into the main process,
  // or trust another certificate authority for the calls to QFPay.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // --inspect / --inspect-brk / SIGUSR1 would open a debugger on the main process, which holds
  // the client key and the ledger.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // Electron checks app.asar against the hash that electron-builder embeds when it packs an asar
  // (Info.plist's ElectronAsarIntegrity on macOS, a resource of the .exe on Windows; see
  // app-builder-lib's platformPackager/electronWin). Electron has no such check on Linux: there
  // the fuse changes nothing, and the package manager's files are the protection.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  // Only resources/app.asar is loaded: no resources/app folder next to it can replace the code,
  // which together with the integrity check means no unchecked code runs as the app.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // Electron's default; the app ships no browser-process V8 snapshot.
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // The pages come from the app:// protocol, never file://, so file:// needs no extra privileges.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  // Electron's default: V8's signal-based bounds checks for WebAssembly memory. Kept.
  [FuseV1Options.WasmTrapHandlers]: true,
} as const satisfies Record<FuseV1Options, boolean>;

/** What `flipFuses` is given for one packed app. */
export function fuseConfig(platform: string): FuseV1Config {
  return {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    // Flipping a fuse changes the binary, which voids the signature it came with. An arm64 Mac
    // app without a valid signature is killed at launch, and an x64 one is called damaged, so an
    // unsigned build (the CI's) gets an ad-hoc signature again; a real signature applied after
    // this hook replaces it.
    resetAdHocDarwinSignature: platform === 'darwin',
    ...FUSES,
  };
}

/**
 * The Electron executable in a packed app folder, where electron-builder puts it (the same rule
 * as its own PlatformPackager.addElectronFuses): `<productFilename>.app` on macOS (flipFuses finds
 * the framework inside), `<productFilename>.exe` on Windows, the Linux executable name on Linux.
 */
export function packedElectronPath(context: Pick<AfterPackContext, 'appOutDir' | 'electronPlatformName' | 'packager'>): string {
  const { appOutDir, electronPlatformName, packager } = context;
  if (electronPlatformName === 'linux') return join(appOutDir, (packager as unknown as { executableName: string }).executableName);
  const extension = electronPlatformName === 'win32' ? '.exe' : '.app';
  return join(appOutDir, `${packager.appInfo.productFilename}${extension}`);
}

/**
 * electron-builder's afterPack hook: it runs after the app files and the asar integrity are in
 * place and before signing, which is when fuses must be flipped.
 *
 * Why a hook and not electron-builder's own `electronFuses` option: that option flips through
 * the @electron/fuses that electron-builder bundles (1.8, whose wire stops at 8 fuses while
 * Electron 45's has 9) and passes no `strictlyRequireAllFuses`, so a fuse added by an Electron
 * upgrade would ship at Electron's default without anyone deciding it. Here every fuse is named
 * and the flip is strict.
 */
export async function flipFusesAfterPack(context: AfterPackContext): Promise<void> {
  const binary = packedElectronPath(context);
  await flipFuses(binary, fuseConfig(context.electronPlatformName));
  console.log(`  • fuses flipped  file=${binary}`);
}
