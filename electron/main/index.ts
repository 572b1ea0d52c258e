import { fileURLToPath } from 'node:url';
import * as electron from 'electron';
import { startShell } from './shell';

// The whole shell is in ./shell.ts, a function of the Electron APIs it uses, so that the tests can
// run it under Node. This file only hands it Electron itself and where the build put the pages.
void startShell(electron, {
  rendererDir: fileURLToPath(new URL('../renderer/', import.meta.url)),
  preloadDir: fileURLToPath(new URL('../preload/', import.meta.url)),
  env: process.env,
});
