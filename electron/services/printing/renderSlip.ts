import receiptline from 'receiptline';
import { SLIP_CHARACTERS, type SlipPaper } from '../../../shared/receipts/slips';

/**
 * A slip's receiptline markup rendered for the printer (ESC/POS, Chinese in Big5 as cp950, which
 * common Hong Kong printers hold) and for the screen (SVG, drawn with the system's monospace font:
 * nothing is fetched, so the preview works offline).
 */
/** GS r 1 (transmit paper status): receiptline ends with it; the printer connection sends its own after the slip (tcpPrinter.ts). */
export const STATUS_REQUEST = Buffer.from([0x1d, 0x72, 0x31]);

/** The slip's bytes: ESC @ first, the cut last. */
export function slipToEscPos(markup: string, paper: SlipPaper): Buffer {
  // receiptline returns the bytes as a binary string, one character a byte.
  const bytes = Buffer.from(receiptline.transform(markup, { cpl: SLIP_CHARACTERS[paper], encoding: 'cp950', command: 'escpos', cutting: true, gradient: false }), 'latin1');
  return bytes.subarray(-STATUS_REQUEST.length).equals(STATUS_REQUEST) ? bytes.subarray(0, -STATUS_REQUEST.length) : bytes;
}

export function slipToSvg(markup: string, paper: SlipPaper): string {
  return receiptline.transform(markup, { cpl: SLIP_CHARACTERS[paper], encoding: 'cp950', command: 'svg' });
}

/** Plain text, for a terminal (the CLI's `receipt`). */
export function slipToText(markup: string, paper: SlipPaper): string {
  return receiptline.transform(markup, { cpl: SLIP_CHARACTERS[paper], encoding: 'cp950', command: 'text' });
}
