import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../../shared/ipc/contract';
import { startTestApp, type TestApp } from '../support/app';
import { browserAvailable, launchChromium, payTrainingSale } from '../support/browser';
import { browserOnSimulator } from '../support/browserApp';

/** Where issue 24's pictures of the Settings form and the day field go, one per state and language. */
const SHOTS = process.env.QFPOS_SHOTS_24 ?? join(process.cwd(), 'test-results', 'shots-24-settings');
const PIN = '482193';
/** A person's pace: faster keys are taken for a barcode scan and swallowed on the manager's screen. */
const PACE = { delay: 70 };
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });

const WORDS = {
  en: {
    manager: 'Manager',
    pin: 'Manager PIN',
    unlock: 'Unlock',
    day: 'Day',
    settings: 'Settings',
    back: 'Back to the till',
    lock: 'Lock',
    save: 'Save',
    shopName: 'Shop name',
    poll: 'Check every (seconds)',
    shopNameWrong: 'The shop name must be 1-60 characters.',
    pollWrong: 'The poll interval must be 2 to 10 seconds.',
    twoToFix: 'Nothing was saved: 2 fields need fixing: Shop name; Check every (seconds). Each is marked in red, with the reason under it.',
    unsaved: 'You have unsaved changes to Settings.',
    discard: 'Discard them',
    keep: 'Keep editing',
    appCode: 'App code',
    mchid: 'mchid (only if QFPay issued one)',
    businessDay: 'Business day',
    calendar: 'Calendar',
    dayInWords: 'Friday, 4 December 2026',
  },
  'zh-HK': {
    manager: '經理',
    pin: '經理密碼',
    unlock: '解鎖',
    day: '當日',
    settings: '設定',
    back: '返回收銀',
    lock: '鎖定',
    save: '儲存',
    shopName: '店名',
    poll: '查詢間隔（秒）',
    shopNameWrong: '店名須為 1 至 60 個字元。',
    pollWrong: '查詢間隔須為 2 至 10 秒。',
    twoToFix: '沒有儲存任何更改：有 2 個欄位需要修正：店名；查詢間隔（秒）。已以紅色標示，原因列於各欄位下方。',
    unsaved: '「設定」有未儲存的更改。',
    discard: '捨棄更改',
    keep: '繼續編輯',
    appCode: '應用程式代碼（app_code）',
    mchid: '商戶編號（mchid，只在 QFPay 有發出時填寫）',
    businessDay: '營業日',
    calendar: '日曆',
    dayInWords: '2026年12月4日星期五',
  },
} as const;

/**
 * Issue 24, items 6 and 9, at a shop counter's 1366×768 in both languages: a refused Save marks
 * each field where it is and says how many by Save; unsaved edits are not dropped without a
 * question (tabs, Back to the till, and the browser's own in web mode); zh-HK Settings in Chinese
 * words; the business day written YYYY-MM-DD, as the headings write it.
 */
describe.skipIf(!browserAvailable)('the Settings form and the day field at a counter, in both languages', { timeout: 90_000 }, () => {
  const { app, newPage } = browserOnSimulator({ app: { poll: false } });
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    expect(await app.dispatch('cashier', 'managerSetPin', { pin: PIN })).toMatchObject({ ok: true });
    page = await newPage({ viewport: { width: 1366, height: 768 }, timeout: 5_000 });
    await page.goto(app.bridge.pairingLink('cashier'));
  }, 30_000);


  async function openManager(language: Language) {
    const w = WORDS[language];
    await page.getByRole('button', { name: w.manager, exact: true }).click();
    await page.getByLabel(w.pin, { exact: true }).click();
    await page.keyboard.type(PIN, PACE);
    await page.getByRole('button', { name: w.unlock }).click();
    await page.getByRole('tab', { name: w.day }).waitFor();
  }

  /** Empties a field and types into it as a person does. */
  async function retype(label: string, text: string) {
    const field = page.getByLabel(label, { exact: true });
    await field.click();
    await field.press('ControlOrMeta+a');
    await field.press('Backspace');
    if (text) await page.keyboard.type(text, PACE);
  }

  for (const language of ['en', 'zh-HK'] as const) {
    const w = WORDS[language];

    it(`${language}: a refused Save marks each field where it is, focuses the first, and says how many by Save`, async () => {
      expect(await app.dispatch('cashier', 'setLanguage', { language })).toMatchObject({ ok: true });
      await page.locator(`html[lang="${language}"]`).waitFor();
      await openManager(language);
      await page.getByRole('tab', { name: w.settings }).click();
      const shopName = page.getByLabel(w.shopName, { exact: true });
      const savedName = await shopName.inputValue();
      await retype(w.shopName, '');
      await retype(w.poll, '30');
      // Emptied, a number field is empty (it once kept a 0, and typing after it gave "030").
      expect(await page.getByLabel(w.poll, { exact: true }).inputValue()).toBe('30');
      await page.getByRole('button', { name: w.save, exact: true }).click();

      // Each refused field: marked, its reason right under it and tied to it.
      for (const [label, words] of [
        [w.shopName, w.shopNameWrong],
        [w.poll, w.pollWrong],
      ] as const) {
        const input = page.getByLabel(label, { exact: true });
        await expect.poll(() => input.getAttribute('aria-invalid')).toBe('true');
        const describedBy = (await input.getAttribute('aria-describedby')) ?? '';
        expect(await page.locator(`[id="${describedBy.split(' ')[0]}"]`).textContent()).toBe(words);
        // Under its input, not far above it.
        const inputBox = (await input.boundingBox())!;
        const wordsBox = (await page.getByText(words, { exact: true }).boundingBox())!;
        expect(wordsBox.y - (inputBox.y + inputBox.height)).toBeGreaterThanOrEqual(0);
        expect(wordsBox.y - (inputBox.y + inputBox.height)).toBeLessThan(24);
      }
      // Fields Save did not refuse are not marked.
      expect(await page.getByLabel(w.appCode, { exact: true }).getAttribute('aria-invalid')).toBeNull();
      // The first refused field has the focus, and it and its reason are on screen.
      await expect.poll(() => shopName.evaluate((element) => element === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)).toBe(true);
      const reason = (await page.getByText(w.shopNameWrong, { exact: true }).boundingBox())!;
      expect(reason.y).toBeGreaterThan(0);
      expect(reason.y + reason.height).toBeLessThan(768);
      await shot(page, `settings-refused-field-${language}`);
      // By Save: how many fields to fix, not only that nothing was saved.
      const said = page.getByTestId('settings-said');
      expect(await said.textContent()).toBe(w.twoToFix);
      await said.scrollIntoViewIfNeeded();
      await shot(page, `settings-refused-summary-${language}`);

      // Putting it right takes the marks away on the next Save.
      await retype(w.shopName, savedName);
      await retype(w.poll, '3');
      await page.getByRole('button', { name: w.save, exact: true }).click();
      await expect.poll(() => shopName.getAttribute('aria-invalid')).toBeNull();
      expect(await said.getAttribute('class')).toBe('notice');
    });

    it(`${language}: asks before unsaved Settings edits are dropped (tabs, Back to the till, the browser's reload)`, async () => {
      const shopName = page.getByLabel(w.shopName, { exact: true });
      const savedName = await shopName.inputValue();
      // Nothing edited: the tabs change without a question.
      await page.getByRole('tab', { name: w.day }).click();
      await page.getByTestId('day-money').waitFor();
      expect(await page.getByTestId('unsaved-confirm').count()).toBe(0);
      await page.getByRole('tab', { name: w.settings }).click();

      // An edit, then another tab: asked, and Keep editing keeps it (and the focus where it was).
      await retype(w.shopName, 'Tea House');
      await page.getByRole('tab', { name: w.day }).click();
      const confirm = page.getByRole('alertdialog');
      await confirm.getByText(w.unsaved).waitFor();
      await expect.poll(() => confirm.getByRole('button', { name: w.keep }).evaluate((element) => element === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)).toBe(true);
      await shot(page, `settings-unsaved-tab-${language}`);
      // Only the question can be reached meanwhile: Tab stays in it.
      for (let step = 0; step < 3; step += 1) {
        await page.keyboard.press('Tab');
        expect(await confirm.evaluate((element) => element.contains((globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement as never))).toBe(true);
      }
      await confirm.getByRole('button', { name: w.keep }).click();
      expect(await page.getByRole('tab', { name: w.settings }).getAttribute('aria-selected')).toBe('true');
      // Back on the tab it was asked from.
      await expect.poll(() => page.getByRole('tab', { name: w.day }).evaluate((element) => element === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)).toBe(true);
      expect(await shopName.inputValue()).toBe('Tea House');
      // Escape keeps editing too.
      await page.getByRole('tab', { name: w.day }).click();
      await confirm.waitFor();
      await page.keyboard.press('Escape');
      await confirm.waitFor({ state: 'detached' });
      expect(await shopName.inputValue()).toBe('Tea House');

      // Web mode: the browser asks before a reload drops them; dismissed, the page stays as it was.
      const asked = page.waitForEvent('dialog');
      void page.evaluate(() => (globalThis as unknown as { location: { reload(): void } }).location.reload()).catch(() => undefined);
      const dialog = await asked;
      expect(dialog.type()).toBe('beforeunload');
      await dialog.dismiss();
      expect(await shopName.inputValue()).toBe('Tea House');

      // Back to the till: asked; Discard them drops the edit and goes.
      await page.getByRole('button', { name: w.back }).click();
      await confirm.getByText(w.unsaved).waitFor();
      await shot(page, `settings-unsaved-back-${language}`);
      await confirm.getByRole('button', { name: w.discard }).click();
      await page.getByRole('button', { name: w.manager, exact: true }).waitFor();
      await openManager(language);
      await page.getByRole('tab', { name: w.settings }).click();
      expect(await shopName.inputValue()).toBe(savedName);
      // And with nothing edited, no question: the browser's reload neither.
      await page.getByRole('tab', { name: w.day }).click();
      await page.getByTestId('day-money').waitFor();
      expect(await page.getByTestId('unsaved-confirm').count()).toBe(0);
    });

    it(`${language}: Settings labels in the screen's language, and the business day written as the headings write it`, async () => {
      await page.getByRole('tab', { name: w.settings }).click();
      await page.getByLabel(w.appCode, { exact: true }).waitFor();
      await page.getByLabel(w.mchid, { exact: true }).waitFor();
      if (language === 'zh-HK') {
        // No English label left but QFPay's own names, in brackets.
        const labels = await page.locator('.settings-form label').allInnerTexts();
        expect(labels.filter((text) => /\b(App code|mchid \(|Client key|Shop name)\b/.test(text))).toEqual([]);
      }
      await page.getByLabel(w.appCode, { exact: true }).scrollIntoViewIfNeeded();
      await shot(page, `settings-labels-${language}`);

      await page.getByRole('tab', { name: w.day }).click();
      const dayField = page.getByLabel(w.businessDay, { exact: true });
      const today = await dayField.inputValue();
      expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      await expect.poll(() => page.locator('#glance-heading').textContent()).toContain(today);
      // Typed at a person's pace, the day changes once it is whole; the heading follows, same format.
      await dayField.click();
      await dayField.press('ControlOrMeta+a');
      await page.keyboard.type('2026-12-04', PACE);
      expect(await dayField.inputValue()).toBe('2026-12-04');
      await page.getByTestId('day-in-words').getByText(w.dayInWords).waitFor();
      await expect.poll(() => page.locator('#glance-heading').textContent()).toContain('2026-12-04');
      // The browser's calendar is kept, behind its button; its field (drawn in the browser's locale) is never shown.
      await page.getByRole('button', { name: w.calendar }).waitFor();
      expect(await page.locator('.calendar-source').evaluate((element) => (globalThis as unknown as { getComputedStyle(element: unknown): { opacity: string } }).getComputedStyle(element).opacity)).toBe('0');
      await shot(page, `day-field-${language}`);
      // A half-typed day leaves the day shown alone, and says how to write one.
      await dayField.press('Backspace');
      await expect.poll(() => page.getByTestId('day-in-words').textContent()).toContain('2026-12-04');
      expect(await page.getByTestId('day-in-words').textContent()).not.toBe(w.dayInWords);
      expect(await dayField.getAttribute('aria-invalid')).toBe('true');
      await expect.poll(() => page.locator('#glance-heading').textContent()).toContain('2026-12-04');
      await shot(page, `day-field-half-typed-${language}`);
      await page.keyboard.type('4', PACE);
      await page.getByRole('button', { name: w.back }).click();
      await page.getByRole('button', { name: w.manager, exact: true }).waitFor();
    });
  }
});

/**
 * Issue 24, item 9: a demo till's money is captioned with the environment's name and the training
 * badge as two phrases, "Demo" then "Training: no real money", never run together as
 * "Demotraining: not real money" (zh 示範環境培訓...), in either language, at 1366×768.
 */
describe.skipIf(!browserAvailable)("a demo till's training caption, in both languages", { timeout: 60_000 }, () => {
  let demo: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    demo = await startTestApp(undefined);
    expect(await demo.dispatch('cashier', 'managerSetPin', { pin: PIN })).toMatchObject({ ok: true });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.setDefaultTimeout(5_000);
    await page.goto(demo.bridge.pairingLink('cashier'));
    await page.getByText('Ready for the next sale.').waitFor();
    // A training sale, paid on the demo gateway's own wallet page as a customer's phone opens it.
    await payTrainingSale(page, browser, () => demo.runtime.store.recentOrders(1)[0]?.qrcode as string, '3');
  }, 40_000);

  afterAll(async () => {
    await page?.close();
    await browser?.close();
    await demo?.stop();
  });

  for (const [language, caption] of [
    ['en', /^demo Training: no real money$/],
    ['zh-HK', /^示範環境 培訓：不涉及真實款項$/],
  ] as const) {
    it(`${language}: the environment and "training, no real money" read as two phrases`, async () => {
      const w = WORDS[language];
      expect(await demo.dispatch('cashier', 'setLanguage', { language })).toMatchObject({ ok: true });
      await page.locator(`html[lang="${language}"]`).waitFor();
      await page.getByRole('button', { name: w.manager, exact: true }).click();
      await page.getByLabel(w.pin, { exact: true }).click();
      await page.keyboard.type(PIN, PACE);
      await page.getByRole('button', { name: w.unlock }).click();
      const table = page.getByTestId('day-money').locator('table[data-environment="demo"]');
      await table.waitFor();
      expect(await table.locator('caption').textContent()).toMatch(caption);
      await shot(page, `training-caption-${language}`);
      await page.getByRole('button', { name: w.back }).click();
      await page.getByRole('button', { name: w.manager, exact: true }).waitFor();
    });
  }
});
