import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { electronDownloadUrl } from './launcher/electronDownload';
import { sqliteForInstalledElectron, type ElectronSqlite } from './launcher/electronSqlite';
import { oneLineReason } from './launcher/processOutput';
import { parseWebOptions, WEB_OPTIONS_USAGE, type WebOptions } from './web/webOptions';
import { runWebMode } from './web/webMode';

/**
 * `npm start [-- --port N] [-- --host H] [-- --new-links]`: the desktop app in Electron when its
 * binary is present; if it is missing, one try of Electron's normal install (requiring the
 * `electron` package makes exactly that attempt); and if that cannot download it (as on machines
 * that reach only the npm registry), the same app in web mode, saying what could not be downloaded
 * and from where. The options are web mode's: the desktop app listens on no port.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const USAGE = `Usage: npm start -- [--port N] [--host H] [--new-links]   (they apply when the app runs in web mode)\n${WEB_OPTIONS_USAGE}`;

let options: WebOptions;
try {
  options = parseWebOptions(process.argv.slice(2));
} catch (error) {
  console.error(`start: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}

/**
 * The Electron binary, fetched by Electron's own installer the first time (once; its output is
 * kept, not shown: on a machine that cannot download it, one line says why instead of a stack).
 */
function electronBinary(): { path?: string; why?: string } {
  const packageDir = require.resolve('electron/package.json').replace(/package\.json$/, '');
  if (!existsSync(`${packageDir}path.txt`)) {
    console.log("Electron's binary is not installed yet (npm install skips its download here); trying its install once...");
    const install = spawnSync(process.execPath, [`${packageDir}install.js`], { encoding: 'utf8', timeout: 180_000 });
    if (install.status !== 0) {
      const { version } = require('electron/package.json') as { version: string };
      const reason = oneLineReason(`${install.stderr ?? ''}\n${install.stdout ?? ''}`, install.error, install.status);
      return { why: `Electron ${version} could not be downloaded from ${electronDownloadUrl(version)} (${reason})` };
    }
  }
  try {
    const path = require('electron') as unknown as string;
    return existsSync(path) ? { path } : { why: 'its binary is missing after install' };
  } catch (error) {
    return { why: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
}

const electron = electronBinary();
let sqlite: ElectronSqlite | undefined;
try {
  sqlite = electron.path ? sqliteForInstalledElectron(root, (line) => console.log(line)) : undefined;
} catch (error) {
  sqlite = { ok: false, message: `cannot get better-sqlite3 for Electron (${error instanceof Error ? error.message.split('\n')[0] : String(error)}). Run \`npm install\` again, or \`npm run web\` for the same app in a browser.` };
}
if (electron.path && sqlite?.ok) {
  if (options.port !== undefined || options.host !== undefined) console.log('start: --port and --host apply to web mode; the desktop app listens on no port.');
  const child = spawn(electron.path, [root], { stdio: 'inherit', env: { ...process.env, QFPOS_ELECTRON_SQLITE: sqlite.path } });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  // Without Electron, or without the ledger's native module for it, the same app runs in web mode:
  // `npm start` still gives the shop a working till, and the line above it says why.
  const why = sqlite && !sqlite.ok ? `npm start: ${sqlite.message}` : electron.why?.startsWith('Electron ') ? electron.why : `Electron could not be installed here (${electron.why ?? 'no binary'})`;
  try {
    await runWebMode({
      host: options.host,
      port: options.port,
      newLinks: options.newLinks,
      reason: `${why}\nSo the app runs in your browser instead (web mode): the same screens and the same services.`,
    });
  } catch (error) {
    // A configuration problem is said in one line, not as a stack.
    console.error(`start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}
