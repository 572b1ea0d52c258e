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
  let refusing = false;
  let server: Server | undefined;
  let port = options.port ?? 0;

  function serve(socket: Socket) {
    // Busy with another till's job, or in an error state: it hangs up at once.
    if (refusing) return void socket.destroy();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (hanging || !received.subarray(-STATUS_REQUEST.length).equals(STATUS_REQUEST)) return;
      printed.push({ at: Date.now(), bytes: received.subarray(0, -STATUS_REQUEST.length) });
      // A demo day can be long: the last hundred slips are plenty to show.
      if (printed.length > 100) printed.splice(0, printed.length - 100);
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
    /** Takes the connection and hangs up at once, as a busy or faulted printer does. */
    refuse(value: boolean) {
      refusing = value;
    },
    /** Takes the bytes and never answers, as a jammed printer does. */
    hang(value: boolean) {
      hanging = value;
    },
    close,
  };
}

export type VirtualPrinter = Awaited<ReturnType<typeof startVirtualPrinter>>;

/** The text of a slip's bytes, for the demo page and the tests: commands dropped, pictures (the QR code) named, Big5 decoded. */
export function slipBytesToText(bytes: Buffer): string {
  const parts: string[] = [];
  let text: number[] = [];
  const flush = () => {
    // Rules are drawn with cp950's box-drawing extension, which Big5 proper lacks.
    parts.push(iconv.decode(Buffer.from(text), 'big5').replace(/\uFFFD+/g, (run) => '─'.repeat(run.length)));
    text = [];
  };
  for (let index = 0; index < bytes.length; index += 1) {
    const byte = bytes[index] as number;
    if (byte === 0x1b || byte === 0x1d || byte === 0x1c) {
      const length = commandLength(bytes, index);
      // ESC $ moves to a column: a gap between a label and its value.
      if (byte === 0x1b && bytes[index + 1] === 0x24) text.push(0x20);
      if (length > 8) {
        flush();
        parts.push('[picture]');
      }
      index += length - 1;
    } else if (byte === 0x0a || byte >= 0x20) {
      text.push(byte);
    }
  }
  flush();
  return parts.join('').replace(/^ +/gm, '');
}

const word = (bytes: Buffer, at: number) => (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8);

/** The length of the ESC, GS or FS command at `index`, its arguments included, for those receiptline sends. */
function commandLength(bytes: Buffer, index: number): number {
  const prefix = bytes[index];
  const command = bytes[index + 1];
  if (prefix === 0x1b) return command === 0x40 || command === 0x32 ? 2 : command === 0x24 ? 4 : 3;
  if (prefix === 0x1c) return command === 0x26 || command === 0x2e ? 2 : command === 0x53 ? 4 : command === 0x28 ? 5 + word(bytes, index + 3) : 3;
  switch (command) {
    case 0x28: // GS ( k / GS ( L: pL pH, then that many bytes
      return 5 + word(bytes, index + 3);
    case 0x38: // GS 8 L: four bytes of length
      return 7 + (word(bytes, index + 3) + word(bytes, index + 5) * 65_536);
    case 0x76: // GS v 0: a raster picture, x bytes by y dots
      return 8 + word(bytes, index + 4) * word(bytes, index + 6);
    case 0x4c: // GS L, GS W: two bytes
    case 0x57:
      return 4;
    case 0x56: // GS V m [n]: the cut
      return (bytes[index + 2] ?? 0) >= 0x41 ? 4 : 3;
    default:
      return 3;
  }
}
