import { WALLET_IDS, type WalletId } from '../../../shared/wallets';
import type { GatewayIdentity } from '../../../shared/qfpay/environments';

export interface TillSettings {
  readonly tillId: string;
  /**
   * The gateway this till talks to (environment, address, app code, mchid). It is kept on every
   * order, and an order is asked about, closed and refunded only through the same one: training
   * never mixes with money, and another gateway's "no such order" never writes an order off.
   */
  readonly gateway: GatewayIdentity;
  /**
   * How long a QR is shown, per wallet. Sent as `expired_time` to Alipay and WeChat Pay; for the
   * others the till applies it itself and treats its end exactly like an expiry.
   */
  readonly qrLifetimeMinutes: Readonly<Record<WalletId, number>>;
  readonly pollIntervalMs: number;
  readonly callBudgetPerMinute: number;
  /** How often orders the till gave up on are checked for a late payment when nothing else is open. */
  readonly lateWatchIntervalMs: number;
  /** How often a QR the customer is looking at now is checked, for its first LIVE_CHECK_WINDOW_MS. */
  readonly liveCheckIntervalMs: number;
  /** How often open items are checked while QFPay's pushes are proven to arrive: a safety net only. */
  readonly pushedCheckIntervalMs: number;
}

/**
 * Defaults. Five minutes is the shortest `expired_time` QFPay allows and long enough for a customer
 * at a counter; PayMe's own terminals give two. Items watched for a late payment or before a
 * manager are asked about every 30 s when nothing else is open.
 */
export const DEFAULT_TILL_SETTINGS = {
  qrLifetimeMinutes: Object.fromEntries(WALLET_IDS.map((id) => [id, 5])) as Record<WalletId, number>,
  pollIntervalMs: 3_000,
  // The merchant's 400 a minute is shared by its tills: 80 each leaves room for five busy counters
  // (set QFPOS_CALL_BUDGET lower for more tills). Back-to-back sales use about 60: the live QR's
  // checks (48 a minute), the payments themselves, and the closes of QR codes given up on.
  callBudgetPerMinute: 80,
  lateWatchIntervalMs: 30_000,
  liveCheckIntervalMs: 1_250,
  // A payment whose notification QFPay lost (its next try is 2 minutes away) is found within this.
  pushedCheckIntervalMs: 10_000,
} as const;

/** How long a new QR is checked at the live pace: most customers pay within the first two minutes. */
export const LIVE_CHECK_WINDOW_MS = 2 * 60_000;

export const POLL_INTERVAL_MIN_MS = 2_000;
export const POLL_INTERVAL_MAX_MS = 10_000;
export const QR_LIFETIME_MAX_MINUTES = 120;
