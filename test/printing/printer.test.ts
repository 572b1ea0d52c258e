import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slipToEscPos, slipToSvg } from '../../electron/services/printing/renderSlip';
import { parsePrinterUrl, PrinterUnavailable, sendToPrinter } from '../../electron/services/printing/tcpPrinter';
import { slipBytesToText, startVirtualPrinter, type VirtualPrinter } from '../../electron/services/printing/virtualPrinter';
import { paymentSlip, refundSlip, slipText } from '../../shared/receipts/slips';

const header = { shopName: '茶餐廳 Tea|House', tillId: 'front', training: false };
const facts = {
  outTradeNo: 'front-20261203-0001AB',
  syssn: '20261203154900020000123456',
  amount: 12_345,
  wallet: 'alipay',
  alipayRegion: 'ALIPAYHK',
  state: 'paid',
  at: Date.UTC(2026, 11, 3, 7, 49),
  refunded: 0,
} as const;

const contains = (bytes: Buffer, text: string) => bytes.includes(iconv.encode(text, 'big5'));

describe('a payment slip', () => {
  it('is ESC/POS for the printer: ESC @ first, a cut last, the numbers and the Chinese in Big5', () => {
    const bytes = slipToEscPos(paymentSlip(header, facts), 80);
    expect([...bytes.subarray(0, 2)]).toEqual([0x1b, 0x40]);
    // GS V: the cut (function B, feed then cut), nothing after it.
    expect([...bytes.subarray(-4, -2)]).toEqual([0x1d, 0x56]);
    expect(contains(bytes, facts.outTradeNo)).toBe(true);
    expect(contains(bytes, facts.syssn)).toBe(true);
    expect(contains(bytes, '茶餐廳')).toBe(true);
    expect(contains(bytes, '支付寶')).toBe(true);
    expect(contains(bytes, 'HK$123.45')).toBe(true);
    const text = slipBytesToText(bytes);
    expect(text).toContain('Tea|House');
    expect(text).toContain('AlipayHK');
    expect(text).toContain('支付寶香港');
  });

  it('is SVG for the preview, with nothing fetched from the internet', () => {
    const svg = slipToSvg(paymentSlip(header, facts), 58);
    expect(svg.startsWith('<svg')).toBe(true);
    // One element a character: the text read as a person reads it.
    const shown = svg.replace(/<[^>]+>/g, '').replace(/&#xa0;/g, ' ');
    expect(shown).toContain(facts.outTradeNo);
    expect(shown).toContain('茶餐廳');
    expect(svg.match(/https?:\/\/[^"']+/g)?.filter((url) => url !== 'http://www.w3.org/2000/svg') ?? []).toEqual([]);
  });

  it('says training at its top and its bottom when no real money moved', () => {
    const markup = paymentSlip({ ...header, training: true }, facts);
    const lines = markup.split('\n');
    expect(lines[0]).toContain('TRAINING');
    expect(lines.slice(-4).join('\n')).toContain('TRAINING');
    const bytes = slipToEscPos(markup, 80);
    const big5 = iconv.encode('培訓', 'big5');
    const at = [bytes.indexOf(big5), bytes.lastIndexOf(big5)];
    expect(at[0]).toBeGreaterThan(0);
    expect(at[1]).toBeGreaterThan(bytes.indexOf(iconv.encode(facts.syssn, 'big5')));
  });

  it('keeps text from people plain: a bar, braces or a caret never become markup', () => {
    expect(slipText('A|B {x} ^^big^^ -')).toBe('A\\|B \\{x\\} \\^\\^big\\^\\^ \\-');
    // ESC p would open the cash drawer: a control character in a name is never a command.
    const bytes = slipToEscPos(paymentSlip({ ...header, shopName: 'Tea\x1bp\x000House' }, facts), 80);
    expect(bytes.includes(Buffer.from([0x1b, 0x70]))).toBe(false);
    expect(slipText('Tea\x1bp\x00House')).toBe('Tea p House');
  });

  it('a refund slip names the original order, the refund and what is left to refund', () => {
    const bytes = slipToEscPos(refundSlip(header, { orderOutTradeNo: facts.outTradeNo, refundOutTradeNo: 'front-R-0002', syssn: '2026120300001', wallet: 'fps', amount: 2_000, state: 'succeeded', at: facts.at, refundableLeft: 10_345 }), 80);
    const text = slipBytesToText(bytes);
    expect(text).toContain(facts.outTradeNo);
    expect(text).toContain('front-R-0002');
    expect(text).toContain('HK$103.45');
    expect(text).toContain('已退款');
  });
});

describe('a network printer on port 9100', () => {
  let printer: VirtualPrinter;
  const bytes = slipToEscPos(paymentSlip(header, facts), 80);
  beforeAll(async () => {
    printer = await startVirtualPrinter();
  });
  afterAll(async () => printer?.close());

  it('takes the slip and confirms it with its paper status', async () => {
    await sendToPrinter(parsePrinterUrl(printer.url) as { host: string; port: number }, bytes);
    expect(printer.printed().at(-1)?.bytes.equals(bytes)).toBe(true);
  });

  it('is refused in words when it is off or hangs up, and does not take a slip while it hangs', async () => {
    const address = parsePrinterUrl(printer.url) as { host: string; port: number };
    await printer.off();
    const refused = await sendToPrinter(address, bytes, { timeoutMs: 2_000 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PrinterUnavailable);
    expect(refused).toMatchObject({ reason: 'refused', message: expect.stringMatching(/^the printer at 127\.0\.0\.1:\d+ could not be reached \(ECONNREFUSED\)$/) });
    await printer.on();
    printer.hang(true);
    const before = printer.printed().length;
    const hung = await sendToPrinter(address, bytes, { timeoutMs: 300 }).catch((error: unknown) => error);
    expect(hung).toMatchObject({ reason: 'timeout' });
    expect(printer.printed().length).toBe(before);
    printer.hang(false);
    printer.refuse(true);
    const hungUp = await sendToPrinter(address, bytes, { timeoutMs: 2_000 }).catch((error: unknown) => error);
    expect(hungUp).toBeInstanceOf(PrinterUnavailable);
    expect((hungUp as Error).message).toMatch(/hung up without confirming the slip|could not be reached \(ECONNRESET\)/);
    expect(printer.printed().length).toBe(before);
    printer.refuse(false);
  });

  it('reads tcp:// addresses, the port 9100 unless named', () => {
    expect(parsePrinterUrl('tcp://192.168.1.50:9100')).toEqual({ host: '192.168.1.50', port: 9100 });
    expect(parsePrinterUrl('tcp://printer.local')).toEqual({ host: 'printer.local', port: 9100 });
    for (const bad of ['http://192.168.1.50', '192.168.1.50', 'tcp://x:99999', 'tcp://x:9100/path']) expect(parsePrinterUrl(bad)).toBeUndefined();
  });
});
