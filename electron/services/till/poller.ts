import { backoffDelay } from './callBudget';
import type { CheckReport, Till } from './till';

/**
 * One loop per till: one batched enquiry for all its open orders, every 1.5 s while a new QR is
 * live (its customer may pay any second), every few seconds otherwise. Watched orders (cancelled,
 * expired, before a manager) ride in the same request every 30 s and never add one. It backs off
 * after 429s, 5xx and timeouts, and never runs two checks at once.
 */
export function createPoller(till: Till, clock: () => number = Date.now) {
  const { pollIntervalMs, lateWatchIntervalMs, liveCheckIntervalMs } = till.settings;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let failures = 0;
  let lastWatch = Number.NEGATIVE_INFINITY;
  let chain: Promise<unknown> = Promise.resolve();

  /** Runs checks one after another, whoever asks (the loop, "check soon", a manager's reconcile). */
  function serial<T>(work: () => Promise<T>): Promise<T> {
    const next = chain.then(work, work);
    chain = next.catch(() => undefined);
    return next;
  }

  async function tick(): Promise<void> {
    timer = undefined;
    const includeWatched = clock() - lastWatch >= lateWatchIntervalMs;
    let report: CheckReport | undefined;
    try {
      report = await serial(() => till.checkOpenOrders({ includeWatched }));
    } catch (error) {
      // A ledger error must not stop the loop for good; it is reported and retried with backoff.
      console.error('poller: check failed:', error instanceof Error ? error.message : error);
    }
    if (report?.ok && includeWatched) lastWatch = clock();
    failures = report?.ok || report?.budgetExhausted ? 0 : failures + 1;
    const interval = till.hasLiveQr() ? Math.min(liveCheckIntervalMs, pollIntervalMs) : pollIntervalMs;
    const delay = report?.budgetExhausted
      ? Math.max(interval, till.budget.msUntilFree())
      : report?.ok
        ? interval
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

  till.onCheckSoon((inMs = 250) => {
    // Sooner, never later, than the check already planned; a check under way plans its own next one.
    if (running && failures === 0 && timer !== undefined && Date.now() + inMs < nextAt) schedule(inMs);
  });

  return {
    /** Starts the loop with an immediate check: on start-up every open order is resumed. */
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      timer = undefined;
      await chain;
    },
    /** Resolve every open order now, including those watched for late payments. */
    reconcile: () => serial(() => till.checkOpenOrders({ includeWatched: true, userRequested: true })),
    get consecutiveFailures() {
      return failures;
    },
  };
}

export type Poller = ReturnType<typeof createPoller>;
