import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { en } from '../shared/i18n/catalogue/en';
import { zhHK } from '../shared/i18n/catalogue/zh-HK';
import { chromiumPath, decodeQr, launchChromium, qrDrawn } from '../test/support/browser';
import { nodeEntryArgs } from './nodeEntries';
import { demoTillEnv, startWebMode, stopWebMode, type WebModeLinks } from './webModeProcess';

/**
 * `npx tsx scripts/stateShots.ts [OUT_DIR]`: a picture of every state of the app's screens, in
 * English and in Chinese, for people to look at (nothing masked), into OUT_DIR
 * (test-results/states/ by default). Each language gets a till of its own (web mode, demo gateway,
 * a new ledger in a temp folder), so that the manager's first PIN set-up is there in both. The
 * cashier screen is taken at 1366x768 and at 1024x768, the customer display at 800x480 and
 * 1920x1080: the same moment, the window resized, so both sizes show the same sale. The customer
 * pays, declines or pays too late on the training wallet page, as a phone would; a sale started
 * from the command-line till holds the counter and then expires. The customer's own code (CPM) is
 * read off the training wallet's code page and typed into the cashier screen at a scanner's speed;
 * the wallet that asks the customer to confirm is paid at the demo gateway's control surface, as
 * the customer confirming. Everything it starts (Chromium, web mode, the CLI) is stopped and the
 * folder removed, also on failure or Ctrl+C.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = resolve(process.argv[2] ?? join(root, 'test-results', 'states'));
const LANGUAGES = ['en', 'zh-HK'] as const;
type Language = (typeof LANGUAGES)[number];
type Size = { width: number; height: number };
/** The common counter PC and a small one; the display's small second screen and a TV. */
const CASHIER: Size = { width: 1366, height: 768 };
const CASHIER_SMALL: Size = { width: 1024, height: 768 };
const DISPLAY: Size = { width: 800, height: 480 };
const DISPLAY_LARGE: Size = { width: 1920, height: 1080 };
const PHONE: Size = { width: 390, height: 700 };
const PIN = '246810';

if (!chromiumPath()) {
  console.error('stateShots: chromium is not installed (apt-get install chromium-headless-shell fonts-noto-cjk), or set CHROMIUM_PATH');
  process.exit(2);
}
// The built pages, as `npm start` builds them first.
if (!existsSync(join(root, 'out', 'renderer', 'index.html'))) {
  console.log('building the app (out/)...');
  execFileSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
}

const folder = mkdtempSync(join(tmpdir(), 'qfpos-state-shots-'));
let web: ChildProcess | undefined;
let cliChild: ChildProcess | undefined;
let browser: Browser | undefined;
const written: string[] = [];

// ---- The processes: web mode and the command-line till, on one ledger ----

/** Web mode on `db`; resolves with the one-time links and the code page it prints (also at a restart on the same ledger). */
function startDemoWebMode(db: string): Promise<WebModeLinks> {
  const started = startWebMode(root, db);
  web = started.child;
  return started.links;
}

async function stopDemoWebMode(): Promise<void> {
  const child = web;
  await stopWebMode(child);
  if (web === child) web = undefined;
}

/** The command-line till on the same ledger, as a second program at the counter would use it. */
function cli(db: string, args: string[]): Promise<void> {
  const child = spawn(process.execPath, [...nodeEntryArgs('cli'), ...args], { cwd: root, env: demoTillEnv(db), stdio: ['ignore', 'pipe', 'pipe'] });
  cliChild = child;
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((done, reject) =>
    child.once('exit', (code) => {
      cliChild = undefined;
      if (code === 0) done();
      else reject(new Error(`cli ${args.join(' ')} exited ${code}:\n${output}`));
    }),
  );
}

/** A port nobody listens on: a head office there is refused at once, as one that is down. */
function closedPort(): Promise<number> {
  return new Promise((done, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : reject(new Error('no port'))));
    });
  });
}

// ---- Pictures ----

async function save(page: Page, name: string): Promise<Buffer> {
  // Two frames, so that a picture after a resize has the new layout.
  await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');
  // Animations run to their end (the paid flash), so a picture never catches one half-way.
  const png = await page.screenshot({ animations: 'disabled' });
  const path = join(outDir, `${name}.png`);
  writeFileSync(path, png);
  written.push(path);
  console.log(relative(process.cwd(), path));
  return png;
}

/** `${screen}-${step}` at the page's size, then `${screen}-${tag}-${step}` at the other; returns the first. */
async function saveAtTwoSizes(page: Page, screen: string, step: string, sizes: { main: Size; other: Size; tag: string }): Promise<Buffer> {
  const png = await save(page, `${screen}-${step}`);
  await page.setViewportSize(sizes.other);
  await save(page, `${screen}-${sizes.tag}-${step}`);
  await page.setViewportSize(sizes.main);
  return png;
}

// ---- One till, walked through in one language ----

interface Counter {
  readonly language: Language;
  readonly db: string;
  readonly browser: Browser;
  readonly cashier: Page;
  readonly display: Page;
  /** The demo gateway's training code page (`…/__sim__/code`); its origin is the gateway's control surface. */
  readonly codePage: string;
}

const shotCashier = (c: Counter, step: string) => saveAtTwoSizes(c.cashier, `${c.language}-cashier`, step, { main: CASHIER, other: CASHIER_SMALL, tag: '1024' });
const shotDisplay = (c: Counter, step: string) => saveAtTwoSizes(c.display, `${c.language}-display`, step, { main: DISPLAY, other: DISPLAY_LARGE, tag: '1080p' });
const shotManager = (c: Counter, step: string) => save(c.cashier, `${c.language}-manager-${step}`);

/** The cashier's status sentence names its order's state; the display's page its result. */
const cashierSays = (c: Counter, state: string, timeout = 30_000) => c.cashier.locator(`.status-sentence[data-state="${state}"]`).waitFor({ timeout });
const displaySays = (c: Counter, result: string) => c.display.locator(`main[data-result="${result}"]`).waitFor();
/** Today's list on the cashier screen is fetched again 500 ms after an order changes: a picture waits for it. */
const listSettled = () => sleep(800);

async function switchLanguage(c: Counter, to: Language): Promise<void> {
  await c.cashier.locator('.topbar-actions button').last().click();
  await c.cashier.locator(`html[lang="${to}"]`).waitFor();
}

/** Reads the display's QR as a phone's camera would: a demo QR is the training wallet page's address. */
async function scanQr(c: Counter, png?: Buffer): Promise<string> {
  await c.display.locator('img.qr').waitFor();
  await qrDrawn(c.display);
  const url = decodeQr(png ?? (await c.display.screenshot()));
  if (!url?.startsWith('http')) throw new Error(`the display's QR does not read as the training wallet's address: ${String(url)}`);
  return url;
}

/** The customer's phone on the training wallet page: Pay, or Decline (insufficient balance). */
async function onPhone(c: Counter, walletUrl: string, button: 'pay' | 'decline'): Promise<void> {
  const phone = await c.browser.newPage({ viewport: PHONE });
  try {
    await phone.goto(walletUrl);
    await phone.locator(`button.${button}`).click();
    // The answer page has no buttons: the gateway has the payment (or the refusal).
    await phone.locator('form').first().waitFor({ state: 'detached' });
  } finally {
    await phone.close();
  }
}

/** Esc clears the last sale; an amount, a wallet's F key and Enter charge; resolves with the QR's address. */
async function charge(c: Counter, amount: string, walletKey: string): Promise<string> {
  await c.cashier.keyboard.press('Escape');
  await c.cashier.keyboard.type(amount, { delay: 70 }); // a person's pace: faster is a barcode scanner's
  await c.cashier.keyboard.press(walletKey);
  await c.cashier.keyboard.press('Enter');
  await cashierSays(c, 'waiting');
  return scanQr(c);
}

// ---- The customer's own code (CPM), from a scanner ----

/** A fresh code off the training wallet's page, as the scanner reads it from the customer's phone: single use, 60 s. */
async function customerCode(c: Counter, wallet: 'alipay' | 'wechat' | 'payme'): Promise<string> {
  const response = await fetch(`${c.codePage}/${wallet}`);
  const code = /data-testid="code-digits">([0-9]+)</.exec(await response.text())?.[1];
  if (!response.ok || !code) throw new Error(`the training code page gave no ${wallet} code (${response.status})`);
  return code;
}

/** The demo gateway's control surface (loopback only), as the tests drive the simulator. */
async function gatewayControl(c: Counter, method: 'GET' | 'PUT' | 'POST', route: string, body?: unknown): Promise<unknown> {
  const response = await fetch(new URL(`/__sim__/${route}`, c.codePage), {
    method,
    ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} /__sim__/${route}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** A person's keys (a scanner is told from a person by speed), then the moment it takes to pick up the scanner. */
async function typeAmount(c: Counter, amount: string): Promise<void> {
  await c.cashier.keyboard.type(amount, { delay: 70 });
  await sleep(400);
}

/** A scanner in keyboard mode: the code's digits with no delay between keys, then Enter. */
async function scanCode(c: Counter, code: string): Promise<void> {
  await c.cashier.keyboard.type(code);
  await c.cashier.keyboard.press('Enter');
}

/** Esc twice: the last sale off the counter, then the amount cleared. */
async function nextSale(c: Counter): Promise<void> {
  await c.cashier.keyboard.press('Escape');
  await c.cashier.keyboard.press('Escape');
  await cashierSays(c, 'idle');
}

/** The screen's own words for `language`, so that a picture waits for the very sentence it is named after. */
const words = (c: Counter) => (c.language === 'en' ? en : zhHK);
/** The cashier's problem line (role=alert under the amount) says `text`. */
const cashierProblem = (c: Counter, text: string) => c.cashier.locator('.entry .problem').filter({ hasText: text }).waitFor();

async function customerCodeStates(c: Counter): Promise<void> {
  const { cashier, display } = c;
  await nextSale(c);
  await display.locator('.display-idle-body').waitFor();

  // Under the password amount: paid at once. The status names the wallet from the code's prefix
  // and shows the code masked.
  const used = await customerCode(c, 'alipay');
  await typeAmount(c, '42');
  await scanCode(c, used);
  await cashierSays(c, 'paid');
  await cashier.locator('.status-amount').filter({ hasText: `${used.slice(0, 2)}…${used.slice(-4)}` }).waitFor();
  await cashier.locator('.slip-preview').waitFor();
  await listSettled();
  await shotCashier(c, '13-code-paid');

  // From HK$500 the training wallet asks the customer for a password: the sale waits for them.
  await nextSale(c);
  await gatewayControl(c, 'PUT', 'cpm', { passwordFromMinor: 50_000 });
  await typeAmount(c, '688');
  await scanCode(c, await customerCode(c, 'wechat'));
  await cashierSays(c, 'waiting');
  await cashier.locator('.status-sentence').filter({ hasText: words(c).status.confirming }).waitFor();
  await display.getByTestId('confirm-in-wallet').waitFor();
  await display.getByTestId('countdown').waitFor();
  await shotDisplay(c, '06-code-confirming');
  await listSettled();
  await shotCashier(c, '14-code-confirming');
  // The customer confirms: paid at the gateway; the till's poller learns of it.
  const { orders } = (await gatewayControl(c, 'GET', 'orders')) as { orders: { out_trade_no: string; txamt: number; state: string }[] };
  const confirming = orders.find((order) => order.txamt === 68_800 && order.state !== 'paid');
  if (!confirming) throw new Error(`the demo gateway has no HK$688 order waiting: ${JSON.stringify(orders)}`);
  await gatewayControl(c, 'POST', `orders/${encodeURIComponent(confirming.out_trade_no)}/pay`);
  await cashierSays(c, 'paid');
  await displaySays(c, 'paid');
  await display.getByTestId('order-number').waitFor();
  await shotDisplay(c, '07-code-paid');

  // PayMe: its code does not name its wallet (the cashier picks it), and QFPay has no reversal
  // for it: the till waits with the customer and says it cannot withdraw the payment, then the
  // cashier cancels and is told a confirmation after that would be a late payment.
  await nextSale(c);
  await typeAmount(c, '688');
  await cashier.keyboard.press('F3');
  await scanCode(c, await customerCode(c, 'payme'));
  await cashierSays(c, 'waiting');
  const payme = { wallet: 'PayMe' };
  const paymeWaiting = words(c).status.confirmingNoWithdraw.replace('{{wallet}}', payme.wallet);
  await cashier.locator('.status-sentence').filter({ hasText: paymeWaiting }).waitFor();
  await listSettled();
  await shotCashier(c, '14b-code-payme-confirming');
  await cashier.keyboard.press('Escape');
  await cashierSays(c, 'cancelled');
  await cashier.locator('.status-sentence').filter({ hasText: words(c).status.cancelledNotWithdrawn.replace('{{wallet}}', payme.wallet) }).waitFor();
  await listSettled();
  await shotCashier(c, '14c-code-payme-cancelled');

  // The first code again: QFPay refuses a used code (1202), and the cashier asks for a fresh one.
  await nextSale(c);
  await typeAmount(c, '42');
  await scanCode(c, used);
  await cashierSays(c, 'failed');
  await cashier.locator('.status-sentence').filter({ hasText: words(c).status.codeRefused }).waitFor();
  await listSettled();
  await shotCashier(c, '15-code-used');

  // The scanner loses the code halfway: no Enter follows, and nothing is sent.
  await nextSale(c);
  await typeAmount(c, '5');
  await cashier.keyboard.type((await customerCode(c, 'alipay')).slice(0, 9));
  await cashierProblem(c, words(c).scan.misread);
  await shotCashier(c, '16-code-misread');

  // A scan before any amount: nothing is charged.
  await cashier.keyboard.press('Escape');
  await nextSale(c);
  await scanCode(c, await customerCode(c, 'wechat'));
  await cashierProblem(c, words(c).scan.amountFirst);
  await shotCashier(c, '17-code-no-amount');

  // F7: the field for a code typed by hand or read by a slow scanner, a password field.
  await typeAmount(c, '9');
  await cashier.keyboard.press('F7');
  const field = cashier.locator('.code-entry input');
  await field.waitFor();
  await shotCashier(c, '18-code-field');
  await field.press('Escape');
  await field.waitFor({ state: 'detached' });
  await nextSale(c);
}

async function cashierStates(c: Counter): Promise<void> {
  const { cashier, display } = c;
  await display.locator('.display-idle-body').waitFor();
  await shotCashier(c, '01-idle');
  await shotDisplay(c, '01-idle');
  await cashier.keyboard.type('128.50');
  await shotCashier(c, '02-amount-typed');
  await cashier.keyboard.press('F2');
  await cashier.locator('.wallet.selected').waitFor();
  await shotCashier(c, '03-wallet-chosen');
  await cashier.keyboard.press('Enter');
  await cashierSays(c, 'waiting');
  await display.locator('img.qr').waitFor();
  await qrDrawn(display);
  await shotCashier(c, '04-waiting');
  const paying = await scanQr(c, await shotDisplay(c, '02-payment'));

  await onPhone(c, paying, 'pay');
  await cashierSays(c, 'paid');
  // The display shows a result for 6-10 s only: its pictures first.
  await displaySays(c, 'paid');
  await shotDisplay(c, '03-paid');
  await cashier.locator('.slip-preview').waitFor();
  await listSettled();
  await shotCashier(c, '05-paid');

  // FPS has no close at QFPay: its QR stays payable after the cancel, so the customer can pay late.
  const late = await charge(c, '42', 'F5');
  await cashier.keyboard.press('Escape');
  await cashierSays(c, 'cancelled');
  await displaySays(c, 'cancelled');
  await shotDisplay(c, '04-cancelled');
  await listSettled();
  await shotCashier(c, '06-cancelled');
  await onPhone(c, late, 'pay');
  await cashier.locator('.late-alerts').waitFor();
  await cashierSays(c, 'paid_late');
  await cashier.locator('.slip-preview').waitFor();
  await listSettled();
  await shotCashier(c, '07-late-payment');
  await cashier.locator('.late-alerts li button').first().click();
  await cashier.locator('.late-alerts').waitFor({ state: 'detached' });

  const declining = await charge(c, '9.90', 'F1');
  await onPhone(c, declining, 'decline');
  await cashierSays(c, 'failed');
  await displaySays(c, 'failed');
  await shotDisplay(c, '05-failed');
  await listSettled();
  await shotCashier(c, '08-failed');

  // A reload in the middle of a sale: the screen takes the open sale up again.
  await charge(c, '20', 'F3');
  await cashier.reload();
  await cashierSays(c, 'waiting');
  await cashier.locator('.status-countdown').waitFor();
  await listSettled();
  await shotCashier(c, '09-reload-open-sale');
  // The language button pressed during that sale, into this walk's language (from the other one),
  // so that each language's picture shows its own words.
  await switchLanguage(c, c.language === 'en' ? 'zh-HK' : 'en');
  await switchLanguage(c, c.language);
  await shotCashier(c, '10-language-switch');
  await cashier.keyboard.press('Escape');
  await cashierSays(c, 'cancelled');
  await cashier.keyboard.press('Escape');

  // The command-line till takes a customer first, with a QR of one minute: the screen's own
  // charge is refused and shows that sale instead, which then expires (the screen's shortest QR
  // lifetime is five minutes).
  await cli(c.db, ['charge', '--amount', '5', '--wallet', 'fps', '--expires', '1']);
  await cashier.keyboard.type('7.50');
  await cashier.keyboard.press('F2');
  await cashier.keyboard.press('Enter');
  await cashier.locator('.entry .problem').filter({ hasText: /\S/ }).waitFor();
  await cashierSays(c, 'waiting');
  await listSettled();
  await shotCashier(c, '11-refused-open-sale');
  await cashierSays(c, 'expired', 120_000);
  await listSettled();
  await shotCashier(c, '12-expired');
  await cashier.keyboard.press('Escape');
}

/** The manager's screen, over the cashier's in the same window, on the sales made above. */
async function managerStates(c: Counter): Promise<void> {
  const { cashier } = c;
  const managerButton = cashier.locator('.topbar-actions button').first();
  const pinInputs = cashier.locator('.pin-gate input[type=password]');
  const submitPin = cashier.locator('.pin-gate button[type=submit]');
  const unlock = async (pin: string) => {
    await pinInputs.first().fill(pin);
    await submitPin.click();
  };

  await managerButton.click();
  // A till without a PIN asks for one to be set at the first unlock.
  await unlock(PIN);
  await pinInputs.nth(1).waitFor();
  await shotManager(c, '01-pin-first-setup');
  await pinInputs.nth(0).fill(PIN);
  await pinInputs.nth(1).fill(PIN);
  await submitPin.click();
  await cashier.locator('.day-view').waitFor();
  await cashier.locator('.manager .tabs > button').first().click(); // Lock
  await cashier.locator('.pin-gate').waitFor();
  await shotManager(c, '02-pin-entry');
  await unlock('135790');
  await cashier.locator('#pin-problem').filter({ hasText: /\S/ }).waitFor();
  await shotManager(c, '03-wrong-pin');
  await unlock(PIN);
  const dayOrders = cashier.locator('.manager tr[data-order]');
  await dayOrders.first().waitFor();
  const latePayments = cashier.locator('.day-view section.late');
  await latePayments.waitFor();
  await shotManager(c, '04-day-view');

  // The late payment is kept: a period does not close while one waits for a decision.
  await latePayments.locator('button').first().click();
  await latePayments.waitFor({ state: 'detached' });
  await dayOrders.filter({ hasText: '128.50' }).first().click();
  const panel = cashier.getByTestId('order-panel');
  const refund = async (amount: string) => {
    await panel.locator('.refund-form input').fill(amount);
    await panel.locator('.refund-form button[type=submit]').click();
  };
  await panel.locator('.slip-preview').waitFor();
  await panel.scrollIntoViewIfNeeded();
  await shotManager(c, '05-order-panel');
  await refund('5');
  await panel.getByTestId('order-confirm').waitFor();
  await shotManager(c, '06-refund-confirm');
  await panel.getByTestId('order-confirm').locator('button.primary').click();
  await panel.locator('[data-testid="order-said"][data-tone="good"]').waitFor();
  await panel.locator('.refund-form').waitFor();
  await shotManager(c, '07-refund-done');
  await refund('500');
  await panel.locator('[data-testid="order-said"][data-tone="bad"]').waitFor();
  await shotManager(c, '08-over-refund');

  await cashier.evaluate('window.scrollTo(0, 0)');
  const download = cashier.waitForEvent('download');
  await cashier.locator('.day-view .toolbar button').nth(2).click(); // Export CSV (after the day's Calendar and Resolve now)
  await (await download).delete();
  await cashier.locator('.day-view > .notice').filter({ hasText: /\.csv/ }).waitFor();
  await shotManager(c, '09-csv-export');

  await cashier.evaluate('window.scrollTo(0, 0)');
  await cashier.locator('#manager-tab-reports').click();
  const openPeriod = cashier.getByTestId('open-period');
  await openPeriod.locator('.print-report button').click();
  await openPeriod.locator('.print-report [role=status]').filter({ hasText: /\S/ }).waitFor();
  await openPeriod.scrollIntoViewIfNeeded();
  await shotManager(c, '10-x-report');
  const zNumber = /Z (\d+)/.exec(await cashier.locator('#open-period-heading').innerText())?.[1] ?? '';
  await cashier.getByTestId('close-period').locator('button.close-period').click();
  const closeDialog = cashier.getByTestId('close-dialog');
  await closeDialog.locator('input').pressSequentially(zNumber, { delay: 70 });
  await shotManager(c, '11-z-confirm');
  await closeDialog.locator('button.primary').click();
  await cashier.locator('[data-testid="close-result"], [data-testid="close-refused"]').first().waitFor();
  const refused = closeDialog.getByTestId('close-refused');
  if ((await refused.count()) > 0) throw new Error(`the Z close was refused: ${await refused.innerText()}`);
  await shotManager(c, '12-z-closed');

  await cashier.evaluate('window.scrollTo(0, 0)');
  await cashier.locator('[role=tab]').last().click(); // Settings
  const form = cashier.locator('.settings-form');
  await form.waitFor();
  await shotManager(c, '13-settings');
  const lifetime = form.locator('input[type=number]').first();
  await lifetime.fill('999');
  await form.locator('button[type=submit]').click();
  await form.locator('.problem[data-field]').waitFor();
  await shotManager(c, '14-settings-refused');

  // The Store tab comes only with a head office: one is named that is not running, and the till
  // restarted to use it, as the settings ask. The paired tab comes back by itself; reloaded, it
  // learns of the head office.
  await lifetime.fill('5');
  await form.locator('.head-office-settings input').first().fill(`postgres://till@127.0.0.1:${await closedPort()}/store`);
  await form.locator('button[type=submit]').click();
  await cashier.locator('[data-testid="settings-said"].notice').filter({ hasText: /\S/ }).waitFor();
  await stopDemoWebMode();
  await startDemoWebMode(c.db);
  await cashier.reload();
  // Reloaded on the manager's screen, the page comes back to it, locked (issue 24): the PIN at once.
  await pinInputs.first().waitFor();
  await unlock(PIN);
  await cashier.locator('.settings-form').waitFor();
  await cashier.locator('#manager-tab-store').click();
  await cashier.getByTestId('store-said').filter({ hasText: /\S/ }).waitFor();
  await shotManager(c, '15-store-no-head-office');
}

async function walk(language: Language, chromium: Browser): Promise<void> {
  const db = join(folder, language, 'till.sqlite');
  mkdirSync(join(folder, language), { recursive: true });
  const links = await startDemoWebMode(db);
  // Each screen a context of its own, as separate windows are: headless Chromium draws only a
  // context's front page at full rate.
  const cashier = await chromium.newPage({ viewport: CASHIER });
  const display = await chromium.newPage({ viewport: DISPLAY });
  try {
    await cashier.goto(links.cashier);
    await display.goto(links.display);
    await cashier.locator('.status-sentence').waitFor();
    const counter: Counter = { language, db, browser: chromium, cashier, display, codePage: links.codePage };
    // A new till speaks English: the Chinese walk starts with the cashier's language button.
    if (language !== 'en') await switchLanguage(counter, language);
    await cashierStates(counter);
    await customerCodeStates(counter);
    await managerStates(counter);
  } finally {
    await cashier.context().close();
    await display.context().close();
    await stopDemoWebMode();
  }
}

let cleaned = false;
/** Once, from the end of the run, a failure, or a signal. */
async function cleanUp(): Promise<void> {
  if (cleaned) return;
  cleaned = true;
  cliChild?.kill('SIGKILL');
  await browser?.close().catch(() => undefined);
  await stopDemoWebMode();
  rmSync(folder, { recursive: true, force: true });
}
// Whoever ends the process (this script, or Playwright's own Ctrl+C handler, which exits as soon
// as the browser is closed), nothing it started outlives it, and the folder goes.
process.on('exit', () => {
  web?.kill('SIGKILL');
  cliChild?.kill('SIGKILL');
  rmSync(folder, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`stateShots: ${signal}: stopping what it started`);
    void cleanUp().then(() => process.exit(130));
  });
}

let failed = false;
try {
  mkdirSync(outDir, { recursive: true });
  // An earlier run's pictures under names this run no longer writes would pass for current ones.
  for (const name of readdirSync(outDir)) if (/^(en|zh-HK)-(cashier|display|manager)-.*\.png$/.test(name)) rmSync(join(outDir, name));
  browser = await launchChromium();
  for (const language of LANGUAGES) await walk(language, browser);
} catch (error) {
  failed = true;
  console.error(`stateShots: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  await cleanUp();
}
console.log(`${written.length} pictures written to ${relative(process.cwd(), outDir) || '.'}`);
process.exit(failed ? 1 : 0);
