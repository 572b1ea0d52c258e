import type pg from 'pg';
import { createCallBudget, type CallBudget } from '../till/callBudget';
import { headOfficeError, withHeadOffice } from './connection';
import { migrateHeadOffice } from './postgresSchema';

/**
 * The merchant's call limit shared by its tills through the head office: one token bucket per
 * merchant in PostgreSQL (`draw_calls`), from which each till draws a few calls at a time, so that
 * a call never waits for a round trip. Tills that are idle hold one call for the cashier and give
 * back what they did not use: the rest of the store's limit goes to the counters that are busy.
 *
 * Why it never exceeds the limit. QFPay counts calls in a sliding minute. The bucket refills by
 * the server's clock, and the calls each till holds unspent (it says how many at every draw)
 * count against its capacity until their lease has run out: the bucket and everything held
 * together never exceed the capacity, whatever is given back and drawn again. So the calls in
 * any window W are at most capacity + perSecond × W: 48 + 340 = 388 of 400 with the defaults,
 * leaving room for clocks and latency. A batch not spent within `leaseMs` of its draw is given
 * back, never spent; the lease is timed from when the draw was sent, so a slow answer only
 * shortens it.
 *
 * Without the head office, or while it cannot be reached, the till keeps to its local share (the
 * merchant's limit divided by the number of tills its settings name). Every call is counted in
 * that local window too, so a fall-back in the middle of a busy minute starts from what was used.
 */
export interface SharedBudgetShape {
  /** The bucket's refill: below the merchant's limit by what the sums above need. */
  readonly perSecond: number;
  readonly capacity: number;
  /** How long drawn calls may be used before they are given back. */
  readonly leaseMs: number;
  /** How many calls a till holds while it has a live QR, while it has other work, and idle. */
  readonly holdLive: number;
  readonly holdBusy: number;
  readonly holdIdle: number;
}

// Capacity 48: twenty idle tills keep one or two calls each for their cashiers, and what they hold counts in it.
export const SHARED_BUDGET: SharedBudgetShape = { perSecond: 340 / 60, capacity: 48, leaseMs: 5_000, holdLive: 4, holdBusy: 2, holdIdle: 1 };

/** The same shape on a clock `factor` times faster: tests cross many limit windows in seconds. */
export function fasterBudget(factor: number, shape: SharedBudgetShape = SHARED_BUDGET): SharedBudgetShape {
  return { ...shape, perSecond: shape.perSecond * factor, leaseMs: shape.leaseMs / factor };
}

/** Who a draw is for: a cashier's action first, then the live QR's checks, then background checks. */
export type DrawPriority = 'action' | 'live' | 'background';
const PRIORITY_CODE: Readonly<Record<DrawPriority, number>> = { action: 0, live: 1, background: 2 };

export interface DrawRequest {
  readonly wanted: number;
  readonly returned: number;
  /** What the till still holds, unspent and unexpired, besides what it gives back. */
  readonly held: number;
  readonly priority: DrawPriority;
}

/** Where calls are drawn from: the head office's bucket (or, in unit tests, anything that answers). */
export type DrawCalls = (request: DrawRequest) => Promise<number>;

/** The bucket's key: one merchant is one app code in one environment (a sandbox has its own limit). */
export function merchantKey(environment: string, appCode: string): string {
  return `${environment}:${appCode}`;
}

export function postgresDrawCalls(pool: pg.Pool, url: URL, merchant: string, tillId: string, shape: SharedBudgetShape = SHARED_BUDGET): DrawCalls {
  let migrated = false;
  return async ({ wanted, returned, held, priority }) => {
    try {
      return await withHeadOffice(pool, async (client) => {
        if (!migrated) {
          await migrateHeadOffice(client);
          migrated = true;
        }
        const { rows } = await client.query<{ granted: number }>('SELECT draw_calls($1, $2, $3, $4, $5, $6, $7, $8, $9) AS granted', [
          merchant,
          tillId,
          wanted,
          returned,
          held,
          PRIORITY_CODE[priority],
          shape.perSecond,
          shape.capacity,
          shape.leaseMs / 1000,
        ]);
        return rows[0]?.granted ?? 0;
      });
    } catch (error) {
      throw new Error(headOfficeError(error, url));
    }
  };
}

export type CallSharing = { readonly mode: 'shared' } | { readonly mode: 'local'; readonly since: number; readonly reason: string };

export interface SharedCallBudget extends CallBudget {
  /** Tells the budget when the till has a live QR: its checks then come first, and it holds more. */
  watchLive(live: () => boolean): void;
  sharing(): CallSharing;
  /** Gives back what is held (best effort) and stops drawing. */
  stop(): Promise<void>;
}

interface Batch {
  left: number;
  readonly expiresAt: number;
}

/** Shares of the lease: a batch is renewed when this much of it is left; the till looks again this often. */
const RENEW_AHEAD_SHARE = 0.4;
const TICK_SHARE = 0.2;
const BACKGROUND_DEMAND_MS = 10_000;
const RETRY_AFTER_FAILURE_MS = 5_000;

export function createSharedCallBudget(options: {
  draw: DrawCalls;
  /** The local share: used alone while the head office cannot be reached. */
  localPerMinute: number;
  shape?: SharedBudgetShape;
  clock?: () => number;
  onSharing?: (sharing: CallSharing) => void;
}): SharedCallBudget {
  const shape = options.shape ?? SHARED_BUDGET;
  const clock = options.clock ?? Date.now;
  const local = createCallBudget(options.localPerMinute, clock);
  let isLive: () => boolean = () => false;
  let sharing: CallSharing = { mode: 'local', since: clock(), reason: 'not yet reached' };
  let batches: Batch[] = [];
  let owed = 0;
  let drawing: Promise<void> | undefined;
  let lastFailureAt = Number.NEGATIVE_INFINITY;
  let backgroundDemandUntil = Number.NEGATIVE_INFINITY;
  let stopped = false;

  /** Moves what has expired into what is owed back; returns the calls still usable. */
  function usable(now = clock()): number {
    const kept: Batch[] = [];
    for (const batch of batches) {
      if (batch.expiresAt <= now) owed += batch.left;
      else if (batch.left > 0) kept.push(batch);
    }
    batches = kept;
    return batches.reduce((sum, batch) => sum + batch.left, 0);
  }

  function hold(): number {
    if (isLive()) return shape.holdLive;
    return clock() < backgroundDemandUntil ? shape.holdBusy : shape.holdIdle;
  }

  function setSharing(next: CallSharing) {
    const changed = next.mode !== sharing.mode;
    sharing = next;
    if (changed) options.onSharing?.(sharing);
  }

  /**
   * Draws when fewer calls are held than needed over the next part of the lease, and gives back
   * at once what is held beyond it (a QR just paid no longer needs its checks). Never two at once.
   */
  function topUp(forAction = false): void {
    if (stopped || drawing) return;
    const now = clock();
    if (sharing.mode === 'local' && now - lastFailureAt < RETRY_AFTER_FAILURE_MS) return;
    usable(now);
    const fresh = batches.filter((batch) => batch.expiresAt > now + shape.leaseMs * RENEW_AHEAD_SHARE).reduce((sum, batch) => sum + batch.left, 0);
    const needed = hold();
    const wanted = Math.max(forAction ? 1 : 0, needed - fresh);
    for (let excess = fresh - needed; excess > 0; excess -= 1) {
      const batch = batches.findLast((candidate) => candidate.left > 0) as Batch;
      batch.left -= 1;
      owed += 1;
    }
    if (wanted === 0 && owed === 0) return;
    const returned = owed;
    owed = 0;
    // The cashier's own call (and the one an idle till keeps for it) first, then the live QR's checks.
    const priority: DrawPriority = forAction || (fresh === 0 && !isLive()) ? 'action' : isLive() ? 'live' : 'background';
    const sentAt = now;
    const held = batches.reduce((sum, batch) => sum + batch.left, 0);
    drawing = options
      .draw({ wanted, returned, held, priority })
      .then(
        (granted) => {
          // Never more than was asked for: a head office (or whoever answers in its place) cannot
          // hand a till the merchant's whole limit, nor a count that is not one.
          const accepted = Number.isSafeInteger(granted) && granted > 0 ? Math.min(granted, wanted) : 0;
          if (accepted > 0) batches.push({ left: accepted, expiresAt: sentAt + shape.leaseMs });
          setSharing({ mode: 'shared' });
        },
        (error: unknown) => {
          // What was given back may or may not have arrived: it is not given again (the safe side).
          lastFailureAt = clock();
          const reason = error instanceof Error ? error.message : String(error);
          setSharing(sharing.mode === 'local' ? { ...sharing, reason } : { mode: 'local', since: lastFailureAt, reason });
        },
      )
      .finally(() => {
        drawing = undefined;
      });
  }

  const timer = setInterval(() => topUp(), Math.max(50, shape.leaseMs * TICK_SHARE));
  timer.unref();
  topUp();

  /** Spends one held call, keeping `keep` for the cashier. */
  function spend(keep: number): boolean {
    if (usable() <= keep) return false;
    const batch = batches.find((candidate) => candidate.left > 0) as Batch;
    batch.left -= 1;
    // Counted locally too: a fall-back mid-minute starts from what this till has used.
    local.tryTakeForAction();
    topUp();
    return true;
  }

  return {
    tryTakeForAction() {
      if (sharing.mode === 'local') return local.tryTakeForAction();
      if (spend(0)) return true;
      topUp(true);
      return false;
    },
    async readyForAction(maxWaitMs) {
      const until = clock() + maxWaitMs;
      while (sharing.mode === 'shared' && usable() === 0 && clock() < until && !stopped) {
        if (drawing) await drawing;
        else topUp(true);
        if (usable() === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    tryTakeForPoll() {
      if (sharing.mode === 'local') return local.tryTakeForPoll();
      // A check of the live order may use the last call held; a background one leaves it to the cashier.
      if (spend(isLive() ? 0 : 1)) return true;
      if (!isLive()) backgroundDemandUntil = clock() + BACKGROUND_DEMAND_MS;
      topUp();
      return false;
    },
    msUntilFree() {
      if (sharing.mode === 'local') return local.msUntilFree();
      return usable() > 0 ? 0 : Math.ceil(shape.leaseMs * TICK_SHARE);
    },
    usedInLastMinute: () => local.usedInLastMinute(),
    watchLive(live) {
      isLive = live;
    },
    sharing: () => sharing,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await drawing;
      usable(Number.POSITIVE_INFINITY);
      if (owed > 0 && sharing.mode === 'shared') await options.draw({ wanted: 0, returned: owed, held: 0, priority: 'background' }).catch(() => undefined);
      owed = 0;
    },
  };
}
