import { readFileSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashAnyPin } from '../../electron/services/settings/managerPin';
import { formatHongKongTimestamp } from '../../shared/hkTime';
import { browserAvailable, screenshot } from '../support/browser';
import { browserOnSimulator } from '../support/browserApp';
import { TEST_PIN_COST } from '../support/pinCost';

/** The manager's PIN gate in Chromium: a locked PIN says until when, in both languages; an old short PIN is changed first. */
describe.skipIf(!browserAvailable)('the PIN gate in a browser', { timeout: 60_000 }, () => {
  const { app, restartApp, screen } = browserOnSimulator({ app: { poll: false } });
  let page: Page;

  beforeAll(async () => {
    expect(await app.dispatch('cashier', 'managerSetPin', { pin: '482193' })).toMatchObject({ ok: true });
    page = await screen('cashier', { viewport: { width: 1180, height: 760 }, timeout: 5_000 });
    await page.getByRole('button', { name: 'Manager' }).click();
  }, 30_000);

  const tryPin = async (label: string, button: string, pin: string) => {
    await page.getByLabel(label, { exact: true }).fill(pin);
    await page.getByRole('button', { name: button }).click();
  };
  /** When the lock ends, as the settings file keeps it, in Hong Kong time (with its date, past midnight). */
  const lockEnds = () => {
    const end = formatHongKongTimestamp(JSON.parse(readFileSync(app.settingsPath, 'utf8')).pinGuard.lockedUntil as number);
    return end.slice(0, 10) === formatHongKongTimestamp(app.runtime.clock()).slice(0, 10) ? end.slice(11, 16) : end.slice(0, 16);
  };

  it('after five wrong PINs, says until when the PIN is locked, and refuses the right one too, in English', async () => {
    for (const left of ['4 tries left.', '3 tries left.', '2 tries left.', '1 try left.']) {
      await tryPin('Manager PIN', 'Unlock', '000000');
      await page.getByText(`That PIN is not right. ${left}`).waitFor();
    }
    await tryPin('Manager PIN', 'Unlock', '000000');
    // Read from the settings once the screen says it is locked: the lock is saved by then.
    await page.getByRole('alert').getByText(/^Too many wrong PINs/).waitFor();
    const words = `Too many wrong PINs: the PIN can be tried again at ${lockEnds()} Hong Kong time (in 5 min). Until then even the right PIN is refused.`;
    await page.getByRole('alert').getByText(words).waitFor();
    await tryPin('Manager PIN', 'Unlock', '482193');
    await page.getByRole('alert').getByText(words).waitFor();
    expect(await page.getByTestId('day-money').count()).toBe(0);
    await screenshot(page, 'pin-locked-en');
  });

  it('says the same in Chinese', async () => {
    await page.getByRole('button', { name: 'Back to the till' }).click();
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('button', { name: '經理' }).click();
    app.advance(2 * 60_000);
    await tryPin('經理密碼', '解鎖', '482193');
    await page.getByRole('alert').getByText(`密碼錯誤次數過多：須待香港時間 ${lockEnds()}（3 分鐘後）才可再試。在此之前，即使輸入正確密碼亦會被拒絕。`).waitFor();
    await screenshot(page, 'pin-locked-zh-HK');
    app.advance(3 * 60_000);
    await tryPin('經理密碼', '解鎖', '482193');
    await page.getByRole('tab', { name: '當日' }).waitFor();
    await page.getByRole('button', { name: '返回收銀' }).click();
    await page.getByRole('button', { name: 'English' }).click();
  });

  it('asks for a new 6-8 digit PIN before anything else when an older four-digit PIN unlocks', async () => {
    // A till set up before the six-digit rule, restarted on its folder and address.
    await app.shutDown();
    const file = JSON.parse(readFileSync(app.settingsPath, 'utf8'));
    writeFileSync(app.settingsPath, JSON.stringify({ ...file, managerPin: await hashAnyPin('4821', TEST_PIN_COST) }));
    await restartApp();
    await page.reload();
    // A restarted app's first page is loaded and drawn afresh: more than a click's 5 s on a loaded machine.
    await page.getByRole('button', { name: 'Manager' }).click({ timeout: 20_000 });
    await tryPin('Manager PIN', 'Unlock', '4821');
    await page.getByRole('heading', { name: 'Choose a new manager PIN (6 to 8 digits)' }).waitFor();
    await page.getByText('This PIN is shorter than PINs may now be, and too easy to guess. Choose a new one of 6 to 8 digits before going on.').waitFor();
    expect(await page.getByRole('tab').count()).toBe(0);
    await page.getByLabel('New PIN').fill('4821');
    await page.getByLabel('Repeat the PIN').fill('4821');
    await page.getByRole('button', { name: 'Change the PIN and continue' }).click();
    await page.getByRole('alert').getByText('A new manager PIN is 6 to 8 digits, numbers only.').waitFor();
    await screenshot(page, 'pin-change-required-en');
    await page.getByLabel('New PIN').fill('48219370');
    await page.getByLabel('Repeat the PIN').fill('48219370');
    await page.getByRole('button', { name: 'Change the PIN and continue' }).click();
    await page.getByTestId('day-money').waitFor();
    expect(JSON.parse(readFileSync(app.settingsPath, 'utf8')).managerPin).not.toHaveProperty('mustChange');
  });
});
