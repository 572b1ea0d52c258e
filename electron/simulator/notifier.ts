import { setMaxListeners } from 'node:events';
import { setTimeout as wait } from 'node:timers/promises';
import { z } from 'zod';
import { notificationBody, notificationSignature, QFPAY_NOTIFY_RETRY_DELAYS_MS, type NotifyType } from '../../shared/qfpay/notifications';
import { createNotifyFaultBoard, notifyFaultListSchema, type NotifyFault, type NotifyFaultInput, type NotifyFaultKind } from './notifyFaults';
import { postNotification, type AttemptOutcome } from './postNotification';

/**
 * The simulator's asynchronous notifications, sent as QFPay sends them (shared/qfpay/notifications.ts):
 * after a payment or a refund succeeds, the body is POSTed to the configured URL, signed with the
 * client key, and tried again after QFPay's delays until the receiver answers 200 `SUCCESS`.
 * Deliveries run apart from the request that caused them: a slow receiver never slows a payment.
 */

/** QFPay gives a receiver about this long to answer before it counts the attempt as failed. */
export const NOTIFY_TIMEOUT_MS = 10_000;
const DELIVERY_LOG_LIMIT = 2_000;

export const notifyUrlSchema = z
  .string()
  .max(2_048)
  .refine((text) => {
    try {
      const url = new URL(text);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'the notify URL must be an absolute http:// or https:// URL');

/** What `PUT /__sim__/notify` and `notifier.configure` take; an absent field keeps its setting. */
export const notifySettingsSchema = z
  .object({
    /** null stops notifying (deliveries already under way go on). */
    url: notifyUrlSchema.nullable().optional(),
    /** Replaces the faults in force; [] clears them. */
    faults: notifyFaultListSchema.optional(),
    /** Waits between attempts (QFPay's 2m ... 15h by default); tests shorten them. */
    retryDelaysMs: z.array(z.number().int().min(0).max(86_400_000)).max(20).optional(),
  })
  .strict();

export type NotifySettingsInput = z.input<typeof notifySettingsSchema>;

export interface NotifySettings {
  readonly url: string | null;
  readonly retryDelaysMs: readonly number[];
  /** With what is left of each one's `times`. */
  readonly faults: readonly NotifyFault[];
}

export interface NotifierOptions {
  /** Signs every notification; never logged nor shown. */
  readonly clientKey: string;
  readonly url?: string;
  readonly retryDelaysMs?: readonly number[];
  readonly faults?: readonly NotifyFaultInput[];
  readonly timeoutMs?: number;
  /** Decides which notifications a fault's `rate` hits; tests give a fixed sequence. */
  readonly random?: () => number;
  readonly warn?: (line: string) => void;
}

export type DeliveryState = 'dropped' | 'held' | 'delayed' | 'sending' | 'retrying' | 'delivered' | 'gave_up' | 'cancelled';

export interface NotificationAttempt extends AttemptOutcome {
  readonly at: string;
}

export interface NotificationDelivery {
  readonly id: number;
  readonly notifyType: NotifyType;
  readonly syssn: string;
  readonly outTradeNo: string;
  readonly url: string;
  /** The faults that hit this notification (both copies of a duplicate list them). */
  readonly faults: readonly NotifyFaultKind[];
  /** A `duplicate` fault's second sending of the same body is a delivery of its own. */
  readonly copy: 'original' | 'duplicate';
  readonly state: DeliveryState;
  readonly attempts: readonly NotificationAttempt[];
}

export interface NotifyTotals {
  /** Payments and refunds that were to be notified (a URL was set). */
  readonly notifications: number;
  readonly dropped: number;
  readonly attempts: number;
  readonly delivered: number;
  readonly gaveUp: number;
}

type Delivery = { -readonly [K in keyof NotificationDelivery]: NotificationDelivery[K] } & { attempts: NotificationAttempt[] };

export type Notifier = ReturnType<typeof createNotifier>;

export function createNotifier(options: NotifierOptions) {
  const warn = options.warn ?? ((line: string) => console.warn(line));
  const timeoutMs = options.timeoutMs ?? NOTIFY_TIMEOUT_MS;
  const faultBoard = createNotifyFaultBoard(options.random ?? Math.random);
  let url: string | null = null;
  let retryDelaysMs: readonly number[] = QFPAY_NOTIFY_RETRY_DELAYS_MS;
  let nextId = 1;
  const log: Delivery[] = [];
  const totals = { notifications: 0, dropped: 0, attempts: 0, delivered: 0, gaveUp: 0 };
  /** Every delivery under way, so that idle() and close() can wait for them without sleeping. */
  const pending = new Set<Promise<void>>();
  /** Releases of the notifications an `out_of_order` fault holds back until the next one goes out. */
  const held = new Set<() => void>();
  const closing = new AbortController();
  // Every wait listens to this one signal; hundreds at once under a bench are expected.
  setMaxListeners(0, closing.signal);

  function configure(input: NotifySettingsInput): NotifySettings {
    const parsed = notifySettingsSchema.safeParse(input);
    if (!parsed.success) throw new TypeError(z.prettifyError(parsed.error));
    const settings = parsed.data;
    if (settings.url !== undefined) url = settings.url;
    if (settings.faults !== undefined) faultBoard.set(settings.faults);
    if (settings.retryDelaysMs !== undefined) retryDelaysMs = settings.retryDelaysMs;
    return current();
  }

  const current = (): NotifySettings => ({ url, retryDelaysMs: [...retryDelaysMs], faults: faultBoard.list() });
  configure({ url: options.url, retryDelaysMs: options.retryDelaysMs ? [...options.retryDelaysMs] : undefined, faults: options.faults ? [...options.faults] : undefined });

  function record(delivery: Omit<Delivery, 'id' | 'attempts'>): Delivery {
    const entry: Delivery = { id: nextId++, attempts: [], ...delivery };
    log.push(entry);
    if (log.length > DELIVERY_LOG_LIMIT) log.splice(0, log.length - DELIVERY_LOG_LIMIT);
    return entry;
  }

  function track(delivery: Promise<void>) {
    pending.add(delivery);
    void delivery.finally(() => pending.delete(delivery));
  }

  /** A wait that ends early, rejecting, once the simulator closes. */
  const pause = (ms: number) => wait(ms, undefined, { signal: closing.signal });

  function holdBack(maxHoldMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const release = () => {
        clearTimeout(timer);
        held.delete(release);
        closing.signal.removeEventListener('abort', cancel);
        resolve();
      };
      const cancel = () => {
        clearTimeout(timer);
        held.delete(release);
        reject(closing.signal.reason);
      };
      const timer = setTimeout(release, maxHoldMs);
      held.add(release);
      closing.signal.addEventListener('abort', cancel, { once: true });
    });
  }

  /** Attempts until accepted or out of retries; `afterFirstAttempt` runs once the first is answered. */
  async function send(delivery: Delivery, body: Uint8Array, signature: string, delays: readonly number[], afterFirstAttempt: () => void) {
    for (let attempt = 0; ; attempt += 1) {
      delivery.state = 'sending';
      const at = new Date().toISOString();
      const outcome = await postNotification(delivery.url, body, signature, timeoutMs, closing.signal);
      if (closing.signal.aborted) throw closing.signal.reason;
      delivery.attempts.push({ at, ...outcome });
      totals.attempts += 1;
      if (attempt === 0) afterFirstAttempt();
      if (outcome.accepted) {
        delivery.state = 'delivered';
        totals.delivered += 1;
        return;
      }
      const delay = delays[attempt];
      if (delay === undefined) {
        delivery.state = 'gave_up';
        totals.gaveUp += 1;
        const last = outcome.problem ?? `HTTP ${outcome.httpStatus}: ${JSON.stringify(outcome.answer ?? '')}`;
        warn(`simulator: gave up notifying the ${delivery.notifyType} ${delivery.syssn} to ${delivery.url} after ${delivery.attempts.length} attempts (last: ${last})`);
        return;
      }
      delivery.state = 'retrying';
      await pause(delay);
    }
  }

  /** Runs a delivery to its end; closing the simulator ends it as cancelled, never as an error. */
  function run(delivery: Delivery, steps: () => Promise<void>) {
    track(
      steps().catch((error: unknown) => {
        if (closing.signal.aborted) {
          delivery.state = 'cancelled';
          return;
        }
        // A bug here must not take the gateway down with an unhandled rejection: it is said and ended.
        delivery.state = 'gave_up';
        warn(`simulator: the notification of ${delivery.syssn} failed: ${error instanceof Error ? error.message : String(error)}`);
      }),
    );
  }

  /** A payment or refund succeeded: its record, as the enquiry returns it, goes to the receiver. */
  function notify(notifyType: NotifyType, queryRecord: Readonly<Record<string, string>>) {
    if (closing.signal.aborted || url === null) return;
    totals.notifications += 1;
    const faults = faultBoard.roll();
    const fault = <K extends NotifyFaultKind>(kind: K) => faults.find((hit): hit is Extract<NotifyFault, { kind: K }> => hit.kind === kind);
    const base = {
      notifyType,
      syssn: queryRecord.syssn ?? '',
      outTradeNo: queryRecord.out_trade_no ?? '',
      url,
      faults: faults.map((hit) => hit.kind),
    };
    if (fault('drop')) {
      totals.dropped += 1;
      record({ ...base, copy: 'original', state: 'dropped' });
      return;
    }
    // Built once: QFPay's retries and duplicates carry the same bytes, so a receiver can compare them.
    const body = notificationBody(queryRecord, notifyType);
    const signature = notificationSignature(body, fault('bad_signature') ? `NOT-${options.clientKey}` : options.clientKey);
    const delays = retryDelaysMs;
    const original = record({ ...base, copy: 'original', state: 'sending' });
    const outOfOrder = fault('out_of_order');
    const delay = fault('delay');

    run(original, async () => {
      if (outOfOrder) {
        original.state = 'held';
        await holdBack(outOfOrder.maxHoldMs);
      }
      if (delay) {
        original.state = 'delayed';
        await pause(delay.delayMs);
      }
      // What was held back goes out once this one has: the receiver sees them out of order.
      const overtaken = outOfOrder ? [] : [...held];
      await send(original, body, signature, delays, () => {
        overtaken.forEach((release) => release());
        if (!fault('duplicate')) return;
        const copy = record({ ...base, copy: 'duplicate', state: 'sending' });
        run(copy, () => send(copy, body, signature, delays, () => undefined));
      });
    });
  }

  return {
    notify,
    configure,
    settings: current,
    /** The latest deliveries (2,000 at most), oldest first: copies, not the live entries. */
    deliveries: (): readonly NotificationDelivery[] => structuredClone(log),
    totals: (): NotifyTotals => ({ ...totals }),
    /**
     * Resolves once no delivery is under way: all delivered, given up, dropped or cancelled. A
     * notification held back or waiting for a retry counts as under way, so with QFPay's own
     * delays this can take hours: tests and benches shorten `retryDelaysMs`.
     */
    async idle(): Promise<void> {
      while (pending.size > 0) await Promise.all(pending);
    },
    /** Cancels every wait, hold and request in flight, and resolves once all have ended. */
    async close(): Promise<void> {
      closing.abort();
      while (pending.size > 0) await Promise.allSettled(pending);
    },
  };
}
