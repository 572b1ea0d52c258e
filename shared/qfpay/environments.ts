import { err, ok, type Result } from '../result';

/**
 * Where requests go. The three hosts are QFPay's (developer guide, "API环境"); credentials belong
 * to one environment. `demo` is the embedded simulator, started on a loopback port by the app.
 */
export type GatewayEnvironment = 'demo' | 'sandbox' | 'test' | 'production' | 'custom';

export const QFPAY_HOSTS = {
  /** Simulates cards only. */
  sandbox: 'https://openapi-int.qfapi.com',
  /** Real wallets, nothing settled: refund test payments the same day. */
  test: 'https://test-openapi-hk.qfapi.com',
  production: 'https://openapi-hk.qfapi.com',
} as const;

export type GatewayUrlError = 'gateway_url_invalid' | 'gateway_url_insecure';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A custom gateway URL must be HTTPS, except on this machine (the simulator, a local proxy):
 * payment requests carry amounts and signatures that must not cross a network in clear.
 */
export function parseGatewayUrl(text: string): Result<string, GatewayUrlError> {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return err('gateway_url_invalid');
  }
  if (url.username || url.password || url.search || url.hash) return err('gateway_url_invalid');
  if (url.protocol === 'https:') return ok(url.origin + url.pathname.replace(/\/+$/, ''));
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return ok(url.origin + url.pathname.replace(/\/+$/, ''));
  return err(url.protocol === 'http:' ? 'gateway_url_insecure' : 'gateway_url_invalid');
}

/**
 * Which gateway an order was made through. An order is asked about, closed and refunded only
 * through the same one: another environment's or app code's gateway has never heard of it, and
 * its "no such order" must not write the order off. The embedded demo gateway's address changes
 * at every launch, so it is named `demo`; its app code is kept with its orders and is stable.
 */
export interface GatewayIdentity {
  readonly environment: string;
  readonly baseUrl: string;
  readonly appCode: string;
  /** '' when QFPay issued none. */
  readonly mchid: string;
}

export const DEMO_GATEWAY_URL = 'demo';

export function madeThrough(
  order: { readonly environment: string; readonly gatewayUrl: string | null; readonly appCode: string | null; readonly mchid: string | null },
  gateway: GatewayIdentity,
): boolean {
  if (order.environment !== gateway.environment) return false;
  // Orders written before identities were kept (ledger schema 1) recorded their environment only.
  if (order.gatewayUrl === null || order.appCode === null) return true;
  return order.gatewayUrl === gateway.baseUrl && order.appCode === gateway.appCode && (order.mchid ?? '') === gateway.mchid;
}
