import type { Page } from 'playwright-core';
import { beforeAll, describe, it } from 'vitest';
import { browserAvailable, qrDrawn } from '../support/browser';
import { browserOnSimulator } from '../support/browserApp';
import { expectLooksAsBefore } from '../support/visual';

/**
 * Every state of the cashier screen (1366x768, the common counter PC, and 1024x768) and of the
 * customer display (800x480, the small second screen, and 1920x1080), in both languages,
 * compared with the reference pictures in test/browser/visual/ (see test/support/visual.ts).
 */
describe.skipIf(!browserAvailable)('the counter looks as it did', { timeout: 120_000 }, () => {
  const { simulator, app, screen } = browserOnSimulator();
  let cashier: Page;
  let display: Page;

  beforeAll(async () => {
    cashier = await screen('cashier', { viewport: { width: 1366, height: 768 } });
    display = await screen('display', { viewport: { width: 800, height: 480 } });
    await cashier.locator('.status').waitFor();
  }, 60_000);

  /** What changes from run to run: order numbers and times, the countdown, the QR, the slip's contents. */
  const cashierMasks = () => [cashier.locator('.today tbody'), cashier.locator('.status-countdown'), cashier.locator('.slip-preview'), cashier.locator('.slip-status'), cashier.locator('.late-alerts .late-what')];
  const displayMasks = () => [display.locator('img.qr'), display.locator('.countdown'), display.locator('.mono')];
  const waitingFor = (text: string) => cashier.getByRole('status').getByText(text).first().waitFor();

  async function sale(amount: string, fkey: string, waitingWords: string) {
    await cashier.keyboard.press(fkey);
    await cashier.keyboard.type(amount, { delay: 70 }); // a person's pace: faster is a barcode scanner's
    await cashier.keyboard.press('Enter');
    await cashier.getByText(waitingWords).first().waitFor();
    await qrDrawn(display);
    return app.runtime.store.recentOrders(1)[0] as { outTradeNo: string };
  }

  async function paid(order: { outTradeNo: string }, paidWords: string) {
    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    await app.runtime.poller.reconcile();
    await waitingFor(paidWords);
    await cashier.locator('.slip-preview').waitFor();
  }

  for (const language of ['en', 'zh-HK'] as const) {
    const words =
      language === 'en'
        ? { waiting: 'Waiting for the customer to scan and pay.', paid: 'Paid.', ready: 'Ready for the next sale.', late: 'Paid after cancel or expiry. A manager must refund it or keep it.' }
        : { waiting: '等待顧客掃碼付款。', paid: '已付款。', ready: '準備好下一單。', late: '取消或過期後才付款，須由經理決定退款或保留。' };

    it(`${language}: idle, waiting, paid and a late payment, on both screens`, async () => {
      if (language === 'zh-HK') {
        await cashier.getByRole('button', { name: '中文' }).click();
        await cashier.getByRole('button', { name: 'English' }).waitFor();
      }
      await cashier.keyboard.press('Escape');
      await waitingFor(words.ready).catch(() => undefined);
      await display.locator('.display-idle-body').waitFor();
      await expectLooksAsBefore(cashier, `cashier-idle-${language}`, cashierMasks());
      await expectLooksAsBefore(display, `display-idle-${language}`, displayMasks());

      const order = await sale('128.50', 'F2', words.waiting);
      await expectLooksAsBefore(cashier, `cashier-waiting-${language}`, cashierMasks());
      await expectLooksAsBefore(display, `display-payment-${language}`, displayMasks());

      await paid(order, words.paid);
      await display.locator('.result-paid').waitFor();
      await expectLooksAsBefore(cashier, `cashier-paid-${language}`, cashierMasks());
      await expectLooksAsBefore(display, `display-paid-${language}`, displayMasks());

      // Cancelled, then paid by the customer all the same: the alert must be in view.
      const late = await sale('42', 'F5', words.waiting);
      await cashier.keyboard.press('Escape');
      await simulator.control('POST', `orders/${late.outTradeNo}/pay`);
      await app.runtime.poller.reconcile();
      await cashier.locator('.late-alerts').waitFor();
      // The alert and the sale's own status come in separate events: both, and the slip, before the picture.
      await waitingFor(words.late);
      await cashier.locator('.slip-preview').waitFor();
      await expectLooksAsBefore(cashier, `cashier-late-${language}`, cashierMasks());
      await cashier.locator('.late-alerts button').first().click();
      await cashier.locator('.late-alerts').waitFor({ state: 'detached' });
    });
  }

  it('at 1024x768 and on a 1920x1080 display', async () => {
    await cashier.setViewportSize({ width: 1024, height: 768 });
    await display.setViewportSize({ width: 1920, height: 1080 });
    await cashier.getByRole('button', { name: 'English' }).click();
    await cashier.getByRole('button', { name: '中文' }).waitFor();
    await cashier.keyboard.press('Escape');
    await display.locator('.display-idle-body').waitFor();
    await expectLooksAsBefore(display, 'display-idle-1080p', displayMasks());
    const late = await sale('7.70', 'F3', 'Waiting for the customer to scan and pay.');
    await expectLooksAsBefore(cashier, 'cashier-waiting-1024', cashierMasks());
    await expectLooksAsBefore(display, 'display-payment-1080p', displayMasks());
    // The late-payment alert on the smaller screen: it must not squeeze the sale's status away.
    await cashier.keyboard.press('Escape');
    await simulator.control('POST', `orders/${late.outTradeNo}/pay`);
    await app.runtime.poller.reconcile();
    await cashier.locator('.late-alerts').waitFor();
    await waitingFor('Paid after cancel or expiry. A manager must refund it or keep it.');
    await cashier.locator('.slip-preview').waitFor();
    await expectLooksAsBefore(cashier, 'cashier-late-1024', cashierMasks());
    await cashier.locator('.late-alerts button').first().click();
    await cashier.locator('.late-alerts').waitFor({ state: 'detached' });
    const next = await sale('23', 'F1', 'Waiting for the customer to scan and pay.');
    await paid(next, 'Paid.');
    await display.locator('.result-paid').waitFor();
    await expectLooksAsBefore(display, 'display-paid-1080p', displayMasks());
  });
});
