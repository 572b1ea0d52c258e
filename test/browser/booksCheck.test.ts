import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, expectAccessible, screenshot, setFirstManagerPin } from '../support/browser';
import { chargeAndPay } from '../support/app';
import { browserOnSimulator } from '../support/browserApp';

/**
 * Issue 20, item 2, as the manager sees it in Chromium: the day's books verify in one quiet line;
 * an amount edited in the ledger file by another program turns it into an alert that names the
 * transition, above everything else on the day, in English and Chinese.
 */
describe.skipIf(!browserAvailable)("the manager's day says whether the books verify", { timeout: 60_000 }, () => {
  const { simulator, app, screen } = browserOnSimulator();
  let page: Page;
  let edited = '';

  beforeAll(async () => {
    for (const [amount, wallet] of [
      [2680, 'octopus'],
      [990, 'wechat'],
    ] as const) {
      edited = await chargeAndPay(app, simulator, { amount, wallet });
    }
    // bypassCSP only so that axe's script can be added; the app runs as it ships.
    page = await screen('cashier', { bypassCSP: true, viewport: { width: 1366, height: 768 }, timeout: 5_000 });
    await page.getByRole('button', { name: 'Manager' }).click();
    await setFirstManagerPin(page, '482193');
    await page.getByTestId('day-money').waitFor();
    // The books' check is on the Reports tab, above the day's reports.
    await page.getByRole('tab', { name: 'Reports and close' }).click();
    await page.getByTestId('books-verified').waitFor();
  }, 30_000);

  it('honest books: one quiet line, no alert', async () => {
    await expect(page.getByTestId('books-verified').textContent()).resolves.toBe('6 records behind this day verified against the books’ chain.');
    expect(await page.getByTestId('books-broken').count()).toBe(0);
  });

  it('an amount edited in the ledger file: an alert naming the transition, in both languages', async () => {
    // Another program's connection to the till's file, as someone with the file would open it.
    const raw = new Database(app.runtime.config.dbPath);
    raw.prepare('UPDATE orders SET amount = 99999 WHERE out_trade_no = ?').run(edited);
    raw.close();
    const first = (app.runtime.store.db.prepare('SELECT MIN(t.id) AS id FROM transitions t JOIN orders o ON o.id = t.order_id WHERE o.out_trade_no = ?').get(edited) as { id: number }).id;

    // The manager looks again (another day and back, as a manager would).
    await page.getByLabel('Business day').fill('2026-01-01');
    await page.getByLabel('Business day').fill(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Hong_Kong' }).format(new Date()));
    const alert = page.getByTestId('books-broken');
    await alert.waitFor();
    await expect(alert.getByRole('heading').textContent()).resolves.toBe('The books do not verify');
    await expect(alert.locator('li').first().textContent()).resolves.toBe(`transition ${first} was changed after it was written (it no longer matches its link)`);
    expect(await alert.getAttribute('role')).toBe('alert');
    await expectAccessible(page, 'manager reports, books broken');
    await screenshot(page, 'books-broken-en');

    expect(await app.dispatch('cashier', 'setLanguage', { language: 'zh-HK' })).toMatchObject({ ok: true });
    await alert.getByRole('heading', { name: '賬目核對不符' }).waitFor();
    await expect(alert.locator('li').first().textContent()).resolves.toBe(`第 ${first} 項記錄在寫入後被更改（與其鏈結不符）`);
    await screenshot(page, 'books-broken-zh-HK');
  });
});
