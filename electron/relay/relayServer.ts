import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type pg from 'pg';
import { NOTIFICATION_ACCEPTED, NOTIFICATION_SIGN_HEADER, notificationSignatureMatches, readNotification, RELAY_HEARTBEAT_MS } from '../../shared/qfpay/notifications';
import { relayHeartbeat, storeNotification } from './notificationStore';
import type { RelayKeys } from './relayKeys';

/**
 * The head office's receiver of QFPay's notifications (`POST /qfpay/notify`). It runs behind the
 * shop's HTTPS reverse proxy (QFPay calls ports 80/443 only), verifies each notification on its
 * raw bytes, stores it once in PostgreSQL with a NOTIFY to the tills, and answers `SUCCESS` only
 * after the row is committed: whatever fails before that, QFPay's retry brings it again.
 *
 * Anything else is refused in words with a status that is not 200 and a body that is never
 * `SUCCESS`, and logged with its reason (never a key, never the body: it names a card).
 */

export interface RelayOptions {
  readonly pool: pg.Pool;
  readonly keys: RelayKeys;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly maxBodyBytes?: number;
  readonly heartbeatMs?: number;
  readonly log?: (line: string) => void;
}

export const NOTIFY_PATH = '/qfpay/notify';
export const HEALTH_PATH = '/healthz';
/** QFPay's notifications are a few hundred bytes; anything near this is not one. */
export const NOTIFY_MAX_BODY_BYTES = 16 * 1024;

type Outcome = { status: number; text: string; logLine?: string };

export async function startRelay(options: RelayOptions) {
  const { pool, keys } = options;
  const maxBodyBytes = options.maxBodyBytes ?? NOTIFY_MAX_BODY_BYTES;
  const heartbeatMs = options.heartbeatMs ?? RELAY_HEARTBEAT_MS;
  const log = options.log ?? ((line: string) => console.log(line));
  const relayId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  let lastBeat: { ok: true; at: number } | { ok: false; at: number; reason: string } = { ok: false, at: Date.now(), reason: 'not yet written' };

  async function beat(state: 'up' | 'stopping') {
    try {
      await relayHeartbeat(pool, relayId, state);
      lastBeat = { ok: true, at: Date.now() };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (lastBeat.ok) log(`relay: the head office cannot be reached (${reason}); notifications are refused with 503 until it can, and QFPay retries them`);
      lastBeat = { ok: false, at: Date.now(), reason };
    }
  }

  /** The body's bytes, or 'too_large' once past the limit (the rest is read and dropped, so that the 413 can be sent). */
  function bodyOf(request: IncomingMessage): Promise<Buffer | 'too_large'> {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBodyBytes) {
      request.resume();
      return Promise.resolve('too_large');
    }
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      request.on('data', (chunk: Buffer) => {
        const wasOver = size > maxBodyBytes;
        size += chunk.length;
        if (size <= maxBodyBytes) chunks.push(chunk);
        else if (!wasOver) {
          chunks.length = 0;
          resolve('too_large');
        }
      });
      request.on('end', () => resolve(size > maxBodyBytes ? 'too_large' : Buffer.concat(chunks)));
      request.on('error', reject);
    });
  }

  /** The app code whose key signed these bytes. Every key is tried, so the time taken says nothing of which. */
  function signerOf(body: Buffer, signature: string): string | undefined {
    let signer: string | undefined;
    for (const [appCode, clientKey] of keys) if (notificationSignatureMatches(body, clientKey, signature)) signer = appCode;
    return signer;
  }

  async function receive(request: IncomingMessage): Promise<Outcome> {
    const from = request.socket.remoteAddress ?? 'unknown';
    const body = await bodyOf(request);
    if (body === 'too_large') return { status: 413, text: `body over ${maxBodyBytes} bytes`, logLine: `refused from ${from}: body over ${maxBodyBytes} bytes` };
    const header = request.headers[NOTIFICATION_SIGN_HEADER];
    if (typeof header !== 'string' || header.trim() === '') return { status: 401, text: 'no X-QF-SIGN header', logLine: `refused from ${from}: no X-QF-SIGN header` };
    const appCode = signerOf(body, header);
    if (appCode === undefined) {
      return { status: 401, text: 'the signature does not match this body', logLine: `refused from ${from}: the signature does not match the body under any of the ${keys.size} app code(s) (a wrong key, or a body changed on the way)` };
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      return { status: 400, text: 'the body is not UTF-8', logLine: `refused from ${from} (${appCode}): signed, but the body is not UTF-8` };
    }
    const reading = readNotification(text);
    if (!reading.ok) return { status: 400, text: reading.problem, logLine: `refused from ${from} (${appCode}): signed, but ${reading.problem}` };
    const { notification } = reading;
    try {
      const stored = await storeNotification(pool, appCode, notification, text);
      const again = stored.deliveries > 1 ? ` (delivery ${stored.deliveries}: kept once)` : '';
      return { status: 200, text: NOTIFICATION_ACCEPTED, logLine: `stored ${notification.notifyType} ${notification.outTradeNo} syssn ${notification.syssn} for ${appCode}${again}` };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { status: 503, text: 'not stored: try again later', logLine: `not stored ${notification.notifyType} ${notification.outTradeNo} syssn ${notification.syssn} (${reason}): QFPay will retry` };
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://relay').pathname;
    let outcome: Outcome;
    if (path === HEALTH_PATH && request.method === 'GET') {
      const fresh = lastBeat.ok && Date.now() - lastBeat.at < 3 * heartbeatMs;
      outcome = fresh ? { status: 200, text: 'ok' } : { status: 503, text: `the head office is not answering${lastBeat.ok ? '' : `: ${lastBeat.reason}`}` };
    } else if (path !== NOTIFY_PATH) {
      outcome = { status: 404, text: `nothing here: QFPay's notifications go to POST ${NOTIFY_PATH}` };
    } else if (request.method !== 'POST') {
      response.setHeader('Allow', 'POST');
      outcome = { status: 405, text: `${NOTIFY_PATH} takes POST only`, logLine: `refused from ${request.socket.remoteAddress ?? 'unknown'}: ${request.method ?? '?'} instead of POST` };
    } else {
      outcome = await receive(request);
    }
    if (outcome.logLine) log(`relay: ${outcome.logLine}`);
    // A refused body is not read to its end: the connection is closed rather than kept for more.
    if (outcome.status === 413) response.setHeader('Connection', 'close');
    response.writeHead(outcome.status, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(outcome.text);
  }

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log(`relay: request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) {
        response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        response.end('relay error');
      } else response.destroy();
    });
  });
  // QFPay's requests are small and quick: a connection that dawdles is cut.
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;

  await beat('up');
  const timer = setInterval(() => void beat('up'), heartbeatMs);
  const host = options.host ?? '127.0.0.1';
  server.listen(options.port ?? 0, host);
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    relayId,
    /** Stops taking notifications, lets those under way finish, and tells the tills it is gone. */
    async close() {
      clearInterval(timer);
      server.close();
      server.closeIdleConnections();
      await once(server, 'close');
      await beat('stopping');
    },
  };
}

export type RunningRelay = Awaited<ReturnType<typeof startRelay>>;
