import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable } from '../support/browser';
import { browserOnSimulator } from '../support/browserApp';
import { customerCode } from '../support/customerCodes';

/**
 * A barcode scanner at the cashier's keyboard (QFPay CPM): it types the customer's code as fast
 * keystrokes ending in Enter. Playwright's keyboard types it the same way, key by key, with no
 * delay between keys; a person's keys are typed 120 ms apart.
 */
describe.skipIf(!browserAvailable)("the customer's code from a scanner", { timeout: 90_000 }, () => {
  const { simulator, app, screen } = browserOnSimulator();
  let cashier: Page;

  beforeAll(async () => {
    cashier = await screen('cashier', { viewport: { width: 1366, height: 768 } });
    await cashier.getByText('Ready for the next sale.').waitFor();
  }, 60_000);

  /** A person's keys, 120 ms apart, and then the moment it takes to pick up the scanner. */
  const person = async (text: string) => {
    await cashier.keyboard.type(text, { delay: 120 });
    await cashier.waitForTimeout(400);
  };
  const scan = async (code: string) => {
    await cashier.keyboard.type(code);
    await cashier.keyboard.press('Enter');
  };
  const status = () => cashier.getByRole('status').first();
  const nextSale = async () => {
    await cashier.keyboard.press('Escape');
    await cashier.keyboard.press('Escape');
    await status().getByText('Ready for the next sale.').waitFor();
  };

  it('an amount, then a scan: paid at once, the wallet from the code, the code never shown whole', async () => {
    await person('42');
    const code = customerCode.alipay();
    await scan(code);
    await status().getByText('Paid.').waitFor();
    const [order] = app.runtime.store.recentOrders(1);
    expect(order).toMatchObject({ amount: 4200, wallet: 'alipay', mode: 'cpm', state: 'paid' });
    await cashier.getByText(`HK$42.00 · Alipay · code ${code.slice(0, 2)}…${code.slice(-4)}`).waitFor();
    expect(await cashier.content()).not.toContain(code);
    expect(await cashier.getByTestId('amount').textContent()).toBe('HK$42.00');
  });

  it('a scan while an amount is half-typed: the digits never mix, and the amount is the one typed', async () => {
    await nextSale();
    await person('1');
    // The customer holds out the code before the cashier finishes: the scan comes mid-amount.
    const code = customerCode.wechat();
    await scan(code);
    await status().getByText('Paid.').waitFor();
    expect(app.runtime.store.recentOrders(1)[0]).toMatchObject({ amount: 100, wallet: 'wechat', mode: 'cpm' });
    expect(await cashier.getByTestId('amount').textContent()).toBe('HK$1.00');
  });

  it('a scan with no amount charges nothing and says why; a half-read scan is never sent', async () => {
    await nextSale();
    const before = app.runtime.store.recentOrders(1)[0]?.outTradeNo;
    await scan(customerCode.wechat());
    await cashier.getByRole('alert').getByText("Type the amount first, then scan the customer's code again.", { exact: false }).waitFor();
    await person('5');
    // The scanner loses the code halfway: no Enter follows.
    await cashier.keyboard.type(customerCode.alipay().slice(0, 9));
    await cashier.getByRole('alert').getByText('The scan was not complete', { exact: false }).waitFor();
    expect(await cashier.getByTestId('amount').textContent()).toBe('HK$5.00');
    expect(app.runtime.store.recentOrders(1)[0]?.outTradeNo).toBe(before);
  });

  it('a wallet asking the customer for a password: waiting for them, then paid', async () => {
    await nextSale();
    await simulator.control('PUT', 'cpm', { passwordFromMinor: 50_000 });
    await person('688');
    await scan(customerCode.wechat());
    await status().getByText('The customer is confirming the payment in their wallet.').waitFor();
    const [order] = app.runtime.store.recentOrders(1);
    expect(order).toMatchObject({ amount: 68_800, state: 'waiting', mode: 'cpm' });
    await simulator.control('POST', `orders/${order?.outTradeNo}/pay`);
    await app.runtime.poller.reconcile();
    await status().getByText('Paid.').waitFor();
  });

  it('QFPay still processing (1145): the customer is waiting, then the wallet declines and the till says so', async () => {
    await nextSale();
    // At HK$500 and above the simulator's wallet asks the customer; its answer is held back as 1145.
    await simulator.control('PUT', 'cpm', { passwordFromMinor: 50_000 });
    await simulator.control('PUT', 'faults/payment', { kind: 'respcd', respcd: '1145', afterProcessing: true, times: 1 });
    await person('612');
    await scan(customerCode.alipay());
    await status().getByText('The customer is confirming the payment in their wallet.').waitFor();
    const [order] = app.runtime.store.recentOrders(1);
    expect(order).toMatchObject({ amount: 61_200, state: 'waiting', respcd: '1145', mode: 'cpm' });
    // No second charge while it waits: a new scan is refused at the counter.
    await scan(customerCode.alipay());
    await cashier.getByRole('alert').getByText('A sale is open', { exact: false }).waitFor();
    // Nor does F7 open the code field while it waits.
    await cashier.keyboard.press('F7');
    expect(await cashier.locator('.code-entry').count()).toBe(0);
    await simulator.control('POST', `orders/${order?.outTradeNo}/fail`, { respcd: '1201' });
    await app.runtime.poller.reconcile();
    await status().getByText('Payment failed', { exact: false }).waitFor();
    expect(app.runtime.store.recentOrders(2).filter((row) => row.mode === 'cpm' && row.createdAt >= (order?.createdAt ?? 0))).toHaveLength(1);
  });

  it('F7 takes a code typed by hand, in a field that does not show it', async () => {
    await nextSale();
    await person('9');
    await cashier.keyboard.press('F7');
    const field = cashier.getByLabel("Customer's payment code: scan it, or type it and press Enter");
    await field.waitFor();
    // Drawn as dots, and not a password field (a browser would offer to save the code).
    expect(await field.getAttribute('type')).toBe('text');
    const dots = await cashier.evaluate(() => {
      const view = globalThis as unknown as { document: { querySelector(selector: string): unknown }; getComputedStyle(element: unknown): { getPropertyValue(name: string): string } };
      return view.getComputedStyle(view.document.querySelector('.code-entry input')).getPropertyValue('-webkit-text-security');
    });
    expect(dots).toBe('disc');
    await field.pressSequentially(customerCode.alipay(), { delay: 30 });
    await field.press('Enter');
    await status().getByText('Paid.').waitFor();
    expect(app.runtime.store.recentOrders(1)[0]).toMatchObject({ amount: 900, wallet: 'alipay', mode: 'cpm' });
  });
});
