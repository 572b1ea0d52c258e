import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../electron/cli/exitCodes';
import { runCli } from '../../electron/cli/main';
import { startVirtualPrinter, type VirtualPrinter } from '../../electron/services/printing/virtualPrinter';
import { startTestSimulator, tempFolder, tillEnvironment, type TestSimulator } from '../support/simulator';

/** `npm run cli -- receipt`: a real ledger made by the CLI's own charge, a real TCP printer. */
describe('npm run cli -- receipt', () => {
  let simulator: TestSimulator;
  let printer: VirtualPrinter;
  let folder: ReturnType<typeof tempFolder>;
  let env: NodeJS.ProcessEnv;
  let number = '';

  beforeAll(async () => {
    simulator = await startTestSimulator();
    printer = await startVirtualPrinter();
    folder = tempFolder('qfpos-receipt-');
    env = { ...tillEnvironment(simulator, folder.path), QFPOS_PRINTER: printer.url };
    const charged = await runCli(['charge', '--amount', '88.80', '--wallet', 'wechat', '--json'], env);
    number = (charged.json as { order: { outTradeNo: string } }).order.outTradeNo;
    await simulator.control('POST', `orders/${number}/pay`);
    await runCli(['reconcile'], env);
  });
  afterAll(async () => {
    await printer?.close();
    await simulator?.stop();
    folder?.remove();
  });

  it('shows the slip as text and writes its preview, printing nothing', async () => {
    const svg = join(folder.path, 'slip.svg');
    const shown = await runCli(['receipt', number, '--svg', svg], env);
    expect(shown.exitCode).toBe(EXIT.ok);
    const text = shown.lines.join('\n');
    expect(text).toContain(number);
    expect(text).toContain('HK$88.80');
    // A custom gateway is real money: no training banner.
    expect(text).not.toContain('TRAINING');
    expect(readFileSync(svg, 'utf8').startsWith('<svg')).toBe(true);
    expect(printer.printed()).toEqual([]);
  });

  it('prints it on QFPOS_PRINTER; with the printer off it says so, exits 4 and keeps it queued', async () => {
    const printed = await runCli(['receipt', number, '--print'], env);
    expect(printed.exitCode).toBe(EXIT.ok);
    expect(printed.lines.at(-1)).toBe(`printed on ${printer.url}`);
    expect(printer.printed().at(-1)?.bytes.includes(iconv.encode(number, 'big5'))).toBe(true);

    await printer.off();
    const off = await runCli(['receipt', number, '--print', '--json'], env);
    expect(off.exitCode).toBe(EXIT.unknown);
    expect(off.lines.at(-1)).toMatch(/^not printed: the printer at 127\.0\.0\.1:\d+ could not be reached \(ECONNREFUSED\)\. The slip stays queued/);
    await printer.on();
    const count = printer.printed().length;
    // The next print sends what waited, oldest first, then this one.
    expect((await runCli(['receipt', number, '--print'], env)).exitCode).toBe(EXIT.ok);
    expect(printer.printed().length).toBe(count + 2);
  });

  it('refuses in words: no such order, no printer, a bad printer address', async () => {
    expect((await runCli(['receipt', 'nope-123'], env)).lines[0]).toBe('error: no refund nope-123 in this ledger');
    const { QFPOS_PRINTER: _printer, ...bare } = env;
    expect((await runCli(['receipt', number, '--print'], bare)).exitCode).toBe(EXIT.usage);
    expect((await runCli(['receipt', number], { ...env, QFPOS_PRINTER: 'http://printer' })).exitCode).toBe(EXIT.usage);
  });
});
