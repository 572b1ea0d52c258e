import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPrintService } from '../../electron/services/printing/printService';
import { slipToText } from '../../electron/services/printing/renderSlip';
import { chargeAndPay } from '../support/app';
import { browserAvailable, downloaded, screenshot } from '../support/browser';
import { browserOnSimulator } from '../support/browserApp';

/**
 * Issue 24, item 7, in web mode at a shop counter's 1366 x 768: after an export the manager's screen
 * names the file and says where it went (the browser's downloads folder), in English and in
 * Chinese; the file is the one named, with the journal's columns. Item 8: the X slip of the same
 * till, drawn at 80 mm, with its times whole. Pictures under QFPOS_SHOTS (default
 * /work/shots-24-csv) as well as test-results/screens.
 */
const SHOTS = process.env.QFPOS_SHOTS ?? '/work/shots-24-csv';
const PIN = '482193';

async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(join(SHOTS, `${name}.png`), await screenshot(page, name));
}

/** Typed as a person types: fast keys are taken for a barcode scanner. */
async function type(page: Page, label: string | RegExp, text: string) {
  const field = page.getByLabel(label);
  await field.click();
  await field.pressSequentially(text, { delay: 70 });
}

describe.skipIf(!browserAvailable)("the day's CSV from the manager's screen (web mode)", { timeout: 90_000 }, () => {
  const { simulator, app, screen, newPage } = browserOnSimulator();
  let page: Page;
  let sale = '';

  beforeAll(async () => {
    sale = await chargeAndPay(app, simulator, { amount: 23_040, wallet: 'alipay' });
    // The PIN and the refund of HK$30.00 through the till's own handlers, before the screen opens.
    expect(await app.dispatch('cashier', 'managerSetPin', { pin: PIN })).toMatchObject({ ok: true });
    expect(await app.dispatch('cashier', 'managerUnlock', { pin: PIN })).toMatchObject({ ok: true });
    expect(await app.dispatch('cashier', 'managerRefund', { outTradeNo: sale, amount: 3_000 })).toMatchObject({ ok: true, value: { refund: { state: 'succeeded' } } });
    page = await screen('cashier', { acceptDownloads: true, viewport: { width: 1366, height: 768 }, timeout: 10_000 });
    await page.getByRole('button', { name: 'Manager' }).click();
    await type(page, 'Manager PIN', PIN);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByTestId('day-money').waitFor();
  }, 60_000);

  async function exportAndRead(button: string) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button, exact: true }).click()]);
    const bytes = await downloaded(download);
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(SHOTS, download.suggestedFilename()), bytes);
    const rows = parse(bytes, { bom: true, columns: true }) as Record<string, string>[];
    return { file: download.suggestedFilename(), rows };
  }

  it('in English: names the file and says it went to the browser’s downloads folder', async () => {
    const { file, rows } = await exportAndRead('Export CSV');
    expect(file).toMatch(/^qfpay-[\w-]+-\d{4}-\d\d-\d\d-\w+\.csv$/);
    const said = page.getByRole('status').filter({ hasText: file });
    await said.waitFor();
    expect(await said.textContent()).toBe(`${file}: 1 payment, 1 refund. Saved in this browser's downloads folder.`);
    // What the file says: the payment's whole amount as its row's net, the refund a row of its own.
    expect(rows.find((row) => row.record_type === 'payment')).toMatchObject({ amount: '230.40', refunded_in_refund_rows: '30.00', row_net_on_day: '230.40', z_period: '1', z_period_open: 'yes' });
    expect(rows.find((row) => row.record_type === 'refund')).toMatchObject({ original_out_trade_no: sale, row_net_on_day: '-30.00', z_period: '1', z_period_open: 'yes' });
    for (const row of rows) expect(row.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    await shot(page, 'export-message-en');
  });

  it('in Chinese: names the file and says it went to the browser’s downloads folder', async () => {
    await page.getByRole('button', { name: 'Back to the till' }).click();
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('button', { name: '經理', exact: true }).click();
    // Leaving the manager's screen may lock it: the PIN again, typed, if it asks.
    await Promise.race([page.getByTestId('day-money').waitFor(), page.getByLabel('經理密碼', { exact: true }).waitFor()]);
    if (await page.getByLabel('經理密碼', { exact: true }).isVisible()) {
      await type(page, '經理密碼', PIN);
      await page.getByRole('button', { name: '解鎖' }).click();
    }
    await page.getByTestId('day-money').waitFor();
    const { file } = await exportAndRead('匯出 CSV');
    const said = page.getByRole('status').filter({ hasText: file });
    await said.waitFor();
    expect(await said.textContent()).toBe(`${file}：1 筆收款，1 筆退款。已儲存到此瀏覽器的下載資料夾。`);
    await shot(page, 'export-message-zh-HK');
    await page.getByRole('button', { name: '返回收銀' }).click();
    await page.getByRole('button', { name: 'English' }).click();
  });

  it('draws the X slip of the same till at 80 mm with each time whole on its line', async () => {
    // The till's own print service on its ledger, as Print report uses it, with 80 mm paper.
    const slips = createPrintService({ store: app.runtime.store, printer: () => undefined, paper: () => 80, header: () => ({ shopName: '蛋撻 Tart House', tillId: app.runtime.config.tillId }) });
    const svg = slips.preview('period', 'X');
    const text = slipToText(slips.markup('period', 'X'), 80).split('\n');
    expect(text.filter((line) => /\d\d:\d\d:\d\d$/.test(line.trimEnd()))).toHaveLength(3);
    for (const line of text) expect(line.trimEnd()).not.toMatch(/\d\d:\d?$|^\s*\d?:\d\d$/);
    await slips.stop();
    const slip = await newPage({ viewport: { width: 700, height: 900 } });
    await slip.setContent(`<body style="margin:16px;background:#ddd"><div style="background:#fff;display:inline-block;padding:8px">${svg}</div></body>`);
    await shot(slip, 'x-slip-80mm');
  });
});
