import http, { type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { commandError } from '../../shared/i18n/commandErrors';
import { isLoopback } from '../../shared/loopback';

/**
 * The socket side of web mode: what it listens with, and how long and how many it waits for.
 *
 * On loopback, plain HTTP (the browser on this computer is in a secure context already). On the
 * shop's network, HTTPS with the till's own certificate, for every connection that does not come
 * from this computer: a tablet's calls and its screen credential cannot be read or changed on
 * the Wi-Fi. A plain HTTP request from the network gets a short answer in words and is never
 * served, whatever it carries. Listening on every address (0.0.0.0), connections from this
 * computer itself stay plain HTTP, so the till's own browser gets no certificate warning.
 *
 * Limits, so that a device on the network cannot hold the till's sockets open: a request's headers
 * must arrive within `headersTimeoutMs` (so must a TLS handshake, and the first byte), the whole
 * request within `requestTimeoutMs`; an idle kept-alive connection is closed after
 * `keepAliveTimeoutMs`; at most `maxConnections` at once, those beyond it closed at once.
 */
export interface ListenerLimits {
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxConnections: number;
}

/** Two screens and a few tablets use a handful; 64 leaves room for reloads and half-closed sockets. */
export const DEFAULT_LIMITS: ListenerLimits = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, maxConnections: 64 };

/** The first byte of a TLS handshake record: anything else on the HTTPS port is plain HTTP. */
const TLS_HANDSHAKE = 0x16;

const httpsOnlyAnswer = () => {
  const { en, 'zh-HK': zh } = commandError('https_only').message;
  const body = Buffer.from(`${en}\n${zh}\n`, 'utf8');
  return Buffer.concat([
    Buffer.from(`HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n`, 'latin1'),
    body,
  ]);
};

export type WebServer = http.Server | https.Server;

export function createWebServer(handler: RequestListener<typeof IncomingMessage, typeof ServerResponse>, limits: ListenerLimits, tls?: { key: string; cert: string }): { server: WebServer; closeAll(): void } {
  const options = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node looks for overdue headers only this often (30 s by default): a fraction of the limit.
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
  };
  const server = tls ? https.createServer({ ...options, key: tls.key, cert: tls.cert, handshakeTimeout: limits.headersTimeoutMs }, handler) : http.createServer(options, handler);
  server.maxConnections = limits.maxConnections;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  if (tls) sortConnections(server as https.Server, limits);
  // Every socket, also those still in their first byte or TLS handshake (which Node's own
  // closeAllConnections does not know of), so that stopping the till closes them all at once.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return {
    server,
    closeAll() {
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    },
  };
}

/**
 * Puts each new connection of the HTTPS server on its way: from this computer, plain HTTP (handed
 * to the HTTP side as if its handshake were done: `secureConnection` is where https.Server parses
 * HTTP); from anywhere else, TLS if its first byte starts a handshake, else the words above. The
 * TLS server's own listener is taken off `connection` and called here, which is what tls.Server's
 * documented injection of connections (emitting `connection`) amounts to.
 */
function sortConnections(server: https.Server, limits: ListenerLimits) {
  const startTls = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    if (isLoopback(socket.localAddress) && isLoopback(socket.remoteAddress)) {
      server.emit('secureConnection', socket);
      return;
    }
    // A connection that says nothing is closed after the header time, as a slow header would be.
    socket.setTimeout(limits.headersTimeoutMs, () => socket.destroy());
    socket.once('data', (chunk: Buffer) => {
      socket.setTimeout(0);
      socket.pause();
      socket.unshift(chunk);
      if (chunk[0] === TLS_HANDSHAKE) {
        for (const listener of startTls) listener.call(server, socket);
        return;
      }
      socket.end(httpsOnlyAnswer());
      socket.resume(); // what it sent is read and dropped, so that the answer is not cut off by a reset
      socket.setTimeout(limits.headersTimeoutMs, () => socket.destroy());
    });
    socket.on('error', () => socket.destroy());
  });
}
