import type { Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WALLETS } from '../../shared/wallets';
import { startTestApp } from '../support/app';
import { browserAvailable, decodeQr, launchChromium, qrDrawn, screenshot } from '../support/browser';
import { browserOnSimulator } from '../support/browserApp';
import { startTestSimulator } from '../support/simulator';

/**
 * The app as people use it: the cashier screen and the customer display in Chromium, in web mode,
 * through the real bridge, services, ledger and the simulator. The expiry test runs its own
 * simulator at 600x, so QFPay's 5-minute QR expires in half a second. Screenshots of each screen
 * land in test-results/screens.
 */
describe.skipIf(!browserAvailable)('cashier and customer display in a browser', { timeout: 60_000 }, () => {
  const { simulator, app, browser, screen } = browserOnSimulator();
  let cashier: Page;
  let display: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    cashier = await screen('cashier', { viewport: { width: 1200, height: 900 }, errors });
    display = await screen('display', { viewport: { width: 800, height: 900 }, errors });
    await cashier.getByText('Ready for the next sale.').waitFor();
  }, 30_000);

  beforeEach(async () => {
    // Each test starts a new sale with the keyboard alone.
    await cashier.keyboard.press('Escape');
    await cashier.keyboard.press('Escape');
    await simulator.control('DELETE', 'faults');
  });

  const status = () => cashier.getByRole('status');
  const lastOrder = () => app.runtime.store.recentOrders(1)[0];

  it('shows the idle screens, and keeps the pairing code out of the address bar', async () => {
    await display.getByText('茶餐廳 Tea House').waitFor();
    // This app talks to a configured gateway: no training banner.
    expect(await display.getByText('Training: no real money', { exact: false }).count()).toBe(0);
    expect(cashier.url()).toMatch(/\/cashier$/);
    expect(display.url()).toMatch(/\/display$/);
    await screenshot(cashier, 'cashier-idle');
    await screenshot(display, 'display-idle');
  });

  it.each(WALLETS.map((wallet, index) => [wallet.id, index + 1] as const))(
    '%s: a keyboard-only payment, the QR scanned from the display, paid on both screens',
    async (wallet, fkey) => {
      await cashier.keyboard.type('23.40');
      await cashier.keyboard.press(`F${fkey}`);
      await cashier.keyboard.press('Enter');
      await status().getByText('Waiting for the customer to scan and pay.').waitFor();
      const qr = display.getByTestId('qr');
      await qr.waitFor();
      expect(await display.getByTestId('display-amount').textContent()).toBe('HK$23.40');

      // What a phone reads off the display is exactly what QFPay returned.
      const order = lastOrder();
      expect(order).toMatchObject({ wallet, amount: 2340, state: 'waiting' });
      await qrDrawn(display);
      const png = await screenshot(display, `display-qr-${wallet}`);
      expect(decodeQr(png)).toBe(order?.qrcode);
      await screenshot(cashier, `cashier-waiting-${wallet}`);

      await simulator.control('POST', `orders/${order?.outTradeNo}/pay`);
      await status().getByText('Paid.').waitFor({ timeout: 10_000 });
      await display.getByText('Payment received. Thank you!', { exact: false }).waitFor();
      expect(await display.getByTestId('qr').count()).toBe(0);
      // Today's list says which Z report the sale counts in: the open one, Z 1.
      await cashier.locator(`tr[data-order="${order?.outTradeNo}"]`).getByText('Z 1 (open)').waitFor();
      expect(await cashier.getByTestId('sales-go-into').textContent()).toBe('Sales go into Z 1');
      await screenshot(display, `display-paid-${wallet}`);
      await screenshot(cashier, `cashier-paid-${wallet}`);
    },
  );

  it('refuses a bad amount in words and sends nothing', async () => {
    await simulator.control('DELETE', 'requests');
    await cashier.keyboard.type('0');
    await cashier.keyboard.press('F1');
    await cashier.keyboard.press('Enter');
    await cashier.getByText('The amount must be more than zero.').waitFor();
    await cashier.keyboard.type('.125');
    await cashier.getByText('At most two decimal places (cents).').waitFor();
    await screenshot(cashier, 'cashier-bad-amount');
    expect(simulator.requests()).toHaveLength(0);
  });

  it('cancels: the QR leaves the display at once and QFPay closes the order', async () => {
    await cashier.keyboard.type('15');
    await cashier.keyboard.press('F2');
    await cashier.keyboard.press('Enter');
    await display.getByTestId('qr').waitFor();
    await cashier.getByRole('button', { name: 'Cancel' }).click();
    await status().getByText('Cancelled.').waitFor();
    await display.getByText('Payment cancelled.', { exact: false }).waitFor();
    expect(await display.getByTestId('qr').count()).toBe(0);
    expect((await simulator.control('GET', `orders/${lastOrder()?.outTradeNo}`)).json.state).toBe('closed');
    await screenshot(display, 'display-cancelled');
  });

  it('expires: the countdown runs from the main process, and the QR goes when time is up', async () => {
    const fast = await startTestSimulator({ timeScale: 600 });
    // No background poller here: at 600x QFPay expires the QR in half a second, and the test
    // decides when the till asks, after it has checked the countdown.
    const expiring = await startTestApp(fast, {}, { poll: false });
    const pages = [await browser.newPage({ viewport: { width: 1200, height: 900 } }), await browser.newPage({ viewport: { width: 800, height: 900 } })];
    const [till, screen] = pages as [Page, Page];
    try {
      await till.goto(expiring.bridge.pairingLink('cashier'));
      await screen.goto(expiring.bridge.pairingLink('display'));
      await till.getByText('Ready for the next sale.').waitFor();
      await till.keyboard.type('8.80');
      await till.keyboard.press('F1');
      await till.keyboard.press('Enter');
      await screen.getByTestId('qr').waitFor();
      // A reload shows the same time left: the deadline comes from the main process's clock.
      await screen.reload();
      expect(await screen.getByTestId('countdown').textContent()).toMatch(/^(4|5) min left · 尚餘 (4|5) 分鐘$/);
      // Five minutes pass at the till; QFPay (at 600x) has expired the QR too.
      expiring.advance(5 * 60_000 + 1_000);
      await new Promise((resolve) => setTimeout(resolve, 600));
      await expiring.runtime.poller.reconcile();
      await till.getByRole('status').getByText('The QR code expired unpaid.').waitFor();
      await screen.getByText('This QR code has expired.', { exact: false }).waitFor();
      expect(await screen.getByTestId('qr').count()).toBe(0);
      expect((await fast.control('GET', `orders/${expiring.runtime.store.recentOrders(1)[0]?.outTradeNo}`)).json.state).toBe('expired');
      await screenshot(screen, 'display-expired');
      await screenshot(till, 'cashier-expired');
    } finally {
      await Promise.all(pages.map((page) => page.close()));
      await expiring.stop();
      await fast.stop();
    }
  });

  it('speaks Traditional Chinese (Hong Kong)', async () => {
    await cashier.getByRole('button', { name: '中文' }).click();
    await cashier.getByText('準備好下一單。').waitFor();
    await cashier.keyboard.type('36');
    await cashier.keyboard.press('F5');
    await cashier.keyboard.press('Enter');
    await status().getByText('等待顧客掃碼付款。').waitFor();
    expect(await cashier.getByRole('radio', { name: /轉數快/ }).getAttribute('aria-checked')).toBe('true');
    await display.getByText('請用轉數快掃描', { exact: false }).waitFor();
    await screenshot(cashier, 'cashier-zh-HK');
    await screenshot(display, 'display-zh-HK');
    await cashier.keyboard.press('Escape');
    await status().getByText('已取消。').waitFor();
    await cashier.getByRole('button', { name: 'English' }).click();
    await cashier.getByText("Today's orders").waitFor();
  });

  it('raised no error in either page', () => {
    expect(errors).toEqual([]);
  });
});

describe.skipIf(!browserAvailable)('demo mode in a browser', { timeout: 60_000 }, () => {
  it('says "training: no real money" on both screens, and a demo payment can be paid from its wallet page', async () => {
    const demo = await startTestApp(undefined);
    const browser = await launchChromium();
    try {
      const cashier = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const display = await browser.newPage({ viewport: { width: 800, height: 900 } });
      await cashier.goto(demo.bridge.pairingLink('cashier'));
      await display.goto(demo.bridge.pairingLink('display'));
      await cashier.getByText('Training: no real money').waitFor();
      await display.getByText('Training: no real money · 培訓模式：不涉及真實款項').waitFor();
      await cashier.keyboard.type('12.30');
      await cashier.keyboard.press('F3');
      await cashier.keyboard.press('Enter');
      await display.getByTestId('qr').waitFor();
      await screenshot(cashier, 'demo-cashier-waiting');
      await screenshot(display, 'demo-display-qr');
      // The customer opens the QR on their phone: the simulator's training wallet.
      const wallet = await browser.newPage({ viewport: { width: 390, height: 700 } });
      await wallet.goto(demo.runtime.store.recentOrders(1)[0]?.qrcode as string);
      await wallet.getByRole('button', { name: 'Pay' }).click();
      await cashier.getByRole('status').getByText('Paid.').waitFor({ timeout: 10_000 });
      await display.getByText('Payment received. Thank you!', { exact: false }).waitFor();
      await screenshot(display, 'demo-display-paid');
    } finally {
      await browser.close();
      await demo.stop();
    }
  });
});
