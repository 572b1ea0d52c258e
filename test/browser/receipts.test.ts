import iconv from 'iconv-lite';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrinterTarget } from '../../electron/services/printing/tcpPrinter';
import { startVirtualPrinter, type VirtualPrinter } from '../../electron/services/printing/virtualPrinter';
import { chargeAndPay, startTestApp, type TestApp } from '../support/app';
import { browserAvailable, launchChromium, screenshot, setFirstManagerPin } from '../support/browser';
import { browserOnSimulator } from '../support/browserApp';

/** Slips as the cashier, the customer and the manager meet them, with a real TCP printer that goes off. */
describe.skipIf(!browserAvailable)('receipts in a browser', { timeout: 90_000 }, () => {
  let printer: VirtualPrinter;
  let cashier: Page;
  let display: Page;

  // The printer before the app that prints on it, and closed after it.
  beforeAll(async () => {
    printer = await startVirtualPrinter();
  });
  afterAll(async () => {
    await printer?.close();
  });
  const { simulator, app, screen } = browserOnSimulator({ app: () => ({ printer: parsePrinterTarget(printer.url) }) });

  beforeAll(async () => {
    cashier = await screen('cashier', { viewport: { width: 1280, height: 1000 }, timeout: 10_000 });
    display = await screen('display', { viewport: { width: 1280, height: 1000 }, timeout: 10_000 });
  }, 30_000);

  const paidSale = (amount: number, wallet: 'alipay' | 'fps') => chargeAndPay(app, simulator, { amount, wallet, ...(wallet === 'alipay' ? { alipayRegion: 'ALIPAYHK' } : {}) });

  it('prints the slip when the payment is confirmed and shows its preview; the customer sees the order number', async () => {
    const number = await paidSale(4_280, 'alipay');
    const slip = cashier.getByTestId('slip');
    // Failed once in ten full runs (not reproduced since): a failure says what the till holds of the slip.
    await slip
      .getByText(/^Printed at \d\d:\d\d\.$/)
      .waitFor()
      .catch(async (error: Error) => {
        const held = (await app.dispatch('cashier', 'slipPreview', { kind: 'payment', ref: number })) as { value?: { slip: unknown } };
        throw new Error(`${error.message}\nthe screen shows: ${await slip.textContent()}\nthe till's record of the slip: ${JSON.stringify(held.value?.slip)}`);
      });
    expect(await slip.getByRole('img', { name: `Slip of ${number}` }).isVisible()).toBe(true);
    expect(printer.printed().some((printed) => printed.bytes.includes(iconv.encode(number, 'big5')))).toBe(true);
    await display.getByTestId('order-number').getByText(number).waitFor();
    await screenshot(cashier, 'receipt-cashier-paid-en');
    await screenshot(display, 'receipt-display-order-number');
    await cashier.getByRole('button', { name: 'New sale' }).click();
  });

  it('says "not printed" while the printer is off, keeps the sale paid, and reprints once it is back', async () => {
    await printer.off();
    const number = await paidSale(1_550, 'fps');
    const slip = cashier.getByTestId('slip');
    await slip.getByText('Not printed: the printer is off or cannot be reached. It is tried again; the sale is safe.').waitFor();
    await cashier.locator('.status-sentence[data-state="paid"]').waitFor();
    const row = cashier.locator(`tr[data-order="${number}"]`);
    await row.getByText('slip not printed').waitFor();
    await screenshot(cashier, 'receipt-cashier-not-printed-en');
    await printer.on();
    const before = printer.printed().length;
    await slip.getByRole('button', { name: 'Reprint slip' }).click();
    await slip.getByText(/^Printed at \d\d:\d\d\.$/).waitFor();
    expect(printer.printed().length).toBe(before + 1);
    await expect.poll(() => row.getByText('slip not printed').count()).toBe(0);
    await cashier.getByRole('button', { name: 'New sale' }).click();
    // From today's list too: the slip of an earlier order, previewed and reprinted.
    await cashier.locator(`tr[data-order="${number}"]`).getByRole('button', { name: 'Slip' }).click();
    await cashier.getByRole('img', { name: `Slip of ${number}` }).waitFor();
  });

  it('reads in Chinese', async () => {
    await cashier.getByRole('button', { name: '中文' }).click();
    await cashier.getByText(/^已於 \d\d:\d\d 列印。$/).waitFor();
    await cashier.getByRole('img').last().scrollIntoViewIfNeeded();
    await screenshot(cashier, 'receipt-cashier-preview-zh-HK');
    await cashier.getByRole('button', { name: 'English' }).click();
  });

  it("reprints from the manager's order panel, and prints the X report", async () => {
    const number = await paidSale(9_900, 'fps');
    await cashier.getByRole('button', { name: 'Manager' }).click();
    await setFirstManagerPin(cashier, '482193');
    await cashier.getByTestId('orders-table').locator(`tr[data-order="${number}"]`).click();
    const panel = cashier.getByTestId('order-panel');
    const before = printer.printed().length;
    await panel.getByRole('button', { name: 'Reprint slip' }).click();
    await panel.getByText(/^Printed at \d\d:\d\d\.$/).waitFor();
    expect(printer.printed().length).toBe(before + 1);
    await panel.getByRole('img', { name: `Slip of ${number}` }).scrollIntoViewIfNeeded();
    await screenshot(cashier, 'receipt-manager-reprint-en');
    // The X report is on the Reports tab.
    await cashier.getByRole('tab', { name: 'Reports and close' }).click();
    await cashier.getByRole('button', { name: 'Print the X report' }).click();
    await cashier.getByText('Sent to the receipt printer.').waitFor();
    await expect.poll(() => printer.printed().length).toBe(before + 2);
    await cashier.getByRole('tab', { name: 'Day' }).click();

    // A refund's slip, from the same panel.
    // The test's own calls are another screen: the PIN unlocks it too, as it would any screen.
    expect(await app.dispatch('cashier', 'managerUnlock', { pin: '482193' })).toMatchObject({ ok: true });
    const refunded = (await app.dispatch('cashier', 'managerRefund', { outTradeNo: number, amount: 2_000 })) as { ok: boolean; value: { refund: { outTradeNo: string } } };
    expect(refunded.ok).toBe(true);
    await cashier.getByTestId('orders-table').locator(`tr[data-order="${number}"]`).click();
    await panel.getByRole('button', { name: 'Refund slip' }).click();
    const refundSlip = panel.locator(`[data-testid="slip"][data-kind="refund"]`);
    await refundSlip.getByRole('img', { name: `Slip of ${refunded.value.refund.outTradeNo}` }).waitFor();
    await refundSlip.getByRole('button', { name: 'Print slip' }).click();
    await refundSlip.getByText(/^Printed at/).waitFor();
    await expect.poll(() => printer.printed().some((slip) => slip.bytes.includes(iconv.encode(refunded.value.refund.outTradeNo, 'big5')))).toBe(true);
  });
});

/** Demo mode with no printer named: its own virtual printer, and the page that shows what it received. */
describe.skipIf(!browserAvailable)("demo mode's printer in a browser", { timeout: 90_000 }, () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    app = await startTestApp(undefined);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(app.bridge.pairingLink('cashier'));
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('prints a paid sale to the virtual printer, whose slips the manager reads back in Settings', async () => {
    expect(app.runtime.virtualPrinter).toBeDefined();
    const charged = (await app.dispatch('cashier', 'charge', { amount: 3_300, wallet: 'payme' })) as { value: { order: { outTradeNo: string } } };
    const number = charged.value.order.outTradeNo;
    await fetch(`${app.runtime.simulator?.url}/__sim__/orders/${number}/pay`, { method: 'POST' });
    await app.runtime.poller.reconcile();
    await page.getByTestId('slip').getByText(/^Printed at/).waitFor();
    await page.getByRole('button', { name: 'Manager' }).click();
    await setFirstManagerPin(page, '482193');
    await page.getByRole('tab', { name: 'Settings' }).click();
    const printed = page.getByTestId('demo-printer');
    await printed.getByText(number).waitFor();
    expect(await printed.locator('pre').first().textContent()).toMatch(/TRAINING - NOT A PAYMENT[\s\S]*HK\$33\.00[\s\S]*PAID 已付款/);
    await printed.scrollIntoViewIfNeeded();
    await screenshot(page, 'receipt-demo-printer');
  });
});
