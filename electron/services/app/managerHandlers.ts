import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hongKongDayRange } from '../../../shared/hkTime';
import { closeWithChecks } from '../reports/closing';
import { exportDay } from '../reports/dayExport';
import { PeriodNotClosable, periodsTouching, totalsBetweenTimes, xReport } from '../reports/periods';
import { dayRange, salesView } from '../reports/sales';
import { DayInFuture, reconcileDay, ReconciliationUnavailable } from '../reports/reconciliation';
import type { TillRuntime } from '../runtime/runtime';
import { TillError } from '../../../shared/errors';
import type { ManagerSessions } from './managerSession';
import { checkLedgerBetween } from '../ledger/chain';
import { ledgerIdOf } from '../ledger/database';
import type { CommandHandlers } from '../ipc/commandHandlers';
import { ACTION_WAIT_MS } from '../till/callBudget';
import type { Views } from './views';

/**
 * The manager's commands: the day's log and money, an order's history, refunds, late payments,
 * items before a manager and their decisions, the day compared with QFPay, export, X and Z.
 */
export function createManagerHandlers(runtime: TillRuntime, sessions: ManagerSessions, views: Views) {
  const { store, till } = runtime;
  const reportOptions = () => ({ tillId: runtime.config.tillId, now: runtime.clock(), isMine: till.isMine });

  const handlers: Pick<
    CommandHandlers,
    | 'managerUnlock'
    | 'managerLock'
    | 'managerGate'
    | 'managerSetPin'
    | 'managerDay'
    | 'managerDayOrders'
    | 'managerDayRefunds'
    | 'managerSales'
    | 'managerOrder'
    | 'managerRefund'
    | 'managerKeepLatePayment'
    | 'managerResolveNow'
    | 'managerDecide'
    | 'managerReconcileDay'
    | 'managerExportDay'
    | 'managerClosePeriod'
  > = {
    // The PIN unlocks (and "lock" locks) the screen it was typed on, and no other.
    async managerUnlock({ pin }, caller) {
      return sessions.of(caller.session).unlock(pin);
    },
    async managerLock(_request, caller) {
      sessions.of(caller.session).lock();
      return { locked: true };
    },
    // Not behind the PIN: it says only what the PIN screen shows anyone at the till. `stay` renews
    // access this screen still holds (the "Stay unlocked" of the warning), never a locked one.
    async managerGate({ stay }, caller) {
      const session = sessions.of(caller.session);
      if (stay) session.isUnlocked();
      return session.gate();
    },
    async managerSetPin({ pin }, caller) {
      await sessions.of(caller.session).setPin(pin);
      return { pinSet: true };
    },
    async managerDay({ day }) {
      const { start, end } = hongKongDayRange(day);
      return {
        day,
        environment: runtime.config.environment,
        orderCount: store.ordersOfDay({ start, end, wallet: null, state: null, limit: 0, offset: 0 }).matching,
        refundCount: store.refundsOfDay({ start, end, limit: 0, offset: 0 }).matching,
        latePayments: views.orders(store.latePaymentsOfDay(start, end)),
        totals: totalsBetweenTimes(store, start, end),
        openPeriod: xReport(store, { ...reportOptions(), alsoDays: [day] }),
        closedPeriods: periodsTouching(store, day),
        reconciliation: store.latestReconciliation(day, runtime.config.environment) ?? null,
        beforeManager: { orders: views.orders(store.flaggedOrders()), refunds: views.refunds(store.flaggedRefunds()) },
        headOffice: runtime.headOffice?.status() ?? { state: 'off' },
        confirmations: runtime.push?.status() ?? null,
        books: checkLedgerBetween(store.db, ledgerIdOf(store.db), start, end),
      };
    },
    // Only the rows a screen draws cross the boundary: a busy day has thousands. `to` makes the
    // day a range of days (a week, a month), `search` finds rows by number, syssn or amount.
    async managerDayOrders({ day, to, offset, limit, wallet, state, search }) {
      const { start, end } = dayRange(day, to);
      const page = store.ordersOfDay({ start, end, wallet: wallet ?? null, state: state ?? null, limit, offset, search: search ?? null });
      return { offset, matching: page.matching, rows: views.orders(page.orders) };
    },
    async managerDayRefunds({ day, to, offset, limit, search, wallet }) {
      const { start, end } = dayRange(day, to);
      const page = store.refundsOfDay({ start, end, limit, offset, search: search ?? null, wallet: wallet ?? null });
      return { offset, matching: page.matching, rows: views.refunds(page.refunds) };
    },
    async managerSales({ from, to }) {
      return salesView(store, dayRange(from, to), runtime.config.environment);
    },
    async managerOrder({ outTradeNo }) {
      const order = till.order(outTradeNo);
      const refunds = store.refundsOf(order.id);
      return {
        order: views.order(order),
        refunds: views.refunds(refunds),
        history: store.history(order.id).map(({ fromState, toState, cause, detail, at }) => ({ fromState, toState, cause, detail, at })),
        decisions: [
          ...store.decisionsOfOrder(order.id).map((decision) => ({ outTradeNo: order.outTradeNo, ...decision })),
          ...refunds.flatMap((refund) => store.decisionsOfRefund(refund.id).map((decision) => ({ outTradeNo: refund.outTradeNo, ...decision }))),
        ].map(({ outTradeNo: number, decision, reason, at }) => ({ outTradeNo: number, decision, reason, at })),
      };
    },
    async managerRefund({ outTradeNo, amount }) {
      // Before the refund's own checks, which must run to its call with nothing awaited between.
      await till.budget.readyForAction?.(ACTION_WAIT_MS);
      const refund = await till.refund(outTradeNo, amount);
      return { refund: views.refund(refund), order: views.order(store.order(refund.orderId)) };
    },
    async managerKeepLatePayment({ outTradeNo }) {
      return { order: views.order(till.keepLatePayment(outTradeNo)) };
    },
    async managerResolveNow() {
      const report = await runtime.poller.reconcile();
      return { ok: report.ok, queried: report.queriedNumbers, changed: report.changed, flagged: report.flagged };
    },
    async managerDecide({ outTradeNo, decision, reason }) {
      if (decision === 'succeeded' || decision === 'failed') {
        const refund = till.decideRefund(outTradeNo, decision, reason);
        return { order: views.order(store.order(refund.orderId)), refund: views.refund(refund) };
      }
      return { order: views.order(await till.decideOrder(outTradeNo, decision, reason)), refund: null };
    },
    async managerReconcileDay({ day }) {
      try {
        return { result: await reconcileDay(runtime, day) };
      } catch (error) {
        if (error instanceof DayInFuture) throw new TillError('day_in_future', error.message, { day });
        if (error instanceof ReconciliationUnavailable) throw new TillError('qfpay_unreachable', error.message, { reason: error.reason });
        throw error;
      }
    },
    async managerExportDay({ day, to, environment }) {
      // Refused in words before any file is made.
      const range = dayRange(day, to);
      // The same exporter as the CLI, through a private temporary file.
      const folder = mkdtempSync(join(tmpdir(), 'qfpos-export-'));
      const chosen = environment ?? runtime.config.environment;
      try {
        const file = join(folder, 'day.csv');
        const summary = await exportDay(runtime.config.dbPath, day, file, { environment: chosen, now: runtime.clock(), to: range.to });
        // A range's file names both its days: qfpay-<till>-<first>_<last>-<environment>.csv.
        const days = range.from === range.to ? day : `${range.from}_${range.to}`;
        return {
          fileName: `qfpay-${runtime.config.tillId}-${days}-${chosen}.csv`,
          csv: readFileSync(file, 'utf8'),
          payments: summary.payments,
          refunds: summary.refunds,
          environment: chosen,
          otherEnvironments: summary.otherEnvironments,
        };
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
    async managerClosePeriod() {
      try {
        const { report, backup } = await closeWithChecks(runtime);
        return { report, backup };
      } catch (error) {
        if (error instanceof PeriodNotClosable) throw new TillError('period_not_closable', error.message, { unresolved: error.unresolved });
        throw error;
      }
    },
  };
  return handlers;
}
