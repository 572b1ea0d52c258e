import { hongKongDayRange } from '../../../shared/hkTime';
import { ACTIVE_PAYMENT_STATES, ACTIVE_REFUND_STATES, PAID_STATES } from '../../../shared/ledger/lifecycle';
import type { WalletTotals, ZReport } from '../../../shared/ledger/reportTypes';
import { WALLETS, type WalletId } from '../../../shared/wallets';

export type { WalletTotals, ZReport };
import type { LedgerStore } from '../ledger/ledgerStore';

/**
 * The end-of-day (Z) report of one till for one Hong Kong business day. A preview can be made at
 * any time; closing the day numbers the report, stores it, and it never changes afterwards (the
 * database refuses updates). A day with orders still unresolved cannot be closed.
 */

export class DayNotClosable extends Error {
  constructor(readonly unresolved: ZReport['unresolved']) {
    super(`the day has ${unresolved.orders} open orders, ${unresolved.latePayments} late payments to decide and ${unresolved.refunds} open refunds`);
    this.name = 'DayNotClosable';
  }
}

export function buildZReport(store: LedgerStore, day: string, tillId: string, now: number): ZReport {
  const stored = closedReport(store, day);
  if (stored) return stored;
  const { start, end } = hongKongDayRange(day);
  const orders = store.ordersCreatedBetween(start, end);
  // One ledger per till: everything in it is this till's.
  const refunds = store.refundsCreatedBetween(start, end);
  const walletOf = new Map<number, WalletId>();
  for (const order of orders) walletOf.set(order.id, order.wallet);

  const wallets = WALLETS.map((wallet): WalletTotals => {
    const paid = orders.filter((order) => order.wallet === wallet.id && PAID_STATES.includes(order.state));
    const refunded = refunds.filter((refund) => refund.state === 'succeeded' && (walletOf.get(refund.orderId) ?? store.order(refund.orderId).wallet) === wallet.id);
    const paymentsAmount = paid.reduce((sum, order) => sum + order.amount, 0);
    const refundsAmount = refunded.reduce((sum, refund) => sum + refund.amount, 0);
    return {
      wallet: wallet.id,
      payments: { count: paid.length, amount: paymentsAmount },
      refunds: { count: refunded.length, amount: refundsAmount },
      net: paymentsAmount - refundsAmount,
    };
  });
  const sum = (pick: (totals: WalletTotals) => number) => wallets.reduce((total, wallet) => total + pick(wallet), 0);
  return {
    number: null,
    day,
    tillId,
    currency: 'HKD',
    generatedAt: now,
    closedAt: null,
    wallets,
    totals: {
      payments: { count: sum((w) => w.payments.count), amount: sum((w) => w.payments.amount) },
      refunds: { count: sum((w) => w.refunds.count), amount: sum((w) => w.refunds.amount) },
      net: sum((w) => w.net),
    },
    unresolved: {
      orders: orders.filter((order) => ACTIVE_PAYMENT_STATES.includes(order.state)).length,
      latePayments: orders.filter((order) => order.state === 'paid_late').length,
      refunds: refunds.filter((refund) => ACTIVE_REFUND_STATES.includes(refund.state)).length,
    },
    notPaid: orders.filter((order) => ['failed', 'expired', 'cancelled'].includes(order.state)).length,
  };
}

export function closedReport(store: LedgerStore, day: string): ZReport | undefined {
  const row = store.db.prepare<[string], { report: string }>('SELECT report FROM z_reports WHERE day = ?').get(day);
  return row ? (JSON.parse(row.report) as ZReport) : undefined;
}

/** Closes the day: numbers and stores its report. Closing a closed day returns the stored report unchanged. */
export function closeDay(store: LedgerStore, day: string, tillId: string, now: number): ZReport {
  return store.db
    .transaction((): ZReport => {
      const stored = closedReport(store, day);
      if (stored) return stored;
      const preview = buildZReport(store, day, tillId, now);
      const { orders, latePayments, refunds } = preview.unresolved;
      if (orders + latePayments + refunds > 0) throw new DayNotClosable(preview.unresolved);
      const last = store.db.prepare<[], { number: number | null }>('SELECT MAX(number) AS number FROM z_reports').get()?.number ?? 0;
      const report: ZReport = { ...preview, number: last + 1, closedAt: now };
      store.db.prepare('INSERT INTO z_reports (number, day, till_id, closed_at, report) VALUES (?, ?, ?, ?, ?)').run(report.number, day, tillId, now, JSON.stringify(report));
      return report;
    })
    .immediate();
}
