import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appConfiguration } from '../services/appConfiguration';
import { createPosService } from '../services/app/posService';
import { createDispatcher } from '../services/ipc/dispatch';
import { openTillRuntime } from '../services/runtime';
import { startBridge } from './bridgeServer';
import { readWebLinks, saveWebLinks, webLinksPath } from './webLinks';

/** The built renderer, as electron-vite writes it. */
export const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer/', import.meta.url));

/** Starts the app in web mode and returns once it listens; prints where the two screens are. */
export async function runWebMode(options: { host?: string; port?: number; reason?: string; newLinks?: boolean }) {
  if (!existsSync(`${RENDERER_DIR}index.html`)) throw new Error('the renderer is not built: run `npm run build` first');
  const { ok, settings, config } = appConfiguration(process.env);
  if (!ok) throw new Error(config.error.message);
  const runtime = await openTillRuntime(config.value, { settings });
  const pos = createPosService(runtime, settings);
  const dispatch = createDispatcher(pos.handlers, { managerUnlocked: pos.managerUnlocked });
  // The same links as last time, so open tabs reconnect after a restart.
  const folder = dirname(config.value.dbPath);
  const kept = options.newLinks ? {} : readWebLinks(folder);
  if (kept.unreadable) console.log(`${webLinksPath(folder)} could not be read: new links are made, and the screens must be opened again.`);
  const start = (port: number | undefined) => startBridge({ pos, dispatch, rendererDir: RENDERER_DIR, host: options.host, port, tokens: kept.links?.tokens });
  let bridge;
  try {
    bridge = await start(options.port || kept.links?.port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || options.port) throw error;
    console.log(`Port ${kept.links?.port} is taken by another program: the till listens on another one, and the screens must be opened again from the links below.`);
    bridge = await start(0);
  }
  saveWebLinks(folder, { port: bridge.port, tokens: bridge.tokens });
  pos.start();

  if (options.reason) console.log(`${options.reason}\n`);
  console.log(`QFPay counter (web mode, ${config.value.environment === 'demo' ? 'DEMO: training, no real money' : config.value.environment})`);
  console.log(`  cashier screen:  ${bridge.cashierUrl}`);
  console.log(`  customer display: ${bridge.displayUrl}`);
  console.log(`  ledger:          ${config.value.dbPath}`);
  console.log('Open each link in its own browser window (the display one on the customer-facing screen). Ctrl+C stops.');

  const stop = async () => {
    await bridge.close();
    pos.close();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return bridge;
}
