import type { ConfirmationStatus } from '../../../shared/ipc/contract';
import type { OrderRecord } from '../ledger/ledgerStore';
import { createConfirmationPace, type ConfirmationMode } from '../till/confirmationPace';
import type { Till } from '../till/till';
import { createNotificationListener } from './notificationListener';

/**
 * A till with a head office hears QFPay's notifications (relay → PostgreSQL → LISTEN). One for an
 * item this till awaits news of is a reason to ask QFPay about it now; the query's record, not the
 * notification, decides the item's state. Started and stopped with the till's poller.
 */
export function createPushedConfirmations(options: {
  readonly url: URL;
  readonly tillId: string;
  readonly appCode: string;
  readonly till: Till;
  readonly clock?: () => number;
  /** Ask QFPay now (the poller's lookNow). */
  readonly lookNow: () => void;
  /** The pace changed: re-plan the next check (the poller's paceChanged). */
  readonly paceChanged: (mode: ConfirmationMode) => void;
  /** The LISTEN connection's first retry after a loss (it doubles from there). */
  readonly retryMs?: number;
}) {
  const { till } = options;
  const pace = createConfirmationPace({ appCode: options.appCode, clock: options.clock, onChange: options.paceChanged });
  const listener = createNotificationListener({
    url: options.url,
    tillId: options.tillId,
    clock: options.clock,
    retryMs: options.retryMs,
    onSignal(signal) {
      if (pace.notification(signal) && till.awaitsNewsOf(signal.out_trade_no)) options.lookNow();
    },
    onState: (state) => pace.listenerState(state),
  });
  const onOrder = (order: OrderRecord) => {
    if (order.state === 'paid' || order.state === 'paid_late') pace.paymentConfirmed(order.outTradeNo);
  };
  till.events.on('order', onOrder);

  return {
    pushed: () => pace.pushed(),
    status: (): ConfirmationStatus => pace.status(till.settings),
    listenerState: () => listener.state(),
    start() {
      listener.start();
    },
    async stop() {
      till.events.off('order', onOrder);
      pace.stop();
      await listener.stop();
    },
  };
}

export type PushedConfirmations = ReturnType<typeof createPushedConfirmations>;
