import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { chromiumPath, decodeQr, launchChromium, qrDrawn } from '../test/support/browser';
import { startWebMode, stopWebMode } from './webModeProcess';

/**
 * `npx tsx scripts/screenshots.ts`: the README's pictures (docs/images/), taken from the app as
 * `npm start` runs it where Electron cannot be had: web mode, demo gateway, a new till in a temp
 * folder. It opens the cashier screen and the customer display from the one-time links web mode
 * prints, charges HK$128.50 to WeChat Pay from the keyboard, and saves both screens while the QR
 * waits; then it pays the QR on the training wallet page, as a customer's phone would, and saves
 * the cashier's "Paid". It stops everything it started (the browser, web mode) and removes the
 * folder. Needs Debian's chromium (or CHROMIUM_PATH), as the browser tests do.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const imagesDir = join(root, 'docs', 'images');
/** A laptop's screen for the cashier; the display as the small second screen it is made to fit (800×480). */
const CASHIER_VIEWPORT = { width: 1280, height: 800 };
const DISPLAY_VIEWPORT = { width: 800, height: 480 };

if (!chromiumPath()) {
  console.error('screenshots: chromium is not installed (apt-get install chromium-headless-shell fonts-noto-cjk), or set CHROMIUM_PATH');
  process.exit(2);
}
// The built pages, as `npm start` builds them first.
if (!existsSync(join(root, 'out', 'renderer', 'index.html'))) {
  console.log('building the app (out/)...');
  execFileSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
}

const folder = mkdtempSync(join(tmpdir(), 'qfpos-screenshots-'));
let web: ChildProcess | undefined;
let browser: Browser | undefined;

/** Web mode on a new ledger, demo gateway; resolves with the two links it prints. */
function startDemoWebMode(): Promise<{ cashier: string; display: string }> {
  const started = startWebMode(root, join(folder, 'till.sqlite'));
  web = started.child;
  return started.links;
}

async function take(): Promise<string[]> {
  const links = await startDemoWebMode();
  browser = await launchChromium();
  // Each screen a context of its own, as separate windows are (headless Chromium draws only a context's front page at full rate).
  const cashier = await browser.newPage({ viewport: CASHIER_VIEWPORT });
  const display = await browser.newPage({ viewport: DISPLAY_VIEWPORT });
  await cashier.goto(links.cashier);
  await display.goto(links.display);
  await cashier.getByText('Ready for the next sale.').waitFor();

  // F2 picks WeChat Pay; the amount is typed as on the keyboard; Enter charges.
  await cashier.keyboard.press('F2');
  await cashier.keyboard.type('128.50');
  await cashier.keyboard.press('Enter');
  await cashier.getByText('Waiting for the customer to scan and pay.').waitFor();
  await display.locator('img.qr').waitFor();
  await qrDrawn(display);
  // The countdown moves every second: both pictures from the same moment of the sale.
  const saved = [join(imagesDir, 'cashier-waiting.png'), join(imagesDir, 'customer-display-qr.png')];
  await cashier.screenshot({ path: saved[0] });
  const shown = await display.screenshot({ path: saved[1] });

  // The customer scans the display's picture, as a phone would: a demo QR is the training wallet page's address.
  const walletUrl = decodeQr(shown);
  if (!walletUrl?.startsWith('http')) throw new Error(`the QR on the display does not read as the training wallet's address: ${String(walletUrl)}`);
  const phone = await browser.newPage({ viewport: { width: 390, height: 700 } });
  await phone.goto(walletUrl);
  await phone.getByRole('button', { name: /^Pay/ }).click();
  await phone.close();
  await cashier.bringToFront();
  await cashier.getByRole('status').getByText('Paid.').waitFor({ timeout: 30_000 });
  saved.push(join(imagesDir, 'cashier-paid.png'));
  await cashier.screenshot({ path: saved[2] });
  return saved;
}

let failed = false;
try {
  mkdirSync(imagesDir, { recursive: true });
  const saved = await take();
  for (const path of saved) console.log(`${path.slice(root.length)}: ${Math.round(statSync(path).size / 1024)} KB`);
} catch (error) {
  failed = true;
  console.error(`screenshots: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await browser?.close();
  await stopWebMode(web);
  rmSync(folder, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
