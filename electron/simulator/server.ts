import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { ENDPOINT_PATHS, GATEWAY_ENDPOINTS, type GatewayEndpoint } from '../../shared/qfpay/endpoints';
import { readBody } from '../services/http/readBody';
import { customerFails, customerPays, orderView } from './customer';
import { applyRecordFault, createFaultBoard, faultSchema, RECORD_FAULTS, type Fault } from './faults';
import { createNotifier, notifySettingsSchema, type Notifier, type NotifierOptions } from './notifier';
import type { NotifyFaultInput } from './notifyFaults';
import { keepableFields } from '../../shared/qfpay/authCode';
import { answerOpenApi, DEFAULT_CPM_BEHAVIOUR, queryRecord, type SimAnswer, type SimCredentials } from './openApi';
import { openSimStore, type SimOrder } from './store';
import { CODE_PAGE_PATH, codeChoicePage, codePage, WALLET_PAGE_CSP, walletPage } from './walletPage';
import { CODE_WALLETS, codePictures, showNewCode, type CodeWallet } from './paymentCodes';

/**
 * A QFPay-compatible gateway on a real HTTP port: the demo mode's gateway and the tests' server.
 * QFPay's paths are answered as QFPay would; everything for demos and tests lives under
 * `/__sim__/`, and all of that but the customer wallet page answers loopback callers only.
 */

export interface SimulatorOptions {
  /** The SQLite file that keeps the simulator's orders (`:memory:` for a throwaway one). */
  readonly dbPath: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Absent: the credentials kept in the database, or new random ones on first start. */
  readonly credentials?: SimCredentials;
  readonly timeScale?: number;
  /** Base of the wallet-page URLs put in `qrcode` (for phones, when listening beyond loopback). */
  readonly publicUrl?: string;
  /** QFPay allows 400 requests a minute per merchant; 0 turns the limit off. */
  readonly rateLimitPerMinute?: number;
  /** The limit's window (a minute); tests shorten it to cross many windows in a few seconds. */
  readonly rateLimitWindowMs?: number;
  /** Where the gateway's clock stands relative to this computer's (also `PUT /__sim__/clock`). */
  readonly clockOffsetMs?: number;
  /** How many requests the log keeps (2,000 by default); a long trial counts them all. */
  readonly requestLogLimit?: number;
  /**
   * Listen on the port kept in its database from the last start (if free), and keep the one it
   * gets: the demo gateway's wallet links, already in customers' QR codes, survive a restart.
   */
  readonly stablePort?: boolean;
  /** Where QFPay's asynchronous notifications go (also `PUT /__sim__/notify`); absent: none are sent. */
  readonly notifyUrl?: string;
  /** Waits between a notification's attempts; QFPay's 2m, 10m, 10m, 60m, 2h, 6h, 15h by default. */
  readonly notifyRetryDelaysMs?: readonly number[];
  /** Faults of the notifications from the start (dropped, duplicated, wrongly signed, delayed, out of order). */
  readonly notifyFaults?: readonly NotifyFaultInput[];
  /** How long a receiver has to answer an attempt (10 s, as QFPay). */
  readonly notifyTimeoutMs?: number;
  /** Decides which notifications a fault's rate hits; tests give a fixed sequence. */
  readonly notifyRandom?: NotifierOptions['random'];
  /**
   * As the demo mode's own gateway: when the till that made an order withdraws its QR (its own
   * lifetime, which QFPay is not told for PayMe, FPS, Octopus), so the training wallet page
   * counts down the same time as the till and the customer display.
   */
  readonly tillDeadline?: (outTradeNo: string) => number | undefined;
}

export interface RequestLogEntry {
  readonly at: string;
  readonly endpoint: GatewayEndpoint;
  readonly fields: Readonly<Record<string, string>>;
  readonly httpStatus: number;
  readonly respcd?: string;
  readonly fault?: Fault['kind'];
}

export type RunningSimulator = Awaited<ReturnType<typeof startSimulator>>;

const MAX_BODY_BYTES = 64 * 1024;
const REQUEST_LOG_LIMIT = 2_000;
const PATH_TO_ENDPOINT = new Map(GATEWAY_ENDPOINTS.map((endpoint) => [ENDPOINT_PATHS[endpoint], endpoint]));
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
/** How long a "hang" fault holds a connection before dropping it, so nothing leaks forever. */
const HANG_LIMIT_MS = 10 * 60_000;

export async function startSimulator(options: SimulatorOptions) {
  const store = openSimStore(options.dbPath);
  const credentials = options.credentials ?? storedOrNewCredentials(store);
  store.setMeta('credentials', JSON.stringify(credentials));
  const faults = createFaultBoard();
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0)) throw new RangeError('time scale must be positive');
  const rateLimit = options.rateLimitPerMinute ?? 400;
  const requestLog: RequestLogEntry[] = [];
  const recentCalls: number[] = [];
  // Tests move the gateway's clock (across a month end, past a deadline) without waiting for it.
  let clockOffsetMs = options.clockOffsetMs ?? 0;
  const now = () => Date.now() + clockOffsetMs;
  let publicUrl = '';
  let notifier: Notifier;
  try {
    notifier = createNotifier({
      clientKey: credentials.clientKey,
      url: options.notifyUrl,
      retryDelaysMs: options.notifyRetryDelaysMs,
      faults: options.notifyFaults,
      timeoutMs: options.notifyTimeoutMs,
      random: options.notifyRandom,
    });
  } catch (error) {
    // A notify URL or fault refused in words: the database is not left open behind the error.
    store.close();
    throw error;
  }
  const notifyOf = (notifyType: 'payment' | 'refund', order: SimOrder | undefined) => {
    if (order) notifier.notify(notifyType, queryRecord(order, now()));
  };
  /** The customer pays: the one place a payment succeeds, so the one place it is notified. */
  const pay = (order: SimOrder) => {
    const problem = customerPays(store, order, now());
    if (!problem) notifyOf('payment', store.bySyssn(order.syssn));
    return problem;
  };

  const context = {
    store,
    credentials,
    timeScale,
    now,
    walletUrl: (syssn: string) => `${publicUrl}/__sim__/wallet/${syssn}`,
    cpm: { ...DEFAULT_CPM_BEHAVIOUR },
  };

  function log(entry: Omit<RequestLogEntry, 'at'>) {
    // A customer's code is logged masked, as the till keeps it: the log is read by tests and people.
    requestLog.push({ at: new Date().toISOString(), ...entry, fields: keepableFields(entry.fields) });
    const limit = options.requestLogLimit ?? REQUEST_LOG_LIMIT;
    if (requestLog.length > limit) requestLog.splice(0, requestLog.length - limit);
  }

  function overRateLimit(): boolean {
    if (rateLimit === 0) return false;
    const cutoff = now() - (options.rateLimitWindowMs ?? 60_000);
    while (recentCalls.length > 0 && (recentCalls[0] as number) < cutoff) recentCalls.shift();
    if (recentCalls.length >= rateLimit) return true;
    recentCalls.push(now());
    return false;
  }

  async function openApi(endpoint: GatewayEndpoint, request: IncomingMessage, response: ServerResponse) {
    if (request.method !== 'POST') return sendJson(response, 405, { error: 'use POST' });
    const body = await readBody(request, MAX_BODY_BYTES);
    if (body === undefined) return sendJson(response, 413, { error: 'body too large' });
    if (overRateLimit()) {
      log({ endpoint, fields: {}, httpStatus: 429 });
      response.writeHead(429, { 'Content-Type': 'text/plain', 'Retry-After': '60' });
      return response.end('Too Many Requests');
    }

    const form = new URLSearchParams(body);
    const fields: Record<string, string> = {};
    let duplicated = false;
    for (const [name, value] of form) {
      if (name in fields) duplicated = true;
      fields[name] = value;
    }
    const fault = faults.take(endpoint);
    const recordFault = fault && RECORD_FAULTS.includes(fault.kind);
    // The delay comes before the work, or (afterProcessing) between the work and the answer.
    if (fault && !fault.afterProcessing && fault.delayMs > 0) await sleep(fault.delayMs);
    if (fault && fault.kind !== 'delay' && !recordFault && !fault.afterProcessing) return sendFault(endpoint, fields, fault, response);

    let answer: SimAnswer = duplicated
      ? { respcd: '1103', resperr: 'Request format error', respmsg: 'a parameter was sent twice' }
      : answerOpenApi(context, {
          endpoint,
          fields,
          appCode: header(request, 'x-qf-appcode'),
          sign: header(request, 'x-qf-sign'),
          signType: header(request, 'x-qf-signtype'),
        });
    // QFPay notifies a refund it made even when the answer to the caller is lost (a fault below).
    if (endpoint === 'refund' && answer.respcd === '0000' && typeof answer.syssn === 'string') notifyOf('refund', store.bySyssn(answer.syssn));
    // And a payment with the customer's code that was made at once.
    if (endpoint === 'payment' && answer.respcd === '0000' && typeof answer.syssn === 'string' && store.bySyssn(answer.syssn)?.state === 'paid') notifyOf('payment', store.bySyssn(answer.syssn));
    if (fault?.afterProcessing && fault.delayMs > 0) await sleep(fault.delayMs);
    if (fault && recordFault) {
      answer = applyRecordFault(answer, fault) as SimAnswer;
    } else if (fault?.kind === 'respcd') {
      // The work was done and the answer says otherwise: the rest of the answer (a QR...) still comes.
      answer = { ...answer, respcd: fault.respcd as string, resperr: 'injected fault' };
    } else if (fault && fault.kind !== 'delay') {
      return sendFault(endpoint, fields, fault, response);
    }
    log({ endpoint, fields, httpStatus: 200, respcd: answer.respcd, fault: fault?.kind === 'delay' ? undefined : fault?.kind });
    sendJson(response, 200, answer);
  }

  function sendFault(endpoint: GatewayEndpoint, fields: Record<string, string>, fault: Fault, response: ServerResponse) {
    log({ endpoint, fields, httpStatus: fault.kind === 'http_500' ? 500 : fault.kind === 'http_429' ? 429 : 200, fault: fault.kind, respcd: fault.respcd });
    switch (fault.kind) {
      case 'http_500':
        response.writeHead(500, { 'Content-Type': 'text/plain' });
        return response.end('Internal Server Error');
      case 'http_429':
        response.writeHead(429, { 'Content-Type': 'text/plain', 'Retry-After': '1' });
        return response.end('Too Many Requests');
      case 'garbage':
        response.writeHead(200, { 'Content-Type': 'text/html' });
        return response.end('<html><body>502 Bad Gateway</body></html>');
      case 'malformed':
        // Valid JSON, wrong shape: respcd is not a code and data is not an array.
        return sendJson(response, 200, { respcd: { code: '0000' }, data: 'not-an-array' });
      case 'respcd': {
        const respcd = fault.respcd as string;
        return sendJson(response, 200, { respcd, resperr: 'injected fault', respmsg: '' });
      }
      case 'hang': {
        const timer = setTimeout(() => response.destroy(), HANG_LIMIT_MS);
        response.on('close', () => clearTimeout(timer));
        return;
      }
      case 'delay':
        return;
    }
  }

  async function wallet(path: string, request: IncomingMessage, response: ServerResponse) {
    const match = /^\/__sim__\/wallet\/([0-9]{1,40})(?:\/(pay|decline))?$/.exec(path);
    if (!match) return sendJson(response, 404, { error: 'no such page' });
    const syssn = match[1] as string;
    const action = match[2];
    if (action) {
      if (request.method !== 'POST') return sendJson(response, 405, { error: 'use POST' });
      const order = store.bySyssn(syssn);
      if (order) {
        if (action === 'pay') pay(order);
        else customerFails(store, order, '1201', now());
      }
      response.writeHead(303, { Location: `/__sim__/wallet/${syssn}` });
      return response.end();
    }
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': WALLET_PAGE_CSP });
    const order = store.bySyssn(syssn);
    response.end(walletPage(order, now(), order ? options.tillDeadline?.(order.outTradeNo) : undefined));
  }

  /**
   * The training wallet's payment codes, open to the LAN like the wallet page: a phone may show
   * the code to the till's scanner. Each load shows a new code (the "New code" button reloads);
   * the code is never logged, and the page is never cached.
   */
  async function codes(path: string, request: IncomingMessage, response: ServerResponse) {
    const match = /^\/__sim__\/code(?:\/([a-z]+))?\/?$/.exec(path);
    const wallet = match?.[1];
    if (!match || (wallet !== undefined && !CODE_WALLETS.includes(wallet as CodeWallet))) return sendJson(response, 404, { error: 'no such page' });
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendJson(response, 405, { error: 'use GET' });
    let html: string;
    if (wallet === undefined) {
      html = codeChoicePage();
    } else {
      const shown = showNewCode(context, wallet as CodeWallet);
      html = codePage(shown, await codePictures(shown.code));
    }
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': WALLET_PAGE_CSP, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    response.end(request.method === 'HEAD' ? undefined : html);
  }

  async function control(path: string, request: IncomingMessage, response: ServerResponse) {
    if (!LOOPBACK.has(request.socket.remoteAddress ?? '')) return sendJson(response, 403, { error: 'control surface is loopback only' });
    const method = request.method ?? 'GET';
    const route = `${method} ${path}`;

    if (route === 'GET /__sim__/health') return sendJson(response, 200, { ok: true, timeScale, orders: store.all().length });
    if (route === 'GET /__sim__/clock') return sendJson(response, 200, { now: new Date(now()).toISOString(), offsetMs: clockOffsetMs });
    if (route === 'PUT /__sim__/clock') {
      const parsed = z.object({ offsetMs: z.number().int() }).strict().safeParse(await readJson(request));
      if (!parsed.success) return sendJson(response, 400, { error: z.prettifyError(parsed.error) });
      clockOffsetMs = parsed.data.offsetMs;
      return sendJson(response, 200, { now: new Date(now()).toISOString(), offsetMs: clockOffsetMs });
    }
    if (route === 'GET /__sim__/orders') return sendJson(response, 200, { orders: store.all().map((order) => orderView(order, now())) });
    if (route === 'GET /__sim__/requests') return sendJson(response, 200, { requests: requestLog });
    if (route === 'DELETE /__sim__/requests') {
      requestLog.length = 0;
      return sendJson(response, 200, { ok: true });
    }
    if (route === 'GET /__sim__/notify') {
      return sendJson(response, 200, { ...notifier.settings(), totals: notifier.totals(), deliveries: notifier.deliveries() });
    }
    if (route === 'PUT /__sim__/notify') {
      const parsed = notifySettingsSchema.safeParse(await readJson(request));
      if (!parsed.success) return sendJson(response, 400, { error: z.prettifyError(parsed.error) });
      return sendJson(response, 200, notifier.configure(parsed.data));
    }
    if (route === 'GET /__sim__/cpm') return sendJson(response, 200, context.cpm);
    if (route === 'PUT /__sim__/cpm') {
      const parsed = z
        .object({
          passwordFromMinor: z.number().int().min(1).optional(),
          confirmMinutes: z.number().positive().max(120).optional(),
          codeLifetimeSeconds: z.number().positive().max(3600).optional(),
          reversalOfPaid: z.enum(['refused', 'reverses']).optional(),
        })
        .strict()
        .safeParse(await readJson(request));
      if (!parsed.success) return sendJson(response, 400, { error: z.prettifyError(parsed.error) });
      Object.assign(context.cpm, Object.fromEntries(Object.entries(parsed.data).filter(([, value]) => value !== undefined)));
      return sendJson(response, 200, context.cpm);
    }
    if (route === 'GET /__sim__/faults') return sendJson(response, 200, { faults: faults.list() });
    if (route === 'DELETE /__sim__/faults') {
      faults.clear();
      return sendJson(response, 200, { ok: true });
    }

    const faultMatch = /^\/__sim__\/faults\/([a-z]+)$/.exec(path);
    if (faultMatch) {
      const endpoint = faultMatch[1] as GatewayEndpoint;
      if (!GATEWAY_ENDPOINTS.includes(endpoint)) return sendJson(response, 404, { error: `no endpoint ${endpoint}` });
      if (method === 'DELETE') {
        faults.clear(endpoint);
        return sendJson(response, 200, { ok: true });
      }
      if (method !== 'PUT') return sendJson(response, 405, { error: 'use PUT or DELETE' });
      const parsed = faultSchema.safeParse(await readJson(request));
      if (!parsed.success) return sendJson(response, 400, { error: z.prettifyError(parsed.error) });
      faults.set(endpoint, parsed.data);
      return sendJson(response, 200, { ok: true, fault: parsed.data });
    }

    const orderMatch = /^\/__sim__\/orders\/([^/]{1,128})(?:\/(pay|fail))?$/.exec(path);
    if (orderMatch) {
      const number = orderMatch[1] as string;
      const action = orderMatch[2];
      const order = store.byOutTradeNo(decodeURIComponent(number));
      if (!order) return sendJson(response, 404, { error: 'no such order' });
      if (!action && method === 'GET') return sendJson(response, 200, orderView(order, now()));
      if (!action || method !== 'POST') return sendJson(response, 405, { error: 'use GET, or POST to pay or fail' });
      let problem;
      if (action === 'pay') {
        problem = pay(order);
      } else {
        const parsed = z.object({ respcd: z.string().regex(/^\d{4}$/).default('1201') }).strict().safeParse((await readJson(request)) ?? {});
        if (!parsed.success) return sendJson(response, 400, { error: z.prettifyError(parsed.error) });
        problem = customerFails(store, order, parsed.data.respcd, now());
      }
      if (problem) return sendJson(response, 409, { error: problem, order: orderView(order, now()) });
      return sendJson(response, 200, orderView(store.bySyssn(order.syssn) ?? order, now()));
    }
    sendJson(response, 404, { error: 'no such control route' });
  }

  const server = http.createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://simulator').pathname;
    const endpoint = PATH_TO_ENDPOINT.get(path);
    const handled = endpoint
      ? openApi(endpoint, request, response)
      : path.startsWith('/__sim__/wallet/')
        ? wallet(path, request, response)
        : path === CODE_PAGE_PATH || path.startsWith(`${CODE_PAGE_PATH}/`)
          ? codes(path, request, response)
          : path.startsWith('/__sim__/')
          ? control(path, request, response)
          : Promise.resolve(sendJson(response, 404, { error: 'not found' }));
    handled.catch((error: unknown) => {
      console.error('simulator: request failed:', error instanceof Error ? error.message : error);
      if (!response.headersSent) sendJson(response, 500, { error: 'simulator error' });
      else response.destroy();
    });
  });

  const host = options.host ?? '127.0.0.1';
  const listen = async (wanted: number) => {
    server.listen(wanted, host);
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
  };
  const kept = options.stablePort ? Number(store.getMeta('port') ?? 0) : 0;
  try {
    await listen(options.port ?? kept);
  } catch (error) {
    if (!options.stablePort || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    await listen(0);
  }
  const port = (server.address() as AddressInfo).port;
  // A kept port taken means another process runs this gateway now (the app, beside a CLI command): keep it.
  if (options.stablePort && (kept === 0 || port === kept)) store.setMeta('port', String(port));
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  publicUrl = (options.publicUrl ?? (host === '0.0.0.0' || host === '::' ? `http://${lanAddress()}:${port}` : url)).replace(/\/+$/, '');

  return {
    url,
    port,
    publicUrl,
    /** The training wallet's page of customers' payment codes (CPM), for the till's scanner. */
    codePageUrl: `${publicUrl}${CODE_PAGE_PATH}`,
    credentials,
    store,
    faults,
    /** QFPay's asynchronous notifications: configure them, read their deliveries, wait for them. */
    notifier: {
      configure: notifier.configure,
      settings: notifier.settings,
      deliveries: notifier.deliveries,
      totals: notifier.totals,
      idle: notifier.idle,
    },
    requests: () => [...requestLog] as readonly RequestLogEntry[],
    /** Moves the gateway's clock: the same as `PUT /__sim__/clock`. */
    setClockOffset(offsetMs: number) {
      clockOffsetMs = offsetMs;
    },
    async close() {
      // First: a retry's timer or a request in flight would keep the process alive.
      await notifier.close();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
      store.close();
    },
  };
}

function storedOrNewCredentials(store: ReturnType<typeof openSimStore>): SimCredentials {
  const stored = store.getMeta('credentials');
  if (stored) return JSON.parse(stored) as SimCredentials;
  return {
    appCode: randomBytes(16).toString('hex').toUpperCase(),
    clientKey: randomBytes(16).toString('hex').toUpperCase(),
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const body = await readBody(request, MAX_BODY_BYTES);
  if (!body) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

function lanAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return '127.0.0.1';
}
