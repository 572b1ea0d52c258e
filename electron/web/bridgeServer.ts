import { randomBytes, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EVENT_ROLES, eventsFor, type EventName, type Role } from '../../shared/ipc/contract';
import type { PosService } from '../services/app/posService';
import { readBody } from '../services/http/readBody';
import { readStaticFile } from '../services/http/staticFiles';
import type { Dispatch } from '../services/ipc/dispatch';

/**
 * Web mode: the same renderer, served over loopback, talking to the same main-process services
 * through the same contract. Each screen gets its own random per-launch token (the cashier's and
 * the display's differ, so the display can only do what the display may). It listens on
 * 127.0.0.1 unless told otherwise, and checks the Host header against DNS rebinding.
 */

const MAX_BODY = 64 * 1024;
const PAGES: Record<string, string> = { '/cashier': '/index.html', '/display': '/display.html' };

export interface BridgeOptions {
  readonly pos: PosService;
  readonly dispatch: Dispatch;
  /** The built renderer (electron-vite's out/renderer). */
  readonly rendererDir: string;
  readonly host?: string;
  readonly port?: number;
  /** The screens' tokens; kept by the caller so that a restart keeps the same links. New ones otherwise. */
  readonly tokens?: Readonly<Record<Role, string>>;
}

/** How often each event stream says "still here": a screen that hears nothing for 2 s knows the till is gone. */
export const HEARTBEAT_MS = 1_000;

export const newScreenTokens = (): Record<Role, string> => ({ cashier: randomBytes(24).toString('base64url'), display: randomBytes(24).toString('base64url') });

export async function startBridge(options: BridgeOptions) {
  const tokens = options.tokens ?? newScreenTokens();
  const streams = new Set<{ role: Role; response: ServerResponse }>();
  const host = options.host ?? '127.0.0.1';
  let allowedHosts = new Set<string>();

  function roleOf(request: IncomingMessage): Role | undefined {
    const presented = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!presented) return undefined;
    for (const role of ['cashier', 'display'] as const) {
      const expected = Buffer.from(tokens[role]);
      const given = Buffer.from(presented);
      if (given.length === expected.length && timingSafeEqual(given, expected)) return role;
    }
    return undefined;
  }

  const forward = <E extends EventName>(event: E) => (payload: unknown) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const stream of streams) if (eventsFor(stream.role).includes(event)) stream.response.write(frame);
  };
  const listeners = (Object.keys(EVENT_ROLES) as EventName[]).map((event) => {
    const listener = forward(event);
    options.pos.events.on(event, listener);
    return () => options.pos.events.off(event, listener);
  });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    if (!allowedHosts.has(request.headers.host ?? '')) return send(response, 421, 'text/plain', 'unknown host');
    const url = new URL(request.url ?? '/', 'http://bridge');
    const path = url.pathname;

    if (path.startsWith('/api/')) {
      const role = roleOf(request);
      if (!role) return send(response, 401, 'application/json', JSON.stringify({ ok: false, error: { code: 'unauthorised' } }));
      const origin = request.headers.origin;
      if (origin !== undefined && !allowedHosts.has(origin.replace(/^https?:\/\//, ''))) return send(response, 403, 'text/plain', 'foreign origin');

      const commandMatch = /^\/api\/commands\/([A-Za-z]+)$/.exec(path);
      if (commandMatch && request.method === 'POST') {
        const body = await readBody(request, MAX_BODY);
        if (body === undefined) return send(response, 413, 'text/plain', 'too large');
        let payload: unknown;
        try {
          payload = body === '' ? {} : JSON.parse(body);
        } catch {
          payload = Symbol('not json'); // fails every schema
        }
        const result = await options.dispatch(role, commandMatch[1] as string, payload);
        return send(response, 200, 'application/json', JSON.stringify(result));
      }
      if (path === '/api/events' && request.method === 'GET') {
        response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
        const stream = { role, response };
        streams.add(stream);
        // The display's current state straight away, so a reload shows the right time left.
        response.write(`event: displayChanged\ndata: ${JSON.stringify(options.pos.display.state())}\n\n`);
        const heartbeat = setInterval(() => response.write(': still here\n\n'), HEARTBEAT_MS);
        request.on('close', () => {
          clearInterval(heartbeat);
          streams.delete(stream);
        });
        return;
      }
      return send(response, 404, 'application/json', JSON.stringify({ ok: false, error: { code: 'not_found' } }));
    }

    if (request.method !== 'GET') return send(response, 405, 'text/plain', 'GET only');
    const file = PAGES[path] ?? (path.startsWith('/assets/') ? path : undefined);
    if (!file) return send(response, 404, 'text/plain', 'not found');
    const answer = await readStaticFile(options.rendererDir, file);
    response.writeHead(answer.status, answer.headers);
    response.end(answer.body);
  }

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('bridge: request failed:', error instanceof Error ? error.message : error);
      if (!response.headersSent) send(response, 500, 'text/plain', 'error');
    });
  });
  server.listen(options.port ?? 0, host);
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
  const port = (server.address() as AddressInfo).port;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  allowedHosts = new Set([`${shown}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`, ...(options.host ? [`${options.host}:${port}`] : [])]);
  const base = `http://${shown}:${port}`;
  return {
    url: base,
    port,
    tokens,
    /** The token travels in the fragment, which browsers never send to a server or a log. */
    cashierUrl: `${base}/cashier#token=${tokens.cashier}`,
    displayUrl: `${base}/display#token=${tokens.display}`,
    async close() {
      listeners.forEach((remove) => remove());
      for (const stream of streams) stream.response.end();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

function send(response: ServerResponse, status: number, type: string, body: string) {
  response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  response.end(body);
}

export type Bridge = Awaited<ReturnType<typeof startBridge>>;
