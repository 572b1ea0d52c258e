import { parse } from 'csv-parse/sync';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shipPending } from '../../electron/services/headOffice/shipper';
import { migrateHeadOffice } from '../../electron/services/headOffice/postgresSchema';
import { closePeriod } from '../../electron/services/reports/periods';
import { formatHKD } from '../../shared/money';
import { browserAvailable, downloaded, screenshot, setFirstManagerPin } from '../support/browser';
import { chargeAndPay } from '../support/app';
import { browserOnSimulator } from '../support/browserApp';
import { postgresAvailable, startPostgres, type TestPostgres } from '../support/postgres';
import { openTestTill, type TestTill } from '../support/till';

/**
 * The manager's store view in Chromium: three tills of one merchant shipped to a real PostgreSQL,
 * seen from the till at the front, through the real bridge, services and head office.
 */
describe.skipIf(!browserAvailable || !postgresAvailable)("the store view in a browser", { timeout: 90_000 }, () => {
  let postgres: TestPostgres;
  let office: URL;
  let page: Page;
  const others: TestTill[] = [];
  const traffic: string[] = [];
  // What each till took: the front till through the app, the others beside it.
  const sales = { front: [1230, 4500], back: [2000, 350], side: [9900] } as const;
  const total = Object.values(sales).flat().reduce((sum, amount) => sum + amount, 0);

  // The head office's PostgreSQL before the app that ships to it, and removed after it.
  beforeAll(async () => {
    postgres = await startPostgres();
    office = new URL(await postgres.createDatabase());
  }, 60_000);
  afterAll(async () => {
    await postgres?.remove();
  });
  const { simulator, app, newPage } = browserOnSimulator({ env: { QFPOS_TILL: 'front' }, app: () => ({ headOffice: office }) });

  beforeAll(async () => {
    for (const amount of sales.front) {
      await chargeAndPay(app, simulator, { amount, wallet: 'alipay' });
      await app.dispatch('cashier', 'newSale', {});
    }
    await app.runtime.headOffice?.shipNow();

    const pool = new pg.Pool({ connectionString: office.href });
    const client = await pool.connect();
    await migrateHeadOffice(client);
    for (const tillId of ['back', 'side'] as const) {
      const till = openTestTill(simulator, { tillId, gateway: app.runtime.till.settings.gateway });
      others.push(till);
      for (const amount of sales[tillId]) {
        const order = await till.till.charge({ wallet: tillId === 'back' ? 'fps' : 'wechat', amount });
        await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
      }
      await till.till.checkOpenOrders({ includeWatched: false });
      // The back till closed its period: its Z report is the store's to see.
      if (tillId === 'back') closePeriod(till.store, { tillId, now: Date.now(), isMine: () => true });
      await shipPending(till.db, client, { tillId });
    }
    client.release();
    await pool.end();

    page = await newPage({ acceptDownloads: true, viewport: { width: 1280, height: 1100 }, timeout: 10_000 });
    page.on('response', (response) => {
      if (response.url().includes('/api/')) void response.text().then((body) => traffic.push(body), () => undefined);
    });
    await page.goto(app.bridge.pairingLink('cashier'));
    await page.getByRole('button', { name: 'Manager' }).click();
    await setFirstManagerPin(page, '482193');
    await page.getByTestId('day-money').waitFor();
  }, 60_000);

  afterAll(() => {
    for (const till of others) till.close();
  });

  it("shows the store's day: its totals the sum of the three tills', each till's net, and the back till's Z report", async () => {
    await page.getByRole('tab', { name: 'Store' }).click();
    const totals = page.getByTestId('store-totals-custom');
    await totals.waitFor();
    expect(await totals.getByTestId('total-net').textContent()).toBe(formatHKD(total, 'en'));
    expect(await totals.getByTestId('total-payments').textContent()).toBe(`5 · ${formatHKD(total, 'en')}`);
    const byTill = page.getByTestId('store-by-till');
    for (const [tillId, amounts] of Object.entries(sales)) {
      const row = byTill.locator(`tr[data-till="${tillId}"]`);
      expect(await row.locator('td').nth(3).textContent()).toBe(formatHKD(amounts.reduce((sum, amount) => sum + amount, 0), 'en'));
    }
    expect(await page.getByTestId('store-z-reports').locator('tbody tr').count()).toBe(1);
    expect(await page.getByTestId('store-z-reports').locator('tbody th').textContent()).toBe('back');
    expect(await page.getByTestId('store-orders').locator('tbody tr').count()).toBe(5);
    // Every till's books behind the day verify against its chain, and the view says so in one line.
    expect(await page.getByTestId('books-verified').textContent()).toMatch(/^\d+ records behind the store's day verified against each till's chain\.$/);
    expect(await page.getByTestId('books-broken').count()).toBe(0);
    await screenshot(page, 'store-view-en');
  });

  it('filters the orders by till, wallet and state; the totals stay the whole store', async () => {
    const orders = page.getByTestId('store-orders').locator('tbody tr');
    await page.getByLabel('Till', { exact: true }).selectOption('back');
    await page.getByText('2 orders across the store').waitFor();
    expect(await orders.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-till')))).toEqual(['back', 'back']);
    await page.getByLabel('Till', { exact: true }).selectOption('');
    await page.getByLabel('Wallet', { exact: true }).selectOption('wechat');
    await page.getByText('1 order across the store').waitFor();
    await page.getByLabel('Wallet', { exact: true }).selectOption('');
    await page.getByLabel('State', { exact: true }).selectOption('cancelled');
    await page.getByText('0 orders across the store').waitFor();
    await page.getByLabel('State', { exact: true }).selectOption('');
    await page.getByText('5 orders across the store').waitFor();
    expect(await page.getByTestId('store-totals-custom').getByTestId('total-net').textContent()).toBe(formatHKD(total, 'en'));
  });

  it("matches the other tills' payments when the store is compared with QFPay", async () => {
    await page.getByRole('button', { name: 'Check the day with QFPay' }).click();
    const sentence = page.getByTestId('reconcile-sentence');
    await sentence.waitFor();
    expect(await sentence.textContent()).toMatch(/Agrees with QFPay at \d\d:\d\d: 5 matched\./);
  });

  it("exports the store's CSV: the till's columns, every till's rows", async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: "Export the store's CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^qfpay-store-\d{4}-\d\d-\d\d-custom\.csv$/);
    const rows = parse(await downloaded(download), { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.map((row) => row.till).sort()).toEqual(['back', 'back', 'front', 'front', 'side']);
    const net = rows.reduce((sum, row) => sum + Math.round(Number(row.row_net_on_day) * 100), 0);
    expect(net).toBe(total);
    await page.getByText(/^qfpay-store-.*Saved in this browser's downloads folder\.$/).waitFor();
  });

  it('keeps the head office password write-only in Settings, and says how many tills share the limit', async () => {
    const PASSWORD = 'office-secret-never-shown-77';
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByLabel('Head office (PostgreSQL)').fill('postgres://till:inline@office.example:5432/store');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Put the head office password in its own field, not in the address.').waitFor();
    await page.getByLabel('Head office (PostgreSQL)').fill('postgres://till@office.example:5432/store');
    await page.getByLabel('Head office password').fill(PASSWORD);
    await page.getByLabel('Tills on this QFPay account').fill('8');
    await page.getByText('this till keeps to 50 a minute').waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/^Saved\. Restart the app/).waitFor();
    expect(await page.getByLabel('Head office password').inputValue()).toBe('');
    expect(await page.getByLabel('Head office password').getAttribute('placeholder')).toBe('set (type to replace)');
    await page.getByLabel('Head office (PostgreSQL)').scrollIntoViewIfNeeded();
    await screenshot(page, 'store-settings-head-office-en');
    // Sent once, in the save; never sent back.
    expect(traffic.filter((body) => body.includes(PASSWORD))).toEqual([]);
    expect(await app.dispatch('cashier', 'managerUnlock', { pin: '482193' })).toMatchObject({ ok: true });
    const read = await app.dispatch('cashier', 'managerReadSettings', {});
    expect(read).toMatchObject({ ok: true });
    expect(JSON.stringify(read)).not.toContain(PASSWORD);
  });

  it('reads in Chinese', async () => {
    await page.getByRole('tab', { name: 'Day' }).click();
    await page.getByRole('button', { name: 'Back to the till' }).click();
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('button', { name: '經理' }).click();
    await page.getByLabel('經理密碼').fill('482193');
    await page.getByRole('button', { name: '解鎖' }).click();
    await page.getByRole('tab', { name: '全店' }).click();
    await page.getByText('全店共 5 張訂單').waitFor();
    await page.getByText('按收銀機').waitFor();
    await screenshot(page, 'store-view-zh-HK');
  });
});
