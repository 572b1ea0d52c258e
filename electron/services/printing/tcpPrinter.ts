import { connect } from 'node:net';
import type { PrinterAddress } from '../../../shared/receipts/printerAddress';
import { STATUS_REQUEST } from './renderSlip';

export { parsePrinterTarget, parsePrinterUrl, type PrinterAddress, type PrinterTarget } from '../../../shared/receipts/printerAddress';

/**
 * A network receipt printer: raw bytes to TCP port 9100, as Epson TM, Star and Xprinter models
 * take them. A printer that is off, refuses or hangs fails the job within `timeoutMs` with words;
 * it never holds anything else up (the caller queues the slip and tries again).
 */

export class PrinterUnavailable extends Error {
  constructor(
    readonly reason: 'refused' | 'timeout' | 'network',
    detail: string,
  ) {
    super(detail);
    this.name = 'PrinterUnavailable';
  }
}

/**
 * Sends a slip, then asks the printer for its paper status (GS r 1). The printer answers that
 * after it has processed everything before it, so its answer is the proof the slip went through;
 * a printer that takes the bytes and then jams, or hangs, never answers, and the job fails on its
 * timeout rather than being called printed.
 */
export function sendToPrinter(address: PrinterAddress, bytes: Buffer, options: { timeoutMs?: number } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  return new Promise((resolve, reject) => {
    const where = `${address.host}:${address.port}`;
    const socket = connect({ host: address.host, port: address.port });
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(() => settle(new PrinterUnavailable('timeout', `the printer at ${where} did not confirm the slip within ${timeoutMs / 1000} s`)), timeoutMs);
    socket.once('error', (error: NodeJS.ErrnoException) => {
      settle(new PrinterUnavailable(error.code === 'ECONNREFUSED' ? 'refused' : 'network', `the printer at ${where} could not be reached (${error.code ?? error.message})`));
    });
    socket.once('connect', () => socket.write(Buffer.concat([bytes, STATUS_REQUEST])));
    socket.once('data', () => settle());
    // Hung up without answering: busy with another job, faulted, or never took the slip. Not
    // printed; tried again. (A printer that hangs up after printing would print twice: the
    // printers this app names all answer GS r.)
    socket.once('end', () => settle(new PrinterUnavailable('refused', `the printer at ${where} hung up without confirming the slip`)));
  });
}
