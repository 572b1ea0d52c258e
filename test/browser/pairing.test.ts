import { networkInterfaces } from 'node:os';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, expectAccessible, screenshot, setFirstManagerPin } from '../support/browser';
import { browserOnSimulator } from '../support/browserApp';

/**
 * Web mode's screens in Chromium, as a shop uses them (issue 20: links that stayed valid in the
 * browser's history, a tablet refused with 421, one manager unlock for every tab): each screen
 * opened from its own one-time link; a used or outdated link says so in both languages; a tablet
 * on the shop's network over HTTPS at one of this machine's real addresses; a tab that survives
 * the till's restart and a reload after it; and the manager's access kept to the tab it was
 * opened in.
 */
const networkAddress = Object.values(networkInterfaces())
  .flatMap((entries) => entries ?? [])
  .find((entry) => entry.family === 'IPv4' && !entry.internal)?.address;

describe.skipIf(!browserAvailable)('screens paired from one-time links', { timeout: 60_000 }, () => {
  const { app, restartApp, browser } = browserOnSimulator({ app: { bridge: { host: networkAddress ? '0.0.0.0' : '127.0.0.1' } } });
  let context: BrowserContext;
  beforeAll(async () => {
    // The till's certificate is its own, as on a real tablet: the test goes past the warning as
    // the person would, after checking the fingerprint (checked against the served one in
    // test/app/webNetwork.test.ts).
    context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1100, height: 800 } });
  }, 30_000);

  const notice = (page: Page) => page.locator('#screen-notice[role="alert"]');

  it('refuses a link already used, in English and Chinese, and opens nothing', async () => {
    const link = app.bridge.pairingLink('cashier');
    const first = await context.newPage();
    const second = await context.newPage();
    try {
      await first.goto(link);
      await first.getByText('Ready for the next sale.').waitFor();
      // The code is gone from the address bar, and this tab keeps its own credential instead.
      expect(first.url()).toBe(`${app.bridge.url}/cashier`);
      expect(await first.evaluate(() => (globalThis as any).sessionStorage.getItem('qfpos-screen-cashier') as string | null)).toMatch(/^[A-Za-z0-9_-]{43}$/);

      // The same link again (from the browser's history, or sent to another device).
      await second.goto(link);
      await notice(second).getByText('This link no longer works: it was used already, has expired, or was replaced by newer links.', { exact: false }).waitFor();
      await notice(second).locator('[lang="zh-HK"]').getByText('此連結已失效：已被使用、已過期或已被新連結取代。', { exact: false }).waitFor();
      expect(await second.locator('#root').isHidden()).toBe(true);
      expect(await second.getByText('Ready for the next sale.').count()).toBe(0);
      await screenshot(second, 'pairing-link-used');

      // The used link opened again in the tab it paired: that tab goes on, it is not told the link failed.
      await first.goto('about:blank');
      await first.goto(link);
      await first.getByText('Ready for the next sale.').waitFor();
      expect(await notice(first).count()).toBe(0);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('keeps a tab working through a restart of the till, and after a reload; a link printed before the restart opens nothing', async () => {
    const page = await context.newPage();
    const display = await context.newPage();
    try {
      await page.goto(app.bridge.pairingLink('cashier'));
      await page.getByText('Ready for the next sale.').waitFor();
      const unused = app.bridge.pairingLink('display');

      await app.shutDown();
      await page.getByRole('alert').getByText('Reconnecting to the till', { exact: false }).waitFor();
      await restartApp();
      // Nobody touches the tab: it reconnects with the credential it had.
      await page.getByRole('alert').getByText('Reconnecting to the till', { exact: false }).waitFor({ state: 'detached', timeout: 10_000 });
      await page.reload();
      await page.getByText('Ready for the next sale.').waitFor();
      expect(await notice(page).count()).toBe(0);

      // The link printed by the till before its restart: its code was not kept.
      await display.goto(unused);
      await notice(display).getByText('This link no longer works', { exact: false }).waitFor();
      await notice(display).getByText('此連結已失效', { exact: false }).waitFor();
    } finally {
      await page.close();
      await display.close();
    }
  });

  it('says a tab opened without a link is not paired, in both languages, accessibly', async () => {
    // axe is added as an inline script, which the app's CSP refuses unless bypassed.
    const checked = await browser.newContext({ bypassCSP: true, viewport: { width: 1100, height: 800 } });
    const page = await checked.newPage();
    try {
      await page.goto(`${app.bridge.url}/display`);
      await notice(page).getByText('This screen is not paired with the till.', { exact: false }).waitFor();
      await notice(page).getByText('此畫面尚未與收銀機配對。', { exact: false }).waitFor();
      await expectAccessible(page, 'the not-paired notice');
      await screenshot(page, 'pairing-not-paired');
    } finally {
      await checked.close();
    }
  });

  it.skipIf(!networkAddress)("serves a tablet on the shop's network over HTTPS, at this machine's address", async () => {
    const [tablet] = app.bridge.networkUrls.filter((url) => url.includes(networkAddress as string));
    expect(tablet).toBe(`https://${networkAddress}:${app.bridge.port}`);
    const page = await context.newPage();
    try {
      await page.goto(app.bridge.pairingLink('display', tablet));
      await page.getByText('茶餐廳 Tea House').waitFor();
      expect(page.url()).toBe(`${tablet}/display`);
      expect(await page.evaluate(() => (globalThis as any).isSecureContext as boolean)).toBe(true);
      // A sale at the till reaches it.
      const charged = (await app.dispatch('cashier', 'charge', { amount: 1_230, wallet: 'fps' })) as { ok: boolean; value: { order: { outTradeNo: string } } };
      expect(charged.ok).toBe(true);
      await page.getByTestId('qr').waitFor();
      await screenshot(page, 'pairing-tablet-display');
      await app.dispatch('cashier', 'cancel', { outTradeNo: charged.value.order.outTradeNo });
      await app.dispatch('cashier', 'newSale', {});
    } finally {
      await page.close();
    }
  });

  it("keeps the manager's access to the tab where the PIN was typed: another cashier tab is refused", async () => {
    const manager = await context.newPage();
    const other = await context.newPage();
    try {
      await manager.goto(app.bridge.pairingLink('cashier'));
      await other.goto(app.bridge.pairingLink('cashier'));
      await other.getByText('Ready for the next sale.').waitFor();
      // Two tabs of one browser: the one acted on is brought to the front (see launchChromium).
      await manager.bringToFront();
      await manager.getByRole('button', { name: 'Manager' }).click();
      await setFirstManagerPin(manager, '482193');
      await manager.getByTestId('day-money').waitFor();

      // The other tab asks as a script in it could, with its own credential: refused.
      const asked = await other.evaluate(async () => {
        const response = await fetch('/api/commands/managerDay', {
          method: 'POST',
          headers: { Authorization: `Bearer ${(globalThis as any).sessionStorage.getItem('qfpos-screen-cashier')}`, 'X-Qfpos-Screen': 'another-page-of-this-tab', 'Content-Type': 'application/json' },
          body: JSON.stringify({ day: '2026-01-05' }),
        });
        return response.json();
      });
      expect(asked).toMatchObject({ ok: false, error: { code: 'manager_locked' } });
      await other.bringToFront();
      await other.getByRole('button', { name: 'Manager' }).click();
      await other.getByLabel('Manager PIN').waitFor();
      expect(await other.getByTestId('day-money').count()).toBe(0);

      // A reload of the manager's own tab is a new page: the PIN gate again, on the manager's
      // screen it was on, saying why (issue 24).
      await manager.bringToFront();
      await manager.reload();
      await manager.getByTestId('locked-by-till').waitFor();
      await manager.getByLabel('Manager PIN').waitFor();
      expect(await manager.getByTestId('day-money').count()).toBe(0);
    } finally {
      await manager.close();
      await other.close();
    }
  });
});
