import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app';
import { browserAvailable, decodeQr, qrDrawn, screenshot } from '../support/browser';
import { browserOnSimulator } from '../support/browserApp';

/**
 * The counter never gets stuck: the main process holds the sale, and every screen rebuilds itself
 * from it after a reload, in a second window, and across a restart of the app (web mode, the same
 * links); a screen that loses the till hides the QR within two seconds and recovers by itself.
 */
describe.skipIf(!browserAvailable)('the counter through reloads, restarts and a lost till', { timeout: 90_000 }, () => {
  // Each test its own app and screens, closed after it.
  const { simulator, browser, startApp, screen } = browserOnSimulator({ app: false });
  let app: TestApp;
  let cashier: Page;
  let display: Page;

  async function open() {
    app = await startApp();
    cashier = await screen('cashier', { app, viewport: { width: 1200, height: 900 } });
    display = await screen('display', { app, viewport: { width: 800, height: 900 } });
    await cashier.getByText('Ready for the next sale.').waitFor();
  }

  async function chargeWithKeyboard(amount: string, fkey: string) {
    await cashier.keyboard.press(fkey);
    await cashier.keyboard.type(amount, { delay: 70 }); // a person's pace: faster is a barcode scanner's
    await cashier.keyboard.press('Enter');
    await cashier.getByText('Waiting for the customer to scan and pay.').waitFor();
    await display.locator('img.qr').waitFor();
    return app.runtime.store.recentOrders(1)[0] as { outTradeNo: string; qrcode: string | null };
  }

  const qrShown = async (page: Page) => {
    await qrDrawn(page);
    return decodeQr(await page.screenshot());
  };

  it('a reload of either screen during a live QR shows it again, cancellable, and then paid', async () => {
    await open();
    const order = await chargeWithKeyboard('12.30', 'F5');
    await cashier.reload();
    await display.reload();
    await cashier.getByText('Waiting for the customer to scan and pay.').waitFor();
    expect(await cashier.getByRole('button', { name: 'Cancel', exact: true }).isEnabled()).toBe(true);
    // The open sale's own amount and wallet, not an empty entry beside its status.
    expect(await cashier.getByTestId('amount').textContent()).toBe('HK$12.30');
    expect(await cashier.getByRole('radio', { name: 'FPS' }).getAttribute('aria-checked')).toBe('true');
    await display.locator('img.qr').waitFor();
    expect(await qrShown(display)).toBe(order.qrcode);

    // A second cashier window shows the same sale.
    const second = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    try {
      await second.goto(app.bridge.pairingLink('cashier'));
      await second.getByText('Waiting for the customer to scan and pay.').waitFor();
    } finally {
      await second.close();
    }

    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    await app.runtime.poller.reconcile();
    await cashier.getByRole('status').getByText('Paid.').waitFor();
    await display.getByTestId('result').getByText('Payment received. Thank you!').waitFor();
  });

  it('a restart of the app during a live QR: both old tabs recover by themselves, show it, and show it paid', async () => {
    await open();
    const order = await chargeWithKeyboard('8.80', 'F3');
    await app.shutDown();
    // Within two seconds of losing the till, the customer no longer sees a QR nobody watches.
    await display.getByText('Reconnecting to the till… Please wait.').waitFor({ timeout: 2_000 });
    expect(await display.locator('img.qr').count()).toBe(0);
    await cashier.getByRole('alert').getByText('Reconnecting to the till', { exact: false }).waitFor({ timeout: 2_000 });
    await screenshot(display, 'counter-display-reconnecting');
    await screenshot(cashier, 'counter-cashier-reconnecting');

    // The same address and links: nobody touches the tabs.
    app = await startApp({}, { restartOf: app });
    await display.locator('img.qr').waitFor({ timeout: 10_000 });
    expect(await qrShown(display)).toBe(order.qrcode);
    await cashier.getByText('Waiting for the customer to scan and pay.').waitFor();
    expect(await cashier.getByRole('button', { name: 'Cancel', exact: true }).isEnabled()).toBe(true);

    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    await app.runtime.poller.reconcile();
    await cashier.getByRole('status').getByText('Paid.').waitFor();
    await display.getByTestId('result').getByText('Payment received. Thank you!').waitFor();
  });

  it('a payment after a cancel: an alert on the till until acknowledged, "Payment received" for the customer', async () => {
    await open();
    // PayMe has no cancel endpoint: QFPay keeps the code payable after the till withdraws it.
    const order = await chargeWithKeyboard('45.00', 'F3');
    await cashier.keyboard.press('Escape');
    await cashier.getByRole('status').getByText('Cancelled.').waitFor();
    await display.getByTestId('do-not-pay').waitFor();
    await screenshot(display, 'counter-display-do-not-pay');

    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    await app.runtime.poller.reconcile();
    const alert = cashier.getByTestId('late-alerts');
    await alert.getByText('A payment arrived after it was cancelled or expired').waitFor();
    await display.getByTestId('result').getByText('Payment received. Thank you!').waitFor();
    await screenshot(cashier, 'counter-late-alert');
    await screenshot(display, 'counter-display-late-received');

    // It stays through a reload, until someone acknowledges it.
    await cashier.reload();
    await alert.waitFor();
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await alert.waitFor({ state: 'detached' });
    expect(app.runtime.store.orderByNumber(order.outTradeNo)?.state).toBe('paid_late');
  });
  it('a charge refused because a sale started elsewhere holds the counter: the words go once that sale ends', async () => {
    await open();
    // A sale taken on the same till from elsewhere (the command line), not by this screen.
    const elsewhere = await app.runtime.till.chargeNextCustomer({ wallet: 'wechat', amount: 990 });
    await cashier.keyboard.press('F1');
    await cashier.keyboard.type('5');
    await cashier.keyboard.press('Enter');
    const refusal = cashier.getByRole('alert').getByText(`Sale ${elsewhere.outTradeNo} is still open`);
    await refusal.waitFor();
    await cashier.getByRole('status').getByText('Waiting for the customer to scan and pay.').waitFor();

    await app.runtime.till.cancel(elsewhere.id);
    await cashier.getByRole('status').getByText('Cancelled').first().waitFor();
    await refusal.waitFor({ state: 'detached' });
    // And the cashier's charge goes through now.
    await cashier.keyboard.press('F1');
    await cashier.keyboard.type('5');
    await cashier.keyboard.press('Enter');
    await cashier.getByText('Waiting for the customer to scan and pay.').waitFor();
    expect(app.runtime.store.recentOrders(1)[0]).toMatchObject({ wallet: 'alipay', amount: 500 });
  });

  it('after a finished sale, takes the next from the keyboard in either order: wallet then amount, or amount then wallet', async () => {
    await open();
    const payAndWait = async (order: { outTradeNo: string }) => {
      await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
      await app.runtime.poller.reconcile();
      await cashier.getByRole('status').getByText('Paid.').waitFor();
    };
    await payAndWait(await chargeWithKeyboard('3.00', 'F5'));

    // Wallet first, while "Paid." is still shown: F3 (PayMe), then the amount, then Enter.
    await cashier.keyboard.press('F3');
    await cashier.keyboard.type('7');
    await cashier.keyboard.press('Enter');
    await cashier.getByText('Waiting for the customer to scan and pay.').waitFor();
    const walletFirst = app.runtime.store.recentOrders(1)[0];
    expect(walletFirst).toMatchObject({ wallet: 'payme', amount: 700 });
    await payAndWait(walletFirst as { outTradeNo: string });

    // Amount first, then the wallet.
    await cashier.keyboard.type('8.50');
    await cashier.keyboard.press('F5');
    await cashier.keyboard.press('Enter');
    await cashier.getByText('Waiting for the customer to scan and pay.').waitFor();
    expect(app.runtime.store.recentOrders(1)[0]).toMatchObject({ wallet: 'fps', amount: 850 });
    expect(await cashier.getByText('Choose a wallet first').count()).toBe(0);
    await payAndWait(app.runtime.store.recentOrders(1)[0] as { outTradeNo: string });

    // The arrow keys choose the wallet from the amount entry, as the help line says: a new sale
    // starts with none, ArrowRight takes the first (Alipay), ArrowLeft from there wraps to the last.
    await cashier.keyboard.type('2');
    await cashier.keyboard.press('ArrowRight');
    await cashier.keyboard.press('ArrowLeft');
    await cashier.keyboard.press('Enter');
    await cashier.getByText('Waiting for the customer to scan and pay.').waitFor();
    expect(app.runtime.store.recentOrders(1)[0]).toMatchObject({ wallet: 'octopus', amount: 200 });
  });
});
