import { RELAY_HEARTBEAT_MS, type NotificationSignal } from '../../../shared/qfpay/notifications';
import type { ConfirmationStatus, PollingReason } from '../../../shared/ipc/contract';

/**
 * How a till learns that a customer paid: by QFPay's push (a notification through the head
 * office's relay, then one query at once) or by asking QFPay over and over. While pushes are
 * proven to arrive, the till's own checks drop to a slow safety net and leave the merchant's 400
 * calls a minute to the counters; the moment the proof lapses it goes back to checking at the live
 * pace by itself. Pushes are proven while all of these hold:
 * - the till is LISTENing to the head office;
 * - a relay said it was alive within the last three heartbeats;
 * - a notification for this merchant arrived within PUSH_SILENCE_MS: a relay that runs while QFPay
 *   was never told its URL, or stopped sending, proves nothing;
 * - the till has not just confirmed MISSES_BEFORE_POLLING payments in a row whose notification
 *   never came (within MISS_GRACE_MS): a merchant whose pushes stopped is found out in a few sales,
 *   not minutes. Single losses (QFPay's retries are minutes apart) are what the safety net is for.
 */
export const HEARTBEAT_FRESH_MS = 3 * RELAY_HEARTBEAT_MS;
export const PUSH_SILENCE_MS = 5 * 60_000;
export const MISS_GRACE_MS = 30_000;
export const MISSES_BEFORE_POLLING = 3;
/** Notified numbers remembered, so that a payment confirmed before its notification is not counted a miss. */
const NOTIFIED_REMEMBERED = 1_000;

export interface PushFacts {
  readonly listening: boolean;
  readonly lastHeartbeatAt: number | undefined;
  readonly lastNotificationAt: number | undefined;
  readonly consecutiveMisses: number;
  readonly now: number;
}

export type ConfirmationMode = { readonly mode: 'pushed' } | { readonly mode: 'polling'; readonly reason: PollingReason };

export function confirmationMode(facts: PushFacts): ConfirmationMode {
  if (!facts.listening) return { mode: 'polling', reason: 'not_listening' };
  if (facts.lastHeartbeatAt === undefined || facts.now - facts.lastHeartbeatAt > HEARTBEAT_FRESH_MS) return { mode: 'polling', reason: 'no_relay' };
  if (facts.lastNotificationAt === undefined || facts.now - facts.lastNotificationAt > PUSH_SILENCE_MS) return { mode: 'polling', reason: 'no_notifications' };
  if (facts.consecutiveMisses >= MISSES_BEFORE_POLLING) return { mode: 'polling', reason: 'notifications_missed' };
  return { mode: 'pushed' };
}

/**
 * The till's side of it: fed the listener's state, the merchant's notifications and the payments
 * the till confirmed, it says the mode now and calls `onChange` when it changes (time alone can
 * change it: a heartbeat going stale).
 */
export function createConfirmationPace(options: {
  readonly appCode: string;
  readonly clock?: () => number;
  readonly onChange?: (mode: ConfirmationMode) => void;
  /** How often the mode is looked at again as time passes. */
  readonly evaluateEveryMs?: number;
}) {
  const clock = options.clock ?? Date.now;
  let listening = false;
  let lastHeartbeatAt: number | undefined;
  let lastNotificationAt: number | undefined;
  let consecutiveMisses = 0;
  const notified = new Set<string>();
  /** Payments confirmed without their notification yet: when each was. */
  const awaited = new Map<string, number>();
  let current: ConfirmationMode = { mode: 'polling', reason: 'not_listening' };

  function evaluate(): ConfirmationMode {
    const now = clock();
    for (const [number, at] of awaited) {
      if (now - at < MISS_GRACE_MS) continue;
      awaited.delete(number);
      // Counted once: a later change to the same order is not another miss.
      notified.add(number);
      consecutiveMisses += 1;
    }
    const next = confirmationMode({ listening, lastHeartbeatAt, lastNotificationAt, consecutiveMisses, now });
    const changed = next.mode !== current.mode || (next.mode === 'polling' && current.mode === 'polling' && next.reason !== current.reason);
    current = next;
    if (changed) options.onChange?.(current);
    return current;
  }

  const timer = setInterval(evaluate, options.evaluateEveryMs ?? 1_000);
  timer.unref();

  return {
    mode: evaluate,
    pushed: () => evaluate().mode === 'pushed',
    listenerState(state: { listening: boolean; lastHeartbeatAt: number | undefined }) {
      listening = state.listening;
      lastHeartbeatAt = state.lastHeartbeatAt;
      evaluate();
    },
    /** A notification stored by the relay: whether it is this merchant's (other merchants' are not this till's business). */
    notification(signal: NotificationSignal): boolean {
      if (signal.app_code !== options.appCode) return false;
      lastNotificationAt = clock();
      consecutiveMisses = 0;
      awaited.delete(signal.out_trade_no);
      notified.add(signal.out_trade_no);
      if (notified.size > NOTIFIED_REMEMBERED) notified.delete(notified.values().next().value as string);
      evaluate();
      return true;
    },
    /** This till recorded a payment as paid: its notification is expected, if it has not come already. */
    paymentConfirmed(outTradeNo: string) {
      if (!notified.has(outTradeNo) && !awaited.has(outTradeNo)) awaited.set(outTradeNo, clock());
    },
    status(intervals: { pollIntervalMs: number; pushedCheckIntervalMs: number }): ConfirmationStatus {
      const mode = evaluate();
      return mode.mode === 'pushed'
        ? { mode: 'pushed', checkEveryMs: Math.max(intervals.pushedCheckIntervalMs, intervals.pollIntervalMs) }
        : { mode: 'polling', checkEveryMs: intervals.pollIntervalMs, reason: mode.reason };
    },
    stop() {
      clearInterval(timer);
    },
  };
}

export type ConfirmationPace = ReturnType<typeof createConfirmationPace>;
