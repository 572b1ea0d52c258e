import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sqliteForInstalledElectron } from '../../electron/launcher/electronSqlite';
import { decodeQr, screenshot } from '../support/browser';
import { startTestSimulator, tempFolder, tillEnvironment, type TestSimulator } from '../support/simulator';

/**
 * The desktop app in real Electron, driven by Playwright: the built app (`npm run build`), its
 * two windows, a real simulator on 127.0.0.1 and a fresh data folder per test. It needs Electron's
 * binary; where that is missing (as on machines that reach only the npm registry) the suite is
 * skipped and says so in one line.
 */
const root = process.cwd();
const require = createRequire(join(root, 'package.json'));

function electronBinary(): string | undefined {
  // Requiring `electron` without its binary would try to download it: look for its path file first.
  if (!existsSync(join(root, 'node_modules', 'electron', 'path.txt'))) return undefined;
  try {
    const path = require('electron') as unknown as string;
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
if (!binary) console.warn("Electron end-to-end suite skipped: Electron's binary is not installed (node node_modules/electron/install.js fetches it).");

describe.skipIf(!binary)('the desktop app in Electron', () => {
  let simulator: TestSimulator;
  let sqliteBinding: string;
  const opened: ElectronApplication[] = [];
  const folders: ReturnType<typeof tempFolder>[] = [];

  beforeAll(async () => {
    if (!existsSync(join(root, 'out', 'main', 'index.js'))) throw new Error('the app is not built: run `npm run build` first');
    const sqlite = sqliteForInstalledElectron(root, (line) => console.log(line));
    if (!sqlite.ok) throw new Error(sqlite.message);
    sqliteBinding = sqlite.path;
    simulator = await startTestSimulator();
  });
  afterEach(async () => {
    for (const app of opened.splice(0)) await app.close().catch(() => undefined);
  });
  afterAll(async () => {
    await simulator?.stop();
    for (const folder of folders) folder.remove();
  });

  async function launch(folder: string) {
    const app = await _electron.launch({
      executablePath: binary,
      // Chromium's sandbox cannot start as root (CI containers); the app's own renderer sandbox is unaffected.
      args: [root, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      env: { ...process.env, ...tillEnvironment(simulator, folder), QFPOS_ELECTRON_SQLITE: sqliteBinding },
    });
    opened.push(app);
    const cashier = await windowAt(app, 'app://pos/index.html');
    const display = await windowAt(app, 'app://pos/display.html');
    await cashier.getByText('Ready for the next sale.').waitFor();
    return { app, cashier, display };
  }

  async function windowAt(app: ElectronApplication, url: string): Promise<Page> {
    for (let tries = 0; tries < 100; tries += 1) {
      const page = app.windows().find((candidate) => candidate.url() === url);
      if (page) return page;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no window at ${url}`);
  }

  function newFolder(): string {
    const folder = tempFolder('qfpos-electron-');
    folders.push(folder);
    return folder.path;
  }

  async function charge(cashier: Page, amount: string) {
    await cashier.keyboard.type(amount, { delay: 70 }); // a person's pace: faster is a barcode scanner's
    await cashier.keyboard.press('F5'); // FPS, the fifth wallet
    await cashier.keyboard.press('Enter');
    await cashier.getByRole('status').getByText('Waiting for the customer to scan and pay.').waitFor();
  }

  it('charges: the QR read off the display window is the order QFPay made, and paid shows on both windows', async () => {
    const folder = newFolder();
    const { cashier, display } = await launch(folder);
    await charge(cashier, '12.30');
    await display.getByTestId('qr').waitFor();
    // The till's own ledger, read beside the running app (WAL lets a reader in).
    const ledger = new Database(join(folder, 'till.sqlite'), { readonly: true, fileMustExist: true });
    const order = ledger.prepare('SELECT out_trade_no, qrcode, amount FROM orders ORDER BY id DESC LIMIT 1').get() as { out_trade_no: string; qrcode: string; amount: number };
    ledger.close();
    expect(order.amount).toBe(1230);
    expect(decodeQr(await screenshot(display, 'electron-display-qr'))).toBe(order.qrcode);

    await simulator.control('POST', `orders/${order.out_trade_no}/pay`);
    await cashier.getByRole('status').getByText('Paid.').waitFor({ timeout: 15_000 });
    await display.getByText('Payment received. Thank you!', { exact: false }).waitFor();
    await screenshot(cashier, 'electron-cashier-paid');
  });

  it('keeps its pages: no new window, no navigation away, and the display has only its own command', async () => {
    const { app, cashier, display } = await launch(newFolder());
    // Page code as strings: it runs in the window, not under this file's Node types.
    await cashier.evaluate("void window.open('https://example.com/')");
    await cashier.evaluate("window.location.href = 'https://example.com/'");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(app.windows()).toHaveLength(2);
    expect(cashier.url()).toBe('app://pos/index.html');

    const exposed = await display.evaluate('({ commands: Object.keys(window.pos.commands), require: typeof window.require, process: typeof window.process })');
    expect(exposed).toEqual({ commands: ['readDisplayState'], require: 'undefined', process: 'undefined' });

    // An iframe of another origin gets no API at all, and the app's CSP does not even load it.
    const framed = await cashier.evaluate(`(async () => {
      const frame = document.createElement('iframe');
      frame.src = 'https://example.com/';
      document.body.append(frame);
      await new Promise((resolve) => setTimeout(resolve, 500));
      try { return 'pos' in frame.contentWindow; } catch { return false; }
    })()`);
    expect(framed).toBe(false);
  });

  it('after a restart, shows the order that was still open, with its QR on the display', async () => {
    const folder = newFolder();
    const first = await launch(folder);
    await charge(first.cashier, '45.60');
    await first.app.close();
    opened.splice(opened.indexOf(first.app), 1);

    const second = await launch(folder);
    await second.cashier.getByRole('status').getByText('Waiting for the customer to scan and pay.').waitFor({ timeout: 15_000 });
    await second.display.getByTestId('qr').waitFor();
    expect(await second.display.getByTestId('display-amount').textContent()).toBe('HK$45.60');
  });
});
