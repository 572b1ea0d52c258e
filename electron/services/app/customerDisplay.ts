import { EventEmitter } from 'node:events';
import type { DisplayState } from '../../../shared/ipc/contract';
import type { OrderRecord } from '../ledger/ledgerStore';

/**
 * What the customer-facing display shows, decided in the main process from the order it follows.
 * The QR is shown only while the order waits and its deadline has not passed: it is gone the
 * moment the order is final, the cashier cancels, or time runs out (before the poller confirms).
 * The deadline travels with the state, with the main process's clock, so that every screen and
 * every reload counts down to the same instant.
 */

/** How long a result stays on screen before the display returns to idle. */
export const RESULT_SHOWN_MS = { paid: 10_000, other: 6_000 } as const;

export function createCustomerDisplay(options: { shopName: () => string; demo: boolean; clock?: () => number }) {
  const clock = options.clock ?? Date.now;
  const events = new EventEmitter<{ changed: [DisplayState] }>();
  let order: OrderRecord | undefined;
  // The last order the customer saw: if it is paid after its QR was withdrawn, they are told so.
  let lastShownId: number | undefined;
  let resultShownAt: number | undefined;
  let timer: NodeJS.Timeout | undefined;

  function state(): DisplayState {
    const now = clock();
    const base = { shopName: options.shopName(), demo: options.demo, serverNow: now };
    if (!order) return { mode: 'idle', ...base };
    const about = { amount: order.amount, wallet: order.wallet, paymentMode: order.mode };
    const result = (outcome: 'paid' | 'expired' | 'cancelled' | 'failed' | 'checking'): DisplayState => ({
      mode: 'result',
      ...base,
      ...about,
      result: outcome,
      // Withdrawn at the till, but QFPay may still take a payment for it: say not to pay it.
      doNotPay: (outcome === 'cancelled' || outcome === 'expired') && !order?.gatewaySettled,
      // Only once the sale has its result: the customer quotes it for a dispute or a refund.
      outTradeNo: order?.outTradeNo ?? '',
    });
    switch (order.state) {
      case 'created':
        return { mode: 'payment', ...base, ...about, qrcode: null, confirming: false, deadline: order.qrDeadline };
      case 'waiting':
        if (order.cancelRequestedAt !== null) return result('cancelled');
        if (now >= order.qrDeadline) return result('checking');
        // A customer's own code (CPM) has no QR: waiting is the customer confirming in their wallet, until the till's confirm window ends.
        if (order.mode === 'cpm') return { mode: 'payment', ...base, ...about, qrcode: null, confirming: true, deadline: order.qrDeadline };
        return { mode: 'payment', ...base, ...about, qrcode: order.qrcode, confirming: false, deadline: order.qrDeadline };
      case 'unknown':
        return result('checking');
      case 'paid':
      case 'paid_late':
        return result('paid');
      case 'expired':
      case 'cancelled':
      case 'failed':
        return result(order.state);
    }
  }

  function schedule(): void {
    clearTimeout(timer);
    timer = undefined;
    if (!order) return;
    const now = clock();
    const current = state();
    if (current.mode === 'payment' && (current.qrcode !== null || current.confirming)) {
      // Withdraw the QR (or the "confirm in your wallet") at the deadline even if no answer has come yet.
      timer = setTimeout(changed, Math.max(0, order.qrDeadline - now) + 5);
    } else if (current.mode === 'result' && current.result !== 'checking') {
      resultShownAt ??= now;
      const shownFor = current.result === 'paid' ? RESULT_SHOWN_MS.paid : RESULT_SHOWN_MS.other;
      timer = setTimeout(() => {
        order = undefined;
        resultShownAt = undefined;
        changed();
      }, Math.max(0, resultShownAt + shownFor - now));
    }
    timer?.unref();
  }

  function changed(): void {
    schedule();
    events.emit('changed', state());
  }

  return {
    events,
    state,
    /** A new charge takes over the display. */
    follow(next: OrderRecord): void {
      order = next;
      lastShownId = next.id;
      resultShownAt = undefined;
      changed();
    },
    /** An update to any order; only the one on display matters, or a late payment of the last one shown. */
    update(next: OrderRecord): void {
      const latePaymentOfLastShown = next.state === 'paid_late' && next.id === lastShownId && order?.id !== next.id;
      if (latePaymentOfLastShown) {
        // The display went back to "Welcome" after the cancel; the customer who paid must see it landed.
        order = next;
        resultShownAt = undefined;
        changed();
        return;
      }
      if (!order || order.id !== next.id) return;
      order = next;
      changed();
    },
    /** Redraw when the shop's name or language changes. */
    refresh: changed,
    close(): void {
      clearTimeout(timer);
    },
  };
}

export type CustomerDisplay = ReturnType<typeof createCustomerDisplay>;
