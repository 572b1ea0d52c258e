import { backoffDelay } from './callBudget';
import type { CheckReport, Till } from './till';

/**
 * One loop per till: every few seconds, one batched enquiry for all its open orders. It backs off
 * after 429s, 5xx and timeouts, never runs two checks at once, and checks orders the till gave up
 * on (expired, cancelled) for late payments at a slower pace when nothing else is open.
 */
export function createPoller(till: Till, clock: () => number = Date.now) {
  const { pollIntervalMs, lateWatchIntervalMs } = till.settings;
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
    const delay = report?.budgetExhausted
      ? Math.max(pollIntervalMs, till.budget.msUntilFree())
      : report?.ok
        ? pollIntervalMs
        : backoffDelay(pollIntervalMs, failures, report?.retryAfterSeconds);
    schedule(delay);
  }

  function schedule(delayMs: number): void {
    if (!running) return;
    clearTimeout(timer);
    // Not unref'd: a running poller is a reason for the process to stay (charge --wait); stop() ends it.
    timer = setTimeout(() => void tick(), delayMs);
  }

  till.onCheckSoon(() => {
    if (running && failures === 0) schedule(250);
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
