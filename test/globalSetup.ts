import { spawnSync } from 'node:child_process';

/**
 * The browser and bridge tests serve the built renderer, so build it first: `npm test` on a fresh
 * clone must work without a separate build step (about 3 s).
 */
export default function setup(): void {
  const result = spawnSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`electron-vite build failed:\n${result.stdout}\n${result.stderr}`);
}
