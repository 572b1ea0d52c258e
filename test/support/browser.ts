import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { PNG } from 'pngjs';

/**
 * Debian's chromium, driven by playwright-core (never a downloaded browser). Without one, the
 * browser tests are skipped on a developer's machine with a warning, and fail in CI, which
 * installs it (`apt-get install chromium fonts-noto-cjk`).
 */
export function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export const browserAvailable = chromiumPath() !== undefined || process.env.CI !== undefined;
if (!browserAvailable) console.warn('browser tests skipped: install chromium and fonts-noto-cjk (apt-get install chromium fonts-noto-cjk)');

export function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('chromium is not installed: apt-get install chromium fonts-noto-cjk');
  return chromium.launch({
    executablePath,
    // As root in a container Chromium needs --no-sandbox; the background flags keep it off the network.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Screenshots are test artifacts: test-results/screens/NAME.png. */
export const SCREENS_DIR = join(process.cwd(), 'test-results', 'screens');

/** A page (its viewport, or all of it with fullPage), or one part of it (a locator). */
export async function screenshot(target: Page | Locator, name: string, options: { fullPage?: boolean } = {}): Promise<Buffer> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  const path = join(SCREENS_DIR, `${name}.png`);
  return 'goto' in target ? target.screenshot({ path, ...options }) : target.screenshot({ path });
}

/** Reads the QR code in a screenshot, as a phone would. */
export function decodeQr(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}
