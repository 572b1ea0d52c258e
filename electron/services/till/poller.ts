import { ACTION_WAIT_MS, backoffDelay } from './callBudget';
import type { CheckReport, CheckSoonReason, Till } from './till';

/**
 * One loop per till: one batched enquiry for all its open orders, every 1.25 s while a new QR is
 * live (its customer may pay any second), every few seconds otherwise. Watched orders (cancelled,
 * expired, before a manager) ride in the same request every 30 s and never add one. It backs off
 * after 429s, 5xx and timeouts, and never runs two checks at once.
 *
 * While QFPay's pushes are proven to arrive (`pushed`, confirmationPace.ts), a notification for
 * one of the till's open items makes it look at once (`lookNow`), with a cashier's priority for
 * the call: a customer has paid and waits. Its own checks are then only a safety net, every
 * `pushedCheckIntervalMs` (10 s); when the proof lapses it is back at the live pace within one interval.
 */
export interface PollerPace {
  pushed(): boolean;
  /** Started and stopped with the loop (the LISTEN connection that proves pushes). */
  start?(): void;
  stop?(): Promise<void>;
}

export function createPoller(till: Till, clock: () => number = Date.now, pace?: PollerPace) {
  const { pollIntervalMs, lateWatchIntervalMs, liveCheckIntervalMs, pushedCheckIntervalMs } = till.settings;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let checking = false;
  /** A notification asked for a look that has not been made yet. */
  let urgent = false;
  let failures = 0;
  let lastWatch = Number.NEGATIVE_INFINITY;
  let chain: Promise<unknown> = Promise.resolve();

  /** Runs checks one after another, whoever asks (the loop, "check soon", a manager's reconcile). */
  function serial<T>(work: () => Promise<T>): Promise<T> {
    const next = chain.then(work, work);
    chain = next.catch(() => undefined);
    return next;
  }

  const pushed = () => pace?.pushed() ?? false;
  /** The pace the loop keeps now: the safety net under pushes, otherwise live-first polling. */
  function interval(): number {
    if (pushed()) return Math.max(pushedCheckIntervalMs, pollIntervalMs);
    return till.hasLiveQr() ? Math.min(liveCheckIntervalMs, pollIntervalMs) : pollIntervalMs;
  }

  async function tick(): Promise<void> {
    timer = undefined;
    checking = true;
    const forNotification = urgent;
    urgent = false;
    const includeWatched = clock() - lastWatch >= lateWatchIntervalMs;
    let report: CheckReport | undefined;
    try {
      // As the cashier's screen does before a charge: a shared call may be on its way.
      if (forNotification) await till.budget.readyForAction?.(ACTION_WAIT_MS);
      report = await serial(() => till.checkOpenOrders({ includeWatched, urgent: forNotification }));
    } catch (error) {
      // A ledger error must not stop the loop for good; it is reported and retried with backoff.
      console.error('poller: check failed:', error instanceof Error ? error.message : error);
    }
    checking = false;
    if (report?.ok && includeWatched) lastWatch = clock();
    failures = report?.ok || report?.budgetExhausted ? 0 : failures + 1;
    // A notification that found no call free is not dropped: it is tried again as soon as one is.
    if (forNotification && report?.budgetExhausted) urgent = true;
    const delay = urgent && failures === 0
      ? report?.budgetExhausted
        ? Math.max(250, till.budget.msUntilFree())
        : 0
      : report?.budgetExhausted
        ? // Tried again as soon as a call can be free, not a whole interval later: under pushes the
          // interval (10 s) outlasts the calls a shared budget draws for it (held 5 s), so waiting
          // it out would find them given back every time, and the safety net would never run.
          Math.max(250, till.budget.msUntilFree())
        : report?.ok
          ? interval()
          : backoffDelay(pollIntervalMs, failures, report?.retryAfterSeconds);
    schedule(delay);
  }

  let nextAt = Number.POSITIVE_INFINITY;
  function schedule(delayMs: number): void {
    if (!running) return;
    clearTimeout(timer);
    nextAt = Date.now() + delayMs;
    // Not unref'd: a running poller is a reason for the process to stay (charge --wait); stop() ends it.
    timer = setTimeout(() => {
      nextAt = Number.POSITIVE_INFINITY;
      void tick();
    }, delayMs);
  }

  /** Sooner, never later, than the check already planned; a check under way plans its own next one. */
  function bringForward(inMs: number): void {
    if (running && failures === 0 && timer !== undefined && Date.now() + inMs < nextAt) schedule(inMs);
  }

  till.onCheckSoon((reason: CheckSoonReason = 'look_again') => {
    if (reason === 'look_again') bringForward(250);
    // A new QR is checked at the live pace unless pushes will say when it is paid.
    else if (!pushed()) bringForward(liveCheckIntervalMs);
  });

  return {
    /** Starts the loop with an immediate check: on start-up every open order is resumed. */
    start() {
      if (running) return;
      running = true;
      pace?.start?.();
      schedule(0);
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      timer = undefined;
      await pace?.stop?.();
      await chain;
    },
    /** QFPay says one of this till's open items changed: one check at once (or right after the one under way). */
    lookNow() {
      if (!running) return;
      urgent = true;
      if (!checking) bringForward(0);
    },
    /** The pace may have changed (pushes lost or proven): the next check comes within the new interval. */
    paceChanged() {
      if (!checking) bringForward(interval());
    },
    /** Resolve every open order now, including those watched for late payments. */
    reconcile: () => serial(() => till.checkOpenOrders({ includeWatched: true, userRequested: true })),
    get consecutiveFailures() {
      return failures;
    },
  };
}

export type Poller = ReturnType<typeof createPoller>;
