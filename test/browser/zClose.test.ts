import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { chargeAndPay } from '../support/app';
import { browserAvailable } from '../support/browser';
import { browserOnSimulator } from '../support/browserApp';

/**
 * Issue 24, item 4: the Z close as a deliberate act, on the manager's Reports tab, at a till's
 * 1366×768, in English and in Chinese (the till's 中文 button). The close is a box apart from the
 * X report; its dialog states what it closes and asks for the Z number; Escape changes nothing; a
 * close's result sits at the top of the page without a file path; an empty period offers no
 * close; a refusal says what is open. Each state is kept as test-results/zclose/*.png.
 */
const SHOTS = join(process.cwd(), 'test-results', 'zclose');
async function shot(target: Page | Locator, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await target.screenshot({ path: join(SHOTS, `${name}.png`) });
}

const PIN = '482193';

const WORDS = {
  en: {
    manager: 'Manager',
    newPin: 'New PIN',
    repeatPin: 'Repeat the PIN',
    setPin: 'Set the PIN and unlock',
    dayTab: 'Day',
    reportsTab: 'Reports and close',
    printX: 'Print the X report',
    closeTitle: (n: number) => `Close the period: Z ${n}`,
    closeButton: (n: number) => `Close period Z ${n}…`,
    dialogTitle: (n: number) => `Close period Z ${n}?`,
    money: 'custom gateway: 2 payments HK$57.30 · 0 refunds HK$0.00 · net HK$57.30',
    check: 'Check the day with QFPay',
    agrees: /: agrees with QFPay \(checked at \d\d:\d\d, 2 matched\)\.$/,
    unknown: null,
    typeToConfirm: (n: number) => `Type ${n} to confirm`,
    confirm: (n: number) => `Close Z ${n} now`,
    wrong: (n: number) => `That is not ${n}: type ${n} to close Z ${n}.`,
    closed: 'Z 1 closed: 2 payments, 0 refunds, HK$57.30 net. QFPay agrees. Backup kept.',
    nothing: /^Nothing to close: no payments or refunds since Z 1 closed at \d{4}-\d\d-\d\d \d\d:\d\d\.$/,
    noClosed: 'No closed period touches this day.',
    blocked: 'The close is refused until these are resolved:',
    refused: 'Z 2 was not closed.',
    ordersOpen: 'Orders waiting for QFPay: 1',
    openPeriod: (n: number) => `Open period: X report, to become Z ${n}`,
    pinLabel: 'Manager PIN',
    unlock: 'Unlock',
  },
  'zh-HK': {
    manager: '經理',
    newPin: '新密碼',
    repeatPin: '再次輸入密碼',
    setPin: '設定密碼並解鎖',
    dayTab: '當日',
    reportsTab: '報表及結算',
    printX: '列印 X 報表',
    closeTitle: (n: number) => `結算期間：Z ${n}`,
    closeButton: (n: number) => `結算 Z ${n}…`,
    dialogTitle: (n: number) => `結算 Z ${n}？`,
    money: '自訂閘道：2 筆收款 HK$57.30 · 0 筆退款 HK$0.00 · 淨額 HK$57.30',
    check: null,
    agrees: null,
    unknown: /：尚未與 QFPay 核對：結算時會先向 QFPay 核對。$/,
    typeToConfirm: (n: number) => `輸入 ${n} 以確認`,
    confirm: (n: number) => `立即結算 Z ${n}`,
    wrong: (n: number) => `輸入的不是 ${n}：請輸入 ${n} 以結算 Z ${n}。`,
    closed: 'Z 1 已結算：2 筆收款、0 筆退款，淨額 HK$57.30。與 QFPay 相符。已保留備份。',
    nothing: /^沒有需要結算的項目：自 Z 1 於 \d{4}-\d\d-\d\d \d\d:\d\d 結算後，未有收款或退款。$/,
    noClosed: '沒有涉及此日的已結算期間。',
    blocked: '須先處理以下項目，否則不能結算：',
    refused: 'Z 2 未有結算。',
    ordersOpen: '等待 QFPay 回覆的訂單：1',
    openPeriod: (n: number) => `未結算期間：X 報表，結算後成為 Z ${n}`,
    pinLabel: '經理密碼',
    unlock: '解鎖',
  },
} as const;

for (const language of ['en', 'zh-HK'] as const) {
  const w = WORDS[language];
  describe.skipIf(!browserAvailable)(`the Z close on the Reports tab, in ${language}`, { timeout: 60_000 }, () => {
    const { simulator, app, screen } = browserOnSimulator();
    let page: Page;
    const errors: string[] = [];
    const zCount = () => (app.runtime.store.db.prepare('SELECT COUNT(*) AS count FROM z_periods').get() as { count: number }).count;
    const dialog = () => page.getByRole('dialog');
    const closeBox = () => page.getByTestId('close-period');
    const typeSlowly = (text: string) => page.keyboard.type(text, { delay: 70 });

    beforeAll(async () => {
      await chargeAndPay(app, simulator, { amount: 1230, wallet: 'alipay' });
      await chargeAndPay(app, simulator, { amount: 4500, wallet: 'fps' });
      page = await screen('cashier', { viewport: { width: 1366, height: 768 }, timeout: 5_000, errors });
      await page.getByRole('button', { name: 'Manager', exact: true }).waitFor();
      if (language === 'zh-HK') {
        await page.getByRole('button', { name: '中文' }).click();
        await page.locator('html[lang="zh-HK"]').waitFor();
      }
      await page.getByRole('button', { name: w.manager, exact: true }).click();
      await page.getByLabel(w.newPin).fill(PIN);
      await page.getByLabel(w.repeatPin).fill(PIN);
      await page.getByRole('button', { name: w.setPin }).click();
      await page.getByRole('tab', { name: w.dayTab }).waitFor();
    }, 30_000);

    it('reaches the Reports tab from the Day tab by the keyboard: the books are no longer on the Day tab', async () => {
      expect(await page.getByTestId('open-period').count()).toBe(0);
      expect(await page.getByTestId('reconciliation').count()).toBe(0);
      await page.getByRole('tab', { name: w.dayTab }).focus();
      await page.keyboard.press('ArrowRight');
      const tab = page.getByRole('tab', { name: w.reportsTab });
      expect(await tab.getAttribute('aria-selected')).toBe('true');
      expect(await tab.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
      await page.getByTestId('open-period').getByRole('heading', { name: w.openPeriod(1) }).waitFor();
      await shot(page, `${language}-1-reports-tab`);
    });

    it('keeps the close in a box of its own, apart from the X report and its Print button', async () => {
      const x = page.getByTestId('open-period');
      await x.getByRole('button', { name: w.printX }).waitFor();
      // Nothing in the X report's box closes anything.
      expect(await x.getByRole('button', { name: w.closeButton(1) }).count()).toBe(0);
      await closeBox().getByRole('heading', { name: w.closeTitle(1) }).waitFor();
      const button = closeBox().getByRole('button', { name: w.closeButton(1) });
      expect(await button.getAttribute('class')).not.toContain('primary');
      const xBox = await x.boundingBox();
      const zBox = await closeBox().boundingBox();
      // Below the X report, not overlapping it.
      expect(zBox && xBox && zBox.y >= xBox.y + xBox.height).toBe(true);
      await closeBox().scrollIntoViewIfNeeded();
      await shot(page, `${language}-2-close-box-apart`);
    });

    if (w.check) {
      it('compares the day with QFPay first (English: the dialog then says it agrees)', async () => {
        const section = page.getByTestId('reconciliation');
        await section.getByRole('button', { name: w.check }).click();
        await section.getByText(/^Agrees with QFPay at \d\d:\d\d: 2 matched\.$/).waitFor({ timeout: 10_000 });
      });
    }

    it('states what the close will close; confirm stays off until the number is typed; a wrong number is refused in words', async () => {
      await closeBox().getByRole('button', { name: w.closeButton(1) }).click();
      await dialog().getByRole('heading', { name: w.dialogTitle(1) }).waitFor();
      expect(await dialog().getAttribute('aria-modal')).toBe('true');
      expect(await dialog().getByTestId('close-money').textContent()).toContain(w.money);
      const qfpay = dialog().getByTestId('close-qfpay');
      if (w.agrees) await qfpay.getByText(w.agrees).waitFor();
      if (w.unknown) await qfpay.getByText(w.unknown).waitFor();
      const confirm = dialog().getByRole('button', { name: w.confirm(1) });
      expect(await confirm.isDisabled()).toBe(true);
      // The field has the focus: typed at a person's pace.
      const field = dialog().getByLabel(w.typeToConfirm(1));
      expect(await field.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
      await typeSlowly('7');
      await dialog().getByText(w.wrong(1)).waitFor();
      expect(await confirm.isDisabled()).toBe(true);
      await page.keyboard.press('Enter');
      expect(zCount()).toBe(0);
      await shot(page, `${language}-3-dialog-wrong-number`);
      // Tab stays in the dialog.
      for (let step = 0; step < 4; step++) await page.keyboard.press('Tab');
      expect(await page.locator('dialog').evaluate((element) => element.contains(element.ownerDocument.activeElement))).toBe(true);
    });

    it('cancels on Escape: nothing closed, the focus back on the button that opened it', async () => {
      await page.keyboard.press('Escape');
      await dialog().waitFor({ state: 'detached' });
      expect(zCount()).toBe(0);
      await page.getByTestId('closed-periods').getByText(w.noClosed).waitFor();
      await page.getByTestId('open-period').getByRole('heading', { name: w.openPeriod(1) }).waitFor();
      await expect.poll(() => closeBox().evaluate((element) => element.ownerDocument.activeElement?.textContent)).toBe(w.closeButton(1));
    });

    it('closes Z 1 once its number is typed: the result at the top of the page, in view, with no path, and no close offered for the empty period', async () => {
      await closeBox().getByRole('button', { name: w.closeButton(1) }).click();
      await dialog().getByLabel(w.typeToConfirm(1)).waitFor();
      if (language === 'zh-HK') await typeSlowly('Z 1');
      else await typeSlowly('1');
      const confirm = dialog().getByRole('button', { name: w.confirm(1) });
      expect(await confirm.isEnabled()).toBe(true);
      await shot(page, `${language}-4-dialog-ready`);
      await confirm.click();
      const banner = page.getByTestId('close-result');
      await banner.waitFor({ timeout: 15_000 });
      await dialog().waitFor({ state: 'detached' });
      expect(zCount()).toBe(1);
      expect(await banner.getAttribute('role')).toBe('status');
      const words = (await banner.locator('.close-banner-words').textContent())?.trim();
      expect(words).toBe(w.closed);
      expect(await banner.textContent()).not.toMatch(/[/\\]/);
      // In view, focused, and not inside the next period's box.
      const box = await banner.boundingBox();
      expect(box && box.y >= 0 && box.y + box.height <= 768).toBe(true);
      expect(await banner.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
      expect(await page.getByTestId('open-period').getByTestId('close-result').count()).toBe(0);
      await shot(page, `${language}-5-closed-banner`);

      await page.getByTestId('open-period').getByRole('heading', { name: w.openPeriod(2) }).waitFor();
      await closeBox().getByTestId('nothing-to-close').getByText(w.nothing).waitFor();
      expect(await closeBox().getByRole('button').count()).toBe(0);
      await page.getByTestId('closed-periods').locator('article[data-z="1"]').waitFor();
      await closeBox().scrollIntoViewIfNeeded();
      await shot(page, `${language}-6-nothing-to-close`);
    });

    it('prints the reports page without the close box or the result', async () => {
      await page.emulateMedia({ media: 'print' });
      expect(await page.getByTestId('print-header').isVisible()).toBe(true);
      expect(await page.getByTestId('closed-periods').isVisible()).toBe(true);
      expect(await page.getByTestId('open-period').isVisible()).toBe(true);
      expect(await closeBox().isVisible()).toBe(false);
      expect(await page.getByTestId('close-result').isVisible()).toBe(false);
      expect(await page.getByRole('tab').first().isVisible()).toBe(false);
      await page.screenshot({ path: join(SHOTS, `${language}-7-print.png`), fullPage: true });
      await page.emulateMedia({ media: 'screen' });
    });

    it('refuses a close while an order is open, saying what is open', async () => {
      const charged = (await app.dispatch('cashier', 'charge', { amount: 990, wallet: 'wechat' })) as { value: { order: { outTradeNo: string } } };
      // The Reports tab reads the books again when it is shown again.
      await page.getByRole('tab', { name: w.dayTab }).click();
      await page.getByRole('tab', { name: w.reportsTab }).click();
      await closeBox().getByRole('button', { name: w.closeButton(2) }).click();
      await dialog().getByText(w.blocked).waitFor();
      await dialog().locator('.counts').first().getByText(w.ordersOpen).waitFor();
      await typeSlowly('2');
      await dialog().getByRole('button', { name: w.confirm(2) }).click();
      const refused = dialog().getByTestId('close-refused');
      await refused.getByText(w.refused, { exact: false }).waitFor();
      await refused.getByText(w.ordersOpen).waitFor();
      expect(zCount()).toBe(1);
      await shot(page, `${language}-8-refused`);
      await page.keyboard.press('Escape');
      await dialog().waitFor({ state: 'detached' });
      await app.dispatch('cashier', 'cancel', { outTradeNo: charged.value.order.outTradeNo });
    });

    it('comes back to the Reports tab after a reload and the PIN (the manager keeps their place)', async () => {
      await page.reload();
      await page.getByTestId('locked-by-till').waitFor({ timeout: 15_000 });
      await page.getByLabel(w.pinLabel, { exact: true }).pressSequentially(PIN, { delay: 70 });
      await page.getByRole('button', { name: w.unlock, exact: true }).click();
      await page.getByTestId('open-period').getByRole('heading', { name: w.openPeriod(2) }).waitFor();
      expect(await page.getByRole('tab', { name: w.reportsTab }).getAttribute('aria-selected')).toBe('true');
      expect(errors).toEqual([]);
    });
  });
}
