import type { Configuration } from 'electron-builder';
import { flipFusesAfterPack } from './packaging/fuses';

/**
 * The installers: `npm run dist` (scripts/dist.ts) runs electron-builder, which finds this file
 * by its name, as does a plain `npx electron-builder`. test/packaging reads the same object.
 */
const config = {
  appId: 'hk.counter.qfpos',
  productName: 'QFPay Counter',
  directories: { output: 'dist' },
  // electron-vite's three outputs and nothing else of the source tree (nor anything else a
  // developer's runs leave in out/); electron-builder adds package.json and the production
  // dependencies (never devDependencies) by itself.
  files: [
    'out/{main,preload,renderer}/**/*',
    // better-sqlite3 ships its C sources, SQLite's amalgamation and the compiler's leftovers;
    // the app needs lib/, package.json and the one better_sqlite3.node.
    '!node_modules/better-sqlite3/{deps,src,binding.gyp,build/deps,build/*.mk,build/Makefile,build/config.gypi,build/Release/obj,build/Release/obj.target,build/Release/.deps,build/Release/sqlite3.a,build/Release/test_extension.node}',
  ],
  asar: true,
  // The operating system loads a native module from a real file, not from inside an archive:
  // Electron redirects the require to app.asar.unpacked/.
  asarUnpack: ['node_modules/better-sqlite3/**/*.node'],
  // Rebuild better-sqlite3 for the Electron version and architecture being packed (@electron/rebuild,
  // on the packaging machine, with Electron's headers from the network). It rebuilds in place in
  // node_modules; scripts/dist.ts puts the Node build back afterwards so the tests keep working.
  npmRebuild: true,
  afterPack: flipFusesAfterPack,
  // Installers only: no update feed and no upload, whatever CI's environment suggests.
  publish: null,
  // Version, OS and architecture in every file name (${os} is mac, win or linux).
  artifactName: 'qfpay-counter-${version}-${os}-${arch}.${ext}',
  win: {
    target: [{ target: 'nsis', arch: ['x64'] }],
  },
  nsis: {
    // A shop's PC: the cashier may choose where it goes, and needs no administrator for it.
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
  },
  mac: {
    target: [{ target: 'dmg', arch: ['arm64', 'x64'] }],
    category: 'public.app-category.business',
  },
  linux: {
    target: [
      { target: 'AppImage', arch: ['x64'] },
      { target: 'deb', arch: ['x64'] },
    ],
    executableName: 'qfpay-counter',
    category: 'Office',
    synopsis: 'Counter point-of-sale for QFPay QR payments',
    // A .deb must name a maintainer; package.json has no author email to take it from.
    maintainer: 'QFPay Counter maintainers',
  },
} satisfies Configuration;

export default config;
