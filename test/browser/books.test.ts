import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentFields } from '../../shared/qfpay/requests';
import { chargeAndPay, startTestApp, type TestApp } from '../support/app';
import { browserAvailable, launchChromium, payTrainingSale, screenshot, setFirstManagerPin } from '../support/browser';
import { browserOnSimulator } from '../support/browserApp';
import { startTestSimulator, type TestSimulator } from '../support/simulator';

/**
 * Books that agree with QFPay, as a shop uses them in Chromium through the real bridge, services,
 * ledger and simulator: an order QFPay never answered about is put before a manager and decided
 * with a reason, the day is compared with QFPay, and the period is closed as a Z report. The
 * screens a shop would see are kept as books-*.png in both languages.
 */
describe.skipIf(!browserAvailable)('books that agree with QFPay, in a browser', { timeout: 60_000 }, () => {
  const { simulator, app, screen } = browserOnSimulator();
  let page: Page;
  const errors: string[] = [];
  let paid = '';
  let unanswered = '';

  beforeAll(async () => {
    page = await screen('cashier', { viewport: { width: 1280, height: 900 }, timeout: 5_000, errors });
    await page.getByText('Ready for the next sale.').waitFor();
  }, 30_000);

  const status = () => page.locator('.status-sentence');
  const row = (number: string) => page.locator(`tr[data-order="${number}"]`).first();
  /** The language button's command, so an open manager's screen changes language in place. */
  const speak = async (language: 'en' | 'zh-HK') => {
    await app.dispatch('cashier', 'setLanguage', { language });
    await page.locator(`html[lang="${language}"]`).waitFor();
  };

  it('counts a paid sale in the open period, Z 1', async () => {
    await page.keyboard.type('23.40');
    await page.keyboard.press('F1');
    await page.keyboard.press('Enter');
    await status().getByText('Waiting for the customer to scan and pay.').waitFor();
    paid = app.runtime.store.recentOrders(1)[0]?.outTradeNo as string;
    await simulator.control('POST', `orders/${paid}/pay`);
    await status().getByText('Paid.').waitFor({ timeout: 10_000 });
    await row(paid).getByText('Z 1 (open)').waitFor();
    expect(await page.getByTestId('sales-go-into').textContent()).toBe('Sales go into Z 1');
    await page.keyboard.press('Escape');
  });

  it('puts an order QFPay never answered about before a manager, and tells the cashier', async () => {
    // QFPay fails the payment request before taking it: no answer, and no record to find later.
    await simulator.control('PUT', 'faults/payment', { kind: 'http_500' });
    await page.keyboard.type('12.30');
    await page.keyboard.press('F5');
    await page.keyboard.press('Enter');
    await status().getByText('Checking with QFPay… Do not charge again.').waitFor();
    await simulator.control('DELETE', 'faults');
    unanswered = app.runtime.store.recentOrders(1)[0]?.outTradeNo as string;
    // Eleven minutes on, QFPay still has no record of it: the till stops guessing.
    app.advance(11 * 60_000);
    await app.runtime.poller.reconcile();
    await status().getByText('QFPay gave no final answer in time: a manager must decide. Do not charge again.').waitFor();
    await page.getByTestId('manager-notice').getByText('1 item needs a manager').waitFor();
    await row(unanswered).getByText('Needs a manager').waitFor();
    expect(app.runtime.store.orderByNumber(unanswered)).toMatchObject({ state: 'unknown', attention: 'no_final_answer' });
    await screenshot(page, 'books-cashier-needs-manager-en', { fullPage: true });

    await page.getByRole('button', { name: '中文' }).click();
    await status().getByText('QFPay 未有及時給予最終答覆：須由經理決定。請勿重複收款。').waitFor();
    await page.getByTestId('manager-notice').getByText('1 個項目待經理處理').waitFor();
    await row(unanswered).getByText('待經理處理').waitFor();
    await screenshot(page, 'books-cashier-needs-manager-zh-HK', { fullPage: true });
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText("Today's orders").waitFor();
  });

  it('lets a manager decide it with a reason: the panel empties and the order keeps the decision', async () => {
    await page.getByTestId('manager-notice').getByRole('button', { name: 'Open Manager' }).click();
    await setFirstManagerPin(page, '135790');

    const panel = page.getByTestId('before-manager');
    const item = panel.locator(`li[data-item="${unanswered}"]`);
    await item.getByText('QFPay gave no final answer in time', { exact: false }).waitFor();
    await item.getByRole('button', { name: 'Decide…' }).click();
    const form = item.getByRole('form');
    await form.getByLabel('QFPay shows it not paid').check();
    await form.getByLabel('Reason, 3 to 200 characters (what you saw, and where)').fill('Not in the QFPay merchant portal; the customer paid cash');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(panel, 'books-manager-decide-en');
    await speak('zh-HK');
    await panel.getByRole('heading', { name: '待經理處理' }).waitFor();
    await item.getByLabel('QFPay 顯示未付款').waitFor();
    await screenshot(panel, 'books-manager-decide-zh-HK');
    await speak('en');

    await form.getByRole('button', { name: 'Confirm' }).click();
    await panel.getByText('Nothing is waiting for a manager.').waitFor();
    await page.getByText(`Decision recorded for ${unanswered}: QFPay shows it not paid.`).waitFor();
    const decisions = page.getByTestId('decisions');
    await decisions.getByText('QFPay shows it not paid').waitFor();
    await decisions.getByText('Not in the QFPay merchant portal; the customer paid cash').waitFor();
    await page.locator('.history').getByText('(a manager decided: Not in the QFPay merchant portal; the customer paid cash)').waitFor();
    expect(app.runtime.store.orderByNumber(unanswered)).toMatchObject({ state: 'failed', attention: null });
    await screenshot(page, 'books-manager-decided-en', { fullPage: true });
  });

  it('checks the day with QFPay on the Reports tab: it agrees', async () => {
    await page.getByRole('tab', { name: 'Reports and close' }).click();
    const section = page.getByTestId('reconciliation');
    await section.getByText('This day has not been compared with QFPay yet.').waitFor();
    await section.getByRole('button', { name: 'Check the day with QFPay' }).click();
    // The paid sale, and the decided order QFPay has no record of: both agree.
    await section.getByText(/^Agrees with QFPay at \d\d:\d\d: 2 matched\.$/).waitFor();
    expect(await section.getByTestId('reconcile-lines').count()).toBe(0);
    await screenshot(section, 'books-reconciliation-en');
    await speak('zh-HK');
    await section.getByText(/^於 \d\d:\d\d 與 QFPay 核對相符：2 筆相符。$/).waitFor();
    await screenshot(section, 'books-reconciliation-zh-HK');
    await speak('en');
  });

  it('closes the period once its number is typed: Z 1 is among the closed periods, and the next sale counts in Z 2', async () => {
    const open = page.getByTestId('open-period');
    await open.getByRole('heading', { name: 'Open period: X report, to become Z 1' }).waitFor();
    await page.getByTestId('close-period').getByRole('button', { name: 'Close period Z 1…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Close period Z 1?' }).waitFor();
    await dialog.getByLabel('Type 1 to confirm').pressSequentially('1', { delay: 70 });
    await dialog.getByRole('button', { name: 'Close Z 1 now' }).click();
    // At the top of the page, and no file path: the backup's place stays in the log and the CLI.
    await page.getByTestId('close-result').getByText('Z 1 closed: 1 payment, 0 refunds, HK$23.40 net. QFPay agrees. Backup kept.').waitFor({ timeout: 10_000 });
    await open.getByRole('heading', { name: 'Open period: X report, to become Z 2' }).waitFor();
    await page.getByTestId('nothing-to-close').waitFor();

    const closed = page.getByTestId('closed-periods');
    const z1 = closed.locator('article[data-z="1"]');
    await z1.getByRole('heading', { name: /^Z report no\. 1 / }).waitFor();
    await z1.getByText(/agrees with QFPay at \d\d:\d\d \(2 matched\)$/).waitFor();
    expect(await z1.locator('tbody tr').count()).toBe(1);
    expect(await z1.locator('tbody td').last().textContent()).toBe('HK$23.40');
    await screenshot(page.locator('.books'), 'books-closed-period-en');
    await speak('zh-HK');
    await z1.getByRole('heading', { name: /^第 1 號 Z 報表/ }).waitFor();
    await screenshot(page.locator('.books'), 'books-closed-period-zh-HK');
    await speak('en');

    // Printed, the reports stay and the buttons and work lists go.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('closed-periods').isVisible()).toBe(true);
    expect(await page.getByTestId('day-money').isVisible()).toBe(true);
    expect(await page.getByTestId('close-period').isVisible()).toBe(false);
    expect(await page.getByTestId('close-result').isVisible()).toBe(false);
    expect(await page.getByTestId('before-manager').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print report' }).isVisible()).toBe(false);
    await screenshot(page, 'books-print-en', { fullPage: true });
    await page.emulateMedia({ media: 'screen' });

    await page.getByRole('button', { name: 'Back to the till' }).click();
    await page.getByTestId('sales-go-into').filter({ hasText: 'Sales go into Z 2' }).waitFor();
    await row(paid).getByText('Z 1', { exact: true }).waitFor();
    await page.keyboard.type('5');
    await page.keyboard.press('F3');
    await page.keyboard.press('Enter');
    await status().getByText('Waiting for the customer to scan and pay.').waitFor();
    // The digit started a new sale: HK$5.00, not the amount of the order shown before.
    expect(app.runtime.store.recentOrders(1)[0]).toMatchObject({ amount: 500, wallet: 'payme' });
    const next = app.runtime.store.recentOrders(1)[0]?.outTradeNo as string;
    await simulator.control('POST', `orders/${next}/pay`);
    await status().getByText('Paid.').waitFor({ timeout: 10_000 });
    await row(next).getByText('Z 2 (open)').waitFor();
    await screenshot(page, 'books-cashier-after-close-en', { fullPage: true });
  });

  it('lists what does not agree: a payment another till took with the same credentials, and an order still waiting', async () => {
    // Another till of the shop, same QFPay account: its payment is in QFPay's day, not in this ledger.
    const fields = paymentFields({ wallet: 'wechat', amount: 888, outTradeNo: 'counter-2-P261124120000-ELSEWHER', requestedAt: Date.now(), tillId: 'counter-2' });
    if (!fields.ok) throw new Error(fields.error);
    expect((await simulator.client().payment(fields.value)).kind).toBe('success');
    await simulator.control('POST', 'orders/counter-2-P261124120000-ELSEWHER/pay');
    const waiting = (await app.dispatch('cashier', 'charge', { amount: 4200, wallet: 'unionpay' })) as { value: { order: { outTradeNo: string } } };

    await page.getByRole('button', { name: 'Manager' }).click();
    await page.getByLabel('Manager PIN').fill('135790');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('tab', { name: 'Reports and close' }).click();
    const section = page.getByTestId('reconciliation');
    // The comparison kept from before is shown until a new one is asked for.
    await section.getByText(/^Agrees with QFPay at \d\d:\d\d: 2 matched\.$/).waitFor();
    await section.getByRole('button', { name: 'Check the day with QFPay' }).click();
    await section.getByText(/^Checked with QFPay at \d\d:\d\d: 0 differ, 1 at QFPay only, 1 still open, 3 matched\.$/).waitFor();
    const lines = section.getByTestId('reconcile-lines');
    const elsewhere = lines.locator('tr', { hasText: 'counter-2-P261124120000-ELSEWHER' });
    await elsewhere.getByText('at QFPay only').waitFor();
    await elsewhere.getByText('not in this ledger; made by till counter-2').waitFor();
    await elsewhere.getByText('0000 · HK$8.88').waitFor();
    const open = lines.locator('tr', { hasText: waiting.value.order.outTradeNo });
    await open.getByText('QFPay says still waiting for the customer').waitFor();
    await open.getByText('waiting · HK$42.00').waitFor();
    await screenshot(section, 'books-reconciliation-differs-en');
    await speak('zh-HK');
    await section.getByText(/^於 \d\d:\d\d 與 QFPay 核對：0 筆不符，1 筆只在 QFPay，1 筆未完成，3 筆相符。$/).waitFor();
    await elsewhere.getByText('不在此賬目中；由收銀機 counter-2 建立').waitFor();
    await screenshot(section, 'books-reconciliation-differs-zh-HK');
    await speak('en');
  });

  it('raised no error in the page', () => {
    expect(errors).toEqual([]);
  });
});

/**
 * One ledger, two gateways: a till that took real money through a custom gateway is started again
 * in demo mode on the same ledger (as after a change of settings). Its old orders are shown, never
 * acted on, and each environment's money stays in its own table and its own export.
 */
describe.skipIf(!browserAvailable)('one ledger, two environments, in a browser', { timeout: 60_000 }, () => {
  let simulator: TestSimulator;
  let real: TestApp;
  let demo: TestApp;
  let browser: Browser;
  let page: Page;
  let realOrder = '';

  beforeAll(async () => {
    simulator = await startTestSimulator();
    real = await startTestApp(simulator, {}, { poll: false });
    realOrder = await chargeAndPay(real, simulator, { amount: 6800, wallet: 'alipay' });
    await real.runtime.poller.stop();
    demo = await startTestApp(undefined, { QFPOS_DB: real.runtime.config.dbPath });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page.setDefaultTimeout(5_000);
    await page.goto(demo.bridge.pairingLink('cashier'));
    await page.getByText('Ready for the next sale.').waitFor();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    await real?.stop();
    await simulator?.stop();
  });

  it("shows the other environment's order on the cashier's screen, marked, beside a training sale", async () => {
    await page.locator(`tr[data-order="${realOrder}"]`).getByText('made on custom gateway; this till now runs demo').waitFor();
    await payTrainingSale(page, browser, () => demo.runtime.store.recentOrders(1)[0]?.qrcode as string, '3');
    await screenshot(page, 'books-cashier-two-environments-en', { fullPage: true });
  });

  it('keeps each environment in its own table and export, and the old order read-only', async () => {
    await page.getByRole('button', { name: 'Manager', exact: true }).click();
    await setFirstManagerPin(page, '258036');

    const money = page.getByTestId('day-money');
    await money.locator('table[data-environment="custom"]').getByTestId('total-net').getByText('HK$68.00').waitFor();
    const training = money.locator('table[data-environment="demo"]');
    await training.getByTestId('total-net').getByText('HK$3.00').waitFor();
    await training.locator('caption').getByText('Training: no real money').waitFor();
    // Never one total across them.
    expect(await money.getByText('HK$71.00').count()).toBe(0);
    await screenshot(money, 'books-two-environments-en');

    // The demo export is the default; the custom gateway's is offered beside it, under its own name.
    let download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV', exact: true }).click();
    expect((await download).suggestedFilename()).toMatch(/-demo\.csv$/);
    await page.getByText('This day also has items made on custom gateway: each environment is exported on its own.', { exact: false }).waitFor();
    download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV: custom gateway' }).click();
    expect((await download).suggestedFilename()).toMatch(/-custom\.csv$/);

    await page.getByTestId('orders-table').locator(`tr[data-order="${realOrder}"]`).click();
    const panel = page.locator('.order-panel');
    await panel.getByText('Made on custom gateway; this till now runs demo: shown only, nothing can be done to it from here.').waitFor();
    expect(await panel.getByRole('button', { name: 'Refund…' }).count()).toBe(0);
    await screenshot(panel, 'books-order-other-environment-en');
    await demo.dispatch('cashier', 'setLanguage', { language: 'zh-HK' });
    await page.locator('html[lang="zh-HK"]').waitFor();
    await panel.getByText('於自訂閘道建立；此收銀機現時使用示範環境：只供查看，不能在此處理。').waitFor();
    await training.locator('caption').getByText('培訓：不涉及真實款項').waitFor();
    await screenshot(money, 'books-two-environments-zh-HK');
    await screenshot(panel, 'books-order-other-environment-zh-HK');
  });
});
