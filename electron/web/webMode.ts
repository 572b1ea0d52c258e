import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openTill } from '../services/app/openTill';
import { startBridge } from './bridgeServer';
import { readWebLinks, saveWebLinks, webLinksPath } from './webLinks';

/** The built renderer, as electron-vite writes it. */
export const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer/', import.meta.url));

/** Starts the app in web mode and returns once it listens; prints where the two screens are. */
export async function runWebMode(options: { host?: string; port?: number; reason?: string; newLinks?: boolean }) {
  if (!existsSync(`${RENDERER_DIR}index.html`)) throw new Error('the renderer is not built: run `npm run build` first');
  const till = await openTill(process.env);
  if (!till.ok) throw new Error(till.message);
  const { pos, dispatch, runtime } = till;
  const { config } = runtime;
  // The same links as last time, so open tabs reconnect after a restart.
  const folder = dirname(config.dbPath);
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
  console.log(`QFPay counter (web mode, ${config.environment === 'demo' ? 'DEMO: training, no real money' : config.environment})`);
  console.log(`  cashier screen:  ${bridge.cashierUrl}`);
  console.log(`  customer display: ${bridge.displayUrl}`);
  console.log(`  ledger:          ${config.dbPath}`);
  console.log('Open each link in its own browser window (the display one on the customer-facing screen). Ctrl+C stops.');

  const stop = async () => {
    await bridge.close();
    await till.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return bridge;
}
