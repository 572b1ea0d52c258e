import { once } from 'node:events';
import { lookup } from 'node:dns/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { z } from 'zod';
import { commandError } from '../../shared/i18n/commandErrors';
import { SERVICE_EVENT_NAMES, eventsFor, type EventName, type Role } from '../../shared/ipc/contract';
import type { PosService } from '../services/app/posService';
import { readBody } from '../services/http/readBody';
import { readStaticFile } from '../services/http/staticFiles';
import type { Dispatch } from '../services/ipc/dispatch';
import { isLoopback } from '../../shared/loopback';
import { allowedHosts, hostPart, isWildcard, reachOf, type Reach } from './hostNames';
import { createScreenPairing, type PairedScreen } from './screenPairing';
import { createScreenStreams, DEFAULT_STREAM_LIMITS, type StreamLimits } from './screenStreams';
import { tillCertificate } from './tlsCertificate';
import { createWebServer, DEFAULT_LIMITS, type ListenerLimits } from './webListener';

/**
 * Web mode: the same renderer, served to browsers, talking to the same main-process services
 * through the same contract. Each browser tab pairs once with a one-time code from the till's
 * printed link (screenPairing.ts) and then sends its own credential, plus the id of its page, with
 * every call: the role (cashier or customer display) decides what it may ask, the page decides
 * whose manager access it is. Loopback is served over plain HTTP; the shop's network over HTTPS
 * with the till's own certificate (webListener.ts, tlsCertificate.ts); the Host and Origin must be
 * names the till was started for (hostNames.ts).
 */

const MAX_BODY = 64 * 1024;
const PAGES: Record<string, string> = { '/cashier': '/index.html', '/display': '/display.html' };
/** The header with the page's own id (new at each load), which names the screen with its credential. */
export const SCREEN_HEADER = 'x-qfpos-screen';
const SCREEN_ID = /^[A-Za-z0-9_-]{16,64}$/;
const pairRequest = z.object({ role: z.enum(['cashier', 'display']), code: z.string().max(32) }).strict();

export interface BridgeOptions {
  readonly pos: PosService;
  readonly dispatch: Dispatch;
  /** The built renderer (electron-vite's out/renderer). */
  readonly rendererDir: string;
  readonly host?: string;
  readonly port?: number;
  /** The screens paired before this start, and where to keep them for the next (web-links.json). */
  readonly paired?: readonly PairedScreen[];
  readonly keepPaired?: (screens: readonly PairedScreen[]) => void;
  /** Where the certificate for the shop's network is kept (beside the ledger); needed off loopback. */
  readonly certificateFolder?: string;
  readonly limits?: Partial<ListenerLimits>;
  readonly streamLimits?: Partial<StreamLimits>;
  readonly pairingTtlMs?: number;
  /** Too many wrong pairing codes withdrew the live ones: the terminal says so. */
  readonly onCodesWithdrawn?: () => void;
}

/** How often each event stream says "still here": a screen that hears nothing for 2 s knows the till is gone. */
export const HEARTBEAT_MS = 1_000;

/** A screen's link: its page, and the one-time code in the fragment, which browsers never send to a server. */
export const screenLink = (base: string, role: Role, code: string) => `${base}/${role}#pair=${code}`;

interface EventStream {
  readonly role: Role;
  readonly response: ServerResponse;
  end(): void;
}

export async function startBridge(options: BridgeOptions) {
  const host = options.host ?? '127.0.0.1';
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const pairing = createScreenPairing({ paired: options.paired, save: options.keepPaired, ttlMs: options.pairingTtlMs, onWithdrawn: options.onCodesWithdrawn });
  const live = new Set<EventStream>();
  const streams = createScreenStreams<EventStream>({ ...DEFAULT_STREAM_LIMITS, ...options.streamLimits }, (session) => options.pos.endScreen(session));

  // A name given with --host is looked up once, and listened on at the address it stands for.
  const bound = isWildcard(host) || isLoopback(host) ? host : (await lookup(host)).address;
  let reach: Reach = reachOf(host, bound);
  const loopbackOnly = reach.network.length === 0;
  const certificate = loopbackOnly ? undefined : await tillCertificate(requiredFolder(options.certificateFolder), reach.network);
  let port = 0;
  let reachReadAt = Date.now();

  /** A Host allowed on this connection; the network's names read again (at most every 10 s) before a refusal, for a new address. */
  function hostAllowed(hostHeader: string, encrypted: boolean): boolean {
    if (allowedHosts(reach, port, encrypted).has(hostHeader)) return true;
    if (!encrypted || !isWildcard(host) || Date.now() - reachReadAt < 10_000) return false;
    reach = reachOf(host, bound);
    reachReadAt = Date.now();
    return allowedHosts(reach, port, encrypted).has(hostHeader);
  }

  const forward = (event: EventName) => (payload: unknown) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const stream of live) if (eventsFor(stream.role).includes(event)) stream.response.write(frame);
  };
  // The services' events only: fileSaved is the desktop shell's (a browser saves its own downloads).
  const listeners = SERVICE_EVENT_NAMES.map((event) => {
    const listener = forward(event);
    options.pos.events.on(event, listener);
    return () => options.pos.events.off(event, listener);
  });

  async function pair(request: IncomingMessage, response: ServerResponse) {
    const body = await readBody(request, MAX_BODY);
    let parsed;
    try {
      parsed = pairRequest.safeParse(JSON.parse(body ?? ''));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) return sendJson(response, 400, { ok: false, error: commandError('invalid_request') });
    const credential = pairing.pair(parsed.data.role, parsed.data.code);
    if (!credential) return sendJson(response, 403, { ok: false, error: commandError('pairing_link_invalid') });
    return sendJson(response, 200, { ok: true, value: { credential } });
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const encrypted = (request.socket as TLSSocket).encrypted === true;
    const hostHeader = (request.headers.host ?? '').toLowerCase();
    if (!hostAllowed(hostHeader, encrypted)) return send(response, 421, 'text/plain', 'unknown host');
    const url = new URL(request.url ?? '/', 'http://bridge');
    const path = url.pathname;

    if (path.startsWith('/api/')) {
      // Only the till's own pages call it: a page of another origin never gets an answer.
      const origin = request.headers.origin;
      if (origin !== undefined && origin.toLowerCase() !== `${encrypted ? 'https' : 'http'}://${hostHeader}`) return send(response, 403, 'text/plain', 'foreign origin');
      if (path === '/api/pair' && request.method === 'POST') return pair(request, response);

      const credential = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      const screen = credential ? pairing.screenOf(credential) : undefined;
      if (!screen) return sendJson(response, 401, { ok: false, error: commandError('screen_not_paired') });
      const page = request.headers[SCREEN_HEADER];
      if (typeof page !== 'string' || !SCREEN_ID.test(page)) return sendJson(response, 400, { ok: false, error: commandError('invalid_request', { fields: [SCREEN_HEADER] }) });
      // The paired tab and its page: what this page unlocks stays with it (managerSession.ts).
      const session = `web:${screen.credentialHash}:${page}`;

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
        streams.seen(session, screen.credentialHash);
        const result = await options.dispatch({ role: screen.role, session }, commandMatch[1] as string, payload);
        return sendJson(response, 200, result);
      }
      if (path === '/api/events' && request.method === 'GET') return openEvents(response, screen, session);
      return sendJson(response, 404, { ok: false, error: { code: 'not_found' } });
    }

    if (request.method !== 'GET') return send(response, 405, 'text/plain', 'GET only');
    const file = PAGES[path] ?? (path.startsWith('/assets/') ? path : undefined);
    if (!file) return send(response, 404, 'text/plain', 'not found');
    const answer = await readStaticFile(options.rendererDir, file);
    response.writeHead(answer.status, answer.headers);
    response.end(answer.body);
  }

  function openEvents(response: ServerResponse, screen: PairedScreen, session: string) {
    const heartbeat: { timer?: NodeJS.Timeout } = {};
    // Nothing more is written to a stream once it is ended (by its page, or to make room).
    const stop = () => {
      clearInterval(heartbeat.timer);
      live.delete(stream);
    };
    const stream: EventStream = {
      role: screen.role,
      response,
      end: () => {
        stop();
        response.end();
      },
    };
    const opened = streams.open(session, screen.credentialHash, stream);
    // A refused stream is retried by the page; the words say why, should anyone look.
    if (opened !== 'open') return sendJson(response, opened === 'pairing' ? 429 : 503, { ok: false, error: commandError('too_many_screens') });
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    live.add(stream);
    // The current state straight away: the display's, so a reload shows the right time left, and
    // the counter's, so a page that read it just before its stream opened (while a sale was paid)
    // does not miss what changed in between.
    response.write(`event: displayChanged\ndata: ${JSON.stringify(options.pos.display.state())}\n\n`);
    if (eventsFor(screen.role).includes('counterChanged')) response.write(`event: counterChanged\ndata: ${JSON.stringify(options.pos.counter.state())}\n\n`);
    heartbeat.timer = setInterval(() => response.write(': still here\n\n'), HEARTBEAT_MS);
    response.on('close', () => {
      stop();
      streams.close(session, stream);
    });
  }

  const { server, closeAll } = createWebServer(
    (request, response) => {
      handle(request, response).catch((error: unknown) => {
        console.error('bridge: request failed:', error instanceof Error ? error.message : error);
        if (!response.headersSent) send(response, 500, 'text/plain', 'error');
      });
    },
    limits,
    certificate,
  );
  server.listen(options.port ?? 0, bound);
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
  port = (server.address() as AddressInfo).port;

  // This computer's browser: loopback, plain HTTP, unless the till listens on one network address only.
  const url = loopbackOnly ? `http://${hostPart(host, port)}` : isWildcard(host) ? `http://127.0.0.1:${port}` : `https://${hostPart(host, port)}`;
  // Tablets: over HTTPS, at each of this computer's addresses (by number: the surest on a shop's
  // Wi-Fi, where names may not resolve), or at the one it was started for.
  const networkUrls = loopbackOnly ? [] : isWildcard(host) ? reach.network.filter((name) => isIP(name) !== 0).map((address) => `https://${hostPart(address, port)}`) : [url];

  return {
    /** This computer's origin for the screens. */
    url,
    /** The origins for devices on the shop's network (HTTPS); empty on loopback. */
    networkUrls,
    port,
    /** The certificate's SHA-256 fingerprint (to check on a tablet), and whether it is new at this start. */
    certificate: certificate ? { fingerprint: certificate.fingerprint, made: certificate.made, pem: certificate.cert } : undefined,
    /** A new one-time code for a screen (the one before it for that screen stops working). */
    newCode: (role: Role) => pairing.newCode(role),
    /** A screen's link with a new one-time code, at this computer's origin or another. */
    pairingLink: (role: Role, base: string = url) => screenLink(base, role, pairing.newCode(role)),
    /** Forget every paired screen: their tabs must pair again. */
    forgetPairedScreens: () => pairing.forgetAll(),
    counts: () => ({ paired: pairing.pairedCount(), ...streams.counts() }),
    async close() {
      listeners.forEach((remove) => remove());
      streams.closeAll();
      live.clear();
      closeAll();
      server.close();
      await once(server, 'close');
    },
  };
}

function requiredFolder(folder: string | undefined): string {
  if (!folder) throw new Error('web mode off loopback needs a folder to keep its certificate in');
  return folder;
}

function send(response: ServerResponse, status: number, type: string, body: string) {
  response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  response.end(body);
}

const sendJson = (response: ServerResponse, status: number, body: unknown) => send(response, status, 'application/json', JSON.stringify(body));

export type Bridge = Awaited<ReturnType<typeof startBridge>>;
