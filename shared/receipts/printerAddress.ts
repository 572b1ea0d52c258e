/** A network receipt printer's address: raw TCP, port 9100 unless named. */
export interface PrinterAddress {
  readonly host: string;
  readonly port: number;
}

/** `tcp://192.168.1.50:9100` (the port may be left out): the form of QFPOS_PRINTER and the settings. */
export function parsePrinterUrl(value: string): PrinterAddress | undefined {
  // By hand, not URL: shared code runs where only the language's own types are known.
  const match = /^tcp:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?\/?$/.exec(value.trim());
  if (!match) return undefined;
  const port = match[2] === undefined ? 9100 : Number(match[2]);
  return port > 0 && port < 65536 ? { host: (match[1] as string).replace(/^\[|\]$/g, ''), port } : undefined;
}

/** Where slips go: a network printer, or (in the desktop app) one of the computer's printers by name. */
export type PrinterTarget = { readonly kind: 'tcp'; readonly address: PrinterAddress } | { readonly kind: 'system'; readonly name: string };

/** `tcp://HOST[:9100]`, or `system:NAME` for a printer the operating system knows (its name as the system shows it). */
export function parsePrinterTarget(value: string): PrinterTarget | undefined {
  const system = /^system:(.+)$/.exec(value.trim());
  if (system) {
    const name = (system[1] as string).trim();
    return name.length <= 120 && ![...name].some((character) => character.charCodeAt(0) < 32) ? { kind: 'system', name } : undefined;
  }
  const address = parsePrinterUrl(value);
  return address ? { kind: 'tcp', address } : undefined;
}
