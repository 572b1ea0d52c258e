import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parsePrinterTarget } from '../../electron/services/printing/tcpPrinter';
import { startVirtualPrinter, type VirtualPrinter } from '../../electron/services/printing/virtualPrinter';
import { appOnSimulator, chargeAndPay } from '../support/app';

/** The app's own printing: the slip of each payment when it is paid, through the real POS service. */
describe('printing when a payment is confirmed', () => {
  let printer: VirtualPrinter;

  // The printer before the app that prints on it, and closed after it.
  beforeAll(async () => {
    printer = await startVirtualPrinter();
  });
  afterAll(async () => {
    await printer?.close();
  });
  const { simulator, app } = appOnSimulator({}, () => ({ poll: true, printer: parsePrinterTarget(printer.url) }));

  async function sale(amount: number) {
    const number = await chargeAndPay(app, simulator, { amount, wallet: 'fps' });
    await app.dispatch('cashier', 'newSale', {});
    return number;
  }

  const today = async () => ((await app.dispatch('cashier', 'todayOrders', {})) as unknown as { value: { orders: { outTradeNo: string; state: string }[]; notPrinted: string[] } }).value;

  it("prints the customer's slip as soon as the payment is confirmed", async () => {
    const number = await sale(2_500);
    await vi.waitFor(() => expect(printer.printed().some((slip) => slip.bytes.includes(iconv.encode(number, 'big5')))).toBe(true));
    expect((await today()).notPrinted).toEqual([]);
  });

  it('with the printer off, the sale is paid at once and the slip waits as not printed; a reprint sends it once', async () => {
    await printer.off();
    const number = await sale(1_100);
    expect((await today()).orders.find((order) => order.outTradeNo === number)?.state).toBe('paid');
    await vi.waitFor(async () => expect((await today()).notPrinted).toEqual([number]));
    await printer.on();
    const before = printer.printed().length;
    const reprinted = (await app.dispatch('cashier', 'printSlip', { kind: 'payment', ref: number })) as { ok: boolean };
    expect(reprinted.ok).toBe(true);
    await vi.waitFor(async () => expect((await today()).notPrinted).toEqual([]));
    expect(printer.printed().length).toBe(before + 1);
    const preview = (await app.dispatch('cashier', 'slipPreview', { kind: 'payment', ref: number })) as { value: { svg: string; slip: { state: string; attempts: number } } };
    expect(preview.value.slip).toMatchObject({ state: 'printed', attempts: 2 });
    expect(preview.value.svg.startsWith('<svg')).toBe(true);
  });
});
