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
