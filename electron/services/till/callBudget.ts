/**
 * The till's share of the merchant's rate limit. QFPay allows 400 calls a minute per merchant,
 * shared by all its tills; each till keeps to its own budget (default 80). Polling may use the
 * budget only while a reserve is left, so a cashier's charge or cancel is never starved by it.
 */
export interface CallBudget {
  /** Takes a slot for a background poll, if one is free beyond the reserve. */
  tryTakeForPoll(): boolean;
  /** Takes a slot for a cashier or manager action, if one is free at all. */
  tryTakeForAction(): boolean;
  /** Milliseconds until the oldest call leaves the window. */
  msUntilFree(): number;
  usedInLastMinute(): number;
  /**
   * Waits, briefly, until a cashier's action could take a call (a shared budget may be drawing
   * one). Called before the action's checks, never between them and the call: it takes nothing.
   */
  readyForAction?(maxWaitMs: number): Promise<void>;
}

/** How long a cashier's action waits for a call from the store's shared budget before "busy". */
export const ACTION_WAIT_MS = 1_500;

export function createCallBudget(limitPerMinute: number, clock: () => number): CallBudget {
  const reserve = Math.max(1, Math.floor(limitPerMinute / 6));
  const calls: number[] = [];
  const prune = () => {
    const cutoff = clock() - 60_000;
    while (calls.length > 0 && (calls[0] as number) <= cutoff) calls.shift();
  };
  const take = (limit: number) => {
    prune();
    if (calls.length >= limit) return false;
    calls.push(clock());
    return true;
  };
  return {
    tryTakeForPoll: () => take(limitPerMinute - reserve),
    tryTakeForAction: () => take(limitPerMinute),
    msUntilFree() {
      prune();
      return calls.length === 0 ? 0 : Math.max(0, (calls[0] as number) + 60_000 - clock());
    },
    usedInLastMinute() {
      prune();
      return calls.length;
    },
  };
}

/** Doubling delay after failed polls (429, 5xx, timeouts), capped; a Retry-After wins if longer. */
export function backoffDelay(intervalMs: number, consecutiveFailures: number, retryAfterSeconds?: number): number {
  const doubled = Math.min(60_000, intervalMs * 2 ** Math.min(consecutiveFailures, 5));
  return Math.max(doubled, (retryAfterSeconds ?? 0) * 1000);
}
