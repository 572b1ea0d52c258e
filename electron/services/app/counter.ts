import { EventEmitter } from 'node:events';
import { holdsCounter } from '../../../shared/ledger/saleInProgress';
import type { CounterState } from '../../../shared/ipc/contract';
import type { LedgerStore, OrderRecord } from '../ledger/ledgerStore';
import { openPeriod, unresolvedItems } from '../reports/periods';
import { TillError } from '../../../shared/errors';
import type { Views } from './views';

/**
 * The counter as the main process holds it: the order on the counter, and the late payments no
 * one has acknowledged yet. The cashier windows only show it, so a reload, a second window or a
 * restart of the app shows the same sale with a working Cancel. On start the counter takes up
 * the newest order of this till still waiting for its customer.
 */
export function createCounter(deps: { store: LedgerStore; isMine: (order: OrderRecord) => boolean; saleInProgress: () => OrderRecord | undefined; clock: () => number; views: Views }) {
  const { store, isMine, clock, views } = deps;
  const events = new EventEmitter<{ changed: [CounterState] }>();
  // Acknowledged late payments stay acknowledged until the app restarts: undecided, they alert again then.
  const acknowledged = new Set<number>();
  let currentId: number | undefined = deps.saleInProgress()?.id;
  let pending: NodeJS.Immediate | undefined;

  function state(): CounterState {
    const current = currentId === undefined ? null : views.order(store.order(currentId));
    const late = store.paidLateOrders().filter((order) => isMine(order) && !acknowledged.has(order.id));
    const unresolved = unresolvedItems(store, isMine);
    return {
      current,
      lateAlerts: views.orders(late),
      beforeManager: unresolved.beforeManager + unresolved.latePayments,
      openPeriod: openPeriod(store, clock()).number,
      serverNow: clock(),
    };
  }

  /** Announces the counter once per burst of changes (a poll can move many orders at once). */
  function changed(): void {
    if (pending) return;
    pending = setImmediate(() => {
      pending = undefined;
      events.emit('changed', state());
    });
  }

  return {
    events,
    state,
    /** The order the counter shows on start, if one still waits for its customer. */
    live: (): OrderRecord | undefined => (currentId === undefined ? undefined : store.order(currentId)),
    /** A charge puts its order on the counter. */
    startSale(order: OrderRecord): void {
      currentId = order.id;
      changed();
    },
    /** Any order changed: the counter, its alerts or its counts may have. */
    orderChanged: changed,
    newSale(): CounterState {
      if (currentId !== undefined && holdsCounter(store.order(currentId))) {
        throw new TillError('payment_in_progress', 'finish or cancel the current payment first');
      }
      currentId = undefined;
      changed();
      return state();
    },
    acknowledge(outTradeNo: string): CounterState {
      const order = store.orderByNumber(outTradeNo);
      if (!order) throw new TillError('order_not_found', `no order ${outTradeNo} at this till`);
      acknowledged.add(order.id);
      changed();
      return state();
    },
    close(): void {
      if (pending) clearImmediate(pending);
    },
  };
}

export type Counter = ReturnType<typeof createCounter>;
