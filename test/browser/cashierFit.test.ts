import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, screenshot } from '../support/browser';
import { browserOnSimulator } from '../support/browserApp';

/**
 * The cashier screen on a small counter PC (1024x768), in both languages: whatever else is open
 * (Alipay's question of which Alipay, the F7 field for the customer's code, a late-payment alert
 * above it all), the sale's status and its slip's head (whether it printed, Reprint) are drawn
 * whole, inside the sale's column and the window, with nothing to scroll to find them.
 */
describe.skipIf(!browserAvailable)('the cashier screen fits 1024x768', { timeout: 120_000 }, () => {
  const { simulator, app, screen } = browserOnSimulator();
  let cashier: Page;
  const VIEWPORT = { width: 1024, height: 768 };

  beforeAll(async () => {
    cashier = await screen('cashier', { viewport: VIEWPORT });
    await cashier.locator('.status').waitFor();
  }, 60_000);

  const side = () => cashier.locator('.cashier .side');
  const status = () => cashier.locator('.cashier .side .status');
  const slipHead = () => cashier.locator('.cashier .side .slip-head');
  const codeField = () => cashier.locator('.code-entry input');
  const region = () => cashier.locator('.alipay-region');

  /** Drawn whole inside the sale's column and the window. */
  async function expectInView(part: Locator, what: string) {
    const box = await part.boundingBox();
    const column = await side().boundingBox();
    expect(box, what).not.toBeNull();
    expect(column).not.toBeNull();
    if (!box || !column) return;
    const inside = (outer: { x: number; y: number; width: number; height: number }) =>
      box.x >= outer.x - 0.5 && box.y >= outer.y - 0.5 && box.x + box.width <= outer.x + outer.width + 0.5 && box.y + box.height <= outer.y + outer.height + 0.5;
    expect(inside(column), `${what} (${JSON.stringify(box)}) inside the sale's column (${JSON.stringify(column)})`).toBe(true);
    expect(inside({ x: 0, y: 0, ...VIEWPORT }), `${what} inside the window`).toBe(true);
  }

  /** Nothing in the sale's column is out of sight: it has nothing to scroll. */
  async function expectNothingHidden(state: string) {
    const { scrollHeight, clientHeight, scrollTop } = await side().evaluate((element) => ({ scrollHeight: element.scrollHeight, clientHeight: element.clientHeight, scrollTop: element.scrollTop }));
    expect(scrollTop, state).toBe(0);
    expect(scrollHeight, `${state}: the sale's column holds more than it shows`).toBeLessThanOrEqual(clientHeight);
  }

  async function alipaySale(amount: string, waiting: string, paid: string) {
    await cashier.keyboard.press('F1');
    await region().waitFor();
    await cashier.keyboard.type(amount, { delay: 70 }); // a person's pace: faster is a barcode scanner's
    await cashier.keyboard.press('Enter');
    await cashier.getByRole('status').getByText(waiting).waitFor();
    await expectInView(region(), "Alipay's region");
    await expectInView(status(), 'the status, waiting');
    await expectNothingHidden('Alipay waiting');
    const order = app.runtime.store.recentOrders(1)[0] as { outTradeNo: string };
    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    await app.runtime.poller.reconcile();
    await cashier.getByRole('status').getByText(paid).waitFor();
    await cashier.locator('.cashier .side .slip-preview').waitFor();
  }

  for (const language of ['en', 'zh-HK'] as const) {
    const words =
      language === 'en'
        ? { waiting: 'Waiting for the customer to scan and pay.', paid: 'Paid.', late: 'Paid after cancel or expiry. A manager must refund it or keep it.' }
        : { waiting: '等待顧客掃碼付款。', paid: '已付款。', late: '取消或過期後才付款，須由經理決定退款或保留。' };

    it(`${language}: a paid Alipay sale with its region, then the F7 field open, then a late payment above it all`, async () => {
      if (language === 'zh-HK') {
        await cashier.getByRole('button', { name: '中文' }).click();
        await cashier.getByRole('button', { name: 'English' }).waitFor();
      }
      await cashier.keyboard.press('Escape');

      await alipaySale('128.50', words.waiting, words.paid);
      await expectInView(region(), "Alipay's region");
      await expectInView(status(), 'the status');
      await expectInView(slipHead(), "the slip's head");
      await expectNothingHidden('Alipay paid');

      await cashier.keyboard.press('F7');
      await codeField().waitFor();
      await expectInView(codeField(), 'the F7 field');
      await expectInView(region(), "Alipay's region");
      await expectInView(status(), 'the status');
      await expectInView(slipHead(), "the slip's head");
      await expectNothingHidden('Alipay paid, F7 open');
      await screenshot(cashier, `cashier-1024-alipay-f7-${language}`);
      await codeField().press('Escape');
      await codeField().waitFor({ state: 'detached' });

      // A sale cancelled and paid all the same: its alert goes above everything, and takes room.
      await cashier.keyboard.press('Escape');
      await cashier.keyboard.press('F5');
      await cashier.keyboard.type('42', { delay: 70 });
      await cashier.keyboard.press('Enter');
      await cashier.getByRole('status').getByText(words.waiting).waitFor();
      const late = app.runtime.store.recentOrders(1)[0] as { outTradeNo: string };
      await cashier.keyboard.press('Escape');
      // The cancel is a round trip to the till: paid before it lands, the sale is simply paid (CI raced it).
      await expect.poll(() => app.runtime.store.orderByNumber(late.outTradeNo)?.state).toBe('cancelled');
      await simulator.control('POST', `orders/${late.outTradeNo}/pay`);
      await app.runtime.poller.reconcile();
      await cashier.locator('.late-alerts').waitFor();
      await cashier.getByRole('status').getByText(words.late).waitFor();
      await cashier.keyboard.press('Escape');
      await alipaySale('7.70', words.waiting, words.paid);
      await cashier.keyboard.press('F7');
      await codeField().waitFor();
      // The alert above the sale's column, in the window.
      const alert = await cashier.locator('.late-alerts').boundingBox();
      const column = await side().boundingBox();
      expect(alert !== null && column !== null && alert.y >= 0 && alert.y + alert.height <= column.y).toBe(true);
      await expectInView(codeField(), 'the F7 field');
      await expectInView(status(), 'the status');
      await expectInView(slipHead(), "the slip's head");
      await expectNothingHidden('a late payment, Alipay paid, F7 open');
      await screenshot(cashier, `cashier-1024-late-alipay-f7-${language}`);
      await codeField().press('Escape');
      await cashier.locator('.late-alerts button').first().click();
      await cashier.locator('.late-alerts').waitFor({ state: 'detached' });
      await cashier.keyboard.press('Escape');
    });
  }
});
