import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER_CONFIRM_WINDOW_MS } from '../../shared/ledger/evidence';
import { browserAvailable, expectAccessible, screenshot } from '../support/browser';
import { browserOnSimulator } from '../support/browserApp';
import { expectLooksAsBefore } from '../support/visual';

/**
 * The customer display during a payment with the customer's own code (CPM): no QR, the amount and
 * the wallet, and, while QFPay says the customer is confirming in their wallet (1143), that one
 * thing to do in both languages, with the till's confirm window counting down; then the same
 * result screens as for a QR. The codes come from the training wallet's code page, as a scanner
 * at the counter would read them. The display is 800x480, the small second screen.
 */
describe.skipIf(!browserAvailable)('the customer display for a customer’s own code', { timeout: 120_000 }, () => {
  const { simulator, app, screen } = browserOnSimulator({ app: { poll: false } });
  let display: Page;

  beforeAll(async () => {
    // axe-core is added as an inline script: the page's own CSP would refuse it.
    display = await screen('display', { viewport: { width: 800, height: 480 }, bypassCSP: true });
    await display.locator('.display-idle-body').waitFor();
  }, 60_000);

  /** A fresh code from the training wallet's page, as the scanner reads it off the customer's phone. */
  async function scannedCode(wallet: 'alipay' | 'wechat'): Promise<string> {
    const html = await (await fetch(`${simulator.url}/__sim__/code/${wallet}`)).text();
    return /data-testid="code-digits">([0-9]+)</.exec(html)?.[1] as string;
  }

  async function chargeCode(amount: number, wallet: 'alipay' | 'wechat') {
    const result = await app.dispatch('cashier', 'chargeCustomerCode', { amount, authCode: await scannedCode(wallet) });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    return (result.value as { order: { outTradeNo: string; state: string } }).order;
  }

  const nextSale = async () => {
    expect(await app.dispatch('cashier', 'newSale', {})).toMatchObject({ ok: true });
  };
  const resultShown = (result: string) => display.locator(`[data-result="${result}"]`).waitFor();
  const masks = () => [display.locator('.countdown'), display.locator('.mono')];

  it('under the password amount: paid at once, and the display says so', async () => {
    const order = await chargeCode(4_250, 'alipay');
    expect(order.state).toBe('paid');
    await resultShown('paid');
    expect(await display.getByTestId('display-amount').textContent()).toBe('HK$42.50');
    await expect(display.getByTestId('result').textContent()).resolves.toContain('Payment received. Thank you!');
    expect(await display.locator('img.qr').count()).toBe(0);
    await nextSale();
  });

  it('while the customer confirms: amount, wallet and “confirm in your wallet” in both languages, no QR; then paid', async () => {
    const order = await chargeCode(88_000, 'wechat');
    expect(order.state).toBe('waiting');
    const confirm = display.getByTestId('confirm-in-wallet');
    await confirm.waitFor();
    expect(await confirm.textContent()).toBe('Please confirm the payment in your wallet app請在電子錢包應用程式內確認付款');
    expect(await display.getByTestId('display-amount').textContent()).toBe('HK$880.00');
    expect(await display.locator('.display-wallet').textContent()).toContain('WeChat Pay · 微信支付');
    expect(await display.locator('img.qr').count()).toBe(0);
    // The till's confirm window, counted down calmly: never the urgent red of a QR's last 30 s.
    const countdown = display.getByTestId('countdown');
    await countdown.waitFor();
    expect(await countdown.textContent()).toMatch(/^(1 min left|[1-5]?\d s left) · 尚餘 (1 分鐘|[1-5]?\d 秒)$/);
    expect(await countdown.getAttribute('class')).toBe('countdown');
    await expectAccessible(display, 'display: the customer confirming in their wallet');
    await expectLooksAsBefore(display, 'display-cpm-waiting', masks());
    await screenshot(display, 'cpm-display-confirming');

    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    await app.runtime.poller.reconcile();
    await resultShown('paid');
    await display.getByTestId('order-number').waitFor();
    await nextSale();
  });

  it('declined in the wallet: not completed; cancelled at the till: cancelled', async () => {
    const declined = await chargeCode(60_000, 'alipay');
    await display.getByTestId('confirm-in-wallet').waitFor();
    await simulator.control('POST', `orders/${declined.outTradeNo}/fail`, { respcd: '1201' });
    await app.runtime.poller.reconcile();
    await resultShown('failed');
    expect(await display.getByTestId('result').textContent()).toContain('Payment not completed.');
    await nextSale();

    const cancelled = await chargeCode(60_000, 'wechat');
    await display.getByTestId('confirm-in-wallet').waitFor();
    expect(await app.dispatch('cashier', 'cancel', { outTradeNo: cancelled.outTradeNo })).toMatchObject({ ok: true });
    await resultShown('cancelled');
    expect(await display.getByTestId('result').textContent()).toContain('Payment cancelled.');
    await nextSale();
  });

  it('not confirmed within the till’s window: “checking” at the deadline, then “not confirmed in time”', async () => {
    const order = await chargeCode(70_000, 'alipay');
    await display.getByTestId('confirm-in-wallet').waitFor();
    app.advance(CUSTOMER_CONFIRM_WINDOW_MS + 1_000);
    // A change of the order (here: asked about again) redraws against the moved clock.
    await app.runtime.poller.reconcile();
    await display.locator('[data-result="checking"], [data-result="expired"]').first().waitFor();
    for (let attempt = 0; attempt < 5 && (await display.locator('[data-result="expired"]').count()) === 0; attempt++) await app.runtime.poller.reconcile();
    await resultShown('expired');
    const words = await display.getByTestId('result').textContent();
    expect(words).toContain('The payment was not confirmed in time.');
    expect(words).toContain('付款未有及時確認。');
    expect(words).not.toContain('QR');
    expect((await simulator.control('GET', `orders/${order.outTradeNo}`)).json.state).toBe('reversed');
    // Withdrawn at QFPay by the reversal: nothing left to tell the customer not to confirm.
    expect(await display.getByTestId('do-not-pay').count()).toBe(0);
    await screenshot(display, 'cpm-display-expired');
    await nextSale();
  });
});
