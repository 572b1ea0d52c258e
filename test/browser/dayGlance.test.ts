import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { spanAround } from '../../shared/daySpan';
import { hongKongDay, hongKongDayRange } from '../../shared/hkTime';
import { chargeAndPay } from '../support/app';
import { browserAvailable, setFirstManagerPin } from '../support/browser';
import { browserOnSimulator } from '../support/browserApp';

/**
 * Issue 24, item 5: the manager's day reads as a shop's day, not an engineer's ledger. At
 * 1366x768 the sales at a glance come first (net, count, average, one table by wallet, a chart by
 * hour, what waits for a manager) and the orders start in the first screen; an order is found by
 * amount, number or QFPay's last digits; a week or a month is one choice away, for the list, the
 * figures and the export; and the open order (its refund) sits beside the list, not at the page's
 * bottom. In English and in Chinese, and at 1024 wide.
 */
const SHOTS = 'test-results/glance';
const HOUR = 3_600_000;

describe.skipIf(!browserAvailable)("the manager's day at a glance", { timeout: 120_000 }, () => {
  const { simulator, app, newPage } = browserOnSimulator({ app: { poll: false } });
  let page: Page;
  // A Tuesday and the Wednesday after it, in the coming weeks: the sales are made there on the app's clock.
  let tuesday: string;
  let wednesday: string;
  const sales: Record<'a' | 'b' | 'c' | 'd', string> = { a: '', b: '', c: '', d: '' };
  let syssnOfA = '';

  const at = (day: string, hours: number) => hongKongDayRange(day).start + hours * HOUR;
  const moveTo = (instant: number) => app.advance(instant - app.runtime.clock());

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    let day = hongKongDay(Date.now() + 2 * 24 * HOUR);
    while (new Date(`${day}T12:00:00Z`).getUTCDay() !== 2) day = hongKongDay(hongKongDayRange(day).end);
    tuesday = day;
    wednesday = hongKongDay(hongKongDayRange(day).end);
    moveTo(at(tuesday, 10.25));
    sales.a = await chargeAndPay(app, simulator, { amount: 1250, wallet: 'alipay' });
    moveTo(at(tuesday, 14.2));
    sales.b = await chargeAndPay(app, simulator, { amount: 8800, wallet: 'wechat' });
    moveTo(at(tuesday, 14.5));
    sales.c = await chargeAndPay(app, simulator, { amount: 8800, wallet: 'fps' });
    moveTo(at(wednesday, 11.1));
    sales.d = await chargeAndPay(app, simulator, { amount: 4000, wallet: 'payme' });
    syssnOfA = app.runtime.store.order(app.runtime.store.orderByNumber(sales.a)!.id).syssn ?? '';
    page = await newPage({ viewport: { width: 1366, height: 768 }, timeout: 10_000 });
    await page.goto(app.bridge.pairingLink('cashier'));
    await page.locator('.status').waitFor();
    await page.getByRole('button', { name: 'Manager' }).click();
    await setFirstManagerPin(page, '482193');
    await page.getByTestId('day-money').waitFor();
  }, 90_000);

  const showDay = async (day: string) => {
    const field = page.locator('.day-picker .day-field');
    await field.fill(day);
    await page.getByRole('heading', { name: new RegExp(day) }).first().waitFor();
  };
  const heading = () => page.locator('#orders-heading');
  const rows = () => page.getByTestId('orders-table').locator('tr[data-order]');

  it('puts the day at a glance first: net, count, average, one table by wallet, a chart by hour', async () => {
    await showDay(tuesday);
    await page.getByRole('heading', { name: `Sales on ${tuesday}` }).waitFor();
    expect(await page.getByTestId('glance-net').textContent()).toBe('HK$188.50');
    expect(await page.getByTestId('glance-count').textContent()).toBe('3');
    // 188.50 / 3 = 62.8333: rounded to the cent, in integers.
    expect(await page.getByTestId('glance-average').textContent()).toBe('HK$62.83');
    expect(await page.getByTestId('glance-needs').textContent()).toContain('Nothing waits');
    // One table by wallet on the page, not the day's and the period's side by side.
    expect(await page.locator('.day-view table.money-table').count()).toBe(1);
    const chart = page.getByTestId('sales-chart');
    expect(await chart.getAttribute('data-unit')).toBe('hour');
    expect(await chart.locator('g[data-slot]').count()).toBe(24);
    expect(await chart.locator('g[data-slot="14"]').getAttribute('data-amount')).toBe('17600');
    expect(await chart.locator('g[data-slot="10"]').getAttribute('data-amount')).toBe('1250');
    expect(await chart.locator('g[data-slot="12"]').getAttribute('data-amount')).toBe('0');
    expect(await page.getByTestId('sales-busiest').textContent()).toBe('Busiest hour: 14:00 to 15:00, HK$176.00');
    // The orders start in the first screen, nothing scrolled.
    expect(await page.evaluate(() => (globalThis as unknown as { scrollY: number }).scrollY)).toBe(0);
    const firstRow = await rows().first().boundingBox();
    expect(firstRow !== null && firstRow.y + firstRow.height <= 768).toBe(true);
    await page.screenshot({ path: `${SHOTS}/en-glance-day.png` });
  });

  it("finds an order by QFPay's last digits, by amount, by part of its number; says when nothing matches", async () => {
    const search = page.getByRole('searchbox', { name: 'Find an order' });
    await search.click();
    await page.keyboard.type(syssnOfA.slice(-4), { delay: 70 });
    await heading().filter({ hasText: 'Orders (1)' }).waitFor();
    expect(await rows().first().getAttribute('data-order')).toBe(sales.a);
    await search.fill('HK$88.00');
    await heading().filter({ hasText: 'Orders (2)' }).waitFor();
    expect(new Set(await rows().evaluateAll((found) => found.map((row) => row.getAttribute('data-order'))))).toEqual(new Set([sales.b, sales.c]));
    await search.fill(sales.c.slice(-6).toLowerCase());
    await heading().filter({ hasText: 'Orders (1)' }).waitFor();
    expect(await rows().first().getAttribute('data-order')).toBe(sales.c);
    await search.fill('no such order');
    await page.getByTestId('no-match').getByText('No order matches “no such order”.').waitFor();
    await page.screenshot({ path: `${SHOTS}/en-search-none.png` });
    // Escape empties the search: every order of the day again.
    await search.press('Escape');
    await heading().filter({ hasText: 'Orders (3)' }).waitFor();
    expect(await page.getByTestId('no-match').count()).toBe(0);
  });

  it('shows the week: the list, the figures by day and the export all span it', async () => {
    const week = spanAround(tuesday, 'week');
    await page.getByLabel('Show').selectOption('week');
    await page.getByRole('heading', { name: `Sales in the week ${week.from} to ${week.to}` }).waitFor();
    await heading().filter({ hasText: 'Orders (4)' }).waitFor();
    expect(await page.getByTestId('glance-net').textContent()).toBe('HK$228.50');
    const chart = page.getByTestId('sales-chart');
    expect(await chart.getAttribute('data-unit')).toBe('day');
    expect(await chart.locator('g[data-slot]').count()).toBe(7);
    expect(await chart.locator(`g[data-slot="${wednesday}"]`).getAttribute('data-amount')).toBe('4000');
    // Across days each time says its day.
    expect(await rows().filter({ hasText: sales.d }).textContent()).toContain(`${wednesday.slice(5)} 11:06`);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = (await download).suggestedFilename();
    expect(file).toContain(week.from);
    expect(file).toContain(week.to);
    await page.locator('.day-view > .notice').filter({ hasText: file }).waitFor();
    await page.screenshot({ path: `${SHOTS}/en-glance-week.png` });
  });

  it('opens an order beside the list, refunds it there, and closes it', async () => {
    await rows().filter({ hasText: sales.b }).click();
    const aside = page.getByTestId('order-aside');
    await aside.getByTestId('order-panel').waitFor();
    const list = (await page.getByTestId('orders-table').boundingBox())!;
    const panel = (await aside.boundingBox())!;
    expect(panel.x).toBeGreaterThanOrEqual(list.x + list.width);
    const amount = aside.getByLabel('Refund amount (empty for all that is left)');
    const field = (await amount.boundingBox())!;
    expect(field.y + field.height).toBeLessThanOrEqual(768);
    await page.screenshot({ path: `${SHOTS}/en-order-beside.png` });
    await amount.click();
    await page.keyboard.type('10', { delay: 70 });
    await aside.getByRole('button', { name: /^Refund/ }).click();
    await aside.getByTestId('order-confirm').getByRole('button', { name: 'Confirm' }).click();
    await aside.locator('[data-testid="order-said"][data-tone="good"]').waitFor();
    await page.getByTestId('glance-refunds').filter({ hasText: '1 · HK$10.00' }).waitFor();
    expect(await page.getByTestId('glance-net').textContent()).toBe('HK$218.50');
    await aside.getByRole('button', { name: 'Close' }).click();
    expect(await page.getByTestId('order-aside').count()).toBe(0);
  });

  it('says it all in Chinese', async () => {
    await page.getByRole('button', { name: 'Back to the till' }).click();
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('button', { name: '經理' }).click();
    await page.getByLabel('經理密碼').fill('482193');
    await page.getByLabel('經理密碼').press('Enter');
    await page.getByTestId('day-money').waitFor();
    // "Back to the till" let go of the place: the manager's screen opens on today again.
    await page.getByRole('heading', { name: `${hongKongDay(Date.now())} 的銷售` }).waitFor();
    await showDay(wednesday);
    const week = spanAround(tuesday, 'week');
    await page.getByLabel('顯示').selectOption('week');
    await page.getByRole('heading', { name: `${week.from} 至 ${week.to} 一週的銷售` }).waitFor();
    expect(await page.getByTestId('sales-busiest').textContent()).toBe(`最繁忙日子：${tuesday}，HK$188.50`);
    await page.getByLabel('顯示').selectOption('day');
    await showDay(tuesday);
    await page.getByRole('heading', { name: `${tuesday} 的銷售` }).waitFor();
    expect(await page.getByTestId('glance-needs').textContent()).toContain('沒有待處理事項');
    expect(await page.getByTestId('sales-busiest').textContent()).toBe('最繁忙時段：14:00 至 15:00，HK$176.00');
    const search = page.getByRole('searchbox', { name: '搜尋訂單' });
    await search.fill('88');
    await heading().filter({ hasText: /2/ }).waitFor();
    expect(await rows().count()).toBe(2);
    await search.fill('找不到');
    await page.getByTestId('no-match').getByText('沒有訂單符合「找不到」。').waitFor();
    await search.press('Escape');
    await rows().filter({ hasText: sales.a }).click();
    await page.getByTestId('order-aside').getByTestId('order-panel').waitFor();
    await page.screenshot({ path: `${SHOTS}/zh-glance-order.png` });
    await page.getByTestId('order-aside').getByRole('button', { name: '關閉' }).click();
  });

  it('at 1024 wide, opens the order as a sheet over the list, wide enough to read', async () => {
    await page.setViewportSize({ width: 1024, height: 768 });
    await rows().filter({ hasText: sales.c }).click();
    const aside = page.getByTestId('order-aside');
    await aside.getByTestId('order-panel').waitFor();
    const box = (await aside.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(400);
    expect(box.x + box.width).toBeLessThanOrEqual(1024);
    await page.screenshot({ path: `${SHOTS}/zh-order-sheet-1024.png` });
    // Escape from inside it closes it, as the Close button does.
    await aside.getByRole('button', { name: '關閉' }).focus();
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('order-aside').count()).toBe(0);
  });
});
