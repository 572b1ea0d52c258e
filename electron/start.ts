import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { runWebMode } from './web/webMode';

/**
 * `npm start`: the desktop app in Electron when its binary is present; if it is missing, one try
 * of Electron's normal install (requiring the `electron` package makes exactly that attempt); and
 * if that cannot download it (as on machines that reach only the npm registry), the same app in
 * web mode, saying why.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

function electronBinary(): string | undefined {
  const pathFile = require.resolve('electron/package.json').replace(/package\.json$/, 'path.txt');
  if (!existsSync(pathFile)) console.log("Electron's binary is not installed yet (npm install skips its download here); trying its install once...");
  try {
    const path = require('electron') as unknown as string;
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
if (binary) {
  // Electron runs better-sqlite3 built for its own ABI: `npx @electron/rebuild -o better-sqlite3` (see README).
  const child = spawn(binary, [root], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  try {
    await runWebMode({
      reason: "Electron's binary could not be downloaded on this machine, so the app runs in your browser instead (web mode): the same screens and the same services.",
    });
  } catch (error) {
    // A configuration problem is said in one line, not as a stack.
    console.error(`start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}
