import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { buffer } from 'node:stream/consumers';
import { chromium, type Browser, type BrowserServer, type Download, type Locator, type Page } from 'playwright-core';
import { PNG } from 'pngjs';

/**
 * Debian's Chromium, driven by playwright-core (never a downloaded browser): its headless shell
 * where installed, else the browser itself (or whichever CHROMIUM_PATH names). The shell is the
 * same Blink without the browser's window machinery, and what Playwright itself runs headless: the
 * accessibility file took 43 s of CPU with it against 79 s with `chromium`, measured side by side.
 * Without either, the browser tests are skipped on a developer's machine with a warning, and fail
 * in CI, which installs them (`apt-get install chromium-headless-shell chromium fonts-noto-cjk`).
 */
export function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium-headless-shell', 'chromium']) {
    try {
      const found = execFileSync('which', [name], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch {
      // not installed: the next
    }
  }
  return undefined;
}

export const browserAvailable = chromiumPath() !== undefined || process.env.CI !== undefined;
if (!browserAvailable) console.warn('browser tests skipped: install chromium and fonts-noto-cjk (apt-get install chromium fonts-noto-cjk)');

/** As root in a container Chromium needs --no-sandbox; the background flags keep it off the network. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Where the run's one Chromium listens (test/globalSetup.ts starts it), for the test files to connect to. */
export const SHARED_CHROMIUM = 'QFPOS_TEST_CHROMIUM';

/**
 * The run's one Chromium, started by the global setup: each test file connects to it rather than
 * starting its own. A start costs about a second of CPU and its own GPU, network and storage
 * processes; the suite started fourteen. Closing a connection closes the contexts it made (its
 * pages) and leaves the browser to the other files.
 */
export function launchChromiumServer(): Promise<BrowserServer> {
  return chromium.launchServer({ executablePath: requiredChromiumPath(), args: CHROMIUM_ARGS });
}

function requiredChromiumPath(): string {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('chromium is not installed: apt-get install chromium fonts-noto-cjk');
  return executablePath;
}

/**
 * A browser for one test file: a connection to the run's Chromium, or one of its own when there is
 * none (a script run outside vitest). Give each screen (the cashier's, the customer display, a
 * phone's wallet page) a context of its own, `browser.newPage(options)`, as they are separate
 * windows or devices in a shop. Headless Chromium draws only the front page of a context at full
 * rate: a page behind another of the same context gets one frame a second, and each click or key
 * press waits for a frame, 1.0-1.7 s each against 20-60 ms in front. A test that needs two tabs of
 * one browser calls `bringToFront()` on the one it acts on.
 */
export function launchChromium(): Promise<Browser> {
  const shared = process.env[SHARED_CHROMIUM];
  if (shared) return chromium.connect(shared);
  return chromium.launch({ executablePath: requiredChromiumPath(), args: CHROMIUM_ARGS });
}

/** Screenshots are test artifacts: test-results/screens/NAME.png. */
export const SCREENS_DIR = join(process.cwd(), 'test-results', 'screens');

/** A page (its viewport, or all of it with fullPage), or one part of it (a locator). */
export async function screenshot(target: Page | Locator, name: string, options: { fullPage?: boolean } = {}): Promise<Buffer> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  const path = join(SCREENS_DIR, `${name}.png`);
  return 'goto' in target ? target.screenshot({ path, ...options }) : target.screenshot({ path });
}

/** A downloaded file's bytes, as saved. (Its path is not on this side of a connected browser.) */
export async function downloaded(download: Download): Promise<Buffer> {
  return buffer(await download.createReadStream());
}

/**
 * Waits until the display's QR picture is decoded, so a screenshot has it: the <img> is in the page
 * before its picture is, and a screenshot taken between shows an empty square (seen on a busy run).
 */
export async function qrDrawn(page: Page): Promise<void> {
  await page.getByTestId('qr').evaluate((image) => (image as unknown as { decode(): Promise<void> }).decode());
}

/** Reads the QR code in a screenshot, as a phone would. */
export function decodeQr(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}

/** One axe-core finding, as the test prints it. */
export interface AxeFinding {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: readonly string[];
}

let axeSource: string | undefined;

/**
 * Runs axe-core (node_modules/axe-core) in the page and returns every violation. The script is
 * added as an inline tag, so the page's context must be made with `bypassCSP: true`: the app's
 * pages allow only their own scripts.
 */
export async function axeViolations(page: Page): Promise<AxeFinding[]> {
  axeSource ??= readFileSync(join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run((globalThis as any).document, { resultTypes: ['violations'] });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.map(String).join(' ')),
    }));
  });
}

/** Fails on any critical or serious axe violation, naming each rule, where it is and what it asks. */
export async function expectAccessible(page: Page, state: string): Promise<AxeFinding[]> {
  const found = await axeViolations(page);
  const blocking = found.filter((finding) => finding.impact === 'critical' || finding.impact === 'serious');
  if (blocking.length > 0) {
    const lines = blocking.map((finding) => `  ${finding.impact} ${finding.id}: ${finding.help}\n    ${finding.targets.join('\n    ')}`);
    throw new Error(`axe: ${blocking.length} critical or serious violation(s) on ${state}:\n${lines.join('\n')}`);
  }
  return found;
}

/**
 * The manager's first unlock on a till with no PIN yet, as a manager does it: the PIN set and
 * repeated. Called with the PIN gate on screen.
 */
export async function setFirstManagerPin(page: Page, pin: string): Promise<void> {
  // A till with no PIN asks at once for a new one (issue 24): no Unlock first.
  await page.getByLabel('New PIN').fill(pin);
  await page.getByLabel('Repeat the PIN').fill(pin);
  await page.getByRole('button', { name: 'Set the PIN and unlock' }).click();
}

/**
 * A training sale of `amount` (UnionPay, F4) on a demo till's cashier page, paid on the demo
 * gateway's own wallet page as a customer's phone opens it; returns once the cashier sees it paid.
 * Amount keys are typed at a person's pace: faster is a barcode scanner's.
 */
export async function payTrainingSale(page: Page, browser: Browser, qrOfNewestOrder: () => string, amount: string): Promise<void> {
  await page.keyboard.type(amount, { delay: 70 });
  await page.keyboard.press('F4');
  await page.keyboard.press('Enter');
  await page.locator('.status-sentence').getByText('Waiting for the customer to scan and pay.').waitFor();
  const wallet = await browser.newPage();
  try {
    await wallet.goto(qrOfNewestOrder());
    await wallet.getByRole('button', { name: 'Pay' }).click();
  } finally {
    await wallet.close();
  }
  await page.locator('.status-sentence').getByText('Paid.').waitFor({ timeout: 10_000 });
}
