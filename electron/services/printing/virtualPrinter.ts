import { createServer, type Server, type Socket } from 'node:net';
import iconv from 'iconv-lite';
import { STATUS_REQUEST } from './renderSlip';

/**
 * A receipt printer on a local TCP port, for demo mode and the tests: it takes ESC/POS as a
 * network printer does, answers the paper-status request, and keeps each slip it printed. It can
 * be switched off (connections refused) and made to hang (it takes the bytes and never answers),
 * the two ways a counter printer fails.
 */
export interface PrintedSlip {
  readonly at: number;
  readonly bytes: Buffer;
}

export async function startVirtualPrinter(options: { port?: number } = {}) {
  const printed: PrintedSlip[] = [];
  const sockets = new Set<Socket>();
  let hanging = false;
  let server: Server | undefined;
  let port = options.port ?? 0;

  function serve(socket: Socket) {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (hanging || !received.subarray(-STATUS_REQUEST.length).equals(STATUS_REQUEST)) return;
      printed.push({ at: Date.now(), bytes: received.subarray(0, -STATUS_REQUEST.length) });
      received = Buffer.alloc(0);
      // Paper status: 0x00, paper present.
      socket.write(Buffer.from([0x00]));
    });
  }

  async function listen() {
    server = createServer(serve);
    await new Promise<void>((resolve, reject) => {
      server?.once('error', reject);
      server?.listen(port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address && typeof address === 'object') port = address.port;
  }

  async function close() {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  }

  await listen();
  return {
    get url() {
      return `tcp://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    printed: () => [...printed] as readonly PrintedSlip[],
    /** Off: nothing listens on its port, so a connection is refused. */
    off: close,
    /** On again, on the same port. */
    on: listen,
    /** Takes the bytes and never answers, as a jammed printer does. */
    hang(value: boolean) {
      hanging = value;
    },
    close,
  };
}

export type VirtualPrinter = Awaited<ReturnType<typeof startVirtualPrinter>>;

/** The text of a slip's bytes, for the demo page and the tests: commands dropped, Big5 decoded. */
export function slipBytesToText(bytes: Buffer): string {
  const text: number[] = [];
  for (let index = 0; index < bytes.length; index += 1) {
    const byte = bytes[index] as number;
    if (byte === 0x0a) text.push(byte);
    else if (byte === 0x1b || byte === 0x1d || byte === 0x1c) index += skipCommand(bytes, index);
    else if (byte >= 0x20) text.push(byte);
  }
  return iconv.decode(Buffer.from(text), 'big5');
}

/** How many bytes after `index` an ESC, GS or FS command takes (its arguments), for the common ones. */
function skipCommand(bytes: Buffer, index: number): number {
  const command = bytes[index + 1];
  const prefix = bytes[index];
  if (prefix === 0x1d && command === 0x28) return 4 + ((bytes[index + 3] ?? 0) | ((bytes[index + 4] ?? 0) << 8)); // GS ( k pL pH, then pL + 256 pH bytes
  if (prefix === 0x1d && command === 0x56) return (bytes[index + 2] ?? 0) >= 0x41 ? 3 : 2; // GS V m [n]: the cut
  if (prefix === 0x1d && command === 0x76) return 7 + ((bytes[index + 4] ?? 0) | ((bytes[index + 5] ?? 0) << 8)) * ((bytes[index + 6] ?? 0) | ((bytes[index + 7] ?? 0) << 8)); // GS v 0 raster
  if (prefix === 0x1c && (command === 0x26 || command === 0x2e)) return 1; // FS & / FS .: Kanji mode on and off
  if (prefix === 0x1b && command === 0x40) return 1; // ESC @
  return 2;
}
