import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pixelmatch from 'pixelmatch';
import type { Locator, Page } from 'playwright-core';
import { PNG } from 'pngjs';

/**
 * Screens compared with reference pictures committed in test/browser/visual/: a layout that moves
 * fails a test. What changes from run to run (QR codes, order numbers, times, countdowns) is
 * masked. When a screen changes on purpose, run the visual tests with QFPOS_UPDATE_VISUAL=1, look
 * at every new picture, and commit the ones that are right. Each run leaves what it saw, and a
 * picture of the differences, in test-results/visual/.
 */
export const REFERENCE_DIR = join(process.cwd(), 'test', 'browser', 'visual');
const RESULTS_DIR = join(process.cwd(), 'test-results', 'visual');
/** Anti-aliasing aside, at most this share of the pixels may differ. */
const MAX_DIFF_RATIO = 0.002;

export async function expectLooksAsBefore(page: Page, name: string, masks: Locator[] = []): Promise<void> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const shot = await page.screenshot({ mask: masks, maskColor: '#ff00ff', animations: 'disabled', caret: 'hide' });
  writeFileSync(join(RESULTS_DIR, `${name}.png`), shot);
  const reference = join(REFERENCE_DIR, `${name}.png`);
  if (process.env.QFPOS_UPDATE_VISUAL === '1') {
    mkdirSync(REFERENCE_DIR, { recursive: true });
    writeFileSync(reference, shot);
    return;
  }
  if (!existsSync(reference)) throw new Error(`no reference picture ${reference}: run the visual tests with QFPOS_UPDATE_VISUAL=1, look at it, and commit it`);
  const expected = PNG.sync.read(readFileSync(reference));
  const actual = PNG.sync.read(shot);
  if (expected.width !== actual.width || expected.height !== actual.height) {
    throw new Error(`${name}: ${actual.width}x${actual.height}, the reference is ${expected.width}x${expected.height}`);
  }
  const diff = new PNG({ width: actual.width, height: actual.height });
  const differing = pixelmatch(expected.data, actual.data, diff.data, actual.width, actual.height, { threshold: 0.1 });
  const ratio = differing / (actual.width * actual.height);
  if (ratio > MAX_DIFF_RATIO) {
    writeFileSync(join(RESULTS_DIR, `${name}.diff.png`), PNG.sync.write(diff));
    throw new Error(`${name} differs from its reference in ${(ratio * 100).toFixed(2)}% of its pixels (at most ${MAX_DIFF_RATIO * 100}%): see test-results/visual/${name}.diff.png`);
  }
}
