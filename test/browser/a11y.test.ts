import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { formatHKD } from '../../shared/money';
import { startTestApp, type TestApp } from '../support/app';
import { browserAvailable, decodeQr, expectAccessible, qrDrawn, screenshot } from '../support/browser';
import { browserOnSimulator } from '../support/browserApp';
import type { TestSimulator } from '../support/simulator';

/**
 * The keyboard and the screen reader, measured: Chromium through the real bridge, services, ledger
 * and simulator. axe-core runs in every screen state and fails on anything critical or serious.
 * The pages are opened with bypassCSP so the test can add axe's script; the app runs as it ships.
 */

/** What has the focus: its tag, role, accessible words and the order row it is, if any. */
async function focused(page: Page) {
  return page.evaluate(() => {
    const element = (globalThis as any).document.activeElement as any;
    return {
      tag: String(element?.tagName ?? '').toLowerCase(),
      role: element?.getAttribute?.('role') ?? null,
      // What is read out: the label, or the text without what is hidden from screen readers ("F1").
      text: String(
        element?.getAttribute?.('aria-label') ??
          (function readOut(node: any): string {
            if (node.getAttribute?.('aria-hidden') === 'true') return '';
            return node.nodeType === 3 ? node.textContent : [...(node.childNodes ?? [])].map(readOut).join('');
          })(element ?? {}),
      ).trim(),
      order: element?.getAttribute?.('data-order') ?? null,
      inOrders: Boolean(element?.closest?.('[data-testid="orders-table"]')),
      label: String(element?.closest?.('label')?.textContent ?? '').trim(),
    };
  });
}

/** Presses Tab (or Shift+Tab) until `wanted` says the focus is there; fails after `max` presses. */
async function tabUntil(page: Page, wanted: (at: Awaited<ReturnType<typeof focused>>) => boolean, max = 80, key = 'Tab') {
  for (let presses = 0; presses < max; presses += 1) {
    await page.keyboard.press(key);
    const at = await focused(page);
    if (wanted(at)) return at;
  }
  throw new Error(`Tab never reached the element after ${max} presses (now on ${JSON.stringify(await focused(page))})`);
}

async function pay(app: TestApp, simulator: TestSimulator, outTradeNo: string) {
  await simulator.control('POST', `orders/${outTradeNo}/pay`);
  await app.runtime.poller.reconcile();
}

async function charged(app: TestApp, amount: number, wallet: string): Promise<string> {
  const answer = (await app.dispatch('cashier', 'charge', { amount, wallet })) as { ok: boolean; value: { order: { outTradeNo: string } } };
  if (!answer.ok) throw new Error(`charge refused: ${JSON.stringify(answer)}`);
  return answer.value.order.outTradeNo;
}

describe.skipIf(!browserAvailable)('keyboard and accessibility in a browser', { timeout: 90_000 }, () => {
  const { simulator, browser, startApp, newPage } = browserOnSimulator({ app: false });

  /** A fresh app and the cashier's screen; the customer display only for the tests that look at it. */
  async function open(viewport = { width: 1200, height: 900 }) {
    const app = await startApp();
    const pages: Page[] = [];
    const errors: string[] = [];
    /** Another screen (the display, a phone's wallet page), closed with the rest: a page of its own that lets axe's script in. */
    const openPage = async (size: { width: number; height: number }) => {
      const page = await newPage({ bypassCSP: true, viewport: size, timeout: 10_000, errors });
      pages.push(page);
      return page;
    };
    const cashier = await openPage(viewport);
    await cashier.goto(app.bridge.pairingLink('cashier'));
    await cashier.getByText('Ready for the next sale.').waitFor();
    return {
      app,
      cashier,
      errors,
      openPage,
      /** The customer display, paired, on an 800x480 screen. */
      async openDisplay() {
        const display = await openPage({ width: 800, height: 480 });
        await display.goto(app.bridge.pairingLink('display'));
        return display;
      },
      async close() {
        await Promise.all(pages.map((page) => page.close()));
        await app.stop();
      },
    };
  }

  const ordersOf = (app: TestApp) => app.runtime.store.recentOrders(50);

  it('has no critical or serious axe finding on any screen: cashier, display, wallet page, manager', async () => {
    const { app, openPage, openDisplay, cashier, errors, close } = await open();
    const display = await openDisplay();
    try {
      await display.getByText('茶餐廳 Tea House').waitFor();
      await expectAccessible(cashier, 'cashier idle');
      await expectAccessible(display, 'display idle');

      await cashier.keyboard.type('12.30');
      await cashier.keyboard.press('F1');
      await cashier.keyboard.press('Enter');
      await cashier.getByRole('status').getByText('Waiting for the customer to scan and pay.').waitFor();
      await display.getByTestId('qr').waitFor();
      await expectAccessible(cashier, 'cashier waiting');
      await expectAccessible(display, 'display QR');

      // The customer's training wallet, as a phone opens it from the QR.
      const order = ordersOf(app)[0];
      const wallet = await openPage({ width: 390, height: 700 });
      await wallet.goto(order?.qrcode as string);
      await wallet.getByRole('button', { name: 'Pay' }).waitFor();
      await expectAccessible(wallet, 'wallet page');
      await wallet.getByRole('button', { name: 'Pay' }).click();
      await wallet.getByText('Paid').waitFor();
      await expectAccessible(wallet, 'wallet page, paid');
      await app.runtime.poller.reconcile();
      await cashier.getByRole('status').getByText('Paid.').waitFor();
      await display.getByTestId('result').waitFor();
      await expectAccessible(cashier, 'cashier paid');
      await expectAccessible(display, 'display result');

      // A withdrawn PayMe code: the display tells the customer not to pay it.
      await cashier.keyboard.type('45');
      await cashier.keyboard.press('F3');
      await cashier.keyboard.press('Enter');
      await display.getByTestId('qr').waitFor();
      await cashier.getByRole('status').getByText('Waiting for the customer to scan and pay.').waitFor();
      await cashier.keyboard.press('Escape');
      await display.getByTestId('do-not-pay').waitFor();
      await expectAccessible(display, 'display do-not-pay');

      // The manager: the PIN gate (first set-up, then the PIN), the day with an order open, settings.
      await cashier.getByRole('button', { name: 'Manager' }).click();
      // No PIN yet: the set-up form at once (issue 24).
      await cashier.getByText('No manager PIN is set on this till yet.', { exact: false }).waitFor();
      await expectAccessible(cashier, 'manager PIN set-up');
      await screenshot(cashier, 'a11y-manager-pin-setup');
      await cashier.getByLabel('New PIN').fill('246813');
      await cashier.getByLabel('Repeat the PIN').fill('246813');
      await cashier.keyboard.press('Enter');
      await cashier.getByTestId('day-money').waitFor();
      await cashier.getByRole('button', { name: 'Lock' }).click();
      await cashier.getByLabel('Manager PIN', { exact: true }).waitFor();
      await expectAccessible(cashier, 'manager PIN gate');
      await cashier.getByLabel('Manager PIN', { exact: true }).fill('246813');
      await cashier.keyboard.press('Enter');
      await cashier.getByTestId('day-money').waitFor();
      await cashier.getByTestId('orders-table').locator(`tr[data-order="${order?.outTradeNo}"]`).click();
      await cashier.getByTestId('order-panel').getByRole('heading', { name: order?.outTradeNo }).waitFor();
      await expectAccessible(cashier, 'manager day, order open');
      await cashier.getByRole('button', { name: 'Refund…' }).click();
      await cashier.getByRole('alertdialog').waitFor();
      await expectAccessible(cashier, 'manager refund confirmation');
      await cashier.getByRole('alertdialog').getByRole('button', { name: 'Back' }).click();
      await cashier.getByRole('tab', { name: 'Reports and close' }).click();
      await cashier.getByTestId('close-period').getByRole('button', { name: 'Close period Z 1…' }).waitFor();
      await cashier.getByRole('button', { name: 'Check the day with QFPay' }).click();
      await cashier.getByTestId('reconcile-sentence').waitFor();
      await expectAccessible(cashier, 'manager reports, day compared with QFPay');
      await cashier.getByTestId('close-period').getByRole('button', { name: 'Close period Z 1…' }).click();
      await cashier.getByRole('dialog').getByLabel('Type 1 to confirm').waitFor();
      await expectAccessible(cashier, 'manager close dialog');
      await cashier.keyboard.press('Escape');
      await cashier.getByRole('dialog').waitFor({ state: 'detached' });
      // The printed report: its own h1 and the headings under it in order.
      await cashier.emulateMedia({ media: 'print' });
      await expectAccessible(cashier, 'manager reports, printed');
      await cashier.emulateMedia({ media: 'screen' });
      await cashier.getByRole('tab', { name: 'Settings' }).click();
      await cashier.getByLabel('Shop name').waitFor();
      await expectAccessible(cashier, 'manager settings');
      await screenshot(cashier, 'a11y-manager-settings', { fullPage: true });

      // Traditional Chinese: the same screens, and the status region named in Chinese.
      await cashier.getByRole('button', { name: 'Back to the till' }).click();
      await cashier.getByRole('button', { name: '中文' }).click();
      await cashier.getByRole('region', { name: '付款狀態' }).waitFor();
      await expectAccessible(cashier, 'cashier in zh-HK');
      await cashier.getByRole('button', { name: 'English' }).click();
      await cashier.getByRole('region', { name: 'Payment status' }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('Enter on a focused button does that button\'s work and never charges; from the amount it charges', async () => {
    const { app, cashier, close } = await open();
    try {
      const count = () => ordersOf(app).length;
      await cashier.keyboard.type('12');
      await cashier.keyboard.press('F2');

      // A keypad key: Enter presses it.
      await cashier.getByRole('button', { name: '5', exact: true }).focus();
      await cashier.keyboard.press('Enter');
      expect(await cashier.getByTestId('amount').textContent()).toBe('HK$125.00');
      // A wallet: Enter chooses it.
      await cashier.getByRole('radio', { name: 'PayMe' }).focus();
      await cashier.keyboard.press('Enter');
      expect(await cashier.getByRole('radio', { name: 'PayMe' }).getAttribute('aria-checked')).toBe('true');
      // The language button: Enter switches the language, and back.
      await cashier.getByRole('button', { name: '中文' }).focus();
      await cashier.keyboard.press('Enter');
      await cashier.getByRole('button', { name: 'English' }).waitFor();
      await cashier.getByRole('button', { name: 'English' }).focus();
      await cashier.keyboard.press('Enter');
      await cashier.getByRole('button', { name: '中文' }).waitFor();
      // Manager: Enter opens it; Back returns to the till, with the focus on the amount.
      await cashier.getByRole('button', { name: 'Manager' }).focus();
      await cashier.keyboard.press('Enter');
      await cashier.locator('form.pin-gate').waitFor();
      await cashier.getByRole('button', { name: 'Back to the till' }).focus();
      await cashier.keyboard.press('Enter');
      await cashier.getByRole('button', { name: 'Charge' }).waitFor();
      expect(count()).toBe(0);
      expect(simulator.requests().filter((entry) => entry.endpoint === 'payment' && entry.fields.txamt === '12500')).toHaveLength(0);
      await screenshot(cashier, 'a11y-cashier-after-buttons');

      // From the amount entry, where the focus came back, Enter charges.
      expect((await focused(cashier)).role).toBe('group');
      await cashier.keyboard.press('Enter');
      await cashier.getByRole('status').getByText('Waiting for the customer to scan and pay.').waitFor();
      expect(ordersOf(app)[0]).toMatchObject({ amount: 12500, wallet: 'payme', state: 'waiting' });

      // An alert's button: a PayMe code paid after its cancel raises the alert; Enter acknowledges it.
      await cashier.keyboard.press('Escape');
      await cashier.getByRole('status').getByText('Cancelled.').waitFor();
      await pay(app, simulator, ordersOf(app)[0]?.outTradeNo as string);
      const alert = cashier.getByTestId('late-alerts');
      await alert.getByRole('button', { name: 'Acknowledge' }).focus();
      await cashier.keyboard.press('Enter');
      await alert.waitFor({ state: 'detached' });
      expect(count()).toBe(1);
    } finally {
      await close();
    }
  });

  it('arrow keys, Home and End move between the six wallets and choose as they go; one tab stop', async () => {
    const { cashier, close } = await open();
    try {
      const radios = cashier.getByRole('radiogroup').getByRole('radio');
      const checked = async () => cashier.getByRole('radiogroup').getByRole('radio', { checked: true }).locator('.wallet-name').textContent();
      const tabStops = async () => radios.evaluateAll((all) => all.filter((radio) => (radio as unknown as { tabIndex: number }).tabIndex === 0).length);
      expect(await tabStops()).toBe(1);
      // Tab from the top of the page reaches the wallets once, on the first.
      const at = await tabUntil(cashier, (now) => now.role === 'radio');
      expect(at.text).toBe('Alipay');
      await cashier.keyboard.press('ArrowRight');
      expect(await checked()).toBe('WeChat Pay');
      expect((await focused(cashier)).text).toBe('WeChat Pay');
      await cashier.keyboard.press('ArrowDown');
      expect(await checked()).toBe('PayMe');
      await cashier.keyboard.press('End');
      expect(await checked()).toBe('Octopus');
      await cashier.keyboard.press('ArrowRight');
      expect(await checked()).toBe('Alipay');
      await cashier.keyboard.press('ArrowLeft');
      expect(await checked()).toBe('Octopus');
      await cashier.keyboard.press('Home');
      expect(await checked()).toBe('Alipay');
      await cashier.keyboard.press('ArrowUp');
      expect((await focused(cashier)).text).toBe('Octopus');
      expect(await tabStops()).toBe(1);
      // Tab leaves the group, Shift+Tab comes back to the chosen wallet.
      await cashier.keyboard.press('Tab');
      expect((await focused(cashier)).role).not.toBe('radio');
      await cashier.keyboard.press('Shift+Tab');
      expect((await focused(cashier)).text).toBe('Octopus');
      await screenshot(cashier, 'a11y-cashier-wallet-arrows');
    } finally {
      await close();
    }
  });

  it('after a click on the Alipay region option, digits, F-keys and Enter work: it charges mainland Alipay', async () => {
    const { app, cashier, close } = await open();
    try {
      await cashier.keyboard.press('F1');
      await cashier.getByLabel('Mainland Alipay').click();
      expect((await focused(cashier)).tag).toBe('input');
      await cashier.keyboard.type('8.8');
      expect(await cashier.getByTestId('amount').textContent()).toBe('HK$8.80');
      await cashier.keyboard.press('F4');
      expect(await cashier.getByRole('radio', { name: 'UnionPay' }).getAttribute('aria-checked')).toBe('true');
      await cashier.keyboard.press('F1');
      await cashier.getByLabel('Mainland Alipay').click();
      await cashier.keyboard.press('Backspace');
      await cashier.keyboard.type('8');
      expect(await cashier.getByTestId('amount').textContent()).toBe('HK$8.80');
      await cashier.keyboard.press('Enter');
      await cashier.getByRole('status').getByText('Waiting for the customer to scan and pay.').waitFor();
      expect(ordersOf(app)[0]).toMatchObject({ amount: 880, wallet: 'alipay' });
      const sent = simulator.requests().filter((entry) => entry.endpoint === 'payment' && entry.fields.out_trade_no === ordersOf(app)[0]?.outTradeNo);
      expect(sent.map((entry) => entry.fields.pay_tag)).toEqual(['ALIPAYCN']);
      await cashier.keyboard.press('Escape');
      await cashier.getByRole('status').getByText('Cancelled.').waitFor();
    } finally {
      await close();
    }
  });

  it('a refund in Manager with the keyboard alone: PIN, the order, an amount, the confirmation, QFPay\'s answer', async () => {
    const { app, cashier, close } = await open({ width: 1280, height: 1000 });
    try {
      // A day with a few orders; the one to refund is in the middle of the list.
      const numbers: string[] = [];
      for (const [amount, wallet] of [
        [2000, 'wechat'],
        [3450, 'fps'],
        [990, 'octopus'],
      ] as const) {
        const number = await charged(app, amount, wallet);
        await pay(app, simulator, number);
        numbers.push(number);
      }
      const target = numbers[1] as string;
      expect(await app.dispatch('cashier', 'managerSetPin', { pin: '357924' })).toMatchObject({ ok: true });
      await cashier.reload();
      await cashier.getByRole('button', { name: 'Manager' }).waitFor();

      await tabUntil(cashier, (at) => at.text === 'Manager');
      await cashier.keyboard.press('Enter');
      await cashier.getByLabel('Manager PIN', { exact: true }).waitFor();
      expect((await focused(cashier)).tag).toBe('input');
      // A person's pace: six digits typed faster are a barcode scanner's, caught over the manager's screen.
      await cashier.keyboard.type('357924', { delay: 70 });
      await cashier.keyboard.press('Enter');
      await cashier.getByTestId('day-money').waitFor();

      // Tab reaches the orders table once (one row is its tab stop); arrows walk to the order.
      await tabUntil(cashier, (at) => at.inOrders && at.tag === 'tr');
      for (let presses = 0; presses < 5 && (await focused(cashier)).order !== target; presses += 1) {
        const before = (await focused(cashier)).order;
        await cashier.keyboard.press('ArrowDown');
        await expect.poll(async () => (await focused(cashier)).order).not.toBe(before);
      }
      expect((await focused(cashier)).order).toBe(target);
      await screenshot(cashier.getByTestId('orders-table'), 'a11y-manager-orders-keyboard-focus');
      await cashier.keyboard.press('Enter');
      // The order's panel takes the focus: its heading is the order's number.
      await cashier.getByTestId('order-panel').getByRole('heading', { name: target }).waitFor();
      await expect.poll(async () => (await focused(cashier)).text).toBe(target);

      // Too much is refused before any confirmation, in the error style.
      await tabUntil(cashier, (at) => at.label.startsWith('Refund amount'), 20);
      await cashier.keyboard.type('40');
      await cashier.keyboard.press('Enter');
      const said = cashier.getByTestId('order-said');
      await said.getByText(`At most ${formatHKD(3450, 'en')} can still be refunded on this order.`).waitFor();
      expect(await said.getAttribute('data-tone')).toBe('bad');
      expect(await cashier.getByRole('alertdialog').count()).toBe(0);

      await cashier.keyboard.press('Control+A');
      await cashier.keyboard.type('5');
      await cashier.keyboard.press('Enter');
      const dialog = cashier.getByRole('alertdialog');
      await dialog.getByText(`Refund ${formatHKD(500, 'en')} of order ${target} to the customer?`).waitFor();
      expect((await focused(cashier)).text).toBe('Confirm');
      await screenshot(cashier, 'a11y-manager-refund-confirm-keyboard');
      await cashier.keyboard.press('Enter');
      await said.getByText(`Refund done: ${formatHKD(500, 'en')}.`).waitFor();
      expect(await said.getAttribute('data-tone')).toBe('good');
      expect((await simulator.control('GET', `orders/${target}`)).json.refunded).toBe(500);
      await cashier.getByTestId('refunds-table').getByText(target).waitFor();
      await screenshot(cashier, 'a11y-manager-refund-done-keyboard');

      // The message belongs to that order: another order, opened from the keyboard, starts clean.
      await tabUntil(cashier, (at) => at.inOrders && at.tag === 'tr', 40, 'Shift+Tab');
      await cashier.keyboard.press('ArrowDown');
      await cashier.keyboard.press('Enter');
      const heading = cashier.getByTestId('order-panel').getByRole('heading', { level: 3 });
      await expect.poll(() => heading.textContent()).not.toBe(target);
      await expect.poll(async () => (await focused(cashier)).text).toBe(await heading.textContent());
      expect(await said.textContent()).toBe('');
    } finally {
      await close();
    }
  });

  it('the manager cancels an open order from its panel, and the answer is said in words', async () => {
    const { app, cashier, close } = await open({ width: 1280, height: 1000 });
    try {
      const number = await charged(app, 1880, 'wechat');
      expect(await app.dispatch('cashier', 'managerSetPin', { pin: '357924' })).toMatchObject({ ok: true });
      await cashier.getByRole('button', { name: 'Manager' }).click();
      await cashier.getByLabel('Manager PIN', { exact: true }).fill('357924');
      await cashier.keyboard.press('Enter');
      await cashier.getByTestId('orders-table').locator(`tr[data-order="${number}"]`).focus();
      await cashier.keyboard.press(' ');
      const panel = cashier.getByTestId('order-panel');
      await panel.getByRole('heading', { name: number }).waitFor();
      await panel.getByRole('button', { name: 'Cancel this order…' }).click();
      await panel.getByRole('alertdialog').getByText(`Cancel order ${number} (${formatHKD(1880, 'en')}) now?`).waitFor();
      await cashier.keyboard.press('Enter');
      await panel.getByText('Order cancelled: its QR is withdrawn. The till keeps watching it for a late payment.').waitFor();
      expect(app.runtime.store.orderByNumber(number)?.state).toBe('cancelled');
      expect((await simulator.control('GET', `orders/${number}`)).json.state).toBe('closed');
      await panel.getByText('cancelled by the cashier', { exact: false }).waitFor();
      expect(await panel.getByRole('button', { name: 'Cancel this order…' }).count()).toBe(0);
    } finally {
      await close();
    }
  });

  it('prints a report that names the shop, till, periods, the time printed and training money', async () => {
    const app = await startTestApp(undefined); // demo mode: training money
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1100, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(app.bridge.pairingLink('cashier'));
      expect(await app.dispatch('cashier', 'managerSetPin', { pin: '357924' })).toMatchObject({ ok: true });
      await page.getByRole('button', { name: 'Manager' }).click();
      await page.getByLabel('Manager PIN', { exact: true }).fill('357924');
      await page.keyboard.press('Enter');
      await page.getByRole('tab', { name: 'Reports and close' }).click();
      await page.getByTestId('print-header').waitFor({ state: 'attached' });
      await page.evaluate(() => (globalThis as any).dispatchEvent(new Event('beforeprint')));
      await page.emulateMedia({ media: 'print' });
      const header = page.getByTestId('print-header');
      await header.getByRole('heading', { level: 1, name: '茶餐廳 Tea House · report of', exact: false }).waitFor();
      const words = await header.innerText();
      expect(words).toContain('Till till-1');
      expect(words).toContain('open period Z 1 (X report, not closed)');
      expect(words).toMatch(/Printed \d{4}-\d\d-\d\d \d\d:\d\d \(Hong Kong time\)/);
      expect(await page.getByTestId('print-training').innerText()).toMatch(/training \(demo\): not real money/i);
      await screenshot(page, 'a11y-manager-print', { fullPage: true });
      await expectAccessible(page, 'manager report as printed');
    } finally {
      await context.close();
      await app.stop();
    }
  });

  it('fits an 800x480 customer display in every state: a QR of 240 px or more, amount and countdown in view', async () => {
    const { app, cashier, openDisplay, close } = await open();
    const display = await openDisplay();
    const viewport = { width: 800, height: 480 };
    /** Nothing scrolls, and each named part is wholly inside the screen. */
    async function fits(state: string, testIds: readonly string[]) {
      const overflow = await display.evaluate(() => {
        const root = (globalThis as any).document.scrollingElement;
        return { height: root.scrollHeight - root.clientHeight, width: root.scrollWidth - root.clientWidth };
      });
      expect(overflow, `${state}: the page scrolls`).toEqual({ height: 0, width: 0 });
      for (const id of testIds) {
        const box = await display.getByTestId(id).boundingBox();
        expect(box, `${state}: ${id} is shown`).not.toBeNull();
        if (!box) continue;
        expect(box.y, `${state}: ${id} top`).toBeGreaterThanOrEqual(0);
        expect(box.y + box.height, `${state}: ${id} bottom`).toBeLessThanOrEqual(viewport.height);
        expect(box.x + box.width, `${state}: ${id} right`).toBeLessThanOrEqual(viewport.width);
      }
    }
    try {
      await display.getByText('茶餐廳 Tea House').waitFor();
      await screenshot(display, 'display-800x480-idle');

      await cashier.keyboard.type('1234.50', { delay: 70 }); // a person's pace: faster is a barcode scanner's
      await cashier.keyboard.press('F2');
      await cashier.keyboard.press('Enter');
      await display.getByTestId('qr').waitFor();
      await display.getByTestId('countdown').waitFor();
      await fits('QR', ['display-amount', 'qr', 'countdown']);
      const qr = await display.getByTestId('qr').boundingBox();
      expect(Math.min(qr?.width ?? 0, qr?.height ?? 0)).toBeGreaterThanOrEqual(240);
      await qrDrawn(display);
      const png = await screenshot(display, 'display-800x480-qr');
      expect(decodeQr(png)).toBe(ordersOf(app)[0]?.qrcode);
      await expectAccessible(display, 'display 800x480 QR');

      await pay(app, simulator, ordersOf(app)[0]?.outTradeNo as string);
      await display.getByTestId('result').getByText('Payment received. Thank you!').waitFor();
      await fits('paid', ['display-amount', 'result']);
      await screenshot(display, 'display-800x480-paid');
      await cashier.getByRole('status').getByText('Paid.').waitFor();

      // The longest state: a withdrawn PayMe code, with the do-not-pay words.
      await cashier.keyboard.type('88.80');
      await cashier.keyboard.press('F3');
      await cashier.keyboard.press('Enter');
      await display.getByTestId('qr').waitFor();
      await cashier.getByRole('status').getByText('Waiting for the customer to scan and pay.').waitFor();
      await cashier.keyboard.press('Escape');
      await display.getByTestId('do-not-pay').waitFor();
      await fits('do not pay', ['display-amount', 'result', 'do-not-pay']);
      await screenshot(display, 'display-800x480-do-not-pay');
      await cashier.getByRole('status').getByText('Cancelled.').waitFor();

      // The till gone: the QR hidden, the words in view.
      await cashier.keyboard.type('5');
      await cashier.keyboard.press('F1');
      await cashier.keyboard.press('Enter');
      await display.getByTestId('qr').waitFor();
      await app.shutDown();
      await display.getByText('Reconnecting to the till… Please wait.').waitFor({ timeout: 2_500 });
      expect(await display.getByTestId('qr').count()).toBe(0);
      await fits('reconnecting', []);
      await screenshot(display, 'display-800x480-reconnecting');
      await expectAccessible(display, 'display reconnecting');
    } finally {
      await close();
    }
  });
});
