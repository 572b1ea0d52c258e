import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openTill } from '../services/composition/openTill';
import { PAIRING_TTL_MS, type PairedScreen } from './screenPairing';
import { screenLink, startBridge, type Bridge } from './bridgeServer';
import { certificatePath } from './tlsCertificate';
import { readWebLinks, saveWebLinks, webLinksPath } from './webLinks';

/** The built renderer, as electron-vite writes it. */
export const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer/', import.meta.url));

/** The lines that tell where to open the two screens, with new one-time codes. */
function linkLines(bridge: Bridge, options: { enterForNew: boolean }): string[] {
  const codes = { cashier: bridge.newCode('cashier'), display: bridge.newCode('display') } as const;
  const lines = [`  cashier screen:   ${screenLink(bridge.url, 'cashier', codes.cashier)}`, `  customer display: ${screenLink(bridge.url, 'display', codes.display)}`];
  if (bridge.networkUrls.length > 0 && bridge.networkUrls[0] !== bridge.url) {
    lines.push("  or, from a tablet or another computer on the shop's network:");
    for (const base of bridge.networkUrls) lines.push(`    cashier screen:   ${screenLink(base, 'cashier', codes.cashier)}`, `    customer display: ${screenLink(base, 'display', codes.display)}`);
  }
  lines.push(`Each link opens its screen once, within ${PAIRING_TTL_MS / 60_000} minutes; the screen then stays paired, also across restarts.${options.enterForNew ? ' Press Enter here for new links.' : ' Restart for new links.'}`);
  return lines;
}

/** Starts the app in web mode and returns once it listens; prints where the two screens are. */
export async function runWebMode(options: { host?: string; port?: number; reason?: string; newLinks?: boolean }) {
  if (!existsSync(`${RENDERER_DIR}index.html`)) throw new Error('the renderer is not built: run `npm run build` first');
  const till = await openTill(process.env);
  if (!till.ok) throw new Error(till.message);
  const { pos, dispatch, runtime } = till;
  const { config } = runtime;
  // The same port and paired screens as last time, so open tabs reconnect after a restart.
  const folder = dirname(config.dbPath);
  const kept = options.newLinks ? {} : readWebLinks(folder);
  if (kept.unreadable) console.log(`${webLinksPath(folder)} could not be read: the screens must be paired again, from the links below.`);
  let port = 0;
  const keepPaired = (screens: readonly PairedScreen[]) => saveWebLinks(folder, { port, screens });
  const start = (at: number | undefined) =>
    startBridge({
      pos,
      dispatch,
      rendererDir: RENDERER_DIR,
      host: options.host,
      port: at,
      paired: kept.links?.screens,
      keepPaired,
      certificateFolder: folder,
      onCodesWithdrawn: () => console.log('Too many wrong pairing codes: the links are withdrawn. Press Enter here (or restart) for new ones.'),
    });
  let bridge;
  try {
    bridge = await start(options.port || kept.links?.port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || options.port) throw error;
    console.log(`Port ${kept.links?.port} is taken by another program: the till listens on another one, and the screens must be opened again from the links below.`);
    bridge = await start(0);
  }
  port = bridge.port;
  // --new-links forgets the screens paired before (their tabs must pair again); either way the port is kept.
  keepPaired(kept.links?.screens ?? []);
  pos.start();

  if (options.reason) console.log(`${options.reason}\n`);
  console.log(`QFPay counter (web mode, ${config.environment === 'demo' ? 'DEMO: training, no real money' : config.environment})`);
  const keys = process.stdin.isTTY ? createInterface({ input: process.stdin }) : undefined;
  // After a restart, the screens already paired come back by themselves: the links are for new ones.
  const paired = bridge.counts().paired;
  if (paired > 0) console.log(`${paired} screen${paired === 1 ? ' is' : 's are'} paired already and reconnect by themselves: the links below are only for another screen.`);
  for (const line of linkLines(bridge, { enterForNew: keys !== undefined })) console.log(line);
  if (bridge.certificate) {
    console.log(`On the network the screens use HTTPS with this till's own certificate (${certificatePath(folder)}${bridge.certificate.made ? ', new at this start' : ''}).`);
    console.log('A browser warns about it the first time: go on only if the certificate it shows has this SHA-256 fingerprint:');
    console.log(`  ${bridge.certificate.fingerprint}`);
  }
  // Demo mode: a customer's payment code to scan (CPM), as the training wallet shows it.
  if (runtime.simulator) console.log(`  training payment codes, for the scanner: ${runtime.simulator.codePageUrl}`);
  console.log(`  ledger: ${config.dbPath}`);
  console.log('Open each link in its own browser window (the display one on the customer-facing screen). Ctrl+C stops.');

  // Enter prints new links: a screen to pair after the first links expired, or a tablet replaced.
  keys?.on('line', () => {
    for (const line of linkLines(bridge, { enterForNew: true })) console.log(line);
  });

  const stop = async () => {
    keys?.close();
    await bridge.close();
    await till.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return bridge;
}
