import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrintService, SlipNotFound, type PrintService } from '../../electron/services/printing/printService';
import { parsePrinterTarget } from '../../electron/services/printing/tcpPrinter';
import { slipBytesToText, startVirtualPrinter, type VirtualPrinter } from '../../electron/services/printing/virtualPrinter';
import { closePeriod } from '../../electron/services/reports/periods';
import { tillsOnSimulator, type TestTill } from '../support/till';

const contains = (bytes: Buffer, text: string) => bytes.includes(iconv.encode(text, 'big5'));

/** Slips queued in a real ledger and sent to a real TCP printer on 127.0.0.1 that goes off and hangs. */
describe('the slip queue', () => {
  const { simulator, open } = tillsOnSimulator();
  let printer: VirtualPrinter;
  let test: TestTill;
  let slips: PrintService;

  beforeAll(async () => {
    printer = await startVirtualPrinter();
    test = open({ tillId: 'front' });
    slips = printService(5_000);
  });
  afterAll(async () => {
    await slips?.stop();
    await printer?.close();
  });

  // A printer on this machine answers in milliseconds: the long wait is only ever used on a busy
  // machine, and the hang test waits out a short one of its own.
  const printService = (timeoutMs: number) =>
    createPrintService({ store: test.store, printer: () => parsePrinterTarget(printer.url), paper: () => 80, header: () => ({ shopName: '茶餐廳', tillId: 'front' }), timeoutMs });

  async function paidOrder(amount: number) {
    const order = await test.till.charge({ wallet: 'alipay', amount, alipayRegion: 'ALIPAYHK' });
    await simulator.control('POST', `orders/${order.outTradeNo}/pay`);
    await test.till.checkOpenOrders({ includeWatched: false });
    return test.till.order(order.outTradeNo);
  }

  it("prints a paid order's slip with its order number and QFPay's syssn", async () => {
    const order = await paidOrder(4_250);
    const slip = await slips.printNow('payment', order.outTradeNo);
    expect(slip).toMatchObject({ state: 'printed', attempts: 1, lastError: null });
    const bytes = printer.printed().at(-1)?.bytes as Buffer;
    expect([...bytes.subarray(0, 2)]).toEqual([0x1b, 0x40]);
    expect(contains(bytes, order.outTradeNo)).toBe(true);
    expect(contains(bytes, order.syssn as string)).toBe(true);
    expect(slipBytesToText(bytes)).toContain('PAID 已付款');
  });

  it('leaves the sale paid and the slip queued while the printer is off, then prints it once when it is back', async () => {
    const order = await paidOrder(1_800);
    await printer.off();
    const before = printer.printed().length;
    const slip = await slips.printNow('payment', order.outTradeNo);
    expect(slip).toMatchObject({ state: 'not_printed', attempts: 1, lastError: expect.stringMatching(/could not be reached \(ECONNREFUSED\)/) });
    expect(test.till.order(order.outTradeNo)).toMatchObject({ state: 'paid', amount: 1_800, refunded: 0 });
    expect(slips.notPrinted().map((item) => item.ref)).toEqual([order.outTradeNo]);

    await printer.on();
    await slips.retryNow();
    expect(slips.latest('payment', order.outTradeNo)).toMatchObject({ state: 'printed', attempts: 2 });
    expect(printer.printed().length).toBe(before + 1);
    expect(slips.notPrinted()).toEqual([]);
  });

  it('does not call a slip printed while the printer hangs, nor send it again by itself (it may still print): a reprint does', async () => {
    const order = await paidOrder(990);
    const hung = printService(300);
    printer.hang(true);
    expect(await hung.printNow('payment', order.outTradeNo)).toMatchObject({ state: 'not_printed', errorCode: 'no_answer', lastError: expect.stringMatching(/did not confirm the slip/) });
    printer.hang(false);
    const before = printer.printed().length;
    await hung.retryNow();
    expect(slips.latest('payment', order.outTradeNo)).toMatchObject({ state: 'not_printed', errorCode: 'no_answer' });
    expect(printer.printed().length).toBe(before);
    // The cashier saw nothing come out, and reprints: that very slip, once.
    expect(await slips.printNow('payment', order.outTradeNo)).toMatchObject({ state: 'printed', attempts: 2 });
    expect(printer.printed().length).toBe(before + 1);
    await hung.stop();
  });

  it('prints a refund slip and the Z report, and refuses a slip for nothing in words', async () => {
    const order = await paidOrder(5_000);
    const refund = await test.till.refund(order.outTradeNo, 1_200);
    expect(await slips.printNow('refund', refund.outTradeNo)).toMatchObject({ state: 'printed' });
    const refundBytes = printer.printed().at(-1)?.bytes as Buffer;
    expect(contains(refundBytes, refund.outTradeNo)).toBe(true);
    expect(contains(refundBytes, order.outTradeNo)).toBe(true);

    const report = closePeriod(test.store, { tillId: 'front', now: Date.now(), isMine: () => true });
    expect(await slips.printNow('period', String(report.number))).toMatchObject({ state: 'printed' });
    expect(slipBytesToText(printer.printed().at(-1)?.bytes as Buffer)).toContain(`Z report ${report.number}`);
    expect(() => slips.queue('payment', 'no-such-order')).toThrow(SlipNotFound);
  });
});
