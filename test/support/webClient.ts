import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import type { Role } from '../../shared/ipc/contract';

/**
 * A script talking to web mode as the screens' pages do (or as a non-browser client could), over
 * node:http and node:https: every header can be set (Host included), and HTTPS trusts exactly the
 * till's own certificate (`ca`), so a call that succeeds also proves the certificate names the
 * address it was reached at.
 */
export interface WebAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  readonly json: any;
}

export interface WebRequest {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  /** The till's certificate (PEM), for https:// URLs. */
  readonly ca?: string;
}

export function webRequest(url: string, request: WebRequest = {}): Promise<WebAnswer> {
  const target = new URL(url);
  const body = request.body === undefined ? undefined : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
  const options = {
    method: request.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...request.headers },
    // The certificate is checked against the address dialled, not a Host header a test fakes.
    ...(target.protocol === 'https:' ? { ca: request.ca, servername: undefined, checkServerIdentity: (_host: string, certificate: PeerCertificate) => checkServerIdentity(target.hostname.replace(/^\[|\]$/g, ''), certificate) } : {}),
  };
  return new Promise((resolve, reject) => {
    const call = (target.protocol === 'https:' ? https : http).request(target, options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
      });
    });
    call.on('error', reject);
    call.end(body);
  });
}

/** The one-time code in a screen link's fragment. */
export const codeOf = (link: string) => /#pair=([A-Z0-9-]+)$/.exec(link)?.[1] as string;

/** A page id as a screen's page makes one (new at each load). */
export const newPageId = () => randomBytes(18).toString('hex');

/** Trades a link's code for a screen credential, as the page does when it is opened. */
export async function pairFrom(link: string, role: Role, options: { ca?: string } = {}): Promise<WebAnswer> {
  return webRequest(`${new URL(link).origin}/api/pair`, { body: { role, code: codeOf(link) }, ca: options.ca });
}

/** A paired page of a screen: its commands, with its credential and its page id. */
export function screenPage(origin: string, credential: string, options: { page?: string; ca?: string; headers?: Record<string, string> } = {}) {
  const page = options.page ?? newPageId();
  const headers = { Authorization: `Bearer ${credential}`, 'X-Qfpos-Screen': page, ...options.headers };
  return {
    page,
    headers,
    command: (name: string, payload: unknown = {}) => webRequest(`${origin}/api/commands/${name}`, { body: payload, headers, ca: options.ca }),
    /** Opens the page's event stream; resolves with its status once the headers arrive, and a way to close it. */
    openEvents: () => openStream(`${origin}/api/events`, headers, options.ca),
  };
}

/** An event stream held open, as a page holds it; `close` ends it from the page's side. */
export function openStream(url: string, headers: Record<string, string>, ca?: string): Promise<{ status: number; close(): void; closed: Promise<void> }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const call = (target.protocol === 'https:' ? https : http).request(target, { headers, ...(target.protocol === 'https:' ? { ca } : {}) }, (response) => {
      const closed = new Promise<void>((done) => response.once('close', () => done()));
      response.resume();
      resolve({ status: response.statusCode ?? 0, close: () => call.destroy(), closed });
    });
    call.on('error', reject);
    call.end();
  });
}
